/*
 * route_mmdb.c: optional MaxMind-format databases (.mmdb).
 *
 * Owns struct route_mmdb, a libmaxminddb handle opened read-only (mmap),
 * and the two questions the ladder asks it:
 *
 *   - route_mmdb_country(): country.iso_code (where the address is), and
 *     registered_country.iso_code (where it is registered), the layout of
 *     GeoLite2-Country, GeoIP2-City and the DB-IP lite databases;
 *   - route_mmdb_asn(): autonomous_system_number and _organization, the
 *     layout of GeoLite2-ASN.
 *
 * It also owns route_mmdb_load(), called by route_open() for [paths]
 * geo_mmdb and asn_mmdb, and route_ip_where() / route_ip_origin(), the
 * "mmdb first, then the CSV tables" answers shared by the ladder
 * (route_decide.c) and route_ip_info().
 *
 * The file is hostile input: a file libmaxminddb does not accept is a
 * ROUTE_ERROR_SYNTAX naming it; a damaged tree or data section found
 * later makes that lookup answer "unknown" (g_debug), never a crash.
 * Strings from the file are cut to MMDB_STRING_MAX bytes, made valid
 * UTF-8 without control characters and interned in the handle (under a
 * mutex: lookups may run on several threads), so they live as long as
 * the tables, as route.h promises for every string the tables give out.
 */
#include "config.h"

#include <sys/socket.h>
#include <sys/stat.h>
#include <netinet/in.h>
#include <errno.h>
#include <string.h>
#include <maxminddb.h>

#include "route/route_int.h"

/* Longest string taken from a database (AS organisation names). */
#define MMDB_STRING_MAX		200

struct route_mmdb {
	MMDB_s		 db;
	char		*name;		/* basename, for reason strings */
	char		*date;		/* build_epoch, "2026-11-20", or NULL */
	char		*source;	/* "name, date" (or "name") */
	GMutex		 lock;		/* guards strings */
	GHashTable	*strings;	/* interned answers (owned keys) */
};

/* open_error - the GError for a failed MMDB_open() of path */
static void
open_error(const char *path, int rc, int saved_errno, GError **error)
{
	switch (rc) {
	case MMDB_FILE_OPEN_ERROR:
	case MMDB_IO_ERROR:
	case MMDB_OUT_OF_MEMORY_ERROR:
		g_set_error(error, ROUTE_ERROR, ROUTE_ERROR_IO, "%s: %s", path,
		    saved_errno != 0 ? g_strerror(saved_errno) :
		    MMDB_strerror(rc));
		break;
	default:
		g_set_error(error, ROUTE_ERROR, ROUTE_ERROR_SYNTAX,
		    "%s: not a MaxMind DB file (%s)", path,
		    MMDB_strerror(rc));
		break;
	}
}

struct route_mmdb *
route_mmdb_open(const char *path, GError **error)
{
	struct route_mmdb *m;
	struct stat st;
	GDateTime *dt;
	int rc;

	g_return_val_if_fail(error == NULL || *error == NULL, NULL);
	if (stat(path, &st) == -1) {
		g_set_error(error, ROUTE_ERROR, ROUTE_ERROR_IO, "%s: %s", path,
		    g_strerror(errno));
		return NULL;
	}
	if (!S_ISREG(st.st_mode) || st.st_size == 0) {
		g_set_error(error, ROUTE_ERROR, ROUTE_ERROR_SYNTAX,
		    "%s: not a MaxMind DB file (%s)", path,
		    S_ISREG(st.st_mode) ? "empty" : "not a regular file");
		return NULL;
	}
	m = g_new0(struct route_mmdb, 1);
	errno = 0;
	if ((rc = MMDB_open(path, MMDB_MODE_MMAP, &m->db)) != MMDB_SUCCESS) {
		open_error(path, rc, errno, error);
		g_free(m);
		return NULL;
	}
	m->name = g_path_get_basename(path);
	if (m->db.metadata.build_epoch <= G_MAXINT64 &&
	    (dt = g_date_time_new_from_unix_utc(
	    (gint64)m->db.metadata.build_epoch)) != NULL) {
		m->date = g_date_time_format(dt, "%Y-%m-%d");
		g_date_time_unref(dt);
	}
	m->source = m->date != NULL ? g_strdup_printf("%s, %s", m->name,
	    m->date) : g_strdup(m->name);
	g_mutex_init(&m->lock);
	m->strings = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
	    NULL);
	g_debug("%s: %s, %u nodes, IPv%u, built %s", path,
	    m->db.metadata.database_type != NULL ?
	    m->db.metadata.database_type : "?", m->db.metadata.node_count,
	    m->db.metadata.ip_version, m->date != NULL ? m->date : "?");
	return m;
}

void
route_mmdb_close(struct route_mmdb **mp)
{
	struct route_mmdb *m;

	if (mp == NULL || (m = *mp) == NULL)
		return;
	MMDB_close(&m->db);
	g_hash_table_unref(m->strings);
	g_mutex_clear(&m->lock);
	g_free(m->name);
	g_free(m->date);
	g_free(m->source);
	g_free(m);
	*mp = NULL;
}

const char *
route_mmdb_source(const struct route_mmdb *m)
{
	return m->source;
}

/* intern - s[0..len) cleaned and kept in m; the stored copy */
static const char *
intern(struct route_mmdb *m, const char *s, gsize len)
{
	char *clean, *p;
	const char *kept;

	clean = g_utf8_make_valid(s, MIN(len, MMDB_STRING_MAX));
	for (p = clean; *p != '\0'; p++)
		if ((guchar)*p < 0x20 || *p == 0x7f)
			*p = '?';
	g_mutex_lock(&m->lock);
	if ((kept = g_hash_table_lookup(m->strings, clean)) == NULL) {
		g_hash_table_add(m->strings, clean);
		kept = clean;
	} else
		g_free(clean);
	g_mutex_unlock(&m->lock);
	return kept;
}

/* lookup - the entry of a; FALSE when the database has none (or fails) */
static gboolean
lookup(struct route_mmdb *m, const struct netaddr *a, MMDB_entry_s *e)
{
	struct sockaddr_in sin;
	struct sockaddr_in6 sin6;
	const struct sockaddr *sa;
	MMDB_lookup_result_s res;
	int rc = MMDB_SUCCESS;

	if (a->v4) {
		memset(&sin, 0, sizeof(sin));
		sin.sin_family = AF_INET;
		memcpy(&sin.sin_addr, a->b + 12, 4);
		sa = (const struct sockaddr *)&sin;
	} else {
		memset(&sin6, 0, sizeof(sin6));
		sin6.sin6_family = AF_INET6;
		memcpy(&sin6.sin6_addr, a->b, 16);
		sa = (const struct sockaddr *)&sin6;
	}
	res = MMDB_lookup_sockaddr(&m->db, sa, &rc);
	if (rc != MMDB_SUCCESS) {
		/* IPv6 in an IPv4-only database is simply unknown. */
		if (rc != MMDB_IPV6_LOOKUP_IN_IPV4_DATABASE_ERROR)
			g_debug("%s: %s", m->name, MMDB_strerror(rc));
		return FALSE;
	}
	if (!res.found_entry)
		return FALSE;
	*e = res.entry;
	return TRUE;
}

/* get_code - the country code at map key (…/iso_code), or NULL */
static const char *
get_code(struct route_mmdb *m, MMDB_entry_s *e, const char *key)
{
	MMDB_entry_data_s v;
	char cc[3];
	int rc;

	if ((rc = MMDB_get_value(e, &v, key, "iso_code", NULL)) !=
	    MMDB_SUCCESS) {
		if (rc != MMDB_LOOKUP_PATH_DOES_NOT_MATCH_DATA_ERROR)
			g_debug("%s: %s: %s", m->name, key, MMDB_strerror(rc));
		return NULL;
	}
	if (!v.has_data || v.type != MMDB_DATA_TYPE_UTF8_STRING ||
	    v.data_size != 2 || !g_ascii_isalpha(v.utf8_string[0]) ||
	    !g_ascii_isalpha(v.utf8_string[1]))
		return NULL;
	cc[0] = g_ascii_toupper(v.utf8_string[0]);
	cc[1] = g_ascii_toupper(v.utf8_string[1]);
	cc[2] = '\0';
	if (strcmp(cc, "UK") == 0)
		memcpy(cc, "GB", 3);
	return intern(m, cc, 2);
}

int
route_mmdb_country(struct route_mmdb *m, const struct netaddr *a,
    const char **geo_r, const char **rir_r)
{
	MMDB_entry_s e;

	*geo_r = *rir_r = NULL;
	if (m == NULL || !lookup(m, a, &e))
		return 0;
	*geo_r = get_code(m, &e, "country");
	*rir_r = get_code(m, &e, "registered_country");
	return *geo_r != NULL || *rir_r != NULL;
}

int
route_mmdb_asn(struct route_mmdb *m, const struct netaddr *a,
    guint32 *asn_r, const char **org_r)
{
	MMDB_entry_s e;
	MMDB_entry_data_s v;
	guint64 n;

	*asn_r = 0;
	*org_r = NULL;
	if (m == NULL || !lookup(m, a, &e) || MMDB_get_value(&e, &v,
	    "autonomous_system_number", NULL) != MMDB_SUCCESS || !v.has_data)
		return 0;
	switch (v.type) {
	case MMDB_DATA_TYPE_UINT16:
		n = v.uint16;
		break;
	case MMDB_DATA_TYPE_UINT32:
		n = v.uint32;
		break;
	case MMDB_DATA_TYPE_UINT64:
		n = v.uint64;
		break;
	default:
		return 0;
	}
	if (n == 0 || n > G_MAXUINT32)
		return 0;
	*asn_r = (guint32)n;
	if (MMDB_get_value(&e, &v, "autonomous_system_organization",
	    NULL) == MMDB_SUCCESS && v.has_data &&
	    v.type == MMDB_DATA_TYPE_UTF8_STRING && v.data_size > 0)
		*org_r = intern(m, v.utf8_string, v.data_size);
	return 1;
}

gboolean
route_mmdb_load(struct route_tables *t, const struct route_paths *p,
    GError **error)
{
	if (p->geo_mmdb != NULL && *p->geo_mmdb != '\0' &&
	    (t->geo_mmdb = route_mmdb_open(p->geo_mmdb, error)) == NULL)
		return FALSE;
	if (p->asn_mmdb != NULL && *p->asn_mmdb != '\0' &&
	    (t->asn_mmdb = route_mmdb_open(p->asn_mmdb, error)) == NULL)
		return FALSE;
	return TRUE;
}

void
route_ip_where(const struct route_tables *t, const struct netaddr *a,
    struct route_where *w)
{
	memset(w, 0, sizeof(*w));
	if (route_mmdb_country(t->geo_mmdb, a, &w->mm_geo, &w->mm_rir) == 1)
		w->mm_source = route_mmdb_source(t->geo_mmdb);
	w->geo = country_table_lookup(t->geo, a);
	w->rir = country_table_lookup(t->rir, a);
}

int
route_ip_origin(const struct route_tables *t, const struct netaddr *a,
    guint32 *asn_r, const char **name_r, const char **source_r)
{
	const char *org;

	if (route_mmdb_asn(t->asn_mmdb, a, asn_r, &org) == 1) {
		*name_r = org != NULL ? org : route_as_name(t, *asn_r);
		*source_r = route_mmdb_source(t->asn_mmdb);
		return 1;
	}
	if (range_table_lookup(t->asn, a, asn_r, NULL) == 1) {
		*name_r = route_as_name(t, *asn_r);
		*source_r = t->asn_source;
		return 1;
	}
	*asn_r = 0;
	*name_r = *source_r = NULL;
	return 0;
}
