/*
 * test_notify_attach.c: the findings attached in the contact's format
 * (notify/notify_attach.c): nothing for text, one findings.csv for csv
 * (quoted, formula-safe), one XARF v4 JSON report per finding for xarf.
 */
#include "config.h"

#include <json-glib/json-glib.h>

#include "tests/test_notify_fixture.h"

TestSuite(notify_attach, .init = nfx_setup, .fini = nfx_teardown,
    .timeout = 10);

/* render - one contact, one mail: the parsed message (g_object_unref) */
static GMimeMessage *
render(void)
{
	GError *err = NULL;

	cr_assert(notify_render(&fx.cfg, fx.r, &fx.res, "CASE-000042",
	    fx.out, &err), "%s", err != NULL ? err->message : "?");
	cr_assert_eq(fx.out->len, 1);
	return nfx_parse(((struct notification *)g_ptr_array_index(fx.out,
	    0))->tmp_path);
}

/* part_text - the decoded content of part i of a multipart (g_free) */
static char *
part_text(GMimeMultipart *mp, int i, const char *type, const char *name)
{
	GMimeObject *o = g_mime_multipart_get_part(mp, i);
	GMimeDataWrapper *dw;
	GMimeStream *ms;
	GByteArray *ba;
	char *s;

	cr_assert(GMIME_IS_PART(o));
	cr_assert(g_mime_content_type_is_type(g_mime_object_get_content_type(o),
	    type, "*"), "part %d", i);
	if (name != NULL)
		cr_assert_str_eq(g_mime_part_get_filename(GMIME_PART(o)),
		    name);
	else
		cr_assert_null(g_mime_part_get_filename(GMIME_PART(o)));
	dw = g_mime_part_get_content(GMIME_PART(o));
	ms = g_mime_stream_mem_new();
	g_mime_data_wrapper_write_to_stream(dw, ms);
	ba = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(ms));
	s = g_strndup((const char *)ba->data, ba->len);
	g_object_unref(ms);
	return s;
}

Test(notify_attach, text_contacts_get_a_single_text_part)
{
	struct contact *a = nfx_contact(0, "a", "A", "abuse@a.example", "en");
	GMimeMessage *m;

	a->format = CONTACT_FORMAT_TEXT;
	nfx_route(FINDING_IPV4, "203.0.113.5", "1", a);
	m = render();
	cr_expect(GMIME_IS_TEXT_PART(g_mime_message_get_mime_part(m)));
	g_object_unref(m);
}

Test(notify_attach, csv_contacts_get_findings_csv_quoted_and_formula_safe)
{
	struct contact *a = nfx_contact(0, "a", "A", "abuse@a.example", "en");
	struct finding *f;
	GMimeMessage *m;
	GMimeObject *top;
	char *csv, *body;

	a->format = CONTACT_FORMAT_CSV;
	f = nfx_route(FINDING_IPV4, "203.0.113.5", "1", a);
	f->port = 22;
	f->observed_at = "2026-11-27T10:00:00Z";
	nfx_route(FINDING_URL, "http://bad.example/a\"b", "1", a);
	nfx_route(FINDING_DOMAIN, "=cmd.example", "1", a);
	m = render();
	top = g_mime_message_get_mime_part(m);
	cr_assert(GMIME_IS_MULTIPART(top));
	cr_assert_eq(g_mime_multipart_get_count(GMIME_MULTIPART(top)), 2);
	body = part_text(GMIME_MULTIPART(top), 0, "text", NULL);
	cr_expect(strstr(body, "203[.]0[.]113[.]5") != NULL, "%s", body);
	csv = part_text(GMIME_MULTIPART(top), 1, "text", "findings.csv");
	cr_expect_str_eq(csv,
	    "case,category,kind,value,port,observed_at\n"
	    "\"CASE-000042\",\"phishing\",\"ipv4\",\"203.0.113.5\",\"22\","
	    "\"2026-11-27T10:00:00Z\"\n"
	    "\"CASE-000042\",\"phishing\",\"url\",\"http://bad.example/a\"\"b\","
	    "\"\",\"\"\n"
	    "\"CASE-000042\",\"phishing\",\"domain\",\"'=cmd.example\",\"\","
	    "\"\"\n");
	g_free(csv);
	g_free(body);
	g_object_unref(m);
}

Test(notify_attach, xarf_contacts_get_one_xarf_v4_report_per_finding)
{
	struct contact *a = nfx_contact(0, "a", "A", "abuse@a.example", "en");
	GMimeMessage *m;
	GMimeObject *top;
	JsonParser *jp = json_parser_new();
	JsonObject *o, *rep;
	char *json;

	a->format = CONTACT_FORMAT_XARF;
	nfx_route(FINDING_URL, "http://bad.example.jp:8080/login", "1", a);
	nfx_route(FINDING_IPV4, "203.0.113.5", "1", a);
	m = render();
	top = g_mime_message_get_mime_part(m);
	cr_assert(GMIME_IS_MULTIPART(top));
	cr_assert_eq(g_mime_multipart_get_count(GMIME_MULTIPART(top)), 3);

	json = part_text(GMIME_MULTIPART(top), 1, "application",
	    "xarf-1.json");
	cr_assert(json_parser_load_from_data(jp, json, -1, NULL), "%s", json);
	o = json_node_get_object(json_parser_get_root(jp));
	cr_expect_str_eq(json_object_get_string_member(o, "xarf_version"),
	    "4.0.0");
	cr_expect_str_eq(json_object_get_string_member(o, "category"),
	    "content");
	cr_expect_str_eq(json_object_get_string_member(o, "type"),
	    "phishing");
	cr_expect_str_eq(json_object_get_string_member(o,
	    "source_identifier"), "bad.example.jp");
	cr_expect_str_eq(json_object_get_string_member(o, "url"),
	    "http://bad.example.jp:8080/login");
	cr_expect_eq(strlen(json_object_get_string_member(o, "report_id")),
	    36);
	rep = json_object_get_object_member(o, "reporter");
	cr_expect_str_eq(json_object_get_string_member(rep, "org"),
	    "Example CSIRT");
	cr_expect_str_eq(json_object_get_string_member(rep, "contact"),
	    "abuse@csirt.example");
	cr_expect_str_eq(json_object_get_string_member(rep, "domain"),
	    "csirt.example");
	cr_expect_str_eq(json_array_get_string_element(
	    json_object_get_array_member(o, "tags"), 0), "case:CASE-000042");
	g_free(json);

	json = part_text(GMIME_MULTIPART(top), 2, "application",
	    "xarf-2.json");
	cr_assert(json_parser_load_from_data(jp, json, -1, NULL), "%s", json);
	o = json_node_get_object(json_parser_get_root(jp));
	cr_expect_str_eq(json_object_get_string_member(o,
	    "source_identifier"), "203.0.113.5");
	cr_expect(!json_object_has_member(o, "url"));
	g_free(json);
	g_object_unref(jp);
	g_object_unref(m);
}

Test(notify_attach, xarf_category_of_unknown_words_is_threat_intelligence)
{
	struct contact *a = nfx_contact(0, "a", "A", "abuse@a.example", "en");
	GMimeMessage *m;
	JsonParser *jp = json_parser_new();
	JsonObject *o;
	char *json;

	a->format = CONTACT_FORMAT_XARF;
	fx.r->category = "login-attack";
	nfx_route(FINDING_IPV4, "203.0.113.5", "1", a);
	m = render();
	json = part_text(GMIME_MULTIPART(g_mime_message_get_mime_part(m)), 1,
	    "application", "xarf-1.json");
	cr_assert(json_parser_load_from_data(jp, json, -1, NULL));
	o = json_node_get_object(json_parser_get_root(jp));
	cr_expect_str_eq(json_object_get_string_member(o, "category"),
	    "connection");
	cr_expect_str_eq(json_object_get_string_member(o, "type"),
	    "login_attack");
	g_free(json);
	g_object_unref(m);

	fx.r->category = "something-new";
	g_ptr_array_set_size(fx.out, 0);
	m = render();
	json = part_text(GMIME_MULTIPART(g_mime_message_get_mime_part(m)), 1,
	    "application", "xarf-1.json");
	cr_assert(json_parser_load_from_data(jp, json, -1, NULL));
	o = json_node_get_object(json_parser_get_root(jp));
	cr_expect_str_eq(json_object_get_string_member(o, "category"),
	    "reputation");
	cr_expect_str_eq(json_object_get_string_member(o, "type"),
	    "threat_intelligence");
	g_free(json);
	g_object_unref(jp);
	g_object_unref(m);
}
