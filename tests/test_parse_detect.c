/*
 * test_parse_detect.c: report kind and format detection, case tags, and
 * the findings taken from ARF and X-ARF fields; golden report_dump().
 */
#include "config.h"

#include <string.h>
#include <criterion/criterion.h>

#include "parse/parse.h"
#include "tests/helpers.h"
#include "tests/parse_fixture.h"

TestSuite(parse_detect, .init = fixture_setup, .fini = fixture_teardown,
    .timeout = 10);


/* findings as "kind role value part@offset source" lines; checks that
 * each one's raw text is at its offset in its part. */
static char *
findings(const struct report *r)
{
	GString *s = g_string_new(NULL);
	guint i;

	for (i = 0; i < r->findings->len; i++) {
		const struct finding *f = g_ptr_array_index(r->findings, i);
		const struct report_part *p = part_at(r, f->part);

		cr_assert_eq(strncmp(p->text + f->offset, f->raw,
		    strlen(f->raw)), 0, "raw %s not at %s@%zu", f->raw,
		    f->part, f->offset);
		g_string_append_printf(s, "%s %s %s %s@%zu %s\n",
		    finding_kind_name(f->kind), finding_role_name(f->role),
		    f->value, f->part, f->offset, f->source);
	}
	return g_string_free(s, FALSE);
}

Test(parse_detect, arf_fields_give_exact_findings)
{
	struct report *r = parse_fixture("parse-arf.eml");
	char *f = findings(r);
	const struct finding *ip;

	cr_assert_eq(r->kind, REPORT_KIND_ABUSE);
	cr_assert_str_eq(r->format, "arf");
	cr_assert_str_eq(f,
	    "ipv4 offender 5.9.34.17 2@169 arf:Source-IP\n"
	    "domain offender shop-watches.example.com 2@238 "
	    "arf:Reported-Domain\n"
	    "url offender http://shop-watches.example.com/offer?id=42 2@277 "
	    "arf:Reported-URI\n"
	    "email context bounce@shop-watches.example.com 2@80 "
	    "arf:Original-Mail-From\n");
	ip = g_ptr_array_index(r->findings, 0);
	cr_assert_eq(strncmp(part_at(r, "2")->text + ip->offset,
	    "5.9.34.17 (static", 17), 0);
	cr_assert_str_eq(ip->raw, "5.9.34.17");
	g_free(f);
	report_free(&r);
}

Test(parse_detect, arf_dump_matches_golden_file)
{
	struct report *r = parse_fixture("parse-arf.eml");
	GString *out = g_string_new(NULL);
	GBytes *ref = test_read_fixture("parse-arf.ref");
	gsize len;
	const char *d = g_bytes_get_data(ref, &len);

	report_dump(r, out);
	cr_assert_eq(out->len, len);
	cr_assert_eq(memcmp(out->str, d, len), 0, "dump:\n%s", out->str);
	g_bytes_unref(ref);
	g_string_free(out, TRUE);
	report_free(&r);
}

Test(parse_detect, xarf_fields_set_findings_reporter_and_category)
{
	struct report *r = parse_fixture("parse-xarf.eml");
	char *f = findings(r);

	/* Auto-Submitted: auto-generated does not make X-ARF an autoreply */
	cr_assert_eq(r->kind, REPORT_KIND_ABUSE);
	cr_assert_str_eq(r->format, "xarf");
	cr_assert_str_eq(r->category, "brute-force");	/* IntelMQ name */
	cr_assert_str_eq(r->reporter, "Reports@blocklist.example.org");
	cr_assert_str_eq(f,
	    "ipv4 offender 133.242.141.55 2@222 xarf:Source\n"
	    "email reporter Reports@blocklist.example.org 2@19 "
	    "xarf:Reported-From\n"
	    "url context http://www.x-arf.org/schema/abuse_login-attack_0.1.2"
	    ".json 2@272 xarf:Schema-URL\n"
	    "domain context www.x-arf.org 2@279 xarf:Schema-URL\n");
	g_free(f);
	report_free(&r);
}

Test(parse_detect, xarf_uri_source_and_domain_without_header)
{
	struct report *r = parse_str(
	    "From: Netcraft <scan@netcraft.example>\n"
	    "Subject: Issue 1: phishing attack\n"
	    "Content-Type: multipart/mixed; boundary=N\n\n"
	    "--N\nContent-Type: text/plain\n\nSee attached.\n"
	    "--N\nContent-Type: text/plain; name=\"report.txt\"\n\n"
	    "Reported-From: scan@netcraft.example\n"
	    "Category: fraud\nReport-Type: phishing\n"
	    "Source-Type: uri\n"
	    "Source: \"HTTP://Bank-Login.Example.NET/secure/\"\n"
	    "Domain: Bank-Login.Example.NET\n--N--\n");
	char *f = findings(r);

	cr_assert_str_eq(r->format, "xarf");
	cr_assert_str_eq(r->category, "phishing");
	cr_assert_str_eq(f,
	    "url offender http://bank-login.example.net/secure/ 2@101 "
	    "xarf:Source\n"
	    /* the host of the URL, the same value as Domain: */
	    "domain offender bank-login.example.net 2@108 xarf:Source\n"
	    "email reporter scan@netcraft.example 2@15 "
	    "xarf:Reported-From\n");
	g_free(f);
	report_free(&r);
}

Test(parse_detect, arf_auth_failure_is_notice)
{
	struct report *r = parse_str(
	    "From: dmarc@receiver.example\nSubject: auth failure\n"
	    "Content-Type: multipart/report; report-type=feedback-report; "
	    "boundary=F\n\n"
	    "--F\nContent-Type: text/plain\n\nDMARC failure\n"
	    "--F\nContent-Type: message/feedback-report\n\n"
	    "Feedback-Type: auth-failure\nAuth-Failure: dmarc\n"
	    "Source-IP: 2a01:4f8:0:a0a1:0000::2\n--F--\n");
	char *f = findings(r);

	cr_assert_eq(r->kind, REPORT_KIND_NOTICE);
	cr_assert_str_eq(r->format, "arf");
	cr_assert_str_eq(f, "ipv6 offender 2a01:4f8:0:a0a1::2 2@59 "
	    "arf:Source-IP\n");
	g_free(f);
	report_free(&r);
}

Test(parse_detect, dsn_is_bounce_with_case_from_returned_headers)
{
	struct report *r = parse_fixture("parse-dsn.eml");

	cr_assert_eq(r->kind, REPORT_KIND_BOUNCE);
	cr_assert_str_eq(r->format, "dsn");
	cr_assert_str_eq(r->case_tag, "CASE-000042");
	cr_assert_eq(r->findings->len, 0);
	report_free(&r);
}

Test(parse_detect, reply_with_case_tag_in_subject_is_reply)
{
	struct report *r = parse_fixture("parse-reply.eml");

	cr_assert_eq(r->kind, REPORT_KIND_REPLY);
	cr_assert_str_eq(r->case_tag, "CASE-000123");
	cr_assert_str_eq(r->in_reply_to, "case-123.1@csirt.example");
	report_free(&r);
}

Test(parse_detect, german_reply_prefix_and_message_id_case)
{
	struct report *r = parse_str(
	    "From: abuse@hoster.example.de\nSubject: AW: Phishing\n"
	    "In-Reply-To: <case-42.3@csirt.example>\n\nErledigt.\n");

	cr_assert_eq(r->kind, REPORT_KIND_REPLY);
	cr_assert_str_eq(r->case_tag, "CASE-000042");
	report_free(&r);
}

Test(parse_detect, case_tag_without_reply_marker_stays_abuse)
{
	struct report *r = parse_str(
	    "From: someone@example.org\nSubject: about CASE-7 again\n\n"
	    "new evidence\n");

	cr_assert_eq(r->kind, REPORT_KIND_ABUSE);
	cr_assert_str_eq(r->case_tag, "CASE-000007");
	report_free(&r);
}

Test(parse_detect, auto_replied_is_autoreply)
{
	struct report *r = parse_str(
	    "From: abuse@hoster.example.net\n"
	    "Subject: Re: [CASE-000123] Phishing site\n"
	    "Auto-Submitted: auto-replied\n\nWe received your mail.\n");

	cr_assert_eq(r->kind, REPORT_KIND_AUTOREPLY);
	cr_assert_str_eq(r->case_tag, "CASE-000123");
	report_free(&r);
}

Test(parse_detect, vacation_subject_and_auto_submitted_no)
{
	struct report *r = parse_str(
	    "From: bob@example.org\nSubject: Out of Office: back Monday\n"
	    "\nI am away.\n");

	cr_assert_eq(r->kind, REPORT_KIND_AUTOREPLY);
	report_free(&r);
	r = parse_str("From: bob@example.org\nSubject: phishing\n"
	    "Auto-Submitted: no\n\nhttp://5.9.34.17/\n");
	cr_assert_eq(r->kind, REPORT_KIND_ABUSE);
	cr_assert_str_eq(r->format, "plain");
	report_free(&r);
}

Test(parse_detect, forward_by_attachment_and_inline_marker)
{
	struct report *r = parse_fixture("parse-forward.eml");

	cr_assert_eq(r->kind, REPORT_KIND_ABUSE);
	cr_assert_str_eq(r->format, "forward");
	report_free(&r);
	r = parse_str("From: c@example.org\nSubject: FW: scam\n\n"
	    "look\n\n-----Original Message-----\nFrom: scam@example.com\n");
	cr_assert_str_eq(r->format, "forward");
	cr_assert_eq(r->kind, REPORT_KIND_ABUSE);
	report_free(&r);
}

Test(parse_detect, reply_attaching_our_xarf_report_stays_reply)
{
	struct report *r = parse_str(
	    "From: abuse@hoster.example.net\n"
	    "Subject: Re: [CASE-000009] abuse report\n"
	    "Content-Type: multipart/mixed; boundary=R\n\n"
	    "--R\nContent-Type: text/plain\n\nDone.\n"
	    "--R\nContent-Type: message/rfc822\n\n"
	    "From: abuse@csirt.example\nSubject: [CASE-000009] report\n"
	    "Content-Type: text/plain; name=report.txt\n\n"
	    "Reported-From: abuse@csirt.example\nReport-Type: phishing\n"
	    "Source-Type: ipv4\nSource: 212.27.44.9\n--R--\n");

	cr_assert_eq(r->kind, REPORT_KIND_REPLY);
	cr_assert_eq(r->findings->len, 0);
	report_free(&r);
}

Test(parse_detect, dmarc_aggregate_is_notice)
{
	struct report *r = parse_str(
	    "From: noreply-dmarc@receiver.example\n"
	    "Subject: Report Domain: csirt.example Submitter: receiver.example"
	    " Report-ID: <1234>\n"
	    "Content-Type: application/gzip; "
	    "name=\"receiver.example!csirt.example!1709600000!1709686400."
	    "xml.gz\"\nContent-Transfer-Encoding: base64\n\nH4sIAAAAAAAA\n");

	cr_assert_eq(r->kind, REPORT_KIND_NOTICE);
	cr_assert_str_eq(r->format, "dmarc");
	report_free(&r);
}

Test(parse_detect, invalid_arf_source_ip_is_skipped_with_warning)
{
	struct report *r = parse_str(
	    "From: fbl@example.org\nSubject: x\n"
	    "Content-Type: multipart/report; report-type=feedback-report; "
	    "boundary=F\n\n"
	    "--F\nContent-Type: message/feedback-report\n\n"
	    "Feedback-Type: abuse\nSource-Ip: 999.1.1.1\n--F--\n");

	cr_assert_str_eq(r->format, "arf");
	cr_assert_eq(r->findings->len, 0);
	/* fmt_arf.c also warns that User-Agent and Version are missing */
	cr_assert_eq(r->warnings->len, 3);
	cr_assert_str_eq(g_ptr_array_index(r->warnings, 2),
	    "part 1: arf:Source-IP value is not a valid ipv4: 999.1.1.1");
	report_free(&r);
}
