/*
 * route_decide.c: who gets each offender finding, and why.
 *
 * Owns route_report() and the ladder for an IP (route_decide_ip), shared
 * with URLs and domains (route_host.c) through route_decide_finish():
 *
 *   1. special-purpose addresses: skipped, never offenders;
 *   2. the analysts' networks (most specific prefix);
 *   3. the origin AS (ip-asn table, named by asn-names) and the analysts'
 *      ASN -> contact mapping;
 *   4. live lookups (RDAP, whois, DNS) when a struct route_live is set:
 *      off by default, never consulted when 2 or 3 found an owner;
 *   5. the hosting country: where the address is located (geo table),
 *      else where it is registered (rir table); codes that are not
 *      countries (EU, AP, ZZ...) never count;
 *   6. the decision: a domestic finding (own_country) goes to the owner
 *      found in 2-4, never to our own national CSIRT; a foreign one goes
 *      to the owner with the hosting country's national CSIRT in Cc (a
 *      second struct route with cc = TRUE), or to that CSIRT alone.  Only
 *      CSIRT addresses of usable confidence are used (route_csirt.c).
 *
 * Every decision carries its reason chain (finding -> prefix -> ASN ->
 * country -> contact, each with its source file and date), built in the
 * report's arena; the struct route array is freed with the arena.
 */
#include "config.h"

#include <string.h>

#include "route/route_int.h"

/* usable_csirt - the national CSIRT of cc, or NULL with why appended;
 * arrow is " -> " or " -> cc " */
static const struct contact *
usable_csirt(const struct route_tables *t, const char *cc, GString *why,
    const char *arrow)
{
	const struct csirt *s;

	if ((s = g_hash_table_lookup(t->csirts, cc)) == NULL) {
		g_string_append_printf(why, "%sno national CSIRT for %s",
		    arrow, cc);
		return NULL;
	}
	if (s->contact == NULL) {
		if (s->has_email)
			g_string_append_printf(why, "%sCSIRT for %s has "
			    "%s address: not used", arrow, cc, s->confidence);
		else
			g_string_append_printf(why, "%sCSIRT for %s has "
			    "no address (%s): not used", arrow, cc,
			    s->confidence);
		return NULL;
	}
	g_string_append_printf(why, "%s%s <%s> (%s, %s)", arrow,
	    s->contact->name, s->contact->email, s->source, s->confidence);
	return s->contact;
}

void
route_decide_finish(const struct route_tables *t, const char *cc,
    struct route_decision *d)
{
	gboolean domestic = cc != NULL && t->own_country[0] != '\0' &&
	    strcmp(cc, t->own_country) == 0;

	d->country = cc != NULL ? cc : d->owner != NULL ?
	    d->owner->country : NULL;
	if (d->owner == NULL) {
		if (cc == NULL)
			return;
		if (domestic)
			g_string_append(d->why,
			    " -> domestic, no constituency contact");
		else
			d->contact = usable_csirt(t, cc, d->why, " -> ");
		return;
	}
	d->contact = d->owner;
	if (cc != NULL && !domestic &&
	    d->owner->kind != CONTACT_NATIONAL_CSIRT) {
		g_string_assign(d->ccwhy, d->why->str);
		d->cc = usable_csirt(t, cc, d->ccwhy, " -> cc ");
		if (d->cc == d->owner)
			d->cc = NULL;
	}
	g_string_append_printf(d->why, " -> %s <%s>", d->owner->id,
	    d->owner->email);
}

/* country_step - appends "-> located CC (file, date)"; TRUE if it counts */
static gboolean
country_step(const char *verb, const char *cc,
    const struct country_table *tab, struct route_decision *d)
{
	if (cc == NULL)
		return FALSE;
	g_string_append_printf(d->why, " -> %s %s", verb, cc);
	route_source(d->why, country_table_name(tab),
	    country_table_date(tab));
	if (!country_is_real(cc)) {
		g_string_append(d->why, ": not a country");
		return FALSE;
	}
	return TRUE;
}

/* asn_step - the origin AS, and the analysts' mapping for it */
static void
asn_step(const struct route_tables *t, const struct netaddr *a,
    struct route_decision *d)
{
	const struct map_entry *e;
	guint32 asn;

	if (range_table_lookup(t->asn, a, &asn, NULL) != 1)
		return;
	d->asn = asn;
	d->as_name = route_as_name(t, asn);
	g_string_append_printf(d->why, " -> AS%u", asn);
	if (d->as_name != NULL)
		g_string_append_printf(d->why, " %s", d->as_name);
	route_source(d->why, range_table_name(t->asn),
	    range_table_date(t->asn));
	if (d->owner == NULL && (e = g_hash_table_lookup(t->asn_map,
	    GUINT_TO_POINTER(asn))) != NULL) {
		g_string_append_printf(d->why, " -> mapped (%s:%u)", e->file,
		    e->line);
		d->owner = e->contact;
	}
}

void
route_decide_ip(const struct route_tables *t, const struct netaddr *a,
    struct route_decision *d)
{
	const char *geo = country_table_lookup(t->geo, a);
	const char *rir = country_table_lookup(t->rir, a);
	const struct contact *c = NULL;
	struct net_match m;
	char buf[64];

	if (net_table_lookup(t->networks, a, &m) == 1) {
		g_string_append_printf(d->why, " -> %s (%s:%u)", m.cidr,
		    m.file, m.line);
		d->owner = m.contact;
	}
	asn_step(t, a, d);
	/* Live lookups go here, only when nothing offline knew the owner. */
	if (d->owner == NULL && t->live.ip != NULL &&
	    t->live.ip(t->live.ctx, netaddr_format(a, buf, sizeof(buf)),
	    d->asn, &c, d->why) == 1 && c != NULL)
		d->owner = c;
	if (country_step("located", geo, t->geo, d))
		route_decide_finish(t, geo, d);
	else if (country_step("registered", rir, t->rir, d))
		route_decide_finish(t, rir, d);
	else {
		if (geo == NULL && rir == NULL && d->owner == NULL)
			g_string_append(d->why, " -> no country known");
		route_decide_finish(t, NULL, d);
	}
}

static enum route_decided
decide(const struct route_tables *t, const struct finding *f,
    struct route_decision *d)
{
	struct netaddr a;
	char host[ROUTE_HOST_MAX + 1];

	g_string_append_printf(d->why, "%s %.200s", finding_kind_name(f->kind),
	    f->value);
	switch (f->kind) {
	case FINDING_IPV4:
	case FINDING_IPV6:
		if (!netaddr_parse(f->value, strlen(f->value), &a)) {
			g_string_append(d->why, " -> not an IP address");
			return ROUTE_UNROUTED;
		}
		if (netaddr_is_special(&a, NULL))
			return ROUTE_SKIP;
		route_decide_ip(t, &a, d);
		return d->contact != NULL ? ROUTE_ROUTED : ROUTE_UNROUTED;
	case FINDING_URL:
		if (!route_url_host(f->value, host, sizeof(host))) {
			g_string_append(d->why, " -> no host");
			return ROUTE_UNROUTED;
		}
		g_string_append_printf(d->why, " -> host %s", host);
		return route_decide_host(t, host, d);
	case FINDING_DOMAIN:
		if (!route_host_clean(f->value, strlen(f->value), host,
		    sizeof(host)) || strchr(host, ':') != NULL) {
			g_string_append(d->why, " -> not a host name");
			return ROUTE_UNROUTED;
		}
		return route_decide_host(t, host, d);
	default:
		return ROUTE_SKIP;
	}
}

/* add_route - one struct route in the arena; FALSE when it is full */
static gboolean
add_route(struct report *r, struct route_result *res,
    const struct finding *f, const struct route_decision *d,
    gboolean cc)
{
	struct route *rt;
	const char *why = cc ? d->ccwhy->str : d->why->str;

	if ((rt = arena_alloc(r->arena, sizeof(*rt))) == NULL ||
	    (rt->reason = arena_strdup(r->arena, why)) == NULL ||
	    (d->country != NULL &&
	    (rt->country = arena_strdup(r->arena, d->country)) == NULL)) {
		report_warn(r, "route: arena exhausted after %u routes",
		    res->routes->len);
		return FALSE;
	}
	rt->finding = f;
	rt->contact = cc ? d->cc : d->contact;
	rt->cc = cc;
	rt->asn = d->asn;
	rt->as_name = d->as_name;
	g_ptr_array_add(res->routes, rt);
	return TRUE;
}

void
route_report(const struct route_tables *t, struct report *r,
    struct route_result *res)
{
	struct route_decision d;
	enum route_decided rc;
	guint i;

	g_return_if_fail(t != NULL && r != NULL && res != NULL);

	res->routes = g_ptr_array_new();
	res->unrouted = 0;
	arena_add_destructor(r->arena, (GDestroyNotify)g_ptr_array_unref,
	    res->routes);
	memset(&d, 0, sizeof(d));
	d.why = g_string_sized_new(256);
	d.ccwhy = g_string_sized_new(256);
	for (i = 0; r->findings != NULL && i < r->findings->len; i++) {
		const struct finding *f = r->findings->pdata[i];

		if (f->role != FINDING_ROLE_OFFENDER || f->suppressed)
			continue;
		g_string_truncate(d.why, 0);
		d.owner = d.contact = d.cc = NULL;
		d.country = d.as_name = NULL;
		d.asn = 0;
		if ((rc = decide(t, f, &d)) == ROUTE_SKIP)
			continue;
		if (!add_route(r, res, f, &d, FALSE) ||
		    (d.cc != NULL && !add_route(r, res, f, &d, TRUE)))
			break;
		if (rc == ROUTE_UNROUTED)
			res->unrouted++;
	}
	g_string_free(d.why, TRUE);
	g_string_free(d.ccwhy, TRUE);
}
