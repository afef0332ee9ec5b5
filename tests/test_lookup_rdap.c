/*
 * test_lookup_rdap.c: RDAP lookups against a loopback HTTP server.
 *
 * Abuse contacts found in nested entities, registry catch-alls flagged,
 * 404 as "no answer", redirects and chunked bodies, and the failure
 * cases: a slow server (bounded by the timeout), a huge answer (bounded
 * by max_response), garbage, JSON nested too deep, nobody listening.
 * https against a loopback TLS server (tests/data/tls-*.pem): trusted
 * through ca_file, refused through the system's store, a handshake never
 * answered (bounded by the timeout), a CA file that is not there.
 */
#include "config.h"

#include <string.h>
#include <criterion/criterion.h>

#include "route/lookup.h"
#include "tests/lookup_servers.h"
#include "tests/helpers.h"

#define HTTP_OK	"HTTP/1.1 200 OK\r\n" \
	"Content-Type: application/rdap+json\r\nConnection: close\r\n\r\n"

static const char net_json[] =
    "{\"objectClassName\":\"ip network\",\"handle\":\"192.0.2.0 - "
    "192.0.2.255\",\"startAddress\":\"192.0.2.0\",\"endAddress\":"
    "\"192.0.2.255\",\"ipVersion\":\"v4\",\"name\":\"HOSTER-NET\","
    "\"country\":\"NL\",\"cidr0_cidrs\":[{\"v4prefix\":\"192.0.2.0\","
    "\"length\":24}],\"entities\":[{\"objectClassName\":\"entity\","
    "\"handle\":\"ORG-HA1\",\"roles\":[\"registrant\"],\"vcardArray\":"
    "[\"vcard\",[[\"version\",{},\"text\",\"4.0\"],[\"fn\",{},\"text\","
    "\"Hoster A\"]]],\"entities\":[{\"objectClassName\":\"entity\","
    "\"handle\":\"AR123-HA\",\"roles\":[\"abuse\"],\"vcardArray\":"
    "[\"vcard\",[[\"version\",{},\"text\",\"4.0\"],[\"email\",{},"
    "\"text\",\"abuse@hoster.example\"]]]}]}]}";

static const char catch_json[] =
    "{\"objectClassName\":\"ip network\",\"startAddress\":\"0.0.0.0\","
    "\"endAddress\":\"255.255.255.255\",\"name\":"
    "\"NON-RIPE-NCC-MANAGED-ADDRESS-BLOCK\",\"entities\":[{\"handle\":"
    "\"RIPE-NCC-MNT\",\"roles\":[\"abuse\"],\"vcardArray\":[\"vcard\","
    "[[\"email\",{},\"text\",\"abuse@ripe.net\"]]]}]}";

static struct lookup_config cfg;
static struct lookup_answer ans;
static struct tsrv *srv, *srv2;
static char *base, *ca, *cert, *key;

static void
setup(void)
{
	lookup_config_defaults(&cfg);
	cfg.rdap_enabled = TRUE;
	cfg.rdap_timeout_ms = 2000;
	memset(&ans, 0, sizeof(ans));
	ca = test_data_path("tls-ca.pem");
	cert = test_data_path("tls-server.pem");
	key = test_data_path("tls-server-key.pem");
}

static void
teardown(void)
{
	lookup_answer_clear(&ans);
	tsrv_stop(&srv);
	tsrv_stop(&srv2);
	g_free(base);
	g_free(ca);
	g_free(cert);
	g_free(key);
}

TestSuite(lookup_rdap, .init = setup, .fini = teardown, .timeout = 10);

/* serve - one server answering reply; cfg points at it */
static void
serve(const char *reply, guint delay_ms, gsize flood)
{
	srv = tsrv_start(TRUE, reply, delay_ms, flood, 1);
	base = g_strdup_printf("http://127.0.0.1:%u/rdap/", srv->port);
	cfg.rdap_base = base;
}

Test(lookup_rdap, abuse_contact_found_in_nested_entity)
{
	GError *e = NULL;
	char *reply = g_strconcat(HTTP_OK, net_json, NULL);

	serve(reply, 0, 0);
	g_free(reply);
	cr_assert_eq(lookup_rdap_ip(&cfg, "192.0.2.77", &ans, &e), 1);
	cr_assert_null(e);
	cr_expect(strstr(srv->request, "GET /rdap/ip/192.0.2.77 HTTP/1.1\r\n")
	    == srv->request);
	cr_expect(strstr(srv->request, "Connection: close\r\n") != NULL);
	cr_expect_str_eq(ans.abuse_email, "abuse@hoster.example");
	cr_expect_str_eq(ans.handle, "AR123-HA");
	cr_expect_str_eq(ans.network, "192.0.2.0/24");
	cr_expect_str_eq(ans.name, "HOSTER-NET");
	cr_expect_str_eq(ans.country, "NL");
	cr_expect_str_eq(ans.source, "rdap");
	cr_expect_not(ans.catch_all);
	cr_expect(ans.has_range && ans.first.v4 && ans.first.b[15] == 0 &&
	    ans.last.b[15] == 255 && ans.last.b[14] == 2);
	cr_expect(strstr(ans.detail, "abuse@hoster.example") != NULL);
}

Test(lookup_rdap, registry_catch_all_is_flagged_not_owner)
{
	GError *e = NULL;
	char *reply = g_strconcat(HTTP_OK, catch_json, NULL);

	serve(reply, 0, 0);
	cr_assert_eq(lookup_rdap_ip(&cfg, "198.51.100.7", &ans, &e), 1);
	cr_expect_str_eq(ans.abuse_email, "abuse@ripe.net");
	cr_expect(ans.catch_all);
	cr_expect(strstr(ans.detail, "catch-all") != NULL);
	/* cached for the queried address only, never the whole space */
	cr_expect_eq(memcmp(ans.first.b, ans.last.b, 16), 0);
	g_free(reply);
}

Test(lookup_rdap, catch_all_by_configured_handle)
{
	char *json = g_strconcat(HTTP_OK, net_json, NULL);

	cfg.catch_all_handles = "AR123-HA";
	serve(json, 0, 0);
	cr_assert_eq(lookup_rdap_ip(&cfg, "192.0.2.1", &ans, NULL), 1);
	cr_expect(ans.catch_all);
	g_free(json);
}

Test(lookup_rdap, not_found_is_no_answer)
{
	GError *e = NULL;

	serve("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n", 0, 0);
	cr_expect_eq(lookup_rdap_ip(&cfg, "192.0.2.1", &ans, &e), 0);
	cr_expect_null(e);
}

Test(lookup_rdap, slow_server_returns_within_timeout)
{
	GError *e = NULL;
	gint64 t0;

	serve(HTTP_OK "{}", 5000, 0);
	cfg.rdap_timeout_ms = 300;
	t0 = g_get_monotonic_time();
	cr_assert_eq(lookup_rdap_ip(&cfg, "192.0.2.1", &ans, &e), -1);
	cr_expect_lt(elapsed_ms(t0), 2 * 300);
	cr_assert(g_error_matches(e, LOOKUP_ERROR, LOOKUP_ERROR_TIMEOUT),
	    "%s", e->message);
	g_error_free(e);
}

Test(lookup_rdap, huge_answer_is_cut_with_a_clean_error)
{
	GError *e = NULL;
	gint64 t0 = g_get_monotonic_time();

	serve(HTTP_OK "{\"name\":\"", 0, 50 * 1024 * 1024);
	cfg.max_response = 256 * 1024;
	cr_assert_eq(lookup_rdap_ip(&cfg, "192.0.2.1", &ans, &e), -1);
	cr_assert(g_error_matches(e, LOOKUP_ERROR, LOOKUP_ERROR_TOO_LARGE),
	    "%s", e->message);
	cr_expect_lt(elapsed_ms(t0), 2000);
	g_error_free(e);
}

Test(lookup_rdap, garbage_is_a_protocol_error)
{
	GError *e = NULL;

	serve("\x01\x02 not http at all\r\n\r\n", 0, 0);
	cr_assert_eq(lookup_rdap_ip(&cfg, "192.0.2.1", &ans, &e), -1);
	cr_expect(g_error_matches(e, LOOKUP_ERROR, LOOKUP_ERROR_PROTOCOL));
	g_clear_error(&e);
	tsrv_stop(&srv);
	g_free(base);
	serve(HTTP_OK "{\"startAddress\": [1, 2,", 0, 0);
	cr_assert_eq(lookup_rdap_ip(&cfg, "192.0.2.1", &ans, &e), -1);
	cr_expect(g_error_matches(e, LOOKUP_ERROR, LOOKUP_ERROR_PROTOCOL));
	g_clear_error(&e);
}

Test(lookup_rdap, deep_json_is_refused_before_parsing)
{
	GString *s = g_string_new(HTTP_OK);
	GError *e = NULL;
	guint i;

	for (i = 0; i < 100000; i++)
		g_string_append_c(s, '[');
	serve(s->str, 0, 0);
	cr_assert_eq(lookup_rdap_ip(&cfg, "192.0.2.1", &ans, &e), -1);
	cr_expect(g_error_matches(e, LOOKUP_ERROR, LOOKUP_ERROR_PROTOCOL));
	g_clear_error(&e);
	g_string_free(s, TRUE);
}

Test(lookup_rdap, redirect_and_chunked_body_are_followed)
{
	GString *r = g_string_new("HTTP/1.1 200 OK\r\n"
	    "Transfer-Encoding: chunked\r\n\r\n");
	char *loc;
	gsize half = strlen(net_json) / 2;

	g_string_append_printf(r, "%zx\r\n%.*s\r\n", half, (int)half,
	    net_json);
	g_string_append_printf(r, "%zx\r\n%s\r\n0\r\n\r\n",
	    strlen(net_json) - half, net_json + half);
	srv2 = tsrv_start(TRUE, r->str, 0, 0, 1);
	loc = g_strdup_printf("HTTP/1.1 301 Moved\r\nLocation: "
	    "http://127.0.0.1:%u/registry/ip/192.0.2.9\r\n\r\n", srv2->port);
	serve(loc, 0, 0);
	cr_assert_eq(lookup_rdap_ip(&cfg, "192.0.2.9", &ans, NULL), 1);
	cr_expect_str_eq(ans.abuse_email, "abuse@hoster.example");
	cr_expect(strstr(srv2->request, "GET /registry/ip/192.0.2.9 ") ==
	    srv2->request);
	g_free(loc);
	g_string_free(r, TRUE);
}

Test(lookup_rdap, domain_abuse_contact_under_registrar)
{
	char *reply = g_strconcat(HTTP_OK, "{\"objectClassName\":\"domain\","
	    "\"ldhName\":\"EXAMPLE.COM\",\"entities\":[{\"handle\":\"9999\","
	    "\"roles\":[\"registrar\"],\"vcardArray\":[\"vcard\",[[\"fn\",{},"
	    "\"text\",\"Registrar X\"]]],\"entities\":[{\"roles\":[\"abuse\"],"
	    "\"vcardArray\":[\"vcard\",[[\"email\",{},\"text\","
	    "\"abuse@registrar.example\"]]]}]}]}", NULL);

	serve(reply, 0, 0);
	cr_assert_eq(lookup_rdap_domain(&cfg, "Example.COM", &ans, NULL), 1);
	cr_expect(strstr(srv->request, "GET /rdap/domain/Example.COM ") ==
	    srv->request);
	cr_expect_str_eq(ans.abuse_email, "abuse@registrar.example");
	cr_expect_str_eq(ans.name, "Registrar X");
	cr_expect_str_eq(ans.network, "example.com");
	lookup_answer_clear(&ans);
	cr_expect_eq(lookup_rdap_domain(&cfg, "bad name/..", &ans, NULL), -1);
	g_free(reply);
}

Test(lookup_rdap, nobody_listening_is_an_io_error)
{
	GError *e = NULL;
	guint16 port;

	serve(NULL, 0, 0);
	port = srv->port;
	tsrv_stop(&srv);
	g_free(base);
	base = g_strdup_printf("http://127.0.0.1:%u", port);
	cfg.rdap_base = base;
	cr_assert_eq(lookup_rdap_ip(&cfg, "192.0.2.1", &ans, &e), -1);
	cr_expect(g_error_matches(e, LOOKUP_ERROR, LOOKUP_ERROR_IO));
	g_clear_error(&e);
}

Test(lookup_rdap, https_fails_cleanly_when_gio_has_no_tls)
{
	GError *e = NULL;
	gint64 t0 = g_get_monotonic_time();

	serve(NULL, 0, 0);
	g_free(base);
	base = g_strdup_printf("https://127.0.0.1:%u", srv->port);
	cfg.rdap_base = base;
	cfg.rdap_timeout_ms = 500;
	/* glib-networking or not, the server speaks no TLS: a clean -1 */
	cr_assert_eq(lookup_rdap_ip(&cfg, "192.0.2.1", &ans, &e), -1);
	cr_expect_not_null(e);
	cr_expect_lt(elapsed_ms(t0), 2 * 500);
	g_clear_error(&e);
}

/* serve_tls - one TLS server answering reply; cfg's base is https */
static void
serve_tls(const char *reply)
{
	srv = tsrv_start_tls(cert, key, reply, 1);
	base = g_strdup_printf("https://127.0.0.1:%u/rdap/", srv->port);
	cfg.rdap_base = base;
}

Test(lookup_rdap, https_with_private_ca_finds_the_abuse_contact)
{
	GError *e = NULL;
	char *reply = g_strconcat(HTTP_OK, net_json, NULL);

	serve_tls(reply);
	cfg.ca_file = ca;
	cr_assert_eq(lookup_rdap_ip(&cfg, "192.0.2.77", &ans, &e), 1, "%s",
	    e != NULL ? e->message : "");
	cr_expect_eq(g_atomic_int_get(&srv->handshakes), 1);
	cr_expect(strstr(srv->request, "GET /rdap/ip/192.0.2.77 HTTP/1.1\r\n")
	    == srv->request);
	cr_expect_str_eq(ans.abuse_email, "abuse@hoster.example");
	cr_expect_str_eq(ans.network, "192.0.2.0/24");
	cr_expect_not(ans.catch_all);
	cr_expect(strstr(ans.detail, "https://127.0.0.1:") != NULL);
	g_free(reply);
}

Test(lookup_rdap, https_untrusted_certificate_fails_cleanly)
{
	GError *e = NULL;
	char *reply = g_strconcat(HTTP_OK, net_json, NULL);
	gint64 t0;

	serve_tls(reply);
	/* no ca_file: the system's trust store knows nothing of the test CA */
	cfg.rdap_timeout_ms = 2000;
	t0 = g_get_monotonic_time();
	cr_assert_eq(lookup_rdap_ip(&cfg, "192.0.2.77", &ans, &e), -1);
	cr_expect_lt(elapsed_ms(t0), 2000);
	cr_assert_not_null(e);
	cr_expect(g_error_matches(e, LOOKUP_ERROR, LOOKUP_ERROR_IO), "%s",
	    e->message);
	cr_expect(strstr(e->message, "certificate") != NULL, "%s",
	    e->message);
	cr_expect_null(ans.abuse_email);
	g_clear_error(&e);
	g_free(reply);
}

Test(lookup_rdap, https_handshake_never_answered_is_bounded)
{
	GError *e = NULL;
	gint64 t0;

	/* accepts TCP, reads the ClientHello, says nothing for 5 s */
	serve(NULL, 5000, 0);
	g_free(base);
	base = g_strdup_printf("https://127.0.0.1:%u/rdap/", srv->port);
	cfg.rdap_base = base;
	cfg.ca_file = ca;
	cfg.rdap_timeout_ms = 300;
	t0 = g_get_monotonic_time();
	cr_assert_eq(lookup_rdap_ip(&cfg, "192.0.2.1", &ans, &e), -1);
	cr_expect_lt(elapsed_ms(t0), 2 * 300);
	cr_assert(g_error_matches(e, LOOKUP_ERROR, LOOKUP_ERROR_TIMEOUT),
	    "%s", e->message);
	/* it was the handshake that hung: a TLS record reached the server */
	cr_expect_eq((guint8)srv->request[0], 0x16);
	g_clear_error(&e);
}

Test(lookup_rdap, https_missing_ca_file_is_a_config_error)
{
	GError *e = NULL;

	serve_tls(HTTP_OK "{}");
	cfg.ca_file = "/nonexistent/abusedesk-test-ca.pem";
	cr_assert_eq(lookup_rdap_ip(&cfg, "192.0.2.1", &ans, &e), -1);
	cr_assert(g_error_matches(e, LOOKUP_ERROR, LOOKUP_ERROR_CONFIG),
	    "%s", e->message);
	cr_expect(strstr(e->message, "/nonexistent/abusedesk-test-ca.pem") !=
	    NULL, "%s", e->message);
	cr_expect_eq(g_atomic_int_get(&srv->served), 0);
	g_clear_error(&e);
}
