/*
 * test_case_db.c: opening the case database: file modes, pragmas, schema
 * version and migration refusal, transactions, the busy second writer.
 */
#include "config.h"

#include <sys/stat.h>

#include "tests/test_case_fixture.h"

TestSuite(case_db, .init = fx_setup, .fini = fx_teardown, .timeout = 10);

static guint
file_mode(const char *path)
{
	struct stat sb;

	cr_assert_eq(stat(path, &sb), 0, "stat %s", path);
	return sb.st_mode & 07777;
}

Test(case_db, files_are_0600_whatever_the_umask)
{
	GError *err = NULL;
	char *dir = test_tmpdir();
	char *path = g_build_filename(dir, "loose.db", NULL);
	char *wal = g_strconcat(path, "-wal", NULL);
	char *shm = g_strconcat(path, "-shm", NULL);
	struct casedb *db;
	mode_t old = umask(0);

	db = casedb_open(path, &err);
	umask(old);
	cr_assert_not_null(db, "%s", err != NULL ? err->message : "");
	cr_assert(casedb_begin(db, &err));
	fx_store_message(db, "hello", "pipe");
	cr_assert(casedb_commit(db, &err));
	cr_expect_eq(file_mode(path), 0600);
	cr_expect_eq(file_mode(wal), 0600);
	cr_expect_eq(file_mode(shm), 0600);
	casedb_close(&db);
	cr_expect_null(db);
	test_rm_rf(dir);
	g_free(wal);
	g_free(shm);
	g_free(path);
	g_free(dir);
}

Test(case_db, connection_uses_wal_full_sync_and_foreign_keys)
{
	char *mode = fx_text(fx_db, "PRAGMA journal_mode");

	cr_expect_str_eq(mode, "wal");
	cr_expect_eq(fx_int(fx_db, "PRAGMA synchronous"), 2);	/* FULL */
	cr_expect_eq(fx_int(fx_db, "PRAGMA foreign_keys"), 1);
	g_free(mode);
}

Test(case_db, new_file_has_current_schema_version)
{
	cr_expect_eq(casedb_schema_version(fx_db), CASE_SCHEMA_VERSION);
	cr_expect_eq(fx_int(fx_db, "PRAGMA user_version"),
	    CASE_SCHEMA_VERSION);
	cr_expect_str_eq(casedb_path(fx_db), fx_path);
}

Test(case_db, schema_has_every_table)
{
	static const char *const tables[] = {
		"messages", "reports", "findings", "rule_hits", "cases",
		"case_messages", "routes", "notifications",
		"notification_findings", "events",
	};
	guint i;

	for (i = 0; i < G_N_ELEMENTS(tables); i++) {
		char *sql = g_strdup_printf("SELECT count(*) FROM sqlite_master"
		    " WHERE type = 'table' AND name = '%s'", tables[i]);

		cr_expect_eq(fx_int(fx_db, sql), 1, "table %s", tables[i]);
		g_free(sql);
	}
	cr_expect_eq(fx_int(fx_db, "SELECT count(*) FROM sqlite_master WHERE"
	    " type = 'index' AND name = 'findings_value'"), 1);
}

Test(case_db, reopening_keeps_data_and_version)
{
	GError *err = NULL;
	gint64 id = 0;

	cr_assert(casedb_begin(fx_db, &err));
	fx_store_message(fx_db, "kept", "pipe");
	cr_assert(casedb_commit(fx_db, &err));
	casedb_close(&fx_db);

	fx_db = casedb_open(fx_path, &err);
	cr_assert_not_null(fx_db, "%s", err != NULL ? err->message : "");
	cr_expect_eq(casedb_schema_version(fx_db), CASE_SCHEMA_VERSION);
	cr_expect_eq(fx_int(fx_db, "SELECT count(*) FROM messages"), 1);
	cr_expect_eq(casedb_lookup_message(fx_db,
	    "0000000000000000000000000000000000000000000000000000000000000000",
	    &id, &err), 0);
}

Test(case_db, newer_schema_is_refused_as_permanent)
{
	GError *err = NULL;
	sqlite3 *raw = NULL;
	struct casedb *db;

	casedb_close(&fx_db);
	cr_assert_eq(sqlite3_open(fx_path, &raw), SQLITE_OK);
	cr_assert_eq(sqlite3_exec(raw, "PRAGMA user_version = 99", NULL,
	    NULL, NULL), SQLITE_OK);
	sqlite3_close(raw);

	db = casedb_open(fx_path, &err);
	cr_expect_null(db);
	cr_assert_not_null(err);
	cr_expect(g_error_matches(err, CASE_ERROR, CASE_ERROR_SCHEMA));
	cr_expect(strstr(err->message, fx_path) != NULL, "%s", err->message);
	cr_expect(strstr(err->message, "99") != NULL, "%s", err->message);
	g_error_free(err);
}

Test(case_db, missing_directory_is_an_io_error)
{
	GError *err = NULL;
	char *path = g_build_filename(fx_dir, "no", "such", "case.db", NULL);

	cr_expect_null(casedb_open(path, &err));
	cr_assert_not_null(err);
	cr_expect(g_error_matches(err, CASE_ERROR, CASE_ERROR_IO));
	cr_expect(strstr(err->message, path) != NULL, "%s", err->message);
	g_error_free(err);
	g_free(path);
}

Test(case_db, second_writer_gets_busy_until_the_first_commits)
{
	GError *err = NULL;
	struct casedb *other;

	other = casedb_open(fx_path, &err);
	cr_assert_not_null(other, "%s", err != NULL ? err->message : "");
	casedb_set_busy_timeout(other, 50);
	cr_assert(casedb_begin(fx_db, &err));
	fx_store_message(fx_db, "first writer", "pipe");

	cr_expect_not(casedb_begin(other, &err));
	cr_assert_not_null(err);
	cr_expect(g_error_matches(err, CASE_ERROR, CASE_ERROR_BUSY),
	    "%s", err->message);
	cr_expect(strstr(err->message, "starting a transaction") != NULL,
	    "%s", err->message);
	g_clear_error(&err);

	cr_assert(casedb_commit(fx_db, &err));
	cr_expect(casedb_begin(other, &err));
	cr_expect_eq(fx_int(other, "SELECT count(*) FROM messages"), 1);
	casedb_rollback(other);
	casedb_close(&other);
}

Test(case_db, rollback_leaves_nothing)
{
	GError *err = NULL;
	struct case_totals t;
	gint64 msg, id = 0;
	char *tag = NULL;
	struct report *r = fx_report();

	cr_assert(casedb_begin(fx_db, &err));
	msg = fx_store_message(fx_db, "rolled back", "pipe");
	cr_assert_gt(casedb_store_report(fx_db, msg, r, NULL, &err), 0);
	cr_assert_gt(casedb_open_case(fx_db, msg, "spam", &tag, &err), 0);
	casedb_rollback(fx_db);

	cr_assert(casedb_totals(fx_db, &t, &err));
	cr_expect_eq(t.messages, 0);
	cr_expect_eq(t.reports, 0);
	cr_expect_eq(t.findings, 0);
	cr_expect_eq(t.cases, 0);
	cr_expect_eq(fx_int(fx_db, "SELECT count(*) FROM events"), 0);
	cr_expect_eq(case_finding_id(fx_db,
	    g_ptr_array_index(r->findings, 0)), 0);
	cr_expect_eq(casedb_lookup_message(fx_db, "x", &id, &err), 0);

	/* The next transaction starts afresh and reuses the tag. */
	g_free(tag);
	cr_assert(casedb_begin(fx_db, &err));
	msg = fx_store_message(fx_db, "rolled back", "pipe");
	cr_assert_gt(casedb_open_case(fx_db, msg, "spam", &tag, &err), 0);
	cr_assert(casedb_commit(fx_db, &err));
	cr_expect_str_eq(tag, "CASE-000001");
	g_free(tag);
	report_free(&r);
}
