/*
 * test_parse_mime.c: the MIME walk of parse_message(): part paths,
 * nesting, transfer encodings, charsets, HTML, line endings.
 */
#include "config.h"

#include <string.h>
#include <criterion/criterion.h>

#include "parse/parse.h"
#include "tests/helpers.h"
#include "tests/parse_fixture.h"

TestSuite(parse_mime, .init = fixture_setup, .fini = fixture_teardown,
    .timeout = 10);

static char *
paths(const struct report *r)
{
	GString *s = g_string_new(NULL);
	guint i;

	for (i = 0; i < r->parts->len; i++) {
		const struct report_part *p = g_ptr_array_index(r->parts, i);

		g_string_append_printf(s, "%s%s:%u", i > 0 ? " " : "",
		    p->path, p->depth);
	}
	return g_string_free(s, FALSE);
}

Test(parse_mime, japanese_subject_and_bodies_decode_to_exact_utf8)
{
	struct report *r = parse_fixture("parse-japanese.eml");

	cr_assert_str_eq(r->subject, "フィッシングサイトの報告");
	cr_assert_str_eq(r->from, "houkoku@example.jp");
	cr_assert_eq(r->parts->len, 3);
	cr_assert_str_eq(part_at(r, "1")->text,
	    "こんにちは。フィッシングサイトを報告します。\n");
	cr_assert_str_eq(part_at(r, "1")->charset, "ISO-2022-JP");
	/* Shift_JIS: 0x7E stays '~', 0x95 0x5C is one kanji. */
	cr_assert_str_eq(part_at(r, "2")->text,
	    "サイト表示: http://5.9.34.17/~user/login.html\n");
	cr_assert_str_eq(part_at(r, "3")->text, "日本語のテキストです。\n");
	report_free(&r);
	cr_assert_null(r);
}

Test(parse_mime, html_keeps_href_and_decodes_entities)
{
	struct report *r = parse_str(
	    "From: a@example.org\nSubject: html\n"
	    "Content-Type: text/html; charset=utf-8\n\n"
	    "<html><head><style>p {color:red}</style>"
	    "<script>var x = '<a href=\"http://no.example/\">';</script>"
	    "</head><body><p>Login at <a href=\"http://phish.example.net/"
	    "login?a=1&amp;b=2\">your bank</a> &lt;now&gt; &#72;&#x49;"
	    "</p><img src=\"http://5.9.34.17/pixel.gif\"></body></html>\n");
	const struct report_part *p = part_at(r, "1");

	cr_assert_str_eq(p->content_type, "text/html");
	cr_assert_str_eq(p->text, "Login at your bank "
	    "<http://phish.example.net/login?a=1&b=2> <now> HI\n"
	    "<http://5.9.34.17/pixel.gif>");
	cr_assert_eq(p->text_len, strlen(p->text));
	report_free(&r);
}

Test(parse_mime, nested_rfc822_two_levels_get_imap_paths)
{
	struct report *r = parse_str(
	    "From: fwd@example.org\nSubject: nested\nMIME-Version: 1.0\n"
	    "Content-Type: multipart/mixed; boundary=A\n\n"
	    "--A\nContent-Type: text/plain\n\nouter text\n"
	    "--A\nContent-Type: message/rfc822\n\n"
	    "Received: from x ([133.242.141.55]) by y\n"
	    "From: mid@example.org\nSubject: level 1\n"
	    "Content-Type: multipart/mixed; boundary=B\n\n"
	    "--B\nContent-Type: text/plain\n\nmiddle text\n"
	    "--B\nContent-Type: message/rfc822\n\n"
	    "From: inner@example.org\nSubject: level 2\n\n"
	    "inner text\n"
	    "--B--\n"
	    "--A--\n");
	char *s = paths(r);

	cr_assert_str_eq(s, "1:0 2:1 2.1:1 2.2:2 2.2.1:2");
	g_free(s);
	cr_assert_str_eq(part_at(r, "2")->content_type, "message/rfc822");
	cr_assert_not_null(strstr(part_at(r, "2")->text,
	    "Received: from x ([133.242.141.55]) by y\n"));
	cr_assert_not_null(strstr(part_at(r, "2.2")->text,
	    "Subject: level 2\n"));
	cr_assert_str_eq(part_at(r, "2.1")->text, "middle text");
	/* The line end before a boundary belongs to the boundary. */
	cr_assert_str_eq(part_at(r, "2.2.1")->text, "inner text");
	cr_assert_eq(r->warnings->len, 0);
	report_free(&r);
}

Test(parse_mime, forward_fixture_walks_alternative_inside_attachment)
{
	struct report *r = parse_fixture("parse-forward.eml");
	char *s = paths(r);

	cr_assert_str_eq(s, "1:0 2:1 2.1:1 2.2:1");
	g_free(s);
	cr_assert_str_eq(part_at(r, "2.2")->text, "Please "
	    "verify your account "
	    "<http://bank-secure-login.example/verify?a=1&b=2> now.");
	report_free(&r);
}

Test(parse_mime, multipart_signed_reads_signed_part_not_signature)
{
	struct report *r = parse_str(
	    "From: info@cert.example.jp\nSubject: signed\n"
	    "Content-Type: multipart/signed; micalg=pgp-sha256; "
	    "protocol=\"application/pgp-signature\"; boundary=S\n\n"
	    "--S\nContent-Type: text/plain; charset=us-ascii\n\n"
	    "hxxps[:]//phish[.]example/\n"
	    "--S\nContent-Type: application/pgp-signature\n\n"
	    "-----BEGIN PGP SIGNATURE-----\nabc\n"
	    "-----END PGP SIGNATURE-----\n--S--\n");

	cr_assert_eq(r->parts->len, 1);
	cr_assert_str_eq(part_at(r, "1")->text,
	    "hxxps[:]//phish[.]example/");
	report_free(&r);
}

Test(parse_mime, base64_body_is_decoded)
{
	struct report *r = parse_str(
	    "From: a@example.org\nSubject: b64\n"
	    "Content-Type: text/plain; charset=utf-8\n"
	    "Content-Transfer-Encoding: BASE64\n\n"
	    "U291cmNlOiAyMTIuMjcuNDQuOQpDYWbDqQo=\n");

	cr_assert_str_eq(part_at(r, "1")->text, "Source: 212.27.44.9\nCafé\n");
	report_free(&r);
}

Test(parse_mime, qp_soft_break_inside_url_is_joined)
{
	struct report *r = parse_str(
	    "From: a@example.org\nSubject: qp\n"
	    "Content-Type: text/plain; charset=iso-8859-1\n"
	    "Content-Transfer-Encoding: Quoted-printable\n\n"
	    "See http://phish.example.net/very/long/pa=\n"
	    "th/index.php?id=3D7 caf=E9\n");

	cr_assert_str_eq(part_at(r, "1")->text,
	    "See http://phish.example.net/very/long/path/index.php?id=7 "
	    "café\n");
	report_free(&r);
}

Test(parse_mime, crlf_input_parses_like_lf)
{
	struct report *r = parse_str(
	    "From: A@Example.org\r\nSubject: crlf\r\n"
	    "Message-ID: <m1@example.org>\r\n\r\nline one\r\nline two\r\n");

	cr_assert_str_eq(r->subject, "crlf");
	cr_assert_str_eq(r->from, "a@example.org");
	cr_assert_str_eq(r->message_id, "m1@example.org");
	cr_assert_str_eq(part_at(r, "1")->text, "line one\nline two\n");
	report_free(&r);
}

Test(parse_mime, bare_cr_input_parses_like_lf)
{
	struct report *r = parse_str(
	    "From: a@example.org\rSubject: bare cr\r\rline one\rline two\r");

	cr_assert_eq(r->kind, REPORT_KIND_ABUSE);
	cr_assert_str_eq(r->subject, "bare cr");
	cr_assert_str_eq(part_at(r, "1")->text, "line one\nline two\n");
	report_free(&r);
}

Test(parse_mime, mbox_from_line_is_stripped)
{
	struct report *r = parse_fixture("parse-arf.eml");
	const struct report_header *h = g_ptr_array_index(r->headers, 0);

	cr_assert_str_eq(h->name, "Return-Path");
	cr_assert_str_eq(r->from, "fbl@mail.example-isp.net");
	cr_assert_str_eq(r->message_id,
	    "20240305101110.fbl.4711@mail.example-isp.net");
	report_free(&r);
}

Test(parse_mime, headers_are_unfolded_and_rfc2047_decoded)
{
	struct report *r = parse_str(
	    "From: a@example.org\n"
	    "Subject: =?UTF-8?Q?Phishing_=C3=A0?=\n"
	    "X-Long: first\n\tsecond\n"
	    "In-Reply-To: <abc@example.org>\n"
	    "Date: Tue, 5 Mar 2024 10:11:10 +0100\n\nbody\n");

	cr_assert_str_eq(r->subject, "Phishing à");
	cr_assert_str_eq(report_header(r, "x-long"), "first second");
	cr_assert_str_eq(r->in_reply_to, "abc@example.org");
	cr_assert_str_eq(r->date, "Tue, 5 Mar 2024 10:11:10 +0100");
	cr_assert_eq(r->headers->len, 5);
	report_free(&r);
}

Test(parse_mime, binary_attachment_recorded_without_text)
{
	struct report *r = parse_str(
	    "From: a@example.org\nSubject: att\n"
	    "Content-Type: multipart/mixed; boundary=Z\n\n"
	    "--Z\nContent-Type: text/plain\n\nsee attached\n"
	    "--Z\nContent-Type: image/png; name=shot.png\n"
	    "Content-Transfer-Encoding: base64\n\niVBORw0KGgo=\n"
	    "--Z\nContent-Type: application/octet-stream; name=urls.txt\n\n"
	    "http://5.9.34.17/x\n--Z--\n");

	cr_assert_eq(r->parts->len, 3);
	cr_assert_str_eq(part_at(r, "2")->content_type, "image/png");
	cr_assert_str_eq(part_at(r, "2")->filename, "shot.png");
	cr_assert_eq(part_at(r, "2")->text_len, 0);
	cr_assert_str_eq(part_at(r, "3")->text, "http://5.9.34.17/x");
	report_free(&r);
}
