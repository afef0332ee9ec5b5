/*
 * test_rules_eval.c: rules_eval() with the shipped default rules and with
 * small inline rule sets over reports built by hand: the exact findings
 * (and none for the traps real mail contains), defanged forms, special-
 * purpose addresses suppressed, categories, hits, and regex limits.
 */
#include "config.h"

#include <string.h>
#include <criterion/criterion.h>

#include "parse/parse.h"
#include "rules/rules.h"
#include "tests/helpers.h"
#include "tests/rules_fixture.h"

TestSuite(rules_eval, .init = rfx_rules_setup, .fini = rfx_rules_teardown,
    .timeout = 10);

static void
add_part(struct report *r, const char *path, const char *text)
{
	struct report_part *p = arena_alloc(r->arena, sizeof(*p));

	p->path = arena_strdup(r->arena, path);
	p->content_type = "text/plain";
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

static struct report *
one_part(const char *text)
{
	struct report *r = report_new(0);

	add_part(r, "1", text);
	return r;
}


/* Runs the default rules over text; checks the findings exactly. */
static void
expect_findings(const char *text, const char *want)
{
	struct report *r = one_part(text);
	struct verdict v;
	char *got;

	cr_assert_not_null(defaults);
	cr_assert(rules_eval(defaults, r, &v));
	got = rfx_findings(r);
	cr_expect_str_eq(got, want, "text: %s\ngot:\n%s", text, got);
	cr_expect_eq(v.rule_errors, 0);
	g_free(got);
	report_free(&r);
}

static struct ruleset *
inline_rules(const char *text)
{
	char *dir = test_tmpdir(), *path = g_build_filename(dir, "t.rules",
	    NULL);
	GError *err = NULL;
	struct ruleset *rs;

	cr_assert(g_file_set_contents(path, text, -1, NULL));
	rs = rules_load(path, NULL, &err);
	cr_assert_not_null(rs, "%s", err != NULL ? err->message : "");
	test_rm_rf(dir);
	g_free(path);
	g_free(dir);
	return rs;
}

Test(rules_eval, ipv4_plain_and_defanged)
{
	expect_findings("Attacks from 45.33.32.156, 185.220.101[.]4 and "
	    "91(.)198(.)174(.)192; again 45.33.32.156.\n",
	    "ipv4 offender 45.33.32.156\n"
	    "ipv4 offender 185.220.101.4\n"
	    "ipv4 offender 91.198.174.192\n");
}

Test(rules_eval, traps_in_real_mail_give_no_findings)
{
	expect_findings(
	    "User-Agent: Mozilla/5.0 (Windows NT 10.0; Win64; x64) "
	    "AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 "
	    "Safari/537.36\n"
	    "snmpget -v2c public 1.3.6.1.2.1.1.5.0\n"
	    "running agent v1.2.3.4 build 2.0.0.1234\n"
	    "kernel: IN=eth0 OUT= MAC=00:16:3e:5a:7b:8c:00:25:90:ab:cd:ef:"
	    "08:00 LEN=60\n"
	    "seen at 12:34:56 JST, 2024-01-15T12:34:56+09:00\n"
	    "Message-ID: <20240115123456.12345.6.7@mail.example.com>\n"
	    "std::string and Foo::Bar, see section 4.2.1\n",
	    "");
}

Test(rules_eval, ipv6_forms_are_canonical)
{
	expect_findings("src 2400:CB00:2048:0001:0000:0000:6CA2:C665 and "
	    "2a00:1450:4001:82b::200e. mapped ::ffff:45.33.32.156\n",
	    "ipv4 offender 45.33.32.156\n"
	    "ipv6 offender 2400:cb00:2048:1::6ca2:c665\n"
	    "ipv6 offender 2a00:1450:4001:82b::200e\n");
}

Test(rules_eval, url_with_ipv6_literal_host)
{
	expect_findings("see http://[2A00:1450:4001:82B:0:0:0:200E]:8080/x\n",
	    "ipv6 offender 2a00:1450:4001:82b::200e\n"
	    "url offender http://[2a00:1450:4001:82b::200e]:8080/x\n");
}

Test(rules_eval, defanged_urls_and_domains_jpcert_style)
{
	expect_findings("以下のサイトを確認しました。\n"
	    "hxxps[:]//evil-login[.]com/login.php\n"
	    "https[:]//phish[.]example[.]jp/\n"
	    "ドメイン: bad-domain[.]net\n",
	    "url offender https://evil-login.com/login.php\n"
	    "domain offender evil-login.com\n"
	    "url offender https://phish.example.jp/\n"
	    "domain offender phish.example.jp\n"
	    "domain offender bad-domain.net\n");
}

Test(rules_eval, url_glued_to_japanese_text_and_punctuation)
{
	expect_findings("詳細はhttps://bad.example.jp/index.htmlをご確認"
	    "ください。(see http://Other.Sample-Site.ORG/a?b=1&amp;c=2).\n",
	    "url offender https://bad.example.jp/index.html\n"
	    "domain offender bad.example.jp\n"
	    "url offender http://other.sample-site.org/a?b=1&c=2\n"
	    "domain offender other.sample-site.org\n");
}

Test(rules_eval, special_use_domains_are_kept_but_suppressed)
{
	expect_findings("see https://reports.blocklist.example/ip/1 and "
	    "http://www.example.com/ and http://shop.jp/\n",
	    "url offender https://reports.blocklist.example/ip/1 "
	    "!special-use domain (RFC 2606)\n"
	    "domain offender reports.blocklist.example "
	    "!special-use domain (RFC 2606)\n"
	    "url offender http://www.example.com/ !example domain (RFC 2606)\n"
	    "domain offender www.example.com !example domain (RFC 2606)\n"
	    "url offender http://shop.jp/\n"
	    "domain offender shop.jp\n");
}

Test(rules_eval, special_purpose_addresses_are_kept_but_suppressed)
{
	expect_findings("from 192.168.1.10 via http://10.0.0.5/admin and "
	    "fe80::1\n",
	    "ipv4 offender 192.168.1.10 !private use (RFC 1918)\n"
	    "ipv4 offender 10.0.0.5 !private use (RFC 1918)\n"
	    "ipv6 offender fe80::1 !link local unicast (RFC 4291)\n"
	    "url offender http://10.0.0.5/admin !private use (RFC 1918)\n");
}

Test(rules_eval, emails_and_cves_are_context)
{
	expect_findings("Contact abuse[at]example[.]net or CERT@Example.ORG "
	    "about cve-2021-44228.\n",
	    "email context abuse@example.net\n"
	    "email context CERT@example.org\n"
	    "cve context CVE-2021-44228\n");
}

Test(rules_eval, hits_record_first_part_offset_and_count)
{
	struct report *r = report_new(0);
	struct verdict v;
	struct rule_hit *h;

	add_part(r, "1", "nothing here\n");
	add_part(r, "2", "scan from 45.33.32.156 and 45.33.32.157\n");
	cr_assert(rules_eval(defaults, r, &v));
	cr_assert_eq(v.hits->len, 1);
	h = g_ptr_array_index(v.hits, 0);
	cr_expect_str_eq(h->rule_id, "extract.ipv4");
	cr_expect_str_eq(h->part, "2");
	cr_expect_eq(h->offset, 10);
	cr_expect_eq(h->count, 2);
	cr_expect_str_eq(v.rules_version, rules_version(defaults));
	cr_expect_null(v.category);
	cr_expect_not(v.ignore);
	report_free(&r);
}

Test(rules_eval, categories_in_japanese_and_english)
{
	static const char *const cases[][2] = {
		{ "フィッシングサイトの報告です", "phishing" },
		{ "マルウェアを配布しているサーバ", "malware-distribution" },
		{ "迷惑メールの送信元", "spam" },
		{ "ポートスキャンを検知しました", "scanner" },
		{ "SSHへの不正ログインの試行", "brute-force" },
		{ "Webサイトの改ざん", "application-compromise" },
		{ "脆弱性のあるサービス", "vulnerable-system" },
		{ "a C2 server (command and control)", "c2-server" },
		{ "DDoS attack observed", "ddos" },
		{ "Dos personas", NULL },
		{ "port scan and a phishing page", "phishing" },
	};
	guint i;

	for (i = 0; i < G_N_ELEMENTS(cases); i++) {
		struct report *r = one_part(cases[i][0]);
		struct verdict v;

		cr_assert(rules_eval(defaults, r, &v));
		if (cases[i][1] == NULL)
			cr_expect_null(v.category, "%s", cases[i][0]);
		else
			cr_expect_str_eq(v.category != NULL ? v.category : "",
			    cases[i][1], "%s", cases[i][0]);
		report_free(&r);
	}
}

Test(rules_eval, dmarc_aggregate_report_is_ignored)
{
	struct report *r = one_part("see attachment");
	struct verdict v;
	struct rule_hit *h;

	add_header(r, "subject", "Report domain: example.com Submitter: "
	    "google.com");
	cr_assert(rules_eval(defaults, r, &v));
	cr_expect(v.ignore);
	cr_assert_eq(v.hits->len, 1);
	h = g_ptr_array_index(v.hits, 0);
	cr_expect_str_eq(h->rule_id, "ignore.dmarc-aggregate");
	cr_expect_str_eq(h->part, "0");
	cr_expect_eq(h->count, 1);
	report_free(&r);
}

Test(rules_eval, header_extract_value_group_role_and_slash_escape)
{
	struct ruleset *rs = inline_rules(
	    "rule x.victim \"victim host from a header\"\n"
	    "\tmatch header X-Victim /(?<value>[\\w.]+)\\/v/\n"
	    "\textract domain as victim\n"
	    "rule x.both \"needs both clauses in one part\"\n"
	    "\tmatch body /alpha/\n"
	    "\tmatch body /AS(?<asn>\\d+)/\n"
	    "\textract asn as context\n"
	    "\tset category scanner\n");
	struct report *r = report_new(0);
	struct verdict v;
	char *got;

	add_header(r, "X-Victim", "Shop.VictimShop.COM/v");
	add_part(r, "1", "alpha only");
	add_part(r, "2", "AS64500 only");
	add_part(r, "3", "alpha AS64501 AS64502");
	cr_assert(rules_eval(rs, r, &v));
	got = rfx_findings(r);
	cr_expect_str_eq(got, "domain victim shop.victimshop.com\n"
	    "asn context AS64501\nasn context AS64502\n");
	cr_expect_str_eq(v.category, "scanner");
	cr_expect_eq(v.hits->len, 2);
	g_free(got);
	report_free(&r);
	rules_free(&rs);
}

Test(rules_eval, catastrophic_regex_is_a_rule_error_not_a_hang)
{
	struct ruleset *rs = inline_rules(
	    "rule bad.backtrack \"exponential backtracking\"\n"
	    "\tmatch body /(a|aa)+$/\n"
	    "rule fine \"still runs after the bad one\"\n"
	    "\tmatch body /(?<ipv4>45\\.33\\.32\\.156)/\n"
	    "\textract ipv4\n");
	GString *text = g_string_new("45.33.32.156 ");
	struct report *r;
	struct verdict v;
	gint64 t0;
	char *got, *w;

	while (text->len < 100 * 1024)
		g_string_append_c(text, 'a');
	g_string_append_c(text, 'b');
	r = one_part(text->str);
	t0 = g_get_monotonic_time();
	cr_assert(rules_eval(rs, r, &v));
	cr_expect_lt(g_get_monotonic_time() - t0, 5 * G_USEC_PER_SEC);
	cr_expect_eq(v.rule_errors, 1);
	cr_assert_eq(r->warnings->len, 1);
	/* The match limit, or with JIT possibly the JIT stack limit. */
	w = g_ptr_array_index(r->warnings, 0);
	cr_expect(g_str_has_prefix(w, "rule bad.backtrack: "), "%s", w);
	cr_expect_not_null(strstr(w, " limit "), "%s", w);
	cr_expect_not_null(strstr(w, " in part 1 (line 2 of "), "%s", w);
	got = rfx_findings(r);
	cr_expect_str_eq(got, "ipv4 offender 45.33.32.156\n");
	g_free(got);
	g_string_free(text, TRUE);
	report_free(&r);
	rules_free(&rs);
}

Test(rules_eval, empty_matches_advance_and_matches_are_bounded)
{
	struct ruleset *rs = inline_rules(
	    "rule empty \"matches the empty string\"\n"
	    "\tmatch body /x*/\n"
	    "rule many \"every character\"\n"
	    "\tmatch body /./s\n");
	char *big = g_strnfill(20000, 'z');
	struct report *r = report_new(0);
	struct verdict v;
	struct rule_hit *h;

	add_part(r, "1", "ab\xc3\xa9x");
	add_part(r, "2", big);
	cr_assert(rules_eval(rs, r, &v));
	cr_assert_eq(v.hits->len, 2);
	h = g_ptr_array_index(v.hits, 0);
	/* Part 1: empty at 0, 1, 2 (before é), "x" at 4, empty at the end;
	 * part 2: 20001 empty matches, cut at 10000. */
	cr_expect_eq(h->count, 5 + 10000, "empty rule count %u", h->count);
	h = g_ptr_array_index(v.hits, 1);
	cr_expect_eq(h->count, 4 + 10000);
	cr_expect_eq(r->warnings->len, 2);
	cr_expect_str_eq(g_ptr_array_index(r->warnings, 0),
	    "rule empty: more than 10000 matches in part 2: the rest is "
	    "skipped");
	g_free(big);
	report_free(&r);
	rules_free(&rs);
}
