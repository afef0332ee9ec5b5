/*
 * test_e2e_batch.c: takedown batches through the built programs: `run
 * --once` leaves a batch that is not due and flushes one past its due
 * time (moved into the past in the database rather than waited for);
 * `reprocess` flushes every pending batch at the end, `--no-flush`
 * leaves them, `notify pending` lists them and `notify flush --all`
 * sends them.  A temporary failure makes `run --once` stop and the
 * daemon wait for the next rescan, not retry in a loop.
 */
#include "config.h"

#include <criterion/criterion.h>
#include <glib.h>
#include <glib/gstdio.h>
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

/* run_within - `run [--once]` killed after secs: its exit status, 124
 * when it had to be killed; *err_r its stderr */
static int
run_within(const char *secs, gboolean once, char **err_r)
{
	char *bin = test_build_path("abusedesk");
	char *argv[] = { (char *)"timeout", (char *)secs, bin,
	    (char *)"--home", home, (char *)"run",
	    once ? (char *)"--once" : NULL, NULL };
	int status = -1;
	GError *gerr = NULL;

	cr_assert(g_spawn_sync(NULL, argv, NULL, G_SPAWN_SEARCH_PATH |
	    G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL, err_r, &status,
	    &gerr), "spawn: %s", gerr != NULL ? gerr->message : "?");
	g_free(bin);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 +
	    WTERMSIG(status);
}

/* count_of - occurrences of what in s */
static guint
count_of(const char *s, const char *what)
{
	guint n = 0;

	for (; (s = strstr(s, what)) != NULL; s++)
		n++;
	return n;
}

Test(e2e_batch, temporary_failure_is_not_retried_in_a_busy_loop)
{
	char *fx = test_data_path("e2e-ssh.eml");
	char *tmp = g_build_filename(home, "outbox", "tmp", NULL);
	char *err = NULL;

	write_config("");	/* window 0: the takedown is rendered at once */
	cr_assert_eq(ad("deliver", fx, NULL, NULL), 0);
	/* rendering into outbox/tmp fails: a temporary failure, the
	 * message goes back to spool/new for the next rescan */
	cr_assert_eq(g_rmdir(tmp), 0);
	cr_expect_neq(run_within("10", TRUE, &err), 124, "run --once "
	    "retried the message without end");
	cr_expect_eq(count_of(err, "temporary failure"), 1, "%.300s", err);
	g_free(err);
	cr_expect_eq(count_dir("spool/new"), 1);
	cr_expect_eq(db_int("SELECT count(*) FROM messages"), 0);

	/* the daemon tries again once per rescan (1 s here), not on the
	 * inotify event of its own move back into spool/new */
	cr_expect_eq(run_within("3", FALSE, &err), 124);
	cr_expect_leq(count_of(err, "temporary failure"), 5, "%u retries "
	    "in 3 s", count_of(err, "temporary failure"));
	g_free(err);
	g_free(tmp);
	g_free(fx);
}

Test(e2e_batch, failed_flush_waits_for_the_rescan)
{
	char *fx = test_data_path("e2e-ssh.eml");
	char *tmp = g_build_filename(home, "outbox", "tmp", NULL);
	char *err = NULL;

	write_config("[notify]\nwindow = 1h\ndedup = 0\n[run]\nrescan = 30\n");
	cr_assert_eq(ad("deliver", fx, NULL, NULL), 0);
	cr_assert_eq(ad("run --once", NULL, NULL, NULL), 0);
	cr_assert_eq(db_int("SELECT count(*) FROM batches WHERE "
	    "notification_id IS NULL"), 1);
	make_due();
	/* the outbox cannot be written: every flush fails */
	cr_assert_eq(g_rmdir(tmp), 0);
	cr_expect_eq(run_within("4", FALSE, &err), 124);
	cr_expect_eq(count_of(err, "flushing takedown batches"), 1,
	    "one try per rescan (30 s), not one a second: %.600s", err);
	g_free(err);
	cr_assert_eq(g_mkdir(tmp, 0700), 0);
	cr_assert_eq(ad("run --once", NULL, NULL, NULL), 0);
	cr_expect_eq(count_dir("outbox/new"), 1, "sent once it can be");
	g_free(tmp);
	g_free(fx);
}

/* resent - e2e-ssh.eml again with other bytes (a second report about
 * the same address), as a file in home */
static char *
resent(void)
{
	char *fx = test_data_path("e2e-ssh.eml"), *text, *out;
	char *path = g_build_filename(home, "resent.eml", NULL);

	cr_assert(g_file_get_contents(fx, &text, NULL, NULL));
	out = g_strconcat(text, "\nStill going on this morning.\n", NULL);
	cr_assert(g_file_set_contents(path, out, -1, NULL));
	g_free(out);
	g_free(text);
	g_free(fx);
	return path;
}

Test(e2e_batch, case_show_tells_pending_sent_and_duplicate)
{
	char *fx = test_data_path("e2e-ssh.eml"), *again = resent();
	char *out = NULL, *args;

	write_config("[notify]\nwindow = 1h\ndedup = 7d\n");
	cr_assert_eq(ad("deliver", fx, NULL, NULL), 0);
	cr_assert_eq(ad("run --once", NULL, NULL, NULL), 0);
	cr_assert_eq(ad("case show 1", NULL, &out, NULL), 0);
	cr_expect(strstr(out, "takedowns:\n  5.9.34.17 -> hoster-de "
	    "<abuse@hoster-de.example>  batch 1: pending until ") != NULL,
	    "%s", out);
	g_free(out);

	cr_assert_eq(ad("notify flush --all", NULL, NULL, NULL), 0);
	cr_assert_eq(ad("case show CASE-000001", NULL, &out, NULL), 0);
	cr_expect(strstr(out, "  5.9.34.17 -> hoster-de "
	    "<abuse@hoster-de.example>  batch 1: sent ") != NULL, "%s", out);
	g_free(out);

	args = g_strdup_printf("reprocess --no-flush '%s'", again);
	cr_assert_eq(ad(args, NULL, NULL, NULL), 0);
	cr_assert_eq(ad("case show 2", NULL, &out, NULL), 0);
	cr_expect(strstr(out, "  5.9.34.17 -> hoster-de "
	    "<abuse@hoster-de.example>  duplicate of batch 1: sent ") != NULL,
	    "%s", out);
	g_free(out);
	cr_expect_eq(count_dir("outbox/new"), 1, "not sent twice");
	g_free(args);
	g_free(again);
	g_free(fx);
}
