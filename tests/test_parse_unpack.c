/*
 * test_parse_unpack.c: zip and gzip attachments (parse/unpack.c): members
 * as parts below the archive, DMARC gzip bodies, corrupt archives, a zip
 * bomb, and each unpack limit at the limit and one past it.
 */
#include "config.h"

#include <string.h>
#include <criterion/criterion.h>

#include "parse/parse.h"
#include "tests/helpers.h"
#include "tests/parse_fixture.h"

TestSuite(parse_unpack, .init = fixture_setup, .fini = fixture_teardown,
    .timeout = 10);

/* "path type filename bytes" per part. */
static char *
parts(const struct report *r)
{
	GString *s = g_string_new(NULL);
	guint i;

	for (i = 0; i < r->parts->len; i++) {
		const struct report_part *p = g_ptr_array_index(r->parts, i);

		g_string_append_printf(s, "%s %s %s %zu\n", p->path,
		    p->content_type, p->filename != NULL ? p->filename : "-",
		    p->text_len);
	}
	return g_string_free(s, FALSE);
}

static const char all_parts[] =
    "1 text/plain - 14\n"
    "2 application/x-zip-compressed feed.zip 0\n"
    "2.1 text/csv feed.csv 164\n"
    "2.2 text/plain notes.txt 18\n"
    "2.3 application/json data.json 21\n"
    "3 application/octet-stream feed2.csv.gz 0\n"
    "3.1 text/csv feed2.csv 164\n";

Test(parse_unpack, members_numbered_below_the_archive)
{
	struct report *r = parse_fixture_limits("fmt-csv-limits.eml", NULL);
	char *s = parts(r);
	const struct report_part *p = g_ptr_array_index(r->parts, 3);

	cr_assert_str_eq(s, all_parts);
	cr_assert_str_eq(p->text, "plain member text\n");
	cr_assert_eq(r->warnings->len, 0);
	g_free(s);
	report_free(&r);
}

Test(parse_unpack, dmarc_gzip_body)
{
	struct report *r = parse_fixture_limits("fmt-csv-dmarc-gz.eml", NULL);
	char *s = parts(r);
	const struct report_part *p = g_ptr_array_index(r->parts, 1);

	cr_assert_str_eq(s,
	    "1 application/gzip google.com!csirt.example.jp!1764201600!"
	    "1764287999.xml.gz 0\n"
	    "1.1 application/xml google.com!csirt.example.jp!1764201600!"
	    "1764287999.xml 208\n");
	cr_assert(strstr(p->text, "<source_ip>45.142.212.61</source_ip>"));
	cr_assert_str_eq(r->format, "dmarc");
	g_free(s);
	report_free(&r);
}

Test(parse_unpack, corrupt_zip_is_a_warning)
{
	struct report *r = parse_fixture_limits("fmt-csv-corrupt-zip.eml", NULL);

	cr_assert_eq(r->kind, REPORT_KIND_ABUSE);
	cr_assert(warned(r, "part 2: member 2026-11-27-scan_ssh-jp-cert-asn"
	    ".csv corrupt"));
	report_free(&r);
}

Test(parse_unpack, not_an_archive)
{
	const char *m =
	    "From: a@isp.example.net\nSubject: x\nMIME-Version: 1.0\n"
	    "Content-Type: multipart/mixed; boundary=b\n\n--b\n"
	    "Content-Type: text/plain\n\nhello\n--b\n"
	    "Content-Type: application/zip; name=x.zip\n"
	    "Content-Transfer-Encoding: base64\n\nUEsDBAAAAAAA\n--b\n"
	    "Content-Type: application/gzip; name=y.gz\n\nnot gzip\n--b--\n";
	struct report *r = parse_message((const guint8 *)m, strlen(m), NULL);

	cr_assert(warned(r, "part 2: not a readable zip archive"));
	cr_assert(warned(r, "part 3: y.gz is neither zip nor gzip"));
	report_free(&r);
}

/* 100 MB of zeros: cut by the ratio limit, in bounded time. */
Test(parse_unpack, zip_bomb)
{
	struct report *r = parse_fixture_limits("fmt-csv-zipbomb.eml", NULL);
	const struct report_part *p = g_ptr_array_index(r->parts, 2);

	cr_assert_str_eq(p->path, "2.1");
	cr_assert(warned(r, "part 2: member 2026-11-27-scan_ssh-jp-cert-asn"
	    ".csv: expansion ratio limit reached"));
	cr_assert(p->text_len <= LIMIT_PART_TEXT);
	report_free(&r);
}

/* feed.csv is 164 bytes: the member limit at 164 and 163. */
Test(parse_unpack, member_limit)
{
	struct parse_limits l;
	struct report *r;
	const struct report_part *p;

	parse_limits_default(&l);
	l.max_unpack_member = 164;
	r = parse_fixture_limits("fmt-csv-limits.eml", &l);
	cr_assert_eq(r->warnings->len, 0);
	report_free(&r);

	l.max_unpack_member = 163;
	r = parse_fixture_limits("fmt-csv-limits.eml", &l);
	p = g_ptr_array_index(r->parts, 2);
	cr_assert_eq(p->text_len, 163);
	cr_assert(warned(r, "part 2: member feed.csv: member size limit "
	    "reached: only the first 163"));
	cr_assert(warned(r, "part 3: member feed2.csv: member size limit"));
	report_free(&r);
}

/* All members: 164 + 18 + 21 + 164 = 367 bytes. */
Test(parse_unpack, total_limit)
{
	struct parse_limits l;
	struct report *r;
	const struct report_part *p;

	parse_limits_default(&l);
	l.max_unpack_total = 367;
	r = parse_fixture_limits("fmt-csv-limits.eml", &l);
	cr_assert_eq(r->warnings->len, 0);
	report_free(&r);

	l.max_unpack_total = 366;
	r = parse_fixture_limits("fmt-csv-limits.eml", &l);
	p = g_ptr_array_index(r->parts, 6);
	cr_assert_eq(p->text_len, 163);
	cr_assert(warned(r, "part 3: member feed2.csv: message total limit "
	    "reached: only the first 163"));
	report_free(&r);
}

/* Ratio 1:1 from the first byte on: the free allowance decides. */
Test(parse_unpack, ratio_limit)
{
	struct parse_limits l;
	struct report *r;

	parse_limits_default(&l);
	l.max_unpack_ratio = 1;
	l.unpack_ratio_free = 164;
	r = parse_fixture_limits("fmt-csv-limits.eml", &l);
	cr_assert_eq(r->warnings->len, 0);
	report_free(&r);

	l.unpack_ratio_free = 163;
	r = parse_fixture_limits("fmt-csv-limits.eml", &l);
	cr_assert(warned(r, "part 2: member feed.csv: expansion ratio limit "
	    "reached: only the first 163"));
	report_free(&r);
}

Test(parse_unpack, zip_member_limit)
{
	struct parse_limits l;
	struct report *r;
	char *s;

	parse_limits_default(&l);
	l.max_zip_members = 3;
	r = parse_fixture_limits("fmt-csv-limits.eml", &l);
	s = parts(r);
	cr_assert_str_eq(s, all_parts);
	cr_assert_eq(r->warnings->len, 0);
	g_free(s);
	report_free(&r);

	l.max_zip_members = 2;
	r = parse_fixture_limits("fmt-csv-limits.eml", &l);
	s = parts(r);
	cr_assert_str_eq(s,
	    "1 text/plain - 14\n"
	    "2 application/x-zip-compressed feed.zip 0\n"
	    "2.1 text/csv feed.csv 164\n"
	    "2.2 text/plain notes.txt 18\n"
	    "3 application/octet-stream feed2.csv.gz 0\n"
	    "3.1 text/csv feed2.csv 164\n");
	cr_assert(warned(r, "part 2: zip has 3 entries: only the first 2 "
	    "are read (zip member limit)"));
	g_free(s);
	report_free(&r);
}
