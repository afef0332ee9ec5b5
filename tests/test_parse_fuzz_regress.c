/*
 * test_parse_fuzz_regress.c: inputs the fuzzer (fuzz/fuzz_parse) made
 * crash, kept as tests/data/fuzz-<name>.eml.  Each goes through what the
 * fuzz target does: parse_message(), rules_eval() with the default rules
 * and report_dump().  Every fuzz-*.eml of the fixtures directory is run,
 * so a new fixture needs no new code; the named tests also check what
 * the report says about the input.  Run under --enable-asan to see the
 * memory errors themselves, not only the crashes.
 */
#include "config.h"

#include <criterion/criterion.h>
#include <string.h>

#include "parse/parse.h"
#include "rules/rules.h"
#include "tests/helpers.h"

static struct ruleset *rs;

static void
setup(void)
{
	char *dir = test_src_path("rules/default");
	GError *err = NULL;

	parse_init();
	rs = rules_load(dir, NULL, &err);
	cr_assert_not_null(rs, "%s: %s", dir, err != NULL ? err->message : "");
	g_free(dir);
}

static void
teardown(void)
{
	rules_free(&rs);
}

TestSuite(parse_fuzz_regress, .init = setup, .fini = teardown,
    .timeout = 10);

/* run - the fuzz target's body; returns the report (report_free it). */
static struct report *
run(const guint8 *raw, gsize len)
{
	struct parse_limits l;
	struct verdict v;
	struct report *r;
	GString *dump = g_string_new(NULL);

	parse_limits_default(&l);
	memset(&v, 0, sizeof(v));
	r = parse_message(raw, len, &l);
	cr_assert_not_null(r);
	(void)rules_eval(rs, r, &v);
	report_dump(r, dump);
	cr_expect_gt(dump->len, 0);
	g_string_free(dump, TRUE);
	return r;
}

static gboolean
has_warning(const struct report *r, const char *needle)
{
	guint i;

	for (i = 0; i < r->warnings->len; i++)
		if (strstr(g_ptr_array_index(r->warnings, i), needle) != NULL)
			return TRUE;
	return FALSE;
}

Test(parse_fuzz_regress, every_fuzz_fixture_parses)
{
	char *dir = test_data_path("");
	GDir *d = g_dir_open(dir, 0, NULL);
	const char *name;
	guint n = 0;

	cr_assert_not_null(d, "%s", dir);
	while ((name = g_dir_read_name(d)) != NULL) {
		GBytes *b;
		struct report *r;
		gsize len;
		const guint8 *raw;

		if (!g_str_has_prefix(name, "fuzz-") ||
		    !g_str_has_suffix(name, ".eml"))
			continue;
		b = test_read_fixture(name);
		raw = g_bytes_get_data(b, &len);
		r = run(raw, len);
		report_free(&r);
		g_bytes_unref(b);
		n++;
	}
	g_dir_close(d);
	g_free(dir);
	cr_expect_geq(n, 1, "no fuzz-*.eml fixtures");
}

/* A gzip attachment whose stream inflates to nothing: the empty member
 * reached memchr() with a NULL buffer (UBSan, parse/unpack.c
 * guess_type()).  Now it is a warning about the stream. */
Test(parse_fuzz_regress, gzip_member_with_no_bytes)
{
	GBytes *b = test_read_fixture("fuzz-gzip-empty-member.eml");
	const guint8 *raw;
	struct report *r;
	gsize len;

	raw = g_bytes_get_data(b, &len);
	r = run(raw, len);
	cr_expect(has_warning(r, "gzip"), "no warning about the gzip part");
	report_free(&r);
	g_bytes_unref(b);
}
