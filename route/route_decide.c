/*
 * route_decide.c: who gets each offender finding, and why.
 *
 * Owns route_report(), the [route] ladder setting (route_ladder_parse)
 * and the ladder for an IP (route_decide_ip), shared with URLs and
 * domains (route_host.c) through route_decide_finish().  With the
 * default ladder "networks asn domains live country":
 *
 *   1. special-purpose addresses: skipped, never offenders (always first,
 *      whatever the ladder);
 *   2. networks: the analysts' networks (most specific prefix);
 *   3. asn: the origin AS (asn_mmdb, else the ip-asn table, named by
 *      asn-names) and the analysts' ASN -> contact mapping;
 *   4. live: lookups (RDAP, whois, DNS) when a struct route_live is set;
 *   5. country: the hosting country: the country mmdb's country, else
 *      its registered_country, else where the address is located (geo
 *      table), else where it is registered (rir table); codes that are
 *      not countries (EU, AP, ZZ...) never count;
 *   6. the decision: a domestic finding (own_country) goes to the owner
 *      found in 2-4, never to our own national CSIRT; a foreign one goes
 *      to the owner with the hosting country's national CSIRT in Cc (a
 *      second struct route with cc = TRUE), or to that CSIRT alone.  Only
 *      CSIRT addresses of usable confidence are used (route_csirt.c).
 *
 * The ladder setting reorders or drops steps 2-5 ("domains" only
 * matters for names).  Once a step found an owner, later steps that look
 * for one are skipped; the origin AS is still looked up (for the record
 * and the live hook) and noted where the asn step stands, or before the
 * country step without one.  Without the country step no national CSIRT
 * is used: a finding without an owner stays unrouted.
 *
 * Every decision carries its reason chain (finding -> prefix -> ASN ->
 * country -> contact, each with its source file and date), built in the
 * report's arena; the struct route array is freed with the arena.
 */
#include "config.h"

#include <string.h>

#include "route/route_int.h"

/* [route] ladder when the setting is not given. */
#define ROUTE_LADDER_DEFAULT	"networks asn domains live country"

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

/* country_step - appends " -> located CC (source)"; TRUE if it counts */
static gboolean
country_step(const char *verb, const char *cc, const char *source,
    struct route_decision *d)
{
	if (cc == NULL)
		return FALSE;
	g_string_append_printf(d->why, " -> %s %s", verb, cc);
	if (source != NULL)
		g_string_append_printf(d->why, " (%s)", source);
	if (!country_is_real(cc)) {
		g_string_append(d->why, ": not a country");
		return FALSE;
	}
	return TRUE;
}

/* ip_country - the country step for an IP: the mmdb answers, then the
 * geo and rir tables; the first that is a country decides */
static void
ip_country(const struct route_tables *t, const struct netaddr *a,
    struct route_decision *d)
{
	struct route_where w;
	const char *cc = NULL;

	route_ip_where(t, a, &w);
	if (country_step("located", w.mm_geo, w.mm_source, d))
		cc = w.mm_geo;
	else if (country_step("registered", w.mm_rir, w.mm_source, d))
		cc = w.mm_rir;
	else if (country_step("located", w.geo, t->geo_source, d))
		cc = w.geo;
	else if (country_step("registered", w.rir, t->rir_source, d))
		cc = w.rir;
	if (cc == NULL && w.mm_geo == NULL && w.mm_rir == NULL &&
	    w.geo == NULL && w.rir == NULL && d->owner == NULL)
		g_string_append(d->why, " -> no country known");
	route_decide_finish(t, cc, d);
}

/* note_as - " -> AS64500 Name (source)", once */
static void
note_as(const char *source, gboolean *noted, struct route_decision *d)
{
	if (*noted || d->asn == 0)
		return;
	*noted = TRUE;
	g_string_append_printf(d->why, " -> AS%u", d->asn);
	if (d->as_name != NULL)
		g_string_append_printf(d->why, " %s", d->as_name);
	if (source != NULL)
		g_string_append_printf(d->why, " (%s)", source);
}

/* asn_map_step - the analysts' mapping of the origin AS */
static void
asn_map_step(const struct route_tables *t, struct route_decision *d)
{
	const struct map_entry *e;

	if (d->owner != NULL || d->asn == 0 || (e = g_hash_table_lookup(
	    t->asn_map, GUINT_TO_POINTER(d->asn))) == NULL)
		return;
	g_string_append_printf(d->why, " -> mapped (%s:%u)", e->file,
	    e->line);
	d->owner = e->contact;
}

void
route_decide_ip(const struct route_tables *t, const struct netaddr *a,
    struct route_decision *d)
{
	const struct contact *c = NULL;
	const char *as_source = NULL;
	gboolean as_noted = FALSE;
	struct net_match m;
	char buf[64];
	guint i;

	/* The origin AS is wanted for the record and by the live hook,
	 * wherever the asn step stands. */
	if (route_ip_origin(t, a, &d->asn, &d->as_name, &as_source) != 1) {
		d->asn = 0;
		d->as_name = NULL;
	}
	for (i = 0; i < t->nsteps; i++) {
		switch (t->ladder[i]) {
		case ROUTE_STEP_NETWORKS:
			if (d->owner != NULL || net_table_lookup(t->networks,
			    a, &m) != 1)
				break;
			g_string_append_printf(d->why, " -> %s (%s:%u)",
			    m.cidr, m.file, m.line);
			d->owner = m.contact;
			break;
		case ROUTE_STEP_ASN:
			note_as(as_source, &as_noted, d);
			asn_map_step(t, d);
			break;
		case ROUTE_STEP_LIVE:
			if (d->owner == NULL && t->live.ip != NULL &&
			    t->live.ip(t->live.ctx, netaddr_format(a, buf,
			    sizeof(buf)), d->asn, &c, d->why) == 1 &&
			    c != NULL)
				d->owner = c;
			break;
		case ROUTE_STEP_COUNTRY:
			note_as(as_source, &as_noted, d);
			ip_country(t, a, d);
			return;
		default:	/* domains: names only */
			break;
		}
	}
	note_as(as_source, &as_noted, d);
	if (d->owner == NULL)
		g_string_append(d->why, " -> no owner (no country step)");
	route_decide_finish(t, NULL, d);
}

/* The step names of [route] ladder, by enum route_step. */
static const char *const step_names[ROUTE_STEP_MAX] = {
	"networks", "asn", "domains", "live", "country"
};

gboolean
route_ladder_parse(struct route_tables *t, const char *s, GError **error)
{
	char **words;
	gboolean seen[ROUTE_STEP_MAX] = { FALSE }, ok = TRUE;
	guint i, k;

	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);
	if (s == NULL)
		s = ROUTE_LADDER_DEFAULT;
	words = g_strsplit_set(s, " \t,", -1);
	t->nsteps = 0;
	for (i = 0; ok && words[i] != NULL; i++) {
		if (words[i][0] == '\0')
			continue;
		for (k = 0; k < ROUTE_STEP_MAX; k++)
			if (strcmp(words[i], step_names[k]) == 0)
				break;
		if (k == ROUTE_STEP_MAX || seen[k]) {
			g_set_error(error, ROUTE_ERROR, ROUTE_ERROR_SYNTAX,
			    "[route] ladder: %s step '%.40s'", k ==
			    ROUTE_STEP_MAX ? "unknown" : "repeated",
			    words[i]);
			ok = FALSE;
			break;
		}
		seen[k] = TRUE;
		t->ladder[t->nsteps++] = k;
	}
	if (ok && t->nsteps == 0) {
		g_set_error(error, ROUTE_ERROR, ROUTE_ERROR_SYNTAX,
		    "[route] ladder: no steps (default \"%s\")",
		    ROUTE_LADDER_DEFAULT);
		ok = FALSE;
	}
	g_strfreev(words);
	return ok;
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
