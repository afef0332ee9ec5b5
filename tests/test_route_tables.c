/*
 * test_route_tables.c: loading the routing tables (route/route_tables.c
 * and the table files): the shipped data/ against lookup-vectors.csv and
 * its load time, hand-made tables at range boundaries, the CSIRT
 * directory's usable/unusable rules, and file:line errors.
 */
#include "config.h"

#include <string.h>
#include <criterion/criterion.h>

#include "route/route.h"
#include "route/route_int.h"
#include "tests/helpers.h"
#include "tests/route_fixture.h"

TestSuite(route_tables, .init = test_tmp_setup, .fini = test_tmp_teardown,
    .timeout = 10);

static char *
write_tmp(const char *name, const char *text)
{
	char *path = g_build_filename(test_tmp, name, NULL);

	cr_assert(g_file_set_contents(path, text, -1, NULL));
	return path;
}

/* open_test_tables - the hand-made tables of tests/data/route-* */
static struct route_tables *
open_test_tables(void)
{
	struct route_paths p;

	memset(&p, 0, sizeof(p));
	return rfx_open_ok(&p, RFX_BASIC);
}

static struct route_tables *
open_shipped(void)
{
	char *c = test_src_path("data/contacts.csv");
	char *n = test_src_path("data/networks.csv");
	char *g = test_src_path("data/ip-country-geo.csv.gz");
	char *r = test_src_path("data/ip-country-rir.csv.gz");
	char *s = test_src_path("data/national-csirts.csv");
	char *a = test_src_path("data/ip-asn.csv.gz");
	char *an = test_src_path("data/asn-names.csv.gz");
	struct route_paths p = {
		.contacts = c, .networks = n, .geo_country = g,
		.rir_country = r, .csirts = s, .asn = a, .asn_names = an,
	};
	struct route_tables *t;
	GError *err = NULL;
	gint64 start = g_get_monotonic_time();

	t = route_open(&p, &err);
	cr_assert_not_null(t, "%s", err != NULL ? err->message : "");
	cr_log_info("route_open of the shipped tables: %.3f s",
	    (g_get_monotonic_time() - start) / 1e6);
	g_free(a);
	g_free(an);
	g_free(c);
	g_free(n);
	g_free(g);
	g_free(r);
	g_free(s);
	return t;
}

Test(route_tables, shipped_tables_answer_every_lookup_vector)
{
	struct route_tables *t = open_shipped();
	char *path = test_src_path("data/lookup-vectors.csv");
	GPtrArray *f = g_ptr_array_new_with_free_func(g_free);
	struct route_csv c;
	GError *err = NULL;
	const char *geo, *rir, *ip;
	guint rows = 0, special = 0;
	int rc;

	cr_assert(route_csv_open(&c, path, &err));
	cr_assert(route_csv_header(&c, "ip,rir_cc,geo_cc,asn,as_name", &err));
	while ((rc = route_csv_record(&c, 5, f, &err)) == 1) {
		const char *want_rir = f->pdata[1], *want_geo = f->pdata[2];
		const char *want_asn = f->pdata[3], *want_name = f->pdata[4];
		struct route_ip_info info;
		char asn[16];

		ip = f->pdata[0];
		cr_expect_eq(route_ip_info(t, ip, &info), *want_asn != '\0' ?
		    1 : 0, "%s info", ip);
		g_snprintf(asn, sizeof(asn), "%u", info.asn);
		cr_expect_str_eq(info.asn != 0 ? asn : "", want_asn, "%s asn",
		    ip);
		cr_expect_str_eq(info.as_name != NULL ? info.as_name : "",
		    want_name, "%s as_name", ip);
		if (*want_asn != '\0')
			cr_expect_str_eq(info.asn_source != NULL ?
			    info.asn_source : "", "ip-asn.csv.gz, 2026-06-17");
		rc = route_ip_country(t, ip, &geo, &rir);
		if (*want_geo == '\0' && *want_rir == '\0') {
			cr_expect_eq(rc, 0, "%s is special", ip);
			cr_expect_null(geo, "%s geo", ip);
			cr_expect_null(rir, "%s rir", ip);
			special++;
		} else {
			cr_expect_eq(rc, 1, "%s", ip);
			cr_expect_str_eq(geo != NULL ? geo : "(none)",
			    want_geo, "%s geo", ip);
			cr_expect_str_eq(rir != NULL ? rir : "(none)",
			    want_rir, "%s rir", ip);
		}
		rows++;
	}
	cr_expect_eq(rc, 0, "%s", err != NULL ? err->message : "");
	cr_expect_eq(rows, 36);
	cr_expect_eq(special, 9);
	route_csv_close(&c);
	g_ptr_array_unref(f);
	g_free(path);
	route_close(&t);
	cr_expect_null(t);
}

Test(route_tables, shipped_directory_uses_only_confident_addresses)
{
	struct route_tables *t = open_shipped();
	const struct contact *c;

	c = route_contact(t, "csirt-no");
	cr_assert_not_null(c);
	cr_expect_str_eq(c->name, "NCSC-NO (NorCERT, NSM)");
	cr_expect_str_eq(c->email, "norcert@nsm.no");
	cr_expect_str_eq(c->country, "NO");
	cr_expect_str_eq(c->language, "en");
	cr_expect_eq(c->kind, CONTACT_NATIONAL_CSIRT);
	cr_expect_null(route_contact(t, "csirt-gb"), "unverified");
	cr_expect_null(route_contact(t, "csirt-ch"), "unverified");
	cr_expect_null(route_contact(t, "csirt-ar"), "unknown, no email");
	cr_expect_null(route_contact(t, "csirt-ke"), "none");
	c = route_contact(t, "csirt-sk");
	cr_assert_not_null(c, "government team when national unverified");
	cr_expect_str_eq(c->email, "incident@csirt.sk");
	c = route_contact(t, "csirt-cz");
	cr_assert_not_null(c);
	cr_expect_str_eq(c->email, "abuse@csirt.cz", "national preferred");
	c = route_contact(t, "hoster-de");
	cr_assert_not_null(c);
	cr_expect_str_eq(c->name, "Example Hosting GmbH");
	cr_expect_eq(c->kind, CONTACT_HOSTING);
	c = route_contact(t, "reseller-nl");
	cr_assert_not_null(c);
	cr_expect_str_eq(c->email, "abuse@reseller-nl.example");
	route_close(&t);
}

Test(route_tables, range_boundaries_are_inclusive)
{
	struct route_tables *t = open_test_tables();
	const char *geo, *rir;

	cr_expect_eq(route_ip_country(t, "1.0.0.0", &geo, &rir), 1);
	cr_expect_str_eq(geo, "JP");
	cr_expect_str_eq(rir, "US");
	route_ip_country(t, "1.0.0.255", &geo, &rir);
	cr_expect_str_eq(geo, "JP");
	route_ip_country(t, "0.255.255.255", &geo, &rir);
	cr_expect_null(geo, "before the first range");
	route_ip_country(t, "1.0.5.0", &geo, &rir);
	cr_expect_null(geo, "in a gap of geo");
	cr_expect_str_eq(rir, "SK");
	cr_expect_eq(route_ip_country(t, "1.0.10.0", &geo, &rir), 0,
	    "after every range");
	cr_expect_null(geo);
	cr_expect_null(rir);
	route_ip_country(t, "2a02::", &geo, &rir);
	cr_expect_str_eq(geo, "NL");
	route_ip_country(t, "2a02:ff:ffff:ffff:ffff:ffff:ffff:ffff", &geo,
	    &rir);
	cr_expect_str_eq(geo, "NL");
	route_ip_country(t, "2a02:100::", &geo, &rir);
	cr_expect_null(geo, "one past the last");
	route_ip_country(t, "2a01:ffff:ffff:ffff:ffff:ffff:ffff:ffff", &geo,
	    &rir);
	cr_expect_null(geo, "one before the first");
	route_close(&t);
}

Test(route_tables, uk_is_read_as_gb_and_non_countries_are_kept)
{
	struct route_tables *t = open_test_tables();
	const char *geo, *rir;

	route_ip_country(t, "1.0.2.7", &geo, &rir);
	cr_expect_str_eq(geo, "GB");
	route_ip_country(t, "2a03::ffff", &geo, &rir);
	cr_expect_str_eq(geo, "GB", "lower-case uk too");
	route_ip_country(t, "1.0.1.1", &geo, &rir);
	cr_expect_str_eq(geo, "EU");
	cr_expect_str_eq(rir, "FR");
	cr_expect_not(country_is_real("EU"));
	cr_expect_not(country_is_real("AP"));
	cr_expect_not(country_is_real("ZZ"));
	cr_expect_not(country_is_real("UN"));
	cr_expect(country_is_real("JP"));
	route_close(&t);
}

Test(route_tables, directory_prefers_usable_national_then_government)
{
	struct route_tables *t = open_test_tables();
	const struct contact *c;

	c = route_contact(t, "csirt-sk");
	cr_assert_not_null(c);
	cr_expect_str_eq(c->name, "CSIRT.SK");
	c = route_contact(t, "csirt-cz");
	cr_assert_not_null(c);
	cr_expect_str_eq(c->name, "CSIRT.CZ");
	c = route_contact(t, "csirt-nl");
	cr_assert_not_null(c);
	cr_expect_str_eq(c->name, "NCSC-NL, The Hague");
	cr_expect_null(route_contact(t, "csirt-gb"));
	cr_expect_null(route_contact(t, "csirt-ar"));
	c = route_contact(t, "csirt-fr");
	cr_assert_not_null(c);
	cr_expect_str_eq(c->name, "Analyst FR desk", "analysts override");
	cr_expect_str_eq(c->email, "cert@fr.example, backup@fr.example");
	c = route_contact(t, "small-customer");
	cr_assert_not_null(c);
	cr_expect_str_eq(c->country, "US");
	cr_expect_str_eq(contact_kind_name(c->kind), "hosting");
	c = route_contact(t, "big-isp");
	cr_assert_not_null(c);
	cr_expect_str_eq(c->name, "Big ISP, Inc.");
	cr_expect_str_eq(contact_kind_name(c->kind), "network-owner");
	route_close(&t);
}

Test(route_tables, contact_kind_names_round_trip)
{
	cr_expect_str_eq(contact_kind_name(CONTACT_NATIONAL_CSIRT),
	    "national-csirt");
	cr_expect_str_eq(contact_kind_name(CONTACT_VENDOR_PSIRT),
	    "vendor-psirt");
	cr_expect_str_eq(contact_kind_name(CONTACT_CONSTITUENCY),
	    "constituency");
	cr_expect_eq(contact_kind_from_name("registrar"), CONTACT_REGISTRAR);
	cr_expect_eq(contact_kind_from_name("isp"), -1);
}

/* open_error - route_open on the given files must fail with want
 * ("%s" in want is replaced by the path of the failing file) */
static void
open_error(const char *contacts, const char *networks, const char *csirts,
    const char *geo, const char *failing, const char *want)
{
	char *cp = contacts ? write_tmp("contacts.csv", contacts) : NULL;
	char *np = networks ? write_tmp("networks.csv", networks) : NULL;
	char *sp = csirts ? write_tmp("csirts.csv", csirts) : NULL;
	char *gp = geo ? write_tmp("geo.csv", geo) : NULL;
	char *fp = g_build_filename(test_tmp, failing, NULL);
	char *msg = g_strdup_printf(want, fp);
	struct route_paths p = {
		.contacts = cp, .networks = np, .csirts = sp,
		.geo_country = gp,
	};
	struct route_tables *t;
	GError *err = NULL;

	t = route_open(&p, &err);
	cr_assert_null(t);
	cr_assert_not_null(err);
	cr_expect(g_error_matches(err, ROUTE_ERROR, ROUTE_ERROR_SYNTAX));
	cr_expect_str_eq(err->message, msg);
	g_error_free(err);
	g_free(cp);
	g_free(np);
	g_free(sp);
	g_free(gp);
	g_free(fp);
	g_free(msg);
}

#define CONTACTS_OK \
	"id,name,email,language,country,kind,notes\n" \
	"a,A,abuse@a.example,en,DE,hosting,\n"

Test(route_tables, network_with_unknown_contact_names_its_line)
{
	open_error(CONTACTS_OK, "cidr,contact,notes\n# c\n5.9.0.0/16,a,\n"
	    "6.0.0.0/8,nobody,\n", NULL, NULL, "networks.csv",
	    "%s:4: unknown contact \"nobody\" (not defined in the contacts "
	    "table)");
}

Test(route_tables, network_with_bad_cidr_names_its_line)
{
	open_error(CONTACTS_OK, "cidr,contact,notes\n5.9.0.0/33,a,\n", NULL,
	    NULL, "networks.csv", "%s:2: bad CIDR \"5.9.0.0/33\"");
	open_error(CONTACTS_OK, "cidr,contact,notes\nhost.example,a,\n", NULL,
	    NULL, "networks.csv", "%s:2: bad CIDR \"host.example\"");
}

Test(route_tables, network_with_host_bits_names_the_network)
{
	open_error(CONTACTS_OK, "cidr,contact,notes\n5.9.0.1/16,a,\n", NULL,
	    NULL, "networks.csv", "%s:2: host bits set in 5.9.0.1/16 (the "
	    "network is 5.9.0.0/16)");
	open_error(CONTACTS_OK, "cidr,contact,notes\n2a01:4f8::1/32,a,\n",
	    NULL, NULL, "networks.csv", "%s:2: host bits set in "
	    "2a01:4f8::1/32 (the network is 2a01:4f8::/32)");
}

Test(route_tables, duplicate_prefix_names_both_lines)
{
	open_error(CONTACTS_OK, "cidr,contact,notes\n5.9.0.0/16,a,\n"
	    "6.0.0.0/8,a,\n5.9.0.0/16,a,\n", NULL, NULL, "networks.csv",
	    "%s:4: duplicate prefix 5.9.0.0/16 (also on line 2)");
}

Test(route_tables, contact_errors_name_their_line)
{
	open_error("id,name,email,language,country,kind,notes\n"
	    "a,\"A, unterminated,x@y,en,DE,hosting,\n", NULL, NULL, NULL,
	    "contacts.csv", "%s:2: unterminated quoted field");
	open_error("id,name,email,language,country,kind,notes\n"
	    "a,A,x@y,en,DE,hosting\n", NULL, NULL, NULL,
	    "contacts.csv", "%s:2: expected 7 fields, got 6");
	open_error(CONTACTS_OK "b,B,x@y,en,DE,isp,\n", NULL, NULL, NULL,
	    "contacts.csv", "%s:3: unknown kind \"isp\" (hosting, "
	    "network-owner, registrar, national-csirt, vendor-psirt, "
	    "constituency)");
	open_error(CONTACTS_OK "a,B,x@y,en,DE,hosting,\n", NULL, NULL, NULL,
	    "contacts.csv", "%s:3: duplicate contact id \"a\"");
	open_error(CONTACTS_OK "b,B,nobody,en,DE,hosting,\n", NULL, NULL,
	    NULL, "contacts.csv", "%s:3: bad email address");
	open_error("id,name,email\n", NULL, NULL, NULL, "contacts.csv",
	    "%s:1: expected the header line "
	    "\"id,name,email,language,country,kind,format,notes\"");
	open_error("id,name,email,language,country,kind,format,notes\n"
	    "b,B,x@y,en,DE,hosting,pdf,\n", NULL, NULL, NULL,
	    "contacts.csv", "%s:2: unknown format \"pdf\" (text, csv, "
	    "xarf)");
	open_error("id,name,email,language,country,kind,format,notes\n"
	    "b,B,x@y,en,DE,hosting,\n", NULL, NULL, NULL,
	    "contacts.csv", "%s:2: expected 8 fields, got 7");
}

Test(route_tables, csirt_directory_errors_name_their_line)
{
	open_error(NULL, NULL, "country_code,team,email,url,kind,confidence,"
	    "source,source_date,notes\nJP,JPCERT/CC,a@b,,national,"
	    "trust-me,,,\n", NULL, "csirts.csv", "%s:2: bad confidence "
	    "(seen-here, peer-data, well-known, unverified, unknown or none)");
	open_error(NULL, NULL, "country_code,team,email,url,kind,confidence,"
	    "source,source_date,notes\nJPN,JPCERT/CC,a@b,,national,"
	    "well-known,,,\n", NULL, "csirts.csv", "%s:2: bad country_code "
	    "(two upper-case letters)");
}

Test(route_tables, country_table_errors_name_their_line)
{
	open_error(NULL, NULL, NULL, "1.0.0.0,1.0.0.255,JP\n"
	    "1.0.0.128,1.0.1.255,CN\n", "geo.csv", "%s:2: range 1.0.0.128 - "
	    "1.0.1.255 overlaps or is before the previous one (the table "
	    "must be sorted)");
	open_error(NULL, NULL, NULL, "1.0.0.9,1.0.0.1,JP\n", "geo.csv",
	    "%s:1: range 1.0.0.9 - 1.0.0.1 is reversed");
	open_error(NULL, NULL, NULL, "1.0.0.0,1.0.0.255,JPN\n", "geo.csv",
	    "%s:1: bad country code \"JPN\"");
	open_error(NULL, NULL, NULL, "1.0.0.0,1.0.0.255\n", "geo.csv",
	    "%s:1: expected first_ip,last_ip,CC");
	open_error(NULL, NULL, NULL, "::1,1.0.0.255,JP\n", "geo.csv",
	    "%s:1: bad IPv6 range \"::1\" - \"1.0.0.255\"");
}

Test(route_tables, missing_table_is_an_io_error)
{
	char *p = g_build_filename(test_tmp, "absent.csv.gz", NULL);
	struct route_paths paths = { .rir_country = p };
	GError *err = NULL;

	cr_expect_null(route_open(&paths, &err));
	cr_assert_not_null(err);
	cr_expect(g_error_matches(err, ROUTE_ERROR, ROUTE_ERROR_IO));
	cr_expect(g_str_has_prefix(err->message, p), "%s", err->message);
	g_error_free(err);
	g_free(p);
}

Test(route_tables, no_tables_at_all_is_valid_and_routes_nothing)
{
	struct route_paths p = { NULL };
	struct route_tables *t;
	GError *err = NULL;
	const char *geo = "x", *rir = "x";

	t = route_open(&p, &err);
	cr_assert_not_null(t);
	cr_expect_null(route_contact(t, "csirt-jp"));
	cr_expect_eq(route_ip_country(t, "8.8.8.8", &geo, &rir), 0);
	cr_expect_null(geo);
	cr_expect_null(rir);
	route_close(&t);
	route_close(&t);
	route_close(NULL);
}

Test(route_tables, contact_format_column_is_read_and_the_old_layout_too)
{
	char *cp = write_tmp("contacts.csv",
	    "id,name,email,language,country,kind,format,notes\n"
	    "a,A,abuse@a.example,en,DE,hosting,xarf,\n"
	    "b,B,abuse@b.example,en,NL,hosting,CSV,a note\n"
	    "c,C,abuse@c.example,ja,JP,hosting,,\n");
	char *op = write_tmp("old.csv", CONTACTS_OK);
	struct route_paths p = { .contacts = cp };
	struct route_tables *t;
	GError *err = NULL;

	t = route_open(&p, &err);
	cr_assert_not_null(t, "%s", err != NULL ? err->message : "");
	cr_expect_eq(route_contact(t, "a")->format, CONTACT_FORMAT_XARF);
	cr_expect_eq(route_contact(t, "b")->format, CONTACT_FORMAT_CSV);
	cr_expect_eq(route_contact(t, "c")->format, CONTACT_FORMAT_TEXT);
	cr_expect_str_eq(contact_format_name(CONTACT_FORMAT_CSV), "csv");
	route_close(&t);
	p.contacts = op;
	t = route_open(&p, &err);
	cr_assert_not_null(t, "%s", err != NULL ? err->message : "");
	cr_expect_eq(route_contact(t, "a")->format, CONTACT_FORMAT_TEXT);
	route_close(&t);
	g_free(cp);
	g_free(op);
}
