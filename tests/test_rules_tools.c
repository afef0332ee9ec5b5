/*
 * test_rules_tools.c: the analysts' tools around the rules, through the
 * built programs: `rules test` as a dry run (text and JSON), the
 * regression corpus in tests/data/rules-corpus (passing, broken, updated,
 * missing expect), `rules check` failing, `rules stats`, `hold` and
 * `release`, and the daemon's run.pid with `rules reload`.
 */
#include "config.h"

#include <criterion/criterion.h>
#include <glib.h>
#include <json-glib/json-glib.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "tests/helpers.h"
#include "tests/tools_e2e.h"

static char *corpus;

static void
setup(void)
{
	home = test_tmpdir();
	corpus = test_data_path("rules-corpus");
	write_config("");
}

static void
teardown(void)
{
	test_rm_rf(home);
	g_free(home);
	g_free(corpus);
}

TestSuite(rules_tools, .init = setup, .fini = teardown, .timeout = 60);

static char *
corpus_msg(const char *name)
{
	return g_build_filename(corpus, name, NULL);
}

Test(rules_tools, test_is_a_dry_run)
{
	char *m = corpus_msg("ssh-brute-force.eml"), *args, *out, *err;

	args = g_strdup_printf("rules test '%s'", m);
	cr_assert_eq(ad(args, NULL, &out, &err), 0, "%s", err);
	cr_expect(strstr(out, "format: plain\nkind: abuse\n") != NULL, "%s",
	    out);
	cr_expect(strstr(out, "  extract.ipv4 part 1 offset ") != NULL,
	    "%s", out);
	cr_expect(strstr(out, "  ipv4 offender 5.9.34.17 (part 1 offset ") !=
	    NULL, "%s", out);
	cr_expect(strstr(out, "  5.9.34.17 -> hoster-de: ipv4 5.9.34.17 -> "
	    "5.9.0.0/16 (networks.csv:") != NULL, "%s", out);
	cr_expect(strstr(out, "--- takedown 1 to abuse@hoster-de.example\n")
	    != NULL, "%s", out);
	cr_expect(strstr(out, "[CASE-000000]") != NULL, "%s", out);
	/* nothing written: no database, no spool, no outbox (the compiled
	 * routing tables may be cached: that is not state) */
	cr_expect(!exists("abusedesk.db"));
	cr_expect(!exists("spool"));
	cr_expect(!exists("outbox"));
	cr_expect_eq(count_dir(""), 1 + (exists("cache") ? 1 : 0),
	    "only abusedesk.conf (and the table cache) in the home");
	g_free(out);
	g_free(err);
	g_free(args);
	g_free(m);
}

Test(rules_tools, test_json_is_one_object_per_message)
{
	char *m1 = corpus_msg("ssh-brute-force.eml");
	char *m2 = corpus_msg("bounce.eml");
	char *args = g_strdup_printf("rules test --json '%s' '%s'", m1, m2);
	char *out, **lines;
	JsonParser *jp = json_parser_new();
	JsonObject *o, *f;
	JsonArray *a;

	cr_assert_eq(ad(args, NULL, &out, NULL), 0);
	lines = g_strsplit(out, "\n", -1);
	cr_assert_eq(g_strv_length(lines), 3, "%s", out);
	cr_assert(json_parser_load_from_data(jp, lines[0], -1, NULL));
	o = json_node_get_object(json_parser_get_root(jp));
	cr_expect_str_eq(json_object_get_string_member(o, "format"), "plain");
	cr_expect_str_eq(json_object_get_string_member(o, "kind"), "abuse");
	a = json_object_get_array_member(o, "findings");
	f = json_array_get_object_element(a, 0);
	cr_expect_str_eq(json_object_get_string_member(f, "value"),
	    "5.9.34.17");
	cr_expect_str_eq(json_object_get_string_member(f, "role"),
	    "offender");
	a = json_object_get_array_member(o, "routes");
	f = json_array_get_object_element(a, 0);
	cr_expect_str_eq(json_object_get_string_member(f, "contact"),
	    "hoster-de");
	cr_expect(strstr(json_object_get_string_member(f, "reason"),
	    "5.9.0.0/16") != NULL);
	a = json_object_get_array_member(o, "takedowns");
	cr_assert_geq(json_array_get_length(a), 1);
	f = json_array_get_object_element(a, 0);
	cr_expect_str_eq(json_object_get_string_member(f, "to"),
	    "abuse@hoster-de.example");
	a = json_object_get_array_member(o, "rules");
	cr_expect_gt(json_array_get_length(a), 0);
	cr_assert(json_parser_load_from_data(jp, lines[1], -1, NULL));
	o = json_node_get_object(json_parser_get_root(jp));
	cr_expect_str_eq(json_object_get_string_member(o, "kind"), "bounce");
	cr_expect_eq(json_array_get_length(json_object_get_array_member(o,
	    "takedowns")), 0);
	g_object_unref(jp);
	g_strfreev(lines);
	g_free(out);
	g_free(args);
	g_free(m2);
	g_free(m1);
}

Test(rules_tools, shipped_corpus_passes)
{
	char *args = g_strdup_printf("rules test --corpus '%s'", corpus);
	char *out, *want = g_strdup_printf("%s: 5 message(s), 0 differ\n",
	    corpus);

	cr_expect_eq(ad(args, NULL, &out, NULL), 0, "%s", out);
	cr_expect_str_eq(out, want);
	g_free(want);
	g_free(out);
	g_free(args);
}

/* A copy of the corpus in the home, with one expect line changed. */
static char *
broken_corpus(void)
{
	char *dir = g_build_filename(home, "corpus", NULL);
	char *cmd = g_strdup_printf("cp -r '%s' '%s'", corpus, dir);
	char *x = g_build_filename(dir, "ssh-brute-force.expect", NULL);
	char *text, *p;

	cr_assert_eq(system(cmd), 0);
	cr_assert(g_file_get_contents(x, &text, NULL, NULL));
	p = strstr(text, "route 5.9.34.17 hoster-de\n");
	cr_assert_not_null(p, "%s", text);
	memcpy(p + strlen("route 5.9.34.17 hoster-"), "xx", 2);
	cr_assert(g_file_set_contents(x, text, -1, NULL));
	g_free(text);
	g_free(x);
	g_free(cmd);
	return dir;
}

Test(rules_tools, broken_expect_is_a_difference)
{
	char *dir = broken_corpus(), *args, *out, *want;

	args = g_strdup_printf("rules test --corpus '%s'", dir);
	want = g_strdup_printf(
	    "ssh-brute-force.eml: - route 5.9.34.17 hoster-xx\n"
	    "ssh-brute-force.eml: + route 5.9.34.17 hoster-de\n"
	    "%s: 5 message(s), 1 differ\n", dir);
	cr_expect_eq(ad(args, NULL, &out, NULL), 1);
	cr_expect_str_eq(out, want);
	g_free(out);
	g_free(args);
	/* --update rewrites it, and then it passes */
	args = g_strdup_printf("rules test --corpus '%s' --update", dir);
	cr_expect_eq(ad(args, NULL, NULL, NULL), 0);
	g_free(args);
	args = g_strdup_printf("rules test --corpus '%s'", dir);
	cr_expect_eq(ad(args, NULL, &out, NULL), 0, "%s", out);
	g_free(out);
	g_free(args);
	g_free(want);
	g_free(dir);
}

Test(rules_tools, missing_expect_fails)
{
	char *dir = broken_corpus(), *x, *args, *out;

	x = g_build_filename(dir, "bounce.expect", NULL);
	cr_assert_eq(unlink(x), 0);
	args = g_strdup_printf("rules test --corpus '%s'", dir);
	cr_expect_eq(ad(args, NULL, &out, NULL), 1);
	cr_expect(strstr(out, "bounce.eml: no bounce.expect\n") != NULL,
	    "%s", out);
	g_free(out);
	g_free(args);
	g_free(x);
	g_free(dir);
}

Test(rules_tools, check_fails_on_a_bad_rule)
{
	char *bad = g_build_filename(home, "bad.rules", NULL);
	char *args = g_strdup_printf("rules check '%s'", bad);

	cr_assert(g_file_set_contents(bad, "rule broken \"x\"\n"
	    "\tmatch body /(/\n", -1, NULL));
	cr_expect_eq(ad(args, NULL, NULL, NULL), 1);
	cr_expect_eq(ad("rules check", NULL, NULL, NULL), 0);
	cr_expect_eq(ad("rules frobnicate", NULL, NULL, NULL), 2);
	g_free(args);
	g_free(bad);
}

Test(rules_tools, stats_count_hits_and_list_the_silent_rules)
{
	char *m = corpus_msg("ssh-brute-force.eml"), *args, *out;

	cr_assert_eq(ad("init", NULL, NULL, NULL), 0);
	args = g_strdup_printf("reprocess -q '%s'", m);
	cr_assert_eq(ad(args, NULL, NULL, NULL), 0);
	cr_expect_eq(db_int("SELECT count(*) FROM reports WHERE "
	    "length(rules_version) > 0"), 1);
	cr_expect_gt(db_int("SELECT count(*) FROM rule_hits WHERE "
	    "rule_id = 'extract.ipv4'"), 0);
	cr_expect_eq(ad("rules stats --since 2000-01-01", NULL, &out, NULL),
	    0);
	cr_expect(g_str_has_prefix(out, "1 report(s); rule hits:\n"), "%s",
	    out);
	cr_expect(strstr(out, "\n  extract.ipv4 ") != NULL, "%s", out);
	cr_expect(strstr(out, "\nnever fired:\n") != NULL, "%s", out);
	cr_expect(strstr(out, "\n  category.ddos\n") != NULL, "%s", out);
	cr_expect(strstr(out, "\nrule errors: 0 in 0 report(s)\n") != NULL,
	    "%s", out);
	g_free(out);
	cr_expect_eq(ad("rules stats --since 2999-01-01", NULL, &out, NULL),
	    0);
	cr_expect(strncmp(out, "0 report(s); rule hits:\nnever fired:\n",
	    36) == 0, "%s", out);
	g_free(out);
	cr_expect_eq(ad("rules stats --since yesterday", NULL, NULL, NULL),
	    2);
	g_free(args);
	g_free(m);
}

Test(rules_tools, hold_keeps_the_spool_until_release)
{
	char *m = corpus_msg("ssh-brute-force.eml");

	cr_assert_eq(ad("init", NULL, NULL, NULL), 0);
	cr_assert_eq(ad("hold", NULL, NULL, NULL), 0);
	cr_expect(exists("hold"));
	cr_assert_eq(ad("deliver", m, NULL, NULL), 0);
	cr_assert_eq(count_dir("spool/new"), 1);
	cr_assert_eq(ad("run --once", NULL, NULL, NULL), 0);
	cr_expect_eq(count_dir("spool/new"), 1, "held: nothing claimed");
	cr_expect_eq(db_int("SELECT count(*) FROM messages"), 0);
	cr_assert_eq(ad("release", NULL, NULL, NULL), 0);
	cr_expect(!exists("hold"));
	cr_assert_eq(ad("run --once", NULL, NULL, NULL), 0);
	cr_expect_eq(count_dir("spool/new"), 0);
	cr_expect_eq(db_int("SELECT count(*) FROM messages"), 1);
	cr_expect_eq(ad("release", NULL, NULL, NULL), 0, "idempotent");
	g_free(m);
}

Test(rules_tools, daemon_pid_file_and_reload)
{
	char *bin = test_build_path("abusedesk"), *out, *want;
	char *m = corpus_msg("ssh-brute-force.eml");
	guint waited;
	pid_t pid;
	int status;

	cr_assert_eq(ad("init", NULL, NULL, NULL), 0);
	cr_expect_eq(ad("rules reload", NULL, NULL, NULL), 1, "no daemon");
	if ((pid = fork()) == 0) {
		execl(bin, "abusedesk", "--home", home, "run", (char *)NULL);
		_exit(127);
	}
	for (waited = 0; waited < 10000 && !exists("run.pid"); waited += 50)
		g_usleep(50 * 1000);
	cr_assert(exists("run.pid"));
	cr_expect_eq(ad("rules reload", NULL, &out, NULL), 0);
	want = g_strdup_printf("sent SIGHUP to %ld\n", (long)pid);
	cr_expect_str_eq(out, want);
	/* held, the running daemon claims nothing; release wakes it */
	cr_assert_eq(ad("hold", NULL, NULL, NULL), 0);
	cr_assert_eq(ad("deliver", m, NULL, NULL), 0);
	g_usleep(1500 * 1000);
	cr_expect_eq(count_dir("spool/new"), 1);
	cr_assert_eq(ad("release", NULL, NULL, NULL), 0);
	for (waited = 0; waited < 10000 && count_dir("spool/new") > 0;
	    waited += 50)
		g_usleep(50 * 1000);
	cr_expect_eq(count_dir("spool/new"), 0);
	cr_assert_eq(kill(pid, SIGTERM), 0);
	cr_assert_eq(waitpid(pid, &status, 0), pid);
	cr_expect(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	    "survived the SIGHUP and exited cleanly");
	cr_expect(!exists("run.pid"));
	g_free(want);
	g_free(out);
	g_free(bin);
	g_free(m);
}
