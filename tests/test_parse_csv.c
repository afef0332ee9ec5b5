/*
 * test_parse_csv.c: Shadowserver-style CSV feeds (parse/fmt_csv.c): the
 * roles of each column family, dedup with the first row's port and time,
 * broken rows, the report fields, and the CSV row limit.
 */
#include "config.h"

#include <string.h>
#include <criterion/criterion.h>

#include "parse/parse.h"
#include "tests/helpers.h"
#include "tests/parse_fixture.h"

TestSuite(parse_csv, .init = fixture_setup, .fini = fixture_teardown,
    .timeout = 10);

/* The findings a CSV gave, "kind role value" per line. */
static char *
csv_findings(const struct report *r)
{
	GString *s = g_string_new(NULL);
	guint i;

	for (i = 0; i < r->findings->len; i++) {
		const struct finding *f = g_ptr_array_index(r->findings, i);

		if (!g_str_has_prefix(f->source, "csv:"))
			continue;
		g_string_append_printf(s, "%s %s %s\n",
		    finding_kind_name(f->kind), finding_role_name(f->role),
		    f->value);
	}
	return g_string_free(s, FALSE);
}

Test(parse_csv, scan_ssh_in_zip)
{
	struct report *r = parse_fixture_limits("fmt-csv-scan-ssh-zip.eml", NULL);
	char *s = csv_findings(r);
	const struct finding *f;

	cr_assert_str_eq(s,
	    "ipv4 offender 5.9.34.17\n"
	    "ipv4 offender 133.242.7.200\n"
	    "ipv4 offender 45.142.212.61\n");
	cr_assert_str_eq(r->format, "shadowserver");
	cr_assert_str_eq(r->category, "potentially-unwanted-accessible");
	cr_assert_str_eq(r->taxonomy, "vulnerable");
	cr_assert_str_eq(r->event_time, "2026-11-27T00:01:12Z");
	/* The first row of a repeated IP wins; the PTR name is an attr. */
	f = finding_of(r, "5.9.34.17");
	cr_assert_eq(f->port, 22);
	cr_assert_str_eq(f->part, "2.1");
	cr_assert_str_eq(f->source, "csv:ip");
	cr_assert_str_eq(f->observed_at, "2026-11-27T00:01:12Z");
	cr_assert_str_eq(f->attrs, "asn=24940 geo=DE tag=ssh "
	    "hostname=static.17.34.9.5.clients.your-server.de row=1");
	f = finding_of(r, "133.242.7.200");
	cr_assert_eq(f->port, 2222);
	cr_assert_str_eq(f->attrs, "asn=9370 geo=JP tag=ssh;weak-kex row=2");
	cr_assert(warned(r, "part 2.1: CSV row 4 is broken"));
	g_free(s);
	report_free(&r);
}

Test(parse_csv, event4_sinkhole_gzip)
{
	struct report *r = parse_fixture_limits("fmt-csv-event4-gz.eml", NULL);
	char *s = csv_findings(r);

	cr_assert_str_eq(s,
	    "ipv4 offender 45.142.212.61\n"
	    "ipv4 victim 133.36.1.110\n"
	    "domain context gate.badc2.ru\n"
	    "ipv6 offender 2a01:4f8:c17:1a2b::2\n");
	cr_assert_eq(finding_of(r, "45.142.212.61")->port, 49152);
	cr_assert_str_eq(finding_of(r, "45.142.212.61")->source, "csv:src_ip");
	cr_assert_str_eq(r->format, "shadowserver");
	cr_assert_str_eq(r->category, "infected-system");
	cr_assert_str_eq(r->event_time, "2026-11-26T23:58:01Z");
	g_free(s);
	report_free(&r);
}

Test(parse_csv, scan6_plain_csv)
{
	struct report *r = parse_fixture_limits("fmt-csv-scan6.eml", NULL);
	char *s = csv_findings(r);

	/* The uncompressed form is normalised (RFC 5952). */
	cr_assert_str_eq(s,
	    "ipv6 offender 2a01:4f8:c17:1a2b::3\n"
	    "ipv6 offender 2a01:4f8:c17:1a2b::2\n");
	cr_assert_str_eq(r->format, "shadowserver");
	g_free(s);
	report_free(&r);
}

Test(parse_csv, url_feed_and_legacy_drone)
{
	struct report *r = parse_fixture_limits("fmt-csv-urlfeeds.eml", NULL);
	char *s = csv_findings(r);

	cr_assert_str_eq(s,
	    "ipv4 offender 133.242.7.200\n"
	    "url offender http://login-secure.jp-bank-verify.com/signin/\n"
	    "domain offender login-secure.jp-bank-verify.com\n"
	    "ipv4 offender 133.242.7.201\n"
	    "url context http://94.102.49.193/search?q=1\n"
	    "ipv4 context 94.102.49.193\n");
	cr_assert_eq(finding_of(r, "133.242.7.201")->port, 51515);
	cr_assert_str_eq(r->category, "phishing");
	g_free(s);
	report_free(&r);
}

Test(parse_csv, empty_csv_in_zip)
{
	struct report *r = parse_fixture_limits("fmt-csv-empty-zip.eml", NULL);
	char *s = csv_findings(r);

	cr_assert_str_eq(s, "");
	cr_assert_str_eq(r->format, "shadowserver");
	cr_assert_null(r->event_time);
	g_free(s);
	report_free(&r);
}

/* Three data rows: a limit of 3 reads them all, 2 stops with a warning. */
Test(parse_csv, row_limit)
{
	struct parse_limits l;
	struct report *r;
	char *s;

	parse_limits_default(&l);
	l.max_csv_rows = 6;		/* feed.csv and feed2.csv.gz */
	r = parse_fixture_limits("fmt-csv-limits.eml", &l);
	s = csv_findings(r);
	cr_assert_str_eq(s, "ipv4 offender 5.9.34.20\n"
	    "ipv4 offender 5.9.34.21\n" "ipv4 offender 5.9.34.22\n");
	cr_assert_not(warned(r, "row limit"));
	g_free(s);
	report_free(&r);

	l.max_csv_rows = 2;
	r = parse_fixture_limits("fmt-csv-limits.eml", &l);
	s = csv_findings(r);
	cr_assert_str_eq(s, "ipv4 offender 5.9.34.20\n"
	    "ipv4 offender 5.9.34.21\n");
	cr_assert(warned(r, "part 2.1: CSV row limit (2 per message) "
	    "reached: row 3"));
	g_free(s);
	report_free(&r);
}

Test(parse_csv, column_limit)
{
	struct parse_limits l;
	struct report *r;
	char *s;

	parse_limits_default(&l);
	l.max_csv_columns = 4;		/* feed.csv has 4 */
	r = parse_fixture_limits("fmt-csv-limits.eml", &l);
	s = csv_findings(r);
	cr_assert_str_eq(s, "ipv4 offender 5.9.34.20\n"
	    "ipv4 offender 5.9.34.21\n" "ipv4 offender 5.9.34.22\n");
	g_free(s);
	report_free(&r);

	l.max_csv_columns = 3;
	r = parse_fixture_limits("fmt-csv-limits.eml", &l);
	s = csv_findings(r);
	cr_assert_str_eq(s, "");
	cr_assert(warned(r, "part 2.1: no CSV header"));
	g_free(s);
	report_free(&r);
}

/* A CSV pasted into a text/plain body is found by its header line. */
Test(parse_csv, header_in_plain_text)
{
	const char *m =
	    "From: noc@isp.example.net\n"
	    "Subject: scan results\n"
	    "Content-Type: text/plain\n\n"
	    "timestamp,ip,port,asn,geo\n"
	    "2026-11-27 10:00:00,45.142.212.61,23,44477,RU\n"
	    "\"2026-11-27 10:00:01\",\"5.9.34.17\",\"23\",24940,\"DE\"\n"
	    "\"2026-11-27 10:00:02\",\"5.9.34.\n";
	struct report *r = parse_message((const guint8 *)m, strlen(m), NULL);
	char *s = csv_findings(r);

	cr_assert_str_eq(s, "ipv4 offender 45.142.212.61\n"
	    "ipv4 offender 5.9.34.17\n");
	cr_assert_eq(finding_of(r, "5.9.34.17")->port, 23);
	cr_assert(warned(r, "CSV row 3 is broken"));
	g_free(s);
	report_free(&r);
}

/* The boundary declared is not the one used: the body is read as text and
 * the base64 CSV in it is rescued as part 1.1 (salvage.c). */
Test(parse_csv, attachment_rescued_from_unsplit_body)
{
	struct report *r = parse_fixture_limits("fmt-csv-bad-boundary.eml", NULL);
	char *s = csv_findings(r);

	cr_assert_str_eq(s,
	    "ipv6 offender 2a01:4f8:c17:1a2b::3\n"
	    "ipv6 offender 2a01:4f8:c17:1a2b::2\n");
	cr_assert_str_eq(finding_of(r, "2a01:4f8:c17:1a2b::2")->part, "1.1");
	cr_assert(warned(r, "part 1: attachment 2026-11-27-scan6_ssh-jp-cert"
	    "-asn.csv rescued from the text as part 1.1"));
	cr_assert_str_eq(r->format, "shadowserver");
	g_free(s);
	report_free(&r);
}
