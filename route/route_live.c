/*
 * route_live.c: the live lookups (RDAP, whois, DNS) as the ladder's
 * struct route_live hook.
 *
 * Defines route_live_enabled(), route_live_new(), route_live_free(),
 * route_live_hook(), route_live_begin(), route_live_cache() and
 * route_live_fetched().  A context owns a copy of the lookup config, the
 * answer cache (per network range, the one the case DB persists), an
 * in-memory cache of domain answers, and the contacts made from answers
 * (long-lived: they stay until route_live_free(), so routes may point at
 * them).  Answers are hostile input: an abuse address must look like one
 * address, names are cleaned and cut before they reach a reason chain or
 * a takedown.
 *
 * Time is bounded three ways: every lookup has its source's timeout
 * (lookup.h); after a source timed out or could not be reached the
 * context answers from its cache only for ROUTE_LIVE_BACKOFF seconds (IP
 * and domain lookups apart), so a dead server costs one timeout, not one
 * per finding; and one message may spend at most ROUTE_LIVE_BUDGET
 * network lookups and ROUTE_LIVE_BUDGET_MS (route_live_begin() starts a
 * message).  A lookup never fails a message: -1 only tells the ladder to
 * go on offline.
 */
#include "config.h"

#include <string.h>

#include "route/route_int.h"
#include "route/lookup.h"

#define ROUTE_LIVE_BACKOFF	60	/* seconds of cache only after a
					 * failure */
#define ROUTE_LIVE_BUDGET	16	/* network lookups per message */
#define ROUTE_LIVE_BUDGET_MS	20000	/* network time per message */
#define ROUTE_LIVE_CONTACTS_MAX	10000	/* contacts made from answers */
#define ROUTE_LIVE_DOMAINS_MAX	10000	/* domain answers kept */
#define ROUTE_LIVE_NAME_MAX	120	/* bytes of a name kept */
#define ROUTE_LIVE_EMAIL_MAX	254	/* RFC 5321 path limit */

/* A domain's answer: the registrar's contact, or NULL (none usable). */
struct live_domain {
	const struct contact	*contact;
	char			*step;	/* "rdap example.com NAME a@b" */
	gint64			 expires_at;
};

struct route_live_ctx {
	GMutex			 lock;
	struct lookup_config	 cfg;	/* strings point into strs */
	GPtrArray		*strs;
	struct lookup_cache	*cache;
	GHashTable		*contacts;	/* "kind:email" -> contact */
	GHashTable		*domains;	/* name -> struct live_domain */
	guint			 fetched;	/* answers fetched, ever */
	guint			 budget;	/* lookups left (message) */
	gint64			 spent_us;	/* network time (message) */
	gint64			 ip_down;	/* cache only until then */
	gint64			 domain_down;	/* no domain lookups until */
};

static const char *const sources[] = { "rdap", "whois", "dns" };

gboolean
route_live_enabled(const struct lookup_config *cfg)
{
	return cfg != NULL && (cfg->rdap_enabled || cfg->whois_enabled ||
	    cfg->dns_enabled);
}

/* keep - a copy of s owned by the context (NULL stays NULL) */
static const char *
keep(struct route_live_ctx *ctx, const char *s)
{
	char *p;

	if (s == NULL)
		return NULL;
	p = g_strdup(s);
	g_ptr_array_add(ctx->strs, p);
	return p;
}

static void
domain_free(gpointer p)
{
	struct live_domain *d = p;

	g_free(d->step);
	g_free(d);
}

struct route_live_ctx *
route_live_new(const struct lookup_config *cfg, guint cache_max)
{
	struct route_live_ctx *ctx;

	if (!route_live_enabled(cfg))
		return NULL;
	ctx = g_new0(struct route_live_ctx, 1);
	g_mutex_init(&ctx->lock);
	ctx->strs = g_ptr_array_new_with_free_func(g_free);
	ctx->cfg = *cfg;
	ctx->cfg.rdap_base = keep(ctx, cfg->rdap_base);
	ctx->cfg.ca_file = keep(ctx, cfg->ca_file);
	ctx->cfg.whois_server = keep(ctx, cfg->whois_server);
	ctx->cfg.dns_server = keep(ctx, cfg->dns_server);
	ctx->cfg.dns_origin_zone = keep(ctx, cfg->dns_origin_zone);
	ctx->cfg.dns_origin6_zone = keep(ctx, cfg->dns_origin6_zone);
	ctx->cfg.dns_asn_zone = keep(ctx, cfg->dns_asn_zone);
	ctx->cfg.dns_abuse_zone = keep(ctx, cfg->dns_abuse_zone);
	ctx->cfg.catch_all_emails = keep(ctx, cfg->catch_all_emails);
	ctx->cfg.catch_all_handles = keep(ctx, cfg->catch_all_handles);
	ctx->cache = lookup_cache_new(cache_max);
	ctx->contacts = g_hash_table_new_full(g_str_hash, g_str_equal,
	    g_free, (GDestroyNotify)contact_free);
	ctx->domains = g_hash_table_new_full(g_str_hash, g_str_equal,
	    g_free, domain_free);
	ctx->budget = ROUTE_LIVE_BUDGET;
	return ctx;
}

void
route_live_free(struct route_live_ctx **cp)
{
	struct route_live_ctx *ctx;

	if (cp == NULL || (ctx = *cp) == NULL)
		return;
	lookup_cache_free(&ctx->cache);
	g_hash_table_unref(ctx->contacts);
	g_hash_table_unref(ctx->domains);
	g_ptr_array_unref(ctx->strs);
	g_mutex_clear(&ctx->lock);
	g_free(ctx);
	*cp = NULL;
}

struct lookup_cache *
route_live_cache(struct route_live_ctx *ctx)
{
	return ctx->cache;
}

guint
route_live_fetched(struct route_live_ctx *ctx)
{
	guint n;

	g_mutex_lock(&ctx->lock);
	n = ctx->fetched;
	g_mutex_unlock(&ctx->lock);
	return n;
}

void
route_live_begin(struct route_live_ctx *ctx)
{
	g_mutex_lock(&ctx->lock);
	ctx->budget = ROUTE_LIVE_BUDGET;
	ctx->spent_us = 0;
	g_mutex_unlock(&ctx->lock);
}

/* email_ok - one plain address, safe for a header and a reason */
static gboolean
email_ok(const char *s)
{
	const char *at = strchr(s, '@');
	gsize len = strlen(s);
	const char *p;

	if (len < 3 || len > ROUTE_LIVE_EMAIL_MAX || at == NULL ||
	    at == s || at[1] == '\0' || strchr(at + 1, '@') != NULL)
		return FALSE;
	for (p = s; *p != '\0'; p++)
		if ((guchar)*p <= ' ' || (guchar)*p >= 0x7f ||
		    strchr(",;:<>()[]\"\\", *p) != NULL)
			return FALSE;
	return TRUE;
}

/* clean - s cut to ROUTE_LIVE_NAME_MAX bytes, controls and non-ASCII as
 * '?' (g_free) */
static char *
clean(const char *s)
{
	char *d = g_strndup(s, ROUTE_LIVE_NAME_MAX), *p;

	for (p = d; *p != '\0'; p++)
		if ((guchar)*p < ' ' || (guchar)*p >= 0x7f)
			*p = '?';
	return d;
}

/* server_of - the endpoint a source asked, for the reason chain */
static char *
server_of(const struct lookup_config *cfg, const char *source)
{
	const char *b;
	char *host, *s;

	if (strcmp(source, "rdap") == 0 && cfg->rdap_base != NULL) {
		b = strstr(cfg->rdap_base, "://");
		b = b != NULL ? b + 3 : cfg->rdap_base;
		host = g_strndup(b, strcspn(b, "/"));
		s = clean(host);
		g_free(host);
		return s;
	}
	if (strcmp(source, "whois") == 0 && cfg->whois_server != NULL)
		return clean(cfg->whois_server);
	if (strcmp(source, "dns") == 0)
		return g_strdup(cfg->dns_server != NULL ? cfg->dns_server :
		    "resolver");
	return g_strdup(source);
}

/* make_contact - the context's contact for an answer's address (made on
 * first use), or NULL when the context holds too many */
static const struct contact *
make_contact(struct route_live_ctx *ctx, const struct lookup_answer *a,
    enum contact_kind kind, const char *fallback_name)
{
	struct contact *c;
	char *email = g_ascii_strdown(a->abuse_email, -1);
	char *key = g_strdup_printf("%d:%s", (int)kind, email);

	if ((c = g_hash_table_lookup(ctx->contacts, key)) != NULL ||
	    g_hash_table_size(ctx->contacts) >= ROUTE_LIVE_CONTACTS_MAX) {
		g_free(key);
		g_free(email);
		return c;
	}
	c = g_new0(struct contact, 1);
	c->id = g_strdup_printf("%s:%s", a->source, email);
	c->name = clean(a->name != NULL && *a->name != '\0' ? a->name :
	    fallback_name);
	c->email = email;
	c->country = a->country != NULL && strlen(a->country) == 2 ?
	    g_ascii_strup(a->country, 2) : NULL;
	c->language = g_strdup(c->country != NULL &&
	    strcmp(c->country, "JP") == 0 ? "ja" : "en");
	c->kind = kind;
	g_hash_table_insert(ctx->contacts, key, c);
	return c;
}

/* probe - bit i set when sources[i] is enabled and cached for a */
static guint
probe(struct route_live_ctx *ctx, const struct netaddr *a, gint64 now)
{
	const gboolean on[] = { ctx->cfg.rdap_enabled,
	    ctx->cfg.whois_enabled, ctx->cfg.dns_enabled };
	struct lookup_answer tmp;
	guint i, mask = 0;

	for (i = 0; i < G_N_ELEMENTS(sources); i++)
		if (on[i] && lookup_cache_get(ctx->cache, sources[i], a, now,
		    &tmp) == 1) {
			mask |= 1u << i;
			lookup_answer_clear(&tmp);
		}
	return mask;
}

/* source_bit - the probe bit of a source name */
static guint
source_bit(const char *source)
{
	guint i;

	for (i = 0; source != NULL && i < G_N_ELEMENTS(sources); i++)
		if (strcmp(source, sources[i]) == 0)
			return 1u << i;
	return 0;
}

/* offline - why the network may not be asked now, or NULL (down: the
 * end of the pause of that kind of lookup) */
static const char *
offline(const struct route_live_ctx *ctx, gint64 down, gint64 now)
{
	if (now < down)
		return "paused after a failure";
	if (ctx->budget == 0 || ctx->spent_us >=
	    (gint64)ROUTE_LIVE_BUDGET_MS * 1000)
		return "this message's budget is spent";
	return NULL;
}

/* range_prefix - the prefix length when first..last is one CIDR block,
 * else -1 */
static int
range_prefix(const struct netaddr *f, const struct netaddr *l)
{
	int bit, fb, lb, p = -1;

	if (f->v4 != l->v4)
		return -1;
	for (bit = 0; bit < 128; bit++) {
		fb = (f->b[bit / 8] >> (7 - bit % 8)) & 1;
		lb = (l->b[bit / 8] >> (7 - bit % 8)) & 1;
		if (p < 0 && fb != lb) {
			if (fb != 0)
				return -1;
			p = bit;
		}
		if (p >= 0 && (fb != 0 || lb != 1))
			return -1;
	}
	if (p < 0)
		p = 128;
	if (f->v4)
		return p >= 96 ? p - 96 : -1;
	return p;
}

/* network_of - the answer's range as "a/len" when it is one block, else
 * as the source wrote it (g_free) */
static char *
network_of(const struct lookup_answer *a, const char *query)
{
	char buf[64];
	int len;

	if (a->has_range && (len = range_prefix(&a->first, &a->last)) >= 0)
		return g_strdup_printf("%s/%d", netaddr_format(&a->first, buf,
		    sizeof(buf)), len);
	return clean(a->network != NULL ? a->network : query);
}

/* unreachable - an error that says the source is down or slow (a bad
 * answer about one address does not pause the others) */
static gboolean
unreachable(const GError *e)
{
	return g_error_matches(e, LOOKUP_ERROR, LOOKUP_ERROR_TIMEOUT) ||
	    g_error_matches(e, LOOKUP_ERROR, LOOKUP_ERROR_IO);
}

/* failed - a lookup error into the reason chain (err is freed); a source
 * that cannot be reached pauses its kind of lookup (*down_r) */
static void
failed(GError *err, gint64 *down_r, gint64 now, GString *why)
{
	g_string_append_printf(why, " -> live lookup failed: %s",
	    err->message);
	if (unreachable(err))
		*down_r = now + ROUTE_LIVE_BACKOFF;
	g_error_free(err);
}

/* answer_step - the reason step and return value of a usable-or-not
 * answer a (kind: the contact kind made from it) */
static int
answer_step(struct route_live_ctx *ctx, const struct lookup_answer *a,
    enum contact_kind kind, const char *query, gboolean cached,
    const struct contact **contact_r, GString *why)
{
	char *server = server_of(&ctx->cfg, a->source);
	char *email = a->abuse_email != NULL ? clean(a->abuse_email) : NULL;
	const struct contact *c;
	int rv = 0;

	if (email == NULL) {
		g_string_append_printf(why, " -> %s %s: no abuse contact",
		    a->source, query);
	} else if (a->catch_all) {
		g_string_append_printf(why, " -> %s: %s is the registry's "
		    "catch-all: not used", a->source, email);
	} else if (!email_ok(a->abuse_email)) {
		g_string_append_printf(why, " -> %s: \"%s\" is not an "
		    "address: not used", a->source, email);
	} else if ((c = make_contact(ctx, a, kind, query)) == NULL) {
		g_string_append_printf(why, " -> %s: too many live contacts: "
		    "not used", a->source);
	} else {
		char *net = kind == CONTACT_REGISTRAR ? clean(query) :
		    network_of(a, query);

		g_string_append_printf(why, " -> %s %s", a->source, net);
		if (a->name != NULL && *a->name != '\0')
			g_string_append_printf(why, " %s", c->name);
		g_string_append_printf(why, " %s (%s, %s)", c->email, server,
		    cached ? "cached" : "fetched");
		*contact_r = c;
		g_free(net);
		rv = 1;
	}
	g_free(email);
	g_free(server);
	return rv;
}

/* live_ip - struct route_live's ip(): see route.h */
static int
live_ip(void *vctx, const char *ip, guint32 asn G_GNUC_UNUSED,
    const struct contact **contact_r, GString *why)
{
	struct route_live_ctx *ctx = vctx;
	struct lookup_config cfg;
	struct lookup_answer a;
	struct netaddr na;
	GError *err = NULL;
	const char *off;
	gint64 now = g_get_real_time() / G_USEC_PER_SEC, t0;
	guint hit, after, i;
	int rv;

	if (!netaddr_parse(ip, strlen(ip), &na))
		return 0;
	g_mutex_lock(&ctx->lock);
	cfg = ctx->cfg;
	hit = probe(ctx, &na, now);
	if ((off = offline(ctx, ctx->ip_down, now)) != NULL) {
		/* only what the cache knows */
		cfg.rdap_enabled &= (hit & 1) != 0;
		cfg.whois_enabled &= (hit & 2) != 0;
		cfg.dns_enabled &= (hit & 4) != 0;
		if (hit == 0) {
			g_string_append_printf(why, " -> live lookup "
			    "skipped: %s", off);
			g_mutex_unlock(&ctx->lock);
			return 0;
		}
	}
	t0 = g_get_monotonic_time();
	rv = lookup_ip(&cfg, ctx->cache, ip, &a, &err);
	after = probe(ctx, &na, now);
	for (i = 0; i < G_N_ELEMENTS(sources); i++)
		if ((after & ~hit) & (1u << i))
			ctx->fetched++;
	if (off == NULL) {
		ctx->budget--;
		ctx->spent_us += g_get_monotonic_time() - t0;
	}
	if (rv < 0) {
		failed(err, &ctx->ip_down, now, why);
	} else if (rv == 0) {
		g_string_append(why, " -> live lookup: no answer");
	} else {
		rv = answer_step(ctx, &a, CONTACT_NETWORK_OWNER, ip,
		    (hit & source_bit(a.source)) != 0, contact_r, why);
		lookup_answer_clear(&a);
	}
	g_mutex_unlock(&ctx->lock);
	return rv;
}

/* domain_cached - a live domain entry's step, 1/0 as when fetched */
static int
domain_cached(const struct live_domain *d, const struct contact **contact_r,
    GString *why)
{
	g_string_append_printf(why, " -> %s (cached)", d->step);
	if (d->contact == NULL)
		return 0;
	*contact_r = d->contact;
	return 1;
}

/* domain_keep - remembers a domain's answer until its TTL */
static void
domain_keep(struct route_live_ctx *ctx, const char *name,
    const struct contact *c, const char *step, gint64 now)
{
	struct live_domain *d;

	if (ctx->cfg.rdap_ttl == 0)
		return;
	if (g_hash_table_size(ctx->domains) >= ROUTE_LIVE_DOMAINS_MAX)
		g_hash_table_remove_all(ctx->domains);
	d = g_new0(struct live_domain, 1);
	d->contact = c;
	d->step = g_strdup(step);
	d->expires_at = now + ctx->cfg.rdap_ttl;
	g_hash_table_replace(ctx->domains, g_strdup(name), d);
}

/* live_domain - struct route_live's domain(): the registrar's abuse
 * contact of the registrable domain of host, by RDAP */
static int
live_domain(void *vctx, const char *host, const struct contact **contact_r,
    GString *why)
{
	struct route_live_ctx *ctx = vctx;
	const char *name = route_registrable(host), *off;
	struct live_domain *d;
	struct lookup_answer a;
	GError *err = NULL;
	GString *step;
	gint64 now = g_get_real_time() / G_USEC_PER_SEC, t0;
	gsize mark = why->len;
	int rv;

	if (name == NULL)
		name = host;
	g_mutex_lock(&ctx->lock);
	if ((d = g_hash_table_lookup(ctx->domains, name)) != NULL &&
	    d->expires_at > now) {
		rv = domain_cached(d, contact_r, why);
		g_mutex_unlock(&ctx->lock);
		return rv;
	}
	if ((off = offline(ctx, ctx->domain_down, now)) != NULL) {
		g_string_append_printf(why, " -> live lookup skipped: %s",
		    off);
		g_mutex_unlock(&ctx->lock);
		return 0;
	}
	t0 = g_get_monotonic_time();
	rv = lookup_rdap_domain(&ctx->cfg, name, &a, &err);
	ctx->budget--;
	ctx->spent_us += g_get_monotonic_time() - t0;
	if (rv < 0) {
		failed(err, &ctx->domain_down, now, why);
	} else if (rv == 0) {
		g_string_append_printf(why, " -> rdap %s: not found", name);
		domain_keep(ctx, name, NULL, why->str + mark + 4, now);
	} else {
		if (a.source == NULL)
			a.source = g_strdup("rdap");
		rv = answer_step(ctx, &a, CONTACT_REGISTRAR, name, FALSE,
		    contact_r, why);
		/* the step without its "(server, fetched)" for the cache */
		step = g_string_new(why->str + mark + 4);
		if (rv == 1 && strrchr(step->str, '(') != NULL)
			g_string_truncate(step, strrchr(step->str, '(') -
			    step->str - 1);
		domain_keep(ctx, name, rv == 1 ? *contact_r : NULL, step->str,
		    now);
		g_string_free(step, TRUE);
		lookup_answer_clear(&a);
	}
	g_mutex_unlock(&ctx->lock);
	return rv;
}

gboolean
route_live_hook(struct route_live_ctx *ctx, struct route_live *out)
{
	memset(out, 0, sizeof(*out));
	if (ctx == NULL || !route_live_enabled(&ctx->cfg))
		return FALSE;
	out->ip = live_ip;
	out->domain = ctx->cfg.rdap_enabled ? live_domain : NULL;
	out->ctx = ctx;
	return TRUE;
}
