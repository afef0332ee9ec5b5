/*
 * test_lookup_whois.c: whois lookups against loopback port-43 servers.
 *
 * RIPE and ARIN answer styles, registry catch-alls, referrals followed
 * (and not beyond the limit), a slow server, a huge answer and garbage.
 */
#include "config.h"

#include <string.h>
#include <criterion/criterion.h>

#include "route/lookup.h"
#include "tests/lookup_servers.h"

static const char ripe[] =
    "% This is the RIPE Database query service.\r\n"
    "% Abuse contact for '192.0.2.0 - 192.0.2.255' is "
    "'abuse@hoster.example'\r\n\r\n"
    "inetnum:        192.0.2.0 - 192.0.2.255\r\n"
    "netname:        HOSTER-NET\r\n"
    "country:        NL\r\n"
    "abuse-c:        AR1-RIPE\r\n"
    "\r\n% Information related to '192.0.2.0/24AS64500'\r\n"
    "route:          192.0.2.0/24\r\n"
    "origin:         AS64500\r\n";

static const char arin[] =
    "NetRange:       198.51.0.0 - 198.51.255.255\n"
    "CIDR:           198.51.0.0/16\n"
    "NetName:        BIG-ISP\n"
    "Country:        US\n"
    "\n"
    "NetRange:       198.51.100.0 - 198.51.100.127\n"
    "CIDR:           198.51.100.0/25\n"
    "NetName:        CUSTOMER-1\n"
    "OrgAbuseEmail:  abuse@customer.example\n";

static struct lookup_config cfg;
static struct lookup_answer ans;
static struct tsrv *srv, *srv2;
static char *hp;

static void
setup(void)
{
	lookup_config_defaults(&cfg);
	cfg.whois_enabled = TRUE;
	cfg.whois_timeout_ms = 2000;
	memset(&ans, 0, sizeof(ans));
}

static void
teardown(void)
{
	lookup_answer_clear(&ans);
	tsrv_stop(&srv);
	tsrv_stop(&srv2);
	g_free(hp);
}

TestSuite(lookup_whois, .init = setup, .fini = teardown, .timeout = 10);

static void
serve(const char *reply, guint delay_ms, gsize flood)
{
	srv = tsrv_start(FALSE, reply, delay_ms, flood, 1);
	hp = tsrv_hostport(srv);
	cfg.whois_server = hp;
}

Test(lookup_whois, ripe_abuse_contact_comment_and_inetnum)
{
	GError *e = NULL;

	serve(ripe, 0, 0);
	cr_assert_eq(lookup_whois_ip(&cfg, "192.0.2.77", &ans, &e), 1);
	cr_expect_str_eq(srv->request, "192.0.2.77\r\n");
	cr_expect_str_eq(ans.abuse_email, "abuse@hoster.example");
	cr_expect_str_eq(ans.network, "192.0.2.0 - 192.0.2.255");
	cr_expect_str_eq(ans.country, "NL");
	cr_expect_str_eq(ans.name, "HOSTER-NET");
	cr_expect_str_eq(ans.asn, "64500");
	cr_expect_str_eq(ans.source, "whois");
	cr_expect_not(ans.catch_all);
	cr_expect(ans.first.b[15] == 0 && ans.last.b[15] == 255);
}

Test(lookup_whois, arin_most_specific_range_wins)
{
	serve(arin, 0, 0);
	cr_assert_eq(lookup_whois_ip(&cfg, "198.51.100.5", &ans, NULL), 1);
	cr_expect_str_eq(ans.abuse_email, "abuse@customer.example");
	cr_expect_str_eq(ans.network, "198.51.100.0 - 198.51.100.127");
	cr_expect_eq(ans.last.b[15], 127);
	cr_expect_eq(ans.last.b[14], 100);
}

Test(lookup_whois, abuse_mailbox_of_registry_is_catch_all)
{
	serve("inetnum: 203.0.113.0 - 203.0.113.255\n"
	    "abuse-mailbox: Abuse@RIPE.net\n", 0, 0);
	cr_assert_eq(lookup_whois_ip(&cfg, "203.0.113.1", &ans, NULL), 1);
	cr_expect(ans.catch_all);
	cr_expect(strstr(ans.detail, "catch-all") != NULL);
}

Test(lookup_whois, referral_is_followed)
{
	char *ref;

	srv2 = tsrv_start(FALSE, arin, 0, 0, 1);
	ref = g_strdup_printf("ReferralServer:  whois://127.0.0.1:%u\n"
	    "NetRange: 198.0.0.0 - 198.255.255.255\n", srv2->port);
	serve(ref, 0, 0);
	cr_assert_eq(lookup_whois_ip(&cfg, "198.51.100.5", &ans, NULL), 1);
	cr_expect_str_eq(srv2->request, "198.51.100.5\r\n");
	cr_expect_str_eq(ans.abuse_email, "abuse@customer.example");
	cr_expect(strstr(ans.detail, " -> 127.0.0.1:") != NULL, "%s",
	    ans.detail);
	g_free(ref);
}

Test(lookup_whois, iana_refer_line_and_referral_limit)
{
	char *ref;

	srv2 = tsrv_start(FALSE, ripe, 0, 0, 1);
	ref = g_strdup_printf("refer:        127.0.0.1:%u\n\n"
	    "inetnum:      192.0.0.0 - 192.255.255.255\n", srv2->port);
	serve(ref, 0, 0);
	cfg.whois_referrals = 0;
	cr_assert_eq(lookup_whois_ip(&cfg, "192.0.2.1", &ans, NULL), 1);
	cr_expect_null(ans.abuse_email);
	cr_expect_eq(g_atomic_int_get(&srv2->served), 0);
	lookup_answer_clear(&ans);
	tsrv_stop(&srv);
	g_free(hp);
	serve(ref, 0, 0);
	cfg.whois_referrals = 1;
	cr_assert_eq(lookup_whois_ip(&cfg, "192.0.2.1", &ans, NULL), 1);
	cr_expect_str_eq(ans.abuse_email, "abuse@hoster.example");
	g_free(ref);
}

Test(lookup_whois, slow_server_returns_within_timeout)
{
	GError *e = NULL;
	gint64 t0;

	serve(ripe, 5000, 0);
	cfg.whois_timeout_ms = 300;
	t0 = g_get_monotonic_time();
	cr_assert_eq(lookup_whois_ip(&cfg, "192.0.2.1", &ans, &e), -1);
	cr_expect_lt(elapsed_ms(t0), 2 * 300);
	cr_expect(g_error_matches(e, LOOKUP_ERROR, LOOKUP_ERROR_TIMEOUT));
	g_clear_error(&e);
}

Test(lookup_whois, slow_referral_shares_the_deadline)
{
	char *ref;
	gint64 t0;

	srv2 = tsrv_start(FALSE, arin, 5000, 0, 1);
	ref = g_strdup_printf("ReferralServer: whois://127.0.0.1:%u\n"
	    "inetnum: 198.51.0.0 - 198.51.255.255\ncountry: US\n",
	    srv2->port);
	serve(ref, 0, 0);
	cfg.whois_timeout_ms = 600;
	t0 = g_get_monotonic_time();
	/* the first answer stands; the referral ran out of time */
	cr_assert_eq(lookup_whois_ip(&cfg, "198.51.100.5", &ans, NULL), 1);
	cr_expect_lt(elapsed_ms(t0), 2 * 600);
	cr_expect_str_eq(ans.country, "US");
	cr_expect(strstr(ans.detail, "(no answer)") != NULL);
	g_free(ref);
}

Test(lookup_whois, huge_answer_is_cut_with_a_clean_error)
{
	GError *e = NULL;

	serve("inetnum: ", 0, 50 * 1024 * 1024);
	cfg.max_response = 64 * 1024;
	cr_assert_eq(lookup_whois_ip(&cfg, "192.0.2.1", &ans, &e), -1);
	cr_expect(g_error_matches(e, LOOKUP_ERROR, LOOKUP_ERROR_TOO_LARGE));
	g_clear_error(&e);
}

Test(lookup_whois, garbage_is_no_answer)
{
	GError *e = NULL;

	serve("\x01\xff\xfe:::\n%%%\nabuse-mailbox:\ninetnum: 1 - 2\n"
	    "CIDR: zzz/99\nReferralServer: rwhois://x:4321\n", 0, 0);
	cr_expect_eq(lookup_whois_ip(&cfg, "192.0.2.1", &ans, &e), 0);
	cr_expect_null(e);
}
