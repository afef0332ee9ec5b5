/*
 * test_e2e_batch.c: takedown batches through the built programs: `run
 * --once` leaves a batch that is not due and flushes one past its due
 * time (moved into the past in the database rather than waited for);
 * `reprocess` flushes every pending batch at the end, `--no-flush`
 * leaves them, `notify pending` lists them and `notify flush --all`
 * sends them.
 */
#include "config.h"

#include <criterion/criterion.h>
#include <glib.h>
#include <sqlite3.h>
#include <string.h>

#include "tests/helpers.h"
#include "tests/tools_e2e.h"

static void
setup(void)
{
	home = test_tmpdir();
	write_config("[notify]\nwindow = 1h\ndedup = 0\n");
	cr_assert_eq(ad("init", NULL, NULL, NULL), 0);
}

static void
teardown(void)
{
	test_rm_rf(home);
	g_free(home);
}

TestSuite(e2e_batch, .init = setup, .fini = teardown, .timeout = 60);

/* second_report - e2e-ssh.eml about another address of the same
 * network (same contact), as a file in home */
static char *
second_report(void)
{
	char *fx = test_data_path("e2e-ssh.eml"), *text, *out, **parts;
	char *path = g_build_filename(home, "second.eml", NULL);

	cr_assert(g_file_get_contents(fx, &text, NULL, NULL));
	parts = g_strsplit(text, "5.9.34.17", -1);
	out = g_strjoinv("5.9.34.18", parts);
	g_strfreev(parts);
	cr_assert(g_file_set_contents(path, out, -1, NULL));
	g_free(out);
	g_free(text);
	g_free(fx);
	return path;
}

/* make_due - moves every pending batch's due time into the past */
static void
make_due(void)
{
	char *path = g_build_filename(home, "abusedesk.db", NULL);
	sqlite3 *db = NULL;

	cr_assert_eq(sqlite3_open(path, &db), SQLITE_OK);
	sqlite3_busy_timeout(db, 5000);
	cr_assert_eq(sqlite3_exec(db, "UPDATE batches SET due_at = 1 WHERE "
	    "notification_id IS NULL", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	g_free(path);
}

Test(e2e_batch, run_once_flushes_only_a_due_batch)
{
	char *fx = test_data_path("e2e-ssh.eml"), *fx2 = second_report();
	char *out = NULL;

	cr_assert_eq(ad("deliver", fx, NULL, NULL), 0);
	cr_assert_eq(ad("deliver", fx2, NULL, NULL), 0);
	cr_assert_eq(ad("run --once", NULL, NULL, NULL), 0);
	cr_expect_eq(db_int("SELECT count(*) FROM cases"), 2);
	cr_expect_eq(count_dir("outbox/new"), 0, "the window is open");
	cr_expect_eq(db_int("SELECT count(*) FROM batches WHERE "
	    "notification_id IS NULL"), 1);

	cr_assert_eq(ad("notify pending", NULL, &out, NULL), 0);
	cr_expect(strstr(out, "hoster-de") != NULL &&
	    strstr(out, "brute-force") != NULL, "%s", out);
	g_free(out);

	make_due();
	cr_assert_eq(ad("run --once", NULL, NULL, NULL), 0);
	cr_expect_eq(count_dir("outbox/new"), 1);
	cr_expect_eq(count_dir("outbox/tmp"), 0);
	cr_expect_eq(db_int("SELECT count(*) FROM notifications"), 1);
	cr_expect_eq(db_int("SELECT count(*) FROM batches WHERE "
	    "notification_id IS NULL"), 0);
	g_free(fx2);
	g_free(fx);
}

Test(e2e_batch, reprocess_flushes_at_the_end)
{
	char *fx = test_data_path("e2e-ssh.eml"), *fx2 = second_report();
	char *args = g_strdup_printf("reprocess '%s' '%s'", fx, fx2);
	char *out = NULL;

	cr_assert_eq(ad(args, NULL, &out, NULL), 0);
	cr_expect(strstr(out, "flushed 1 batched takedown(s)") != NULL, "%s",
	    out);
	cr_expect_eq(count_dir("outbox/new"), 1);
	cr_expect_eq(db_int("SELECT count(*) FROM notification_findings"), 2);
	g_free(out);
	g_free(args);
	g_free(fx2);
	g_free(fx);
}

Test(e2e_batch, reprocess_no_flush_leaves_them_for_the_daemon)
{
	char *fx = test_data_path("e2e-ssh.eml"), *fx2 = second_report();
	char *args = g_strdup_printf("reprocess --no-flush '%s' '%s'", fx,
	    fx2);
	char *out = NULL;

	cr_assert_eq(ad(args, NULL, &out, NULL), 0);
	cr_expect(strstr(out, "flushed") == NULL, "%s", out);
	cr_expect_eq(count_dir("outbox/new"), 0);
	g_free(out);
	cr_assert_eq(ad("notify flush", NULL, &out, NULL), 0);
	cr_expect(strstr(out, "flushed 0") != NULL, "not due: %s", out);
	g_free(out);
	cr_assert_eq(ad("notify flush --all", NULL, &out, NULL), 0);
	cr_expect(strstr(out, "flushed 1") != NULL, "%s", out);
	cr_expect_eq(count_dir("outbox/new"), 1);
	g_free(out);
	g_free(args);
	g_free(fx2);
	g_free(fx);
}
