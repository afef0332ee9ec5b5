/*
 * lookup_cache.c: answers of live lookups, cached per network range; and
 * lookup_ip(), the one call the decision ladder makes.
 *
 * Owns lookup_error_quark(), lookup_config_defaults(), the lookup_answer
 * helpers (clear, copy, catch-all test, JSON form), the in-memory cache
 * (lookup_cache_*) and lookup_ip().  The cache holds at most max_entries
 * ranges, each an answer of one source with its expiry; a query takes the
 * narrowest live range holding the address.  A full cache drops the entry
 * that expires first.  The scan is linear: a few thousand ranges cost
 * microseconds, far below one network round trip.  Export/import move
 * rows to and from the case DB (table lookup_cache, see lookup.h); times
 * are seconds since the epoch, passed in so tests need not sleep.
 */
#include "config.h"

#include <string.h>
#include <json-glib/json-glib.h>

#include "route/lookup.h"

G_DEFINE_QUARK(abusedesk-lookup-error-quark, lookup_error)

/* Registries' own addresses, answered for whole regions. */
static const char default_catch_all_emails[] =
    "abuse@ripe.net, hostmaster@ripe.net, abuse@apnic.net, "
    "helpdesk@apnic.net, search-apnic-not-arin@apnic.net, "
    "hostmaster@arin.net, abuse@arin.net, abuse@lacnic.net, "
    "hostmaster@lacnic.net, abuse@afrinic.net, hostmaster@afrinic.net";
static const char default_catch_all_handles[] =
    "IANA, IANA-RIPE, RIPE-NCC-HM-MNT, APNIC-HM, ARIN-HOSTMASTER, "
    "AFRINIC-HM-MNT, LACNIC";

struct entry {
	struct lookup_answer	 ans;	/* ans.source is the key */
	gint64			 fetched_at, expires_at;
};

struct lookup_cache {
	GPtrArray	*entries;	/* struct entry * */
	guint		 max;
};

void
lookup_config_defaults(struct lookup_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->rdap_base = "https://rdap.db.ripe.net";
	cfg->rdap_timeout_ms = 5000;
	cfg->rdap_ttl = 86400;
	cfg->whois_server = "whois.iana.org:43";
	cfg->whois_timeout_ms = 5000;
	cfg->whois_ttl = 86400;
	cfg->whois_referrals = 2;
	cfg->dns_timeout_ms = 2000;
	cfg->dns_ttl = 86400;
	cfg->max_response = LOOKUP_RESPONSE_MAX;
}

void
lookup_answer_clear(struct lookup_answer *a)
{
	if (a == NULL)
		return;
	g_free(a->abuse_email);
	g_free(a->network);
	g_free(a->name);
	g_free(a->country);
	g_free(a->asn);
	g_free(a->as_name);
	g_free(a->handle);
	g_free(a->source);
	g_free(a->detail);
	memset(a, 0, sizeof(*a));
}

void
lookup_answer_copy(struct lookup_answer *d, const struct lookup_answer *s)
{
	*d = *s;
	d->abuse_email = g_strdup(s->abuse_email);
	d->network = g_strdup(s->network);
	d->name = g_strdup(s->name);
	d->country = g_strdup(s->country);
	d->asn = g_strdup(s->asn);
	d->as_name = g_strdup(s->as_name);
	d->handle = g_strdup(s->handle);
	d->source = g_strdup(s->source);
	d->detail = g_strdup(s->detail);
}

/* on_list - s in the comma/space separated list (case-insensitive) */
static gboolean
on_list(const char *list, const char *s)
{
	gsize n = strlen(s), k;
	const char *p = list;

	while (*p != '\0') {
		p += strspn(p, ", \t");
		k = strcspn(p, ", \t");
		if (k == n && k > 0 && g_ascii_strncasecmp(p, s, n) == 0)
			return TRUE;
		p += k;
	}
	return FALSE;
}

gboolean
lookup_is_catch_all(const struct lookup_config *cfg, const char *email,
    const char *handle)
{
	const char *el = cfg->catch_all_emails, *hl = cfg->catch_all_handles;

	if (el == NULL)
		el = default_catch_all_emails;
	if (hl == NULL)
		hl = default_catch_all_handles;
	return (email != NULL && on_list(el, email)) ||
	    (handle != NULL && on_list(hl, handle));
}

#define FIELDS(X) X(abuse_email) X(network) X(name) X(country) X(asn) \
	X(as_name) X(handle) X(source) X(detail)

char *
lookup_answer_to_json(const struct lookup_answer *a)
{
	JsonBuilder *b = json_builder_new();
	JsonGenerator *g = json_generator_new();
	JsonNode *root;
	char *s;

	json_builder_begin_object(b);
#define PUT(f) if (a->f != NULL) { json_builder_set_member_name(b, #f); \
	json_builder_add_string_value(b, a->f); }
	FIELDS(PUT)
#undef PUT
	json_builder_set_member_name(b, "catch_all");
	json_builder_add_boolean_value(b, a->catch_all);
	json_builder_end_object(b);
	root = json_builder_get_root(b);
	json_generator_set_root(g, root);
	s = json_generator_to_data(g, NULL);
	json_node_unref(root);
	g_object_unref(g);
	g_object_unref(b);
	return s;
}

gboolean
lookup_answer_from_json(const char *json, struct lookup_answer *a,
    GError **error)
{
	JsonParser *jp = json_parser_new_immutable();
	JsonNode *root, *n;
	JsonObject *o;

	memset(a, 0, sizeof(*a));
	if (!json_parser_load_from_data(jp, json, -1, NULL) ||
	    (root = json_parser_get_root(jp)) == NULL ||
	    !JSON_NODE_HOLDS_OBJECT(root)) {
		g_set_error(error, LOOKUP_ERROR, LOOKUP_ERROR_PROTOCOL,
		    "cached answer is not a JSON object");
		g_object_unref(jp);
		return FALSE;
	}
	o = json_node_get_object(root);
#define GET(f) if ((n = json_object_get_member(o, #f)) != NULL && \
	JSON_NODE_HOLDS_VALUE(n) && \
	json_node_get_value_type(n) == G_TYPE_STRING) \
		a->f = g_strdup(json_node_get_string(n));
	FIELDS(GET)
#undef GET
	a->catch_all = json_object_get_boolean_member_with_default(o,
	    "catch_all", FALSE);
	g_object_unref(jp);
	return TRUE;
}

static void
entry_free(gpointer p)
{
	struct entry *e = p;

	lookup_answer_clear(&e->ans);
	g_free(e);
}

struct lookup_cache *
lookup_cache_new(guint max_entries)
{
	struct lookup_cache *c = g_new0(struct lookup_cache, 1);

	c->entries = g_ptr_array_new_with_free_func(entry_free);
	c->max = max_entries > 0 ? max_entries : LOOKUP_CACHE_MAX;
	return c;
}

void
lookup_cache_free(struct lookup_cache **cp)
{
	if (cp == NULL || *cp == NULL)
		return;
	g_ptr_array_unref((*cp)->entries);
	g_free(*cp);
	*cp = NULL;
}

guint
lookup_cache_size(const struct lookup_cache *c)
{
	return c->entries->len;
}

/* wider - is range a wider than range b? */
static gboolean
wider(const struct lookup_answer *a, const struct lookup_answer *b)
{
	return memcmp(a->first.b, b->first.b, 16) <= 0 &&
	    memcmp(a->last.b, b->last.b, 16) >= 0;
}

int
lookup_cache_get(struct lookup_cache *c, const char *source,
    const struct netaddr *a, gint64 now, struct lookup_answer *ans)
{
	struct entry *e, *best = NULL;
	guint i;

	for (i = 0; i < c->entries->len; i++) {
		e = g_ptr_array_index(c->entries, i);
		if (e->expires_at <= now) {
			g_ptr_array_remove_index_fast(c->entries, i--);
			continue;
		}
		if (strcmp(e->ans.source, source) != 0 ||
		    e->ans.first.v4 != a->v4 ||
		    memcmp(e->ans.first.b, a->b, 16) > 0 ||
		    memcmp(a->b, e->ans.last.b, 16) > 0)
			continue;
		if (best == NULL || wider(&best->ans, &e->ans))
			best = e;
	}
	if (best == NULL)
		return 0;
	lookup_answer_copy(ans, &best->ans);
	return 1;
}

static void
cache_add(struct lookup_cache *c, const struct lookup_answer *ans,
    gint64 fetched_at, gint64 expires_at)
{
	struct entry *e, *old;
	guint i, oldest = 0;

	if (ans->source == NULL || !ans->has_range || c->max == 0)
		return;
	if (c->entries->len >= c->max) {
		for (i = 1; i < c->entries->len; i++) {
			e = g_ptr_array_index(c->entries, i);
			old = g_ptr_array_index(c->entries, oldest);
			if (e->expires_at < old->expires_at)
				oldest = i;
		}
		g_ptr_array_remove_index_fast(c->entries, oldest);
	}
	e = g_new0(struct entry, 1);
	lookup_answer_copy(&e->ans, ans);
	e->fetched_at = fetched_at;
	e->expires_at = expires_at;
	g_ptr_array_add(c->entries, e);
}

void
lookup_cache_put(struct lookup_cache *c, const struct lookup_answer *ans,
    gint64 now, guint ttl)
{
	if (ttl > 0)
		cache_add(c, ans, now, now + ttl);
}

void
lookup_cache_export(const struct lookup_cache *c, gint64 now,
    lookup_cache_row_fn fn, void *data)
{
	struct lookup_cache_row row;
	struct entry *e;
	char first[64], last[64], *json;
	guint i;

	for (i = 0; i < c->entries->len; i++) {
		e = g_ptr_array_index(c->entries, i);
		if (e->expires_at <= now)
			continue;
		json = lookup_answer_to_json(&e->ans);
		row.source = e->ans.source;
		row.first_ip = netaddr_format(&e->ans.first, first,
		    sizeof(first));
		row.last_ip = netaddr_format(&e->ans.last, last, sizeof(last));
		row.answer_json = json;
		row.fetched_at = e->fetched_at;
		row.expires_at = e->expires_at;
		fn(&row, data);
		g_free(json);
	}
}

gboolean
lookup_cache_import(struct lookup_cache *c,
    const struct lookup_cache_row *row, gint64 now, GError **error)
{
	struct lookup_answer a;

	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);
	if (row->expires_at <= now)
		return TRUE;
	if (!lookup_answer_from_json(row->answer_json, &a, error))
		return FALSE;
	if (row->source == NULL || !netaddr_parse(row->first_ip,
	    strlen(row->first_ip), &a.first) || !netaddr_parse(row->last_ip,
	    strlen(row->last_ip), &a.last) || a.first.v4 != a.last.v4 ||
	    memcmp(a.first.b, a.last.b, 16) > 0) {
		g_set_error(error, LOOKUP_ERROR, LOOKUP_ERROR_PROTOCOL,
		    "cached range %s - %s is not a range", row->first_ip,
		    row->last_ip);
		lookup_answer_clear(&a);
		return FALSE;
	}
	a.has_range = TRUE;
	g_free(a.source);
	a.source = g_strdup(row->source);
	cache_add(c, &a, row->fetched_at, row->expires_at);
	lookup_answer_clear(&a);
	return TRUE;
}

typedef int (*source_fn)(const struct lookup_config *, const char *,
    struct lookup_answer *, GError **);

int
lookup_ip(const struct lookup_config *cfg, struct lookup_cache *c,
    const char *ip, struct lookup_answer *ans, GError **error)
{
	const struct {
		const char	*name;
		gboolean	 on;
		guint		 ttl;
		source_fn	 fn;
	} src[] = {
		{ "rdap", cfg->rdap_enabled, cfg->rdap_ttl, lookup_rdap_ip },
		{ "whois", cfg->whois_enabled, cfg->whois_ttl,
		  lookup_whois_ip },
		{ "dns", cfg->dns_enabled, cfg->dns_ttl, lookup_dns_ip },
	};
	struct lookup_answer got, partial;
	struct netaddr a;
	GError *first = NULL, *e = NULL;
	gint64 now = g_get_real_time() / G_USEC_PER_SEC;
	guint i, tried = 0, failed = 0;
	int rv;

	g_return_val_if_fail(error == NULL || *error == NULL, -1);
	memset(ans, 0, sizeof(*ans));
	memset(&partial, 0, sizeof(partial));
	if (!netaddr_parse(ip, strlen(ip), &a))
		return 0;
	for (i = 0; i < G_N_ELEMENTS(src); i++) {
		if (!src[i].on)
			continue;
		tried++;
		if (c != NULL && lookup_cache_get(c, src[i].name, &a, now,
		    &got) == 1)
			rv = 1;
		else if ((rv = src[i].fn(cfg, ip, &got, &e)) == 1 && c != NULL)
			lookup_cache_put(c, &got, now, src[i].ttl);
		if (rv < 0) {
			failed++;
			if (first == NULL)
				first = e;
			else
				g_error_free(e);
			e = NULL;
			continue;
		}
		if (rv == 0)
			continue;
		if (got.abuse_email != NULL && !got.catch_all) {
			*ans = got;
			lookup_answer_clear(&partial);
			g_clear_error(&first);
			return 1;
		}
		if (partial.source == NULL)
			partial = got;
		else
			lookup_answer_clear(&got);
	}
	if (partial.source != NULL) {
		*ans = partial;
		g_clear_error(&first);
		return 1;
	}
	if (tried > 0 && failed == tried) {
		g_propagate_error(error, first);
		return -1;
	}
	g_clear_error(&first);
	return 0;
}
