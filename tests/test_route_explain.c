/*
 * test_route_explain.c: `abusedesk route explain` end to end: the built
 * binary, a config pointing at the source tree's data/, and the exact
 * text and JSON it prints for a routed address (owner plus the national
 * CSIRT in Cc), a domestic one, and bad usage.
 */
#include "config.h"

#include <string.h>
#include <sys/wait.h>
#include <criterion/criterion.h>
#include <json-glib/json-glib.h>

#include "tests/helpers.h"

static char *home;

static void
setup(void)
{
	char *src = test_src_path("");
	char *conf, *text;

	home = test_tmpdir();
	conf = g_build_filename(home, "abusedesk.conf", NULL);
	text = g_strdup_printf("[paths]\nrules = %1$s/rules/default\n"
	    "templates = %1$s/templates\n"
	    "contacts = %1$s/data/contacts.csv\n"
	    "networks = %1$s/data/networks.csv\n"
	    "geo_country = %1$s/data/ip-country-geo.csv.gz\n"
	    "rir_country = %1$s/data/ip-country-rir.csv.gz\n"
	    "csirts = %1$s/data/national-csirts.csv\n"
	    "[route]\nown_country = JP\n", src);
	cr_assert(g_file_set_contents(conf, text, -1, NULL));
	g_free(text);
	g_free(conf);
	g_free(src);
}

static void
teardown(void)
{
	test_rm_rf(home);
	g_free(home);
}

TestSuite(route_explain, .init = setup, .fini = teardown, .timeout = 10);

/* ad - runs `abusedesk --home HOME ARGS`; returns the exit status */
static int
ad(const char *args, char **out)
{
	char *bin = test_build_path("abusedesk");
	char *cmd = g_strdup_printf("exec '%s' --home '%s' %s </dev/null",
	    bin, home, args);
	char *argv[] = { (char *)"/bin/sh", (char *)"-c", cmd, NULL };
	int status = -1;
	GError *err = NULL;

	cr_assert(g_spawn_sync(NULL, argv, NULL, 0, NULL, NULL, out, NULL,
	    &status, &err), "spawn: %s", err != NULL ? err->message : "?");
	g_free(cmd);
	g_free(bin);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

Test(route_explain, text_shows_owner_cc_and_the_whole_chain)
{
	char *out = NULL;

	cr_expect_eq(ad("route explain 5.9.34.17", &out), 0);
	cr_expect_str_eq(out,
	    "asn:     AS24940 Hetzner Online GmbH\n"
	    "located: DE\nregistered: DE\n"
	    "to: hoster-de abuse@hoster-de.example\n"
	    "  ipv4 5.9.34.17 -> 5.9.0.0/16 (networks.csv:5) -> AS24940 "
	    "Hetzner Online GmbH (ip-asn.csv.gz, 2026-06-17) -> located DE "
	    "(ip-country-geo.csv.gz, 2026-06-25) -> hoster-de "
	    "<abuse@hoster-de.example>\n"
	    "cc: csirt-de certbund@bsi.bund.de\n"
	    "  ipv4 5.9.34.17 -> 5.9.0.0/16 (networks.csv:5) -> AS24940 "
	    "Hetzner Online GmbH (ip-asn.csv.gz, 2026-06-17) -> located DE "
	    "(ip-country-geo.csv.gz, 2026-06-25) -> cc CERT-Bund (BSI) "
	    "<certbund@bsi.bund.de> (national-csirts.csv, well-known)\n");
	g_free(out);
}

Test(route_explain, json_lists_every_route)
{
	JsonParser *p = json_parser_new();
	JsonObject *o, *r;
	JsonArray *routes;
	char *out = NULL;

	cr_expect_eq(ad("route explain 13.112.0.1 --json", &out), 1,
	    "domestic and no constituency contact: unrouted");
	cr_assert(json_parser_load_from_data(p, out, -1, NULL), "%s", out);
	o = json_node_get_object(json_parser_get_root(p));
	cr_expect_str_eq(json_object_get_string_member(o, "kind"), "ipv4");
	cr_expect_eq(json_object_get_int_member(o, "asn"), 16509);
	cr_expect_str_eq(json_object_get_string_member(o, "as_name"),
	    "Amazon.com, Inc.");
	cr_expect_str_eq(json_object_get_string_member(o, "geo_cc"), "JP");
	cr_expect_str_eq(json_object_get_string_member(o, "rir_cc"), "US");
	routes = json_object_get_array_member(o, "routes");
	cr_assert_eq(json_array_get_length(routes), 1);
	r = json_array_get_object_element(routes, 0);
	cr_expect(json_object_get_null_member(r, "contact"));
	cr_expect_not(json_object_get_boolean_member(r, "cc"));
	cr_expect_str_eq(json_object_get_string_member(r, "country"), "JP");
	cr_expect_str_eq(json_object_get_string_member(r, "reason"),
	    "ipv4 13.112.0.1 -> AS16509 Amazon.com, Inc. (ip-asn.csv.gz, "
	    "2026-06-17) -> located JP (ip-country-geo.csv.gz, 2026-06-25) -> "
	    "domestic, no constituency contact");
	g_object_unref(p);
	g_free(out);
}

Test(route_explain, url_special_address_and_usage)
{
	char *out = NULL;

	cr_expect_eq(ad("route explain 'http://Shop.Example.DE./x'", &out), 0);
	cr_expect_str_eq(out, "to: csirt-de certbund@bsi.bund.de\n"
	    "  url http://shop.example.de/x -> host shop.example.de -> "
	    "registrable example.de -> ccTLD .de -> CERT-Bund (BSI) "
	    "<certbund@bsi.bund.de> (national-csirts.csv, well-known)\n");
	g_free(out);
	cr_expect_eq(ad("route explain 10.1.2.3", &out), 1);
	cr_expect_str_eq(out, "10.1.2.3: not routed (special-purpose or not "
	    "an offender)\n");
	g_free(out);
	cr_expect_eq(ad("route explain", &out), 2);
	g_free(out);
}
