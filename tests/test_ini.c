/*
 * test_ini.c: the bounded INI reader (ingest/ini.c).
 *
 * Each test writes a small file into a temporary directory, parses it and
 * checks the keys seen or the exact "path:line: message" error.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <glib.h>

#include "ingest/ini.h"
#include "tests/helpers.h"

static char *dir;

static void
setup(void)
{
	dir = test_tmpdir();
}

static void
teardown(void)
{
	test_rm_rf(dir);
	g_free(dir);
}

TestSuite(ini, .init = setup, .fini = teardown, .timeout = 10);

/* write_conf - dir/name with text; returns the path (g_free). */
static char *
write_conf(const char *name, const char *text, gssize len)
{
	char *path = g_build_filename(dir, name, NULL);

	cr_assert(g_file_set_contents(path, text, len, NULL));
	return path;
}

/* collect - "section.key=value@line;" for every key. */
static int
collect(void *ctx, const char *section, const char *key, const char *value,
    unsigned line)
{
	g_string_append_printf(ctx, "%s.%s=%s@%u;", section, key, value, line);
	return 0;
}

static int
stop_at_b(void *ctx, const char *section, const char *key,
    const char *value, unsigned line)
{
	(void)section;
	(void)value;
	(void)line;
	if (strcmp(key, "b") == 0)
		return 1;
	g_string_append_printf(ctx, "%s;", key);
	return 0;
}

/* expect_error - parsing text fails with "<path>:<tail>". */
static void
expect_error(const char *text, gssize len, const char *tail)
{
	char *path = write_conf("bad.conf", text, len), *want;
	GString *seen = g_string_new(NULL);
	char err[512];

	cr_assert_eq(ini_parse_file(path, collect, seen, err, sizeof(err)),
	    -1);
	want = g_strdup_printf("%s:%s", path, tail);
	cr_expect_str_eq(err, want);
	g_free(want);
	g_free(path);
	g_string_free(seen, TRUE);
}

Test(ini, sections_keys_comments_and_whitespace_are_read_in_order)
{
	char *path = write_conf("a.conf",
	    "# comment\n"
	    "  # an indented comment\n"
	    "\n"
	    "[main]\n"
	    "home = /var/lib/x  \n"
	    "  [ deliver ]  \n"
	    "\tmax_size=10K\n"
	    "deadline =   30\r\n"
	    "empty =\n"
	    "[paths]\n"
	    "rules = a\\sb\\\\c\n"
	    "last = no newline", -1);
	GString *seen = g_string_new(NULL);
	char err[256] = "untouched";

	cr_assert_eq(ini_parse_file(path, collect, seen, err, sizeof(err)), 0);
	cr_expect_str_eq(seen->str,
	    "main.home=/var/lib/x@5;"
	    "deliver.max_size=10K@7;"
	    "deliver.deadline=30@8;"
	    "deliver.empty=@9;"
	    "paths.rules=a b\\c@11;"
	    "paths.last=no newline@12;");
	cr_expect_str_eq(err, "");
	g_string_free(seen, TRUE);
	g_free(path);
}

Test(ini, line_without_equals_is_an_error_with_its_line)
{
	expect_error("[main]\nhome = x\njunk\n", -1,
	    "3: expected 'key = value' or '[section]'");
}

Test(ini, unterminated_section_is_an_error_with_its_line)
{
	expect_error("# x\n[main\nhome = x\n", -1,
	    "2: unterminated section header");
}

Test(ini, key_before_any_section_is_an_error)
{
	expect_error("home = x\n", -1,
	    "1: key 'home' outside of any [section]");
}

Test(ini, bad_escape_is_an_error)
{
	expect_error("[main]\nhome = a\\qb\n", -1,
	    "2: invalid escape sequence in value of 'home'");
}

Test(ini, over_long_line_is_an_error_with_its_line)
{
	GString *t = g_string_new("[main]\nhome = ");

	while (t->len < 7 + INI_LINE_MAX)
		g_string_append_c(t, 'x');
	/* exactly INI_LINE_MAX bytes on line 2 is fine ... */
	g_string_append_c(t, '\n');
	{
		char *path = write_conf("ok.conf", t->str, -1);
		GString *seen = g_string_new(NULL);

		cr_expect_eq(ini_parse_file(path, collect, seen, NULL, 0), 0);
		g_string_free(seen, TRUE);
		g_free(path);
	}
	/* ... one more is not */
	g_string_insert_c(t, t->len - 1, 'x');
	expect_error(t->str, -1, "2: line too long (more than 4096 bytes)");
	g_string_free(t, TRUE);
}

Test(ini, over_large_file_is_an_error_with_its_line)
{
	GString *t = g_string_new("[main]\n");

	while (t->len <= INI_FILE_MAX)
		g_string_append(t, "# padding padding padding padding\n");
	expect_error(t->str, -1, "30842: file too large (more than 1048576 "
	    "bytes)");
	g_string_free(t, TRUE);
}

Test(ini, nul_byte_is_an_error)
{
	expect_error("[main]\nho\0me = x\n", 17, "2: NUL byte in line");
}

Test(ini, callback_return_stops_the_parse)
{
	char *path = write_conf("s.conf", "[m]\na = 1\nb = 2\nc = 3\n", -1);
	GString *seen = g_string_new(NULL);
	char err[256];

	cr_assert_eq(ini_parse_file(path, stop_at_b, seen, err, sizeof(err)),
	    -1);
	cr_expect_str_eq(seen->str, "a;");
	cr_expect(g_str_has_suffix(err, ":3: stopped by the caller"), "%s",
	    err);
	g_string_free(seen, TRUE);
	g_free(path);
}

static int
stop_with_message(void *ctx, const char *section, const char *key,
    const char *value, unsigned line)
{
	(void)section;
	(void)value;
	snprintf(ctx, 256, "%u: unknown key '%s'", line, key);
	return -1;
}

Test(ini, callback_message_is_kept)
{
	char *path = write_conf("u.conf", "[m]\n\nzz = 1\n", -1);
	char err[256];

	cr_assert_eq(ini_parse_file(path, stop_with_message, err, err,
	    sizeof(err)), -1);
	cr_expect_str_eq(err, "3: unknown key 'zz'");
	g_free(path);
}

Test(ini, missing_file_is_an_error_with_strerror)
{
	char *path = g_build_filename(dir, "nope.conf", NULL), *want;
	char err[256];

	cr_assert_eq(ini_parse_file(path, collect, NULL, err, sizeof(err)),
	    -1);
	want = g_strdup_printf("%s: No such file or directory", path);
	cr_expect_str_eq(err, want);
	g_free(want);
	g_free(path);
}

Test(ini, directory_is_an_error)
{
	char err[256], *want;

	cr_assert_eq(ini_parse_file(dir, collect, NULL, err, sizeof(err)), -1);
	want = g_strdup_printf("%s: Is a directory", dir);
	cr_expect_str_eq(err, want);
	g_free(want);
}

/* Inline text: criterion copies parameters into a new process, where
 * pointers to static strings are not valid. */
struct size_case {
	char			 text[24];
	int			 rc;
	unsigned long long	 value;
};

ParameterizedTestParameters(ini, sizes)
{
	static struct size_case cases[] = {
		{ "123", 0, 123ULL },
		{ "0", 0, 0ULL },
		{ "10K", 0, 10240ULL },
		{ "10k", 0, 10240ULL },
		{ "50M", 0, 52428800ULL },
		{ "1G", 0, 1073741824ULL },
		{ "18446744073709551615", 0, 18446744073709551615ULL },
		{ "18446744073709551616", -1, 0 },
		{ "17179869184G", -1, 0 },
		{ "", -1, 0 },
		{ "K", -1, 0 },
		{ "-1", -1, 0 },
		{ "+1", -1, 0 },
		{ " 1", -1, 0 },
		{ "1 K", -1, 0 },
		{ "10KB", -1, 0 },
		{ "1T", -1, 0 },
		{ "garbage", -1, 0 },
	};

	return cr_make_param_array(struct size_case, cases,
	    sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(struct size_case *c, ini, sizes)
{
	unsigned long long v = 7;

	cr_assert_eq(ini_parse_size(c->text, &v), c->rc, "'%s'", c->text);
	cr_expect_eq(v, c->rc == 0 ? c->value : 7ULL, "'%s'", c->text);
}

ParameterizedTestParameters(ini, durations)
{
	static struct size_case cases[] = {
		{ "90", 0, 90ULL },
		{ "0", 0, 0ULL },
		{ "90s", 0, 90ULL },
		{ "10m", 0, 600ULL },
		{ "10M", 0, 600ULL },
		{ "1h", 0, 3600ULL },
		{ "2d", 0, 172800ULL },
		{ "1w", 0, 604800ULL },
		{ "h", -1, 0 },
		{ "1hour", -1, 0 },
		{ "1K", -1, 0 },
		{ "-1h", -1, 0 },
		{ "1 h", -1, 0 },
		{ "30500000000000000w", -1, 0 },
	};

	return cr_make_param_array(struct size_case, cases,
	    sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(struct size_case *c, ini, durations)
{
	unsigned long long v = 7;

	cr_assert_eq(ini_parse_duration(c->text, &v), c->rc, "'%s'",
	    c->text);
	cr_expect_eq(v, c->rc == 0 ? c->value : 7ULL, "'%s'", c->text);
}
