/*
 * test_route_fuzz_regress.c: inputs fuzz/fuzz_tables made crash, hang or
 * leak, kept as tests/data/fuzz-route-<name> (the file alone, without
 * the fuzzer's selector byte).  Each goes through what the fuzz target
 * does with it: route_open() (then route_ip_info() on a few addresses),
 * an importer, or the RDAP/whois parser; the result must be a table, or
 * a ROUTE_ERROR naming the file.  Run under --enable-asan to see the
 * memory errors themselves, not only the crashes.
 */
#include "config.h"

#include <string.h>
#include <criterion/criterion.h>
#include <glib/gstdio.h>

#include "route/route.h"
#include "route/lookup.h"
#include "tests/helpers.h"

TestSuite(route_fuzz_regress, .init = test_tmp_setup,
    .fini = test_tmp_teardown, .timeout = 10);

/* The addresses fuzz_tables.c looks up in opened tables. */
static const char *const probe_ips[] = {
	"1.0.0.1", "1.0.3.7", "8.8.8.8", "20.1.2.3", "81.2.69.160",
	"223.255.255.1", "2001:4860:4860::8888", "2a00:1450::1",
	"2400:cb00::1", "::ffff:1.0.0.1",
};

/* fixture - the fixture name copied into tmp as file (g_free) */
static char *
fixture(const char *name, const char *file)
{
	GBytes *b = test_read_fixture(name);
	char *path = g_build_filename(test_tmp, file, NULL);
	gsize len;
	const char *data = g_bytes_get_data(b, &len);

	cr_assert(g_file_set_contents(path, data, len, NULL));
	g_bytes_unref(b);
	return path;
}

/* probe - what fuzz_tables.c does with tables that opened */
static void
probe(const struct route_tables *t)
{
	struct route_ip_info info;
	const char *geo, *rir;
	guint i;

	for (i = 0; i < G_N_ELEMENTS(probe_ips); i++) {
		cr_expect_geq(route_ip_info(t, probe_ips[i], &info), 0,
		    "%s", probe_ips[i]);
		(void)route_ip_country(t, probe_ips[i], &geo, &rir);
	}
}

/* open_fails - route_open() of p fails with code, naming path */
static void
open_fails(const struct route_paths *p, int code, const char *path)
{
	struct route_tables *t;
	GError *err = NULL;

	t = route_open(p, &err);
	cr_assert_null(t);
	cr_assert_not_null(err);
	cr_expect(g_error_matches(err, ROUTE_ERROR, code), "%s",
	    err->message);
	cr_expect_not_null(strstr(err->message, path), "%s", err->message);
	g_error_free(err);
}

/*
 * A .mmdb whose metadata libmaxminddb rejects (fuzz/fuzz_tables: a leak
 * inside libmaxminddb 1.7's MMDB_open(), suppressed by fuzz/tables.supp):
 * a syntax error naming the file, for either database.
 */
Test(route_fuzz_regress, mmdb_bad_metadata)
{
	char *path = fixture("fuzz-route-mmdb-bad-metadata.mmdb",
	    "GeoLite2-Country.mmdb");
	struct route_paths geo = { .geo_mmdb = path };
	struct route_paths asn = { .asn_mmdb = path };

	open_fails(&geo, ROUTE_ERROR_SYNTAX, path);
	open_fails(&asn, ROUTE_ERROR_SYNTAX, path);
	g_free(path);
}

/*
 * An IP -> ASN table of IPv6 ranges alone (fuzz/fuzz_tables: UBSan,
 * "applying zero offset to null pointer" in route_ranges.c upper4(): an
 * IPv4 lookup searched the NULL key array).  IPv4 addresses are unknown,
 * the IPv6 ranges answer.
 */
Test(route_fuzz_regress, asn_table_without_ipv4)
{
	char *path = fixture("fuzz-route-asn-v6-only.csv", "ip-asn.csv");
	struct route_paths p = { .asn = path };
	struct route_tables *t;
	struct route_ip_info info;
	GError *err = NULL;

	t = route_open(&p, &err);
	cr_assert_not_null(t, "%s", err != NULL ? err->message : "");
	probe(t);
	cr_expect_eq(route_ip_info(t, "1.0.0.1", &info), 1);
	cr_expect_eq(info.asn, 0);
	cr_expect_eq(route_ip_info(t, "2a02:ff::1:5", &info), 1);
	cr_expect_eq(info.asn, 64512);
	route_close(&t);
	g_free(path);
}

/* The same for a country table: IPv6 rows only. */
Test(route_fuzz_regress, country_table_without_ipv4)
{
	char *path = g_build_filename(test_tmp, "ip-country-geo.csv", NULL);
	struct route_paths p = { .geo_country = path };
	struct route_tables *t;
	const char *geo, *rir;
	GError *err = NULL;

	cr_assert(g_file_set_contents(path,
	    "2a02:ff::,2a02:ff::ffff,DE\n", -1, NULL));
	t = route_open(&p, &err);
	cr_assert_not_null(t, "%s", err != NULL ? err->message : "");
	probe(t);
	cr_expect_eq(route_ip_country(t, "1.0.0.1", &geo, &rir), 0);
	cr_expect_eq(route_ip_country(t, "2a02:ff::5", &geo, &rir), 1);
	cr_expect_str_eq(geo, "DE");
	route_close(&t);
	g_free(path);
}
