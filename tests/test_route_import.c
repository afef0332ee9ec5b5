/*
 * test_route_import.c: `abusedesk data import` conversions
 * (route/route_import.c) on the excerpts in tests/data/import-*: RIR
 * delegated-extended files (two RIRs at once), RouteViews pfx2as (nested
 * prefixes, multi-origin and AS-set origins) and iptoasn.com ip2asn: the
 * rows written, that the table loaders accept them, and the errors:
 * file:line of a bad line, both places of an overlap; and the command
 * `abusedesk data import` itself (runs the built binary).
 */
#include "config.h"

#include <string.h>
#include <sys/wait.h>
#include <criterion/criterion.h>
#include <glib/gstdio.h>

#include "route/route.h"
#include "route/route_int.h"
#include "tests/helpers.h"

TestSuite(route_import, .init = test_tmp_setup, .fini = test_tmp_teardown,
    .timeout = 10);

/* out_rows - the file written (plain or gzip), comment lines apart */
static char *
out_rows(const char *path, char **comments_r)
{
	GString *rows = g_string_new(NULL), *com = g_string_new(NULL);
	struct route_csv c;
	char *line;

	cr_assert(route_csv_open(&c, path, NULL));
	while (route_csv_next(&c, &line, NULL) == 1)
		g_string_append_printf(line[0] == '#' ? com : rows, "%s\n",
		    line);
	route_csv_close(&c);
	if (comments_r != NULL)
		*comments_r = g_string_free(com, FALSE);
	else
		g_string_free(com, TRUE);
	return g_string_free(rows, FALSE);
}

static char *
tmp_file(const char *name, const char *text)
{
	char *path = g_build_filename(test_tmp, name, NULL);

	if (text != NULL)
		cr_assert(g_file_set_contents(path, text, -1, NULL));
	return path;
}

static const char *
cc(const struct country_table *t, const char *ip)
{
	struct netaddr a;

	cr_assert(netaddr_parse(ip, strlen(ip), &a));
	return country_table_lookup(t, &a);
}

Test(route_import, rir_files_of_two_registries)
{
	char *in[2] = {
		test_data_path("import-delegated-apnic-extended.txt"),
		test_data_path("import-delegated-ripencc-extended.txt"),
	};
	char *out = tmp_file("ip-country-rir.csv.gz", NULL), *rows, *com;
	struct route_import_stats st;
	struct country_table *t;
	GError *err = NULL;

	cr_assert(route_import_rir((const char *const *)in, 2, out, &st,
	    &err), "%s", err != NULL ? err->message : "");
	rows = out_rows(out, &com);
	cr_assert_str_eq(rows,
	    "1.0.0.0,1.0.0.255,AU\n"
	    "1.0.1.0,1.0.3.255,CN\n"		/* two records merged */
	    "1.0.4.0,1.0.7.255,DE\n"		/* from the other file */
	    "1.0.16.0,1.0.31.255,JP\n"
	    "1.0.64.0,1.0.66.255,JP\n"		/* 768 addresses */
	    "2.0.0.0,2.15.255.255,FR\n"
	    "2001:200::,2001:200:1fff:ffff:ffff:ffff:ffff:ffff,JP\n"
	    "2001:600::,2001:7ff:ffff:ffff:ffff:ffff:ffff:ffff,EU\n");
	cr_assert(strstr(com, "# date: 2026-02-01\n") != NULL, "%s", com);
	cr_assert(strstr(com, "import-delegated-ripencc-extended.txt") !=
	    NULL);
	cr_assert_eq(st.records, 9);
	cr_assert_eq(st.skipped, 3);	/* available, reserved x2 */
	cr_assert_eq(st.ranges4, 6);
	cr_assert_eq(st.ranges6, 2);
	t = country_table_load(out, NULL, &err);
	cr_assert_not_null(t, "%s", err != NULL ? err->message : "");
	cr_assert_str_eq(cc(t, "1.0.66.255"), "JP");
	cr_assert_null(cc(t, "1.0.67.0"));
	cr_assert_str_eq(country_table_date(t), "2026-02-01");
	country_table_free(&t);
	g_free(rows);
	g_free(com);
	g_free(out);
	g_free(in[0]);
	g_free(in[1]);
}

Test(route_import, rir_overlap_names_both_lines)
{
	char *in[2] = {
		test_data_path("import-delegated-apnic-extended.txt"),
		tmp_file("delegated-arin-extended-latest",
		    "2|arin|20260130|1|19700101|20260129|-0500\n"
		    "arin|*|ipv4|*|1|summary\n"
		    "arin|US|ipv4|1.0.20.0|256|20260101|allocated|x|e-stats\n"),
	};
	char *out = tmp_file("rir.csv", NULL);
	struct route_import_stats st;
	GError *err = NULL;

	cr_assert_not(route_import_rir((const char *const *)in, 2, out, &st,
	    &err));
	cr_assert_eq(err->code, ROUTE_ERROR_SYNTAX);
	cr_assert(strstr(err->message, "delegated-arin-extended-latest:3:")
	    != NULL, "%s", err->message);
	cr_assert(strstr(err->message, "apnic-extended.txt:10") != NULL,
	    "%s", err->message);
	cr_assert_not(g_file_test(out, G_FILE_TEST_EXISTS));
	g_error_free(err);
	g_free(out);
	g_free(in[0]);
	g_free(in[1]);
}

Test(route_import, rir_bad_lines_name_their_line)
{
	static const char *const bad[] = {
		"apnic|JP|ipv4|1.0.300.0|256|20110412|allocated|x|e-stats",
		"apnic|JP|ipv4|1.0.0.0|0|20110412|allocated|x|e-stats",
		"apnic|JP|ipv4|255.255.255.0|257|20110412|allocated|x|e-stats",
		"apnic|JP|ipv6|2001:200::1|32|20110412|allocated|x|e-stats",
		"apnic|JP|ipv6|2001:200::|129|20110412|allocated|x|e-stats",
		"apnic|J1|ipv4|1.0.0.0|256|20110412|allocated|x|e-stats",
		"apnic|JP|ipv4",
	};
	char *out = tmp_file("rir.csv", NULL);
	struct route_import_stats st;
	guint i;

	for (i = 0; i < G_N_ELEMENTS(bad); i++) {
		char *text = g_strdup_printf("2|apnic|20260201|1|1|1|+1000\n"
		    "# a comment\n%s\n", bad[i]);
		char *in = tmp_file("delegated-apnic", text);
		GError *err = NULL;

		cr_assert_not(route_import_rir((const char *const *)&in, 1,
		    out, &st, &err), "%s", bad[i]);
		cr_assert(strstr(err->message, "delegated-apnic:3: ") != NULL,
		    "%s: %s", bad[i], err->message);
		g_error_free(err);
		g_free(in);
		g_free(text);
	}
	g_free(out);
}

Test(route_import, pfx2as_most_specific_prefix_wins)
{
	char *in = test_data_path("import-routeviews-rv2-20260617-1200.pfx2as");
	char *out = tmp_file("ip-asn.csv", NULL), *rows, *com;
	struct route_import_stats st;
	struct range_table *t;
	struct netaddr a;
	GError *err = NULL;
	guint32 asn;

	cr_assert(route_import_pfx2as(in, out, &st, &err), "%s",
	    err != NULL ? err->message : "");
	rows = out_rows(out, &com);
	cr_assert_str_eq(rows,
	    "1.0.0.0,1.0.0.255,13335\n"
	    "1.0.4.0,1.0.4.255,38803\n"
	    "1.0.5.0,1.0.5.255,9999\n"
	    "1.0.6.0,1.0.7.255,38803\n"
	    "1.0.16.0,1.0.31.255,2519\n"
	    "1.0.64.0,1.0.127.255,18144\n"
	    "2001:200::,2001:200:8ff:ffff:ffff:ffff:ffff:ffff,2500\n"
	    "2001:200:900::,2001:200:9ff:ffff:ffff:ffff:ffff:ffff,7660\n"
	    "2001:200:a00::,2001:200:dff:ffff:ffff:ffff:ffff:ffff,2500\n"
	    "2001:200:e00::,2001:200:eff:ffff:ffff:ffff:ffff:ffff,4690\n"
	    "2001:200:f00::,2001:200:ffff:ffff:ffff:ffff:ffff:ffff,2500\n");
	cr_assert(strstr(com, "# date: 2026-06-17\n") != NULL, "%s", com);
	cr_assert_eq(st.multi_origin, 2);
	cr_assert_eq(st.records, 9);
	t = asn_ranges_load(out, NULL, &err);
	cr_assert_not_null(t, "%s", err != NULL ? err->message : "");
	cr_assert(netaddr_parse("2001:200:a00::1", 15, &a));
	cr_assert_eq(range_table_lookup(t, &a, &asn, NULL), 1);
	cr_assert_eq(asn, 2500);
	range_table_free(&t);
	g_free(rows);
	g_free(com);
	g_free(out);
	g_free(in);
}

Test(route_import, pfx2as_whole_space_and_errors)
{
	char *in = tmp_file("p.pfx2as", "0.0.0.0\t0\t1\n"
	    "255.255.255.255\t32\t2\n::\t0\t3\nffff::\t16\t4\n");
	char *out = tmp_file("ip-asn.csv", NULL), *rows;
	struct route_import_stats st;
	GError *err = NULL;

	cr_assert(route_import_pfx2as(in, out, &st, &err), "%s",
	    err != NULL ? err->message : "");
	rows = out_rows(out, NULL);
	cr_assert_str_eq(rows,
	    "0.0.0.0,255.255.255.254,1\n"
	    "255.255.255.255,255.255.255.255,2\n"
	    "::,fffe:ffff:ffff:ffff:ffff:ffff:ffff:ffff,3\n"
	    "ffff::,ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff,4\n");
	g_free(rows);
	g_free(in);
	in = tmp_file("dup.pfx2as", "1.0.0.0\t24\t13335\n"
	    "1.0.0.0\t24\t64512\n");
	cr_assert_not(route_import_pfx2as(in, out, &st, &err));
	cr_assert(strstr(err->message, "dup.pfx2as:2:") != NULL &&
	    strstr(err->message, "dup.pfx2as:1") != NULL, "%s",
	    err->message);
	g_clear_error(&err);
	g_free(in);
	in = tmp_file("bad.pfx2as", "1.0.0.0\t24\t13335\n1.0.1.1\t24\t1\n");
	cr_assert_not(route_import_pfx2as(in, out, &st, &err));
	cr_assert(strstr(err->message, "bad.pfx2as:2: bad prefix") != NULL,
	    "%s", err->message);
	g_clear_error(&err);
	g_free(in);
	g_free(out);
}

Test(route_import, ip2asn_ranges_and_names)
{
	char *in = test_data_path("import-ip2asn-combined.tsv");
	char *out = tmp_file("ip-asn.csv.gz", NULL), *rows;
	char *names = tmp_file("asn-names.csv", NULL);
	struct route_import_stats st;
	struct range_table *t;
	GHashTable *h;
	GError *err = NULL;

	cr_assert(route_import_ip2asn(in, out, names, &st, &err), "%s",
	    err != NULL ? err->message : "");
	rows = out_rows(out, NULL);
	cr_assert_str_eq(rows,
	    "1.0.0.0,1.0.0.255,13335\n"
	    "1.0.4.0,1.0.15.255,38803\n"	/* two lines merged */
	    "1.0.16.0,1.0.16.255,2519\n"
	    "2001:200::,2001:200:ffff:ffff:ffff:ffff:ffff:ffff,2500\n"
	    "2a01:4f8::,2a01:4f8:ffff:ffff:ffff:ffff:ffff:ffff,24940\n");
	g_free(rows);
	rows = out_rows(names, NULL);
	cr_assert_str_eq(rows,
	    "2500,WIDE-BB WIDE Project\n"
	    "2519,VECTANT ARTERIA Networks Corporation\n"
	    "13335,CLOUDFLARENET\n"
	    "24940,\"HETZNER-AS, DE\"\n"
	    "38803,WPL-AS-AP Wirefreebroadband Pty Ltd\n");
	cr_assert_eq(st.skipped, 1);
	cr_assert_eq(st.names, 5);
	t = asn_ranges_load(out, NULL, &err);
	cr_assert_not_null(t, "%s", err != NULL ? err->message : "");
	range_table_free(&t);
	h = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL,
	    g_free);
	cr_assert(route_asn_names_load(h, names, NULL, &err), "%s",
	    err != NULL ? err->message : "");
	cr_assert_str_eq(g_hash_table_lookup(h, GUINT_TO_POINTER(24940)),
	    "HETZNER-AS, DE");
	g_hash_table_unref(h);
	g_free(rows);
	g_free(names);
	g_free(out);
	g_free(in);
}

Test(route_import, ip2asn_overlap_and_bad_line)
{
	char *in = tmp_file("ov.tsv", "1.0.0.0\t1.0.0.255\t13335\tUS\tA\n"
	    "1.0.0.128\t1.0.1.255\t64512\tUS\tB\n");
	char *out = tmp_file("ip-asn.csv", NULL);
	struct route_import_stats st;
	GError *err = NULL;

	cr_assert_not(route_import_ip2asn(in, out, NULL, &st, &err));
	cr_assert(strstr(err->message, "ov.tsv:2:") != NULL &&
	    strstr(err->message, "ov.tsv:1") != NULL, "%s", err->message);
	g_clear_error(&err);
	g_free(in);
	in = tmp_file("bad.tsv", "1.0.0.0\t1.0.0.255\t13335\tUS\tA\n"
	    "1.0.1.0\t1.0.0.255\t1\tUS\tB\n");
	cr_assert_not(route_import_ip2asn(in, out, NULL, &st, &err));
	cr_assert(strstr(err->message, "bad.tsv:2: bad range") != NULL,
	    "%s", err->message);
	g_clear_error(&err);
	cr_assert_not(g_file_test(out, G_FILE_TEST_EXISTS));
	g_free(in);
	g_free(out);
}

Test(route_import, contacts_are_checked_then_installed)
{
	char *in = test_data_path("route-contacts.csv");
	char *out = tmp_file("contacts.csv", "old\n"), *bad, *text;
	struct route_import_stats st;
	GError *err = NULL;

	cr_assert(route_import_contacts(in, out, &st, &err), "%s",
	    err != NULL ? err->message : "");
	cr_assert_gt(st.records, 0);
	cr_assert(g_file_get_contents(out, &text, NULL, NULL));
	cr_assert(g_str_has_prefix(text, "# route-contacts.csv"));
	g_free(text);
	bad = tmp_file("bad-contacts.csv",
	    "id,name,email,language,country,kind,notes\n"
	    "a,A,a@example.org,en,,hosting,\n"
	    "b,B,b@example.org,en,,no-such-kind,\n");
	cr_assert_not(route_import_contacts(bad, out, &st, &err));
	cr_assert(strstr(err->message, "bad-contacts.csv:3:") != NULL, "%s",
	    err->message);
	g_clear_error(&err);
	/* the installed file is untouched */
	cr_assert(g_file_get_contents(out, &text, NULL, NULL));
	cr_assert(g_str_has_prefix(text, "# route-contacts.csv"));
	g_free(text);
	g_free(bad);
	g_free(out);
	g_free(in);
}

/* data_import - runs `abusedesk data import ARGS`: the exit status */
static int
data_import(const char *args, char **err_r)
{
	char *bin = test_build_path("abusedesk");
	char *cmd = g_strdup_printf("%s --home %s data import %s", bin, test_tmp,
	    args);
	char *argv[] = { (char *)"/bin/sh", (char *)"-c", cmd, NULL };
	GError *err = NULL;
	int status;

	cr_assert(g_spawn_sync(NULL, argv, NULL, 0, NULL, NULL, NULL, err_r,
	    &status, &err), "spawn: %s", err != NULL ? err->message : "?");
	g_free(cmd);
	g_free(bin);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

Test(route_import, command_writes_into_out_dir_or_names_the_bad_line)
{
	char *in = test_data_path("import-ip2asn-combined.tsv"), *args, *e;
	char *dir = g_build_filename(test_tmp, "out", NULL), *asn, *names;
	char *bad = tmp_file("bad.pfx2as",
	    "1.0.0.0\t24\t13335\n1.0.0.0\t33\t1\n");

	cr_assert(g_mkdir(dir, 0755) == 0);
	args = g_strdup_printf("ip2asn %s --out %s", in, dir);
	cr_assert_eq(data_import(args, &e), 0, "%s", e);
	g_free(e);
	asn = g_build_filename(dir, "ip-asn.csv.gz", NULL);
	names = g_build_filename(dir, "asn-names.csv.gz", NULL);
	cr_assert(g_file_test(asn, G_FILE_TEST_IS_REGULAR));
	cr_assert(g_file_test(names, G_FILE_TEST_IS_REGULAR));
	g_free(args);
	args = g_strdup_printf("pfx2as %s --out %s", bad, dir);
	cr_assert_eq(data_import(args, &e), 65);
	cr_assert(strstr(e, "bad.pfx2as:2: bad prefix") != NULL, "%s", e);
	g_free(e);
	g_free(args);
	args = g_strdup_printf("whois %s --out %s", bad, dir);
	cr_assert_eq(data_import(args, &e), 2);
	g_free(e);
	g_free(args);
	g_free(asn);
	g_free(names);
	g_free(bad);
	g_free(dir);
	g_free(in);
}
