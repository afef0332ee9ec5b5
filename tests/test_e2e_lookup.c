/*
 * test_e2e_lookup.c: live lookups through the built programs: with
 * `[lookup] rdap = true` pointing at a loopback RDAP server, a report
 * about an address no table maps becomes a takedown to the RDAP abuse
 * address, the route's reason says rdap and the answer is kept in the
 * case DB's lookup_cache; a second report about the same range, with the
 * server gone, goes to the same contact from that cache.  `route
 * explain` uses the same cache, and --offline does without.  Over https,
 * `[lookup] ca_file` is what makes a private CA's server trusted.
 */
#include "config.h"

#include <criterion/criterion.h>
#include <glib.h>
#include <string.h>

#include "tests/helpers.h"
#include "tests/tools_e2e.h"
#include "tests/lookup_servers.h"

#define HTTP_OK	"HTTP/1.1 200 OK\r\n" \
	"Content-Type: application/rdap+json\r\nConnection: close\r\n\r\n"
/* 37.120.5.0/24: no prefix of data/networks.csv, no mapped AS; DE */
#define NET_JSON "{\"objectClassName\":\"ip network\"," \
	"\"startAddress\":\"37.120.5.0\",\"endAddress\":\"37.120.5.255\"," \
	"\"name\":\"TC-EXAMPLE-NET\",\"country\":\"DE\",\"entities\":[{" \
	"\"handle\":\"AB1-TC\",\"roles\":[\"abuse\"],\"vcardArray\":" \
	"[\"vcard\",[[\"email\",{},\"text\",\"abuse@tc-example.de\"]]]}]}"

static struct tsrv *srv;

static void
setup(void)
{
	char *extra;

	home = test_tmpdir();
	srv = tsrv_start(TRUE, HTTP_OK NET_JSON, 0, 0, 2);
	/* window = 0: every message renders its takedown at once */
	extra = g_strdup_printf("window = 0\n[lookup]\nrdap = true\n"
	    "rdap_base = http://127.0.0.1:%u\nrdap_timeout_ms = 2000\n",
	    srv->port);
	write_config(extra);
	g_free(extra);
	cr_assert_eq(ad("init", NULL, NULL, NULL), 0);
}

static void
teardown(void)
{
	tsrv_stop(&srv);
	test_rm_rf(home);
	g_free(home);
}

TestSuite(e2e_lookup, .init = setup, .fini = teardown, .timeout = 60);

/* report_about - the SSH fixture about ip instead (a new file under
 * home, g_free) */
static char *
report_about(const char *ip, const char *tag)
{
	char *fx = test_data_path("e2e-ssh.eml"), *text = NULL, *out, *path;
	char **parts;

	cr_assert(g_file_get_contents(fx, &text, NULL, NULL));
	parts = g_strsplit(text, "5.9.34.17", -1);
	out = g_strjoinv(ip, parts);
	g_strfreev(parts);
	g_free(text);
	parts = g_strsplit(out, "GA4411", -1);
	g_free(out);
	out = g_strjoinv(tag, parts);
	g_strfreev(parts);
	path = g_strdup_printf("%s/%s.eml", home, tag);
	cr_assert(g_file_set_contents(path, out, -1, NULL));
	g_free(out);
	g_free(fx);
	return path;
}

/* outbox_to - number of takedowns in outbox/new addressed to addr */
static guint
outbox_to(const char *addr)
{
	char *dir = g_build_filename(home, "outbox", "new", NULL);
	GDir *d = g_dir_open(dir, 0, NULL);
	const char *name;
	guint n = 0;

	cr_assert_not_null(d);
	while ((name = g_dir_read_name(d)) != NULL) {
		char *p = g_build_filename(dir, name, NULL), *text = NULL;
		const char *to;

		if (g_file_get_contents(p, &text, NULL, NULL) &&
		    (to = strstr(text, "\nTo: ")) != NULL &&
		    strstr(to, addr) != NULL &&
		    strstr(to, addr) < strchr(to + 1, '\n'))
			n++;
		g_free(text);
		g_free(p);
	}
	g_dir_close(d);
	g_free(dir);
	return n;
}

Test(e2e_lookup, rdap_answer_routes_and_is_cached_in_the_db)
{
	char *m1 = report_about("37.120.5.9", "LK0001");
	char *m2 = report_about("37.120.5.200", "LK0002");
	char *out = NULL, *err = NULL, *s;

	cr_assert_eq(ad(g_strdup_printf("reprocess '%s'", m1), NULL, &out,
	    &err), 0, "%s", err);
	g_free(out);
	g_free(err);
	cr_expect(strstr(srv->request, "GET /ip/37.120.5.9 ") ==
	    srv->request, "%s", srv->request);
	cr_expect_eq(outbox_to("abuse@tc-example.de"), 1);
	cr_expect_eq(db_int("SELECT count(*) FROM notifications WHERE "
	    "address LIKE '%abuse@tc-example.de%'"), 1);
	s = db_text("SELECT reason FROM routes WHERE contact_id = "
	    "'rdap:abuse@tc-example.de'");
	cr_assert_not_null(s);
	cr_expect(strstr(s, " -> rdap 37.120.5.0/24 TC-EXAMPLE-NET "
	    "abuse@tc-example.de (127.0.0.1:") != NULL, "%s", s);
	cr_expect(strstr(s, ", fetched)") != NULL, "%s", s);
	g_free(s);
	cr_expect_eq(db_int("SELECT count(*) FROM lookup_cache WHERE "
	    "source = 'rdap' AND first_ip = '37.120.5.0' AND "
	    "last_ip = '37.120.5.255' AND expires_at > fetched_at"), 1);

	/* the server is gone: the same contact, from the DB's cache */
	tsrv_stop(&srv);
	cr_assert_eq(ad(g_strdup_printf("reprocess '%s'", m2), NULL, &out,
	    &err), 0, "%s", err);
	g_free(out);
	g_free(err);
	cr_expect_eq(outbox_to("abuse@tc-example.de"), 2);
	s = db_text("SELECT r.reason FROM routes r JOIN findings f ON "
	    "f.id = r.finding_id WHERE f.value = '37.120.5.200' AND "
	    "r.contact_id = 'rdap:abuse@tc-example.de'");
	cr_assert_not_null(s, "no rdap route for the second report");
	cr_expect(strstr(s, ", cached)") != NULL, "%s", s);
	g_free(s);
	cr_expect_eq(db_int("SELECT count(*) FROM lookup_cache"), 1);

	/* route explain reads the same cache; --offline does not */
	cr_expect_eq(ad("route explain 37.120.5.77", NULL, &out, &err), 0);
	cr_expect(strstr(out, "to: rdap:abuse@tc-example.de") != NULL,
	    "%s%s", out, err);
	g_free(out);
	g_free(err);
	cr_expect_eq(ad("route explain --offline 37.120.5.77", NULL, &out,
	    &err), 0);
	cr_expect(strstr(out, "rdap") == NULL, "%s", out);
	cr_expect(strstr(out, "certbund@bsi.bund.de") != NULL, "%s", out);
	g_free(out);
	g_free(err);
	g_free(m1);
	g_free(m2);
}

Test(e2e_lookup, lookups_off_by_default_never_ask)
{
	char *m1 = report_about("37.120.5.9", "LK0003");
	char *out = NULL, *err = NULL;
	char *extra = g_strdup_printf("window = 0\n[lookup]\n"
	    "rdap_base = http://127.0.0.1:%u\n", srv->port);

	write_config(extra);
	g_free(extra);
	cr_assert_eq(ad(g_strdup_printf("reprocess '%s'", m1), NULL, &out,
	    &err), 0, "%s", err);
	cr_expect_eq(outbox_to("abuse@tc-example.de"), 0);
	cr_expect_eq(outbox_to("certbund@bsi.bund.de"), 1);
	cr_expect_eq(srv->request[0], '\0');
	cr_expect_eq(db_int("SELECT count(*) FROM lookup_cache"), 0);
	g_free(out);
	g_free(err);
	g_free(m1);
}

Test(e2e_lookup, https_rdap_trusts_the_configured_ca_file)
{
	char *m1 = report_about("37.120.5.9", "LK0004");
	char *out = NULL, *err = NULL, *extra, *ca, *cert, *key;
	struct tsrv *tls;

	ca = test_data_path("tls-ca.pem");
	cert = test_data_path("tls-server.pem");
	key = test_data_path("tls-server-key.pem");
	tls = tsrv_start_tls(cert, key, HTTP_OK NET_JSON, 1);
	extra = g_strdup_printf("window = 0\n[lookup]\nrdap = true\n"
	    "rdap_base = https://127.0.0.1:%u\nrdap_timeout_ms = 2000\n"
	    "ca_file = %s\n", tls->port, ca);
	write_config(extra);
	g_free(extra);
	cr_assert_eq(ad(g_strdup_printf("reprocess '%s'", m1), NULL, &out,
	    &err), 0, "%s", err);
	cr_expect_eq(g_atomic_int_get(&tls->handshakes), 1);
	cr_expect(strstr(tls->request, "GET /ip/37.120.5.9 ") ==
	    tls->request, "%s", tls->request);
	cr_expect_eq(outbox_to("abuse@tc-example.de"), 1, "%s%s", out, err);
	tsrv_stop(&tls);
	g_free(out);
	g_free(err);
	g_free(ca);
	g_free(cert);
	g_free(key);
	g_free(m1);
}
