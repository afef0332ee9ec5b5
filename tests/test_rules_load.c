/*
 * test_rules_load.c: rules_load() diagnostics (file:line:col: message)
 * for every kind of mistake, includes, directory order, replacement of
 * a rule by id, the version hash, and the shipped default rules.
 */
#include "config.h"

#include <string.h>
#include <criterion/criterion.h>
#include <glib/gstdio.h>

#include "parse/limits.h"
#include "rules/rules_int.h"
#include "tests/helpers.h"

TestSuite(rules_load, .init = test_tmp_setup, .fini = test_tmp_teardown,
    .timeout = 10);

/* Writes tmp/name; returns its path (g_free). */
static char *
put(const char *name, const char *text)
{
	char *path = g_build_filename(test_tmp, name, NULL);

	cr_assert(g_file_set_contents(path, text, -1, NULL));
	return path;
}

/* Loads path; returns every diagnostic, one per line, with the temp
 * directory written "$T" (g_free). */
static char *
load(const char *path, struct ruleset **rs_r, GError **error)
{
	GPtrArray *diags = g_ptr_array_new_with_free_func(rules_diag_free);
	struct ruleset *rs = rules_load(path, diags, error);
	GString *out = g_string_new(NULL);
	char **bits, *res;
	guint i;

	for (i = 0; i < diags->len; i++) {
		rules_diag_format(g_ptr_array_index(diags, i), out);
		g_string_append_c(out, '\n');
	}
	g_ptr_array_free(diags, TRUE);
	if (rs_r != NULL)
		*rs_r = rs;
	else
		rules_free(&rs);
	bits = g_strsplit(out->str, test_tmp, -1);
	res = g_strjoinv("$T", bits);
	g_strfreev(bits);
	g_string_free(out, TRUE);
	return res;
}

/* Diagnostics of one inline rules file called t.rules. */
static void
expect_diags(const char *text, const char *want)
{
	char *path = put("t.rules", text), *got;
	GError *err = NULL;
	struct ruleset *rs = NULL;

	got = load(path, &rs, &err);
	cr_expect_str_eq(got, want);
	if (strstr(want, ": error: ") != NULL) {
		cr_expect_null(rs);
		cr_expect_not_null(err);
	} else
		cr_expect_not_null(rs);
	rules_free(&rs);
	g_clear_error(&err);
	g_free(got);
	g_free(path);
}

Test(rules_load, unknown_keyword_is_an_error_at_its_column)
{
	expect_diags("# c\nrulez a \"d\"\n\tmatch body /x/\n",
	    "$T/t.rules:2:1: error: unknown keyword 'rulez' (expected 'rule' "
	    "or 'include')\n");
}

Test(rules_load, missing_description_is_an_error)
{
	expect_diags("rule a.b\n\tmatch body /x/\n",
	    "$T/t.rules:1:9: error: rule 'a.b' has no description (write "
	    "rule ID \"what it finds\")\n");
}

Test(rules_load, bad_id_is_an_error)
{
	expect_diags("rule Bad!id \"d\"\n\tmatch body /x/\n",
	    "$T/t.rules:1:6: error: bad rule id 'Bad!id' (use a-z, 0-9, '.', "
	    "'_', '-')\n");
}

Test(rules_load, regex_error_points_at_the_offending_column)
{
	expect_diags("rule a \"d\"\n\tmatch body /ab(c/\n",
	    "$T/t.rules:2:18: error: bad regex in rule 'a': missing closing "
	    "parenthesis\n");
	expect_diags("rule a \"d\"\n\tmatch body /a{2,1}/\n",
	    "$T/t.rules:2:19: error: bad regex in rule 'a': numbers out of "
	    "order in {} quantifier\n");
}

Test(rules_load, regex_error_is_a_regex_gerror_with_the_position)
{
	char *path = put("t.rules", "rule a \"d\"\n\tmatch body /(/\n");
	GError *err = NULL;
	struct ruleset *rs = rules_load(path, NULL, &err);
	char *want = g_strdup_printf("%s:2:15: bad regex in rule 'a': "
	    "missing closing parenthesis", path);

	cr_assert_null(rs);
	cr_assert_not_null(err);
	cr_expect_eq(err->domain, RULES_ERROR);
	cr_expect_eq(err->code, RULES_ERROR_REGEX);
	cr_expect_str_eq(err->message, want);
	g_clear_error(&err);
	g_free(want);
	g_free(path);
}

Test(rules_load, extract_of_a_group_the_regex_lacks_is_an_error)
{
	expect_diags("rule a \"d\"\n\tmatch body /(?<url>x)/\n"
	    "\textract ipv4\n",
	    "$T/t.rules:3:2: error: extract ipv4: no regex of rule 'a' has a "
	    "group named 'ipv4' or 'value'\n");
}

Test(rules_load, unknown_kind_and_role_are_errors)
{
	expect_diags("rule a \"d\"\n\tmatch body /(?<value>x)/\n"
	    "\textract ipv5\n\textract ipv4 as villain\n",
	    "$T/t.rules:3:10: error: unknown kind 'ipv5' (expected ipv4, "
	    "ipv6, cidr, url, domain, email, asn, cve, hash)\n"
	    "$T/t.rules:4:18: error: unknown role 'villain' (expected "
	    "offender, victim, reporter, context)\n");
}

Test(rules_load, every_error_of_a_file_is_reported_in_one_run)
{
	expect_diags("\tmatch body /x/\n"
	    "rule a \"d\"\n"
	    "\tmatch body /x/q\n"
	    "\tmatch nowhere /x/\n"
	    "\tmatch body /abc\n"
	    "\tfrobnicate\n"
	    "\tset colour red\n"
	    "\tset category Red\n"
	    "\tignore now\n"
	    "rule b \"d\" extra\n"
	    "rule c \"d\"\n",
	    "$T/t.rules:1:2: error: 'match' outside a rule (clauses are "
	    "indented under 'rule ID \"description\"')\n"
	    "$T/t.rules:3:16: error: unknown regex flag 'q' (expected i, m, "
	    "s, x, u)\n"
	    "$T/t.rules:4:8: error: expected 'body', 'header' or 'part' "
	    "after 'match', got 'nowhere'\n"
	    "$T/t.rules:5:13: error: unterminated regex in rule 'a' (missing "
	    "closing '/')\n"
	    "$T/t.rules:6:2: error: unknown clause 'frobnicate' (expected "
	    "match, format, field, reporter, authenticated, finding, always, "
	    "not, any, all, extract, set, tag, suppress, role, route, trust, "
	    "limit, ignore)\n"
	    "$T/t.rules:7:6: error: unknown setting 'colour' (expected "
	    "category, type, tlp)\n"
	    "$T/t.rules:8:15: error: bad category 'Red' (use a-z, 0-9, '-', "
	    "'_')\n"
	    "$T/t.rules:9:9: error: unexpected text 'now'\n"
	    "$T/t.rules:10:12: error: unexpected text 'extra'\n"
	    "$T/t.rules:11:1: error: rule 'c' has no condition (match, "
	    "format, field, reporter, authenticated, finding or always)\n");
}

Test(rules_load, empty_matching_regex_is_a_warning_only)
{
	char *path = put("t.rules", "rule a \"d\"\n\tmatch body /x*/i\n");
	struct ruleset *rs = NULL;
	char *got = load(path, &rs, NULL);

	cr_expect_str_eq(got, "$T/t.rules:2:14: warning: regex of rule 'a' "
	    "matches the empty string\n");
	cr_assert_not_null(rs);
	cr_expect_eq(rules_count(rs), 1);
	rules_free(&rs);
	g_free(got);
	g_free(path);
}

Test(rules_load, include_is_relative_to_the_including_file)
{
	char *sub = g_build_filename(test_tmp, "sub", NULL), *path, *got;
	struct ruleset *rs = NULL;

	g_mkdir(sub, 0700);
	g_free(put("sub/inc.rules", "rule b \"d\"\n\tmatch body /b/\n"));
	path = put("main.rules", "include \"sub/inc.rules\"  # ok\n"
	    "rule a \"d\"\n\tmatch body /a/\n");
	got = load(path, &rs, NULL);
	cr_expect_str_eq(got, "");
	cr_assert_not_null(rs);
	cr_expect_eq(rules_count(rs), 2);
	cr_expect_str_eq(((struct rule *)g_ptr_array_index(rs->rules,
	    0))->id, "b");
	rules_free(&rs);
	g_free(got);
	g_free(path);
	g_free(sub);
}

Test(rules_load, include_loop_is_an_error)
{
	char *a = put("a.rules", "include \"b.rules\"\n"), *got;

	g_free(put("b.rules", "\ninclude \"a.rules\"\n"));
	got = load(a, NULL, NULL);
	cr_expect_str_eq(got, "$T/b.rules:2:9: error: include loop: "
	    "'$T/a.rules' is already being loaded\n");
	g_free(got);
	g_free(a);
}

Test(rules_load, include_nesting_is_bounded)
{
	char name[32], text[64], *first = NULL, *got, *want;
	guint i;

	for (i = 0; i <= LIMIT_RULES_INCLUDE_DEPTH + 1; i++) {
		g_snprintf(name, sizeof(name), "f%u.rules", i);
		g_snprintf(text, sizeof(text), "include \"f%u.rules\"\n",
		    i + 1);
		if (i == 0)
			first = put(name, text);
		else
			g_free(put(name, text));
	}
	got = load(first, NULL, NULL);
	want = g_strdup_printf("$T/f%u.rules:1:9: error: includes nested "
	    "deeper than %u\n", LIMIT_RULES_INCLUDE_DEPTH,
	    LIMIT_RULES_INCLUDE_DEPTH);
	cr_expect_str_eq(got, want);
	g_free(want);
	g_free(got);
	g_free(first);
}

Test(rules_load, missing_include_names_the_including_line)
{
	expect_diags("\n\ninclude \"nope.rules\"\n",
	    "$T/t.rules:3:9: error: cannot read '$T/nope.rules': No such "
	    "file or directory\n");
}

Test(rules_load, too_large_file_is_an_error)
{
	GString *big = g_string_new(NULL);
	char *path, *got, *want;
	GError *err = NULL;

	while (big->len <= LIMIT_RULES_FILE_BYTES)
		g_string_append(big, "# padding padding padding padding\n");
	path = put("big.rules", big->str);
	got = load(path, NULL, &err);
	want = g_strdup_printf("$T/big.rules:1:1: error: file too large "
	    "(%zu bytes, limit %u)\n", big->len, LIMIT_RULES_FILE_BYTES);
	cr_expect_str_eq(got, want);
	cr_expect_eq(err->code, RULES_ERROR_LIMIT);
	g_clear_error(&err);
	g_string_free(big, TRUE);
	g_free(want);
	g_free(got);
	g_free(path);
}

Test(rules_load, too_many_rules_is_an_error)
{
	GString *text = g_string_new(NULL);
	char *path, *got, *want;
	guint i;

	for (i = 0; i <= LIMIT_RULES_COUNT; i++)
		g_string_append_printf(text, "rule r%u \"d\"\n\tmatch body "
		    "/x/\n", i);
	path = put("many.rules", text->str);
	got = load(path, NULL, NULL);
	want = g_strdup_printf("$T/many.rules:%u:1: error: too many rules "
	    "(limit %u)\n", 2 * LIMIT_RULES_COUNT + 1, LIMIT_RULES_COUNT);
	cr_expect_str_eq(got, want);
	g_string_free(text, TRUE);
	g_free(want);
	g_free(got);
	g_free(path);
}

Test(rules_load, directory_loads_in_name_order_and_later_id_replaces)
{
	struct ruleset *rs = NULL;
	struct rule *ru;
	char *got;

	g_free(put("20-b.rules", "rule x \"second\"\n\tmatch body /b/\n"
	    "rule y \"y\"\n\tmatch body /y/\n"));
	g_free(put("10-a.rules", "rule x \"first\"\n\tmatch body /a/\n"
	    "rule z \"z\"\n\tmatch body /z/\n"));
	g_free(put("README", "not rules\n"));
	got = load(test_tmp, &rs, NULL);
	cr_expect_str_eq(got, "$T/20-b.rules:1:1: warning: rule 'x' replaces "
	    "the one at $T/10-a.rules:1\n");
	cr_assert_not_null(rs);
	cr_assert_eq(rules_count(rs), 3);
	ru = g_ptr_array_index(rs->rules, 0);
	cr_expect_str_eq(ru->id, "x");
	cr_expect_str_eq(ru->description, "second");
	cr_expect_str_eq(((struct rule *)g_ptr_array_index(rs->rules,
	    1))->id, "z");
	cr_expect_str_eq(((struct rule *)g_ptr_array_index(rs->rules,
	    2))->id, "y");
	rules_free(&rs);
	g_free(got);
}

Test(rules_load, version_is_the_sha256_of_the_files)
{
	const char *text = "rule a \"d\"\n\tmatch body /a/\n";
	char *path = put("t.rules", text), *sum;
	struct ruleset *rs = rules_load(path, NULL, NULL);

	sum = g_compute_checksum_for_string(G_CHECKSUM_SHA256, text, -1);
	cr_assert_not_null(rs);
	cr_expect_str_eq(rules_version(rs), sum);
	rules_free(&rs);
	g_free(sum);
	g_free(path);
}

Test(rules_load, default_rules_load_without_diagnostics)
{
	char *dir = test_src_path("rules/default"), *got;
	struct ruleset *rs = NULL;
	GPtrArray *diags = g_ptr_array_new_with_free_func(rules_diag_free);
	GString *out = g_string_new(NULL);
	guint i;

	rs = rules_load(dir, diags, NULL);
	for (i = 0; i < diags->len; i++)
		rules_diag_format(g_ptr_array_index(diags, i), out);
	got = g_string_free(out, FALSE);
	cr_expect_str_eq(got, "");
	cr_assert_not_null(rs);
	cr_expect_eq(rules_count(rs), 33);
	cr_expect_eq(strlen(rules_version(rs)), 64);
	rules_free(&rs);
	g_ptr_array_free(diags, TRUE);
	g_free(got);
	g_free(dir);
}

Test(rules_load, rules_free_accepts_null_and_clears)
{
	struct ruleset *rs = NULL;

	rules_free(&rs);
	rules_free(NULL);
	cr_expect_null(rs);
}
