/*
 * test_route_ladder.c: the decision ladder of route/ beyond the basic
 * tables: IP -> ASN range boundaries (first, last, one outside, ranges
 * inside one /64), AS names, the analysts' ASN and domain mappings
 * (longest suffix on label boundaries, U-labels), own_country and
 * constituency contacts, the national CSIRT in Cc, the live lookup hook,
 * file:line errors of the new tables, and the [route] ladder setting
 * (order of the steps, steps left out, bad settings).  Tables:
 * tests/data/route-*.
 */
#include "config.h"

#include <string.h>
#include <criterion/criterion.h>

#include "parse/report.h"
#include "route/route.h"
#include "tests/helpers.h"
#include "tests/route_fixture.h"

TestSuite(route_ladder, .init = test_tmp_setup, .fini = test_tmp_teardown,
    .timeout = 10);

/* open_steps - every test table; replace[i] (if not NULL) instead of
 * rfx_files[i].file; steps is [route] ladder (NULL: default); NULL on
 * error with *err set */
static struct route_tables *
open_steps(const char *own, const char *const replace[9],
    const char *steps, GError **err)
{
	struct route_paths p;

	memset(&p, 0, sizeof(p));
	if (replace != NULL) {
		p.contacts = replace[0];
		p.networks = replace[1];
		p.geo_country = replace[2];
		p.rir_country = replace[3];
		p.csirts = replace[4];
		p.asn = replace[5];
		p.asn_names = replace[6];
		p.asn_contacts = replace[7];
		p.domain_contacts = replace[8];
	}
	p.own_country = own;
	p.ladder = steps;
	return rfx_open(&p, RFX_ALL, err);
}

static struct route_tables *
open_ladder(const char *own, const char *const replace[9], GError **err)
{
	return open_steps(own, replace, NULL, err);
}

static struct route_tables *
ladder(const char *own)
{
	GError *err = NULL;
	struct route_tables *t = open_ladder(own, NULL, &err);

	cr_assert_not_null(t, "%s", err != NULL ? err->message : "");
	return t;
}

/* expect - one finding: first route to id (NULL: unrouted) with reason;
 * cc_id NULL: no Cc route, else the Cc route's contact and reason */
static void
expect(const struct route_tables *t, enum finding_kind kind,
    const char *value, const char *id, const char *reason,
    const char *cc_id, const char *cc_reason)
{
	struct report *r = report_new(1 << 20);
	struct route_result res = { NULL, 0 };
	const struct route *rt;

	report_add_finding(r, kind, FINDING_ROLE_OFFENDER, value, NULL, "1",
	    0, "test");
	route_report(t, r, &res);
	cr_assert_eq(res.routes->len, cc_id != NULL ? 2 : 1, "%s: %u routes",
	    value, res.routes->len);
	rt = res.routes->pdata[0];
	cr_expect_not(rt->cc);
	cr_expect_str_eq(rt->reason, reason);
	cr_expect_str_eq(rt->contact != NULL ? rt->contact->id : "(none)",
	    id != NULL ? id : "(none)", "%s", value);
	cr_expect_eq(res.unrouted, id == NULL ? 1 : 0);
	if (cc_id != NULL) {
		rt = res.routes->pdata[1];
		cr_expect(rt->cc);
		cr_assert_not_null(rt->contact);
		cr_expect_str_eq(rt->contact->id, cc_id);
		cr_expect_str_eq(rt->reason, cc_reason);
		cr_expect_eq(rt->finding, r->findings->pdata[0]);
	}
	report_free(&r);
}

/* asn_of - the ASN route_ip_info gives ip, 0 for none */
static guint32
asn_of(const struct route_tables *t, const char *ip)
{
	struct route_ip_info info;

	cr_assert_eq(route_ip_info(t, ip, &info), 1, "%s", ip);
	return info.asn;
}

Test(route_ladder, asn_ranges_are_inclusive_at_both_ends)
{
	struct route_tables *t = ladder(NULL);
	struct route_ip_info info;

	cr_expect_eq(asn_of(t, "1.0.0.0"), 64500, "first");
	cr_expect_eq(asn_of(t, "1.0.0.255"), 64500, "last");
	cr_expect_eq(asn_of(t, "1.0.1.0"), 0, "one past the last");
	cr_expect_eq(route_ip_info(t, "0.255.255.255", &info), 0,
	    "before the first: special (0/8)");
	cr_expect_eq(asn_of(t, "1.0.2.255"), 0, "one before 1.0.3.0");
	cr_expect_eq(asn_of(t, "1.0.3.0"), 64501);
	cr_expect_eq(asn_of(t, "30.0.0.0"), 64503, "a one-address range");
	cr_expect_eq(asn_of(t, "30.0.0.1"), 0, "gap of one address");
	cr_expect_eq(asn_of(t, "30.0.0.2"), 64504, "\"AS64504\" form");
	cr_expect_eq(asn_of(t, "30.0.0.9"), 64504);
	cr_expect_eq(asn_of(t, "30.0.0.10"), 0);
	cr_expect_eq(asn_of(t, "223.255.255.255"), 64505, "top of unicast");
	cr_expect_eq(asn_of(t, "223.255.254.255"), 0);
	cr_expect_eq(route_ip_info(t, "255.255.255.255", &info), 0,
	    "broadcast is special");
	cr_expect_eq(route_ip_info(t, "not-an-ip", &info), -1);
	route_close(&t);
}

Test(route_ladder, ipv6_ranges_inside_one_slash64)
{
	struct route_tables *t = ladder(NULL);

	cr_expect_eq(asn_of(t, "2a00::"), 64510);
	cr_expect_eq(asn_of(t, "2a00:ffff:ffff:ffff:ffff:ffff:ffff:ffff"),
	    64510);
	cr_expect_eq(asn_of(t, "2a01::"), 0, "one past the last");
	cr_expect_eq(asn_of(t, "2a02:ff::"), 64511);
	cr_expect_eq(asn_of(t, "2a02:ff::ffff"), 64511);
	cr_expect_eq(asn_of(t, "2a02:ff::1:0"), 64512, "same /64, next range");
	cr_expect_eq(asn_of(t, "2a02:ff::1:ffff"), 64512);
	cr_expect_eq(asn_of(t, "2a02:ff::2:0"), 0, "same /64, after both");
	cr_expect_eq(asn_of(t, "2a02:ff:0:1::5"), 64513, "next /64");
	cr_expect_eq(asn_of(t, "2a02:fe:ffff:ffff::"), 0);
	route_close(&t);
}

Test(route_ladder, ip_info_names_the_as_and_its_source)
{
	struct route_tables *t = ladder(NULL);
	struct route_ip_info info;

	cr_assert_eq(route_ip_info(t, "20.0.1.1", &info), 1);
	cr_expect_eq(info.asn, 64502);
	cr_expect_str_eq(info.as_name, "Big \"Quoted\" ISP");
	cr_expect_str_eq(info.asn_source, "route-asn.csv, 2026-01-02");
	cr_expect_str_eq(info.rir, "US");
	cr_expect_str_eq(info.rir_source, "route-rir.csv");
	cr_expect_null(info.geo);
	cr_expect_str_eq(info.network, "20.0.0.0/8");
	cr_expect_str_eq(info.network_contact->id, "big-isp");
	cr_expect_str_eq(info.asn_contact->id, "small-customer");
	cr_expect_str_eq(route_as_name(t, 64501), "Example DE, GmbH");
	cr_expect_null(route_as_name(t, 64503));
	route_close(&t);
}

Test(route_ladder, asn_mapping_routes_with_the_csirt_in_cc)
{
	struct route_tables *t = ladder(NULL);

	expect(t, FINDING_IPV4, "1.0.3.7", "v6-host", "ipv4 1.0.3.7 -> "
	    "AS64501 Example DE, GmbH (route-asn.csv, 2026-01-02) -> mapped "
	    "(route-asn-contacts.csv:3) -> located DE (route-geo.csv) -> "
	    "v6-host <abuse@v6.example>", "csirt-de", "ipv4 1.0.3.7 -> "
	    "AS64501 Example DE, GmbH (route-asn.csv, 2026-01-02) -> mapped "
	    "(route-asn-contacts.csv:3) -> located DE (route-geo.csv) -> cc "
	    "CERT-Bund (BSI) <certbund@bsi.bund.de> (route-csirts.csv, "
	    "well-known)");
	route_close(&t);
}

Test(route_ladder, networks_win_over_the_asn_mapping)
{
	struct route_tables *t = ladder(NULL);

	expect(t, FINDING_IPV4, "20.0.1.1", "big-isp", "ipv4 20.0.1.1 -> "
	    "20.0.0.0/8 (route-networks.csv:2) -> AS64502 Big \"Quoted\" ISP "
	    "(route-asn.csv, 2026-01-02) -> registered US (route-rir.csv) -> "
	    "big-isp <abuse@big.example>", "csirt-us", "ipv4 20.0.1.1 -> "
	    "20.0.0.0/8 (route-networks.csv:2) -> AS64502 Big \"Quoted\" ISP "
	    "(route-asn.csv, 2026-01-02) -> registered US (route-rir.csv) -> "
	    "cc CISA <report@cisa.gov> (route-csirts.csv, peer-data)");
	route_close(&t);
}

Test(route_ladder, domain_mapping_longest_suffix_on_label_boundaries)
{
	struct route_tables *t = ladder(NULL);

	expect(t, FINDING_DOMAIN, "www.shop.example.de", "small-customer",
	    "domain www.shop.example.de -> registrable example.de -> "
	    "shop.example.de (route-domain-contacts.csv:3) -> ccTLD .de -> "
	    "small-customer <abuse@small.example>", "csirt-de", "domain "
	    "www.shop.example.de -> registrable example.de -> shop.example.de "
	    "(route-domain-contacts.csv:3) -> ccTLD .de -> cc CERT-Bund (BSI) "
	    "<certbund@bsi.bund.de> (route-csirts.csv, well-known)");
	expect(t, FINDING_DOMAIN, "example.de", "v6-host", "domain example.de "
	    "-> example.de (route-domain-contacts.csv:2) -> ccTLD .de -> "
	    "v6-host <abuse@v6.example>", "csirt-de", "domain example.de -> "
	    "example.de (route-domain-contacts.csv:2) -> ccTLD .de -> cc "
	    "CERT-Bund (BSI) <certbund@bsi.bund.de> (route-csirts.csv, "
	    "well-known)");
	expect(t, FINDING_DOMAIN, "badexample.de", "csirt-de", "domain "
	    "badexample.de -> ccTLD .de -> CERT-Bund (BSI) "
	    "<certbund@bsi.bund.de> (route-csirts.csv, well-known)", NULL,
	    NULL);
	route_close(&t);
}

Test(route_ladder, u_labels_match_their_a_labels)
{
	struct route_tables *t = ladder("JP");

	expect(t, FINDING_DOMAIN, "例え.jp", "big-isp", "domain 例え.jp -> "
	    "xn--r8jz45g.jp (route-domain-contacts.csv:5) -> ccTLD .jp -> "
	    "big-isp <abuse@big.example>", NULL, NULL);
	expect(t, FINDING_URL, "http://XN--R8JZ45G.jp/login", "big-isp",
	    "url http://XN--R8JZ45G.jp/login -> host xn--r8jz45g.jp -> "
	    "xn--r8jz45g.jp (route-domain-contacts.csv:5) -> ccTLD .jp -> "
	    "big-isp <abuse@big.example>", NULL, NULL);
	route_close(&t);
}

Test(route_ladder, domestic_goes_to_constituents_never_our_csirt)
{
	struct route_tables *t = ladder("jp");

	expect(t, FINDING_DOMAIN, "online.bank.jp", "jp-constituent",
	    "domain online.bank.jp -> registrable bank.jp -> bank.jp "
	    "(route-domain-contacts.csv:4) -> ccTLD .jp -> jp-constituent "
	    "<abuse@constituent.example.jp>", NULL, NULL);
	expect(t, FINDING_IPV4, "1.0.0.1", NULL, "ipv4 1.0.0.1 -> AS64500 "
	    "Example JP Net (route-asn.csv, 2026-01-02) -> located JP "
	    "(route-geo.csv) -> domestic, no constituency contact", NULL,
	    NULL);
	/* Without own_country the same finding is foreign: JPCERT/CC. */
	route_close(&t);
	t = ladder(NULL);
	expect(t, FINDING_IPV4, "1.0.0.1", "csirt-jp", "ipv4 1.0.0.1 -> "
	    "AS64500 Example JP Net (route-asn.csv, 2026-01-02) -> located JP "
	    "(route-geo.csv) -> JPCERT/CC <info@jpcert.or.jp> "
	    "(route-csirts.csv, well-known)", NULL, NULL);
	route_close(&t);
}

Test(route_ladder, cc_only_to_usable_csirts)
{
	struct route_tables *t = ladder(NULL);

	/* 20.1.2.3 is in big-isp's /24, located NL (usable); 1.0.2.x is GB
	 * whose CSIRT is unverified: nobody. */
	expect(t, FINDING_IPV4, "20.1.2.3", "big-isp", "ipv4 20.1.2.3 -> "
	    "20.1.2.0/24 (route-networks.csv:4) -> located NL (route-geo.csv) "
	    "-> big-isp <abuse@big.example>", "csirt-nl", "ipv4 20.1.2.3 -> "
	    "20.1.2.0/24 (route-networks.csv:4) -> located NL (route-geo.csv) "
	    "-> cc NCSC-NL, The Hague <cert@ncsc.nl> (route-csirts.csv, "
	    "seen-here)");
	expect(t, FINDING_IPV4, "1.0.2.1", NULL, "ipv4 1.0.2.1 -> located GB "
	    "(route-geo.csv) -> CSIRT for GB has unverified address: not "
	    "used", NULL, NULL);
	route_close(&t);
}

static guint live_calls;

static int
fake_live(void *ctx, const char *ip, guint32 asn,
    const struct contact **contact_r, GString *why)
{
	live_calls++;
	g_string_append_printf(why, " -> live %s AS%u", ip, asn);
	*contact_r = ctx;
	return 1;
}

Test(route_ladder, live_hook_runs_only_when_no_owner_is_known)
{
	struct route_tables *t = ladder(NULL);
	struct route_live live = { fake_live, NULL, NULL };

	live.ctx = (void *)route_contact(t, "small-customer");
	route_set_live(t, &live);
	expect(t, FINDING_IPV4, "1.0.0.1", "small-customer", "ipv4 1.0.0.1 "
	    "-> AS64500 Example JP Net (route-asn.csv, 2026-01-02) -> live "
	    "1.0.0.1 AS64500 -> located JP (route-geo.csv) -> small-customer "
	    "<abuse@small.example>", "csirt-jp", "ipv4 1.0.0.1 -> AS64500 "
	    "Example JP Net (route-asn.csv, 2026-01-02) -> live 1.0.0.1 "
	    "AS64500 -> located JP (route-geo.csv) -> cc JPCERT/CC "
	    "<info@jpcert.or.jp> (route-csirts.csv, well-known)");
	cr_expect_eq(live_calls, 1);
	expect(t, FINDING_IPV4, "20.9.9.9", "csirt-jp", "ipv4 20.9.9.9 -> "
	    "20.9.9.9/32 (route-networks.csv:8) -> registered US "
	    "(route-rir.csv) -> csirt-jp <info@jpcert.or.jp>", NULL, NULL);
	cr_expect_eq(live_calls, 1, "networks knew the owner");
	route_set_live(t, NULL);
	route_close(&t);
}

/* expect_error - table index i replaced by text fails with msg */
static void
expect_error(guint i, const char *text, const char *msg_fmt)
{
	char *path = g_build_filename(test_tmp, rfx_files[i].file, NULL);
	const char *replace[9] = { NULL };
	char *msg = g_strdup_printf(msg_fmt, path);
	GError *err = NULL;

	cr_assert(g_file_set_contents(path, text, -1, NULL));
	replace[i] = path;
	cr_expect_null(open_ladder(NULL, replace, &err));
	cr_assert_not_null(err);
	cr_expect_str_eq(err->message, msg);
	cr_expect_eq(err->code, ROUTE_ERROR_SYNTAX);
	g_error_free(err);
	g_free(msg);
	g_free(path);
}

Test(route_ladder, hostile_tables_fail_with_file_and_line)
{
	expect_error(5, "1.0.0.0,1.0.0.255,64500\n1.0.0.7,1.0.1.0,1\n",
	    "%s:2: range 1.0.0.7 - 1.0.1.0 overlaps or is before the "
	    "previous one (the table must be sorted)");
	expect_error(5, "# x\n1.0.0.0,1.0.0.255,AS0\n",
	    "%s:2: bad AS number \"AS0\"");
	expect_error(5, "1.0.0.0,1.0.0.255,99999999999\n",
	    "%s:1: bad AS number \"99999999999\"");
	expect_error(5, "2a00::,2a00::1:0:0,1\n2a00::1:0:0,2a00::2:0:0,2\n",
	    "%s:2: range 2a00::1:0:0 - 2a00::2:0:0 overlaps or is before the "
	    "previous one (the table must be sorted)");
	expect_error(6, "1,ok\nx2,bad\n", "%s:2: bad AS number \"x2\"");
	expect_error(6, "1,\"unterminated\n",
	    "%s:1: unterminated quoted field");
	expect_error(7, "asn,contact,notes\nAS1,big-isp,\n1,v6-host,\n",
	    "%s:3: duplicate AS1 (also on line 2)");
	expect_error(7, "asn,contact,notes\nAS1,nobody,\n",
	    "%s:2: unknown contact \"nobody\" (not defined in the contacts "
	    "table)");
	expect_error(7, "asn,contact\n", "%s:1: expected the header line "
	    "\"asn,contact,notes\"");
	expect_error(8, "domain,contact,notes\nexample..de,big-isp,\n",
	    "%s:2: bad domain \"example..de\"");
	expect_error(8, "domain,contact,notes\nExample.DE,big-isp,\n"
	    "example.de.,v6-host,\n", "%s:3: duplicate domain example.de "
	    "(also on line 2)");
	expect_error(8, "domain,contact,notes\n\xff\xfe.de,big-isp,\n",
	    "%s:2: bad domain \"\xff\xfe.de\"");
}

Test(route_ladder, routes_csv_export_layout_makes_contacts)
{
	char *path = g_build_filename(test_tmp, "routes.csv", NULL);
	const char *replace[9] = { NULL };
	struct route_tables *t;
	GError *err = NULL;
	const struct contact *c;

	cr_assert(g_file_set_contents(path, "cidr,contact,asn,cc,org\n"
	    "69.67.209.0/24,abuse@cust1.example,4200000001,JP,cust1\n"
	    "69.67.0.0/16,big-isp,64502,US,known id\n"
	    "69.67.209.128/25,abuse@cust1.example,4200000001,JP,cust1\n",
	    -1, NULL));
	replace[1] = path;
	t = open_ladder("JP", replace, &err);
	cr_assert_not_null(t, "%s", err != NULL ? err->message : "");
	c = route_contact(t, "abuse@cust1.example");
	cr_assert_not_null(c);
	cr_expect_str_eq(c->name, "cust1");
	cr_expect_str_eq(c->email, "abuse@cust1.example");
	cr_expect_str_eq(c->country, "JP");
	cr_expect_eq(c->kind, CONTACT_NETWORK_OWNER);
	expect(t, FINDING_IPV4, "69.67.209.200", "abuse@cust1.example",
	    "ipv4 69.67.209.200 -> 69.67.209.128/25 (routes.csv:4) -> "
	    "abuse@cust1.example <abuse@cust1.example>", NULL, NULL);
	expect(t, FINDING_IPV4, "69.67.1.1", "big-isp", "ipv4 69.67.1.1 -> "
	    "69.67.0.0/16 (routes.csv:3) -> big-isp <abuse@big.example>",
	    NULL, NULL);
	route_close(&t);
	g_free(path);
}

/* with_steps - the test tables with [route] ladder steps */
static struct route_tables *
with_steps(const char *steps)
{
	GError *err = NULL;
	struct route_tables *t = open_steps(NULL, NULL, steps, &err);

	cr_assert_not_null(t, "%s: %s", steps, err != NULL ? err->message :
	    "");
	return t;
}

static guint live_domain_calls;

static int
fake_live_domain(void *ctx, const char *host,
    const struct contact **contact_r, GString *why)
{
	live_domain_calls++;
	g_string_append_printf(why, " -> live %s", host);
	*contact_r = ctx;
	return 1;
}

/* set_fake_live - both hooks answer small-customer; counters reset */
static void
set_fake_live(struct route_tables *t)
{
	struct route_live live = { fake_live, fake_live_domain, NULL };

	live.ctx = (void *)route_contact(t, "small-customer");
	route_set_live(t, &live);
	live_calls = live_domain_calls = 0;
}

Test(route_ladder, spelled_out_default_ladder_changes_nothing)
{
	static const char *const values[] = {
		"1.0.0.1", "1.0.3.7", "20.0.1.1", "20.1.2.3", "1.0.2.1",
		"8.8.8.8", "2a00:1000:5::1",
	};
	struct route_tables *d = ladder(NULL);
	struct route_tables *t = with_steps(" networks,asn, domains ,,live "
	    "country ");
	struct report *r1 = report_new(1 << 20), *r2 = report_new(1 << 20);
	struct route_result res1 = { NULL, 0 }, res2 = { NULL, 0 };
	guint i;

	for (i = 0; i < G_N_ELEMENTS(values); i++) {
		report_add_finding(r1, strchr(values[i], ':') != NULL ?
		    FINDING_IPV6 : FINDING_IPV4, FINDING_ROLE_OFFENDER,
		    values[i], NULL, "1", 0, "test");
		report_add_finding(r2, strchr(values[i], ':') != NULL ?
		    FINDING_IPV6 : FINDING_IPV4, FINDING_ROLE_OFFENDER,
		    values[i], NULL, "1", 0, "test");
	}
	route_report(d, r1, &res1);
	route_report(t, r2, &res2);
	cr_assert_eq(res1.routes->len, res2.routes->len);
	for (i = 0; i < res1.routes->len; i++) {
		const struct route *a = res1.routes->pdata[i];
		const struct route *b = res2.routes->pdata[i];

		cr_expect_str_eq(b->reason, a->reason);
		cr_expect_str_eq(b->contact != NULL ? b->contact->id : "-",
		    a->contact != NULL ? a->contact->id : "-");
	}
	report_free(&r1);
	report_free(&r2);
	route_close(&d);
	route_close(&t);
}

Test(route_ladder, live_first_is_asked_before_the_analysts_networks)
{
	struct route_tables *t = with_steps("live networks asn country");

	set_fake_live(t);
	/* Without the setting 20.9.9.9 goes to csirt-jp (networks). */
	expect(t, FINDING_IPV4, "20.9.9.9", "small-customer", "ipv4 20.9.9.9 "
	    "-> live 20.9.9.9 AS0 -> registered US (route-rir.csv) -> "
	    "small-customer <abuse@small.example>", "csirt-us", "ipv4 "
	    "20.9.9.9 -> live 20.9.9.9 AS0 -> registered US (route-rir.csv) "
	    "-> cc CISA <report@cisa.gov> (route-csirts.csv, peer-data)");
	cr_expect_eq(live_calls, 1);
	/* The origin AS is known to the hook and still in the record; the
	 * networks and the ASN mapping are not asked any more. */
	expect(t, FINDING_IPV4, "20.0.1.1", "small-customer", "ipv4 20.0.1.1 "
	    "-> live 20.0.1.1 AS64502 -> AS64502 Big \"Quoted\" ISP "
	    "(route-asn.csv, 2026-01-02) -> registered US (route-rir.csv) -> "
	    "small-customer <abuse@small.example>", "csirt-us", "ipv4 "
	    "20.0.1.1 -> live 20.0.1.1 AS64502 -> AS64502 Big \"Quoted\" ISP "
	    "(route-asn.csv, 2026-01-02) -> registered US (route-rir.csv) -> "
	    "cc CISA <report@cisa.gov> (route-csirts.csv, peer-data)");
	cr_expect_eq(live_calls, 2);
	route_set_live(t, NULL);
	route_close(&t);
}

Test(route_ladder, asn_before_networks_lets_the_asn_mapping_win)
{
	struct route_tables *t = with_steps("asn,networks,country");

	expect(t, FINDING_IPV4, "20.0.1.1", "small-customer", "ipv4 20.0.1.1 "
	    "-> AS64502 Big \"Quoted\" ISP (route-asn.csv, 2026-01-02) -> "
	    "mapped (route-asn-contacts.csv:4) -> registered US "
	    "(route-rir.csv) -> small-customer <abuse@small.example>",
	    "csirt-us", "ipv4 20.0.1.1 -> AS64502 Big \"Quoted\" ISP "
	    "(route-asn.csv, 2026-01-02) -> mapped (route-asn-contacts.csv:4) "
	    "-> registered US (route-rir.csv) -> cc CISA <report@cisa.gov> "
	    "(route-csirts.csv, peer-data)");
	route_close(&t);
}

Test(route_ladder, a_ladder_without_live_never_calls_the_hook)
{
	struct route_tables *t = with_steps("networks asn domains country");

	set_fake_live(t);
	expect(t, FINDING_IPV4, "1.0.0.1", "csirt-jp", "ipv4 1.0.0.1 -> "
	    "AS64500 Example JP Net (route-asn.csv, 2026-01-02) -> located JP "
	    "(route-geo.csv) -> JPCERT/CC <info@jpcert.or.jp> "
	    "(route-csirts.csv, well-known)", NULL, NULL);
	expect(t, FINDING_DOMAIN, "badexample.de", "csirt-de", "domain "
	    "badexample.de -> ccTLD .de -> CERT-Bund (BSI) "
	    "<certbund@bsi.bund.de> (route-csirts.csv, well-known)", NULL,
	    NULL);
	cr_expect_eq(live_calls, 0);
	cr_expect_eq(live_domain_calls, 0);
	route_set_live(t, NULL);
	route_close(&t);
}

Test(route_ladder, without_country_no_national_csirt)
{
	struct route_tables *t = with_steps("networks asn domains live");

	expect(t, FINDING_IPV4, "1.0.0.1", NULL, "ipv4 1.0.0.1 -> AS64500 "
	    "Example JP Net (route-asn.csv, 2026-01-02) -> no owner (no "
	    "country step)", NULL, NULL);
	/* An owner is routed, without the CSIRT of its country in Cc. */
	expect(t, FINDING_IPV4, "20.1.2.3", "big-isp", "ipv4 20.1.2.3 -> "
	    "20.1.2.0/24 (route-networks.csv:4) -> big-isp "
	    "<abuse@big.example>", NULL, NULL);
	expect(t, FINDING_DOMAIN, "badexample.de", NULL, "domain "
	    "badexample.de -> no contact for domain", NULL, NULL);
	expect(t, FINDING_DOMAIN, "example.de", "v6-host", "domain example.de "
	    "-> example.de (route-domain-contacts.csv:2) -> v6-host "
	    "<abuse@v6.example>", NULL, NULL);
	route_close(&t);
}

Test(route_ladder, domains_left_out_skips_the_domain_mapping)
{
	struct route_tables *t = with_steps("networks asn live country");

	expect(t, FINDING_DOMAIN, "example.de", "csirt-de", "domain "
	    "example.de -> ccTLD .de -> CERT-Bund (BSI) <certbund@bsi.bund.de> "
	    "(route-csirts.csv, well-known)", NULL, NULL);
	route_close(&t);
}

/* expect_bad_ladder - route_open() with steps fails with msg */
static void
expect_bad_ladder(const char *steps, const char *msg)
{
	GError *err = NULL;

	cr_expect_null(open_steps(NULL, NULL, steps, &err), "%s", steps);
	cr_assert_not_null(err, "%s", steps);
	cr_expect_eq(err->code, ROUTE_ERROR_SYNTAX);
	cr_expect_str_eq(err->message, msg);
	g_error_free(err);
}

Test(route_ladder, bad_ladder_settings_are_rejected)
{
	expect_bad_ladder("networks asn x country",
	    "[route] ladder: unknown step 'x'");
	expect_bad_ladder("networks,asn,networks",
	    "[route] ladder: repeated step 'networks'");
	expect_bad_ladder("Networks", "[route] ladder: unknown step "
	    "'Networks'");
	expect_bad_ladder("networks;asn", "[route] ladder: unknown step "
	    "'networks;asn'");
	expect_bad_ladder(" , ", "[route] ladder: no steps (default "
	    "\"networks asn domains live country\")");
}
