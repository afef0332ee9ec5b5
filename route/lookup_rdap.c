/*
 * lookup_rdap.c: RDAP (RFC 7480-7484, 9083) lookups of IP networks and
 * domains.
 *
 * Owns lookup_rdap_ip(), lookup_rdap_domain() and lookup_rdap_parse().
 * One HTTP/1.1 GET (Connection: close) per hop through
 * lookup_tcp_exchange() (http, or https through GIO's TLS: the
 * certificate checked against cfg->ca_file or the system's trust store;
 * GIO's TLS needs glib-networking at run time), redirects
 * followed at most LOOKUP_REDIRECT_MAX times within the one deadline,
 * chunked bodies decoded, the whole answer bounded by max_response.  The
 * JSON (json-glib) is checked for nesting depth before parsing, because
 * json-glib's parser recurses.  From an ip network: startAddress/
 * endAddress (the cached range), cidr0_cidrs, name, country; from the
 * entities (nested ones too, shallowest first): the one with role "abuse"
 * and the email of its jCard.  A registry catch-all (address or handle on
 * the lists, or a block wider than an IPv4 /8 or IPv6 /16) is returned
 * with catch_all set.  Errors are LOOKUP_ERROR_*.
 */
#include "config.h"

#include <string.h>
#include <json-glib/json-glib.h>

#include "route/lookup.h"

/* catch_all_range - a block wider than any one holder gets */
static gboolean
catch_all_range(const struct lookup_answer *ans)
{
	guint i, common = 0;

	for (i = 0; i < 128; i++) {
		guint8 bit = 0x80 >> (i % 8);

		if ((ans->first.b[i / 8] & bit) != (ans->last.b[i / 8] & bit))
			break;
		common++;
	}
	return ans->first.v4 ? common < 96 + 8 : common < 16;
}

/* depth_ok - FALSE if JSON nests deeper than LOOKUP_JSON_DEPTH_MAX */
static gboolean
depth_ok(const char *s, gsize len)
{
	gboolean in_str = FALSE;
	guint depth = 0;
	gsize i;

	for (i = 0; i < len; i++) {
		if (in_str) {
			if (s[i] == '\\')
				i++;
			else if (s[i] == '"')
				in_str = FALSE;
		} else if (s[i] == '"')
			in_str = TRUE;
		else if (s[i] == '{' || s[i] == '[') {
			if (++depth > LOOKUP_JSON_DEPTH_MAX)
				return FALSE;
		} else if ((s[i] == '}' || s[i] == ']') && depth > 0)
			depth--;
	}
	return TRUE;
}

static const char *
member_string(JsonObject *o, const char *name)
{
	JsonNode *n = json_object_get_member(o, name);

	if (n == NULL || !JSON_NODE_HOLDS_VALUE(n) ||
	    json_node_get_value_type(n) != G_TYPE_STRING)
		return NULL;
	return json_node_get_string(n);
}

static JsonArray *
member_array(JsonObject *o, const char *name)
{
	JsonNode *n = json_object_get_member(o, name);

	return n != NULL && JSON_NODE_HOLDS_ARRAY(n) ?
	    json_node_get_array(n) : NULL;
}

/* vcard_prop - value of the first jCard property name ("email", "fn") */
static const char *
vcard_prop(JsonObject *ent, const char *name)
{
	JsonArray *vc = member_array(ent, "vcardArray"), *props, *p;
	JsonNode *n;
	guint i;

	if (vc == NULL || json_array_get_length(vc) < 2 ||
	    !JSON_NODE_HOLDS_ARRAY(json_array_get_element(vc, 1)))
		return NULL;
	props = json_array_get_array_element(vc, 1);
	for (i = 0; i < json_array_get_length(props); i++) {
		n = json_array_get_element(props, i);
		if (!JSON_NODE_HOLDS_ARRAY(n))
			continue;
		p = json_node_get_array(n);
		if (json_array_get_length(p) < 4)
			continue;
		n = json_array_get_element(p, 0);
		if (!JSON_NODE_HOLDS_VALUE(n) ||
		    json_node_get_value_type(n) != G_TYPE_STRING ||
		    g_ascii_strcasecmp(json_node_get_string(n), name) != 0)
			continue;
		n = json_array_get_element(p, 3);
		if (JSON_NODE_HOLDS_VALUE(n) &&
		    json_node_get_value_type(n) == G_TYPE_STRING)
			return json_node_get_string(n);
	}
	return NULL;
}

static gboolean
has_role(JsonObject *ent, const char *role)
{
	JsonArray *roles = member_array(ent, "roles");
	JsonNode *n;
	guint i;

	for (i = 0; roles != NULL && i < json_array_get_length(roles); i++) {
		n = json_array_get_element(roles, i);
		if (JSON_NODE_HOLDS_VALUE(n) &&
		    json_node_get_value_type(n) == G_TYPE_STRING &&
		    g_ascii_strcasecmp(json_node_get_string(n), role) == 0)
			return TRUE;
	}
	return FALSE;
}

/* find_role - breadth first through entities: the shallowest entity with
 * role that has an email (or any with the role, if none has one) */
static JsonObject *
find_role(JsonObject *top, const char *role)
{
	GQueue q = G_QUEUE_INIT;
	JsonObject *o, *found = NULL, *bare = NULL;
	JsonArray *ents;
	JsonNode *n;
	guint i, seen = 0;

	g_queue_push_tail(&q, top);
	while (found == NULL && (o = g_queue_pop_head(&q)) != NULL) {
		if (o != top && has_role(o, role)) {
			if (vcard_prop(o, "email") != NULL)
				found = o;
			else if (bare == NULL)
				bare = o;
		}
		ents = member_array(o, "entities");
		for (i = 0; ents != NULL && i < json_array_get_length(ents);
		    i++) {
			n = json_array_get_element(ents, i);
			if (JSON_NODE_HOLDS_OBJECT(n) &&
			    ++seen <= LOOKUP_ENTITY_MAX)
				g_queue_push_tail(&q, json_node_get_object(n));
		}
	}
	g_queue_clear(&q);
	return found != NULL ? found : bare;
}

/* network_range - start/end (and one cidr0 prefix) holding q */
static void
network_range(JsonObject *o, const struct netaddr *q,
    struct lookup_answer *ans)
{
	const char *s = member_string(o, "startAddress");
	const char *e = member_string(o, "endAddress");
	JsonArray *cidrs = member_array(o, "cidr0_cidrs");
	JsonObject *c;
	JsonNode *n;
	const char *pfx;
	struct netaddr first, last;

	if (s == NULL || e == NULL || !netaddr_parse(s, strlen(s), &first) ||
	    !netaddr_parse(e, strlen(e), &last) || first.v4 != last.v4 ||
	    memcmp(first.b, q->b, 16) > 0 || memcmp(q->b, last.b, 16) > 0)
		return;
	ans->first = first;
	ans->last = last;
	ans->has_range = TRUE;
	if (cidrs != NULL && json_array_get_length(cidrs) == 1 &&
	    JSON_NODE_HOLDS_OBJECT((n = json_array_get_element(cidrs, 0)))) {
		c = json_node_get_object(n);
		pfx = member_string(c, "v4prefix");
		if (pfx == NULL)
			pfx = member_string(c, "v6prefix");
		if (pfx != NULL && json_object_has_member(c, "length"))
			ans->network = g_strdup_printf("%s/%" G_GINT64_FORMAT,
			    pfx, json_object_get_int_member(c, "length"));
	}
	if (ans->network == NULL)
		ans->network = g_strdup_printf("%s - %s", s, e);
}

int
lookup_rdap_parse(const struct lookup_config *cfg, const char *query,
    const char *json, gsize len, struct lookup_answer *ans, GError **error)
{
	JsonParser *jp;
	JsonNode *root;
	JsonObject *o, *abuse, *reg;
	struct netaddr q;
	const char *cls, *v;
	gboolean is_ip = netaddr_parse(query, strlen(query), &q);
	GError *e = NULL;

	g_return_val_if_fail(error == NULL || *error == NULL, -1);
	if (!depth_ok(json, len)) {
		g_set_error(error, LOOKUP_ERROR, LOOKUP_ERROR_PROTOCOL,
		    "rdap: JSON nested deeper than %d", LOOKUP_JSON_DEPTH_MAX);
		return -1;
	}
	jp = json_parser_new_immutable();
	if (!json_parser_load_from_data(jp, json, len, &e)) {
		g_set_error(error, LOOKUP_ERROR, LOOKUP_ERROR_PROTOCOL,
		    "rdap: bad JSON: %s", e->message);
		g_error_free(e);
		g_object_unref(jp);
		return -1;
	}
	root = json_parser_get_root(jp);
	if (root == NULL || !JSON_NODE_HOLDS_OBJECT(root)) {
		g_set_error(error, LOOKUP_ERROR, LOOKUP_ERROR_PROTOCOL,
		    "rdap: answer is not an object");
		g_object_unref(jp);
		return -1;
	}
	o = json_node_get_object(root);
	cls = member_string(o, "objectClassName");
	if (is_ip)
		network_range(o, &q, ans);
	else if (cls != NULL && strcmp(cls, "domain") == 0)
		ans->network = g_ascii_strdown(query, -1);
	if ((v = member_string(o, "name")) != NULL)
		ans->name = g_strdup(v);
	if ((v = member_string(o, "country")) != NULL)
		ans->country = g_strdup(v);
	/* a domain's abuse contact hangs under its registrar */
	if (!is_ip && (reg = find_role(o, "registrar")) != NULL &&
	    (v = vcard_prop(reg, "fn")) != NULL) {
		g_free(ans->name);
		ans->name = g_strdup(v);
	}
	if ((abuse = find_role(o, "abuse")) != NULL) {
		if ((v = vcard_prop(abuse, "email")) != NULL)
			ans->abuse_email = g_strdup(v);
		if ((v = member_string(abuse, "handle")) != NULL)
			ans->handle = g_strdup(v);
		ans->catch_all = lookup_is_catch_all(cfg, ans->abuse_email,
		    ans->handle);
	}
	if (ans->abuse_email != NULL && ans->has_range && catch_all_range(ans))
		ans->catch_all = TRUE;
	g_object_unref(jp);
	return ans->abuse_email != NULL || ans->has_range ||
	    ans->network != NULL ? 1 : 0;
}

/* http_body - status and body of an HTTP/1.x answer (body points into
 * resp, chunked decoded in place); *location_r g_free'd by the caller */
static int
http_body(char *resp, gsize len, char **body_r, gsize *blen_r,
    char **location_r, GError **error)
{
	char *hdr_end = strstr(resp, "\r\n\r\n"), *line, *next, *v, *in, *out;
	gboolean chunked = FALSE;
	guint64 clen = G_MAXUINT64, n;
	int status;

	if (hdr_end == NULL || len < 13 || strncmp(resp, "HTTP/1.", 7) != 0 ||
	    !g_ascii_isdigit(resp[9]) ||
	    (resp[12] != ' ' && resp[12] != '\r')) {
		g_set_error(error, LOOKUP_ERROR, LOOKUP_ERROR_PROTOCOL,
		    "not an HTTP answer");
		return -1;
	}
	status = (int)g_ascii_strtoll(resp + 9, NULL, 10);
	*hdr_end = '\0';
	for (line = strstr(resp, "\r\n"); line != NULL; line = next) {
		line += 2;
		next = strstr(line, "\r\n");
		if (next != NULL)
			*next = '\0';
		if ((v = strchr(line, ':')) == NULL)
			continue;
		*v++ = '\0';
		v = g_strstrip(v);
		if (g_ascii_strcasecmp(line, "Transfer-Encoding") == 0 &&
		    g_ascii_strcasecmp(v, "chunked") == 0)
			chunked = TRUE;
		else if (g_ascii_strcasecmp(line, "Content-Length") == 0)
			clen = g_ascii_strtoull(v, NULL, 10);
		else if (g_ascii_strcasecmp(line, "Location") == 0 &&
		    *location_r == NULL)
			*location_r = g_strdup(v);
	}
	*body_r = hdr_end + 4;
	*blen_r = len - (hdr_end + 4 - resp);
	if (clen < *blen_r)
		*blen_r = clen;
	if (!chunked)
		return status;
	/* UNSAFE: in place, out never passes in; n checked against end */
	for (in = out = *body_r; in < *body_r + *blen_r;) {
		n = g_ascii_strtoull(in, &v, 16);
		if (v == in || (v = strstr(v, "\r\n")) == NULL)
			break;
		in = v + 2;
		if (n == 0 || n > (guint64)(*body_r + *blen_r - in))
			break;
		memmove(out, in, n);
		out += n;
		in += n + 2;
	}
	*blen_r = out - *body_r;
	return status;
}

/* rdap_get - GET url, following redirects: -1, 0 (404), 1 (*resp_r) */
static int
rdap_get(const struct lookup_config *cfg, const char *url, gint64 deadline,
    GByteArray **resp_r, char **body_r, gsize *blen_r, GError **error)
{
	char *cur = g_strdup(url), *req, *hostport, *loc, *next;
	GUri *u;
	GByteArray *resp;
	guint hops;
	int status = -1, port;
	gboolean ok, tls;

	for (hops = 0; hops <= LOOKUP_REDIRECT_MAX; hops++) {
		u = g_uri_parse(cur, G_URI_FLAGS_ENCODED, NULL);
		if (u == NULL || g_uri_get_host(u) == NULL ||
		    (strcmp(g_uri_get_scheme(u), "http") != 0 &&
		    strcmp(g_uri_get_scheme(u), "https") != 0)) {
			g_set_error(error, LOOKUP_ERROR, LOOKUP_ERROR_CONFIG,
			    "rdap: bad URL %s", cur);
			if (u != NULL)
				g_uri_unref(u);
			break;
		}
		tls = strcmp(g_uri_get_scheme(u), "https") == 0;
		port = g_uri_get_port(u) > 0 ? g_uri_get_port(u) :
		    (tls ? 443 : 80);
		hostport = g_strdup_printf(strchr(g_uri_get_host(u), ':') ?
		    "[%s]:%d" : "%s:%d", g_uri_get_host(u), port);
		req = g_strdup_printf("GET %s%s%s HTTP/1.1\r\nHost: %s\r\n"
		    "Accept: application/rdap+json, application/json\r\n"
		    "User-Agent: abusedesk/" PACKAGE_VERSION "\r\n"
		    "Connection: close\r\n\r\n", *g_uri_get_path(u) != '\0' ?
		    g_uri_get_path(u) : "/", g_uri_get_query(u) != NULL ? "?" :
		    "", g_uri_get_query(u) != NULL ? g_uri_get_query(u) : "",
		    hostport);
		ok = lookup_tcp_exchange(hostport, port, tls, cfg->ca_file,
		    req, cfg->max_response > 0 ? cfg->max_response :
		    LOOKUP_RESPONSE_MAX, deadline, &resp, error);
		g_free(req);
		g_free(hostport);
		if (!ok) {
			g_uri_unref(u);
			break;
		}
		loc = NULL;
		status = http_body((char *)resp->data, resp->len - 1, body_r,
		    blen_r, &loc, error);
		if (status >= 300 && status < 400 && loc != NULL &&
		    hops < LOOKUP_REDIRECT_MAX) {
			next = g_uri_resolve_relative(cur, loc,
			    G_URI_FLAGS_ENCODED, NULL);
			g_free(loc);
			g_uri_unref(u);
			g_byte_array_unref(resp);
			if (next == NULL)
				break;
			g_free(cur);
			cur = next;
			continue;
		}
		g_free(loc);
		g_uri_unref(u);
		if (status == 200) {
			*resp_r = resp;
			g_free(cur);
			return 1;
		}
		g_byte_array_unref(resp);
		if (status == 404) {
			g_free(cur);
			return 0;
		}
		if (status >= 0)
			g_set_error(error, LOOKUP_ERROR, LOOKUP_ERROR_PROTOCOL,
			    "rdap %s: HTTP %d", cur, status);
		else
			g_prefix_error(error, "rdap %s: ", cur);
		g_free(cur);
		return -1;
	}
	if (error != NULL && *error == NULL)
		g_set_error(error, LOOKUP_ERROR, LOOKUP_ERROR_PROTOCOL,
		    "rdap %s: too many redirects", url);
	g_free(cur);
	return -1;
}

static int
rdap_query(const struct lookup_config *cfg, const char *kind,
    const char *query, struct lookup_answer *ans, GError **error)
{
	GByteArray *resp = NULL;
	char *url, *body;
	const char *base = cfg->rdap_base;
	gsize blen, blen_base;
	gint64 deadline;
	int rv;

	g_return_val_if_fail(error == NULL || *error == NULL, -1);
	memset(ans, 0, sizeof(*ans));
	if (base == NULL || *base == '\0') {
		g_set_error(error, LOOKUP_ERROR, LOOKUP_ERROR_CONFIG,
		    "rdap: no base URL");
		return -1;
	}
	blen_base = strlen(base);
	while (blen_base > 0 && base[blen_base - 1] == '/')
		blen_base--;
	url = g_strdup_printf("%.*s/%s/%s", (int)blen_base, base, kind, query);
	deadline = g_get_monotonic_time() +
	    (gint64)cfg->rdap_timeout_ms * 1000;
	rv = rdap_get(cfg, url, deadline, &resp, &body, &blen, error);
	if (rv == 1) {
		rv = lookup_rdap_parse(cfg, query, body, blen, ans, error);
		g_byte_array_unref(resp);
	}
	if (rv == 1) {
		ans->source = g_strdup("rdap");
		ans->detail = g_strdup_printf("rdap %s: %s%s%s%s%s", url,
		    ans->network != NULL ? ans->network : query,
		    ans->abuse_email != NULL ? " abuse " : " no abuse contact",
		    ans->abuse_email != NULL ? ans->abuse_email : "",
		    ans->handle != NULL ? " entity " : "",
		    ans->handle != NULL ? ans->handle : "");
		if (ans->catch_all) {
			char *d = ans->detail;

			ans->detail = g_strconcat(d, " (registry catch-all)",
			    NULL);
			g_free(d);
		}
	} else
		lookup_answer_clear(ans);
	g_free(url);
	return rv;
}

int
lookup_rdap_ip(const struct lookup_config *cfg, const char *ip,
    struct lookup_answer *ans, GError **error)
{
	struct netaddr a;
	char buf[64];
	int rv;

	if (!netaddr_parse(ip, strlen(ip), &a)) {
		memset(ans, 0, sizeof(*ans));
		g_set_error(error, LOOKUP_ERROR, LOOKUP_ERROR_CONFIG,
		    "rdap: %s is not an address", ip);
		return -1;
	}
	netaddr_format(&a, buf, sizeof(buf));
	rv = rdap_query(cfg, "ip", buf, ans, error);
	if (rv == 1 && (!ans->has_range || ans->catch_all)) {
		/* a catch-all answer is cached for this address only */
		ans->first = ans->last = a;
		ans->has_range = TRUE;
	}
	return rv;
}

int
lookup_rdap_domain(const struct lookup_config *cfg, const char *name,
    struct lookup_answer *ans, GError **error)
{
	gsize i, len = strlen(name);

	for (i = 0; i < len; i++)
		if (!g_ascii_isalnum(name[i]) && name[i] != '.' &&
		    name[i] != '-')
			break;
	if (len == 0 || len > 253 || i < len) {
		memset(ans, 0, sizeof(*ans));
		g_set_error(error, LOOKUP_ERROR, LOOKUP_ERROR_CONFIG,
		    "rdap: %s is not a domain name (A-labels only)", name);
		return -1;
	}
	return rdap_query(cfg, "domain", name, ans, error);
}
