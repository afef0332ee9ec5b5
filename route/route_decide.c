/*
 * route_decide.c: who gets each offender finding, and why.
 *
 * Owns route_report().  For an IP (a finding, or the host of a URL): the
 * analysts' networks (most specific prefix) first; else the country where
 * the address is located (geo table) or, when that is unknown or not a
 * country, where it is registered (rir table), and that country's usable
 * national CSIRT, unless it is our own country.  For a domain (no DNS
 * lookups): its ccTLD's national CSIRT; generic TLDs stay unrouted.
 * Every decision carries its reason chain, built in the report's arena;
 * the struct route array is freed with the arena.  Special-purpose
 * addresses are skipped: they are never offenders.
 */
#include "config.h"

#include <string.h>

#include "route/route_int.h"

/* Longest host name looked at (RFC 1035: 253). */
#define HOST_MAX	253

enum decided { SKIP = -1, UNROUTED = 0, ROUTED = 1 };

struct decision {
	GString			*why;
	const struct contact	*contact;
	const char		*country;
	char			 cc[3];		/* country of a ccTLD */
};

/* decide_country - the national CSIRT of cc, or why there is none */
static void
decide_country(const struct route_tables *t, const char *cc,
    struct decision *d)
{
	const struct csirt *s;

	d->country = cc;
	if (t->own_country[0] != '\0' && strcmp(cc, t->own_country) == 0) {
		g_string_append(d->why,
		    " -> domestic, no constituency contact");
		return;
	}
	if ((s = g_hash_table_lookup(t->csirts, cc)) == NULL) {
		g_string_append_printf(d->why, " -> no national CSIRT for %s",
		    cc);
		return;
	}
	if (s->contact == NULL) {
		if (s->has_email)
			g_string_append_printf(d->why, " -> CSIRT for %s has "
			    "%s address: not used", cc, s->confidence);
		else
			g_string_append_printf(d->why, " -> CSIRT for %s has "
			    "no address (%s): not used", cc, s->confidence);
		return;
	}
	g_string_append_printf(d->why, " -> %s <%s> (%s, %s)",
	    s->contact->name, s->contact->email, s->source, s->confidence);
	d->contact = s->contact;
}

/* country_step - appends "-> located CC (file)" and says if it counts */
static gboolean
country_step(const char *verb, const char *cc,
    const struct country_table *tab, struct decision *d)
{
	if (cc == NULL)
		return FALSE;
	g_string_append_printf(d->why, " -> %s %s (%s)", verb, cc,
	    country_table_name(tab));
	if (!country_is_real(cc)) {
		g_string_append(d->why, ": not a country");
		return FALSE;
	}
	return TRUE;
}

static void
decide_ip(const struct route_tables *t, const struct netaddr *a,
    struct decision *d)
{
	const char *geo = country_table_lookup(t->geo, a);
	const char *rir = country_table_lookup(t->rir, a);
	struct net_match m;

	if (net_table_lookup(t->networks, a, &m) == 1) {
		g_string_append_printf(d->why, " -> %s (%s:%u) -> %s <%s>",
		    m.cidr, m.file, m.line, m.contact->id, m.contact->email);
		d->contact = m.contact;
		if (country_is_real(geo))
			d->country = geo;
		else if (country_is_real(rir))
			d->country = rir;
		else
			d->country = m.contact->country;
		return;
	}
	if (country_step("located", geo, t->geo, d))
		decide_country(t, geo, d);
	else if (country_step("registered", rir, t->rir, d))
		decide_country(t, rir, d);
	else if (geo == NULL && rir == NULL)
		g_string_append(d->why, " -> no country known");
}

/* decide_domain - ccTLD -> national CSIRT; host is lower case */
static void
decide_domain(const struct route_tables *t, const char *host,
    struct decision *d)
{
	const char *tld = strrchr(host, '.');
	char code[3];

	tld = tld != NULL ? tld + 1 : host;
	if (strlen(tld) == 2 && g_ascii_isalpha(tld[0]) &&
	    g_ascii_isalpha(tld[1])) {
		code[0] = g_ascii_toupper(tld[0]);
		code[1] = g_ascii_toupper(tld[1]);
		code[2] = '\0';
		if (strcmp(code, "UK") == 0)
			memcpy(code, "GB", 3);
		if (country_is_real(code)) {
			g_string_append_printf(d->why, " -> ccTLD .%s", tld);
			memcpy(d->cc, code, 3);
			decide_country(t, d->cc, d);
			return;
		}
	}
	g_string_append(d->why, " -> no contact for domain");
}

/* clean_host - lower case, no trailing dot; FALSE if not a host name */
static gboolean
clean_host(const char *s, gsize len, char *buf, gsize size)
{
	gsize i;

	while (len > 0 && s[len - 1] == '.')
		len--;
	if (len == 0 || len >= size || len > HOST_MAX)
		return FALSE;
	for (i = 0; i < len; i++) {
		if (!g_ascii_isalnum(s[i]) && strchr(".-_:", s[i]) == NULL)
			return FALSE;
		buf[i] = g_ascii_tolower(s[i]);
	}
	buf[len] = '\0';
	return TRUE;
}

/* url_host - the host of a URL ("[v6]" unbracketed), FALSE if none */
static gboolean
url_host(const char *url, char *buf, gsize size)
{
	const char *p = strstr(url, "://"), *end, *at, *colon;

	p = p != NULL ? p + 3 : url;
	end = p + strcspn(p, "/?#\\");
	for (at = end; at > p; at--)
		if (at[-1] == '@') {
			p = at;
			break;
		}
	if (*p == '[') {
		const char *close = memchr(p, ']', end - p);

		if (close == NULL)
			return FALSE;
		return clean_host(p + 1, close - p - 1, buf, size);
	}
	colon = memchr(p, ':', end - p);
	return clean_host(p, (colon != NULL ? colon : end) - p, buf, size);
}

/* decide_host - a URL host or domain finding: IP literal or name */
static enum decided
decide_host(const struct route_tables *t, const char *host,
    struct decision *d)
{
	struct netaddr a;

	if (netaddr_parse(host, strlen(host), &a)) {
		if (netaddr_is_special(&a, NULL))
			return SKIP;
		decide_ip(t, &a, d);
	} else if (strchr(host, ':') != NULL) {
		g_string_append(d->why, " -> not a host name");
	} else
		decide_domain(t, host, d);
	return d->contact != NULL ? ROUTED : UNROUTED;
}

static enum decided
decide(const struct route_tables *t, const struct finding *f,
    struct decision *d)
{
	struct netaddr a;
	char host[HOST_MAX + 1];

	g_string_append_printf(d->why, "%s %.200s", finding_kind_name(f->kind),
	    f->value);
	switch (f->kind) {
	case FINDING_IPV4:
	case FINDING_IPV6:
		if (!netaddr_parse(f->value, strlen(f->value), &a)) {
			g_string_append(d->why, " -> not an IP address");
			return UNROUTED;
		}
		if (netaddr_is_special(&a, NULL))
			return SKIP;
		decide_ip(t, &a, d);
		return d->contact != NULL ? ROUTED : UNROUTED;
	case FINDING_URL:
		if (!url_host(f->value, host, sizeof(host))) {
			g_string_append(d->why, " -> no host");
			return UNROUTED;
		}
		g_string_append_printf(d->why, " -> host %s", host);
		return decide_host(t, host, d);
	case FINDING_DOMAIN:
		if (!clean_host(f->value, strlen(f->value), host,
		    sizeof(host)) || strchr(host, ':') != NULL) {
			g_string_append(d->why, " -> not a host name");
			return UNROUTED;
		}
		return decide_host(t, host, d);
	default:
		return SKIP;
	}
}

void
route_report(const struct route_tables *t, struct report *r,
    struct route_result *res)
{
	struct decision d;
	struct route *rt;
	enum decided rc;
	guint i;

	g_return_if_fail(t != NULL && r != NULL && res != NULL);

	res->routes = g_ptr_array_new();
	res->unrouted = 0;
	arena_add_destructor(r->arena, (GDestroyNotify)g_ptr_array_unref,
	    res->routes);
	d.why = g_string_sized_new(256);
	for (i = 0; r->findings != NULL && i < r->findings->len; i++) {
		const struct finding *f = r->findings->pdata[i];

		if (f->role != FINDING_ROLE_OFFENDER || f->suppressed)
			continue;
		g_string_truncate(d.why, 0);
		d.contact = NULL;
		d.country = NULL;
		if ((rc = decide(t, f, &d)) == SKIP)
			continue;
		if ((rt = arena_alloc(r->arena, sizeof(*rt))) == NULL ||
		    (rt->reason = arena_strdup(r->arena, d.why->str)) ==
		    NULL || (d.country != NULL &&
		    (rt->country = arena_strdup(r->arena, d.country)) ==
		    NULL)) {
			report_warn(r, "route: arena exhausted after %u "
			    "routes", res->routes->len);
			break;
		}
		rt->finding = f;
		rt->contact = d.contact;
		g_ptr_array_add(res->routes, rt);
		if (rc == UNROUTED)
			res->unrouted++;
	}
	g_string_free(d.why, TRUE);
}
