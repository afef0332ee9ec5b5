/*
 * test_notify_render.c: notify_render() end to end, read back with gmime.
 *
 * One file per contact with the right headers, defanged and filtered
 * findings, RFC 2047 Japanese subjects, no header injection from report
 * text, address lists, the findings cap, and all-or-nothing on error.
 */
#include "config.h"

#include "test_notify_fixture.h"

TestSuite(notify_render, .init = nfx_setup, .fini = nfx_teardown,
    .timeout = 10);

static const struct notification *
render_ok(guint expect)
{
	GError *err = NULL;
	gboolean ok;

	ok = notify_render(&fx.cfg, fx.r, &fx.res, "CASE-000042", fx.out,
	    &err);
	cr_assert(ok, "notify_render: %s", err != NULL ? err->message : "?");
	cr_assert_null(err);
	cr_assert_eq(fx.out->len, expect);
	cr_assert_eq(nfx_count("tmp"), expect);
	return expect > 0 ? g_ptr_array_index(fx.out, 0) : NULL;
}

Test(notify_render, writes_one_mail_per_contact_with_case_headers)
{
	struct contact *a, *b;
	const struct notification *n;
	GMimeMessage *m;
	InternetAddressList *to;
	guint i;

	a = nfx_contact(0, "hoster-a", "Hoster A", "abuse@hoster-a.example",
	    "en");
	b = nfx_contact(1, "csirt-jp", "JPCERT/CC", "info@csirt-jp.example",
	    "en");
	nfx_route(FINDING_IPV4, "203.0.113.5", "1", a);
	nfx_route(FINDING_URL, "http://bad.example.jp/login", "1", b);
	nfx_route(FINDING_DOMAIN, "evil.example.net", "1", a);
	render_ok(2);

	for (i = 0; i < 2; i++) {
		n = g_ptr_array_index(fx.out, i);
		cr_assert_eq(n->contact, i == 0 ? a : b);
		cr_assert_eq(n->findings->len, i == 0 ? 2u : 1u);
		m = nfx_parse(n->tmp_path);
		to = g_mime_message_get_addresses(m, GMIME_ADDRESS_TYPE_TO);
		cr_assert_eq(internet_address_list_length(to), 1);
		cr_assert_str_eq(internet_address_mailbox_get_addr(
		    INTERNET_ADDRESS_MAILBOX(internet_address_list_get_address(
		    to, 0))), i == 0 ? "abuse@hoster-a.example" :
		    "info@csirt-jp.example");
		cr_assert_str_eq(g_mime_message_get_subject(m),
		    "[CASE-000042] Abuse report: phishing hosted on your "
		    "network");
		cr_assert_str_eq(g_mime_message_get_message_id(m),
		    i == 0 ? "case-42.1@csirt.example" :
		    "case-42.2@csirt.example");
		cr_assert_str_eq(n->message_id, i == 0 ?
		    "case-42.1@csirt.example" : "case-42.2@csirt.example");
		cr_assert_str_eq(g_mime_object_get_header(GMIME_OBJECT(m),
		    "Auto-Submitted"), "auto-generated");
		cr_assert_str_eq(g_mime_object_get_header(GMIME_OBJECT(m),
		    "X-Abusedesk-Case"), "CASE-000042");
		cr_assert_null(g_mime_object_get_header(GMIME_OBJECT(m),
		    "Precedence"));
		cr_assert_str_eq(internet_address_mailbox_get_addr(
		    INTERNET_ADDRESS_MAILBOX(internet_address_list_get_address(
		    g_mime_message_get_from(m), 0))), "abuse@csirt.example");
		cr_assert_not_null(g_mime_message_get_date(m));
		cr_assert(g_str_has_suffix(n->tmp_path, n->file));
		g_object_unref(m);
	}
}

Test(notify_render, findings_are_defanged_and_filtered)
{
	struct contact *a;
	struct finding *f;
	GMimeMessage *m;
	char *body;

	a = nfx_contact(0, "hoster-a", "Hoster A", "abuse@hoster-a.example",
	    "en");
	nfx_route(FINDING_URL, "http://bad.example.jp/login", "1", a);
	nfx_route(FINDING_IPV4, "198.51.100.7", "0", a);
	f = nfx_route(FINDING_DOMAIN, "innocent.example.org", "2", a);
	f->suppressed = TRUE;
	nfx_route(FINDING_DOMAIN, "nobody.example.com", "1", NULL);
	render_ok(1);

	m = nfx_parse(((struct notification *)g_ptr_array_index(fx.out,
	    0))->tmp_path);
	body = nfx_body(m);
	cr_assert_not_null(strstr(body,
	    "- url  hxxp://bad[.]example[.]jp/login  (seen in part 1)\n"),
	    "%s", body);
	cr_assert_not_null(strstr(body,
	    "- ipv4  198[.]51[.]100[.]7  (seen in the headers)\n"), "%s", body);
	cr_assert_null(strstr(body, "bad.example.jp"));
	cr_assert_null(strstr(body, "innocent"));
	cr_assert_null(strstr(body, "nobody"));
	cr_assert_null(strstr(body, "{{"));
	cr_assert_not_null(strstr(body, "Example CSIRT"));
	cr_assert_not_null(strstr(body, "Hoster A"));
	cr_assert_not_null(strstr(body, "report-1@reporter.example"));
	g_free(body);
	g_object_unref(m);
}

Test(notify_render, japanese_subject_is_rfc2047_encoded)
{
	struct contact *c;
	GMimeMessage *m;
	char *raw, *body, *hdr_end;
	const char *p;

	c = nfx_contact(0, "csirt-jp", "JPCERT/CC", "info@csirt-jp.example",
	    "ja");
	nfx_route(FINDING_URL, "http://bad.example.jp/login", "1", c);
	render_ok(1);

	raw = nfx_slurp(((struct notification *)g_ptr_array_index(fx.out,
	    0))->tmp_path);
	hdr_end = strstr(raw, "\n\n");
	cr_assert_not_null(hdr_end);
	for (p = raw; p < hdr_end; p++)
		cr_assert_lt((guchar)*p, 0x80, "8-bit byte in the headers");
	cr_assert_not_null(strstr(raw, "\nSubject: [CASE-000042]"),
	    "%.600s", raw);
	cr_assert_not_null(strstr(raw, "=?UTF-8?B?"), "%.600s", raw);
	cr_assert_not_null(strstr(raw, "charset=utf-8"));
	m = nfx_parse(((struct notification *)g_ptr_array_index(fx.out,
	    0))->tmp_path);
	cr_assert_str_eq(g_mime_message_get_subject(m),
	    "[CASE-000042] 不正利用に関するご連絡（phishing）");
	body = nfx_body(m);
	cr_assert_not_null(strstr(body, "JPCERT/CC ご担当者様"));
	cr_assert_not_null(strstr(body, "敬具"));
	cr_assert_not_null(strstr(body, "hxxp://bad[.]example[.]jp/login"));
	g_free(body);
	g_free(raw);
	g_object_unref(m);
}

Test(notify_render, report_text_cannot_inject_headers)
{
	struct contact *c;
	GMimeMessage *m;
	char *raw, *hdrs;

	fx.r->subject = "hello\r\nBcc: victim@x\r\n\r\nbody";
	fx.r->category = "phish\r\nBcc: victim@x";
	fx.r->message_id = "x@y>\r\nBcc: victim@x";
	fx.r->reporter = "a\nBcc: victim@x";
	c = nfx_contact(0, "hoster-a", "Hoster A", "abuse@hoster-a.example",
	    "en");
	nfx_route(FINDING_IPV4, "203.0.113.5", "1", c);
	render_ok(1);

	m = nfx_parse(((struct notification *)g_ptr_array_index(fx.out,
	    0))->tmp_path);
	cr_assert_null(g_mime_object_get_header(GMIME_OBJECT(m), "Bcc"));
	cr_assert_eq(internet_address_list_length(
	    g_mime_message_get_addresses(m, GMIME_ADDRESS_TYPE_BCC)), 0);
	cr_assert_null(g_mime_object_get_header(GMIME_OBJECT(m),
	    "In-Reply-To"));
	cr_assert_str_eq(g_mime_message_get_subject(m),
	    "[CASE-000042] Abuse report: phish Bcc: victim@x hosted on your "
	    "network");
	raw = nfx_slurp(((struct notification *)g_ptr_array_index(fx.out,
	    0))->tmp_path);
	hdrs = g_strndup(raw, strstr(raw, "\n\n") - raw);
	cr_assert_null(strstr(hdrs, "\nBcc:"), "%s", hdrs);
	g_free(hdrs);
	g_free(raw);
	g_object_unref(m);
}

Test(notify_render, replies_to_the_original_report)
{
	struct contact *c;
	GMimeMessage *m;

	c = nfx_contact(0, "hoster-a", "Hoster A", "abuse@hoster-a.example",
	    "en");
	nfx_route(FINDING_IPV4, "203.0.113.5", "1", c);
	render_ok(1);
	m = nfx_parse(((struct notification *)g_ptr_array_index(fx.out,
	    0))->tmp_path);
	cr_assert_str_eq(g_mime_object_get_header(GMIME_OBJECT(m),
	    "In-Reply-To"), "<report-1@reporter.example>");
	cr_assert_str_eq(g_mime_object_get_header(GMIME_OBJECT(m),
	    "References"), "<report-1@reporter.example>");
	g_object_unref(m);
}

Test(notify_render, address_list_gives_two_recipients)
{
	struct contact *c;
	const struct notification *n;
	GMimeMessage *m;
	InternetAddressList *to;

	c = nfx_contact(0, "hoster-b", "Hoster B",
	    "abuse@hoster-b.example, noc@hoster-b.example", "en");
	nfx_route(FINDING_IPV4, "203.0.113.9", "1", c);
	n = render_ok(1);
	cr_assert_str_eq(n->to, "abuse@hoster-b.example, noc@hoster-b.example");
	m = nfx_parse(n->tmp_path);
	to = g_mime_message_get_addresses(m, GMIME_ADDRESS_TYPE_TO);
	cr_assert_eq(internet_address_list_length(to), 2);
	cr_assert_str_eq(internet_address_mailbox_get_addr(
	    INTERNET_ADDRESS_MAILBOX(internet_address_list_get_address(to,
	    1))), "noc@hoster-b.example");
	g_object_unref(m);
}

Test(notify_render, long_findings_lists_are_cut)
{
	struct contact *c;
	GMimeMessage *m;
	char *body, ip[32];
	guint i, lines = 0;
	const char *p;

	c = nfx_contact(0, "hoster-a", "Hoster A", "abuse@hoster-a.example",
	    "en");
	for (i = 0; i < LIMIT_NOTIFY_FINDINGS + 3; i++) {
		g_snprintf(ip, sizeof(ip), "10.%u.%u.1", i / 256, i % 256);
		nfx_route(FINDING_IPV4, ip, "1", c);
	}
	render_ok(1);
	m = nfx_parse(((struct notification *)g_ptr_array_index(fx.out,
	    0))->tmp_path);
	body = nfx_body(m);
	for (p = body; (p = strstr(p, "\n- ipv4  ")) != NULL; p++)
		lines++;
	cr_assert_eq(lines, LIMIT_NOTIFY_FINDINGS);
	cr_assert_not_null(strstr(body, "\n- and 3 more\n"));
	g_free(body);
	g_object_unref(m);
}

Test(notify_render, bad_address_leaves_nothing_behind)
{
	struct contact *a, *b;
	GError *err = NULL;

	a = nfx_contact(0, "hoster-a", "Hoster A", "abuse@hoster-a.example",
	    "en");
	b = nfx_contact(1, "broken", "Broken", "not an address", "en");
	nfx_route(FINDING_IPV4, "203.0.113.5", "1", a);
	nfx_route(FINDING_IPV4, "203.0.113.6", "1", b);
	cr_assert_not(notify_render(&fx.cfg, fx.r, &fx.res, "CASE-000042",
	    fx.out, &err));
	cr_assert(g_error_matches(err, NOTIFY_ERROR, NOTIFY_ERROR_ADDRESS),
	    "%s", err != NULL ? err->message : "no error");
	cr_assert_eq(fx.out->len, 0);
	cr_assert_eq(nfx_count("tmp"), 0);
	g_error_free(err);
}

Test(notify_render, nothing_routed_writes_nothing)
{
	nfx_route(FINDING_IPV4, "203.0.113.5", "1", NULL);
	render_ok(0);
	cr_assert_eq(nfx_count("new"), 0);
}
