/*
 * test_case_fixture.h: a fresh case database per test, and small
 * builders for the messages, reports, routes and notifications the
 * case tests store.  The structs of rules/, route/ and notify/ are filled
 * by hand so these tests link only case/ and parse/.
 */
#ifndef ABUSEDESK_TEST_CASE_FIXTURE_H
#define ABUSEDESK_TEST_CASE_FIXTURE_H

#include <criterion/criterion.h>
#include <sqlite3.h>
#include <string.h>
#include <glib.h>

#include "case/case.h"
#include "case/case_int.h"
#include "tests/helpers.h"

static char *fx_dir;
static char *fx_path;
static struct casedb *fx_db;

static void
fx_setup(void)
{
	GError *err = NULL;

	fx_dir = test_tmpdir();
	fx_path = g_build_filename(fx_dir, "case.db", NULL);
	fx_db = casedb_open(fx_path, &err);
	cr_assert_not_null(fx_db, "open: %s", err != NULL ? err->message : "");
}

static void
fx_teardown(void)
{
	casedb_close(&fx_db);
	test_rm_rf(fx_dir);
	g_free(fx_path);
	g_free(fx_dir);
}

/* A message whose sha256 is derived from body. */
static G_GNUC_UNUSED gint64
fx_store_message(struct casedb *db, const char *body, const char *origin)
{
	struct case_message m = { 0 };
	GError *err = NULL;
	char *sha;
	gint64 id;

	sha = g_compute_checksum_for_string(G_CHECKSUM_SHA256, body, -1);
	m.sha256 = sha;
	m.raw = (const guint8 *)body;
	m.raw_len = strlen(body);
	m.origin = origin;
	m.env_sender = "fbl@reporter.example";
	m.env_recipient = "abuse@csirt.example";
	m.received_at = 1795851000;	/* 2026-11-28 07:30 UTC */
	id = casedb_store_message(db, &m, "parsed", &err);
	cr_assert_gt(id, 0, "store_message: %s",
	    err != NULL ? err->message : "");
	g_free(sha);
	return id;
}

/* One integer from a query with no parameters. */
static G_GNUC_UNUSED gint64
fx_int(struct casedb *db, const char *sql)
{
	sqlite3_stmt *st = NULL;
	gint64 v;

	cr_assert_eq(sqlite3_prepare_v2(db->db, sql, -1, &st, NULL),
	    SQLITE_OK, "%s: %s", sql, sqlite3_errmsg(db->db));
	cr_assert_eq(sqlite3_step(st), SQLITE_ROW, "%s: no row", sql);
	v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* One text value (g_free; NULL for SQL NULL). */
static G_GNUC_UNUSED char *
fx_text(struct casedb *db, const char *sql)
{
	sqlite3_stmt *st = NULL;
	char *v;

	cr_assert_eq(sqlite3_prepare_v2(db->db, sql, -1, &st, NULL),
	    SQLITE_OK, "%s: %s", sql, sqlite3_errmsg(db->db));
	cr_assert_eq(sqlite3_step(st), SQLITE_ROW, "%s: no row", sql);
	v = g_strdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return v;
}

/* A phishing report with two offender findings and one context URL. */
static G_GNUC_UNUSED struct report *
fx_report(void)
{
	struct report *r = report_new(0);
	struct finding *f;

	r->kind = REPORT_KIND_ABUSE;
	r->format = "arf";
	r->subject = "Phishing at 203.0.113.5";
	r->from = "fbl@reporter.example";
	r->reporter = "reporter.example";
	r->message_id = "abc@reporter.example";
	r->category = "phishing";
	report_add_finding(r, FINDING_IPV4, FINDING_ROLE_OFFENDER,
	    "203.0.113.5", "203[.]0.113.5", "1", 12, "arf:Source-IP");
	report_add_finding(r, FINDING_URL, FINDING_ROLE_OFFENDER,
	    "http://bad.example/login", "hxxp://bad[.]example/login", "1",
	    40, "R12");
	f = report_add_finding(r, FINDING_IPV4, FINDING_ROLE_CONTEXT,
	    "10.0.0.1", NULL, "0", 3, "R40");
	f->suppressed = TRUE;
	f->suppress_why = "private address";
	report_warn(r, "first warning");
	report_warn(r, "second warning");
	return r;
}

#endif
