/*
 * test_route_mmdb.c: MaxMind-format databases in the ladder
 * (route/route_mmdb.c): a country and an ASN .mmdb written by
 * tests/mmdb_writer.c over the CSV tables of tests/data/route-*: the
 * mmdb answers come first (country, registered_country, ASN, with the
 * file and build date in the reason), addresses the mmdb does not know
 * fall back to the CSV tables, codes that are not countries never route
 * to a CSIRT, route_ip_info() reports the mmdb answers, and broken files
 * fail route_open() with an error naming the file.
 */
#include "config.h"

#include <string.h>
#include <criterion/criterion.h>

#include "parse/report.h"
#include "route/route.h"
#include "tests/helpers.h"
#include "tests/route_fixture.h"
#include "tests/mmdb_writer.h"

/* 2026-11-20 12:00 UTC */
#define BUILD_EPOCH	1795176000ULL

static char *tmp, *geo_path, *asn_path;

/* country_rec - a GeoLite2-Country record; either code may be NULL */
static GByteArray *
country_rec(const char *cc, const char *reg)
{
	GByteArray *b = g_byte_array_new();

	mmdb_put_map(b, (cc != NULL) + (reg != NULL));
	if (cc != NULL) {
		mmdb_put_string(b, "country");
		mmdb_put_map(b, 2);
		mmdb_put_string(b, "geoname_id");
		mmdb_put_uint32(b, 1861060);
		mmdb_put_string(b, "iso_code");
		mmdb_put_string(b, cc);
	}
	if (reg != NULL) {
		mmdb_put_string(b, "registered_country");
		mmdb_put_map(b, 1);
		mmdb_put_string(b, "iso_code");
		mmdb_put_string(b, reg);
	}
	return b;
}

/* asn_rec - a GeoLite2-ASN record; org may be NULL */
static GByteArray *
asn_rec(guint32 asn, const char *org)
{
	GByteArray *b = g_byte_array_new();

	mmdb_put_map(b, org != NULL ? 2 : 1);
	mmdb_put_string(b, "autonomous_system_number");
	mmdb_put_uint32(b, asn);
	if (org != NULL) {
		mmdb_put_string(b, "autonomous_system_organization");
		mmdb_put_string(b, org);
	}
	return b;
}

static void
add(struct mmdb_writer *w, const char *cidr, GByteArray *rec)
{
	cr_assert(mmdb_writer_add(w, cidr, rec), "%s", cidr);
	g_byte_array_unref(rec);
}

static void
setup(void)
{
	struct mmdb_writer *w;

	tmp = test_tmpdir();
	geo_path = g_build_filename(tmp, "GeoLite2-Country.mmdb", NULL);
	asn_path = g_build_filename(tmp, "GeoLite2-ASN.mmdb", NULL);

	w = mmdb_writer_new("GeoLite2-Country", BUILD_EPOCH);
	add(w, "1.0.0.0/24", country_rec("DE", "JP"));	/* CSV: JP / US */
	add(w, "1.0.3.0/24", country_rec(NULL, "NL"));	/* CSV: DE */
	add(w, "1.0.8.0/24", country_rec("EU", NULL));	/* CSV: FR */
	add(w, "1.0.9.0/24", country_rec("EU", "CZ"));	/* CSV rir: EU */
	add(w, "2a02:ff::/32", country_rec("jp", NULL));	/* CSV: NL */
	add(w, "2a02:ff:8000::/33", country_rec("uk", NULL));
	cr_assert(mmdb_writer_save(w, geo_path));
	mmdb_writer_free(&w);

	w = mmdb_writer_new("GeoLite2-ASN", BUILD_EPOCH);
	add(w, "1.0.0.0/24", asn_rec(64999, "Mmdb \"Org\"\x01 JP"));
	add(w, "2a02:ff::/32", asn_rec(64501, NULL));
	cr_assert(mmdb_writer_save(w, asn_path));
	mmdb_writer_free(&w);
}

static void
teardown(void)
{
	test_rm_rf(tmp);
	g_free(tmp);
	g_free(geo_path);
	g_free(asn_path);
}

TestSuite(route_mmdb, .init = setup, .fini = teardown, .timeout = 10);

/* open_with - the tests/data/route-* tables plus the two mmdb (either
 * may be NULL); NULL with *err on error */
static struct route_tables *
open_with(const char *geo_mmdb, const char *asn_mmdb, GError **err)
{
	struct route_paths p;

	memset(&p, 0, sizeof(p));
	p.geo_mmdb = geo_mmdb;
	p.asn_mmdb = asn_mmdb;
	return rfx_open(&p, RFX_ALL & ~RFX_DOMAIN_CONTACTS, err);
}

static struct route_tables *
open_ok(const char *geo_mmdb, const char *asn_mmdb)
{
	GError *err = NULL;
	struct route_tables *t = open_with(geo_mmdb, asn_mmdb, &err);

	cr_assert_not_null(t, "%s", err != NULL ? err->message : "");
	return t;
}

/* route_one - the first route of one IP finding: contact id ("(none)")
 * and reason into *reason_r (g_free); the number of routes */
static guint
route_one(const struct route_tables *t, const char *ip, char **id_r,
    char **reason_r, guint32 *asn_r)
{
	struct report *r = report_new(1 << 20);
	struct route_result res = { NULL, 0 };
	const struct route *rt;
	guint n;

	report_add_finding(r, strchr(ip, ':') != NULL ? FINDING_IPV6 :
	    FINDING_IPV4, FINDING_ROLE_OFFENDER, ip, NULL, "1", 0, "test");
	route_report(t, r, &res);
	cr_assert_geq(res.routes->len, 1, "%s", ip);
	rt = res.routes->pdata[0];
	*id_r = g_strdup(rt->contact != NULL ? rt->contact->id : "(none)");
	*reason_r = g_strdup(rt->reason);
	if (asn_r != NULL)
		*asn_r = rt->asn;
	n = res.routes->len;
	report_free(&r);
	return n;
}

/* expect - ip goes to id first with exactly reason */
static void
expect(const struct route_tables *t, const char *ip, const char *id,
    const char *reason)
{
	char *got_id, *got_reason;

	route_one(t, ip, &got_id, &got_reason, NULL);
	cr_expect_str_eq(got_reason, reason, "%s: %s", ip, got_reason);
	cr_expect_str_eq(got_id, id, "%s: %s", ip, got_id);
	g_free(got_id);
	g_free(got_reason);
}

Test(route_mmdb, country_and_asn_come_from_the_mmdb_first)
{
	struct route_tables *t = open_ok(geo_path, asn_path);
	char *id, *reason;
	guint32 asn;

	expect(t, "1.0.0.1", "csirt-de", "ipv4 1.0.0.1 -> AS64999 Mmdb "
	    "\"Org\"? JP (GeoLite2-ASN.mmdb, 2026-11-20) -> located DE "
	    "(GeoLite2-Country.mmdb, 2026-11-20) -> CERT-Bund (BSI) "
	    "<certbund@bsi.bund.de> (route-csirts.csv, well-known)");
	route_one(t, "1.0.0.1", &id, &reason, &asn);
	cr_expect_eq(asn, 64999);
	g_free(id);
	g_free(reason);
	/* IPv6; the mmdb ASN has no organisation: asn-names names it, and
	 * the analysts' mapping of AS64501 applies. */
	cr_expect_eq(route_one(t, "2a02:ff::1", &id, &reason, &asn), 2);
	cr_expect_str_eq(id, "v6-host");
	cr_expect_str_eq(reason, "ipv6 2a02:ff::1 -> AS64501 Example DE, "
	    "GmbH (GeoLite2-ASN.mmdb, 2026-11-20) -> mapped "
	    "(route-asn-contacts.csv:3) -> located JP (GeoLite2-Country.mmdb, "
	    "2026-11-20) -> v6-host <abuse@v6.example>");
	cr_expect_eq(asn, 64501);
	g_free(id);
	g_free(reason);
	/* The more specific /33 inside the /32, "uk" read as GB (whose
	 * CSIRT is unverified: no Cc). */
	expect(t, "2a02:ff:8000::1", "v6-host", "ipv6 2a02:ff:8000::1 -> "
	    "AS64501 Example DE, GmbH (GeoLite2-ASN.mmdb, 2026-11-20) -> "
	    "mapped (route-asn-contacts.csv:3) -> located GB "
	    "(GeoLite2-Country.mmdb, 2026-11-20) -> v6-host "
	    "<abuse@v6.example>");
	route_close(&t);
}

Test(route_mmdb, registered_country_when_the_record_has_no_country)
{
	struct route_tables *t = open_ok(geo_path, NULL);

	expect(t, "1.0.3.9", "v6-host", "ipv4 1.0.3.9 -> AS64501 Example DE, "
	    "GmbH (route-asn.csv, 2026-01-02) -> mapped "
	    "(route-asn-contacts.csv:3) -> registered NL "
	    "(GeoLite2-Country.mmdb, 2026-11-20) -> v6-host "
	    "<abuse@v6.example>");
	route_close(&t);
}

Test(route_mmdb, a_code_that_is_not_a_country_never_routes)
{
	struct route_tables *t = open_ok(geo_path, asn_path);

	/* EU in the mmdb, then the geo table's FR. */
	expect(t, "1.0.8.1", "csirt-fr", "ipv4 1.0.8.1 -> located EU "
	    "(GeoLite2-Country.mmdb, 2026-11-20): not a country -> located FR "
	    "(route-geo.csv) -> Analyst FR desk <cert@fr.example, "
	    "backup@fr.example> (route-contacts.csv, analyst)");
	/* EU located, CZ registered: the registration counts. */
	expect(t, "1.0.9.1", "csirt-cz", "ipv4 1.0.9.1 -> located EU "
	    "(GeoLite2-Country.mmdb, 2026-11-20): not a country -> registered "
	    "CZ (GeoLite2-Country.mmdb, 2026-11-20) -> CSIRT.CZ "
	    "<abuse@csirt.cz> (route-csirts.csv, well-known)");
	route_close(&t);
}

Test(route_mmdb, addresses_the_mmdb_does_not_know_use_the_csv_tables)
{
	static const char *const ips[] = {
		"1.0.1.1", "1.0.2.1", "1.0.4.1", "1.0.5.1", "20.0.1.1",
		"20.1.2.3", "2a00::1", "2a03::1", "30.0.0.5", "8.8.8.8",
	};
	struct route_tables *with = open_ok(geo_path, asn_path);
	struct route_tables *without = open_ok(NULL, NULL);
	char *id1, *id2, *r1, *r2;
	guint i, n1, n2;

	for (i = 0; i < G_N_ELEMENTS(ips); i++) {
		n1 = route_one(with, ips[i], &id1, &r1, NULL);
		n2 = route_one(without, ips[i], &id2, &r2, NULL);
		cr_expect_eq(n1, n2, "%s", ips[i]);
		cr_expect_str_eq(id1, id2, "%s", ips[i]);
		cr_expect_str_eq(r1, r2, "%s", ips[i]);
		cr_expect_null(strstr(r1, ".mmdb"), "%s: %s", ips[i], r1);
		g_free(id1);
		g_free(id2);
		g_free(r1);
		g_free(r2);
	}
	route_close(&with);
	route_close(&without);
}

Test(route_mmdb, ip_info_reports_the_mmdb_answers)
{
	struct route_tables *t = open_ok(geo_path, asn_path);
	struct route_ip_info info;
	const char *geo, *rir;

	cr_assert_eq(route_ip_info(t, "1.0.0.200", &info), 1);
	cr_expect_str_eq(info.geo, "DE");
	cr_expect_str_eq(info.geo_source,
	    "GeoLite2-Country.mmdb, 2026-11-20");
	cr_expect_str_eq(info.rir, "JP");
	cr_expect_str_eq(info.rir_source,
	    "GeoLite2-Country.mmdb, 2026-11-20");
	cr_expect_eq(info.asn, 64999);
	cr_expect_str_eq(info.as_name, "Mmdb \"Org\"? JP");
	cr_expect_str_eq(info.asn_source, "GeoLite2-ASN.mmdb, 2026-11-20");
	/* Registered only in the mmdb: located from the geo table. */
	cr_assert_eq(route_ip_info(t, "1.0.3.1", &info), 1);
	cr_expect_str_eq(info.geo, "DE");
	cr_expect_str_eq(info.geo_source, "route-geo.csv");
	cr_expect_str_eq(info.rir, "NL");
	cr_expect_eq(info.asn, 64501);
	cr_expect_str_eq(info.asn_source, "route-asn.csv, 2026-01-02");
	cr_expect_eq(route_ip_country(t, "2a02:ff::5", &geo, &rir), 1);
	cr_expect_str_eq(geo, "JP");
	cr_expect_null(rir);
	route_close(&t);
}

/* expect_bad - route_open() with geo_mmdb (or asn_mmdb) = path of bytes
 * fails with code, and the message names the file */
static void
expect_bad(const char *name, const void *bytes, gsize len, gboolean asn,
    int code)
{
	char *path = g_build_filename(tmp, name, NULL);
	GError *err = NULL;
	struct route_tables *t;

	cr_assert(g_file_set_contents(path, bytes, len, NULL));
	t = open_with(asn ? NULL : path, asn ? path : NULL, &err);
	cr_expect_null(t, "%s", name);
	cr_assert_not_null(err, "%s", name);
	cr_expect_eq(err->code, code, "%s: %s", name, err->message);
	cr_expect_not_null(strstr(err->message, path), "%s", err->message);
	cr_expect_not_null(strstr(err->message, "MaxMind DB"), "%s",
	    err->message);
	g_error_free(err);
	route_close(&t);
	g_free(path);
}

Test(route_mmdb, broken_files_fail_with_the_file_name)
{
	char *buf;
	gsize len;

	cr_assert(g_file_get_contents(geo_path, &buf, &len, NULL));
	expect_bad("empty.mmdb", "", 0, FALSE, ROUTE_ERROR_SYNTAX);
	expect_bad("empty-asn.mmdb", "", 0, TRUE, ROUTE_ERROR_SYNTAX);
	expect_bad("text.mmdb", "1.0.0.0,1.0.0.255,JP\n", 21, FALSE,
	    ROUTE_ERROR_SYNTAX);
	/* Cut before the metadata, and in the middle of it. */
	expect_bad("half.mmdb", buf, len / 2, FALSE, ROUTE_ERROR_SYNTAX);
	expect_bad("cut.mmdb", buf, len - 20, TRUE, ROUTE_ERROR_SYNTAX);
	g_free(buf);
}

Test(route_mmdb, a_missing_file_is_an_io_error_naming_it)
{
	char *path = g_build_filename(tmp, "nope.mmdb", NULL);
	GError *err = NULL;

	cr_expect_null(open_with(path, NULL, &err));
	cr_assert_not_null(err);
	cr_expect_eq(err->code, ROUTE_ERROR_IO);
	cr_expect_not_null(strstr(err->message, path), "%s", err->message);
	g_error_free(err);
	g_free(path);
}

Test(route_mmdb, damaged_tree_and_data_answer_unknown_never_crash)
{
	struct route_tables *t, *csv = open_ok(NULL, NULL);
	char *buf, *id1, *id2, *r1, *r2, *key;
	gsize len, i;
	GError *err = NULL;

	cr_assert(g_file_get_contents(geo_path, &buf, &len, NULL));
	/* Every record of the first nodes points far past the data. */
	for (i = 0; i < 6 * 4 && i < len; i++)
		buf[i] = (char)0xff;
	cr_assert(g_file_set_contents(geo_path, buf, len, NULL));
	t = open_with(geo_path, NULL, &err);
	if (t != NULL) {
		route_one(t, "1.0.0.1", &id1, &r1, NULL);
		route_one(csv, "1.0.0.1", &id2, &r2, NULL);
		cr_expect_str_eq(r1, r2);
		g_free(id1);
		g_free(id2);
		g_free(r1);
		g_free(r2);
		route_close(&t);
	} else {
		cr_expect_not_null(strstr(err->message, geo_path));
		g_clear_error(&err);
	}
	g_free(buf);
	/* In the data section, the first record's map becomes a pointer
	 * far past the end: that answer is unknown, the CSV table's holds. */
	cr_assert(g_file_get_contents(asn_path, &buf, &len, NULL));
	key = memmem(buf, len, "autonomous_system_number", 24);
	cr_assert_not_null(key);
	cr_assert_gt(key - buf, 2);
	memcpy(key - 2, "\x3f\xff", 2);
	cr_assert(g_file_set_contents(asn_path, buf, len, NULL));
	t = open_ok(NULL, asn_path);
	route_one(t, "1.0.0.1", &id1, &r1, NULL);
	route_one(csv, "1.0.0.1", &id2, &r2, NULL);
	cr_expect_str_eq(r1, r2);
	cr_expect_not_null(strstr(r1, "AS64500"), "%s", r1);
	g_free(id1);
	g_free(id2);
	g_free(r1);
	g_free(r2);
	route_close(&t);
	g_free(buf);
	route_close(&csv);
}
