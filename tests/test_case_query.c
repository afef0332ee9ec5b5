/*
 * test_case_query.c: the read-only views: totals, the case list, the
 * full record of a case, and escaping of untrusted text.
 */
#include "config.h"

#include "tests/test_case_fixture.h"

TestSuite(case_query, .init = fx_setup, .fini = fx_teardown, .timeout = 10);

static char hoster_id[] = "hoster-a", hoster_email[] = "abuse@hoster.example";
static struct contact hoster = { .id = hoster_id, .email = hoster_email };

static void
exec(const char *sql)
{
	cr_assert_eq(sqlite3_exec(fx_db->db, sql, NULL, NULL, NULL),
	    SQLITE_OK, "%s: %s", sql, sqlite3_errmsg(fx_db->db));
}

/* Case 1: the phishing report with two routes (one unrouted) and one
 * notification; case 2: a scanner report with a hostile subject.  Both
 * opened at 2026-11-28 07:30 UTC and 08:00 UTC. */
static void
populate(void)
{
	GError *err = NULL;
	struct report *r = fx_report(), *r2 = report_new(0);
	gint64 m1, m2, c1, c2;
	struct route rt1 = { .finding = g_ptr_array_index(r->findings, 0),
	    .contact = &hoster, .reason = "ip 203.0.113.5 -> 203.0.113.0/24 "
	    "(networks.csv:12) -> hoster-a", .country = "JP" };
	struct route rt2 = { .finding = g_ptr_array_index(r->findings, 1),
	    .reason = "domain bad.example: no contact" };
	GPtrArray *routes = g_ptr_array_new();
	struct route_result res = { .routes = routes, .unrouted = 1 };
	struct notification n = {
		.contact = &hoster, .to = "abuse@hoster.example",
		.subject = "[CASE-000001] Phishing",
		.message_id = "n1@csirt.example", .file = "1.M1.csirt",
	};

	g_ptr_array_add(routes, &rt1);
	g_ptr_array_add(routes, &rt2);
	cr_assert(casedb_begin(fx_db, &err));
	m1 = fx_store_message(fx_db, "phish", "pipe");
	cr_assert_gt(casedb_store_report(fx_db, m1, r, NULL, &err), 0);
	c1 = casedb_open_case(fx_db, m1, "phishing", NULL, &err);
	cr_assert(casedb_store_routes(fx_db, c1, &res, &err));
	cr_assert(casedb_store_notification(fx_db, c1, &n, &err));
	cr_assert(casedb_commit(fx_db, &err));

	r2->kind = REPORT_KIND_ABUSE;
	r2->format = "plain";
	r2->subject = "Scan\x1b[2J from 198.51.100.7 \xe2\x80\xae"
	    "txt.exe and a very long tail that goes on and on and on";
	report_add_finding(r2, FINDING_IPV4, FINDING_ROLE_OFFENDER,
	    "198.51.100.7", NULL, "1", 0, "R1");
	cr_assert(casedb_begin(fx_db, &err));
	m2 = fx_store_message(fx_db, "scan", "maildir:/srv/in/new/2");
	cr_assert_gt(casedb_store_report(fx_db, m2, r2, NULL, &err), 0);
	c2 = casedb_open_case(fx_db, m2, "scanner", NULL, &err);
	cr_assert_gt(c2, c1);
	cr_assert(casedb_commit(fx_db, &err));

	exec("UPDATE cases SET opened_at = 1795851000 WHERE id = 1;"
	    "UPDATE cases SET opened_at = 1795852800 WHERE id = 2;"
	    "UPDATE events SET at = 1795851000;");
	g_ptr_array_unref(routes);
	report_free(&r);
	report_free(&r2);
}

Test(case_query, totals_count_every_table)
{
	GError *err = NULL;
	struct case_totals t;

	cr_assert(casedb_totals(fx_db, &t, &err));
	cr_expect_eq(t.messages, 0);
	cr_expect_eq(t.cases, 0);
	populate();
	cr_assert(casedb_totals(fx_db, &t, &err));
	cr_expect_eq(t.messages, 2);
	cr_expect_eq(t.reports, 2);
	cr_expect_eq(t.findings, 4);
	cr_expect_eq(t.cases, 2);
	cr_expect_eq(t.notifications, 1);
	cr_expect_eq(t.unrouted, 1);
}

Test(case_query, list_is_newest_first_with_escaped_subjects)
{
	GError *err = NULL;
	GString *out = g_string_new(NULL);

	populate();
	cr_assert(casedb_list_cases(fx_db, 0, out, &err));
	cr_expect_str_eq(out->str,
	    "CASE-000002  open  scanner  2026-11-28 08:00  1 finding  "
	    "0 notifications  Scan\\x1b[2J from 198.51.100.7 \\u202etxt.exe "
	    "and a very long tail tha\n"
	    "CASE-000001  open  phishing  2026-11-28 07:30  3 findings  "
	    "1 notification  Phishing at 203.0.113.5\n");

	g_string_truncate(out, 0);
	cr_assert(casedb_list_cases(fx_db, 1, out, &err));
	cr_expect(g_str_has_prefix(out->str, "CASE-000002  "));
	cr_expect_eq(strchr(out->str, '\n') - out->str + 1, (long)out->len);
	g_string_free(out, TRUE);
}

Test(case_query, show_case_prints_every_section)
{
	GError *err = NULL;
	GString *out = g_string_new(NULL);
	char *sha = g_compute_checksum_for_string(G_CHECKSUM_SHA256, "phish",
	    -1);
	char *msgline = g_strdup_printf("  #1  pipe  abuse  sha256 %.12s  "
	    "seen 1  Phishing at 203.0.113.5\n", sha);

	populate();
	cr_assert(casedb_show_case(fx_db, "CASE-000001", out, &err),
	    "%s", err != NULL ? err->message : "");
	cr_expect(g_str_has_prefix(out->str, "CASE-000001  open  phishing  "
	    "opened 2026-11-28 07:30 UTC\nmessages:\n"), "%s", out->str);
	cr_expect(strstr(out->str, msgline) != NULL, "%s", out->str);
	cr_expect(strstr(out->str, "findings:\n"
	    "  ipv4  offender  203.0.113.5  arf:Source-IP\n"
	    "  url  offender  http://bad.example/login  R12\n"
	    "  ipv4  context  10.0.0.1  R40  suppressed: private address\n"
	    "routes:\n"
	    "  203.0.113.5 -> hoster-a <abuse@hoster.example> JP: ip "
	    "203.0.113.5 -> 203.0.113.0/24 (networks.csv:12) -> hoster-a\n"
	    "  http://bad.example/login -> unrouted: domain bad.example: "
	    "no contact\n"
	    "notifications:\n"
	    "  abuse@hoster.example  1.M1.csirt  outbox\n"
	    "takedowns:\n"
	    "events:\n"
	    "  2026-11-28 07:30  case-opened  CASE-000001\n") != NULL,
	    "%s", out->str);

	/* By number, the same text. */
	{
		GString *again = g_string_new(NULL);

		cr_assert(casedb_show_case(fx_db, "1", again, &err));
		cr_expect_str_eq(again->str, out->str);
		g_string_free(again, TRUE);
	}
	g_string_free(out, TRUE);
	g_free(msgline);
	g_free(sha);
}

Test(case_query, unknown_case_is_not_found)
{
	static const char *const ids[] = {
		"CASE-000009", "9", "", "CASE-", "abc", "-1",
		"99999999999999999999999",
	};
	GError *err = NULL;
	GString *out = g_string_new(NULL);
	guint i;

	populate();
	for (i = 0; i < G_N_ELEMENTS(ids); i++) {
		cr_expect_not(casedb_show_case(fx_db, ids[i], out, &err),
		    "%s", ids[i]);
		cr_expect(g_error_matches(err, CASE_ERROR,
		    CASE_ERROR_NOT_FOUND), "%s", ids[i]);
		g_clear_error(&err);
	}
	cr_expect_eq(out->len, 0);
	g_string_free(out, TRUE);
}

Test(case_query, safe_text_escapes_controls_and_bad_utf8)
{
	GString *out = g_string_new(NULL);

	case_text_append_safe(out, "a\tb\nc\r\\d\x7f\xc2\x85"
	    "\xff\xe2\x80\x8fok \xc3\xa9t\xc3\xa9", 0);
	cr_expect_str_eq(out->str, "a\\tb\\nc\\r\\\\d\\x7f\\x85\\xff\\u200fok "
	    "\xc3\xa9t\xc3\xa9");
	g_string_truncate(out, 0);
	case_text_append_safe(out, "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9", 2);
	cr_expect_str_eq(out->str, "\xc3\xa9\xc3\xa9");
	g_string_truncate(out, 0);
	case_text_append_safe(out, NULL, 0);
	cr_expect_str_eq(out->str, "-");
	g_string_free(out, TRUE);
}
