/*
 * route_domains.c: host names for routing, and the analysts' domain ->
 * contact mapping (domain-contacts.csv).
 *
 * Owns route_host_clean() (lower case A-labels: U-labels are converted
 * with libidn2, a trailing dot is dropped), route_domain_contacts_load()
 * (header "domain,contact,notes"; each domain is a name or a suffix such
 * as "example.com" or "jp"), route_domain_lookup() (suffix match on label
 * boundaries, the longest suffix wins: "shop.example.com" matches
 * "example.com" but "badexample.com" does not) and route_registrable()
 * (the registrable domain from the builtin Public Suffix List).
 * Errors are ROUTE_ERROR_SYNTAX "file:line".
 */
#include "config.h"

#include <string.h>
#include <glib.h>
/* idn2.h after glib.h: it defines G_GNUC_DEPRECATED too */
#include <idn2.h>
#include <libpsl.h>

#include "route/route_int.h"

#define DOMAIN_CONTACTS_HEADER	"domain,contact,notes"

/* ascii_host - lower case LDH plus '_' (and ':' for IPv6 literals) */
static gboolean
ascii_host(const char *s, gsize len, char *buf, gsize size)
{
	gsize i;

	while (len > 0 && s[len - 1] == '.')
		len--;
	if (len == 0 || len >= size || len > ROUTE_HOST_MAX)
		return FALSE;
	for (i = 0; i < len; i++) {
		if (!g_ascii_isalnum(s[i]) && strchr(".-_:", s[i]) == NULL)
			return FALSE;
		buf[i] = g_ascii_tolower(s[i]);
	}
	buf[len] = '\0';
	return strstr(buf, "..") == NULL && buf[0] != '.';
}

gboolean
route_host_clean(const char *s, gsize len, char *buf, gsize size)
{
	char *u, *ace = NULL;
	gboolean ok;
	gsize i;

	for (i = 0; i < len; i++)
		if ((guchar)s[i] >= 0x80)
			break;
	if (i == len)
		return ascii_host(s, len, buf, size);
	/* U-labels: only valid UTF-8 of bounded length reaches libidn2. */
	if (len > ROUTE_HOST_MAX * 4 || !g_utf8_validate(s, len, NULL))
		return FALSE;
	u = g_strndup(s, len);
	if (idn2_to_ascii_8z(u, &ace, IDN2_NFC_INPUT | IDN2_NONTRANSITIONAL)
	    != IDN2_OK && idn2_to_ascii_8z(u, &ace, IDN2_NFC_INPUT |
	    IDN2_TRANSITIONAL) != IDN2_OK)
		ace = NULL;
	g_free(u);
	if (ace == NULL)
		return FALSE;
	ok = ascii_host(ace, strlen(ace), buf, size);
	idn2_free(ace);
	return ok;
}

gboolean
route_domain_contacts_load(GHashTable *map, GHashTable *contacts,
    const char *path, GError **error)
{
	GPtrArray *f = g_ptr_array_new_with_free_func(g_free);
	struct route_csv c;
	struct map_entry *e, *old;
	const char *dom;
	char host[ROUTE_HOST_MAX + 1];
	int rc;

	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	if (!route_csv_open(&c, path, error)) {
		g_ptr_array_unref(f);
		return FALSE;
	}
	if (!route_csv_header(&c, DOMAIN_CONTACTS_HEADER, error))
		rc = -1;
	else while ((rc = route_csv_record(&c, 3, f, error)) == 1) {
		dom = f->pdata[0];
		if (*dom == '.')	/* ".example.com" means the same */
			dom++;
		if (!route_host_clean(dom, strlen(dom), host, sizeof(host)) ||
		    strchr(host, ':') != NULL) {
			route_csv_error(&c, error, "bad domain \"%.60s\"",
			    (const char *)f->pdata[0]);
			rc = -1;
			break;
		}
		if ((old = g_hash_table_lookup(map, host)) != NULL) {
			route_csv_error(&c, error, "duplicate domain %s (also "
			    "on line %u)", host, old->line);
			rc = -1;
			break;
		}
		if ((e = map_entry_new(contacts, &c, host, f->pdata[1],
		    error)) == NULL) {
			rc = -1;
			break;
		}
		g_hash_table_insert(map, e->key, e);
	}
	route_csv_close(&c);
	g_ptr_array_unref(f);
	return rc == 0;
}

const struct map_entry *
route_domain_lookup(GHashTable *map, const char *host)
{
	const struct map_entry *e;
	const char *p = host;

	if (map == NULL)
		return NULL;
	/* From the whole name down to the TLD: the first hit is the
	 * longest suffix. */
	for (;;) {
		if ((e = g_hash_table_lookup(map, p)) != NULL)
			return e;
		if ((p = strchr(p, '.')) == NULL)
			return NULL;
		p++;
	}
}

const char *
route_registrable(const char *host)
{
	const psl_ctx_t *psl = psl_builtin();

	if (psl == NULL)
		return NULL;
	return psl_registrable_domain(psl, host);
}
