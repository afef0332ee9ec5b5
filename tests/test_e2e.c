/*
 * test_e2e.c: the whole path, through the built programs: deliver ->
 * run --once -> rows in the case database and a takedown in the outbox;
 * the same message twice; reprocess of an mbox and a Maildir; malformed
 * mail; over-size mail; the daemon noticing new mail and stopping on
 * SIGTERM; a bad rules reload keeping the old rules.
 */
#include "config.h"

#include <criterion/criterion.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/helpers.h"
#include "tests/tools_e2e.h"

static char *
read_only_file(const char *sub)
{
	char *dir = g_build_filename(home, sub, NULL);
	GDir *d = g_dir_open(dir, 0, NULL);
	const char *name;
	char *path, *text = NULL;

	cr_assert_not_null(d);
	name = g_dir_read_name(d);
	cr_assert_not_null(name, "%s is empty", sub);
	path = g_build_filename(dir, name, NULL);
	cr_assert(g_file_get_contents(path, &text, NULL, NULL));
	g_free(path);
	g_dir_close(d);
	g_free(dir);
	return text;
}

static void
setup(void)
{
	home = test_tmpdir();
	write_config("");
	cr_assert_eq(ad("init", NULL, NULL, NULL), 0);
}

static void
teardown(void)
{
	test_rm_rf(home);
	g_free(home);
}

TestSuite(e2e, .init = setup, .fini = teardown, .timeout = 60);

Test(e2e, delivered_mail_becomes_case_and_takedown)
{
	char *fx = test_data_path("e2e-ssh.eml"), *mail, *s;

	cr_assert_eq(ad("deliver -f noc@uni-example.ac.example "
	    "-r abuse@csirt.example", fx, NULL, NULL), 0);
	cr_assert_eq(count_dir("spool/new"), 1);
	cr_assert_eq(ad("run --once", NULL, NULL, NULL), 0);
	cr_expect_eq(count_dir("spool/new"), 0);
	cr_expect_eq(count_dir("spool/work"), 0);

	cr_expect_eq(db_int("SELECT count(*) FROM messages"), 1);
	s = db_text("SELECT env_sender || ' ' || env_recipient || ' ' || "
	    "status FROM messages");
	cr_expect_str_eq(s, "noc@uni-example.ac.example abuse@csirt.example "
	    "parsed");
	g_free(s);
	cr_expect_eq(db_int("SELECT count(*) FROM findings WHERE kind='ipv4' "
	    "AND value='5.9.34.17' AND role='offender' AND suppressed=0"), 1);
	/* the private address in the log is kept but never an offender */
	cr_expect_eq(db_int("SELECT count(*) FROM findings WHERE "
	    "value='10.20.0.5' AND suppressed=0"), 0);
	cr_expect_eq(db_int("SELECT count(*) FROM cases"), 1);
	s = db_text("SELECT tag FROM cases");
	cr_expect_str_eq(s, "CASE-000001");
	g_free(s);
	s = db_text("SELECT address FROM notifications");
	cr_expect_str_eq(s, "abuse@hoster-de.example");
	g_free(s);
	s = db_text("SELECT reason FROM routes WHERE unrouted=0");
	cr_expect(s != NULL && strstr(s, "5.9.0.0/16") != NULL, "%s", s);
	g_free(s);
	cr_expect_gt(db_int("SELECT count(*) FROM events"), 0);

	cr_assert_eq(count_dir("outbox/new"), 1);
	cr_expect_eq(count_dir("outbox/tmp"), 0);
	mail = read_only_file("outbox/new");
	cr_expect(strstr(mail, "abuse@hoster-de.example") != NULL);
	cr_expect(strstr(mail, "[CASE-000001]") != NULL);
	cr_expect(strstr(mail, "Auto-Submitted: auto-generated") != NULL);
	cr_expect(strstr(mail, "Message-Id: <case-1.1@csirt.example>") !=
	    NULL || strstr(mail, "Message-ID: <case-1.1@csirt.example>") !=
	    NULL, "%s", mail);
	cr_expect(strstr(mail, "5.9.34") != NULL);
	g_free(mail);
	g_free(fx);
}

Test(e2e, same_message_twice_is_one_case)
{
	char *fx = test_data_path("e2e-ssh.eml");

	cr_assert_eq(ad("deliver", fx, NULL, NULL), 0);
	cr_assert_eq(ad("run --once", NULL, NULL, NULL), 0);
	cr_assert_eq(ad("deliver", fx, NULL, NULL), 0);
	cr_assert_eq(ad("run --once", NULL, NULL, NULL), 0);
	cr_expect_eq(db_int("SELECT count(*) FROM messages"), 1);
	cr_expect_eq(db_int("SELECT seen_count FROM messages"), 2);
	cr_expect_eq(db_int("SELECT count(*) FROM cases"), 1);
	cr_expect_eq(count_dir("outbox/new"), 1);
	g_free(fx);
}

Test(e2e, malformed_mime_is_stored_not_lost)
{
	char *fx = test_data_path("e2e-malformed.eml");
	gint64 len;
	gsize flen;
	char *body;

	cr_assert_eq(ad("deliver", fx, NULL, NULL), 0);
	cr_assert_eq(ad("run --once", NULL, NULL, NULL), 0);
	cr_expect_eq(count_dir("spool/failed"), 0);
	cr_expect_eq(db_int("SELECT count(*) FROM messages"), 1);
	cr_assert(g_file_get_contents(fx, &body, &flen, NULL));
	len = db_int("SELECT length(raw) FROM messages");
	cr_expect_eq(len, (gint64)flen, "raw kept as-is");
	cr_expect_eq(db_int("SELECT count(*) FROM findings WHERE "
	    "value='45.142.212.61'"), 1);
	g_free(body);
	g_free(fx);
}

Test(e2e, oversize_is_quarantined_and_accepted)
{
	char *big = g_build_filename(home, "big.eml", NULL);
	GString *s = g_string_new("From: a@b.example\nSubject: big\n\n");

	while (s->len < 200 * 1024)
		g_string_append(s, "scan from 45.142.212.61 port 22\n");
	cr_assert(g_file_set_contents(big, s->str, s->len, NULL));
	cr_assert_eq(ad("deliver", big, NULL, NULL), 0);
	cr_assert_eq(ad("run --once", NULL, NULL, NULL), 0);
	cr_expect_eq(db_int("SELECT count(*) FROM messages WHERE "
	    "status='quarantined'"), 1);
	cr_expect_eq(db_int("SELECT orig_size FROM messages"),
	    (gint64)s->len);
	cr_expect_eq(db_int("SELECT length(raw) FROM messages"), 64 * 1024);
	cr_expect_eq(db_int("SELECT count(*) FROM cases"), 0,
	    "quarantined mail waits for an analyst");
	g_string_free(s, TRUE);
	g_free(big);
}

static void
make_maildir_and_mbox(char **maildir, char **mbox)
{
	const char *names[] = { "e2e-ssh.eml", "e2e-malformed.eml" };
	GString *mb = g_string_new(NULL);
	guint i;

	*maildir = g_build_filename(home, "md", NULL);
	*mbox = g_build_filename(home, "box.mbox", NULL);
	for (i = 0; i < 3; i++) {
		const char *sub[] = { "cur", "new", "tmp" };
		char *d = g_build_filename(*maildir, sub[i], NULL);

		cr_assert_eq(g_mkdir_with_parents(d, 0700), 0);
		g_free(d);
	}
	for (i = 0; i < G_N_ELEMENTS(names); i++) {
		char *fx = test_data_path(names[i]), *text, *dst, *fn;
		gsize len;

		cr_assert(g_file_get_contents(fx, &text, &len, NULL));
		fn = g_strdup_printf("17000000%02u.M1P1.test", i);
		dst = g_build_filename(*maildir, "new", fn, NULL);
		cr_assert(g_file_set_contents(dst, text, len, NULL));
		g_string_append(mb, "From MAILER-DAEMON Sat Nov 28 07:00:00 "
		    "2026\n");
		g_string_append_len(mb, text, len);
		g_string_append(mb, "\n");
		g_free(fn);
		g_free(dst);
		g_free(text);
		g_free(fx);
	}
	cr_assert(g_file_set_contents(*mbox, mb->str, mb->len, NULL));
	g_string_free(mb, TRUE);
}

Test(e2e, reprocess_mbox_and_maildir)
{
	char *maildir, *mbox, *out = NULL, *err = NULL;
	int rc;

	make_maildir_and_mbox(&maildir, &mbox);
	rc = ad(g_strdup_printf("reprocess --json '%s'", maildir), NULL,
	    &out, &err);
	cr_expect_eq(rc, 0, "%s", err);
	cr_expect(strstr(out, "\"file\":\"new/1700000000.M1P1.test\"") !=
	    NULL, "%s", out);
	cr_expect(strstr(out, "\"5.9.34.17\"") != NULL, "%s", out);
	/* a suppressed finding says why (RFC 6890 private use) */
	cr_expect(strstr(out, "\"why\":\"private use (RFC 1918)\"") != NULL,
	    "%s", out);
	/* A private address is no offender: absent from "ips", present in
	 * "findings" only as suppressed. */
	{
		const char *p;

		for (p = out; (p = strstr(p, "\"ips\":[")) != NULL; p++) {
			const char *end = strchr(p, ']');
			char *ips = g_strndup(p, end - p);

			cr_expect(strstr(ips, "10.20.0.5") == NULL, "%s", ips);
			g_free(ips);
		}
	}
	cr_expect(strstr(out, "\"findings\":[{\"kind\":") != NULL, "%s",
	    out);
	cr_expect(strstr(out, "\"value\":\"10.20.0.5\"") == NULL ||
	    strstr(out, "\"suppressed\":true") != NULL, "%s", out);
	cr_expect(strstr(out, "\"warnings\":") != NULL, "%s", out);
	cr_expect(strstr(out, "\"tickets\":[") != NULL, "%s", out);
	g_free(out);
	g_free(err);
	cr_expect_eq(db_int("SELECT count(*) FROM messages"), 2);
	/* the mbox holds the same two messages: seen again, no new case */
	rc = ad(g_strdup_printf("reprocess '%s'", mbox), NULL, &out, &err);
	cr_expect_eq(rc, 0, "%s", err);
	cr_expect(strstr(out, "duplicate=yes") != NULL, "%s", out);
	cr_expect(strstr(out, "totals in") != NULL, "%s", out);
	cr_expect_eq(db_int("SELECT count(*) FROM messages"), 2);
	cr_expect_eq(db_int("SELECT sum(seen_count) FROM messages"), 4);
	/* one case each (the malformed one still names 45.142.212.61) */
	cr_expect_eq(db_int("SELECT count(*) FROM cases"), 2);
	g_free(out);
	g_free(err);
	g_free(maildir);
	g_free(mbox);
}

static pid_t
start_daemon(void)
{
	char *bin = test_build_path("abusedesk");
	pid_t pid = fork();

	cr_assert_neq(pid, -1);
	if (pid == 0) {
		execl(bin, "abusedesk", "--home", home, "run", (char *)NULL);
		_exit(127);
	}
	g_free(bin);
	return pid;
}

static gboolean
wait_for(const char *sql, gint64 want, guint ms)
{
	guint waited;

	for (waited = 0; waited < ms; waited += 100) {
		if (db_int(sql) == want)
			return TRUE;
		g_usleep(100 * 1000);
	}
	return FALSE;
}

Test(e2e, daemon_notices_mail_and_stops_on_sigterm)
{
	char *fx = test_data_path("e2e-ssh.eml");
	pid_t pid = start_daemon();
	int status;

	g_usleep(500 * 1000);
	cr_assert_eq(ad("deliver", fx, NULL, NULL), 0);
	cr_expect(wait_for("SELECT count(*) FROM messages", 1, 15000),
	    "the daemon did not pick the mail up");
	cr_assert_eq(kill(pid, SIGTERM), 0);
	cr_assert_eq(waitpid(pid, &status, 0), pid);
	cr_expect(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	cr_expect_eq(count_dir("spool/work"), 0);
	g_free(fx);
}

Test(e2e, crash_leftovers_in_work_are_recovered)
{
	char *fx = test_data_path("e2e-ssh.eml");
	char *newdir = g_build_filename(home, "spool", "new", NULL);
	GDir *d;
	const char *name;
	char *from, *to;

	cr_assert_eq(ad("deliver", fx, NULL, NULL), 0);
	d = g_dir_open(newdir, 0, NULL);
	name = g_dir_read_name(d);
	from = g_build_filename(newdir, name, NULL);
	to = g_build_filename(home, "spool", "work", name, NULL);
	cr_assert_eq(g_rename(from, to), 0);	/* claimed, then "crashed" */
	g_dir_close(d);
	cr_assert_eq(ad("run --once", NULL, NULL, NULL), 0);
	cr_expect_eq(count_dir("spool/work"), 0);
	cr_expect_eq(db_int("SELECT count(*) FROM cases"), 1);
	g_free(from);
	g_free(to);
	g_free(newdir);
	g_free(fx);
}

Test(e2e, unknown_config_key_is_an_error_with_line)
{
	char *err = NULL;

	write_config("[run]\nbogus = 1\n");
	cr_expect_neq(ad("run --once", NULL, NULL, &err), 0);
	cr_expect(strstr(err, "abusedesk.conf:") != NULL &&
	    strstr(err, "unknown key 'bogus'") != NULL, "%s", err);
	g_free(err);
}

Test(e2e, case_list_and_show)
{
	char *fx = test_data_path("e2e-ssh.eml"), *out = NULL;

	cr_assert_eq(ad("deliver", fx, NULL, NULL), 0);
	cr_assert_eq(ad("run --once", NULL, NULL, NULL), 0);
	cr_assert_eq(ad("case list", NULL, &out, NULL), 0);
	cr_expect(strstr(out, "CASE-000001") != NULL, "%s", out);
	g_free(out);
	cr_assert_eq(ad("case show CASE-000001", NULL, &out, NULL), 0);
	cr_expect(strstr(out, "5.9.34.17") != NULL, "%s", out);
	cr_expect(strstr(out, "abuse@hoster-de.example") != NULL, "%s", out);
	g_free(out);
	cr_expect_eq(ad("case show CASE-000099", NULL, NULL, NULL), 3);
	g_free(fx);
}

Test(e2e, rules_check_reports_file_line_col)
{
	char *bad = g_build_filename(home, "bad.rules", NULL), *err = NULL;
	char *args;

	cr_assert(g_file_set_contents(bad, "rule x.y \"broken\"\n"
	    "\tmatch body /(unclosed/\n\textract ipv4\n", -1, NULL));
	args = g_strdup_printf("rules check '%s'", bad);
	cr_expect_eq(ad(args, NULL, NULL, &err), 1);
	cr_expect(strstr(err, "bad.rules:2:") != NULL, "%s", err);
	g_free(err);
	g_free(args);
	g_free(bad);
}

Test(e2e, sighup_with_broken_rules_keeps_the_running_ones)
{
	char *fx = test_data_path("e2e-ssh.eml");
	char *bad = g_build_filename(home, "bad.rules", NULL);
	char *extra;
	pid_t pid = start_daemon();
	int status;

	g_usleep(500 * 1000);
	cr_assert(g_file_set_contents(bad, "rule broken \"x\"\n"
	    "\tmatch body /(/\n", -1, NULL));
	/* a later [paths] rules overrides: the new config is broken */
	extra = g_strdup_printf("[paths]\nrules = %s\n", bad);
	write_config(extra);
	cr_assert_eq(kill(pid, SIGHUP), 0);
	g_usleep(500 * 1000);
	cr_assert_eq(ad("deliver", fx, NULL, NULL), 0);
	cr_expect(wait_for("SELECT count(*) FROM findings WHERE "
	    "value='5.9.34.17'", 1, 15000),
	    "the old rules should still extract");
	cr_assert_eq(kill(pid, SIGTERM), 0);
	cr_assert_eq(waitpid(pid, &status, 0), pid);
	cr_expect(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	g_free(extra);
	g_free(bad);
	g_free(fx);
}

static guint
mode_of(const char *rel)
{
	char *p = g_build_filename(home, rel, NULL);
	GStatBuf st;

	cr_assert_eq(g_stat(p, &st), 0, "%s", p);
	g_free(p);
	return st.st_mode & 07777;
}

Test(e2e, init_makes_safe_modes)
{
	const char *dirs[] = { "spool", "spool/tmp", "spool/new",
	    "spool/work", "spool/archive", "spool/failed", "outbox",
	    "outbox/tmp", "outbox/new", "outbox/cur" };
	guint i;

	char *fresh = g_build_filename(home, "fresh", NULL), *saved = home;

	for (i = 0; i < G_N_ELEMENTS(dirs); i++)
		cr_expect_eq(mode_of(dirs[i]), 0700, "%s", dirs[i]);
	cr_expect_eq(mode_of("abusedesk.db"), 0600);
	/* a home without a config: init writes the default one, 0600 */
	home = fresh;
	cr_assert_eq(ad("init", NULL, NULL, NULL), 0);
	cr_expect_eq(mode_of(""), 0700);
	cr_expect_eq(mode_of("abusedesk.conf"), 0600);
	cr_expect_eq(mode_of("abusedesk.db"), 0600);
	home = saved;
	g_free(fresh);
}

Test(e2e, archive_keeps_processed_spool_files)
{
	char *fx = test_data_path("e2e-ssh.eml");

	write_config("[run]\narchive = true\n");
	cr_assert_eq(ad("deliver", fx, NULL, NULL), 0);
	cr_assert_eq(ad("run --once", NULL, NULL, NULL), 0);
	cr_expect_eq(count_dir("spool/new"), 0);
	cr_expect_eq(count_dir("spool/work"), 0);
	cr_expect_eq(count_dir("spool/archive"), 1);
	cr_expect_eq(db_int("SELECT count(*) FROM messages"), 1);
	g_free(fx);
}

Test(e2e, rule_route_to_overrides_the_ladder)
{
	char *fx = test_data_path("e2e-ssh.eml"), *s, *extra;
	char *rules = g_build_filename(home, "rules", NULL);
	char *src = test_src_path("rules/default"), *cmd;

	cr_assert_eq(g_mkdir(rules, 0700), 0);
	cmd = g_strdup_printf("cp '%s'/* '%s'/", src, rules);
	cr_assert_eq(system(cmd), 0);
	g_free(cmd);
	s = g_build_filename(rules, "95-override.rules", NULL);
	cr_assert(g_file_set_contents(s, "rule route.uni \"the university's "
	    "reports go to isp-jp\"\n\tmatch header From /uni-example/\n"
	    "\troute to isp-jp\n", -1, NULL));
	g_free(s);
	extra = g_strdup_printf("[paths]\nrules = %s\n", rules);
	write_config(extra);
	cr_assert_eq(ad("deliver", fx, NULL, NULL), 0);
	cr_assert_eq(ad("run --once", NULL, NULL, NULL), 0);
	s = db_text("SELECT group_concat(address) FROM notifications");
	cr_expect_str_eq(s, "abuse@isp-jp.example");
	g_free(s);
	cr_expect_eq(db_int("SELECT count(*) FROM routes WHERE reason LIKE "
	    "'%overridden by a rule: route to isp-jp'"), 1);
	g_free(extra);
	g_free(src);
	g_free(rules);
	g_free(fx);
}
