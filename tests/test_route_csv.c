/*
 * test_route_csv.c: the CSV reader of route/ (route/route_csv.c):
 * RFC 4180 splitting, comments, headers, column counts, long lines,
 * CRLF and gzip input, and "file:line" errors.
 */
#include "config.h"

#include <string.h>
#include <criterion/criterion.h>

#include "route/route_int.h"
#include "tests/helpers.h"

TestSuite(route_csv, .init = test_tmp_setup, .fini = test_tmp_teardown,
    .timeout = 10);

/* write_tmp - a file in the test's directory (g_free the path) */
static char *
write_tmp(const char *name, const char *text)
{
	char *path = g_build_filename(test_tmp, name, NULL);

	cr_assert(g_file_set_contents(path, text, -1, NULL));
	return path;
}

static GPtrArray *
split_ok(const char *line)
{
	GPtrArray *f = g_ptr_array_new_with_free_func(g_free);
	const char *why = NULL;

	cr_assert(route_csv_split(line, f, &why), "split \"%s\": %s", line,
	    why);
	return f;
}

static const char *
split_fails(const char *line)
{
	GPtrArray *f = g_ptr_array_new_with_free_func(g_free);
	const char *why = NULL;

	cr_assert_not(route_csv_split(line, f, &why), "split \"%s\"", line);
	g_ptr_array_unref(f);
	return why;
}

Test(route_csv, plain_fields_are_split_on_commas_and_trimmed)
{
	GPtrArray *f = split_ok("a, b ,c,");

	cr_assert_eq(f->len, 4);
	cr_expect_str_eq(f->pdata[0], "a");
	cr_expect_str_eq(f->pdata[1], "b");
	cr_expect_str_eq(f->pdata[2], "c");
	cr_expect_str_eq(f->pdata[3], "");
	g_ptr_array_unref(f);
}

Test(route_csv, quoted_field_keeps_commas_and_undoubles_quotes)
{
	GPtrArray *f = split_ok("\"x, y\",\"he said \"\"hi\"\"\", \"\"");

	cr_assert_eq(f->len, 3);
	cr_expect_str_eq(f->pdata[0], "x, y");
	cr_expect_str_eq(f->pdata[1], "he said \"hi\"");
	cr_expect_str_eq(f->pdata[2], "");
	g_ptr_array_unref(f);
}

Test(route_csv, national_csirts_no_line_has_nine_fields)
{
	GPtrArray *f = split_ok("NO,\"NCSC-NO (NorCERT, NSM)\",norcert@nsm.no,"
	    "https://nsm.no/,national,well-known,,,");

	cr_assert_eq(f->len, 9);
	cr_expect_str_eq(f->pdata[1], "NCSC-NO (NorCERT, NSM)");
	cr_expect_str_eq(f->pdata[2], "norcert@nsm.no");
	cr_expect_str_eq(f->pdata[8], "");
	g_ptr_array_unref(f);
}

Test(route_csv, empty_line_is_one_empty_field)
{
	GPtrArray *f = split_ok("");

	cr_assert_eq(f->len, 1);
	cr_expect_str_eq(f->pdata[0], "");
	g_ptr_array_unref(f);
}

Test(route_csv, bad_quoting_is_refused_with_a_reason)
{
	cr_expect_str_eq(split_fails("a,\"abc"), "unterminated quoted field");
	cr_expect_str_eq(split_fails("\"a\"b,c"),
	    "text after the closing quote of a field");
	cr_expect_str_eq(split_fails("a\"b,c"),
	    "quote inside an unquoted field");
}

Test(route_csv, more_than_the_field_limit_is_refused)
{
	GString *s = g_string_new("x");
	guint i;

	for (i = 0; i < ROUTE_CSV_FIELDS_MAX - 1; i++)
		g_string_append(s, ",x");
	g_ptr_array_unref(split_ok(s->str));
	g_string_append(s, ",x");
	cr_expect_str_eq(split_fails(s->str), "too many fields");
	g_string_free(s, TRUE);
}

Test(route_csv, records_skip_comments_and_blank_lines_and_strip_crlf)
{
	char *p = write_tmp("t.csv", "# c\r\na,b\r\n\r\n  # x\r\n1,\"2\"\r\n"
	    "3,4");
	GPtrArray *f = g_ptr_array_new_with_free_func(g_free);
	struct route_csv c;
	GError *err = NULL;

	cr_assert(route_csv_open(&c, p, &err));
	cr_assert(route_csv_header(&c, "a,b", &err));
	cr_assert_eq(route_csv_record(&c, 2, f, &err), 1);
	cr_expect_eq(c.line, 5);
	cr_expect_str_eq(f->pdata[0], "1");
	cr_expect_str_eq(f->pdata[1], "2");
	cr_assert_eq(route_csv_record(&c, 2, f, &err), 1);
	cr_expect_eq(c.line, 6);
	cr_expect_str_eq(f->pdata[1], "4");
	cr_expect_eq(route_csv_record(&c, 2, f, &err), 0);
	cr_expect_null(err);
	route_csv_close(&c);
	g_ptr_array_unref(f);
	g_free(p);
}

Test(route_csv, wrong_column_count_names_file_and_line)
{
	char *p = write_tmp("cols.csv", "a,b,c\n1,2,3\n1,2\n");
	char *want = g_strdup_printf("%s:3: expected 3 fields, got 2", p);
	GPtrArray *f = g_ptr_array_new_with_free_func(g_free);
	struct route_csv c;
	GError *err = NULL;

	cr_assert(route_csv_open(&c, p, &err));
	cr_assert(route_csv_header(&c, "a,b,c", &err));
	cr_assert_eq(route_csv_record(&c, 3, f, &err), 1);
	cr_assert_eq(route_csv_record(&c, 3, f, &err), -1);
	cr_assert_not_null(err);
	cr_expect(g_error_matches(err, ROUTE_ERROR, ROUTE_ERROR_SYNTAX));
	cr_expect_str_eq(err->message, want);
	g_error_free(err);
	route_csv_close(&c);
	g_ptr_array_unref(f);
	g_free(want);
	g_free(p);
}

Test(route_csv, unterminated_quote_names_file_and_line)
{
	char *p = write_tmp("q.csv", "a,b\n\"open,x\n");
	char *want = g_strdup_printf("%s:2: unterminated quoted field", p);
	GPtrArray *f = g_ptr_array_new_with_free_func(g_free);
	struct route_csv c;
	GError *err = NULL;

	cr_assert(route_csv_open(&c, p, &err));
	cr_assert(route_csv_header(&c, "a,b", &err));
	cr_assert_eq(route_csv_record(&c, 2, f, &err), -1);
	cr_expect_str_eq(err->message, want);
	g_error_free(err);
	route_csv_close(&c);
	g_ptr_array_unref(f);
	g_free(want);
	g_free(p);
}

Test(route_csv, wrong_header_and_empty_file_are_errors)
{
	char *p = write_tmp("h.csv", "# only\nid,name\n");
	char *e = write_tmp("e.csv", "# nothing\n\n");
	char *want = g_strdup_printf("%s:2: expected the header line "
	    "\"id,name,email\"", p);
	struct route_csv c;
	GError *err = NULL;

	cr_assert(route_csv_open(&c, p, &err));
	cr_assert_not(route_csv_header(&c, "id,name,email", &err));
	cr_expect_str_eq(err->message, want);
	g_clear_error(&err);
	route_csv_close(&c);
	cr_assert(route_csv_open(&c, e, &err));
	cr_assert_not(route_csv_header(&c, "a", &err));
	cr_expect(g_str_has_suffix(err->message, "empty file, expected the "
	    "header line \"a\""), "%s", err->message);
	g_clear_error(&err);
	route_csv_close(&c);
	g_free(want);
	g_free(p);
	g_free(e);
}

Test(route_csv, line_over_the_limit_is_an_error_not_a_split)
{
	GString *s = g_string_new("a\n");
	char *p, *want, *line;
	struct route_csv c;
	GError *err = NULL;

	while (s->len < 2 + ROUTE_CSV_LINE_MAX)
		g_string_append_c(s, 'x');
	g_string_append(s, "\nyy\n");
	p = write_tmp("long.csv", s->str);
	cr_assert(route_csv_open(&c, p, &err));
	cr_assert_eq(route_csv_next(&c, &line, &err), 1);
	cr_assert_eq(route_csv_next(&c, &line, &err), 1, "exactly the limit");
	cr_expect_eq(strlen(line), ROUTE_CSV_LINE_MAX);
	route_csv_close(&c);
	g_free(p);

	g_string_insert_c(s, 2, 'x');
	p = write_tmp("long2.csv", s->str);
	want = g_strdup_printf("%s:2: line longer than %d bytes", p,
	    ROUTE_CSV_LINE_MAX);
	cr_assert(route_csv_open(&c, p, &err));
	cr_assert_eq(route_csv_next(&c, &line, &err), 1);
	cr_assert_eq(route_csv_next(&c, &line, &err), -1);
	cr_expect_str_eq(err->message, want);
	g_clear_error(&err);
	route_csv_close(&c);
	g_string_free(s, TRUE);
	g_free(want);
	g_free(p);
}

Test(route_csv, gzip_table_reads_like_plain_text)
{
	char *p = test_src_path("data/ip-country-rir.csv.gz");
	struct route_csv c;
	GError *err = NULL;
	char *line;

	cr_assert(route_csv_open(&c, p, &err), "%s", err ? err->message : "");
	cr_expect_str_eq(c.name, "ip-country-rir.csv.gz");
	/* The shipped tables open with their source and date. */
	cr_assert_eq(route_csv_next(&c, &line, &err), 1);
	cr_expect_str_eq(line, "# ip-country-rir.csv: RIR delegated-extended "
	    "via ipverse/rir-ip, CC0 1.0");
	cr_assert_eq(route_csv_next(&c, &line, &err), 1);
	cr_expect_str_eq(line, "# date: 2026-02-01");
	cr_assert_eq(route_csv_next(&c, &line, &err), 1);
	cr_expect_str_eq(line, "1.0.0.0,1.0.0.255,AU");
	cr_expect_eq(c.line, 3);
	route_csv_close(&c);
	g_free(p);
}

Test(route_csv, missing_file_is_an_io_error)
{
	char *p = g_build_filename(test_tmp, "nope.csv", NULL);
	struct route_csv c;
	GError *err = NULL;

	cr_assert_not(route_csv_open(&c, p, &err));
	cr_expect(g_error_matches(err, ROUTE_ERROR, ROUTE_ERROR_IO));
	cr_expect(strstr(err->message, "nope.csv: ") != NULL, "%s",
	    err->message);
	g_error_free(err);
	g_free(p);
}
