/*
 * test_parse_spamcop.c: SpamCop per-spam (current and old style) and
 * summary reports (parse/fmt_spamcop.c), and the Google Safe Browsing XML
 * fragment (parse/fmt_gsb.c): exact findings, format, class, tickets.
 * fmt_add() adds the host of every URL finding as a domain finding with
 * the URL's role, so each URL line is followed by its host.
 */
#include "config.h"

#include <string.h>
#include <criterion/criterion.h>

#include "parse/parse.h"
#include "tests/helpers.h"
#include "tests/parse_fixture.h"

TestSuite(parse_spamcop, .init = fixture_setup, .fini = fixture_teardown,
    .timeout = 10);

/* The findings of the handler whose sources start with prefix. */
static char *
findings(const struct report *r, const char *prefix)
{
	GString *s = g_string_new(NULL);
	guint i;

	for (i = 0; i < r->findings->len; i++) {
		const struct finding *f = g_ptr_array_index(r->findings, i);

		if (!g_str_has_prefix(f->source, prefix))
			continue;
		g_string_append_printf(s, "%s %s %s\n",
		    finding_kind_name(f->kind), finding_role_name(f->role),
		    f->value);
	}
	return g_string_free(s, FALSE);
}

static void
assert_spam(const struct report *r, const char *ticket)
{
	cr_assert_str_eq(r->format, "spamcop");
	cr_assert_str_eq(r->category, "spam");
	cr_assert_str_eq(r->taxonomy, "abusive-content");
	if (ticket == NULL)
		return;
	cr_assert_eq(r->tickets->len, 1);
	cr_assert_str_eq(g_ptr_array_index(r->tickets, 0), ticket);
}

Test(parse_spamcop, per_spam)
{
	struct report *r = parse_fixture("fmt-spamcop-perspam.eml");
	char *s = findings(r, "spamcop:");

	cr_assert_str_eq(s,
	    "ipv4 offender 45.142.212.61\n"
	    "url offender http://cheap-meds-now.ru/buy?id=77\n"
	    "domain offender cheap-meds-now.ru\n"
	    "url context https://www.spamcop.net/w3m?i=z7402351938z4d6a1f0c"
	    "2e5b9d8e7f1a2b3c4d5e6f70z\n"
	    "domain context www.spamcop.net\n"
	    "url context https://www.spamcop.net/w3m?i=z7402351938z4d6a1f0c"
	    "2e5b9d8e7f1a2b3c4d5e6f70z&u=1\n");
	cr_assert_str_eq(finding_of(r, "45.142.212.61")->observed_at,
	    "2026-11-27T14:58:02Z");
	cr_assert_str_eq(r->event_time, "2026-11-27T14:58:02Z");
	assert_spam(r, "SpamCop#7402351938");
	g_free(s);
	report_free(&r);
}

/* Old banner, "Offending message:", forwarded-message markers, an empty
 * X-SpamCop-sourceip and an uncompressed IPv6 source. */
Test(parse_spamcop, old_style)
{
	struct report *r = parse_fixture("fmt-spamcop-oldstyle.eml");
	char *s = findings(r, "spamcop:");

	cr_assert_str_eq(s,
	    "ipv6 offender 2a01:4f8:c17:1a2b::2\n"
	    "url offender http://pills.shop-online.biz/\n"
	    "domain offender pills.shop-online.biz\n"
	    "url context http://www.spamcop.net/w3m?i=z1234567zabcdefz\n"
	    "domain context www.spamcop.net\n"
	    "url context http://www.spamcop.net/mky-spamvertized.html\n");
	assert_spam(r, "SpamCop#1234567");
	g_free(s);
	report_free(&r);
}

Test(parse_spamcop, summary)
{
	struct report *r = parse_fixture("fmt-spamcop-summary.eml");
	char *s = findings(r, "spamcop:");

	cr_assert_str_eq(s,
	    "ipv4 offender 45.142.212.61\n"
	    "domain context mail.cheap-meds-now.ru\n"
	    "ipv4 offender 133.242.7.200\n"
	    "domain context www1234.sakura.ne.jp\n");
	cr_assert_str_eq(finding_of(r, "45.142.212.61")->attrs,
	    "trap=12 user=3 mole=0 simp=0");
	cr_assert_str_eq(finding_of(r, "133.242.7.200")->attrs,
	    "trap=0 user=1 mole=0 simp=0");
	assert_spam(r, NULL);
	cr_assert_eq(r->warnings->len, 0);
	g_free(s);
	report_free(&r);
}

Test(parse_spamcop, gsb_fragment)
{
	struct report *r = parse_fixture("fmt-gsb-notification.eml");
	char *s = findings(r, "gsb:");

	cr_assert_str_eq(s,
	    "url offender http://login-secure.jp-bank-verify.com/signin/\n"
	    "domain offender login-secure.jp-bank-verify.com\n"
	    "ipv4 offender 133.242.7.200\n"
	    "url offender http://133.242.7.201/paypal/\n"
	    "ipv4 offender 133.242.7.201\n"
	    "url offender http://dl.freeware-site.ru/setup.exe\n"
	    "domain offender dl.freeware-site.ru\n"
	    "ipv4 offender 45.142.212.61\n");
	cr_assert_str_eq(r->format, "gsb");
	cr_assert_str_eq(r->category, "phishing");
	cr_assert_str_eq(r->event_time, "2026-11-27T02:00:00Z");
	g_free(s);
	report_free(&r);
}

/* A broken fragment keeps what was read before the error. */
Test(parse_spamcop, gsb_broken_fragment)
{
	const char *m =
	    "From: noreply@google.com\nSubject: notification\n\n"
	    "<notification_message asn=\"1\" date=\"x\"><list type=\"1\">"
	    "<url_info url=\"http://dl.freeware-site.ru/a.exe\"/>"
	    "<url_info url=\"http://x.ru/\" ip=\"5.9.34.17\"";
	struct report *r = parse_message((const guint8 *)m, strlen(m), NULL);
	char *s = findings(r, "gsb:");

	cr_assert_str_eq(s, "url offender http://dl.freeware-site.ru/a.exe\n"
	    "domain offender dl.freeware-site.ru\n");
	cr_assert_str_eq(r->category, "malware-distribution");
	cr_assert_null(r->event_time);
	g_free(s);
	report_free(&r);
}
