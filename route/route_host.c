/*
 * route_host.c: routing URL hosts and domain names.
 *
 * Owns route_url_host() (the host part of a URL, userinfo and port
 * dropped, "[v6]" unbracketed, U-labels turned into A-labels) and
 * route_decide_host().  An IP literal takes the IP ladder of
 * route_decide.c.  A name, without any DNS lookup, follows the steps of
 * [route] ladder that apply to names (networks and asn do not), by
 * default:
 *
 *   1. its registrable domain (Public Suffix List, libpsl builtin) is
 *      noted when it differs from the name (always);
 *   2. domains: the analysts' domain mapping, longest suffix on label
 *      boundaries;
 *   3. live: lookups when a struct route_live is set (off by default);
 *   4. country: the country of its ccTLD ("uk" read as GB; .eu and
 *      generic TLDs have none), then route_decide_finish(): owner (with
 *      the ccTLD's CSIRT in Cc when foreign), else the ccTLD's national
 *      CSIRT.
 *
 * A step that looks for an owner is skipped once one is known.  Without
 * the country step the owner, if any, is the decision.
 */
#include "config.h"

#include <string.h>

#include "route/route_int.h"

gboolean
route_url_host(const char *url, char *buf, gsize size)
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
		return route_host_clean(p + 1, close - p - 1, buf, size);
	}
	colon = memchr(p, ':', end - p);
	return route_host_clean(p, (colon != NULL ? colon : end) - p, buf,
	    size);
}

/* cctld_country - the country of host's TLD into code, or FALSE */
static gboolean
cctld_country(const char *host, char code[3])
{
	const char *tld = strrchr(host, '.');

	tld = tld != NULL ? tld + 1 : host;
	if (strlen(tld) != 2 || !g_ascii_isalpha(tld[0]) ||
	    !g_ascii_isalpha(tld[1]))
		return FALSE;
	code[0] = g_ascii_toupper(tld[0]);
	code[1] = g_ascii_toupper(tld[1]);
	code[2] = '\0';
	if (strcmp(code, "UK") == 0)
		memcpy(code, "GB", 3);
	return country_is_real(code);
}

/* domain_country - the country step of a name: its ccTLD, then the
 * decision */
static void
domain_country(const struct route_tables *t, const char *host,
    struct route_decision *d)
{
	const char *cc = NULL;

	if (cctld_country(host, d->code)) {
		g_string_append_printf(d->why, " -> ccTLD .%s",
		    strrchr(host, '.') != NULL ? strrchr(host, '.') + 1 :
		    host);
		cc = d->code;
	}
	if (cc == NULL && d->owner == NULL) {
		g_string_append(d->why, " -> no contact for domain");
		return;
	}
	route_decide_finish(t, cc, d);
}

/* decide_domain - a name (lower-case A-labels), step by step */
static void
decide_domain(const struct route_tables *t, const char *host,
    struct route_decision *d)
{
	const struct map_entry *e;
	const struct contact *c = NULL;
	const char *reg = route_registrable(host);
	guint i;

	if (reg != NULL && strcmp(reg, host) != 0)
		g_string_append_printf(d->why, " -> registrable %s", reg);
	for (i = 0; i < t->nsteps; i++) {
		switch (t->ladder[i]) {
		case ROUTE_STEP_DOMAINS:
			if (d->owner != NULL || (e = route_domain_lookup(
			    t->domain_map, host)) == NULL)
				break;
			g_string_append_printf(d->why, " -> %s (%s:%u)",
			    e->key, e->file, e->line);
			d->owner = e->contact;
			break;
		case ROUTE_STEP_LIVE:
			if (d->owner == NULL && t->live.domain != NULL &&
			    t->live.domain(t->live.ctx, host, &c,
			    d->why) == 1 && c != NULL)
				d->owner = c;
			break;
		case ROUTE_STEP_COUNTRY:
			domain_country(t, host, d);
			return;
		default:	/* networks, asn: addresses only */
			break;
		}
	}
	if (d->owner == NULL) {
		g_string_append(d->why, " -> no contact for domain");
		return;
	}
	route_decide_finish(t, NULL, d);
}

enum route_decided
route_decide_host(const struct route_tables *t, const char *host,
    struct route_decision *d)
{
	struct netaddr a;

	if (netaddr_parse(host, strlen(host), &a)) {
		if (netaddr_is_special(&a, NULL))
			return ROUTE_SKIP;
		route_decide_ip(t, &a, d);
	} else if (strchr(host, ':') != NULL) {
		g_string_append(d->why, " -> not a host name");
	} else
		decide_domain(t, host, d);
	return d->contact != NULL ? ROUTE_ROUTED : ROUTE_UNROUTED;
}
