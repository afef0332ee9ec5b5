/*
 * route_asn.c: IP -> ASN, ASN -> name, and the analysts' ASN -> contact
 * mapping.
 *
 * Owns route_asn_parse() ("AS24940" or "24940"), asn_ranges_load()
 * (ip-asn.csv[.gz], a range_table of AS numbers), route_asn_names_load()
 * (asn-names.csv[.gz]: "asn,name", RFC 4180 quoting, no header) and
 * route_asn_contacts_load() (asn-contacts.csv: header "asn,contact,notes",
 * the contact an id of the contacts table).  Names and mappings live in
 * hash tables owned by struct route_tables, keyed by GUINT_TO_POINTER(asn).
 * Errors are ROUTE_ERROR_SYNTAX "file:line".  The ranges and the names
 * go through the table cache (route_cache.c) when one is set.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "route/route_int.h"

#define ASN_CONTACTS_HEADER	"asn,contact,notes"
/* Longest AS name kept; longer ones are cut (not an error). */
#define AS_NAME_MAX		200

gboolean
route_asn_parse(const char *s, guint32 *asn_r)
{
	guint64 v = 0;
	const char *p = s;

	if (g_ascii_strncasecmp(p, "AS", 2) == 0)
		p += 2;
	if (*p == '\0' || strlen(p) > 10)
		return FALSE;
	for (; *p != '\0'; p++) {
		if (!g_ascii_isdigit(*p))
			return FALSE;
		v = v * 10 + (guint64)(*p - '0');
	}
	/* 0 and 4294967295 are reserved (RFC 7607, RFC 7300). */
	if (v == 0 || v >= G_MAXUINT32)
		return FALSE;
	*asn_r = (guint32)v;
	return TRUE;
}

static gboolean
parse_asn_value(const char *s, guint32 *v, const char **why_r)
{
	if (!route_asn_parse(s, v)) {
		*why_r = "bad AS number";
		return FALSE;
	}
	return TRUE;
}

struct range_table *
asn_ranges_load(const char *path, const char *cache_dir, GError **error)
{
	return range_table_load(path, parse_asn_value,
	    "first_ip,last_ip,ASN", G_MAXUINT32 - 1, cache_dir, error);
}

/* names_parse - asn-names.csv into names */
static gboolean
names_parse(GHashTable *names, const char *path, GError **error)
{
	GPtrArray *f = g_ptr_array_new_with_free_func(g_free);
	struct route_csv c;
	guint32 asn;
	int rc;

	if (!route_csv_open(&c, path, error)) {
		g_ptr_array_unref(f);
		return FALSE;
	}
	while ((rc = route_csv_record(&c, 2, f, error)) == 1) {
		const char *name = f->pdata[1];

		if (c.line == 1 && strcmp(f->pdata[0], "asn") == 0)
			continue;
		if (!route_asn_parse(f->pdata[0], &asn)) {
			route_csv_error(&c, error, "bad AS number \"%.20s\"",
			    (const char *)f->pdata[0]);
			rc = -1;
			break;
		}
		if (*name == '\0' || !g_utf8_validate(name, -1, NULL)) {
			route_csv_error(&c, error, "empty or invalid UTF-8 "
			    "AS name");
			rc = -1;
			break;
		}
		if (strlen(name) > AS_NAME_MAX)
			name = g_utf8_substring(name, 0, AS_NAME_MAX / 4);
		else
			name = g_strdup(name);
		g_hash_table_replace(names, GUINT_TO_POINTER(asn),
		    (char *)name);
	}
	route_csv_close(&c);
	g_ptr_array_unref(f);
	return rc == 0;
}

/* names_undump - the names of a cache payload: (asn, length, name)
 * records; FALSE (names emptied) unless every one is valid */
static gboolean
names_undump(GHashTable *names, GBytes *b)
{
	const guint8 *p;
	gsize left;
	guint32 rec[2];

	p = g_bytes_get_data(b, &left);
	while (left > 0) {
		if (left < sizeof(rec))
			goto bad;
		memcpy(rec, p, sizeof(rec));
		p += sizeof(rec);
		left -= sizeof(rec);
		if (rec[0] == 0 || rec[0] == G_MAXUINT32 ||
		    rec[1] == 0 || rec[1] > AS_NAME_MAX || rec[1] > left ||
		    !g_utf8_validate((const char *)p, rec[1], NULL) ||
		    memchr(p, '\0', rec[1]) != NULL)
			goto bad;
		g_hash_table_replace(names, GUINT_TO_POINTER(rec[0]),
		    g_strndup((const char *)p, rec[1]));
		p += rec[1];
		left -= rec[1];
	}
	return TRUE;
bad:
	g_hash_table_remove_all(names);
	return FALSE;
}

/* names_dump - names as a cache payload */
static GByteArray *
names_dump(GHashTable *names)
{
	GByteArray *out = g_byte_array_new();
	GHashTableIter it;
	gpointer k, v;
	guint32 rec[2];

	g_hash_table_iter_init(&it, names);
	while (g_hash_table_iter_next(&it, &k, &v)) {
		rec[0] = GPOINTER_TO_UINT(k);
		rec[1] = (guint32)strlen(v);
		g_byte_array_append(out, (const guint8 *)rec, sizeof(rec));
		g_byte_array_append(out, v, rec[1]);
	}
	return out;
}

gboolean
route_asn_names_load(GHashTable *names, const char *path,
    const char *cache_dir, GError **error)
{
	GByteArray *out;
	GBytes *b;
	gboolean ok;

	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	if (cache_dir != NULL &&
	    (b = route_cache_read(cache_dir, path, "asn,name")) != NULL) {
		ok = names_undump(names, b);
		g_bytes_unref(b);
		if (ok)
			return TRUE;
	}
	if (!names_parse(names, path, error))
		return FALSE;
	if (cache_dir != NULL) {
		out = names_dump(names);
		route_cache_write(cache_dir, path, "asn,name", out);
		g_byte_array_unref(out);
	}
	return TRUE;
}

void
map_entry_free(struct map_entry *e)
{
	if (e == NULL)
		return;
	g_free(e->key);
	g_free(e->file);
	g_free(e);
}

/* map_entry_new - one mapping to contact id (NULL: unknown id) */
struct map_entry *
map_entry_new(GHashTable *contacts, struct route_csv *c, const char *key,
    const char *id, GError **error)
{
	struct map_entry *e;
	const struct contact *ct;

	if ((ct = g_hash_table_lookup(contacts, id)) == NULL) {
		route_csv_error(c, error, "unknown contact \"%.60s\" (not "
		    "defined in the contacts table)", id);
		return NULL;
	}
	e = g_new0(struct map_entry, 1);
	e->contact = ct;
	e->key = g_strdup(key);
	e->file = g_strdup(c->name);
	e->line = c->line;
	return e;
}

gboolean
route_asn_contacts_load(GHashTable *map, GHashTable *contacts,
    const char *path, GError **error)
{
	GPtrArray *f = g_ptr_array_new_with_free_func(g_free);
	struct route_csv c;
	struct map_entry *e, *old;
	guint32 asn;
	char key[16];
	int rc;

	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	if (!route_csv_open(&c, path, error)) {
		g_ptr_array_unref(f);
		return FALSE;
	}
	if (!route_csv_header(&c, ASN_CONTACTS_HEADER, error))
		rc = -1;
	else while ((rc = route_csv_record(&c, 3, f, error)) == 1) {
		if (!route_asn_parse(f->pdata[0], &asn)) {
			route_csv_error(&c, error, "bad AS number \"%.20s\"",
			    (const char *)f->pdata[0]);
			rc = -1;
			break;
		}
		if ((old = g_hash_table_lookup(map,
		    GUINT_TO_POINTER(asn))) != NULL) {
			route_csv_error(&c, error, "duplicate AS%u (also on "
			    "line %u)", asn, old->line);
			rc = -1;
			break;
		}
		g_snprintf(key, sizeof(key), "AS%u", asn);
		if ((e = map_entry_new(contacts, &c, key, f->pdata[1],
		    error)) == NULL) {
			rc = -1;
			break;
		}
		g_hash_table_insert(map, GUINT_TO_POINTER(asn), e);
	}
	route_csv_close(&c);
	g_ptr_array_unref(f);
	return rc == 0;
}
