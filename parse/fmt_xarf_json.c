/*
 * fmt_xarf_json.c: XARF JSON reports, the Abusix schema (Version 1-3,
 * ReporterInfo + Report) and xarf.org v4 (xarf_version "4.x.y").
 *
 * Defines fmt_xarf_json_probe() and fmt_xarf_json_extract().  The JSON is
 * an application/json part, a part named *.json (xarf.json, also inside
 * an ARF envelope with Feedback-Type: xarf) or a text part that is a JSON
 * object naming xarf_version or ReporterInfo.  json-glib reads it after a
 * size (XJSON_MAX_BYTES) and nesting (XJSON_MAX_DEPTH) check.  The source
 * (SourceIp, source_identifier) and URL/domain fields are offenders,
 * DestinationIp a victim, the reporter's contact and domain the reporter;
 * class and type give the IntelMQ classification, Date/timestamp the event
 * time.  Evidence payloads stay untouched: text rules never see them.
 */
#include "config.h"

#include <string.h>
#include <json-glib/json-glib.h>

#include "parse/parse_int.h"

#define XJSON_MAX_BYTES	(4 * 1024 * 1024)
#define XJSON_MAX_DEPTH	32

/* "class/type" (lower case, no '_' or '-'); "class/" for any type. */
static const struct {
	const char	*key, *category, *taxonomy;
} classes[] = {
	{ "content/phishing", "phishing", "fraud" },
	{ "content/fraud", "phishing", "fraud" },
	{ "content/malware", "malware-distribution", "malicious-code" },
	{ "content/botnet", "infected-system", "malicious-code" },
	{ "content/copyright", "copyright", "fraud" },
	{ "content/trademark", "masquerade", "fraud" },
	{ "content/brandinfringement", "masquerade", "fraud" },
	{ "content/remotecompromise", "system-compromise", "intrusions" },
	{ "content/exposeddata", "data-leak", "information-content-security" },
	{ "activity/loginattack", "brute-force", "intrusion-attempts" },
	{ "activity/portscan", "scanner", "information-gathering" },
	{ "activity/webcrawler", "scanner", "information-gathering" },
	{ "activity/dos", "ddos", "availability" },
	{ "activity/spam", "spam", "abusive-content" },
	{ "activity/exploit", "exploit", "intrusion-attempts" },
	{ "activity/malware", "infected-system", "malicious-code" },
	{ "activity/harassment", "harmful-speech", "abusive-content" },
	{ "connection/loginattack", "brute-force", "intrusion-attempts" },
	{ "connection/portscan", "scanner", "information-gathering" },
	{ "connection/reconnaissance", "scanner", "information-gathering" },
	{ "connection/vulnerabilityscan", "scanner", "information-gathering" },
	{ "connection/scraping", "scanner", "information-gathering" },
	{ "connection/ddos", "ddos", "availability" },
	{ "connection/infectedhost", "infected-system", "malicious-code" },
	{ "connection/sqlinjection", "exploit", "intrusion-attempts" },
	{ "infrastructure/botnet", "infected-system", "malicious-code" },
	{ "infrastructure/compromisedserver", "system-compromise",
	    "intrusions" },
	{ "reputation/blocklist", "blacklist", "other" },
	{ "copyright/", "copyright", "fraud" },
	{ "messaging/", "spam", "abusive-content" },
	{ "vulnerability/", "vulnerable-system", "vulnerable" },
};

static gboolean
json_part_named(const struct report_part *p)
{
	const char *t = p->text;

	if (strcmp(p->content_type, "application/json") == 0 ||
	    (p->filename != NULL && g_str_has_suffix(p->filename, ".json")))
		return TRUE;
	if (!g_str_has_prefix(p->content_type, "text/"))
		return FALSE;
	while (g_ascii_isspace(*t))
		t++;
	return *t == '{' && (strstr(t, "\"xarf_version\"") != NULL ||
	    strstr(t, "\"ReporterInfo\"") != NULL);
}

/* too_deep - bracket nesting outside strings beyond XJSON_MAX_DEPTH. */
static gboolean
too_deep(const char *s, gsize len)
{
	gsize i;
	guint depth = 0;
	gboolean str = FALSE;

	for (i = 0; i < len; i++) {
		if (str) {
			if (s[i] == '\\')
				i++;
			else if (s[i] == '"')
				str = FALSE;
		} else if (s[i] == '"')
			str = TRUE;
		else if (s[i] == '{' || s[i] == '[') {
			if (++depth > XJSON_MAX_DEPTH)
				return TRUE;
		} else if ((s[i] == '}' || s[i] == ']') && depth > 0)
			depth--;
	}
	return FALSE;
}

static JsonObject *
load(struct report *r, const struct report_part *p, JsonParser *jp)
{
	GError *err = NULL;
	JsonNode *root;
	JsonObject *o;

	if (p->text_len > XJSON_MAX_BYTES || p->truncated) {
		report_warn(r, "part %s: XARF JSON larger than the limit: "
		    "not read", p->path);
		return NULL;
	}
	if (too_deep(p->text, p->text_len)) {
		report_warn(r, "part %s: XARF JSON nested deeper than %d: "
		    "not read", p->path, XJSON_MAX_DEPTH);
		return NULL;
	}
	if (!json_parser_load_from_data(jp, p->text, p->text_len, &err)) {
		report_warn(r, "part %s: XARF JSON: %.120s", p->path,
		    err->message);
		g_error_free(err);
		return NULL;
	}
	if ((root = json_parser_get_root(jp)) == NULL ||
	    !JSON_NODE_HOLDS_OBJECT(root))
		return NULL;
	o = json_node_get_object(root);
	if (!json_object_has_member(o, "xarf_version") &&
	    !json_object_has_member(o, "ReporterInfo") &&
	    !json_object_has_member(o, "Report"))
		return NULL;
	return o;
}

static const struct report_part *
find(const struct report *r)
{
	guint i;

	for (i = 0; i < r->parts->len; i++) {
		const struct report_part *p = g_ptr_array_index(r->parts, i);

		if ((p->depth == 0 || r->case_tag == NULL) &&
		    p->text_len > 0 && json_part_named(p))
			return p;
	}
	return NULL;
}

gboolean
fmt_xarf_json_probe(const struct report *r, const struct parse_hints *h)
{
	(void)h;
	if (r->kind != REPORT_KIND_ABUSE)
		return FALSE;
	return find(r) != NULL;
}

/* str - a string (or number) member of o as text, or NULL. */
static const char *
str(struct report *r, JsonObject *o, const char *name)
{
	JsonNode *n;
	GType t;

	if (o == NULL || (n = json_object_get_member(o, name)) == NULL ||
	    !JSON_NODE_HOLDS_VALUE(n))
		return NULL;
	t = json_node_get_value_type(n);
	if (t == G_TYPE_STRING)
		return json_node_get_string(n);
	if (t == G_TYPE_INT64)
		return arena_printf(r->arena, "%" G_GINT64_FORMAT,
		    json_node_get_int(n));
	if (t == G_TYPE_DOUBLE)
		return arena_printf(r->arena, "%g", json_node_get_double(n));
	return NULL;
}

static JsonObject *
obj(JsonObject *o, const char *name)
{
	JsonNode *n;

	if (o == NULL || (n = json_object_get_member(o, name)) == NULL ||
	    !JSON_NODE_HOLDS_OBJECT(n))
		return NULL;
	return json_node_get_object(n);
}

struct xj {
	struct report			*r;
	const struct report_part	*p;
	const char			*when, *attrs;
	guint				 port;
};

static struct finding *
add(struct xj *x, JsonObject *o, const char *name, int kind,
    enum finding_role role)
{
	const char *v = str(x->r, o, name);
	char *src;
	const char *ssrc;
	struct finding *fd;
	enum finding_kind k;

	if (v == NULL || *v == '\0')
		return NULL;
	k = kind >= 0 ? (enum finding_kind)kind : fmt_guess_kind(v,
	    strlen(v));
	if (kind == FINDING_URL && fmt_guess_kind(v, strlen(v)) ==
	    FINDING_DOMAIN)
		k = FINDING_DOMAIN;
	src = g_strdup_printf("xarf:%s", name);
	ssrc = arena_strdup(x->r->arena, src);
	g_free(src);
	fd = fmt_add(x->r, x->p, k, role, v, strlen(v), fmt_locate(x->p, 0, v),
	    ssrc != NULL ? ssrc : "xarf");
	if (fd != NULL && role == FINDING_ROLE_OFFENDER) {
		if (fd->observed_at == NULL)
			fd->observed_at = x->when;
		if (fd->attrs == NULL)
			fd->attrs = x->attrs;
	}
	return fd;
}

static void
classify(struct report *r, const char *cls, const char *type)
{
	char *key, *k, *w;
	guint i;

	if (cls == NULL)
		return;
	key = g_ascii_strdown(arena_printf(r->arena, "%s/%s", cls,
	    type != NULL ? type : ""), -1);
	for (k = w = key; *k != '\0'; k++)
		if (*k != '_' && *k != '-' && *k != ' ')
			*w++ = *k;
	*w = '\0';
	for (i = 0; i < G_N_ELEMENTS(classes); i++)
		if (strcmp(key, classes[i].key) == 0 ||
		    (g_str_has_suffix(classes[i].key, "/") &&
		    g_str_has_prefix(key, classes[i].key))) {
			fmt_set_class(r, classes[i].category,
			    classes[i].taxonomy);
			break;
		}
	if (i == G_N_ELEMENTS(classes))
		fmt_set_class(r, "other", "other");
	g_free(key);
}

static void
port_of(struct xj *x, JsonObject *o, const char *name)
{
	const char *v = str(x->r, o, name);
	guint64 n = v != NULL ? g_ascii_strtoull(v, NULL, 10) : 0;

	x->port = n <= 65535 ? (guint)n : 0;
}

static void
set_port(struct finding *fd, guint port)
{
	if (fd != NULL && (fd->kind == FINDING_IPV4 ||
	    fd->kind == FINDING_IPV6))
		fd->port = port;
}

/* abusix - Version 1-3: ReporterInfo and Report. */
static void
abusix(struct xj *x, JsonObject *top)
{
	JsonObject *ri = obj(top, "ReporterInfo"), *rep = obj(top, "Report");
	const char *d = str(x->r, rep, "Date"), *asn = str(x->r, rep, "ASN");
	const char *cid = str(x->r, rep, "ReporterCaseID");
	struct finding *fd;

	x->when = d != NULL ? fmt_date_iso(x->r->arena, d, strlen(d)) : NULL;
	if (asn != NULL || cid != NULL)
		x->attrs = arena_printf(x->r->arena, "%s%s%s%s%s",
		    asn != NULL ? "asn=" : "", asn != NULL ? asn : "",
		    asn != NULL && cid != NULL ? " " : "",
		    cid != NULL ? "report-id=" : "", cid != NULL ? cid : "");
	port_of(x, rep, "SourcePort");
	set_port(add(x, rep, "SourceIp", -1, FINDING_ROLE_OFFENDER), x->port);
	add(x, rep, "SourceUrl", FINDING_URL, FINDING_ROLE_OFFENDER);
	add(x, rep, "DestinationIp", -1, FINDING_ROLE_VICTIM);
	add(x, rep, "SmtpMailFromAddress", FINDING_EMAIL,
	    FINDING_ROLE_CONTEXT);
	if ((fd = add(x, ri, "ReporterContactEmail", FINDING_EMAIL,
	    FINDING_ROLE_REPORTER)) == NULL)
		fd = add(x, ri, "ReporterOrgEmail", FINDING_EMAIL,
		    FINDING_ROLE_REPORTER);
	else
		add(x, ri, "ReporterOrgEmail", FINDING_EMAIL,
		    FINDING_ROLE_REPORTER);
	if (fd != NULL)
		x->r->reporter = fd->value;
	add(x, ri, "ReporterOrgDomain", FINDING_DOMAIN, FINDING_ROLE_REPORTER);
	classify(x->r, str(x->r, rep, "ReportClass"),
	    str(x->r, rep, "ReportType"));
}

/* v4 - xarf.org v4 flat object. */
static void
v4(struct xj *x, JsonObject *top)
{
	static const char *const parties[] = { "reporter", "sender" };
	const char *d = str(x->r, top, "timestamp");
	const char *id = str(x->r, top, "report_id");
	const char *conf = str(x->r, top, "confidence");
	struct finding *fd;
	guint i;

	x->when = d != NULL ? fmt_date_iso(x->r->arena, d, strlen(d)) : NULL;
	if (id != NULL || conf != NULL)
		x->attrs = arena_printf(x->r->arena, "%s%s%s%s%s",
		    id != NULL ? "report-id=" : "", id != NULL ? id : "",
		    id != NULL && conf != NULL ? " " : "",
		    conf != NULL ? "confidence=" : "", conf != NULL ? conf : "");
	port_of(x, top, "source_port");
	set_port(add(x, top, "source_identifier", -1, FINDING_ROLE_OFFENDER),
	    x->port);
	add(x, top, "url", FINDING_URL, FINDING_ROLE_OFFENDER);
	add(x, top, "domain", FINDING_DOMAIN, FINDING_ROLE_OFFENDER);
	add(x, top, "destination_ip", -1, FINDING_ROLE_VICTIM);
	add(x, top, "smtp_from", FINDING_EMAIL, FINDING_ROLE_CONTEXT);
	for (i = 0; i < G_N_ELEMENTS(parties); i++) {
		JsonObject *o = obj(top, parties[i]);

		fd = add(x, o, "contact", FINDING_EMAIL, FINDING_ROLE_REPORTER);
		if (fd != NULL && i == 0)
			x->r->reporter = fd->value;
		add(x, o, "domain", FINDING_DOMAIN, FINDING_ROLE_REPORTER);
	}
	classify(x->r, str(x->r, top, "category"), str(x->r, top, "type"));
}

void
fmt_xarf_json_extract(struct report *r, const struct parse_hints *h)
{
	struct xj x = { r, NULL, NULL, NULL, 0 };
	JsonParser *jp;
	JsonObject *top;

	(void)h;
	if ((x.p = find(r)) == NULL)
		return;
	jp = json_parser_new_immutable();
	if ((top = load(r, x.p, jp)) != NULL) {
		r->format = "xarf-json";
		if (json_object_has_member(top, "xarf_version"))
			v4(&x, top);
		else
			abusix(&x, top);
		if (x.when != NULL)
			r->event_time = x.when;
	}
	g_object_unref(jp);
}
