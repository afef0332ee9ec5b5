/*
 * test_pipeline_batch.c: aggregation windows and dedup of takedowns
 * (ingest/pipeline_batch.c, case/case_batch.c, notify/notify_batch.c)
 * through pipeline_process() and pipeline_flush() with fixed clocks:
 * two reports in one window become one request after the flush, a
 * category with window 0 goes at once, a finding sent before is linked
 * and sent again after the dedup interval, a flushed file left in
 * outbox/tmp by a crash is published by recovery, bad per-category
 * entries are config errors, a failed batch neither sets the daemon's
 * wake-up nor collects new findings, a batch lists at most
 * LIMIT_NOTIFY_FINDINGS findings.
 */
#include "config.h"

#include <criterion/criterion.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>
#include <time.h>
#include <utime.h>

#include "tests/helpers.h"
#include "tests/tools_e2e.h"
#include "ingest/ingest_int.h"
#include "ingest/ingest.h"
#include "parse/limits.h"

#define T0	((gint64)1800000000)	/* the fixed clock */

static void
setup(void)
{
	const char *subs[] = { "outbox/tmp", "outbox/new", "outbox/cur" };
	guint i;

	home = test_tmpdir();
	for (i = 0; i < G_N_ELEMENTS(subs); i++) {
		char *d = g_build_filename(home, subs[i], NULL);

		cr_assert_eq(g_mkdir_with_parents(d, 0700), 0);
		g_free(d);
	}
}

static void
teardown(void)
{
	test_rm_rf(home);
	g_free(home);
}

TestSuite(pipeline_batch, .init = setup, .fini = teardown, .timeout = 30);

/* open_with - a pipeline on the shipped data (tools_e2e.h's config)
 * with [notify] extra */
static struct pipeline *
open_with(const char *notify, GError **error)
{
	char *conf = g_build_filename(home, "abusedesk.conf", NULL);
	struct config *cfg;
	struct pipeline *p = NULL;

	write_config(notify);
	cfg = config_load(home, conf, error);
	if (cfg != NULL)
		p = pipeline_open(cfg, error);
	config_free(&cfg);
	g_free(conf);
	return p;
}

static struct pipeline *
open_ok(const char *notify)
{
	GError *err = NULL;
	struct pipeline *p = open_with(notify, &err);

	cr_assert_not_null(p, "%s", err != NULL ? err->message : "?");
	return p;
}

/* brute - an SSH brute-force report about ip (category brute-force,
 * routed to hoster-de for 5.9.0.0/16); n makes the bytes unique */
static char *
brute(const char *ip, int n)
{
	return g_strdup_printf("From: NOC Uni Example "
	    "<noc@uni-example.ac.example>\nTo: abuse@csirt.example\n"
	    "Subject: SSH brute force from %1$s\n"
	    "Date: Fri, 27 Nov 2026 21:12:38 +0000\n"
	    "Message-ID: <brute%2$d@uni-example.ac.example>\n"
	    "MIME-Version: 1.0\nContent-Type: text/plain\n\n"
	    "our server has been under an SSH password-guessing attack "
	    "from\n%1$s since yesterday evening.\n\n"
	    "Nov 27 20:58:01 gw sshd[20411]: Failed password for root "
	    "from %1$s port 50122 ssh2\n", ip, n);
}

/* scan - a port scan report about ip (category scanner) */
static char *
scan(const char *ip, int n)
{
	return g_strdup_printf("From: NOC Uni Example "
	    "<noc@uni-example.ac.example>\nTo: abuse@csirt.example\n"
	    "Subject: Port scan from %1$s\n"
	    "Message-ID: <scan%2$d@uni-example.ac.example>\n"
	    "MIME-Version: 1.0\nContent-Type: text/plain\n\n"
	    "we see port scans from %1$s against our network.\n", ip, n);
}

/* process - one message at time now; frees msg */
static void
process(struct pipeline *p, char *msg, gint64 now,
    struct pipeline_outcome *o)
{
	struct pipeline_input in;
	GError *err = NULL;

	memset(&in, 0, sizeof(in));
	in.raw = (const guint8 *)msg;
	in.len = strlen(msg);
	in.origin = "test";
	in.now = now;
	cr_assert(pipeline_process(p, &in, FALSE, o, &err), "%s",
	    err != NULL ? err->message : "?");
	cr_assert_not_null(o->case_tag, "%s", o->summary);
	g_free(msg);
}

static guint
count_in(const char *sub)
{
	GPtrArray *names = spool_list(home, sub);
	guint n = names->len;

	g_ptr_array_unref(names);
	return n;
}

/* only_mail - the text of the one file in outbox/<sub> (g_free) */
static char *
only_mail(const char *sub)
{
	char *dir = g_build_filename(home, "outbox", NULL);
	GPtrArray *names = spool_list(dir, sub);
	char *path, *text = NULL;

	cr_assert_eq(names->len, 1, "outbox/%s has %u files", sub,
	    names->len);
	path = g_build_filename(dir, sub, g_ptr_array_index(names, 0),
	    NULL);
	cr_assert(g_file_get_contents(path, &text, NULL, NULL));
	g_free(path);
	g_ptr_array_unref(names);
	g_free(dir);
	return text;
}

static gint
flush(struct pipeline *p, gint64 now, gboolean all)
{
	GError *err = NULL;
	gint n = pipeline_flush(p, now, all, &err);

	cr_assert_geq(n, 0, "%s", err != NULL ? err->message : "?");
	return n;
}

Test(pipeline_batch, two_reports_in_a_window_become_one_takedown)
{
	struct pipeline *p = open_ok("window = 1h\ndedup = 0\n");
	struct pipeline_outcome o;
	gint64 due;
	char *mail;

	process(p, brute("5.9.34.17", 1), T0, &o);
	cr_expect_eq(o.batched, 1);
	cr_expect_eq(o.notifications, 0);
	cr_expect(strstr(o.summary, "batched=1") != NULL, "%s", o.summary);
	pipeline_outcome_clear(&o);
	process(p, brute("5.9.34.18", 2), T0 + 600, &o);
	pipeline_outcome_clear(&o);

	cr_expect_eq(count_in("outbox/new") + count_in("outbox/tmp"), 0);
	cr_assert_eq(pipeline_next_due(p, &due, NULL), 1);
	cr_expect_eq(due, T0 + 3600, "the window opens with the first");
	cr_expect_eq(flush(p, T0 + 3599, FALSE), 0, "not due yet");
	cr_expect_eq(count_in("outbox/new"), 0);
	cr_expect_eq(flush(p, T0 + 3600, FALSE), 1);

	mail = only_mail("new");
	cr_expect(strstr(mail, "5[.]9[.]34[.]17") != NULL, "%s", mail);
	cr_expect(strstr(mail, "5[.]9[.]34[.]18") != NULL, "%s", mail);
	cr_expect(strstr(mail, "Case CASE-000001:") != NULL, "%s", mail);
	cr_expect(strstr(mail, "Case CASE-000002:") != NULL, "%s", mail);
	cr_expect(strstr(mail, "To: abuse@hoster-de.example") != NULL);
	cr_expect(strstr(mail, "[CASE-000001]") != NULL);
	g_free(mail);
	cr_expect_eq(db_int("SELECT count(*) FROM notifications"), 1);
	cr_expect_eq(db_int("SELECT case_id FROM notifications"), 1);
	cr_expect_eq(db_int("SELECT count(*) FROM notification_findings"), 2);
	cr_expect_eq(db_int("SELECT count(DISTINCT case_id) FROM events "
	    "WHERE kind = 'takedown-batched'"), 2);
	cr_expect_eq(pipeline_next_due(p, &due, NULL), 0, "none pending");
	cr_expect_eq(flush(p, T0 + 7200, TRUE), 0, "sent only once");
	pipeline_close(&p);
}

Test(pipeline_batch, category_with_window_zero_goes_at_once)
{
	struct pipeline *p = open_ok("window = 1h\nwindows = scanner=0, "
	    "phishing=10m\ndedup = 0\n");
	struct pipeline_outcome o;
	gint64 due;
	char *mail;

	process(p, brute("5.9.34.17", 1), T0, &o);
	cr_expect_eq(o.notifications, 0);
	pipeline_outcome_clear(&o);
	process(p, scan("5.9.34.20", 1), T0, &o);
	cr_expect_eq(o.notifications, 1, "%s", o.summary);
	cr_expect_eq(o.batched, 0);
	pipeline_outcome_clear(&o);
	mail = only_mail("new");
	cr_expect(strstr(mail, "5[.]9[.]34[.]20") != NULL);
	cr_expect(strstr(mail, "5[.]9[.]34[.]17") == NULL);
	g_free(mail);
	cr_assert_eq(pipeline_next_due(p, &due, NULL), 1);
	cr_expect_eq(due, T0 + 3600);
	pipeline_close(&p);
}

Test(pipeline_batch, finding_sent_before_is_linked_until_the_interval_ends)
{
	struct pipeline *p = open_ok("window = 0\ndedup = 1d\n");
	struct pipeline_outcome o;

	process(p, brute("5.9.34.17", 1), T0, &o);
	cr_expect_eq(o.notifications, 1);
	pipeline_outcome_clear(&o);

	process(p, brute("5.9.34.17", 2), T0 + 3600, &o);
	cr_expect_eq(o.notifications, 0, "%s", o.summary);
	cr_expect_eq(o.deduplicated, 1);
	cr_expect(strstr(o.summary, "deduplicated=1") != NULL);
	pipeline_outcome_clear(&o);
	cr_expect_eq(count_in("outbox/new"), 1);
	cr_expect_eq(db_int("SELECT count(*) FROM finding_links l JOIN "
	    "batches b ON b.id = l.batch_id WHERE l.case_id = 2 AND "
	    "b.notification_id = 1 AND l.kind = 'duplicate'"), 1);
	cr_expect_eq(db_int("SELECT count(*) FROM events WHERE case_id = 2 "
	    "AND kind = 'duplicate'"), 1);

	/* another IP of the same contact is not a duplicate */
	process(p, brute("5.9.34.18", 3), T0 + 3600, &o);
	cr_expect_eq(o.notifications, 1);
	pipeline_outcome_clear(&o);

	process(p, brute("5.9.34.17", 4), T0 + 86400 + 1, &o);
	cr_expect_eq(o.notifications, 1, "after the interval: %s",
	    o.summary);
	cr_expect_eq(o.deduplicated, 0);
	pipeline_outcome_clear(&o);
	cr_expect_eq(count_in("outbox/new"), 3);
	pipeline_close(&p);
}

Test(pipeline_batch, finding_waiting_in_a_batch_is_not_batched_twice)
{
	struct pipeline *p = open_ok("window = 1h\ndedup = 7d\n");
	struct pipeline_outcome o;

	process(p, brute("5.9.34.17", 1), T0, &o);
	pipeline_outcome_clear(&o);
	process(p, brute("5.9.34.17", 2), T0 + 60, &o);
	cr_expect_eq(o.deduplicated, 1);
	cr_expect_eq(o.batched, 0);
	pipeline_outcome_clear(&o);
	cr_expect_eq(flush(p, T0 + 3600, FALSE), 1);
	cr_expect_eq(db_int("SELECT count(*) FROM notification_findings"), 1);
	pipeline_close(&p);
}

Test(pipeline_batch, flushed_file_left_in_tmp_is_published_by_recovery)
{
	struct pipeline *p = open_ok("window = 1h\ndedup = 0\n");
	struct pipeline_outcome o;
	char *dir = g_build_filename(home, "outbox", NULL);
	GPtrArray *names;
	char *from, *to, *stray;

	process(p, brute("5.9.34.17", 1), T0, &o);
	pipeline_outcome_clear(&o);
	cr_assert_eq(flush(p, T0 + 3600, FALSE), 1);
	/* the state a crash between COMMIT and publish leaves: the file
	 * is still in tmp/, the database knows it; beside it a stray file
	 * rendered by a transaction that never committed */
	names = spool_list(dir, "new");
	cr_assert_eq(names->len, 1);
	from = g_build_filename(dir, "new", names->pdata[0], NULL);
	to = g_build_filename(dir, "tmp", names->pdata[0], NULL);
	cr_assert_eq(g_rename(from, to), 0);
	stray = g_build_filename(dir, "tmp", "1.stray.host", NULL);
	cr_assert(g_file_set_contents(stray, "x", -1, NULL));

	cr_expect_eq(pipeline_recover_outbox(p, NULL), 1);
	cr_expect(g_file_test(from, G_FILE_TEST_EXISTS));
	cr_expect_not(g_file_test(to, G_FILE_TEST_EXISTS));
	/* young: maybe another process's, about to commit */
	cr_expect(g_file_test(stray, G_FILE_TEST_EXISTS));
	{
		struct utimbuf old = { time(NULL) - 601, time(NULL) - 601 };

		cr_assert_eq(utime(stray, &old), 0);
	}
	cr_expect_eq(pipeline_recover_outbox(p, NULL), 0);
	cr_expect_not(g_file_test(stray, G_FILE_TEST_EXISTS));
	g_free(stray);
	g_free(from);
	g_free(to);
	g_ptr_array_unref(names);
	g_free(dir);
	pipeline_close(&p);
}

Test(pipeline_batch, bad_category_entry_is_a_config_error)
{
	GError *err = NULL;
	struct pipeline *p = open_with("windows = phishing=10m, spam\n",
	    &err);

	cr_assert_null(p);
	cr_assert_not_null(err);
	cr_expect(g_error_matches(err, INGEST_ERROR, INGEST_ERROR_CONFIG));
	cr_expect(strstr(err->message, "windows") != NULL, "%s",
	    err->message);
	cr_expect(strstr(err->message, "\"spam\"") != NULL, "%s",
	    err->message);
	g_clear_error(&err);
	p = open_with("dedups = spam=soon\n", &err);
	cr_assert_null(p);
	cr_expect(strstr(err->message, "dedups") != NULL &&
	    strstr(err->message, "spam=soon") != NULL, "%s", err->message);
	g_clear_error(&err);
}

static void
db_exec(const char *sql)
{
	char *path = g_build_filename(home, "abusedesk.db", NULL);
	sqlite3 *db = NULL;

	cr_assert_eq(sqlite3_open(path, &db), SQLITE_OK);
	cr_assert_eq(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK,
	    "%s: %s", sql, sqlite3_errmsg(db));
	sqlite3_close(db);
	g_free(path);
}

Test(pipeline_batch, batched_takedown_keeps_the_contacts_format)
{
	struct pipeline *p = open_ok("window = 1h\ndedup = 0\n");
	struct pipeline_outcome o;
	char *mail;

	/* hoster-de takes XARF (data/contacts.csv) */
	process(p, brute("5.9.34.17", 1), T0, &o);
	pipeline_outcome_clear(&o);
	process(p, brute("5.9.34.18", 2), T0 + 60, &o);
	pipeline_outcome_clear(&o);
	cr_assert_eq(flush(p, T0 + 3600, FALSE), 1);
	mail = only_mail("new");
	cr_expect(strstr(mail, "Content-Type: multipart/mixed") != NULL,
	    "%s", mail);
	cr_expect(strstr(mail, "xarf-1.json") != NULL, "%s", mail);
	cr_expect(strstr(mail, "xarf-2.json") != NULL, "%s", mail);
	cr_expect(strstr(mail, "xarf-3.json") == NULL, "%s", mail);
	cr_expect(strstr(mail, "\"type\" : \"login_attack\"") != NULL, "%s",
	    mail);
	cr_expect(strstr(mail, "\"case:CASE-000002\"") != NULL, "%s", mail);
	g_free(mail);
	pipeline_close(&p);
}

Test(pipeline_batch, unusable_address_fails_its_batch_and_the_others_go)
{
	struct pipeline *p = open_ok("window = 1h\ndedup = 0\n");
	struct pipeline_outcome o;
	char *mail;

	process(p, brute("5.9.34.17", 1), T0, &o);
	pipeline_outcome_clear(&o);
	process(p, scan("5.9.34.19", 2), T0 + 1, &o);
	pipeline_outcome_clear(&o);
	cr_assert_eq(db_int("SELECT count(*) FROM batches "
	    "WHERE notification_id IS NULL"), 2);
	/* the first batch's address went bad (an analyst's typo) */
	db_exec("UPDATE batches SET address = 'abuse at hoster' "
	    "WHERE id = (SELECT min(id) FROM batches)");
	cr_expect_eq(flush(p, T0 + 3601, FALSE), 1, "the second still goes");
	mail = only_mail("new");
	cr_expect(strstr(mail, "5[.]9[.]34[.]19") != NULL, "%s", mail);
	g_free(mail);
	cr_expect_eq(db_int("SELECT count(*) FROM batches WHERE error LIKE "
	    "'%abuse at hoster%' AND failed_at = 1800003601"), 1);
	/* the daemon leaves it alone; --all tries it again */
	cr_expect_eq(flush(p, T0 + 7200, FALSE), 0);
	cr_expect_eq(flush(p, T0 + 7200, TRUE), 0);
	cr_expect_eq(db_int("SELECT failed_at FROM batches WHERE error IS "
	    "NOT NULL"), T0 + 7200, "the retry is recorded");
	db_exec("UPDATE batches SET address = 'abuse@hoster-de.example' "
	    "WHERE error IS NOT NULL");
	cr_expect_eq(flush(p, T0 + 7300, TRUE), 1, "fixed: sent");
	pipeline_close(&p);
}

Test(pipeline_batch, failed_batch_neither_wakes_nor_holds_new_findings)
{
	struct pipeline *p = open_ok("window = 1h\ndedup = 0\n");
	struct pipeline_outcome o;
	gint64 due;
	char *mail;

	process(p, brute("5.9.34.17", 1), T0, &o);
	pipeline_outcome_clear(&o);
	db_exec("UPDATE batches SET address = 'abuse at hoster'");
	cr_assert_eq(flush(p, T0 + 3600, FALSE), 0);
	cr_assert_eq(db_int("SELECT count(*) FROM batches WHERE error IS "
	    "NOT NULL"), 1);
	/* the daemon leaves a failed batch alone: it must not be what it
	 * wakes up for (a due time in the past: every second, for ever) */
	cr_expect_eq(pipeline_next_due(p, &due, NULL), 0,
	    "next due %" G_GINT64_FORMAT " is the failed batch's", due);

	/* a new finding for the same contact and category opens a new
	 * batch, with the contact's address, that goes when due */
	process(p, brute("5.9.34.18", 2), T0 + 3700, &o);
	cr_expect_eq(o.batched, 1);
	pipeline_outcome_clear(&o);
	cr_assert_eq(pipeline_next_due(p, &due, NULL), 1);
	cr_expect_eq(due, T0 + 3700 + 3600);
	cr_expect_eq(flush(p, T0 + 7300, FALSE), 1);
	mail = only_mail("new");
	cr_expect(strstr(mail, "5[.]9[.]34[.]18") != NULL, "%s", mail);
	cr_expect(strstr(mail, "5[.]9[.]34[.]17") == NULL, "%s", mail);
	cr_expect(strstr(mail, "To: abuse@hoster-de.example") != NULL, "%s",
	    mail);
	g_free(mail);
	cr_expect_eq(db_int("SELECT count(*) FROM batches WHERE error IS "
	    "NOT NULL AND notification_id IS NULL"), 1, "left for an analyst");
	pipeline_close(&p);
}

/* many - a brute-force report listing n addresses of 5.9.<k>.0/24 */
static char *
many(int k, int n)
{
	GString *s = g_string_new(NULL);
	int i;

	g_string_append_printf(s, "From: NOC Uni Example "
	    "<noc@uni-example.ac.example>\nTo: abuse@csirt.example\n"
	    "Subject: SSH brute force from 5.9.%1$d.0/24\n"
	    "Message-ID: <many%1$d@uni-example.ac.example>\n"
	    "MIME-Version: 1.0\nContent-Type: text/plain\n\n"
	    "our server has been under an SSH password-guessing attack.\n\n",
	    k);
	for (i = 1; i <= n; i++)
		g_string_append_printf(s, "Nov 27 20:58:01 gw sshd[20411]: "
		    "Failed password for root from 5.9.%d.%d port 50122 ssh2\n",
		    k, i);
	return g_string_free(s, FALSE);
}

Test(pipeline_batch, batched_takedown_lists_at_most_the_limit_of_one_mail)
{
	struct pipeline *p = open_ok("window = 1h\ndedup = 0\n");
	struct pipeline_outcome o;
	char *mail, *more;
	const char *q;
	guint lines = 0;
	int k;

	/* 4 x 200 findings for one contact in one window */
	for (k = 0; k < 4; k++) {
		process(p, many(40 + k, 200), T0 + k, &o);
		cr_assert_eq(o.batched, 200, "%s", o.summary);
		pipeline_outcome_clear(&o);
	}
	cr_assert_eq(flush(p, T0 + 3600, FALSE), 1);
	mail = only_mail("new");
	/* the text lists them defanged, the XARF parts do not */
	for (q = mail; (q = strstr(q, "5[.]9[.]")) != NULL; q++)
		lines++;
	cr_expect_leq(lines, LIMIT_NOTIFY_FINDINGS, "%u findings listed",
	    lines);
	more = g_strdup_printf("and %u more finding(s) of 1 more case(s)",
	    4 * 200 - LIMIT_NOTIFY_FINDINGS - 100);
	cr_expect(strstr(mail, "- and 100 more") != NULL, "%s", mail);
	cr_expect(strstr(mail, more) != NULL, "%s", more);
	g_free(more);
	g_free(mail);
	cr_expect_eq(db_int("SELECT count(*) FROM notification_findings"), 800,
	    "every finding is still linked to the request");
	pipeline_close(&p);
}
