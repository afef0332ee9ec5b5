/*
 * test_route_decide.c: route_report() (route/route_decide.c): which
 * contact each offender finding gets and the exact reason chain, on the
 * hand-made tables of tests/data/route-* and on the shipped data/.
 */
#include "config.h"

#include <string.h>
#include <criterion/criterion.h>

#include "parse/report.h"
#include "route/route.h"
#include "tests/helpers.h"
#include "tests/route_fixture.h"

static struct route_tables *tables;

static struct route_tables *
open_test_tables(const char *own)
{
	struct route_paths p = { .own_country = own };

	return rfx_open_ok(&p, RFX_BASIC);
}

static void
setup(void)
{
	tables = open_test_tables(NULL);
}

static void
teardown(void)
{
	route_close(&tables);
}

TestSuite(route_decide, .init = setup, .fini = teardown, .timeout = 10);

/* expect_cc - routes one offender finding and checks the outcome;
 * contact_id NULL means unrouted, country NULL means none; cc_id NULL
 * means no Cc route, else the second route is a Cc to cc_id with
 * cc_reason */
static void
expect_cc(const struct route_tables *t, enum finding_kind kind,
    const char *value, const char *contact_id, const char *country,
    const char *reason, const char *cc_id, const char *cc_reason)
{
	struct report *r = report_new(1 << 20);
	struct route_result res = { NULL, 0 };
	const struct route *rt;

	cr_assert_not_null(report_add_finding(r, kind, FINDING_ROLE_OFFENDER,
	    value, NULL, "1", 0, "test"));
	route_report(t, r, &res);
	cr_assert_not_null(res.routes);
	cr_assert_eq(res.routes->len, cc_id != NULL ? 2 : 1,
	    "%s: %u routes", value, res.routes->len);
	if (cc_id != NULL) {
		rt = res.routes->pdata[1];
		cr_expect(rt->cc);
		cr_expect_eq(rt->finding, r->findings->pdata[0]);
		cr_assert_not_null(rt->contact);
		cr_expect_str_eq(rt->contact->id, cc_id);
		cr_expect_str_eq(rt->reason, cc_reason);
		cr_expect_str_eq(rt->country != NULL ? rt->country : "(null)",
		    country != NULL ? country : "(null)");
	}
	rt = res.routes->pdata[0];
	cr_expect(!rt->cc);
	cr_expect_eq(rt->finding, r->findings->pdata[0]);
	cr_expect_str_eq(rt->reason, reason);
	if (contact_id == NULL) {
		cr_expect_null(rt->contact, "%s routed to %s", value,
		    rt->contact != NULL ? rt->contact->id : "");
		cr_expect_eq(res.unrouted, 1);
	} else {
		cr_assert_not_null(rt->contact, "%s unrouted", value);
		cr_expect_str_eq(rt->contact->id, contact_id);
		cr_expect_eq(res.unrouted, 0);
	}
	if (country == NULL)
		cr_expect_null(rt->country, "%s country %s", value,
		    rt->country);
	else
		cr_expect_str_eq(rt->country != NULL ? rt->country : "(null)",
		    country, "%s country", value);
	report_free(&r);
}

static void
expect_route(const struct route_tables *t, enum finding_kind kind,
    const char *value, const char *contact_id, const char *country,
    const char *reason)
{
	expect_cc(t, kind, value, contact_id, country, reason, NULL, NULL);
}

/* expect_skipped - the finding gives no route at all */
static void
expect_skipped(enum finding_kind kind, const char *value)
{
	struct report *r = report_new(1 << 20);
	struct route_result res = { NULL, 0 };

	report_add_finding(r, kind, FINDING_ROLE_OFFENDER, value, NULL, "1",
	    0, "test");
	route_report(tables, r, &res);
	cr_expect_eq(res.routes->len, 0, "%s was routed", value);
	cr_expect_eq(res.unrouted, 0);
	report_free(&r);
}

Test(route_decide, network_prefix_routes_to_its_contact)
{
	/* Changed with the Cc ladder: the hosting country is in the chain
	 * and its national CSIRT gets a copy. */
	expect_cc(tables, FINDING_IPV4, "20.5.5.5", "big-isp", "US",
	    "ipv4 20.5.5.5 -> 20.0.0.0/8 (route-networks.csv:2) -> "
	    "registered US (route-rir.csv) -> big-isp <abuse@big.example>",
	    "csirt-us", "ipv4 20.5.5.5 -> 20.0.0.0/8 (route-networks.csv:2) "
	    "-> registered US (route-rir.csv) -> cc CISA <report@cisa.gov> "
	    "(route-csirts.csv, peer-data)");
}

Test(route_decide, most_specific_prefix_wins)
{
	expect_cc(tables, FINDING_IPV4, "20.1.9.9", "small-customer", "US",
	    "ipv4 20.1.9.9 -> 20.1.0.0/16 (route-networks.csv:3) -> "
	    "registered US (route-rir.csv) -> small-customer "
	    "<abuse@small.example>", "csirt-us", "ipv4 20.1.9.9 -> "
	    "20.1.0.0/16 (route-networks.csv:3) -> registered US "
	    "(route-rir.csv) -> cc CISA <report@cisa.gov> (route-csirts.csv, "
	    "peer-data)");
	expect_cc(tables, FINDING_IPV4, "20.1.2.3", "big-isp", "NL",
	    "ipv4 20.1.2.3 -> 20.1.2.0/24 (route-networks.csv:4) -> located "
	    "NL (route-geo.csv) -> big-isp <abuse@big.example>", "csirt-nl",
	    "ipv4 20.1.2.3 -> 20.1.2.0/24 (route-networks.csv:4) -> located "
	    "NL (route-geo.csv) -> cc NCSC-NL, The Hague <cert@ncsc.nl> "
	    "(route-csirts.csv, seen-here)");
	/* A national CSIRT as the owner gets no Cc. */
	expect_route(tables, FINDING_IPV4, "20.9.9.9", "csirt-jp", "US",
	    "ipv4 20.9.9.9 -> 20.9.9.9/32 (route-networks.csv:8) -> "
	    "registered US (route-rir.csv) -> csirt-jp <info@jpcert.or.jp>");
}

Test(route_decide, ipv6_prefixes_nest_too)
{
	expect_cc(tables, FINDING_IPV6, "2a00:1000:5::1", "small-customer",
	    "DE", "ipv6 2a00:1000:5::1 -> 2a00:1000:5::/48 "
	    "(route-networks.csv:7) -> registered DE (route-rir.csv) -> "
	    "small-customer <abuse@small.example>", "csirt-de", "ipv6 "
	    "2a00:1000:5::1 -> 2a00:1000:5::/48 (route-networks.csv:7) -> "
	    "registered DE (route-rir.csv) -> cc CERT-Bund (BSI) "
	    "<certbund@bsi.bund.de> (route-csirts.csv, well-known)");
	expect_cc(tables, FINDING_IPV6, "2a00:1000:6::1", "v6-host", "DE",
	    "ipv6 2a00:1000:6::1 -> 2a00:1000::/24 (route-networks.csv:6) -> "
	    "registered DE (route-rir.csv) -> v6-host <abuse@v6.example>",
	    "csirt-de", "ipv6 2a00:1000:6::1 -> 2a00:1000::/24 "
	    "(route-networks.csv:6) -> registered DE (route-rir.csv) -> cc "
	    "CERT-Bund (BSI) <certbund@bsi.bund.de> (route-csirts.csv, "
	    "well-known)");
	expect_route(tables, FINDING_IPV6, "2a00:1100::1", "csirt-de", "DE",
	    "ipv6 2a00:1100::1 -> registered DE (route-rir.csv) -> "
	    "CERT-Bund (BSI) <certbund@bsi.bund.de> (route-csirts.csv, "
	    "well-known)");
}

Test(route_decide, located_country_routes_to_its_csirt)
{
	expect_route(tables, FINDING_IPV4, "1.0.0.1", "csirt-jp", "JP",
	    "ipv4 1.0.0.1 -> located JP (route-geo.csv) -> JPCERT/CC "
	    "<info@jpcert.or.jp> (route-csirts.csv, well-known)");
	expect_route(tables, FINDING_IPV6, "2a02:ff::1", "csirt-nl", "NL",
	    "ipv6 2a02:ff::1 -> located NL (route-geo.csv) -> NCSC-NL, The "
	    "Hague <cert@ncsc.nl> (route-csirts.csv, seen-here)");
}

Test(route_decide, registration_is_used_when_location_is_unknown)
{
	expect_route(tables, FINDING_IPV4, "1.0.5.1", "csirt-sk", "SK",
	    "ipv4 1.0.5.1 -> registered SK (route-rir.csv) -> CSIRT.SK "
	    "<incident@csirt.sk> (route-csirts.csv, seen-here)");
}

Test(route_decide, non_country_location_falls_back_to_registration)
{
	expect_route(tables, FINDING_IPV4, "1.0.1.1", "csirt-fr", "FR",
	    "ipv4 1.0.1.1 -> located EU (route-geo.csv): not a country -> "
	    "registered FR (route-rir.csv) -> Analyst FR desk "
	    "<cert@fr.example, backup@fr.example> (route-contacts.csv, "
	    "analyst)");
}

Test(route_decide, non_country_codes_are_never_routed)
{
	expect_route(tables, FINDING_IPV4, "1.0.4.1", NULL, NULL,
	    "ipv4 1.0.4.1 -> located ZZ (route-geo.csv): not a country -> "
	    "registered AP (route-rir.csv): not a country");
	expect_route(tables, FINDING_IPV4, "1.0.9.1", NULL, NULL,
	    "ipv4 1.0.9.1 -> registered EU (route-rir.csv): not a country");
}

Test(route_decide, unverified_csirt_is_not_used)
{
	expect_route(tables, FINDING_IPV4, "1.0.2.1", NULL, "GB",
	    "ipv4 1.0.2.1 -> located GB (route-geo.csv) -> CSIRT for GB has "
	    "unverified address: not used");
}

Test(route_decide, csirt_without_address_or_entry_leaves_unrouted)
{
	expect_route(tables, FINDING_IPV4, "1.0.6.1", NULL, "AR",
	    "ipv4 1.0.6.1 -> registered AR (route-rir.csv) -> CSIRT for AR "
	    "has no address (unknown): not used");
	expect_route(tables, FINDING_IPV4, "1.0.7.1", NULL, "CN",
	    "ipv4 1.0.7.1 -> registered CN (route-rir.csv) -> no national "
	    "CSIRT for CN");
	expect_route(tables, FINDING_IPV4, "1.0.10.1", NULL, NULL,
	    "ipv4 1.0.10.1 -> no country known");
}

Test(route_decide, own_country_is_domestic_but_networks_still_apply)
{
	struct route_tables *jp = open_test_tables("jp");

	expect_route(jp, FINDING_IPV4, "1.0.0.1", NULL, "JP",
	    "ipv4 1.0.0.1 -> located JP (route-geo.csv) -> domestic, no "
	    "constituency contact");
	expect_route(jp, FINDING_DOMAIN, "example.jp", NULL, "JP",
	    "domain example.jp -> ccTLD .jp -> domestic, no constituency "
	    "contact");
	expect_route(jp, FINDING_IPV4, "20.9.9.9", "csirt-jp", "US",
	    "ipv4 20.9.9.9 -> 20.9.9.9/32 (route-networks.csv:8) -> "
	    "registered US (route-rir.csv) -> csirt-jp <info@jpcert.or.jp>");
	expect_route(jp, FINDING_IPV4, "1.0.3.1", "csirt-de", "DE",
	    "ipv4 1.0.3.1 -> located DE (route-geo.csv) -> CERT-Bund (BSI) "
	    "<certbund@bsi.bund.de> (route-csirts.csv, well-known)");
	route_close(&jp);
}

Test(route_decide, domain_cctld_routes_to_national_csirt)
{
	expect_route(tables, FINDING_DOMAIN, "example.de", "csirt-de", "DE",
	    "domain example.de -> ccTLD .de -> CERT-Bund (BSI) "
	    "<certbund@bsi.bund.de> (route-csirts.csv, well-known)");
	/* Changed: the registrable domain (PSL) is in the chain. */
	expect_route(tables, FINDING_DOMAIN, "Shop.Example.NL.", "csirt-nl",
	    "NL", "domain Shop.Example.NL. -> registrable example.nl -> "
	    "ccTLD .nl -> NCSC-NL, The Hague <cert@ncsc.nl> "
	    "(route-csirts.csv, seen-here)");
	expect_route(tables, FINDING_DOMAIN, "shop.example.co.uk", NULL, "GB",
	    "domain shop.example.co.uk -> registrable example.co.uk -> ccTLD "
	    ".uk -> CSIRT for GB has unverified address: not used");
}

Test(route_decide, generic_and_non_country_tlds_are_unrouted)
{
	expect_route(tables, FINDING_DOMAIN, "example.com", NULL, NULL,
	    "domain example.com -> no contact for domain");
	expect_route(tables, FINDING_DOMAIN, "example.eu", NULL, NULL,
	    "domain example.eu -> no contact for domain");
	expect_route(tables, FINDING_DOMAIN, "xn--80ak6aa92e.xn--p1ai", NULL,
	    NULL, "domain xn--80ak6aa92e.xn--p1ai -> no contact for domain");
	expect_route(tables, FINDING_DOMAIN, "bad domain", NULL, NULL,
	    "domain bad domain -> not a host name");
}

Test(route_decide, url_host_is_routed_as_ip_or_domain)
{
	expect_cc(tables, FINDING_URL, "http://user@20.1.2.3:8080/x?a=b",
	    "big-isp", "NL", "url http://user@20.1.2.3:8080/x?a=b -> host "
	    "20.1.2.3 -> 20.1.2.0/24 (route-networks.csv:4) -> located NL "
	    "(route-geo.csv) -> big-isp <abuse@big.example>", "csirt-nl",
	    "url http://user@20.1.2.3:8080/x?a=b -> host 20.1.2.3 -> "
	    "20.1.2.0/24 (route-networks.csv:4) -> located NL (route-geo.csv) "
	    "-> cc NCSC-NL, The Hague <cert@ncsc.nl> (route-csirts.csv, "
	    "seen-here)");
	expect_cc(tables, FINDING_URL, "https://[2a00:1000:5::1]:443/p",
	    "small-customer", "DE", "url https://[2a00:1000:5::1]:443/p -> "
	    "host 2a00:1000:5::1 -> 2a00:1000:5::/48 (route-networks.csv:7) "
	    "-> registered DE (route-rir.csv) -> small-customer "
	    "<abuse@small.example>", "csirt-de", "url "
	    "https://[2a00:1000:5::1]:443/p -> host 2a00:1000:5::1 -> "
	    "2a00:1000:5::/48 (route-networks.csv:7) -> registered DE "
	    "(route-rir.csv) -> cc CERT-Bund (BSI) <certbund@bsi.bund.de> "
	    "(route-csirts.csv, well-known)");
	expect_route(tables, FINDING_URL, "http://Phish.Example.JP/login",
	    "csirt-jp", "JP", "url http://Phish.Example.JP/login -> host "
	    "phish.example.jp -> registrable example.jp -> ccTLD .jp -> "
	    "JPCERT/CC <info@jpcert.or.jp> (route-csirts.csv, well-known)");
	expect_route(tables, FINDING_URL, "http://example.org#frag", NULL,
	    NULL, "url http://example.org#frag -> host example.org -> no "
	    "contact for domain");
	expect_route(tables, FINDING_URL, "http:///nohost", NULL, NULL,
	    "url http:///nohost -> no host");
}

Test(route_decide, special_addresses_are_skipped)
{
	expect_skipped(FINDING_IPV4, "10.1.2.3");
	expect_skipped(FINDING_IPV4, "192.0.2.1");
	expect_skipped(FINDING_IPV6, "fe80::1");
	expect_skipped(FINDING_URL, "http://127.0.0.1/admin");
	expect_skipped(FINDING_URL, "http://[::1]/");
	expect_skipped(FINDING_EMAIL, "abuse@example.de");
	expect_skipped(FINDING_ASN, "AS24940");
}

Test(route_decide, only_unsuppressed_offenders_are_routed)
{
	struct report *r = report_new(1 << 20);
	struct route_result res = { NULL, 0 };
	struct finding *f;
	const struct route *rt;

	report_add_finding(r, FINDING_IPV4, FINDING_ROLE_REPORTER, "1.0.0.1",
	    NULL, "0", 0, "test");
	report_add_finding(r, FINDING_IPV4, FINDING_ROLE_VICTIM, "1.0.0.2",
	    NULL, "0", 0, "test");
	f = report_add_finding(r, FINDING_IPV4, FINDING_ROLE_OFFENDER,
	    "1.0.0.3", NULL, "1", 0, "test");
	f->suppressed = TRUE;
	f->suppress_why = "own range";
	report_add_finding(r, FINDING_IPV4, FINDING_ROLE_OFFENDER, "1.0.2.9",
	    NULL, "1", 0, "test");
	report_add_finding(r, FINDING_DOMAIN, FINDING_ROLE_OFFENDER,
	    "example.de", NULL, "1", 0, "test");
	report_add_finding(r, FINDING_IPV4, FINDING_ROLE_OFFENDER, "10.0.0.1",
	    NULL, "1", 0, "test");
	route_report(tables, r, &res);
	cr_assert_eq(res.routes->len, 2);
	cr_expect_eq(res.unrouted, 1);
	rt = res.routes->pdata[0];
	cr_expect_str_eq(rt->finding->value, "1.0.2.9");
	cr_expect_null(rt->contact);
	rt = res.routes->pdata[1];
	cr_expect_str_eq(rt->finding->value, "example.de");
	cr_assert_not_null(rt->contact);
	cr_expect_str_eq(rt->contact->email, "certbund@bsi.bund.de");
	report_free(&r);
}

Test(route_decide, exhausted_arena_stops_routing_without_crashing)
{
	struct report *r = report_new(192 * 1024);
	struct route_result res = { NULL, 0 };
	char ip[32];
	guint i, n = 0;

	/* The arena grows by 64 KiB chunks: findings fill two and start
	 * the last one, whose rest cannot hold all their routes. */
	for (i = 0; arena_used(r->arena) < 192 * 1024; i++) {
		g_snprintf(ip, sizeof(ip), "1.0.%u.%u", i / 256, i % 256);
		cr_assert_not_null(report_add_finding(r, FINDING_IPV4,
		    FINDING_ROLE_OFFENDER, ip, NULL, "1", 0, "test"));
		n++;
	}
	route_report(tables, r, &res);
	cr_expect_gt(res.routes->len, 0);
	cr_expect_lt(res.routes->len, n, "%u of %u routed", res.routes->len,
	    n);
	cr_expect(arena_exhausted(r->arena));
	report_free(&r);
}

Test(route_decide, shipped_tables_route_the_sample_mailbox)
{
	char *c = test_src_path("data/contacts.csv");
	char *n = test_src_path("data/networks.csv");
	char *g = test_src_path("data/ip-country-geo.csv.gz");
	char *rr = test_src_path("data/ip-country-rir.csv.gz");
	char *s = test_src_path("data/national-csirts.csv");
	struct route_paths p = {
		.contacts = c, .networks = n, .geo_country = g,
		.rir_country = rr, .csirts = s, .own_country = "JP",
	};
	struct route_tables *t;
	GError *err = NULL;

	t = route_open(&p, &err);
	cr_assert_not_null(t, "%s", err != NULL ? err->message : "");
	expect_cc(t, FINDING_IPV4, "5.9.34.17", "hoster-de", "DE",
	    "ipv4 5.9.34.17 -> 5.9.0.0/16 (networks.csv:5) -> located DE "
	    "(ip-country-geo.csv.gz, 2026-06-25) -> hoster-de <abuse@hoster-de.example>",
	    "csirt-de", "ipv4 5.9.34.17 -> 5.9.0.0/16 (networks.csv:5) -> "
	    "located DE (ip-country-geo.csv.gz, 2026-06-25) -> cc CERT-Bund (BSI) "
	    "<certbund@bsi.bund.de> (national-csirts.csv, well-known)");
	expect_cc(t, FINDING_IPV6, "2a01:4f8:10a::2", "hoster-de", "DE",
	    "ipv6 2a01:4f8:10a::2 -> 2a01:4f8::/32 (networks.csv:6) -> "
	    "located DE (ip-country-geo.csv.gz, 2026-06-25) -> hoster-de "
	    "<abuse@hoster-de.example>", "csirt-de", "ipv6 2a01:4f8:10a::2 "
	    "-> 2a01:4f8::/32 (networks.csv:6) -> located DE "
	    "(ip-country-geo.csv.gz, 2026-06-25) -> cc CERT-Bund (BSI) "
	    "<certbund@bsi.bund.de> (national-csirts.csv, well-known)");
	/* The geo table places this block in Moldova. */
	expect_cc(t, FINDING_IPV4, "45.142.214.9", "reseller-nl", "MD",
	    "ipv4 45.142.214.9 -> 45.142.214.0/24 (networks.csv:9) -> "
	    "located MD (ip-country-geo.csv.gz, 2026-06-25) -> reseller-nl "
	    "<abuse@reseller-nl.example>", "csirt-md", "ipv4 45.142.214.9 -> "
	    "45.142.214.0/24 (networks.csv:9) -> located MD "
	    "(ip-country-geo.csv.gz, 2026-06-25) -> cc CERT-GOV-MD <incidents@cert.gov.md> "
	    "(national-csirts.csv, seen-here)");
	expect_route(t, FINDING_IPV4, "114.114.100.23", "csirt-cn", "CN",
	    "ipv4 114.114.100.23 -> located CN (ip-country-geo.csv.gz, 2026-06-25) -> "
	    "CNCERT/CC <cncert@cert.org.cn> (national-csirts.csv, "
	    "well-known)");
	expect_route(t, FINDING_IPV4, "13.112.0.1", NULL, "JP",
	    "ipv4 13.112.0.1 -> located JP (ip-country-geo.csv.gz, 2026-06-25) -> "
	    "domestic, no constituency contact");
	expect_route(t, FINDING_IPV4, "81.2.69.160", NULL, "GB",
	    "ipv4 81.2.69.160 -> located GB (ip-country-geo.csv.gz, 2026-06-25) -> "
	    "CSIRT for GB has unverified address: not used");
	route_close(&t);
	g_free(c);
	g_free(n);
	g_free(g);
	g_free(rr);
	g_free(s);
}
