/*
 * test_parse_arf.c: ARF (RFC 5965 and successors) and Microsoft JMRP through
 * parse/fmt_arf.c: exact findings, draft-era and Exchange deviations,
 * DMARC forensic / not-spam notices, malformed reports.
 */
#include "config.h"

#include <string.h>
#include <criterion/criterion.h>

#include "parse/parse.h"
#include "tests/helpers.h"
#include "tests/parse_fixture.h"

TestSuite(parse_arf, .init = fixture_setup, .fini = fixture_teardown,
    .timeout = 10);

Test(parse_arf, draft_era_version_01)
{
	check("fmt-arf-draft.eml", "arf", "phishing", "fraud",
	    "2024-03-04T16:59:01Z",
	    "ipv4 offender 114.114.100.23 arf:Source-IP :49152 "
	    "@2024-03-04T16:59:01Z\n"
	    "url offender http://shop-pills.example-rx.com/buy "
	    "arf:Reported-URI @2024-03-04T16:59:01Z\n"
	    "domain offender shop-pills.example-rx.com arf:Reported-URI\n"
	    "email victim victim@isp-customer.example.org "
	    "arf:Removal-Recipient\n");
}

Test(parse_arf, exchange_mixed_base64_four_parts)
{
	check("fmt-arf-exchange.eml", "arf", "malware-distribution",
	    "malicious-code", "2024-03-02T03:04:05Z",
	    "ipv4 offender 212.27.44.9 arf:Source-IP @2024-03-02T03:04:05Z\n"
	    "domain offender dropper-files.com arf:Reported-Domain "
	    "@2024-03-02T03:04:05Z\n"
	    "domain reporter mail.mailru-fbl.example.com "
	    "arf:Reporting-MTA\n");
}

Test(parse_arf, dmarc_forensic_is_notice)
{
	struct report *r = parse_fixture("fmt-arf-dmarc.eml");

	cr_assert_eq(r->kind, REPORT_KIND_NOTICE);
	report_free(&r);
	check("fmt-arf-dmarc.eml", "arf", "-", "-", "2024-03-03T04:58:00Z",
	    "ipv4 offender 5.9.34.17 arf:Source-IP @2024-03-03T04:58:00Z\n"
	    "domain offender csirt.example arf:Reported-Domain "
	    "@2024-03-03T04:58:00Z\n"
	    "email context ceo@csirt.example arf:Original-Mail-From\n");
}

Test(parse_arf, jmrp_subject)
{
	check("fmt-arf-jmrp.eml", "jmrp", "spam", "abusive-content", "-",
	    "email victim complainer@hotmail.com "
	    "jmrp:X-HmXmrOriginalRecipient\n"
	    "ipv4 offender 5.9.34.17 jmrp:Subject\n");
}

Test(parse_arf, jmrp_received_skips_private_hops)
{
	check("fmt-arf-jmrp-received.eml", "jmrp", "spam", "abusive-content",
	    "-",
	    "email victim complainer@hotmail.com "
	    "jmrp:X-HmXmrOriginalRecipient\n"
	    "ipv4 offender 212.27.44.9 jmrp:Received\n");
}

static struct report *
arf_mail(const char *fields)
{
	char *s = g_strdup_printf("From: fbl@isp.example.org\nSubject: x\n"
	    "Content-Type: multipart/report; report-type=feedback-report; "
	    "boundary=F\n\n--F\nContent-Type: text/plain\n\nreport\n"
	    "--F\nContent-Type: message/feedback-report\n\n%s\n--F--\n",
	    fields);
	struct report *r = parse_str(s);

	g_free(s);
	return r;
}

Test(parse_arf, not_spam_and_opt_out_are_notices)
{
	struct report *r = arf_mail("Feedback-Type: not-spam\n"
	    "User-Agent: x/1\nVersion: 1\nSource-IP: 5.9.34.17\n");

	cr_assert_eq(r->kind, REPORT_KIND_NOTICE);
	report_free(&r);
	r = arf_mail("Feedback-Type: opt-out\nUser-Agent: x/1\nVersion: 0.1\n"
	    "Source-IP: 5.9.34.17\n");
	cr_assert_eq(r->kind, REPORT_KIND_NOTICE);
	report_free(&r);
}

Test(parse_arf, ipv6_source_with_comment_and_port)
{
	struct report *r = arf_mail("Feedback-Type: abuse\nUser-Agent: x/1\n"
	    "Version: 1\nSource-Ip: 2A01:4F8:141:1::17 (mx.bad.example.net)\n"
	    "Source-Port: 2525\n");
	char *f = fixture_findings(r);

	cr_assert_str_eq(f, "ipv6 offender 2a01:4f8:141:1::17 arf:Source-IP "
	    ":2525\n");
	cr_assert_str_eq(r->category, "spam");
	cr_assert_str_eq(r->taxonomy, "abusive-content");
	g_free(f);
	report_free(&r);
}

Test(parse_arf, feedback_report_as_text_part)
{
	struct report *r = parse_str("From: fbl@isp.example.org\nSubject: x\n"
	    "Content-Type: multipart/mixed; boundary=F\n\n"
	    "--F\nContent-Type: text/plain\n\nreport\n"
	    "--F\nContent-Type: text/plain\n\nFeedback-Type: abuse\n"
	    "Source-IP: 212.27.44.9\n"
	    "--F");	/* unterminated, no User-Agent, no Version */
	char *f = fixture_findings(r);

	cr_assert_str_eq(r->format, "arf");
	cr_assert_str_eq(f, "ipv4 offender 212.27.44.9 arf:Source-IP\n");
	cr_assert_geq(r->warnings->len, 3);
	g_free(f);
	report_free(&r);
}
