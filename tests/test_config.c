/*
 * test_config.c: the configuration loader: defaults, values, ranges,
 * unknown keys with file:line, relative paths, the home rules.
 */
#include "config.h"

#include <criterion/criterion.h>
#include <string.h>

#include "ingest/ingest.h"
#include "ingest/ingest_config.h"
#include "route/lookup.h"
#include "tests/helpers.h"

static char *dir;

static void
setup(void)
{
	dir = test_tmpdir();
	g_unsetenv("ABUSEDESK_HOME");
	g_unsetenv("ABUSEDESK_CONFIG");
}

static void
teardown(void)
{
	test_rm_rf(dir);
	g_free(dir);
}

TestSuite(config, .init = setup, .fini = teardown, .timeout = 10);

static struct config *
load_text(const char *text, GError **err)
{
	char *file = g_build_filename(dir, "abusedesk.conf", NULL);
	struct config *c;

	cr_assert(g_file_set_contents(file, text, -1, NULL));
	c = config_load(dir, NULL, err);
	g_free(file);
	return c;
}

Test(config, empty_file_gives_the_defaults)
{
	GError *err = NULL;
	struct config *c = load_text("", &err);

	cr_assert_not_null(c, "%s", err ? err->message : "");
	cr_expect_eq(c->max_size, 50u * 1024 * 1024);
	cr_expect_eq(c->deadline, 300);
	cr_expect_eq(c->rescan, 30);
	cr_expect_not(c->archive);
	cr_expect_str_eq(c->home, dir);
	cr_expect(g_str_has_suffix(c->db_path, "/abusedesk.db"));
	cr_expect(g_str_has_suffix(c->rules, "/rules"));
	cr_expect_null(c->own_country);
	cr_expect_eq(c->limits.max_depth, 32);
	config_free(&c);
	cr_expect_null(c);
}

Test(config, values_sizes_booleans_and_relative_paths)
{
	GError *err = NULL;
	struct config *c = load_text("# comment\n[deliver]\nmax_size = 10M\n"
	    "deadline=60\n\n[run]\narchive = yes\n[paths]\nrules = my.rules\n"
	    "[route]\nown_country = JP\n", &err);
	char *want;

	cr_assert_not_null(c, "%s", err ? err->message : "");
	cr_expect_eq(c->max_size, 10u * 1024 * 1024);
	cr_expect_eq(c->deadline, 60);
	cr_expect(c->archive);
	want = g_build_filename(dir, "my.rules", NULL);
	cr_expect_str_eq(c->rules, want);
	cr_expect_str_eq(c->own_country, "JP");
	g_free(want);
	config_free(&c);
}

Test(config, unknown_key_names_file_and_line)
{
	GError *err = NULL;
	struct config *c = load_text("[run]\narchive = no\n\n[run]\nfoo = 1\n",
	    &err);

	cr_assert_null(c);
	cr_assert_not_null(err);
	cr_expect(strstr(err->message, "abusedesk.conf:5: unknown key 'foo' "
	    "in section [run]") != NULL, "%s", err->message);
	cr_expect_eq(err->code, INGEST_ERROR_CONFIG);
	g_error_free(err);
}

Test(config, unknown_section_is_an_error)
{
	GError *err = NULL;
	struct config *c = load_text("[nope]\nx = 1\n", &err);

	cr_assert_null(c);
	cr_expect(strstr(err->message, ":2: unknown key 'x' in section "
	    "[nope]") != NULL, "%s", err->message);
	g_error_free(err);
}

Test(config, out_of_range_and_bad_values)
{
	GError *err = NULL;
	struct config *c = load_text("[deliver]\n\ndeadline = 0\n", &err);

	cr_assert_null(c);
	cr_expect(strstr(err->message, ":3: [deliver] deadline = 0 is out of "
	    "range (1..3600)") != NULL, "%s", err->message);
	g_clear_error(&err);
	c = load_text("[run]\narchive = maybe\n", &err);
	cr_assert_null(c);
	cr_expect(strstr(err->message, ":2: [run] archive: bad value "
	    "'maybe'") != NULL, "%s", err->message);
	g_clear_error(&err);
	c = load_text("[deliver]\nmax_size = lots\n", &err);
	cr_assert_null(c);
	cr_expect(strstr(err->message, "max_size: bad value") != NULL, "%s",
	    err->message);
	g_clear_error(&err);
}

Test(config, missing_file_is_an_error)
{
	GError *err = NULL;
	struct config *c = config_load(dir, NULL, &err);

	cr_assert_null(c);
	cr_expect(strstr(err->message, "abusedesk.conf") != NULL, "%s",
	    err->message);
	g_error_free(err);
}

Test(config, environment_names_home_and_option_wins)
{
	char *home = NULL, *file = NULL, *want;

	g_setenv("ABUSEDESK_HOME", "/srv/ad-env", TRUE);
	config_locate(NULL, NULL, &home, &file);
	cr_expect_str_eq(home, "/srv/ad-env");
	cr_expect_str_eq(file, "/srv/ad-env/abusedesk.conf");
	g_free(home);
	g_free(file);
	config_locate(dir, NULL, &home, &file);
	cr_expect_str_eq(home, dir);
	want = g_build_filename(dir, "abusedesk.conf", NULL);
	cr_expect_str_eq(file, want);
	g_free(want);
	g_free(home);
	g_free(file);
}

Test(config, default_text_loads_and_every_key_is_commented)
{
	char *t = config_default_text();
	GError *err = NULL;
	struct config *c;

	cr_expect(strstr(t, "#max_size = 52428800") != NULL, "%s", t);
	cr_expect(strstr(t, "#max_csv_rows = 200000") != NULL, "%s", t);
	cr_expect(strstr(t, "[limits]") != NULL);
	c = load_text(t, &err);
	cr_expect_not_null(c, "%s", err ? err->message : "");
	config_free(&c);
	g_free(t);
}

Test(config, durations_and_per_category_entries)
{
	GError *err = NULL;
	struct config *c = load_text("[notify]\nwindow = 10m\ndedup = 2d\n"
	    "windows = phishing=0, spam = 4h\n", &err);

	cr_assert_not_null(c, "%s", err != NULL ? err->message : "");
	cr_expect_eq(c->window, 600);
	cr_expect_eq(c->dedup, 172800);
	config_free(&c);
	c = load_text("[notify]\nwindows = phishing=0, spam\n", &err);
	cr_assert_null(c);
	cr_expect(strstr(err->message, "[notify] windows: bad entry "
	    "\"spam\"") != NULL, "%s", err->message);
	g_clear_error(&err);
	c = load_text("[notify]\ndedups = spam=400d\n", &err);
	cr_assert_null(c);
	cr_expect(strstr(err->message, "[notify] dedups: bad entry "
	    "\"spam=400d\"") != NULL, "%s", err->message);
	g_clear_error(&err);
	c = load_text("[notify]\nwindow = 1hour\n", &err);
	cr_assert_null(c);
	cr_expect(strstr(err->message, ":2: [notify] window: bad value "
	    "'1hour'") != NULL, "%s", err->message);
	g_clear_error(&err);
}

Test(config, lookup_ca_file_is_a_path_carried_to_the_lookups)
{
	GError *err = NULL;
	struct config *c = load_text("[lookup]\nrdap = true\n"
	    "ca_file = private-ca.pem\n", &err);
	struct lookup_config lc;
	char *want;

	cr_assert_not_null(c, "%s", err ? err->message : "");
	want = g_build_filename(dir, "private-ca.pem", NULL);
	cr_expect_str_eq(c->lookup_ca_file, want);
	ingest_lookup_config(c, &lc);
	cr_expect_str_eq(lc.ca_file, want);
	g_free(want);
	config_free(&c);

	/* empty (and the default): the system's trust store */
	c = load_text("[lookup]\nca_file =\n", &err);
	cr_assert_not_null(c, "%s", err ? err->message : "");
	cr_expect_str_eq(c->lookup_ca_file, "");
	ingest_lookup_config(c, &lc);
	cr_expect_null(lc.ca_file);
	config_free(&c);
	c = load_text("", &err);
	cr_assert_not_null(c, "%s", err ? err->message : "");
	ingest_lookup_config(c, &lc);
	cr_expect_null(lc.ca_file);
	config_free(&c);
}
