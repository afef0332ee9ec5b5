/*
 * test_parse_xarf.c: X-ARF 0.1 / 0.2 (YAML report.txt) through parse/fmt_xarf.c:
 * exact findings with roles, port and time, classification, deviations
 * (no header, quoted YAML, CRLF, JavaScript dates, broken Schema-URL) and
 * hostile input.
 */
#include "config.h"

#include <string.h>
#include <criterion/criterion.h>

#include "parse/parse.h"
#include "tests/helpers.h"
#include "tests/parse_fixture.h"

TestSuite(parse_xarf, .init = fixture_setup, .fini = fixture_teardown,
    .timeout = 10);

Test(parse_xarf, v01_login_attack)
{
	check("fmt-xarf-v01.eml", "xarf", "brute-force", "intrusion-attempts",
	    "2024-03-05T09:11:59Z",
	    "ipv4 offender 5.9.34.17 xarf:Source :22 @2024-03-05T09:11:59Z\n"
	    "email reporter reports@blocklist.de xarf:Reported-From\n"
	    "url context http://www.x-arf.org/schema/abuse_login-attack_0.1.2"
	    ".json xarf:Schema-URL\n"
	    "domain context www.x-arf.org xarf:Schema-URL\n");
}

Test(parse_xarf, v01_keeps_report_id_and_reporter)
{
	struct report *r = parse_fixture("fmt-xarf-v01.eml");
	const struct finding *f = g_ptr_array_index(r->findings, 0);

	cr_assert_str_eq(r->reporter, "reports@blocklist.de");
	cr_assert_str_eq(f->attrs, "report-id=1709629919@blocklist.de");
	cr_assert_eq(r->kind, REPORT_KIND_ABUSE);
	report_free(&r);
}

Test(parse_xarf, v02_crlf_quoted_values_duplicate_keys_empty_type)
{
	check("fmt-xarf-v02-quoted.eml", "xarf", "malware-distribution",
	    "malicious-code", "2014-02-16T05:23:55Z",
	    "ipv6 offender 2a01:4f8:141:1::17 xarf:Source :443 "
	    "@2014-02-16T05:23:55Z\n"
	    "ipv4 offender 212.27.44.9 xarf:Source :443 "
	    "@2014-02-16T05:23:55Z\n"
	    "url offender http://212.27.44.9/bins/x86.bin xarf:Download-Link "
	    "@2014-02-16T05:23:55Z\n"
	    "email reporter abuse@netcraft.example.org xarf:Reported-From\n");
}

Test(parse_xarf, no_header_third_part_js_date_broken_schema_url)
{
	check("fmt-xarf-noheader.eml", "xarf", "scanner",
	    "information-gathering", "2021-08-03T12:22:52Z",
	    "ipv4 offender 114.114.100.23 xarf:Source :23 "
	    "@2021-08-03T12:22:52Z\n"
	    "email reporter abuse-reports@clean-mx.example.net "
	    "xarf:Reported-From\n"
	    "url context http://support.clean-mx.de/clean-mx/xarf/"
	    "port-probe.json xarf:Schema-URL\n"
	    "domain context support.clean-mx.de xarf:Schema-URL\n");
}

Test(parse_xarf, quoted_forward_inline_yaml)
{
	check("fmt-xarf-forward.eml", "xarf", "phishing", "fraud",
	    "2024-03-07T08:10:00Z",
	    "url offender http://phish.bad-bank-login.com/secure/ xarf:Source "
	    "@2024-03-07T08:10:00Z\n"
	    "domain offender phish.bad-bank-login.com xarf:Source "
	    "@2024-03-07T08:10:00Z\n"
	    "email reporter phish@reports.example.org xarf:Reported-From\n");
}

Test(parse_xarf, invalid_source_is_a_warning)
{
	struct report *r = parse_str(
	    "From: a@reports.example.org\nSubject: x\nX-ARF: YES\n"
	    "Content-Type: text/plain\n\n"
	    "Reported-From: a@reports.example.org\nReport-Type: spam\n"
	    "Source-Type: ipv4\nSource: 999.1.2.3\nDate: not a date\n");

	cr_assert_str_eq(r->format, "xarf");
	cr_assert_str_eq(r->category, "spam");
	cr_assert_null(r->event_time);
	cr_assert_eq(r->findings->len, 1);	/* the reporter only */
	cr_assert_geq(r->warnings->len, 2);
	report_free(&r);
}

Test(parse_xarf, hostile_yaml_is_bounded)
{
	GString *s = g_string_new("From: a@b.example.org\nSubject: x\n"
	    "X-ARF: YES\nContent-Type: text/plain\n\n"
	    "Report-Type: spam\nSource-Type: ipv4\nSource: 5.9.34.17\n"
	    "Deep: ");
	struct report *r;
	guint i;

	for (i = 0; i < 5000; i++)
		g_string_append(s, "[");
	g_string_append(s, "\n");
	for (i = 0; i < 1000; i++)
		g_string_append_printf(s, "Key%u: &a%u *b\n", i, i);
	r = parse_str(s->str);
	cr_assert_str_eq(r->format, "xarf");
	cr_assert_not_null(report_find_value(r, FINDING_IPV4, "5.9.34.17"));
	report_free(&r);
	g_string_free(s, TRUE);
}

Test(parse_xarf, header_without_yaml_warns)
{
	struct report *r = parse_str("From: a@b.example.org\nSubject: x\n"
	    "X-XARF: PLAIN\nContent-Type: text/plain\n\nhello\n");

	cr_assert_str_eq(r->format, "xarf");
	cr_assert_eq(r->findings->len, 0);
	cr_assert_eq(r->warnings->len, 1);
	report_free(&r);
}
