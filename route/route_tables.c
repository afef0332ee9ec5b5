/*
 * route_tables.c: loading and freeing the routing tables.
 *
 * Owns route_open(), route_close(), route_contact(), route_ip_country(),
 * route_ip_info(), route_as_name(), route_set_live() and the error domain.
 * route_open() reads, in this order, the analysts' contacts, the national
 * CSIRT directory (adding contacts csirt-<cc>), the analysts' networks,
 * ASN and domain mappings (which may name any of those contacts), the two
 * IP -> country tables and the IP -> ASN and ASN -> name tables, and the
 * optional .mmdb databases (route_mmdb.c); [route] ladder is parsed first
 * (route_decide.c).  The result is read-only and long-lived; any error
 * frees everything and returns NULL with the file:line in the error.
 */
#include "config.h"

#include <string.h>

#include "route/route_int.h"

G_DEFINE_QUARK(abusedesk-route-error-quark, route_error)

static void
route_tables_free(struct route_tables *t)
{
	g_hash_table_unref(t->csirts);
	g_hash_table_unref(t->contacts);
	net_table_free(&t->networks);
	country_table_free(&t->geo);
	country_table_free(&t->rir);
	range_table_free(&t->asn);
	g_hash_table_unref(t->as_names);
	g_hash_table_unref(t->asn_map);
	g_hash_table_unref(t->domain_map);
	g_free(t->as_names_file);
	g_free(t->geo_source);
	g_free(t->rir_source);
	g_free(t->asn_source);
	route_mmdb_close(&t->geo_mmdb);
	route_mmdb_close(&t->asn_mmdb);
	g_free(t);
}

/* load_lists - contacts, CSIRTs and networks */
static gboolean
load_lists(struct route_tables *t, const struct route_paths *p,
    GError **error)
{
	char *name;

	if (p->contacts != NULL &&
	    !route_contacts_load(t->contacts, p->contacts, error))
		return FALSE;
	if (p->csirts != NULL &&
	    !route_csirt_load(t->csirts, t->contacts, p->csirts, error))
		return FALSE;
	if (p->contacts != NULL) {
		name = g_path_get_basename(p->contacts);
		route_csirt_override(t->csirts, t->contacts, name);
		g_free(name);
	}
	if (p->networks != NULL &&
	    (t->networks = net_table_load(p->networks, t->contacts,
	    error)) == NULL)
		return FALSE;
	if (p->asn_contacts != NULL && !route_asn_contacts_load(t->asn_map,
	    t->contacts, p->asn_contacts, error))
		return FALSE;
	if (p->domain_contacts != NULL && !route_domain_contacts_load(
	    t->domain_map, t->contacts, p->domain_contacts, error))
		return FALSE;
	return TRUE;
}

/* source - "file, date" of a table (g_free) */
static char *
source(const char *name, const char *date)
{
	if (date != NULL)
		return g_strdup_printf("%s, %s", name, date);
	return g_strdup(name);
}

/* load_ranges - the country and ASN tables */
static gboolean
load_ranges(struct route_tables *t, const struct route_paths *p,
    GError **error)
{
	if (p->geo_country != NULL &&
	    (t->geo = country_table_load(p->geo_country,
	    p->cache_dir, error)) == NULL)
		return FALSE;
	if (p->rir_country != NULL &&
	    (t->rir = country_table_load(p->rir_country,
	    p->cache_dir, error)) == NULL)
		return FALSE;
	if (p->asn != NULL &&
	    (t->asn = asn_ranges_load(p->asn, p->cache_dir, error)) == NULL)
		return FALSE;
	if (t->geo != NULL)
		t->geo_source = source(country_table_name(t->geo),
		    country_table_date(t->geo));
	if (t->rir != NULL)
		t->rir_source = source(country_table_name(t->rir),
		    country_table_date(t->rir));
	if (t->asn != NULL)
		t->asn_source = source(range_table_name(t->asn),
		    range_table_date(t->asn));
	if (p->asn_names != NULL) {
		if (!route_asn_names_load(t->as_names, p->asn_names,
		    p->cache_dir, error))
			return FALSE;
		t->as_names_file = g_path_get_basename(p->asn_names);
	}
	return TRUE;
}

struct route_tables *
route_open(const struct route_paths *p, GError **error)
{
	struct route_tables *t;
	gint64 start = g_get_monotonic_time();

	g_return_val_if_fail(p != NULL, NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	t = g_new0(struct route_tables, 1);
	t->contacts = g_hash_table_new_full(g_str_hash, g_str_equal, NULL,
	    (GDestroyNotify)contact_free);
	t->csirts = g_hash_table_new_full(g_str_hash, g_str_equal, NULL,
	    (GDestroyNotify)csirt_free);
	t->as_names = g_hash_table_new_full(g_direct_hash, g_direct_equal,
	    NULL, g_free);
	t->asn_map = g_hash_table_new_full(g_direct_hash, g_direct_equal,
	    NULL, (GDestroyNotify)map_entry_free);
	t->domain_map = g_hash_table_new_full(g_str_hash, g_str_equal,
	    NULL, (GDestroyNotify)map_entry_free);
	if (p->own_country != NULL && *p->own_country != '\0') {
		if (strlen(p->own_country) != 2 ||
		    !g_ascii_isalpha(p->own_country[0]) ||
		    !g_ascii_isalpha(p->own_country[1])) {
			g_set_error(error, ROUTE_ERROR, ROUTE_ERROR_SYNTAX,
			    "own country \"%.20s\" is not an ISO 3166 "
			    "alpha-2 code", p->own_country);
			goto fail;
		}
		t->own_country[0] = g_ascii_toupper(p->own_country[0]);
		t->own_country[1] = g_ascii_toupper(p->own_country[1]);
		if (strcmp(t->own_country, "UK") == 0)
			memcpy(t->own_country, "GB", 3);
	}
	if (!route_ladder_parse(t, p->ladder, error))
		goto fail;
	if (!load_lists(t, p, error) || !load_ranges(t, p, error))
		goto fail;
	if (!route_mmdb_load(t, p, error))
		goto fail;
	g_debug("routing tables: %u contacts, %u CSIRTs, %u networks, "
	    "%u ASN and %u domain mappings, %u geo, %u rir and %u ASN "
	    "ranges, %u AS names in %.3f s",
	    g_hash_table_size(t->contacts), g_hash_table_size(t->csirts),
	    net_table_size(t->networks), g_hash_table_size(t->asn_map),
	    g_hash_table_size(t->domain_map),
	    t->geo != NULL ? country_table_size(t->geo) : 0,
	    t->rir != NULL ? country_table_size(t->rir) : 0,
	    range_table_size(t->asn, FALSE) + range_table_size(t->asn, TRUE),
	    g_hash_table_size(t->as_names),
	    (g_get_monotonic_time() - start) / 1e6);
	return t;
fail:
	route_tables_free(t);
	return NULL;
}

void
route_close(struct route_tables **tp)
{
	if (tp == NULL || *tp == NULL)
		return;
	route_tables_free(*tp);
	*tp = NULL;
}

const struct contact *
route_contact(const struct route_tables *t, const char *id)
{
	if (t == NULL || id == NULL)
		return NULL;
	return g_hash_table_lookup(t->contacts, id);
}

int
route_ip_country(const struct route_tables *t, const char *ip,
    const char **geo_r, const char **rir_r)
{
	struct netaddr a;
	struct route_where w;
	const char *geo = NULL, *rir = NULL;

	if (ip != NULL && netaddr_parse(ip, strlen(ip), &a) &&
	    !netaddr_is_special(&a, NULL)) {
		/* The country mmdb (route_mmdb.c) first, then the CSVs. */
		route_ip_where(t, &a, &w);
		geo = w.mm_geo != NULL ? w.mm_geo : w.geo;
		rir = w.mm_rir != NULL ? w.mm_rir : w.rir;
	}
	if (geo_r != NULL)
		*geo_r = geo;
	if (rir_r != NULL)
		*rir_r = rir;
	return geo != NULL || rir != NULL;
}

const char *
route_as_name(const struct route_tables *t, guint32 asn)
{
	if (t == NULL || asn == 0)
		return NULL;
	return g_hash_table_lookup(t->as_names, GUINT_TO_POINTER(asn));
}

void
route_source(GString *why, const char *name, const char *date)
{
	if (date != NULL)
		g_string_append_printf(why, " (%s, %s)", name, date);
	else
		g_string_append_printf(why, " (%s)", name);
}

int
route_ip_info(const struct route_tables *t, const char *ip,
    struct route_ip_info *info)
{
	struct netaddr a;
	struct net_match m;
	struct route_where w;
	const struct map_entry *e;
	guint32 asn;
	const char *name, *src;

	g_return_val_if_fail(t != NULL && info != NULL, -1);
	memset(info, 0, sizeof(*info));
	if (ip == NULL || !netaddr_parse(ip, strlen(ip), &a))
		return -1;
	if (netaddr_is_special(&a, NULL))
		return 0;
	/* The mmdb answers first (route_mmdb.c), then the CSV tables. */
	route_ip_where(t, &a, &w);
	if ((info->geo = w.mm_geo) != NULL)
		info->geo_source = w.mm_source;
	else if ((info->geo = w.geo) != NULL)
		info->geo_source = t->geo_source;
	if ((info->rir = w.mm_rir) != NULL)
		info->rir_source = w.mm_source;
	else if ((info->rir = w.rir) != NULL)
		info->rir_source = t->rir_source;
	if (route_ip_origin(t, &a, &asn, &name, &src) == 1) {
		info->asn = asn;
		info->as_name = name;
		info->asn_source = src;
		if ((e = g_hash_table_lookup(t->asn_map,
		    GUINT_TO_POINTER(asn))) != NULL)
			info->asn_contact = e->contact;
	}
	if (net_table_lookup(t->networks, &a, &m) == 1) {
		info->network = m.cidr;
		info->network_contact = m.contact;
	}
	return 1;
}

void
route_set_live(struct route_tables *t, const struct route_live *live)
{
	g_return_if_fail(t != NULL);
	if (live != NULL)
		t->live = *live;
	else
		memset(&t->live, 0, sizeof(t->live));
}

gsize
route_tables_bytes(const struct route_tables *t)
{
	if (t == NULL)
		return 0;
	return country_table_bytes(t->geo) + country_table_bytes(t->rir) +
	    range_table_bytes(t->asn);
}
