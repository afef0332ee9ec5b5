/*
 * test_parse_xarf_json.c: XARF JSON (Abusix schema 1-3, xarf.org v4) through
 * parse/fmt_xarf_json.c: exact findings and roles (offender, victim,
 * reporter), classification, ARF envelope, size and nesting limits.
 */
#include "config.h"

#include <string.h>
#include <criterion/criterion.h>

#include "parse/parse.h"
#include "tests/helpers.h"
#include "tests/parse_fixture.h"

TestSuite(parse_xarf_json, .init = fixture_setup, .fini = fixture_teardown,
    .timeout = 10);

Test(parse_xarf_json, abusix_v3_login_attack)
{
	check("fmt-xjson-abusix.eml", "xarf-json", "brute-force",
	    "intrusion-attempts", "2024-03-04T10:22:33Z",
	    "ipv4 offender 212.27.44.9 xarf:SourceIp :52211 "
	    "@2024-03-04T10:22:33Z\n"
	    "ipv4 victim 133.36.1.110 xarf:DestinationIp\n"
	    "email reporter contact@abusix-reports.example.org "
	    "xarf:ReporterContactEmail\n"
	    "email reporter reports@abusix-reports.example.org "
	    "xarf:ReporterOrgEmail\n"
	    "domain reporter abusix-reports.example.org "
	    "xarf:ReporterOrgDomain\n");
}

Test(parse_xarf_json, v4_in_arf_envelope_base64)
{
	struct report *r = parse_fixture("fmt-xjson-v4-arf.eml");

	cr_assert_str_eq(r->reporter, "abuse@yamo-noc.example.com");
	report_free(&r);
	check("fmt-xjson-v4-arf.eml", "xarf-json", "phishing", "fraud",
	    "2024-02-29T23:28:02Z",
	    "ipv4 offender 114.114.100.23 xarf:source_identifier :443 "
	    "@2024-02-29T23:28:02Z\n"
	    "url offender https://login-paypa1-verify.com/signin/ xarf:url "
	    "@2024-02-29T23:28:02Z\n"
	    "domain offender login-paypa1-verify.com xarf:url "
	    "@2024-02-29T23:28:02Z\n"
	    "email reporter abuse@yamo-noc.example.com xarf:contact\n"
	    "domain reporter yamo-noc.example.com xarf:domain\n");
}

static struct report *
json_mail(const char *json)
{
	char *s = g_strdup_printf("From: a@b.example.org\nSubject: x\n"
	    "Content-Type: application/json\n\n%s\n", json);
	struct report *r = parse_str(s);

	g_free(s);
	return r;
}

Test(parse_xarf_json, v4_classes)
{
	static const char *const cases[][3] = {
		{ "connection", "port_scan", "scanner" },
		{ "connection", "ddos", "ddos" },
		{ "messaging", "spam", "spam" },
		{ "infrastructure", "botnet", "infected-system" },
		{ "content", "malware", "malware-distribution" },
		{ "vulnerability", "open_service", "vulnerable-system" },
		{ "reputation", "blocklist", "blacklist" },
		{ "weird", "thing", "other" },
	};
	guint i;

	for (i = 0; i < G_N_ELEMENTS(cases); i++) {
		char *j = g_strdup_printf("{\"xarf_version\":\"4.0.0\","
		    "\"source_identifier\":\"5.9.34.17\",\"category\":\"%s\","
		    "\"type\":\"%s\"}", cases[i][0], cases[i][1]);
		struct report *r = json_mail(j);

		cr_assert_str_eq(r->format, "xarf-json");
		cr_assert_str_eq(r->category, cases[i][2]);
		report_free(&r);
		g_free(j);
	}
}

Test(parse_xarf_json, too_deep_and_broken_json_warn)
{
	GString *s = g_string_new("{\"xarf_version\":\"4.0.0\",\"x\":");
	struct report *r;
	guint i;

	for (i = 0; i < 100000; i++)
		g_string_append_c(s, '[');
	r = json_mail(s->str);
	cr_assert_neq(strcmp(r->format, "xarf-json"), 0);
	cr_assert_geq(r->warnings->len, 1);
	report_free(&r);
	r = json_mail("{\"ReporterInfo\": {\"ReporterOrg\": ");
	cr_assert_neq(strcmp(r->format, "xarf-json"), 0);
	cr_assert_eq(r->findings->len, 0);
	report_free(&r);
	g_string_free(s, TRUE);
}

Test(parse_xarf_json, wrong_types_are_ignored)
{
	struct report *r = json_mail("{\"Version\":\"3\",\"ReporterInfo\":[1],"
	    "\"Report\":{\"SourceIp\":{\"a\":1},\"SourceUrl\":17,"
	    "\"Date\":true,\"ReportClass\":\"Activity\","
	    "\"ReportType\":\"PortScan\"}}");

	cr_assert_str_eq(r->format, "xarf-json");
	cr_assert_str_eq(r->category, "scanner");
	cr_assert_eq(r->findings->len, 0);
	report_free(&r);
}
