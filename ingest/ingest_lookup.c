/*
 * ingest_lookup.c: the config's [lookup] section as live lookups for
 * routing.
 *
 * Defines ingest_lookup_config() (struct config -> struct lookup_config),
 * ingest_live_open() (a route/route_live.c context with the case DB's
 * cache loaded, its hook set on the routing tables) and ingest_live_save()
 * (the answers fetched since the last save, into the DB inside the
 * caller's transaction).  Live lookups are off by default; with every
 * source off no context exists and routing is exactly the offline ladder.
 * Nothing here fails a caller: a cache that cannot be read is a warning.
 */
#include "config.h"

#include <string.h>

#include "ingest/ingest_config.h"
#include "route/route.h"
#include "route/lookup.h"
#include "case/case.h"

/* nonempty - s, or NULL for "" */
static const char *
nonempty(const char *s)
{
	return s != NULL && *s != '\0' ? s : NULL;
}

void
ingest_lookup_config(const struct config *c, struct lookup_config *lc)
{
	lookup_config_defaults(lc);
	lc->rdap_enabled = c->rdap;
	if (nonempty(c->rdap_base) != NULL)
		lc->rdap_base = c->rdap_base;
	lc->ca_file = nonempty(c->lookup_ca_file);
	lc->rdap_timeout_ms = c->rdap_timeout_ms;
	lc->rdap_ttl = c->rdap_ttl;
	lc->whois_enabled = c->whois;
	if (nonempty(c->whois_server) != NULL)
		lc->whois_server = c->whois_server;
	lc->whois_timeout_ms = c->whois_timeout_ms;
	lc->whois_ttl = c->whois_ttl;
	lc->whois_referrals = MIN(c->whois_referrals, LOOKUP_REFERRAL_MAX);
	lc->dns_enabled = c->dns;
	lc->dns_server = nonempty(c->dns_server);
	lc->dns_timeout_ms = c->dns_timeout_ms;
	lc->dns_ttl = c->dns_ttl;
	/* zones: NULL the default, "" off (as lookup.h reads them) */
	lc->dns_origin_zone = c->dns_origin_zone;
	lc->dns_origin6_zone = c->dns_origin6_zone;
	lc->dns_asn_zone = c->dns_asn_zone;
	lc->dns_abuse_zone = c->dns_abuse_zone;
	if (c->lookup_max_response > 0)
		lc->max_response = c->lookup_max_response;
	lc->catch_all_emails = c->catch_all_emails;
	lc->catch_all_handles = c->catch_all_handles;
}

struct route_live_ctx *
ingest_live_open(const struct config *c, struct casedb *db,
    struct route_tables *t)
{
	struct lookup_config lc;
	struct route_live_ctx *ctx;
	struct route_live hook;
	GError *err = NULL;
	gint64 now = g_get_real_time() / G_USEC_PER_SEC, n;

	ingest_lookup_config(c, &lc);
	if ((ctx = route_live_new(&lc, c->lookup_cache_max)) == NULL)
		return NULL;
	if (db != NULL) {
		if (casedb_lookup_purge(db, now, &err) < 0) {
			g_warning("lookup cache: %s", err->message);
			g_clear_error(&err);
		}
		n = casedb_lookup_load(db, route_live_cache(ctx), now, &err);
		if (n < 0) {
			g_warning("lookup cache: %s", err->message);
			g_clear_error(&err);
		} else
			g_debug("lookup cache: %" G_GINT64_FORMAT " ranges "
			    "loaded", n);
	}
	if (route_live_hook(ctx, &hook))
		route_set_live(t, &hook);
	return ctx;
}

gboolean
ingest_live_save(struct route_live_ctx *ctx, struct casedb *db,
    guint *saved_r, gint64 since, GError **error)
{
	guint now_fetched;

	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);
	if (ctx == NULL || db == NULL)
		return TRUE;
	now_fetched = route_live_fetched(ctx);
	if (now_fetched == *saved_r)
		return TRUE;
	if (casedb_lookup_save(db, route_live_cache(ctx), since,
	    g_get_real_time() / G_USEC_PER_SEC, error) < 0) {
		g_prefix_error(error, "lookup cache: ");
		return FALSE;
	}
	*saved_r = now_fetched;
	return TRUE;
}
