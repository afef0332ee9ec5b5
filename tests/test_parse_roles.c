/*
 * test_parse_roles.c: roles in free text, through parse_message() and the
 * default rules: victims (iptables DST=, "Destination IP", "our server"),
 * the reporter's own hosts (From domain, signature, forwarded From,
 * known reporting services), context (relays in quoted Received lines,
 * SPF client addresses, the MX in a bounce, user-agent URLs, snmpd
 * pollers), version numbers that are no addresses, and the kind and
 * format detection of bounces, auto-replies, forwards and HTML notices.
 * Findings are compared exactly: kind, role and value.
 */
#include "config.h"

#include <string.h>
#include <criterion/criterion.h>

#include "parse/parse.h"
#include "rules/rules.h"
#include "tests/helpers.h"
#include "tests/rules_fixture.h"


TestSuite(parse_roles, .init = rfx_rules_setup, .fini = rfx_rules_teardown,
    .timeout = 10);

static struct report *
run(const char *raw)
{
	return rfx_analyse((const guint8 *)raw, strlen(raw));
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
		g_string_append_printf(s, "%s %s %s\n",
		    finding_kind_name(f->kind), finding_role_name(f->role),
		    f->value);
	}
	return g_string_free(s, FALSE);
}

static void
expect(const char *raw, const char *kind, const char *format,
    const char *want)
{
	struct report *r = run(raw);
	char *got = findings(r);

	cr_assert_str_eq(report_kind_name(r->kind), kind);
	cr_assert_str_eq(r->format, format);
	cr_assert_str_eq(got, want);
	g_free(got);
	report_free(&r);
}

Test(parse_roles, plain_victims_reporter_and_traps)
{
	expect("From: Kocor Abuse <abuse@kocor-cert.net>\n"
	    "Subject: port scan from 84.200.1.1\n\n"
	    "We saw a port scan from 84.200.1.1.\n"
	    "Mar  5 15:58:36 fw01 kernel: [1.2] IN=eth0 OUT= "
	    "MAC=26:12:13:88:62:15:22:71:b4:94:7f:3b:d7:81:08:00 "
	    "SRC=84.200.1.1 DST=91.198.174.5 LEN=44\n"
	    "84.200.1.1 - - [29/Feb/2024:08:43:00 +0000] \"GET / HTTP/1.1\" "
	    "404 1 \"-\" \"masscan/1.3 (https://github.com/robertdavidgraham/"
	    "masscan)\"\n"
	    "Mar  5 10:22:38 bastion snmpd[2788]: Connection from UDP: "
	    "[84.200.2.2]:40936 OID 1.3.6.1.2.1.1.5.0 agent 5.9.3.1\n"
	    "Destination IP : 91.198.174.6\n"
	    "Our server at 91.198.174.7 was hit.\n"
	    "\nThank you,\nKocor\nabuse@signature-org.net\n"
	    "https://www.signature-org.net/abuse\n"
	    "https://portal.kocor-cert.net/case?id=1\n",
	    "abuse", "plain",
	    "ipv4 offender 84.200.1.1\n"
	    "ipv4 victim 91.198.174.5\n"
	    "ipv4 context 84.200.2.2\n"
	    "ipv4 victim 91.198.174.6\n"
	    "ipv4 victim 91.198.174.7\n"
	    "url context https://github.com/robertdavidgraham/masscan\n"
	    "domain context github.com\n"
	    "url reporter https://www.signature-org.net/abuse\n"
	    "domain reporter www.signature-org.net\n"
	    "url reporter https://portal.kocor-cert.net/case?id=1\n"
	    "domain reporter portal.kocor-cert.net\n");
}

Test(parse_roles, forward_relays_and_inner_reporter)
{
	expect("From: colleague@soc.payvi-soc.de\n"
	    "Subject: Fwd: abuse report\n"
	    "MIME-Version: 1.0\n"
	    "Content-Type: multipart/mixed; boundary=\"b\"\n\n"
	    "--b\nContent-Type: text/plain\n\nForwarding as requested.\n"
	    "--b\nContent-Type: message/rfc822\n\n"
	    "Received-SPF: Pass (mailfrom) client-ip=84.201.1.1; "
	    "helo=mx1.data-abuse.co.jp\n"
	    "Received: from relay1.data-abuse.co.jp (relay1.data-abuse.co.jp "
	    "[84.201.1.2]) by mx1.data-abuse.co.jp with ESMTP id 1;\n"
	    "\tFri, 1 Mar 2024 10:48:48 +0900\n"
	    "From: Data Abuse <abuse@data-abuse.co.jp>\n"
	    "Subject: phishing\n\n"
	    "Phishing at hxxps://login[.]evil-bank[.]top/x and domain "
	    "evil-bank[.]top, hosted at 84.202.3.3.\n"
	    "https://www.data-abuse.co.jp/abuse\n"
	    "--b--\n",
	    "abuse", "forward",
	    "ipv4 context 84.201.1.1\n"
	    "ipv4 context 84.201.1.2\n"
	    "ipv4 offender 84.202.3.3\n"
	    "url offender https://login.evil-bank.top/x\n"
	    "domain offender login.evil-bank.top\n"
	    "url reporter https://www.data-abuse.co.jp/abuse\n"
	    "domain reporter www.data-abuse.co.jp\n"
	    "domain offender evil-bank.top\n");
}

Test(parse_roles, dsn_remote_mx_is_context)
{
	expect("From: MAILER-DAEMON@mx.csirt.example\n"
	    "Subject: Undelivered Mail Returned to Sender\n"
	    "MIME-Version: 1.0\n"
	    "Content-Type: multipart/report; report-type=delivery-status; "
	    "boundary=\"b\"\n\n"
	    "--b\nContent-Type: text/plain\n\n"
	    "<abuse@hoster.example>: host mx.hoster.example[84.203.1.1] said: "
	    "550 5.1.1 unknown user\n"
	    "--b\nContent-Type: message/delivery-status\n\n"
	    "Reporting-MTA: dns; mx.csirt.example\n\n"
	    "Final-Recipient: rfc822; abuse@hoster.example\nAction: failed\n"
	    "--b--\n",
	    "bounce", "dsn",
	    "ipv4 context 84.203.1.1\n");
}

Test(parse_roles, plain_text_ndr_is_bounce)
{
	struct report *r = run("From: Mail Delivery System "
	    "<Mailer-Daemon@mx.hoster.example>\n"
	    "Subject: Mail delivery failed: returning message to sender\n\n"
	    "This message was created automatically by mail delivery "
	    "software.\n");

	cr_assert_eq(r->kind, REPORT_KIND_BOUNCE);
	cr_assert_str_eq(r->format, "bounce");
	report_free(&r);
}

Test(parse_roles, auto_replies)
{
	static const char *const raw[] = {
		"From: a@hoster.example\nAuto-Submitted: auto-replied\n"
		    "Subject: Re: takedown\n\nWe got it.\n",
		"From: a@hoster.example\nX-Autoreply: yes\nSubject: x\n\nx\n",
		"From: a@hoster.example\nPrecedence: auto_reply\n"
		    "Subject: x\n\nx\n",
		"From: a@hoster.example\nSubject: [Ticket#2026112810000123] "
		    "Ticket received\n\nWe have received your request.\n",
	};
	guint i;

	for (i = 0; i < G_N_ELEMENTS(raw); i++) {
		struct report *r = run(raw[i]);

		cr_assert_eq(r->kind, REPORT_KIND_AUTOREPLY, "%u", i);
		report_free(&r);
	}
}

Test(parse_roles, html_notice_format)
{
	expect("From: Brand Desk <abuse@brand-desk.example.net>\n"
	    "Subject: Phishing site\n"
	    "MIME-Version: 1.0\n"
	    "Content-Type: text/html; charset=utf-8\n\n"
	    "<p>Phishing at <a href=\"https://evil-brand.top/login?a=1&amp;"
	    "b=2\">here</a></p>"
	    "<p><a href=\"https://www.brand-desk.example.net/\">Brand Desk</a>"
	    "</p>\n",
	    "abuse", "html",
	    "url offender https://evil-brand.top/login?a=1&b=2\n"
	    "domain offender evil-brand.top\n"
	    "url reporter https://www.brand-desk.example.net/\n"
	    "domain reporter www.brand-desk.example.net\n");
}
