/*
 * test_case_store.c: storing messages, reports, findings, rule hits,
 * cases, routes, notifications and events, and finding the case of a
 * reply.
 */
#include "config.h"

#include "tests/test_case_fixture.h"

static void
begin(void)
{
	fx_setup();
	cr_assert(casedb_begin(fx_db, NULL));
}

TestSuite(case_store, .init = begin, .fini = fx_teardown, .timeout = 10);

/* struct contact has char * members: literals are const here. */
static char hoster_id[] = "hoster-a", hoster_name[] = "Hoster A";
static char hoster_email[] = "abuse@hoster.example", hoster_lang[] = "en";
static char hoster_cc[] = "JP";
static struct contact hoster = {
	.id = hoster_id, .name = hoster_name, .email = hoster_email,
	.language = hoster_lang, .country = hoster_cc, .kind = CONTACT_HOSTING,
};

Test(case_store, lookup_finds_a_message_only_after_it_is_stored)
{
	GError *err = NULL;
	char *sha = g_compute_checksum_for_string(G_CHECKSUM_SHA256,
	    "body one", -1);
	gint64 id = -7, stored;

	cr_expect_eq(casedb_lookup_message(fx_db, sha, &id, &err), 0);
	cr_expect_eq(id, -7);
	stored = fx_store_message(fx_db, "body one", "pipe");
	cr_expect_eq(casedb_lookup_message(fx_db, sha, &id, &err), 1);
	cr_expect_eq(id, stored);
	cr_expect_null(err);
	g_free(sha);
}

Test(case_store, message_row_keeps_bytes_envelope_and_status)
{
	GError *err = NULL;
	struct case_message m = {
		.sha256 = "aa11", .raw = (const guint8 *)"abc\0def",
		.raw_len = 7, .origin = "mbox:/var/mail/x:3",
		.env_sender = NULL, .env_recipient = "abuse@csirt.example",
		.env_orig_recipient = "cert@csirt.example",
		.received_at = 1795851000, .quarantined = TRUE,
		.orig_size = 70000000, .orig_sha256 = "ff00",
	};
	char *s;

	cr_assert_gt(casedb_store_message(fx_db, &m, "quarantined", &err), 0);
	cr_expect_eq(fx_int(fx_db, "SELECT length(raw) FROM messages"), 7);
	cr_expect_eq(fx_int(fx_db, "SELECT raw = x'61626300646566' FROM "
	    "messages"), 1);
	cr_expect_eq(fx_int(fx_db, "SELECT size FROM messages"), 7);
	cr_expect_eq(fx_int(fx_db, "SELECT orig_size FROM messages"),
	    70000000);
	cr_expect_eq(fx_int(fx_db, "SELECT env_sender IS NULL FROM messages"),
	    1);
	cr_expect_eq(fx_int(fx_db, "SELECT seen_count FROM messages"), 1);
	cr_expect_eq(fx_int(fx_db, "SELECT received_at FROM messages"),
	    1795851000);
	s = fx_text(fx_db, "SELECT status || '|' || origin || '|' || "
	    "orig_sha256 || '|' || env_orig_recipient FROM messages");
	cr_expect_str_eq(s, "quarantined|mbox:/var/mail/x:3|ff00|"
	    "cert@csirt.example");
	g_free(s);
}

Test(case_store, unknown_status_and_duplicate_hash_fail_permanently)
{
	GError *err = NULL;
	struct case_message m = { .sha256 = "bb22", .raw = (const guint8 *)"x",
	    .raw_len = 1, .origin = "pipe" };

	cr_expect_eq(casedb_store_message(fx_db, &m, "lost", &err), -1);
	cr_expect(g_error_matches(err, CASE_ERROR, CASE_ERROR_FAILED));
	cr_expect(strstr(err->message, "storing a message") != NULL,
	    "%s", err->message);
	g_clear_error(&err);
	cr_assert_gt(casedb_store_message(fx_db, &m, "unparsed", &err), 0);
	cr_expect_eq(casedb_store_message(fx_db, &m, "unparsed", &err), -1);
	cr_expect(g_error_matches(err, CASE_ERROR, CASE_ERROR_FAILED));
	g_clear_error(&err);
}

Test(case_store, mark_seen_counts_and_records_an_event)
{
	GError *err = NULL;
	gint64 id = fx_store_message(fx_db, "twice", "pipe");
	char *s;

	cr_assert(casedb_mark_seen(fx_db, id, "maildir:/srv/in/cur/1", &err));
	cr_assert(casedb_mark_seen(fx_db, id, "pipe", &err));
	cr_expect_eq(fx_int(fx_db, "SELECT seen_count FROM messages"), 3);
	cr_expect_eq(fx_int(fx_db, "SELECT count(*) FROM events WHERE "
	    "kind = 'seen-again' AND case_id IS NULL"), 2);
	s = fx_text(fx_db, "SELECT detail FROM events ORDER BY id LIMIT 1");
	cr_expect_str_eq(s, "maildir:/srv/in/cur/1");
	g_free(s);

	cr_expect_not(casedb_mark_seen(fx_db, id + 100, "pipe", &err));
	cr_expect(g_error_matches(err, CASE_ERROR, CASE_ERROR_NOT_FOUND));
	g_clear_error(&err);
}

Test(case_store, report_stores_exactly_its_findings_and_hits)
{
	GError *err = NULL;
	struct report *r = fx_report();
	struct rule_hit h1 = { .rule_id = "R12", .part = "1", .offset = 40,
	    .count = 2 };
	struct rule_hit h2 = { .rule_id = "R40", .part = "0", .offset = 3,
	    .count = 1 };
	GPtrArray *hits = g_ptr_array_new();
	struct verdict v = { .rules_version = "rv-1", .category = "phish",
	    .hits = hits, .rule_errors = 1 };
	gint64 msg = fx_store_message(fx_db, "report", "pipe"), rid;
	char *s;

	g_ptr_array_add(hits, &h1);
	g_ptr_array_add(hits, &h2);
	rid = casedb_store_report(fx_db, msg, r, &v, &err);
	cr_assert_gt(rid, 0, "%s", err != NULL ? err->message : "");

	cr_expect_eq(fx_int(fx_db, "SELECT count(*) FROM findings"), 3);
	s = fx_text(fx_db, "SELECT group_concat(kind || ' ' || role || ' ' || "
	    "value || ' ' || raw || ' ' || part || ' ' || \"offset\" || ' ' "
	    "|| source || ' ' || suppressed || ' ' || "
	    "ifnull(suppress_why, '-'), ';') FROM (SELECT * FROM findings "
	    "ORDER BY id)");
	cr_expect_str_eq(s,
	    "ipv4 offender 203.0.113.5 203[.]0.113.5 1 12 arf:Source-IP 0 -;"
	    "url offender http://bad.example/login "
	    "hxxp://bad[.]example/login 1 40 R12 0 -;"
	    "ipv4 context 10.0.0.1 10.0.0.1 0 3 R40 1 private address");
	g_free(s);

	s = fx_text(fx_db, "SELECT group_concat(rule_id || '@' || part || ':' "
	    "|| \"offset\" || 'x' || count, ' ') FROM (SELECT * FROM "
	    "rule_hits ORDER BY id)");
	cr_expect_str_eq(s, "R12@1:40x2 R40@0:3x1");
	g_free(s);

	s = fx_text(fx_db, "SELECT kind || '|' || format || '|' || category "
	    "|| '|' || rules_version || '|' || rule_errors || '|' || reporter "
	    "|| '|' || warnings FROM reports");
	cr_expect_str_eq(s, "abuse|arf|phish|rv-1|1|reporter.example|"
	    "first warning\nsecond warning");
	g_free(s);

	s = fx_text(fx_db, "SELECT kind || '|' || format || '|' || subject || "
	    "'|' || message_id_hdr FROM messages");
	cr_expect_str_eq(s, "abuse|arf|Phishing at 203.0.113.5|"
	    "abc@reporter.example");
	g_free(s);

	cr_expect_gt(case_finding_id(fx_db, g_ptr_array_index(r->findings,
	    1)), 0);
	g_ptr_array_unref(hits);
	report_free(&r);
}

Test(case_store, unparsed_report_without_verdict_is_stored)
{
	GError *err = NULL;
	struct report *r = report_new(0);
	gint64 msg = fx_store_message(fx_db, "garbage", "pipe");
	char *s;

	cr_assert_gt(casedb_store_report(fx_db, msg, r, NULL, &err), 0);
	s = fx_text(fx_db, "SELECT kind || '|' || ifnull(rules_version, '-') "
	    "|| '|' || ifnull(warnings, '-') FROM reports");
	cr_expect_str_eq(s, "unparsed|-|-");
	g_free(s);
	cr_expect_eq(fx_int(fx_db, "SELECT count(*) FROM findings"), 0);
	report_free(&r);
}

Test(case_store, case_tags_follow_the_row_ids)
{
	GError *err = NULL;
	gint64 msg = fx_store_message(fx_db, "case", "pipe");
	char *tag1 = NULL, *tag2 = NULL;
	gint64 c1, c2;

	c1 = casedb_open_case(fx_db, msg, "phishing", &tag1, &err);
	c2 = casedb_open_case(fx_db, msg, NULL, &tag2, &err);
	cr_expect_eq(c1, 1);
	cr_expect_eq(c2, 2);
	cr_expect_str_eq(tag1, "CASE-000001");
	cr_expect_str_eq(tag2, "CASE-000002");
	cr_expect_eq(fx_int(fx_db, "SELECT count(*) FROM case_messages WHERE "
	    "kind = 'abuse'"), 2);
	cr_expect_eq(fx_int(fx_db, "SELECT count(*) FROM events WHERE "
	    "kind = 'case-opened' AND detail = 'CASE-000002' AND case_id = 2"),
	    1);
	g_free(tag1);
	g_free(tag2);
}

static gint64
stored_case_with_notification(void)
{
	GError *err = NULL;
	gint64 msg = fx_store_message(fx_db, "opening", "pipe"), cid;
	struct notification n = {
		.contact = &hoster, .to = "abuse@hoster.example",
		.subject = "[CASE-000001] Phishing", .message_id =
		"case-1.1@csirt.example", .tmp_path = "/o/tmp/1.a",
		.file = "1.a",
	};

	cid = casedb_open_case(fx_db, msg, "phishing", NULL, &err);
	cr_assert_gt(cid, 0);
	cr_assert(casedb_store_notification(fx_db, cid, &n, &err));
	return cid;
}

Test(case_store, find_case_by_tag_in_reply_to_and_references)
{
	GError *err = NULL;
	struct report *r = report_new(0);
	gint64 cid = stored_case_with_notification(), found = 0;

	cr_expect_eq(casedb_find_case(fx_db, r, &found, &err), 0);

	r->case_tag = "case-000001";	/* tags compare without case */
	cr_expect_eq(casedb_find_case(fx_db, r, &found, &err), 1);
	cr_expect_eq(found, cid);

	r->case_tag = "CASE-000099";
	r->in_reply_to = "case-1.1@csirt.example";
	found = 0;
	cr_expect_eq(casedb_find_case(fx_db, r, &found, &err), 1);
	cr_expect_eq(found, cid);

	r->case_tag = NULL;
	r->in_reply_to = "other@elsewhere.example";
	r->references = "<a@b.example>\r\n <case-1.1@csirt.example> <c@d>";
	found = 0;
	cr_expect_eq(casedb_find_case(fx_db, r, &found, &err), 1);
	cr_expect_eq(found, cid);

	r->references = "<a@b.example> <broken";
	cr_expect_eq(casedb_find_case(fx_db, r, &found, &err), 0);
	cr_expect_null(err);
	report_free(&r);
}

Test(case_store, routes_keep_finding_ids_and_unrouted_flags)
{
	GError *err = NULL;
	struct report *r = fx_report();
	gint64 msg = fx_store_message(fx_db, "routes", "pipe"), cid;
	struct route rt1 = { .finding = g_ptr_array_index(r->findings, 0),
	    .contact = &hoster, .reason = "ip 203.0.113.5 -> 203.0.113.0/24 "
	    "(networks.csv:12) -> hoster-a", .country = "JP" };
	struct route rt2 = { .finding = g_ptr_array_index(r->findings, 1),
	    .reason = "domain bad.example: no contact" };
	GPtrArray *routes = g_ptr_array_new();
	struct route_result res = { .routes = routes, .unrouted = 1 };
	char *s;

	g_ptr_array_add(routes, &rt1);
	g_ptr_array_add(routes, &rt2);
	cr_assert_gt(casedb_store_report(fx_db, msg, r, NULL, &err), 0);
	cid = casedb_open_case(fx_db, msg, "phishing", NULL, &err);
	cr_assert(casedb_store_routes(fx_db, cid, &res, &err));

	s = fx_text(fx_db, "SELECT group_concat(f.value || '|' || "
	    "ifnull(r.contact_id, '-') || '|' || ifnull(r.contact_address, "
	    "'-') || '|' || ifnull(r.country, '-') || '|' || r.unrouted, ';') "
	    "FROM (SELECT * FROM routes ORDER BY id) r JOIN findings f "
	    "ON f.id = r.finding_id");
	cr_expect_str_eq(s, "203.0.113.5|hoster-a|abuse@hoster.example|JP|0;"
	    "http://bad.example/login|-|-|-|1");
	g_free(s);
	g_ptr_array_unref(routes);
	report_free(&r);
}

Test(case_store, finding_ids_are_forgotten_at_commit)
{
	GError *err = NULL;
	struct report *r = fx_report();
	gint64 msg = fx_store_message(fx_db, "commit", "pipe");

	cr_assert_gt(casedb_store_report(fx_db, msg, r, NULL, &err), 0);
	cr_expect_gt(case_finding_id(fx_db, g_ptr_array_index(r->findings,
	    0)), 0);
	cr_assert(casedb_commit(fx_db, &err));
	cr_expect_eq(case_finding_id(fx_db, g_ptr_array_index(r->findings,
	    0)), 0);
	report_free(&r);
}

Test(case_store, notification_rows_and_outbox_lookup)
{
	GError *err = NULL;
	struct report *r = fx_report();
	gint64 msg = fx_store_message(fx_db, "notify", "pipe"), cid;
	GPtrArray *nf = g_ptr_array_new();
	struct notification n = {
		.contact = &hoster, .to = "abuse@hoster.example",
		.subject = "[CASE-000001] Phishing", .message_id =
		"n1@csirt.example", .file = "1795851000.M1P2.csirt",
		.findings = nf,
	};
	char *s;

	cr_assert_gt(casedb_store_report(fx_db, msg, r, NULL, &err), 0);
	g_ptr_array_add(nf, g_ptr_array_index(r->findings, 0));
	g_ptr_array_add(nf, g_ptr_array_index(r->findings, 1));
	cid = casedb_open_case(fx_db, msg, "phishing", NULL, &err);
	cr_assert(casedb_store_notification(fx_db, cid, &n, &err));

	s = fx_text(fx_db, "SELECT case_id || '|' || contact_id || '|' || "
	    "address || '|' || subject || '|' || message_id_hdr || '|' || "
	    "file || '|' || status FROM notifications");
	cr_expect_str_eq(s, "1|hoster-a|abuse@hoster.example|[CASE-000001] "
	    "Phishing|n1@csirt.example|1795851000.M1P2.csirt|outbox");
	g_free(s);
	cr_expect_eq(fx_int(fx_db, "SELECT count(*) FROM "
	    "notification_findings"), 2);
	cr_expect_eq(casedb_notification_exists(fx_db,
	    "1795851000.M1P2.csirt", &err), 1);
	cr_expect_eq(casedb_notification_exists(fx_db, "other", &err), 0);

	/* A Message-ID is used once. */
	n.file = "second";
	cr_expect_not(casedb_store_notification(fx_db, cid, &n, &err));
	cr_expect(g_error_matches(err, CASE_ERROR, CASE_ERROR_FAILED));
	g_clear_error(&err);
	g_ptr_array_unref(nf);
	report_free(&r);
}

Test(case_store, link_and_event_accept_missing_ids)
{
	GError *err = NULL;
	gint64 cid = stored_case_with_notification();
	gint64 reply = fx_store_message(fx_db, "a reply", "pipe");

	cr_assert(casedb_link_message(fx_db, cid, reply, "reply", &err));
	cr_assert(casedb_link_message(fx_db, cid, reply, "reply", &err));
	cr_expect_eq(fx_int(fx_db, "SELECT count(*) FROM case_messages WHERE "
	    "kind = 'reply'"), 1);
	cr_assert(casedb_event(fx_db, 0, 0, "daemon-start", NULL, &err));
	cr_expect_eq(fx_int(fx_db, "SELECT count(*) FROM events WHERE "
	    "kind = 'daemon-start' AND message_id IS NULL AND case_id IS NULL "
	    "AND detail IS NULL"), 1);
	/* A reference to a case that does not exist is refused. */
	cr_expect_not(casedb_link_message(fx_db, 42, reply, "reply", &err));
	cr_expect(g_error_matches(err, CASE_ERROR, CASE_ERROR_FAILED));
	g_clear_error(&err);
}
