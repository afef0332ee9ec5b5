/*
 * test_rules_lang.c: rules_eval() with the newer clauses: not / any /
 * all, part type and file name, format, fields, reporter, the receiving
 * MTA's Authentication-Results and trust, finding sets, suppress and role
 * actions with list files, verdict settings and captures; the bounds
 * (per-rule pcre2 limits, part text cap, CPU budget) and the public
 * helpers rules_foreach() and rules_load_with().
 */
#include "config.h"

#include <string.h>
#include <criterion/criterion.h>

#include "parse/parse.h"
#include "rules/rules.h"
#include "tests/helpers.h"
#include "tests/rules_fixture.h"

TestSuite(rules_lang, .init = test_tmp_setup, .fini = test_tmp_teardown,
    .timeout = 10);

static struct ruleset *
load_with(const char *text, const struct rules_options *opt)
{
	char *path = g_build_filename(test_tmp, "t.rules", NULL);
	GError *err = NULL;
	struct ruleset *rs;

	cr_assert(g_file_set_contents(path, text, -1, NULL));
	rs = rules_load_with(path, opt, NULL, &err);
	cr_assert_not_null(rs, "%s", err != NULL ? err->message : "");
	g_free(path);
	return rs;
}

static void
add_part(struct report *r, const char *path, const char *type,
    const char *filename, const char *text)
{
	struct report_part *p = arena_alloc(r->arena, sizeof(*p));

	p->path = arena_strdup(r->arena, path);
	p->content_type = type;
	p->filename = filename;
	p->text = arena_strdup(r->arena, text);
	p->text_len = strlen(text);
	g_ptr_array_add(r->parts, p);
}

static void
add_header(struct report *r, const char *name, const char *value)
{
	struct report_header *h = arena_alloc(r->arena, sizeof(*h));

	h->name = arena_strdup(r->arena, name);
	h->value = arena_strdup(r->arena, value);
	g_ptr_array_add(r->headers, h);
}

/* "id@part" of every hit, space separated (g_free). */
static char *
hits(const struct verdict *v)
{
	GString *s = g_string_new(NULL);
	guint i;

	for (i = 0; i < v->hits->len; i++) {
		const struct rule_hit *h = g_ptr_array_index(v->hits, i);

		g_string_append_printf(s, "%s%s@%s", i > 0 ? " " : "",
		    h->rule_id, h->part);
	}
	return g_string_free(s, FALSE);
}


Test(rules_lang, not_any_all_and_part_conditions)
{
	struct ruleset *rs = load_with(
	    "rule csv.attachment \"a CSV attachment naming a scan\"\n"
	    "\tmatch part filename /\\.csv$/i\n"
	    "\tmatch body /scan/\n"
	    "rule any.word \"either word, in text parts only\"\n"
	    "\tmatch part type /^text\\/plain$/\n"
	    "\tany {\n\t\tmatch body /alpha/\n\t\tmatch body /beta/\n\t}\n"
	    "rule not.gamma \"beta but not gamma in the same part\"\n"
	    "\tmatch body /beta/\n\tnot match body /gamma/\n"
	    "rule nested \"subject, and (alpha or (beta and gamma))\"\n"
	    "\tmatch header Subject /report/\n"
	    "\tany {\n\t\tmatch body /alpha/\n\t\tall {\n"
	    "\t\t\tmatch body /beta/\n\t\t\tmatch body /gamma/\n\t\t}\n\t}\n",
	    NULL);
	struct report *r = report_new(0);
	struct verdict v;
	char *got;

	add_header(r, "Subject", "abuse report");
	add_part(r, "1", "text/plain", NULL, "alpha");
	add_part(r, "2", "text/html", NULL, "beta");
	add_part(r, "3", "text/plain", NULL, "beta gamma");
	add_part(r, "4", "text/csv", "Scan.CSV", "scan,1");
	cr_assert(rules_eval(rs, r, &v));
	got = hits(&v);
	cr_expect_str_eq(got, "csv.attachment@4 any.word@1 not.gamma@2 "
	    "nested@1");
	cr_expect_eq(((struct rule_hit *)g_ptr_array_index(v.hits,
	    1))->count, 1);
	g_free(got);
	report_free(&r);
	rules_free(&rs);
}

Test(rules_lang, format_field_and_reporter)
{
	struct ruleset *rs = load_with(
	    "rule f.arf \"ARF\"\n\tformat is xarf|arf\n\ttag arf\n"
	    "rule f.field \"a Source-IP field in 203.0.113.0/24\"\n"
	    "\tfield source-ip /^203\\.0\\.113\\./\n\ttag field\n"
	    "rule f.rep \"reporter address\"\n\treporter /^abuse@/\n"
	    "\ttag rep\n"
	    "rule f.dom \"reporter domain\"\n\treporter domain cert.example\n"
	    "\ttag dom\n"
	    "rule f.nodom \"label boundary\"\n\treporter domain t.example\n"
	    "\ttag nodom\n", NULL);
	struct report *r = report_new(0);
	struct verdict v;
	char *got;

	r->format = "arf";
	r->reporter = "abuse@sub.cert.example";
	report_add_finding(r, FINDING_IPV4, FINDING_ROLE_OFFENDER,
	    "203.0.113.7", "203.0.113.7", "2", 0, "arf:Source-IP");
	cr_assert(rules_eval(rs, r, &v));
	got = hits(&v);
	cr_expect_str_eq(got, "f.arf@0 f.field@2 f.rep@0 f.dom@0");
	cr_assert_eq(v.tags->len, 4);
	cr_expect_str_eq(g_ptr_array_index(v.tags, 3), "dom");
	g_free(got);
	report_free(&r);
	rules_free(&rs);
}

static gboolean
trusted_with(struct ruleset *rs, const char *from, const char *ar1,
    const char *ar2)
{
	struct report *r = report_new(0);
	struct verdict v;
	gboolean t;

	r->from = from;
	if (ar1 != NULL)
		add_header(r, "Authentication-Results", ar1);
	if (ar2 != NULL)
		add_header(r, "Authentication-Results", ar2);
	cr_assert(rules_eval(rs, r, &v));
	t = v.trusted;
	report_free(&r);
	return t;
}

Test(rules_lang, authenticated_reads_the_topmost_results_only)
{
	struct ruleset *rs = load_with(
	    "rule trust.cert \"CERT mail signed by its domain\"\n"
	    "\treporter domain cert.example\n"
	    "\tauthenticated dkim\n\tauthenticated dmarc\n"
	    "\ttrust reporter\n"
	    "rule trust.spf \"SPF only\"\n\treporter domain spf.example\n"
	    "\tauthenticated spf\n\ttrust reporter\n", NULL);

	cr_expect(trusted_with(rs, "soc@cert.example", "mx.our.example; "
	    "dkim=pass (2048-bit) header.d=cert.example header.s=s1; "
	    "spf=fail; dmarc=pass (p=reject) header.from=cert.example",
	    NULL));
	/* Relaxed alignment: the From domain below the signing domain. */
	cr_expect(trusted_with(rs, "soc@mail.cert.example", "mx; dkim=pass "
	    "header.d=cert.example; dmarc=pass header.from=cert.example",
	    NULL));
	cr_expect_not(trusted_with(rs, "soc@cert.example", "mx; "
	    "dkim=pass header.d=evil.example; dmarc=pass "
	    "header.from=cert.example", NULL));
	cr_expect_not(trusted_with(rs, "soc@cert.example", "mx; "
	    "dkim=fail header.d=cert.example; dmarc=pass "
	    "header.from=cert.example", NULL));
	/* A forged lower header proves nothing. */
	cr_expect_not(trusted_with(rs, "soc@cert.example", "mx; dkim=none",
	    "mx; dkim=pass header.d=cert.example; dmarc=pass "
	    "header.from=cert.example"));
	cr_expect(trusted_with(rs, "a@spf.example", "mx; spf=pass "
	    "smtp.mailfrom=bounce@spf.example", NULL));
	cr_expect_not(trusted_with(rs, "a@spf.example", NULL, NULL));
	rules_free(&rs);
}

Test(rules_lang, finding_sets_suppress_and_role_actions)
{
	struct ruleset *rs;
	struct report *r = report_new(0);
	struct verdict v;
	char *list = g_build_filename(test_tmp, "own.txt", NULL), *got;

	cr_assert(g_file_set_contents(list, "# ours\n45.33.32.0/24\n"
	    "ourcorp.jp\n", -1, NULL));
	rs = load_with(
	    "rule x \"addresses and names\"\n"
	    "\tmatch body /(?<ipv4>\\d+\\.\\d+\\.\\d+\\.\\d+)|"
	    "(?<domain>[a-z.-]+\\.jp)/\n"
	    "\textract ipv4\n\textract domain\n"
	    "rule own \"our own networks are never offenders\"\n"
	    "\talways\n"
	    "\tsuppress in \"own.txt\" because \"our network\"\n"
	    "rule sink \"sinkhole\"\n\tfinding ipv4 in 52.1.0.0/16\n"
	    "\tsuppress ipv4 in 52.1.2.66\n"
	    "\trole victim for domain in shop.jp\n"
	    "\tset tlp AMBER\n\tset type scanner\n\troute to cert-xx\n"
	    "rule no \"a regex that never holds\"\n"
	    "\tfinding domain in /^nothing/\n\ttag never\n", NULL);
	add_part(r, "1", "text/plain", NULL, "45.33.32.9 52.1.2.66 "
	    "52.1.2.67 www.ourcorp.jp notourcorp.jp a.shop.jp");
	cr_assert(rules_eval(rs, r, &v));
	got = rfx_findings(r);
	cr_expect_str_eq(got,
	    "ipv4 offender 45.33.32.9 !our network\n"
	    "ipv4 offender 52.1.2.66 !in 52.1.2.66 (rule sink)\n"
	    "ipv4 offender 52.1.2.67\n"
	    "domain offender www.ourcorp.jp !our network\n"
	    "domain offender notourcorp.jp\n"
	    "domain victim a.shop.jp\n");
	cr_expect_str_eq(v.tlp, "AMBER");
	cr_expect_str_eq(r->tlp, "AMBER");
	cr_expect_str_eq(v.type, "scanner");
	cr_expect_str_eq(r->category, "scanner");
	cr_expect_str_eq(v.route_to, "cert-xx");
	cr_expect_eq(v.tags->len, 0);
	cr_expect_not(v.trusted);
	g_free(got);
	g_free(list);
	report_free(&r);
	rules_free(&rs);
}

Test(rules_lang, hit_captures_are_named_groups_bounded)
{
	struct ruleset *rs = load_with(
	    "rule cap \"captures\"\n"
	    "\tmatch body /port (?<_port>\\d+) from (?<ipv4>[\\d.]+) "
	    "(?<_long>x+)/\n\textract ipv4\n", NULL);
	char *text = g_strdup_printf("port 22 from 192.0.2.1 %s",
	    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	    "xxxxxxxxxx");
	struct report *r = report_new(0);
	struct verdict v;
	struct rule_hit *h;

	add_part(r, "1", "text/plain", NULL, text);
	cr_assert(rules_eval(rs, r, &v));
	cr_assert_eq(v.hits->len, 1);
	h = g_ptr_array_index(v.hits, 0);
	cr_expect_str_eq(h->captures, "_long=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx _port=22 ipv4=192.0.2.1");
	g_free(text);
	report_free(&r);
	rules_free(&rs);
}

Test(rules_lang, per_rule_match_limit_stops_nested_quantifiers)
{
	struct ruleset *rs = load_with(
	    "rule bad \"(a+)+$ on a long line\"\n\tmatch body /(a+)+$/\n"
	    "\tlimit match 5000\n"
	    "rule after \"still runs\"\n\tmatch body /b/\n", NULL);
	char *text = g_strnfill(50000, 'a');
	struct report *r = report_new(0);
	struct verdict v;
	gint64 t0;
	char *got;

	text[49999] = 'b';
	add_part(r, "1", "text/plain", NULL, text);
	t0 = g_get_monotonic_time();
	cr_assert(rules_eval(rs, r, &v));
	cr_expect_lt(g_get_monotonic_time() - t0, G_USEC_PER_SEC);
	cr_expect_eq(v.rule_errors, 1);
	cr_assert_eq(r->warnings->len, 1);
	cr_expect(g_str_has_prefix(g_ptr_array_index(r->warnings, 0),
	    "rule bad: match limit exceeded in part 1 (line 2 of "));
	got = hits(&v);
	cr_expect_str_eq(got, "after@1");
	g_free(got);
	g_free(text);
	report_free(&r);
	rules_free(&rs);
}

Test(rules_lang, cpu_budget_stops_a_thousand_slow_rules)
{
	GString *t = g_string_new(NULL);
	struct rules_options opt = { .cpu_budget_us = 100 * 1000,
	    .match_limit = 10000000 };
	struct ruleset *rs;
	struct report *r = report_new(0);
	struct verdict v;
	char *text = g_strnfill(200000, 'a');
	guint i;

	for (i = 0; i < 1000; i++)
		g_string_append_printf(t, "rule slow%u \"slow\"\n"
		    "\tmatch body /[ab]*[ac][xy]{1,%u}/\n", i, i + 1);
	rs = load_with(t->str, &opt);
	add_part(r, "1", "text/plain", NULL, text);
	cr_assert(rules_eval(rs, r, &v));
	cr_expect(v.cpu_exhausted);
	cr_expect_lt(v.rules_run, 1000);
	cr_expect_geq(v.rules_run, 1);
	cr_expect_geq(v.rule_errors, 1);
	cr_expect_lt(v.cpu_us, 5 * G_USEC_PER_SEC);
	cr_assert_geq(r->warnings->len, 1);
	cr_expect_not_null(strstr(g_ptr_array_index(r->warnings,
	    r->warnings->len - 1), "rules: CPU budget of 100 ms used up "
	    "after "));
	g_free(text);
	g_string_free(t, TRUE);
	report_free(&r);
	rules_free(&rs);
}

Test(rules_lang, part_text_is_capped_for_the_rules)
{
	struct rules_options opt = { .part_text_cap = 10 };
	struct ruleset *rs = load_with("rule far \"past the cap\"\n"
	    "\tmatch body /needle/\n", &opt);
	struct report *r = report_new(0);
	struct verdict v;

	add_part(r, "1", "text/plain", NULL, "012345678\xc3\xa9needle");
	cr_assert(rules_eval(rs, r, &v));
	cr_expect_eq(v.hits->len, 0);
	cr_assert_eq(r->warnings->len, 1);
	cr_expect_str_eq(g_ptr_array_index(r->warnings, 0), "rules: part 1: "
	    "only the first 9 of 17 bytes are matched");
	report_free(&r);
	rules_free(&rs);
}

static void
collect(const char *id, const char *description, const char *file,
    guint line, gpointer data)
{
	char *base = g_path_get_basename(file);

	g_string_append_printf(data, "%s \"%s\" %s:%u\n", id, description,
	    base, line);
	g_free(base);
}

Test(rules_lang, foreach_lists_rules_in_evaluation_order)
{
	struct ruleset *rs = load_with("rule b \"second\"\n\talways\n"
	    "\n# c\nrule a \"first\"\n\tmatch body /x/\n", NULL);
	GString *s = g_string_new(NULL);

	rules_foreach(rs, collect, s);
	cr_expect_str_eq(s->str, "b \"second\" t.rules:1\n"
	    "a \"first\" t.rules:5\n");
	g_string_free(s, TRUE);
	rules_free(&rs);
}
