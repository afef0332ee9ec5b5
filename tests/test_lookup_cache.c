/*
 * test_lookup_cache.c: the per-range answer cache and lookup_ip(), the
 * ladder's entry point.
 *
 * Hits within the TTL, misses after expiry, range containment and the
 * most specific range, sources kept apart, eviction, the DB row form;
 * lookup_ip() answering from the cache, falling through a slow source
 * within its timeout, preferring an owner contact to a catch-all, and
 * failing (-1) only when every source failed.
 */
#include "config.h"

#include <string.h>
#include <criterion/criterion.h>

#include "route/lookup.h"
#include "tests/lookup_servers.h"

static struct lookup_cache *cache;
static struct lookup_answer ans;

static void
setup(void)
{
	cache = lookup_cache_new(0);
	memset(&ans, 0, sizeof(ans));
}

static void
teardown(void)
{
	lookup_answer_clear(&ans);
	lookup_cache_free(&cache);
}

TestSuite(lookup_cache, .init = setup, .fini = teardown, .timeout = 10);

/* put - an answer of source for cidr with email, cached at now for ttl */
static void
put(const char *source, const char *cidr, const char *email, gint64 now,
    guint ttl)
{
	struct lookup_answer a;
	guint plen, i;

	memset(&a, 0, sizeof(a));
	cr_assert(netaddr_parse_cidr(cidr, &a.first, &plen, FALSE));
	a.last = a.first;
	for (i = plen; i < 128; i++)
		a.last.b[i / 8] |= 0x80 >> (i % 8);
	a.has_range = TRUE;
	a.source = g_strdup(source);
	a.network = g_strdup(cidr);
	a.abuse_email = g_strdup(email);
	lookup_cache_put(cache, &a, now, ttl);
	lookup_answer_clear(&a);
}

static int
get(const char *source, const char *ip, gint64 now)
{
	struct netaddr a;

	lookup_answer_clear(&ans);
	cr_assert(netaddr_parse(ip, strlen(ip), &a));
	return lookup_cache_get(cache, source, &a, now, &ans);
}

Test(lookup_cache, hit_within_ttl_miss_after_expiry)
{
	put("rdap", "192.0.2.0/24", "abuse@a.example", 1000, 60);
	cr_assert_eq(get("rdap", "192.0.2.77", 1000), 1);
	cr_expect_str_eq(ans.abuse_email, "abuse@a.example");
	cr_expect_eq(get("rdap", "192.0.2.77", 1059), 1);
	cr_expect_eq(get("rdap", "192.0.2.77", 1060), 0);
	/* the expired entry is dropped on the way */
	cr_expect_eq(lookup_cache_size(cache), 0);
}

Test(lookup_cache, range_containment_and_most_specific)
{
	put("whois", "198.51.0.0/16", "abuse@isp.example", 0, 60);
	put("whois", "198.51.100.0/25", "abuse@customer.example", 0, 60);
	put("whois", "2001:db8::/32", "abuse@v6.example", 0, 60);
	cr_assert_eq(get("whois", "198.51.100.5", 1), 1);
	cr_expect_str_eq(ans.abuse_email, "abuse@customer.example");
	cr_assert_eq(get("whois", "198.51.100.200", 1), 1);
	cr_expect_str_eq(ans.abuse_email, "abuse@isp.example");
	cr_expect_eq(get("whois", "198.52.0.1", 1), 0);
	cr_expect_eq(get("whois", "192.0.2.1", 1), 0);
	cr_assert_eq(get("whois", "2001:db8:ffff::1", 1), 1);
	cr_expect_str_eq(ans.abuse_email, "abuse@v6.example");
	cr_expect_eq(get("whois", "2001:db9::1", 1), 0);
	/* ::ffff:198.51.100.5 is the IPv4 address, not a v6 one */
	cr_expect_eq(get("whois", "::ffff:198.51.100.5", 1), 1);
}

Test(lookup_cache, sources_are_kept_apart)
{
	put("dns", "192.0.2.0/24", "abuse@dns.example", 0, 60);
	cr_expect_eq(get("rdap", "192.0.2.1", 1), 0);
	cr_expect_eq(get("dns", "192.0.2.1", 1), 1);
}

Test(lookup_cache, full_cache_drops_what_expires_first)
{
	lookup_cache_free(&cache);
	cache = lookup_cache_new(2);
	put("rdap", "192.0.2.0/24", "a@x.example", 0, 10);
	put("rdap", "198.51.100.0/24", "b@x.example", 0, 100);
	put("rdap", "203.0.113.0/24", "c@x.example", 0, 50);
	cr_expect_eq(lookup_cache_size(cache), 2);
	cr_expect_eq(get("rdap", "192.0.2.1", 1), 0);
	cr_expect_eq(get("rdap", "198.51.100.1", 1), 1);
	cr_expect_eq(get("rdap", "203.0.113.1", 1), 1);
}

static void
collect(const struct lookup_cache_row *row, void *data)
{
	struct lookup_cache *to = data;

	cr_assert(lookup_cache_import(to, row, 5, NULL));
	cr_expect_str_eq(row->first_ip, "192.0.2.0");
	cr_expect_str_eq(row->last_ip, "192.0.2.255");
	cr_expect_eq(row->expires_at, 60);
}

Test(lookup_cache, rows_export_and_import)
{
	struct lookup_cache *to = lookup_cache_new(0);
	struct lookup_cache_row bad = { "rdap", "192.0.2.9", "192.0.2.1",
	    "{}", 0, 100 };
	struct lookup_cache_row gone = { "rdap", "x", "y", "junk", 0, 3 };
	GError *e = NULL;

	put("rdap", "192.0.2.0/24", "abuse@a.example", 0, 60);
	put("rdap", "198.51.100.0/24", "abuse@old.example", 0, 2);
	lookup_cache_export(cache, 5, collect, to);
	lookup_cache_free(&cache);
	cache = to;
	cr_expect_eq(lookup_cache_size(cache), 1);
	cr_assert_eq(get("rdap", "192.0.2.200", 6), 1);
	cr_expect_str_eq(ans.abuse_email, "abuse@a.example");
	cr_expect_str_eq(ans.network, "192.0.2.0/24");
	cr_expect_not(lookup_cache_import(cache, &bad, 5, &e));
	cr_expect(g_error_matches(e, LOOKUP_ERROR, LOOKUP_ERROR_PROTOCOL));
	g_clear_error(&e);
	/* an expired row is skipped before it is even parsed */
	cr_expect(lookup_cache_import(cache, &gone, 5, NULL));
}

#define HTTP_OK	"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n"
#define NET(email) "{\"objectClassName\":\"ip network\",\"startAddress\":" \
	"\"192.0.2.0\",\"endAddress\":\"192.0.2.255\",\"entities\":[{" \
	"\"roles\":[\"abuse\"],\"vcardArray\":[\"vcard\",[[\"email\",{}," \
	"\"text\",\"" email "\"]]]}]}"

Test(lookup_cache, lookup_ip_answers_from_cache_for_the_range)
{
	struct lookup_config cfg;
	struct tsrv *s = tsrv_start(TRUE, HTTP_OK NET("abuse@h.example"), 0,
	    0, 1);
	char *base = g_strdup_printf("http://127.0.0.1:%u", s->port);

	lookup_config_defaults(&cfg);
	cfg.rdap_enabled = TRUE;
	cfg.rdap_base = base;
	cfg.rdap_timeout_ms = 2000;
	cr_assert_eq(lookup_ip(&cfg, cache, "192.0.2.1", &ans, NULL), 1);
	lookup_answer_clear(&ans);
	/* the server answers once; the second address is in the range */
	cr_assert_eq(lookup_ip(&cfg, cache, "192.0.2.250", &ans, NULL), 1);
	cr_expect_str_eq(ans.abuse_email, "abuse@h.example");
	/* the server thread counts a request after it has answered it:
	 * give it a moment, then there must be exactly one */
	{
		guint waited;

		for (waited = 0; waited < 2000 &&
		    g_atomic_int_get(&s->served) < 1; waited += 10)
			g_usleep(10 * 1000);
	}
	cr_expect_eq(g_atomic_int_get(&s->served), 1);
	tsrv_stop(&s);
	g_free(base);
}

Test(lookup_cache, lookup_ip_falls_through_slow_source_to_owner_contact)
{
	struct lookup_config cfg;
	struct tsrv *slow = tsrv_start(TRUE, HTTP_OK "{}", 5000, 0, 1);
	struct tsrv *w = tsrv_start(FALSE, "inetnum: 192.0.2.0 - "
	    "192.0.2.255\nabuse-mailbox: abuse@owner.example\n", 0, 0, 1);
	char *base = g_strdup_printf("http://127.0.0.1:%u", slow->port);
	char *whois = tsrv_hostport(w);
	gint64 t0 = g_get_monotonic_time();

	lookup_config_defaults(&cfg);
	cfg.rdap_enabled = cfg.whois_enabled = TRUE;
	cfg.rdap_base = base;
	cfg.rdap_timeout_ms = 300;
	cfg.whois_server = whois;
	cfg.whois_timeout_ms = 1000;
	cr_assert_eq(lookup_ip(&cfg, NULL, "192.0.2.1", &ans, NULL), 1);
	cr_expect_lt(elapsed_ms(t0), 2 * 300 + 500);
	cr_expect_str_eq(ans.source, "whois");
	cr_expect_str_eq(ans.abuse_email, "abuse@owner.example");
	tsrv_stop(&slow);
	tsrv_stop(&w);
	g_free(base);
	g_free(whois);
}

Test(lookup_cache, lookup_ip_prefers_owner_to_catch_all)
{
	struct lookup_config cfg;
	struct tsrv *r = tsrv_start(TRUE, HTTP_OK NET("abuse@ripe.net"), 0,
	    0, 1);
	struct tsrv *w = tsrv_start(FALSE,
	    "OrgAbuseEmail: abuse@owner.example\n", 0, 0, 1);
	char *base = g_strdup_printf("http://127.0.0.1:%u", r->port);
	char *whois = tsrv_hostport(w);

	lookup_config_defaults(&cfg);
	cfg.rdap_enabled = cfg.whois_enabled = TRUE;
	cfg.rdap_base = base;
	cfg.whois_server = whois;
	cr_assert_eq(lookup_ip(&cfg, cache, "192.0.2.1", &ans, NULL), 1);
	cr_expect_str_eq(ans.abuse_email, "abuse@owner.example");
	cr_expect_not(ans.catch_all);
	tsrv_stop(&r);
	tsrv_stop(&w);
	/* with whois gone, the cached catch-all is the best there is */
	cfg.whois_enabled = FALSE;
	lookup_answer_clear(&ans);
	cr_assert_eq(lookup_ip(&cfg, cache, "192.0.2.1", &ans, NULL), 1);
	cr_expect(ans.catch_all);
	g_free(base);
	g_free(whois);
}

Test(lookup_cache, lookup_ip_fails_only_when_every_source_failed)
{
	struct lookup_config cfg;
	struct tsrv *s = tsrv_start(FALSE, NULL, 0, 0, 1);
	char *dead = tsrv_hostport(s);
	GError *e = NULL;

	tsrv_stop(&s);
	lookup_config_defaults(&cfg);
	cr_expect_eq(lookup_ip(&cfg, cache, "192.0.2.1", &ans, &e), 0);
	cfg.whois_enabled = TRUE;
	cfg.whois_server = dead;
	cr_expect_eq(lookup_ip(&cfg, cache, "192.0.2.1", &ans, &e), -1);
	cr_expect(g_error_matches(e, LOOKUP_ERROR, LOOKUP_ERROR_IO));
	g_clear_error(&e);
	g_free(dead);
}

Test(lookup_cache, answer_json_round_trip)
{
	struct lookup_answer a = { 0 };
	char *json;

	a.abuse_email = g_strdup("abuse@x.example");
	a.as_name = g_strdup("AS \"quoted\" name");
	a.catch_all = TRUE;
	json = lookup_answer_to_json(&a);
	cr_assert(lookup_answer_from_json(json, &ans, NULL));
	cr_expect_str_eq(ans.abuse_email, "abuse@x.example");
	cr_expect_str_eq(ans.as_name, "AS \"quoted\" name");
	cr_expect(ans.catch_all);
	cr_expect_null(ans.network);
	lookup_answer_clear(&a);
	cr_expect_not(lookup_answer_from_json("[1]", &a, NULL));
	g_free(json);
}
