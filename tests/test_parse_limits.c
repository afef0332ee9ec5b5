/*
 * test_parse_limits.c: every limit of struct parse_limits at the limit
 * and one past it, and hostile input (garbage, empty, truncated, deep
 * nesting) that must give a report, never a crash or a hang.
 */
#include "config.h"

#include <string.h>
#include <criterion/criterion.h>

#include "parse/parse.h"

static struct parse_limits lim;

static void
setup(void)
{
	parse_init();
	parse_limits_default(&lim);
}

static void
teardown(void)
{
	parse_shutdown();
}

TestSuite(parse_limits, .init = setup, .fini = teardown, .timeout = 10);

static struct report *
parse_len(const char *s, gsize len)
{
	return parse_message((const guint8 *)s, len, &lim);
}

static struct report *
parse_str(const char *s)
{
	return parse_len(s, strlen(s));
}

static gboolean
has_warning(const struct report *r, const char *needle)
{
	guint i;

	for (i = 0; i < r->warnings->len; i++)
		if (strstr(g_ptr_array_index(r->warnings, i), needle) != NULL)
			return TRUE;
	return FALSE;
}

static const struct report_part *
last_part(const struct report *r)
{
	cr_assert_gt(r->parts->len, 0);
	return g_ptr_array_index(r->parts, r->parts->len - 1);
}

/* n nested multiparts with one text part at the bottom. */
static char *
nested(guint n)
{
	GString *s = g_string_new("From: a@example.org\nSubject: deep\n");
	guint i;

	for (i = 0; i < n; i++)
		g_string_append_printf(s, "Content-Type: multipart/mixed; "
		    "boundary=b%u\n\n--b%u\n", i, i);
	g_string_append(s, "Content-Type: text/plain\n\nbottom\n");
	for (i = n; i-- > 0;)
		g_string_append_printf(s, "--b%u--\n", i);
	return g_string_free(s, FALSE);
}

Test(parse_limits, depth_at_limit_is_walked)
{
	char *m = nested(5);
	struct report *r;

	lim.max_depth = 5;
	r = parse_str(m);
	cr_assert_eq(r->parts->len, 1);
	cr_assert_str_eq(last_part(r)->path, "1.1.1.1.1");
	cr_assert_str_eq(last_part(r)->text, "bottom");
	cr_assert_eq(r->warnings->len, 0);
	report_free(&r);
	g_free(m);
}

Test(parse_limits, depth_past_limit_is_cut_with_warning)
{
	char *m = nested(6);
	struct report *r;

	lim.max_depth = 5;
	r = parse_str(m);
	cr_assert_eq(r->parts->len, 0);
	cr_assert_eq(r->kind, REPORT_KIND_ABUSE);
	cr_assert(has_warning(r, "part 1.1.1.1.1: MIME nesting deeper "
	    "than 5 levels"));
	report_free(&r);
	g_free(m);
}

static char *
many_parts(guint n)
{
	GString *s = g_string_new("From: a@example.org\nSubject: many\n"
	    "Content-Type: multipart/mixed; boundary=X\n\n");
	guint i;

	for (i = 0; i < n; i++)
		g_string_append_printf(s, "--X\n\npart %u\n", i + 1);
	g_string_append(s, "--X--\n");
	return g_string_free(s, FALSE);
}

Test(parse_limits, parts_at_and_past_limit)
{
	char *m = many_parts(4);
	struct report *r;

	lim.max_parts = 4;
	r = parse_str(m);
	cr_assert_eq(r->parts->len, 4);
	cr_assert_eq(r->warnings->len, 0);
	report_free(&r);

	lim.max_parts = 3;
	r = parse_str(m);
	cr_assert_eq(r->parts->len, 3);
	cr_assert_str_eq(last_part(r)->text, "part 3");
	cr_assert(has_warning(r, "part 4: part limit (3) reached"));
	report_free(&r);
	g_free(m);
}

Test(parse_limits, part_text_at_and_past_limit)
{
	const char *m = "From: a@example.org\nSubject: t\n\n0123456789";
	struct report *r;

	lim.max_part_text = 10;
	r = parse_str(m);
	cr_assert_str_eq(last_part(r)->text, "0123456789");
	cr_assert_not(last_part(r)->truncated);
	cr_assert_eq(r->warnings->len, 0);
	report_free(&r);

	lim.max_part_text = 9;
	r = parse_str(m);
	cr_assert_str_eq(last_part(r)->text, "012345678");
	cr_assert_eq(last_part(r)->text_len, 9);
	cr_assert(last_part(r)->truncated);
	cr_assert(has_warning(r, "part 1: text cut at 9 of 10 bytes"));
	report_free(&r);
}

Test(parse_limits, part_text_cut_keeps_utf8_characters_whole)
{
	/* "aé" is 3 bytes: a cut at 2 must not split the é. */
	struct report *r;

	lim.max_part_text = 2;
	r = parse_str("From: a@example.org\nSubject: t\n"
	    "Content-Type: text/plain; charset=utf-8\n\na\xc3\xa9");
	cr_assert_str_eq(last_part(r)->text, "a");
	cr_assert(g_utf8_validate(last_part(r)->text, -1, NULL));
	report_free(&r);
}

Test(parse_limits, message_text_at_and_past_limit)
{
	const char *m = "From: a@example.org\nSubject: t\n"
	    "Content-Type: multipart/mixed; boundary=X\n\n"
	    "--X\n\n0123456789\n--X\n\nabcdefghij\n--X--\n";
	struct report *r;

	lim.max_message_text = 20;
	r = parse_str(m);
	cr_assert_str_eq(last_part(r)->text, "abcdefghij");
	cr_assert_eq(r->warnings->len, 0);
	report_free(&r);

	lim.max_message_text = 19;
	r = parse_str(m);
	cr_assert_str_eq(last_part(r)->text, "abcdefghi");
	cr_assert(last_part(r)->truncated);
	cr_assert(has_warning(r, "part 2: message text limit (19 bytes)"));
	report_free(&r);
}

Test(parse_limits, header_bytes_at_and_past_limit)
{
	/* name + value + 2 per header: 4+13+2 + 7+1+2 = 29 */
	const char *m = "From: a@example.org\nSubject: x\n\nbody\n";
	struct report *r;

	lim.max_header_bytes = 29;
	r = parse_str(m);
	cr_assert_eq(r->headers->len, 2);
	cr_assert_str_eq(r->subject, "x");
	report_free(&r);

	lim.max_header_bytes = 28;
	r = parse_str(m);
	cr_assert_eq(r->headers->len, 1);
	cr_assert_null(r->subject);
	cr_assert(has_warning(r, "header limit (28 bytes) reached at "
	    "header 2 (Subject)"));
	report_free(&r);
}

Test(parse_limits, arena_cap_gives_partial_report_not_crash)
{
	gsize n = 512 * 1024;
	char *m = g_malloc(n + 64);
	struct report *r;

	strcpy(m, "From: a@example.org\nSubject: big\n\n");
	memset(m + strlen(m), 'A', n);
	m[n + 32] = '\0';
	lim.arena_cap = 256 * 1024;
	r = parse_str(m);
	cr_assert_eq(r->kind, REPORT_KIND_ABUSE);
	cr_assert(has_warning(r, "memory budget exhausted"));
	report_free(&r);
	g_free(m);
}

Test(parse_limits, empty_input_is_unparsed)
{
	struct report *r = parse_len("", 0);

	cr_assert_eq(r->kind, REPORT_KIND_UNPARSED);
	cr_assert_str_eq(r->format, "unparsed");
	cr_assert_eq(r->parts->len, 1);
	cr_assert_str_eq(last_part(r)->text, "");
	cr_assert(has_warning(r, "empty message"));
	report_free(&r);
	r = parse_message(NULL, 0, NULL);
	cr_assert_eq(r->kind, REPORT_KIND_UNPARSED);
	report_free(&r);
}

Test(parse_limits, random_bytes_give_a_report_with_valid_text)
{
	GRand *rnd = g_rand_new_with_seed(4242);
	guint8 *buf = g_malloc(65536);
	guint i, j;

	for (i = 0; i < 8; i++) {
		struct report *r;

		for (j = 0; j < 65536; j++)
			buf[j] = (guint8)g_rand_int_range(rnd, 0, 256);
		r = parse_message(buf, 65536, &lim);
		cr_assert(r->kind == REPORT_KIND_UNPARSED ||
		    r->kind == REPORT_KIND_ABUSE);
		for (j = 0; j < r->parts->len; j++) {
			const struct report_part *p =
			    g_ptr_array_index(r->parts, j);

			cr_assert(g_utf8_validate(p->text, p->text_len, NULL));
		}
		report_free(&r);
	}
	g_free(buf);
	g_rand_free(rnd);
}

Test(parse_limits, text_without_headers_is_unparsed_raw_latin1)
{
	struct report *r = parse_str("just some text with caf\xe9 and "
	    "5.9.34.17\nno headers here\n");

	cr_assert_eq(r->kind, REPORT_KIND_UNPARSED);
	cr_assert_eq(r->parts->len, 1);
	cr_assert_str_eq(last_part(r)->path, "1");
	cr_assert_str_eq(last_part(r)->text, "just some text with café and "
	    "5.9.34.17\nno headers here\n");
	report_free(&r);
}

Test(parse_limits, headers_only_without_body)
{
	struct report *r = parse_str("From: a@example.org\nSubject: only");

	cr_assert_eq(r->kind, REPORT_KIND_ABUSE);
	cr_assert_str_eq(r->subject, "only");
	cr_assert_eq(r->parts->len, 1);
	cr_assert_str_eq(last_part(r)->text, "");
	report_free(&r);
}

Test(parse_limits, unterminated_multipart_keeps_its_parts)
{
	struct report *r = parse_str("From: a@example.org\nSubject: cut\n"
	    "Content-Type: multipart/mixed; boundary=U\n\n"
	    "--U\n\nfirst 5.9.34.17\n--U\nContent-Type: text/plain\n\n"
	    "second, cut off");

	cr_assert_eq(r->kind, REPORT_KIND_ABUSE);
	cr_assert_eq(r->parts->len, 2);
	cr_assert_str_eq(last_part(r)->text, "second, cut off");
	report_free(&r);
}

/* 0.3 s natively; gmime's boundary checks make it ~10 s under valgrind. */
Test(parse_limits, ten_thousand_nested_multiparts_finish, .timeout = 60)
{
	char *m = nested(10000);
	struct report *r = parse_str(m);

	cr_assert_eq(r->kind, REPORT_KIND_ABUSE);
	cr_assert_eq(r->parts->len, 0);
	cr_assert(r->warnings->len >= 1);
	report_free(&r);
	g_free(m);
}

Test(parse_limits, ten_thousand_nested_rfc822_finish)
{
	GString *s = g_string_new(NULL);
	struct report *r;
	guint i;

	for (i = 0; i < 10000; i++)
		g_string_append(s, "From: a@example.org\n"
		    "Content-Type: message/rfc822\n\n");
	g_string_append(s, "From: b@example.org\n\nbottom\n");
	r = parse_str(s->str);
	cr_assert_eq(r->kind, REPORT_KIND_ABUSE);
	cr_assert(r->warnings->len >= 1);
	cr_assert_leq(r->parts->len, LIMIT_MIME_DEPTH);
	report_free(&r);
	g_string_free(s, TRUE);
}
