/*
 * notify_attach.c: the findings of a takedown request as attachments, in
 * the format the contact asked for (contacts.csv `format`).
 *
 * Defines notify_attach_init/add/clear() (notify_int.h).  `text` adds
 * nothing.  `csv` adds one findings.csv (RFC 4180 quoting, a header line;
 * the mail's line ends are CRLF on the wire)
 * with a row per finding.  `xarf` adds one XARF v4 report (xarf.org,
 * xarf_version 4.0.0, JSON) per finding: the format says one incident per
 * report.  Values are the normalised findings, not defanged: these parts
 * are for the recipient's software.  Text that came from hostile mail is
 * bounded; a CSV field that a spreadsheet would run as a formula (=, +,
 * -, @ first) gets a leading apostrophe.  At most NOTIFY_ATTACH_MAX
 * findings are attached, the same bound as the text list.
 */
#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "notify/notify_int.h"
#include "parse/parse.h"
#include "parse/limits.h"

#define NOTIFY_ATTACH_MAX	LIMIT_NOTIFY_FINDINGS
/* XARF reports in one mail: each is a MIME part of its own. */
#define NOTIFY_XARF_MAX		100

void
notify_attach_init(struct notify_attach *a, const struct notify_config *cfg,
    const struct contact *c)
{
	memset(a, 0, sizeof(*a));
	a->format = c != NULL ? c->format : CONTACT_FORMAT_TEXT;
	a->parts = g_ptr_array_new_with_free_func(notify_part_free);
	if (a->format == CONTACT_FORMAT_XARF) {
		a->org = notify_display_name(cfg->from);
		a->contact = notify_first_address(cfg->from);
		a->domain = g_strdup(cfg->domain);
	}
}

void
notify_part_free(gpointer p)
{
	struct notify_part *part = p;

	g_free(part->filename);
	g_string_free(part->data, TRUE);
	g_free(part);
}

void
notify_attach_clear(struct notify_attach *a)
{
	g_clear_pointer(&a->parts, g_ptr_array_unref);
	g_clear_pointer(&a->org, g_free);
	g_clear_pointer(&a->contact, g_free);
	g_clear_pointer(&a->domain, g_free);
}

static struct notify_part *
part_new(struct notify_attach *a, const char *type, const char *subtype,
    const char *filename)
{
	struct notify_part *p = g_new0(struct notify_part, 1);

	p->type = type;
	p->subtype = subtype;
	p->filename = g_strdup(filename);
	p->data = g_string_new(NULL);
	g_ptr_array_add(a->parts, p);
	return p;
}

/* csv_field - one RFC 4180 field, bounded and formula-safe */
static void
csv_field(GString *out, const char *s, gboolean last)
{
	char *v = notify_sanitise(s, NOTIFY_FINDING_CAP);
	const char *p;

	g_string_append_c(out, '"');
	if (strchr("=+-@", v[0]) != NULL && v[0] != '\0')
		g_string_append_c(out, '\'');
	for (p = v; *p != '\0'; p++) {
		if (*p == '"')
			g_string_append_c(out, '"');
		g_string_append_c(out, *p);
	}
	g_string_append(out, last ? "\"\n" : "\",");
	g_free(v);
}

static void
add_csv(struct notify_attach *a, const GPtrArray *findings,
    const char *case_tag, const char *category)
{
	struct notify_part *p;
	char port[16];
	guint i;

	if (a->parts->len == 0) {
		p = part_new(a, "text", "csv", "findings.csv");
		g_string_append(p->data, "case,category,kind,value,port,"
		    "observed_at\n");
	}
	p = g_ptr_array_index(a->parts, 0);
	for (i = 0; i < findings->len && a->count < NOTIFY_ATTACH_MAX; i++) {
		const struct finding *f = g_ptr_array_index(findings, i);

		g_snprintf(port, sizeof(port), "%u", f->port);
		csv_field(p->data, case_tag, FALSE);
		csv_field(p->data, category, FALSE);
		csv_field(p->data, finding_kind_name(f->kind), FALSE);
		csv_field(p->data, f->value, FALSE);
		csv_field(p->data, f->port != 0 ? port : "", FALSE);
		csv_field(p->data, f->observed_at, TRUE);
		a->count++;
	}
}

/* XARF v4 category and type of one of our categories (via its IntelMQ
 * classification type). */
static const struct {
	const char	*intelmq, *category, *type;
} xarf_types[] = {
	{ "spam", "messaging", "spam" },
	{ "phishing", "content", "phishing" },
	{ "malware-distribution", "content", "malware" },
	{ "masquerade", "content", "fraud" },
	{ "data-leak", "content", "exposed_data" },
	{ "c2-server", "infrastructure", "botnet" },
	{ "infected-system", "connection", "infected_host" },
	{ "application-compromise", "infrastructure", "compromised_server" },
	{ "system-compromise", "infrastructure", "compromised_server" },
	{ "scanner", "connection", "port_scan" },
	{ "brute-force", "connection", "login_attack" },
	{ "exploit", "connection", "vulnerability_scan" },
	{ "ddos", "connection", "ddos" },
	{ "dos", "connection", "ddos" },
	{ "unauthorized-use-of-resources", "connection", "scraping" },
	{ "vulnerable-system", "vulnerability", "misconfiguration" },
	{ "potentially-unwanted-accessible", "vulnerability",
	    "open_service" },
	{ "copyright", "copyright", "copyright" },
	{ "blocklist", "reputation", "blocklist" },
};

static void
xarf_class(const char *category, const char **cat_r, const char **type_r)
{
	const char *t = category != NULL ? taxonomy_lookup(category, NULL) :
	    NULL;
	guint i;

	*cat_r = "reputation";
	*type_r = "threat_intelligence";
	for (i = 0; t != NULL && i < G_N_ELEMENTS(xarf_types); i++)
		if (strcmp(t, xarf_types[i].intelmq) == 0) {
			*cat_r = xarf_types[i].category;
			*type_r = xarf_types[i].type;
			return;
		}
}

/* json_str - a bounded, sanitised string member */
static void
json_str(JsonBuilder *b, const char *name, const char *value)
{
	char *v = notify_sanitise(value, NOTIFY_FINDING_CAP);

	json_builder_set_member_name(b, name);
	json_builder_add_string_value(b, v);
	g_free(v);
}

static void
party(JsonBuilder *b, const char *name, const struct notify_attach *who)
{
	json_builder_set_member_name(b, name);
	json_builder_begin_object(b);
	json_str(b, "org", who->org);
	json_str(b, "contact", who->contact);
	json_str(b, "domain", who->domain);
	json_builder_end_object(b);
}

/* xarf_report - one finding as an XARF v4 report */
static char *
xarf_report(const struct finding *f, const char *case_tag,
    const char *category, const struct notify_attach *who)
{
	JsonBuilder *b = json_builder_new();
	JsonGenerator *g = json_generator_new();
	JsonNode *root;
	const char *xcat, *xtype;
	char *uuid = g_uuid_string_random(), *text, *host = NULL, *ts;
	GDateTime *now = g_date_time_new_now_utc();

	xarf_class(category, &xcat, &xtype);
	ts = f->observed_at != NULL ? g_strdup(f->observed_at) :
	    g_date_time_format(now, "%Y-%m-%dT%H:%M:%SZ");
	json_builder_begin_object(b);
	json_str(b, "xarf_version", "4.0.0");
	json_str(b, "report_id", uuid);
	json_str(b, "timestamp", ts);
	party(b, "reporter", who);
	party(b, "sender", who);
	if (f->kind == FINDING_URL) {
		const char *h;
		gsize hlen = report_url_host(f->value, &h);

		host = hlen > 0 ? g_strndup(h, hlen) : NULL;
		json_str(b, "source_identifier", host != NULL ? host :
		    f->value);
		json_str(b, "url", f->value);
	} else
		json_str(b, "source_identifier", f->value);
	if (f->port != 0) {
		json_builder_set_member_name(b, "source_port");
		json_builder_add_int_value(b, f->port);
	}
	json_str(b, "category", xcat);
	json_str(b, "type", xtype);
	json_builder_set_member_name(b, "tags");
	json_builder_begin_array(b);
	text = g_strdup_printf("case:%s", case_tag);
	json_builder_add_string_value(b, text);
	g_free(text);
	json_builder_end_array(b);
	json_builder_end_object(b);
	root = json_builder_get_root(b);
	json_generator_set_root(g, root);
	json_generator_set_pretty(g, TRUE);
	text = json_generator_to_data(g, NULL);
	json_node_unref(root);
	g_object_unref(g);
	g_object_unref(b);
	g_date_time_unref(now);
	g_free(uuid);
	g_free(host);
	g_free(ts);
	return text;
}

static void
add_xarf(struct notify_attach *a, const GPtrArray *findings,
    const char *case_tag, const char *category)
{
	guint i;

	for (i = 0; i < findings->len && a->count < NOTIFY_XARF_MAX; i++) {
		char name[32], *json;
		struct notify_part *p;

		a->count++;
		g_snprintf(name, sizeof(name), "xarf-%u.json", a->count);
		p = part_new(a, "application", "json", name);
		json = xarf_report(g_ptr_array_index(findings, i), case_tag,
		    category, a);
		g_string_append(p->data, json);
		g_string_append_c(p->data, '\n');
		g_free(json);
	}
}

void
notify_attach_add(struct notify_attach *a, const GPtrArray *findings,
    const char *case_tag, const char *category)
{
	if (category == NULL || *category == '\0')
		category = "abuse";
	switch (a->format) {
	case CONTACT_FORMAT_CSV:
		add_csv(a, findings, case_tag, category);
		break;
	case CONTACT_FORMAT_XARF:
		add_xarf(a, findings, case_tag, category);
		break;
	default:
		break;
	}
}
