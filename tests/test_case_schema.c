/*
 * test_case_schema.c: schema version 2 of the case database: a version 1
 * file (written with the version 1 DDL, as the old program left it) is
 * migrated with its rows intact, and the fields of version 2 (taxonomy,
 * event time, TLP, partner tickets; a finding's port, time, attributes)
 * are stored and read back exactly, and shown by `case show`.
 */
#include "config.h"

#include "tests/test_case_fixture.h"

TestSuite(case_schema, .init = fx_setup, .fini = fx_teardown,
    .timeout = 10);

static void
raw_exec(sqlite3 *db, const char *sql)
{
	cr_assert_eq(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK,
	    "%.60s: %s", sql, sqlite3_errmsg(db));
}

/* A version 1 file with one message, report, two findings, a rule hit,
 * a case and an event, as the version 1 program wrote them. */
static char *
make_v1_file(void)
{
	char *path = g_build_filename(fx_dir, "v1.db", NULL);
	sqlite3 *db = NULL;

	cr_assert_eq(sqlite3_open(path, &db), SQLITE_OK);
	raw_exec(db, "BEGIN");
	raw_exec(db, case_schema_ddl(0));
	raw_exec(db, "PRAGMA user_version = 1");
	raw_exec(db, "INSERT INTO messages (id, sha256, raw, size, origin,"
	    " received_at, status, first_seen, last_seen, kind, format,"
	    " subject) VALUES (1, 'aa11', x'46726f6d3a20780a', 8, 'pipe',"
	    " 1795851000, 'parsed', 1795851000, 1795851000, 'abuse', 'arf',"
	    " 'old report');"
	    "INSERT INTO reports (id, message_id, kind, format, subject,"
	    " category, rules_version, rule_errors, warnings, created_at)"
	    " VALUES (1, 1, 'abuse', 'arf', 'old report', 'spam', 'r1', 2,"
	    " 'w1\nw2', 1795851000);"
	    "INSERT INTO findings (id, report_id, kind, value, raw, role, part,"
	    " \"offset\", source, suppressed, suppress_why) VALUES"
	    " (1, 1, 'ipv4', '203.0.113.9', '203[.]0.113.9', 'offender', '1',"
	    " 77, 'arf:Source-IP', 0, NULL),"
	    " (2, 1, 'ipv4', '10.1.2.3', NULL, 'context', '0', 5, 'R40', 1,"
	    " 'private address');"
	    "INSERT INTO rule_hits (report_id, rule_id, part, \"offset\","
	    " count) VALUES (1, 'R40', '0', 5, 3);"
	    "INSERT INTO cases (id, tag, category, opened_at, message_id)"
	    " VALUES (1, 'CASE-000001', 'spam', 1795851000, 1);"
	    "INSERT INTO events (at, message_id, case_id, kind, detail)"
	    " VALUES (1795851000, 1, 1, 'case-opened', 'CASE-000001');");
	raw_exec(db, "COMMIT");
	sqlite3_close(db);
	return path;
}

Test(case_schema, version_1_file_is_migrated_with_rows_intact)
{
	GError *err = NULL;
	struct casedb *db;
	char *path = make_v1_file(), *s;

	db = casedb_open(path, &err);
	cr_assert_not_null(db, "%s", err != NULL ? err->message : "");
	/* Through version 2 to whatever is current. */
	cr_expect_eq(casedb_schema_version(db), CASE_SCHEMA_VERSION);
	cr_expect_eq(fx_int(db, "PRAGMA user_version"), CASE_SCHEMA_VERSION);

	cr_expect_eq(fx_int(db, "SELECT count(*) FROM messages"), 1);
	cr_expect_eq(fx_int(db, "SELECT count(*) FROM reports"), 1);
	cr_expect_eq(fx_int(db, "SELECT count(*) FROM findings"), 2);
	cr_expect_eq(fx_int(db, "SELECT count(*) FROM rule_hits"), 1);
	cr_expect_eq(fx_int(db, "SELECT count(*) FROM events"), 1);
	s = fx_text(db, "SELECT group_concat(kind || '|' || value || '|' ||"
	    " ifnull(raw, '-') || '|' || role || '|' || part || '|' ||"
	    " \"offset\" || '|' || source || '|' || suppressed || '|' ||"
	    " ifnull(suppress_why, '-'), ';') FROM (SELECT * FROM findings"
	    " ORDER BY id)");
	cr_expect_str_eq(s, "ipv4|203.0.113.9|203[.]0.113.9|offender|1|77|"
	    "arf:Source-IP|0|-;ipv4|10.1.2.3|-|context|0|5|R40|1|"
	    "private address");
	g_free(s);
	s = fx_text(db, "SELECT kind || '|' || format || '|' || subject ||"
	    " '|' || category || '|' || rules_version || '|' || rule_errors"
	    " || '|' || warnings FROM reports");
	cr_expect_str_eq(s, "abuse|arf|old report|spam|r1|2|w1\nw2");
	g_free(s);
	s = fx_text(db, "SELECT hex(raw) || '|' || origin FROM messages");
	cr_expect_str_eq(s, "46726F6D3A20780A|pipe");
	g_free(s);

	/* The new columns exist and read NULL for the old rows. */
	cr_expect_eq(fx_int(db, "SELECT count(*) FROM reports WHERE"
	    " taxonomy IS NULL AND event_time IS NULL AND tlp IS NULL"), 1);
	cr_expect_eq(fx_int(db, "SELECT count(*) FROM findings WHERE"
	    " port IS NULL AND observed_at IS NULL AND attrs IS NULL"), 2);
	cr_expect_eq(fx_int(db, "SELECT count(*) FROM report_tickets"), 0);
	cr_expect_eq(fx_int(db, "SELECT count(*) FROM"
	    " pragma_foreign_key_check"), 0);

	/* And the old case still shows, without the new lines. */
	{
		GString *out = g_string_new(NULL);

		cr_assert(casedb_show_case(db, "1", out, &err), "%s",
		    err != NULL ? err->message : "");
		cr_expect(g_str_has_prefix(out->str, "CASE-000001  open  spam"
		    "  opened 2026-11-28 07:30 UTC\nmessages:\n"), "%s",
		    out->str);
		cr_expect(strstr(out->str, "  ipv4  offender  203.0.113.9  "
		    "arf:Source-IP\n") != NULL, "%s", out->str);
		g_string_free(out, TRUE);
	}
	casedb_close(&db);

	/* Opening again is a no-op. */
	db = casedb_open(path, &err);
	cr_assert_not_null(db);
	cr_expect_eq(casedb_schema_version(db), CASE_SCHEMA_VERSION);
	cr_expect_eq(fx_int(db, "SELECT count(*) FROM findings"), 2);
	casedb_close(&db);
	g_free(path);
}

/* A report carrying every field of version 2. */
static struct report *
v2_report(void)
{
	struct report *r = fx_report();
	struct finding *f;

	r->taxonomy = "information-gathering";
	r->event_time = "2026-11-28T07:29:59Z";
	r->tlp = "AMBER+STRICT";
	report_add_ticket(r, "JPCERT#12345678");
	report_add_ticket(r, "CERT-Bund#1");
	report_add_ticket(r, "JPCERT#12345678");
	f = g_ptr_array_index(r->findings, 0);
	f->port = 22;
	f->observed_at = "2026-11-28T07:29:58Z";
	f->attrs = "asn=64500 geo=DE \xc3\xa9t\xc3\xa9";
	f = g_ptr_array_index(r->findings, 1);
	f->port = 65535;
	return r;
}

Test(case_schema, version_2_fields_round_trip_exactly)
{
	GError *err = NULL;
	struct report *r = v2_report();
	gint64 m, rid;
	char *s;

	cr_assert(casedb_begin(fx_db, &err));
	m = fx_store_message(fx_db, "v2", "pipe");
	rid = casedb_store_report(fx_db, m, r, NULL, &err);
	cr_assert_gt(rid, 0, "%s", err != NULL ? err->message : "");
	cr_assert(casedb_commit(fx_db, &err));

	s = fx_text(fx_db, "SELECT taxonomy || '|' || event_time || '|' ||"
	    " tlp FROM reports");
	cr_expect_str_eq(s, "information-gathering|2026-11-28T07:29:59Z|"
	    "AMBER+STRICT");
	g_free(s);
	s = fx_text(fx_db, "SELECT group_concat(ticket, ' ') FROM (SELECT"
	    " ticket FROM report_tickets ORDER BY ticket)");
	cr_expect_str_eq(s, "CERT-Bund#1 JPCERT#12345678");
	g_free(s);
	cr_expect_eq(fx_int(fx_db, "SELECT count(DISTINCT report_id) FROM"
	    " report_tickets"), 1);
	s = fx_text(fx_db, "SELECT group_concat(ifnull(port, '-') || '|' ||"
	    " ifnull(observed_at, '-') || '|' || ifnull(attrs, '-'), ';')"
	    " FROM (SELECT * FROM findings ORDER BY id)");
	cr_expect_str_eq(s, "22|2026-11-28T07:29:58Z|asn=64500 geo=DE "
	    "\xc3\xa9t\xc3\xa9;65535|-|-;-|-|-");
	g_free(s);
	cr_expect_eq(fx_int(fx_db, "SELECT typeof(port) = 'integer' FROM"
	    " findings WHERE id = 1"), 1);
	report_free(&r);
}

Test(case_schema, report_without_version_2_fields_stores_nulls)
{
	GError *err = NULL;
	struct report *r = fx_report();
	gint64 m;

	cr_assert(casedb_begin(fx_db, &err));
	m = fx_store_message(fx_db, "plain", "pipe");
	cr_assert_gt(casedb_store_report(fx_db, m, r, NULL, &err), 0);
	cr_assert(casedb_commit(fx_db, &err));
	cr_expect_eq(fx_int(fx_db, "SELECT count(*) FROM reports WHERE"
	    " taxonomy IS NULL AND event_time IS NULL AND tlp IS NULL"), 1);
	cr_expect_eq(fx_int(fx_db, "SELECT count(*) FROM findings WHERE"
	    " port IS NULL AND observed_at IS NULL AND attrs IS NULL"), 3);
	cr_expect_eq(fx_int(fx_db, "SELECT count(*) FROM report_tickets"), 0);
	report_free(&r);
}

Test(case_schema, show_case_has_tlp_tickets_port_and_time)
{
	GError *err = NULL;
	GString *out = g_string_new(NULL);
	struct report *r = v2_report();
	gint64 m, c;

	cr_assert(casedb_begin(fx_db, &err));
	m = fx_store_message(fx_db, "shown", "pipe");
	cr_assert_gt(casedb_store_report(fx_db, m, r, NULL, &err), 0);
	c = casedb_open_case(fx_db, m, "scanner", NULL, &err);
	cr_assert_gt(c, 0, "%s", err != NULL ? err->message : "");
	cr_assert(casedb_commit(fx_db, &err));
	cr_assert_eq(sqlite3_exec(fx_db->db, "UPDATE cases SET opened_at ="
	    " 1795851000", NULL, NULL, NULL), SQLITE_OK);

	cr_assert(casedb_show_case(fx_db, "CASE-000001", out, &err), "%s",
	    err != NULL ? err->message : "");
	cr_expect(g_str_has_prefix(out->str, "CASE-000001  open  scanner  "
	    "opened 2026-11-28 07:30 UTC  TLP:AMBER+STRICT\n"
	    "  taxonomy information-gathering  event 2026-11-28T07:29:59Z\n"
	    "  tickets CERT-Bund#1 JPCERT#12345678\n"
	    "messages:\n"), "%s", out->str);
	cr_expect(strstr(out->str, "findings:\n"
	    "  ipv4  offender  203.0.113.5  arf:Source-IP  port 22  "
	    "at 2026-11-28T07:29:58Z\n"
	    "  url  offender  http://bad.example/login  R12  port 65535\n"
	    "  ipv4  context  10.0.0.1  R40  suppressed: private address\n")
	    != NULL, "%s", out->str);
	g_string_free(out, TRUE);
	report_free(&r);
}
