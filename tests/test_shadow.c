/*
 * test_shadow.c: shadow mode through the built programs.  A candidate
 * rule set (ABUSEDESK_SHADOW_RULES until the config has [rules] shadow)
 * is evaluated beside the live one by `run`: its differences land in
 * shadow_diffs and `rules shadow-report`, and the live outcome (report,
 * case, takedowns) is exactly what it is without it.
 */
#include "config.h"

#include <criterion/criterion.h>
#include <glib.h>
#include <stdlib.h>
#include <string.h>

#include "tests/helpers.h"
#include "tests/tools_e2e.h"
#include "case/case.h"

static char *msg;

static void
setup(void)
{
	home = test_tmpdir();
	msg = test_data_path("rules-corpus/phishing-two-sites.eml");
	write_config("");
	cr_assert_eq(ad("init", NULL, NULL, NULL), 0);
}

static void
teardown(void)
{
	test_rm_rf(home);
	g_free(home);
	g_free(msg);
}

TestSuite(shadow, .init = setup, .fini = teardown, .timeout = 60);

/* home/cand: the shipped rules without the one file named `without`. */
static char *
candidate(const char *without)
{
	char *dir = g_build_filename(home, "cand", NULL);
	char *src = test_src_path("rules/default");
	char *cmd = g_strdup_printf("cp -r '%s' '%s' && rm -f '%s/%s'", src,
	    dir, dir, without);

	cr_assert_eq(system(cmd), 0);
	g_free(cmd);
	g_free(src);
	return dir;
}

static void
run_with_shadow(const char *dir)
{
	char *env = g_strdup_printf("ABUSEDESK_SHADOW_RULES='%s'", dir);

	cr_assert_eq(ad("deliver", msg, NULL, NULL), 0);
	cr_assert_eq(ad_env(env, "run --once", NULL, NULL, NULL), 0);
	g_free(env);
}

Test(shadow, schema_has_shadow_diffs)
{
	cr_expect_eq(db_int("PRAGMA user_version"), CASE_SCHEMA_VERSION);
	cr_expect_eq(db_int("SELECT count(*) FROM shadow_diffs"), 0);
}

Test(shadow, differences_recorded_never_acted_on)
{
	char *dir = candidate("10-category.rules"), *out;

	run_with_shadow(dir);
	/* the live rules decided */
	cr_expect_eq(db_int("SELECT count(*) FROM reports WHERE "
	    "category = 'phishing'"), 1);
	cr_expect_eq(db_int("SELECT count(*) FROM cases"), 1);
	cr_expect_eq(db_int("SELECT count(*) FROM notifications"),
	    (gint64)count_dir("outbox/new"));
	/* the candidate would not have found the category */
	cr_expect_eq(db_int("SELECT count(*) FROM shadow_diffs WHERE "
	    "kind = 'category-changed' AND live = 'phishing' AND "
	    "shadow IS NULL AND message_id = 1"), 1);
	cr_expect_eq(db_int("SELECT count(*) FROM shadow_diffs WHERE "
	    "live_version = shadow_version"), 0);
	cr_expect_eq(ad("rules shadow-report", NULL, &out, NULL), 0);
	cr_expect(strncmp(out, "message 1 at ", 13) == 0, "%s", out);
	cr_expect(strstr(out, ": Phishing notification [EBP-2026-118734]") !=
	    NULL, "%s", out);
	cr_expect(strstr(out, "\n  category-changed: phishing -> -\n") !=
	    NULL, "%s", out);
	cr_expect(strstr(out, " difference(s):") != NULL, "%s", out);
	cr_expect(strstr(out, " category-changed=1") != NULL, "%s", out);
	g_free(out);
	cr_expect_eq(ad("rules shadow-report --since 2999-01-01", NULL, &out,
	    NULL), 0);
	cr_expect_str_eq(out, "no differences\n");
	g_free(out);
	g_free(dir);
}

Test(shadow, same_rules_no_differences)
{
	char *dir = candidate("no-such-file"), *out;

	run_with_shadow(dir);
	cr_expect_eq(db_int("SELECT count(*) FROM messages"), 1);
	cr_expect_eq(db_int("SELECT count(*) FROM shadow_diffs"), 0);
	cr_expect_eq(ad("rules shadow-report", NULL, &out, NULL), 0);
	cr_expect_str_eq(out, "no differences\n");
	g_free(out);
	g_free(dir);
}

Test(shadow, broken_candidate_leaves_the_daemon_working)
{
	char *dir = candidate("no-such-file");
	char *bad = g_build_filename(dir, "99-bad.rules", NULL);

	cr_assert(g_file_set_contents(bad, "rule broken \"x\"\n"
	    "\tmatch body /(/\n", -1, NULL));
	run_with_shadow(dir);
	cr_expect_eq(db_int("SELECT count(*) FROM messages"), 1);
	cr_expect_eq(db_int("SELECT count(*) FROM cases"), 1);
	cr_expect_eq(db_int("SELECT count(*) FROM shadow_diffs"), 0);
	g_free(bad);
	g_free(dir);
}
