/*
 * test_parse_notice.c: CSIRT and hoster notices (parse/fmt_notice.c) read
 * through parse_message() and the default rules: partner ticket ids, the
 * TLP label, the sender family in r->format, the JPCERT/CC layout (hosting
 * IP after a defanged URL, inetnum bounds as context, the log's
 * destination as victim) and the taxonomy of the category.  Every
 * finding is compared exactly: kind, role and value.
 */
#include "config.h"

#include <string.h>
#include <criterion/criterion.h>

#include "parse/parse.h"
#include "rules/rules.h"
#include "tests/helpers.h"
#include "tests/rules_fixture.h"


TestSuite(parse_notice, .init = rfx_rules_setup, .fini = rfx_rules_teardown,
    .timeout = 10);

static struct report *
load(const char *name)
{
	struct report *r;
	GBytes *b = test_read_fixture(name);
	gsize len;
	const guint8 *d = g_bytes_get_data(b, &len);

	r = rfx_analyse(d, len);
	g_bytes_unref(b);
	return r;
}

/* Every finding but e-mail addresses, "kind role value" one a line. */
static char *
findings(const struct report *r)
{
	GString *s = g_string_new(NULL);
	guint i;

	for (i = 0; i < r->findings->len; i++) {
		const struct finding *f = g_ptr_array_index(r->findings, i);

		if (f->kind == FINDING_EMAIL)
			continue;
		g_string_append_printf(s, "%s %s %s%s\n",
		    finding_kind_name(f->kind), finding_role_name(f->role),
		    f->value, f->suppressed ? " suppressed" : "");
	}
	return g_string_free(s, FALSE);
}

static void
assert_tickets(const struct report *r, const char *const *want, guint n)
{
	guint i;

	cr_assert_eq(r->tickets->len, n, "tickets: %u", r->tickets->len);
	for (i = 0; i < n; i++)
		cr_assert_str_eq(g_ptr_array_index(r->tickets, i), want[i]);
}

Test(parse_notice, jpcert_layout)
{
	static const char *const tickets[] = { "JPCERT#12345678" };
	struct report *r = load("fmt-notice-jpcert.eml");
	char *got = findings(r);

	cr_assert_str_eq(r->format, "jpcert");
	cr_assert_str_eq(r->tlp, "AMBER");
	assert_tickets(r, tickets, G_N_ELEMENTS(tickets));
	cr_assert_str_eq(r->category, "phishing");
	cr_assert_str_eq(r->taxonomy, "fraud");
	cr_assert_str_eq(got,
	    "ipv4 offender 84.200.3.15\n"
	    "ipv4 offender 84.200.3.16\n"
	    "ipv4 offender 84.200.3.17\n"
	    "ipv4 context 200.3.12.0\n"
	    "ipv4 context 200.3.15.255\n"
	    "ipv4 offender 84.200.3.18\n"
	    "ipv4 victim 133.36.1.110\n"
	    "url offender https://login-bank.jp-secure.top/signin/\n"
	    "domain offender login-bank.jp-secure.top\n"
	    "url offender https://pay.evil-shop.top/\n"
	    "domain offender pay.evil-shop.top\n"
	    "url offender http://cdn.bad-host.ru/x.js\n"
	    "domain offender cdn.bad-host.ru\n"
	    "url reporter https://www.jpcert.or.jp/english/\n"
	    "domain reporter www.jpcert.or.jp\n");
	g_free(got);
	report_free(&r);
}

Test(parse_notice, certbund_tlp_body_and_iptables_victims)
{
	static const char *const tickets[] = {
		"CERT-Bund#2026112812000123" };
	struct report *r = load("fmt-notice-certbund.eml");
	char *got = findings(r);

	cr_assert_str_eq(r->format, "cert-notice");
	cr_assert_str_eq(r->tlp, "GREEN");
	assert_tickets(r, tickets, G_N_ELEMENTS(tickets));
	cr_assert_str_eq(got,
	    "ipv4 offender 84.200.7.9\n"
	    "ipv4 victim 91.198.174.192\n"
	    "ipv4 victim 91.198.174.193\n"
	    "url reporter https://reports.cert-bund.de/hinweise\n"
	    "domain reporter reports.cert-bund.de\n");
	g_free(got);
	report_free(&r);
}

Test(parse_notice, rt_and_certat_tickets)
{
	static const char *const tickets[] = {
		"rt.cert.example #4711", "CERT.at #1234567" };
	struct report *r = load("fmt-notice-rt.eml");
	char *got = findings(r);

	cr_assert_str_eq(r->format, "cert-notice");
	cr_assert_str_eq(r->tlp, "CLEAR");
	assert_tickets(r, tickets, G_N_ELEMENTS(tickets));
	cr_assert_str_eq(r->category, "application-compromise");
	cr_assert_str_eq(r->taxonomy, "intrusions");
	cr_assert_str_eq(got,
	    "ipv4 offender 84.200.9.10\n"
	    "ipv4 victim 84.200.9.250\n"
	    "url offender http://shop-tirol.at/index.php\n"
	    "domain offender shop-tirol.at\n");
	g_free(got);
	report_free(&r);
}

Test(parse_notice, netcraft_issue_and_hoster_ticket)
{
	static const char *const tickets[] = {
		"Ticket#2026112810000123", "Issue 12133754" };
	struct report *r = load("fmt-notice-netcraft.eml");
	char *got = findings(r);

	cr_assert_str_eq(r->format, "netcraft");
	cr_assert_str_eq(r->tlp, "CLEAR");	/* TLP 1.0 WHITE */
	assert_tickets(r, tickets, G_N_ELEMENTS(tickets));
	cr_assert_str_eq(r->taxonomy, "malicious-code");
	cr_assert_str_eq(got,
	    "url offender http://www.host.co.uk/update.exe\n"
	    "domain offender www.host.co.uk\n"
	    "url reporter https://incident.netcraft.com/ab12cd34/\n"
	    "domain reporter incident.netcraft.com\n");
	g_free(got);
	report_free(&r);
}

Test(parse_notice, taxonomy_table)
{
	static const struct {
		const char *word, *type, *tax;
	} t[] = {
		{ "login-attack", "brute-force", "intrusion-attempts" },
		{ "LoginAttack", "brute-force", "intrusion-attempts" },
		{ "port_scan", "scanner", "information-gathering" },
		{ "scan_ssh", "potentially-unwanted-accessible",
		    "vulnerable" },
		{ "ddos", "ddos", "availability" },
		{ "abuse", "spam", "abusive-content" },
		{ "c2", "c2-server", "malicious-code" },
		{ "defacement", "application-compromise", "intrusions" },
		{ "vulnerable-service", "vulnerable-system", "vulnerable" },
		{ "フィッシング", "phishing", "fraud" },
	};
	const char *tax;
	guint i;

	for (i = 0; i < G_N_ELEMENTS(t); i++) {
		cr_assert_str_eq(taxonomy_lookup(t[i].word, &tax), t[i].type,
		    "%s", t[i].word);
		cr_assert_str_eq(tax, t[i].tax, "%s", t[i].word);
	}
	cr_assert_null(taxonomy_lookup("no-such-thing", &tax));
	cr_assert_null(tax);
	cr_assert_null(taxonomy_lookup(NULL, NULL));
}

Test(parse_notice, hostile_subjects_do_not_crash)
{
	static const char *const raw[] = {
		"Subject: [#]\n\nx\n",
		"Subject: [ #1]\n\n(1.2.3.4)\n",
		"Subject: TLP:\n\nTLP: PURPLE\nhttps[:]//a\n(\n",
		"Subject: JPCERT#\n\nNetRange or inetnum: -\n",
	};
	struct parse_limits l;
	struct verdict v;
	guint i;

	parse_limits_default(&l);
	for (i = 0; i < G_N_ELEMENTS(raw); i++) {
		struct report *r = parse_message((const guint8 *)raw[i],
		    strlen(raw[i]), &l);

		cr_assert(rules_eval(defaults, r, &v));
		cr_assert_null(r->tlp);
		cr_assert_eq(r->tickets->len, 0);
		report_free(&r);
	}
}
