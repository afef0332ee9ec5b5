/*
 * test_lookup_dns.c: Team Cymru and Abusix TXT lookups against a loopback
 * UDP DNS server (dns_server set, so the host's resolver is never used).
 *
 * Reverse names (IPv4, IPv6 nibbles), origin + AS name + abuse contact,
 * NXDOMAIN, a silent server (bounded, retransmitted once), garbage and
 * truncated answers.
 */
#include "config.h"

#include <string.h>
#include <criterion/criterion.h>

#include "route/lookup.h"
#include "tests/lookup_servers.h"

static const char *const zone[] = {
	"77.2.0.192.origin.asn.cymru.com",
	"64500 | 192.0.2.0/24 | NL | ripencc | 2005-01-01\n"
	"64501 | 192.0.0.0/16 | NL | ripencc | 2001-01-01",
	"as64500.asn.cymru.com",
	"64500 | NL | ripencc | 2005-01-01 | HOSTER-AS Hoster A, NL",
	"77.2.0.192.abuse-contacts.abusix.zone", "abuse@hoster.example",
	"1.100.51.198.origin.asn.cymru.com",
	"64502 | 198.51.100.0/24 | GB | ripencc | 2010-01-01",
	"9.113.0.203.abuse-contacts.abusix.zone", "abuse@apnic.net",
	"1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2."
	    "origin6.asn.cymru.com",
	"64496 | 2001:db8::/32 | DE | ripencc | 2003-01-01",
	NULL,
};

static struct lookup_config cfg;
static struct lookup_answer ans;
static struct dsrv *srv;
static char *hp;

static void
setup(void)
{
	lookup_config_defaults(&cfg);
	cfg.dns_enabled = TRUE;
	cfg.dns_timeout_ms = 2000;
	memset(&ans, 0, sizeof(ans));
}

static void
teardown(void)
{
	lookup_answer_clear(&ans);
	dsrv_stop(&srv);
	g_free(hp);
}

TestSuite(lookup_dns, .init = setup, .fini = teardown, .timeout = 10);

static void
serve(enum dsrv_mode mode)
{
	srv = dsrv_start(mode, zone);
	hp = dsrv_hostport(srv);
	cfg.dns_server = hp;
}

Test(lookup_dns, reverse_names)
{
	struct netaddr a;
	char *n;

	cr_assert(netaddr_parse("192.0.2.77", 10, &a));
	n = lookup_dns_reverse_name(&a, "z.example");
	cr_expect_str_eq(n, "77.2.0.192.z.example");
	g_free(n);
	cr_assert(netaddr_parse("2001:db8::1", 11, &a));
	n = lookup_dns_reverse_name(&a, "origin6.asn.cymru.com");
	cr_expect_str_eq(n, "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0."
	    "8.b.d.0.1.0.0.2.origin6.asn.cymru.com");
	g_free(n);
}

Test(lookup_dns, origin_as_name_and_abuse_contact)
{
	GError *e = NULL;

	serve(DSRV_ANSWER);
	cr_assert_eq(lookup_dns_ip(&cfg, "192.0.2.77", &ans, &e), 1);
	cr_expect_null(e);
	cr_expect_str_eq(ans.asn, "64500");
	/* the most specific of the two prefixes */
	cr_expect_str_eq(ans.network, "192.0.2.0/24");
	cr_expect_str_eq(ans.country, "NL");
	cr_expect_str_eq(ans.as_name, "HOSTER-AS Hoster A, NL");
	cr_expect_str_eq(ans.abuse_email, "abuse@hoster.example");
	cr_expect_not(ans.catch_all);
	cr_expect_str_eq(ans.source, "dns");
	/* Abusix gives no range: the answer holds for this address only */
	cr_expect_eq(memcmp(ans.first.b, ans.last.b, 16), 0);
}

Test(lookup_dns, origin_only_caches_the_prefix)
{
	serve(DSRV_ANSWER);
	cr_assert_eq(lookup_dns_ip(&cfg, "198.51.100.1", &ans, NULL), 1);
	cr_expect_null(ans.abuse_email);
	cr_expect_str_eq(ans.asn, "64502");
	cr_expect_eq(ans.first.b[15], 0);
	cr_expect_eq(ans.last.b[15], 255);
}

Test(lookup_dns, ipv6_uses_origin6_and_nibbles)
{
	serve(DSRV_ANSWER);
	cr_assert_eq(lookup_dns_ip(&cfg, "2001:db8::1", &ans, NULL), 1);
	cr_expect_str_eq(ans.asn, "64496");
	cr_expect_str_eq(ans.network, "2001:db8::/32");
	cr_expect_str_eq(ans.country, "DE");
}

Test(lookup_dns, abusix_registry_address_is_catch_all)
{
	serve(DSRV_ANSWER);
	cr_assert_eq(lookup_dns_ip(&cfg, "203.0.113.9", &ans, NULL), 1);
	cr_expect_str_eq(ans.abuse_email, "abuse@apnic.net");
	cr_expect(ans.catch_all);
}

Test(lookup_dns, nxdomain_is_no_answer)
{
	GError *e = NULL;

	serve(DSRV_ANSWER);
	cr_expect_eq(lookup_dns_ip(&cfg, "192.0.2.1", &ans, &e), 0);
	cr_expect_null(e);
}

Test(lookup_dns, silent_server_returns_within_timeout)
{
	GError *e = NULL;
	gint64 t0;

	serve(DSRV_SILENT);
	cfg.dns_timeout_ms = 400;
	t0 = g_get_monotonic_time();
	cr_assert_eq(lookup_dns_ip(&cfg, "192.0.2.77", &ans, &e), -1);
	cr_expect_lt(elapsed_ms(t0), 2 * 400);
	cr_expect(g_error_matches(e, LOOKUP_ERROR, LOOKUP_ERROR_TIMEOUT));
	/* the first query retransmitted once; none left for the second */
	cr_expect_eq(g_atomic_int_get(&srv->queries), 2);
	g_clear_error(&e);
}

Test(lookup_dns, garbage_and_truncated_are_errors)
{
	GError *e = NULL;
	GPtrArray *txt = g_ptr_array_new_with_free_func(g_free);
	gint64 deadline = g_get_monotonic_time() + 1000 * 1000;

	serve(DSRV_GARBAGE);
	cr_assert_eq(lookup_dns_txt(&cfg, "x.example", deadline, txt, &e),
	    -1);
	cr_expect(g_error_matches(e, LOOKUP_ERROR, LOOKUP_ERROR_PROTOCOL));
	g_clear_error(&e);
	dsrv_stop(&srv);
	g_free(hp);
	serve(DSRV_TRUNCATED);
	cr_assert_eq(lookup_dns_txt(&cfg, "x.example", deadline, txt, &e),
	    -1);
	cr_expect(g_error_matches(e, LOOKUP_ERROR, LOOKUP_ERROR_PROTOCOL));
	cr_expect(strstr(e->message, "truncated") != NULL);
	g_clear_error(&e);
	cr_expect_eq(txt->len, 0);
	g_ptr_array_unref(txt);
}

Test(lookup_dns, long_txt_records_are_joined)
{
	static char big[700];
	const char *table[3] = { "long.example", big, NULL };
	GPtrArray *txt = g_ptr_array_new_with_free_func(g_free);
	gint64 deadline = g_get_monotonic_time() + 1000 * 1000;

	memset(big, 'a', sizeof(big) - 1);
	srv = dsrv_start(DSRV_ANSWER, table);
	hp = dsrv_hostport(srv);
	cfg.dns_server = hp;
	cr_assert_eq(lookup_dns_txt(&cfg, "LONG.example", deadline, txt,
	    NULL), 1);
	cr_expect_eq(strlen(g_ptr_array_index(txt, 0)), sizeof(big) - 1);
	g_ptr_array_unref(txt);
}
