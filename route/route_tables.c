/*
 * route_tables.c: loading and freeing the routing tables.
 *
 * Owns route_open(), route_close(), route_contact(), route_ip_country()
 * and the error domain.  route_open() reads, in this order, the analysts'
 * contacts, the national CSIRT directory (adding contacts csirt-<cc>), the
 * analysts' networks (which may name any of those contacts) and the two
 * IP -> country tables.  The result is read-only and long-lived; any
 * error frees everything and returns NULL with the file:line in the error.
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
	if (!load_lists(t, p, error))
		goto fail;
	if (p->geo_country != NULL &&
	    (t->geo = country_table_load(p->geo_country, error)) == NULL)
		goto fail;
	if (p->rir_country != NULL &&
	    (t->rir = country_table_load(p->rir_country, error)) == NULL)
		goto fail;
	g_debug("routing tables: %u contacts, %u CSIRTs, %u networks, "
	    "%u geo and %u rir ranges in %.3f s",
	    g_hash_table_size(t->contacts), g_hash_table_size(t->csirts),
	    net_table_size(t->networks),
	    t->geo != NULL ? country_table_size(t->geo) : 0,
	    t->rir != NULL ? country_table_size(t->rir) : 0,
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
	const char *geo = NULL, *rir = NULL;

	if (ip != NULL && netaddr_parse(ip, strlen(ip), &a) &&
	    !netaddr_is_special(&a, NULL)) {
		geo = country_table_lookup(t->geo, &a);
		rir = country_table_lookup(t->rir, &a);
	}
	if (geo_r != NULL)
		*geo_r = geo;
	if (rir_r != NULL)
		*rir_r = rir;
	return geo != NULL || rir != NULL;
}
