/*
 * test_route_live.c: the live lookups wired into the routing ladder
 * (route/route_live.c) against loopback servers (tests/lookup_servers.c):
 * an address no table maps goes to the RDAP abuse address with the
 * national CSIRT in Cc, a registry catch-all is not used, a silent server
 * costs one bounded timeout and then a pause, a second address of a range
 * comes from the cache, whois and DNS each route, a domain goes to its
 * registrar, and the analysts' mapping wins without asking anyone.
 * Tables: small CSVs written here.
 */
#include "config.h"

#include <string.h>
#include <criterion/criterion.h>

#include "parse/report.h"
#include "route/route.h"
#include "route/lookup.h"
#include "tests/helpers.h"
#include "tests/lookup_servers.h"

#define HTTP_OK	"HTTP/1.1 200 OK\r\n" \
	"Content-Type: application/rdap+json\r\nConnection: close\r\n\r\n"
/* an RDAP ip network answer for 45.33.10.0/24 */
#define NET(cc, email) "{\"objectClassName\":\"ip network\"," \
	"\"startAddress\":\"45.33.10.0\",\"endAddress\":\"45.33.10.255\"," \
	"\"cidr0_cidrs\":[{\"v4prefix\":\"45.33.10.0\",\"length\":24}]," \
	"\"name\":\"EXAMPLE-NET\",\"country\":\"" cc "\",\"entities\":[{" \
	"\"handle\":\"AB1-EX\",\"roles\":[\"abuse\"],\"vcardArray\":" \
	"[\"vcard\",[[\"email\",{},\"text\",\"" email "\"]]]}]}"

static char *tmp, *base, *hp;
static struct route_tables *t;
static struct route_live_ctx *live;
static struct lookup_config cfg;
static struct tsrv *srv;
static struct dsrv *dns;

static void
put(const char *name, const char *text)
{
	char *p = g_build_filename(tmp, name, NULL);

	cr_assert(g_file_set_contents(p, text, -1, NULL));
	g_free(p);
}

static void
setup(void)
{
	struct route_paths p;
	GError *err = NULL;
	char *f[5];

	tmp = test_tmpdir();
	put("contacts.csv", "id,name,email,language,country,kind,notes\n"
	    "hoster-a,Hoster A,abuse@hoster-a.example,en,NL,hosting,\n");
	put("networks.csv", "cidr,contact,notes\n31.3.0.0/16,hoster-a,\n");
	put("geo.csv", "31.3.0.0,31.3.255.255,NL\n"
	    "45.33.0.0,45.33.255.255,NL\n133.1.0.0,133.1.255.255,JP\n");
	put("rir.csv", "first_ip,last_ip,CC\n");
	put("csirts.csv", "country_code,team,email,url,kind,confidence,"
	    "source,source_date,notes\n"
	    "NL,NCSC-NL,cert@ncsc.nl,,national,well-known,,,\n"
	    "JP,JPCERT/CC,info@jpcert.or.jp,,national,well-known,,,\n");
	f[0] = g_build_filename(tmp, "contacts.csv", NULL);
	f[1] = g_build_filename(tmp, "networks.csv", NULL);
	f[2] = g_build_filename(tmp, "geo.csv", NULL);
	f[3] = g_build_filename(tmp, "rir.csv", NULL);
	f[4] = g_build_filename(tmp, "csirts.csv", NULL);
	memset(&p, 0, sizeof(p));
	p.contacts = f[0];
	p.networks = f[1];
	p.geo_country = f[2];
	p.rir_country = f[3];
	p.csirts = f[4];
	p.own_country = "JP";
	p.ladder = NULL;
	t = route_open(&p, &err);
	cr_assert_not_null(t, "%s", err != NULL ? err->message : "");
	for (guint i = 0; i < G_N_ELEMENTS(f); i++)
		g_free(f[i]);
	lookup_config_defaults(&cfg);
	cfg.rdap_timeout_ms = cfg.whois_timeout_ms = 2000;
	cfg.dns_timeout_ms = 2000;
}

static void
teardown(void)
{
	route_close(&t);
	route_live_free(&live);
	tsrv_stop(&srv);
	dsrv_stop(&dns);
	test_rm_rf(tmp);
	g_free(tmp);
	g_free(base);
	g_free(hp);
}

TestSuite(route_live, .init = setup, .fini = teardown, .timeout = 20);

/* rdap - an RDAP server serving reply conns times; RDAP on */
static void
rdap(const char *reply, guint delay_ms, guint conns)
{
	srv = tsrv_start(TRUE, reply, delay_ms, 0, conns);
	base = g_strdup_printf("http://127.0.0.1:%u/rdap", srv->port);
	cfg.rdap_enabled = TRUE;
	cfg.rdap_base = base;
}

/* hook - the live context on the tables */
static void
hook(void)
{
	struct route_live h;

	live = route_live_new(&cfg, 0);
	cr_assert_not_null(live);
	cr_assert(route_live_hook(live, &h));
	route_set_live(t, &h);
}

/* route1 - routes one offender finding; the report (free it) */
static struct report *
route1(enum finding_kind kind, const char *value, struct route_result *res)
{
	struct report *r = report_new(1 << 20);

	report_add_finding(r, kind, FINDING_ROLE_OFFENDER, value, NULL, "1",
	    0, "test");
	route_report(t, r, res);
	cr_assert_gt(res->routes->len, 0, "%s: no route", value);
	return r;
}

static const struct route *
rt(const struct route_result *res, guint i)
{
	cr_assert_lt(i, res->routes->len);
	return res->routes->pdata[i];
}

/* served - the server's count once it has settled (it counts after
 * answering) */
static gint
served(struct tsrv *s, gint want)
{
	guint waited;

	for (waited = 0; waited < 1000 && g_atomic_int_get(&s->served) <
	    want; waited += 10)
		g_usleep(10 * 1000);
	g_usleep(50 * 1000);
	return g_atomic_int_get(&s->served);
}

Test(route_live, everything_off_means_no_context_and_no_hook)
{
	struct route_live h;

	cr_expect_null(route_live_new(&cfg, 0));
	cr_expect_not(route_live_hook(NULL, &h));
	cr_expect_null(h.ip);
	cr_expect_null(h.domain);
}

Test(route_live, unknown_ip_goes_to_rdap_abuse_with_csirt_in_cc)
{
	struct route_result res;
	struct report *r;
	char *want;

	rdap(HTTP_OK NET("NL", "Abuse@Example.NET"), 0, 1);
	hook();
	r = route1(FINDING_IPV4, "45.33.10.7", &res);
	cr_assert_eq(res.routes->len, 2);
	cr_assert_not_null(rt(&res, 0)->contact);
	cr_expect_str_eq(rt(&res, 0)->contact->email, "abuse@example.net");
	cr_expect_str_eq(rt(&res, 0)->contact->id, "rdap:abuse@example.net");
	cr_expect_eq(rt(&res, 0)->contact->kind, CONTACT_NETWORK_OWNER);
	cr_expect_str_eq(rt(&res, 0)->contact->language, "en");
	cr_expect_str_eq(rt(&res, 0)->contact->country, "NL");
	want = g_strdup_printf(" -> rdap 45.33.10.0/24 EXAMPLE-NET "
	    "abuse@example.net (127.0.0.1:%u, fetched)", srv->port);
	cr_expect(strstr(rt(&res, 0)->reason, want) != NULL, "%s",
	    rt(&res, 0)->reason);
	cr_expect(rt(&res, 1)->cc);
	cr_expect_str_eq(rt(&res, 1)->contact->email, "cert@ncsc.nl");
	cr_expect(strstr(srv->request, "GET /rdap/ip/45.33.10.7 ") ==
	    srv->request);
	cr_expect_eq(route_live_fetched(live), 1);
	cr_expect_eq(lookup_cache_size(route_live_cache(live)), 1);
	g_free(want);
	report_free(&r);
}

Test(route_live, domestic_answer_in_japan_is_in_japanese_without_cc)
{
	struct route_result res;
	struct report *r;

	rdap(HTTP_OK NET("JP", "abuse@example.jp"), 0, 1);
	hook();
	r = route1(FINDING_IPV4, "133.1.2.3", &res);
	cr_assert_eq(res.routes->len, 1, "%s", rt(&res, 0)->reason);
	cr_assert_not_null(rt(&res, 0)->contact);
	cr_expect_str_eq(rt(&res, 0)->contact->email, "abuse@example.jp");
	cr_expect_str_eq(rt(&res, 0)->contact->language, "ja");
	report_free(&r);
}

Test(route_live, registry_catch_all_is_not_used)
{
	struct route_result res;
	struct report *r;

	rdap(HTTP_OK NET("NL", "abuse@ripe.net"), 0, 1);
	hook();
	r = route1(FINDING_IPV4, "45.33.10.7", &res);
	cr_assert_eq(res.routes->len, 1);
	cr_assert_not_null(rt(&res, 0)->contact);
	cr_expect_str_eq(rt(&res, 0)->contact->email, "cert@ncsc.nl");
	cr_expect_eq(rt(&res, 0)->contact->kind, CONTACT_NATIONAL_CSIRT);
	cr_expect(strstr(rt(&res, 0)->reason, " -> rdap: abuse@ripe.net is "
	    "the registry's catch-all: not used") != NULL, "%s",
	    rt(&res, 0)->reason);
	report_free(&r);
}

Test(route_live, address_that_is_not_one_is_not_used)
{
	struct route_result res;
	struct report *r;

	rdap(HTTP_OK NET("NL", "a@b.example\\r\\nBcc: x@y.example"), 0, 1);
	hook();
	r = route1(FINDING_IPV4, "45.33.10.7", &res);
	cr_assert_not_null(rt(&res, 0)->contact);
	cr_expect_str_eq(rt(&res, 0)->contact->email, "cert@ncsc.nl");
	cr_expect(strstr(rt(&res, 0)->reason, "is not an address: not used")
	    != NULL, "%s", rt(&res, 0)->reason);
	cr_expect_null(strchr(rt(&res, 0)->reason, '\n'));
	report_free(&r);
}

Test(route_live, silent_server_gives_up_in_time_then_pauses)
{
	struct route_result res, res2;
	struct report *r, *r2;
	gint64 t0;

	rdap(HTTP_OK "{}", 5000, 2);
	cfg.rdap_timeout_ms = 300;
	hook();
	t0 = g_get_monotonic_time();
	r = route1(FINDING_IPV4, "45.33.10.7", &res);
	cr_expect_lt(elapsed_ms(t0), 300 + 500);
	cr_assert_not_null(rt(&res, 0)->contact);
	cr_expect_str_eq(rt(&res, 0)->contact->email, "cert@ncsc.nl");
	cr_expect(strstr(rt(&res, 0)->reason, " -> live lookup failed: ") !=
	    NULL, "%s", rt(&res, 0)->reason);
	/* the next address does not wait for the dead server again */
	t0 = g_get_monotonic_time();
	r2 = route1(FINDING_IPV4, "45.33.99.1", &res2);
	cr_expect_lt(elapsed_ms(t0), 100);
	cr_expect(strstr(rt(&res2, 0)->reason, "live lookup skipped: paused")
	    != NULL, "%s", rt(&res2, 0)->reason);
	cr_expect_str_eq(rt(&res2, 0)->contact->email, "cert@ncsc.nl");
	report_free(&r);
	report_free(&r2);
}

Test(route_live, second_address_of_a_range_comes_from_the_cache)
{
	struct route_result res, res2;
	struct report *r, *r2;

	rdap(HTTP_OK NET("NL", "abuse@example.net"), 0, 2);
	hook();
	r = route1(FINDING_IPV4, "45.33.10.7", &res);
	cr_assert_eq(served(srv, 1), 1);
	r2 = route1(FINDING_IPV4, "45.33.10.200", &res2);
	cr_expect_eq(served(srv, 2), 1);
	cr_assert_not_null(rt(&res2, 0)->contact);
	/* the same long-lived contact */
	cr_expect_eq(rt(&res2, 0)->contact, rt(&res, 0)->contact);
	cr_expect(strstr(rt(&res2, 0)->reason, ", cached)") != NULL, "%s",
	    rt(&res2, 0)->reason);
	cr_expect_eq(route_live_fetched(live), 1);
	report_free(&r);
	report_free(&r2);
}

Test(route_live, whois_routes)
{
	struct route_result res;
	struct report *r;

	srv = tsrv_start(FALSE, "inetnum:        45.33.10.0 - 45.33.10.255\n"
	    "netname:        WHOIS-NET\ncountry:        NL\n"
	    "abuse-mailbox:  abuse@whois-owner.example\n", 0, 0, 1);
	hp = tsrv_hostport(srv);
	cfg.whois_enabled = TRUE;
	cfg.whois_server = hp;
	hook();
	r = route1(FINDING_IPV4, "45.33.10.7", &res);
	cr_assert_not_null(rt(&res, 0)->contact);
	cr_expect_str_eq(rt(&res, 0)->contact->email,
	    "abuse@whois-owner.example");
	cr_expect_str_eq(rt(&res, 0)->contact->id,
	    "whois:abuse@whois-owner.example");
	cr_expect(strstr(rt(&res, 0)->reason, " -> whois ") != NULL, "%s",
	    rt(&res, 0)->reason);
	cr_expect_eq(res.routes->len, 2);
	report_free(&r);
}

Test(route_live, dns_routes)
{
	static const char *const zone[] = {
		"7.10.33.45.origin.asn.cymru.com",
		"64500 | 45.33.10.0/24 | NL | ripencc | 2005-01-01",
		"7.10.33.45.abuse-contacts.abusix.zone",
		"abuse@dns-owner.example",
		NULL,
	};
	struct route_result res;
	struct report *r;

	dns = dsrv_start(DSRV_ANSWER, zone);
	hp = dsrv_hostport(dns);
	cfg.dns_enabled = TRUE;
	cfg.dns_server = hp;
	hook();
	r = route1(FINDING_IPV4, "45.33.10.7", &res);
	cr_assert_not_null(rt(&res, 0)->contact);
	cr_expect_str_eq(rt(&res, 0)->contact->email,
	    "abuse@dns-owner.example");
	cr_expect(strstr(rt(&res, 0)->reason, " -> dns ") != NULL, "%s",
	    rt(&res, 0)->reason);
	report_free(&r);
}

Test(route_live, domain_goes_to_its_registrar)
{
	struct route_result res;
	struct report *r;

	rdap(HTTP_OK "{\"objectClassName\":\"domain\",\"ldhName\":"
	    "\"EXAMPLE.COM\",\"entities\":[{\"handle\":\"9999\",\"roles\":"
	    "[\"registrar\"],\"vcardArray\":[\"vcard\",[[\"fn\",{},\"text\","
	    "\"Registrar X\"]]],\"entities\":[{\"roles\":[\"abuse\"],"
	    "\"vcardArray\":[\"vcard\",[[\"email\",{},\"text\","
	    "\"abuse@registrar.example\"]]]}]}]}", 0, 1);
	hook();
	r = route1(FINDING_DOMAIN, "www.example.com", &res);
	cr_assert_not_null(rt(&res, 0)->contact, "%s", rt(&res, 0)->reason);
	cr_expect_str_eq(rt(&res, 0)->contact->email,
	    "abuse@registrar.example");
	cr_expect_eq(rt(&res, 0)->contact->kind, CONTACT_REGISTRAR);
	cr_expect_str_eq(rt(&res, 0)->contact->name, "Registrar X");
	/* the registrable domain is asked, not the host */
	cr_expect(strstr(srv->request, "GET /rdap/domain/example.com ") ==
	    srv->request, "%s", srv->request);
	report_free(&r);
}

Test(route_live, analyst_mapping_wins_and_nobody_is_asked)
{
	struct route_result res;
	struct report *r;

	rdap(HTTP_OK NET("NL", "abuse@example.net"), 0, 1);
	hook();
	r = route1(FINDING_IPV4, "31.3.4.5", &res);
	cr_assert_not_null(rt(&res, 0)->contact);
	cr_expect_str_eq(rt(&res, 0)->contact->id, "hoster-a");
	cr_expect_null(strstr(rt(&res, 0)->reason, "rdap"));
	cr_expect_eq(served(srv, 0), 0);
	cr_expect_eq(srv->request[0], '\0');
	cr_expect_eq(route_live_fetched(live), 0);
	report_free(&r);
}
