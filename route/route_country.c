/*
 * route_country.c: IP -> country range tables (ip-country-*.csv[.gz]).
 *
 * Owns struct country_table: two sorted arrays of inclusive,
 * non-overlapping ranges, IPv4 as guint32 and IPv6 as two guint64, looked
 * up by binary search.  The file must be sorted by address (IPv4 and IPv6
 * may be mixed); a range that is reversed, overlaps or comes before its
 * predecessor is a ROUTE_ERROR_SYNTAX "file:line" error.  "UK" is stored
 * as "GB".  country_is_real() knows the codes that are not countries.
 */
#include "config.h"

#include <arpa/inet.h>
#include <string.h>

#include "route/route_int.h"

struct range4 {
	guint32	first;
	guint32	last;
	char	cc[4];
};

struct range6 {
	guint64	fhi, flo;
	guint64	lhi, llo;
	char	cc[4];
};

struct country_table {
	char	*name;		/* basename of the file */
	GArray	*v4;		/* struct range4, sorted */
	GArray	*v6;		/* struct range6, sorted */
};

/* Codes in the tables that do not name one country. */
static const char *const not_countries[] = {
	"EU", "AP", "ZZ", "CS", "AN", "SU", "AB", "OS", "UN", NULL
};

gboolean
country_is_real(const char *cc)
{
	guint i;

	if (cc == NULL || !g_ascii_isupper(cc[0]) || !g_ascii_isupper(cc[1]) ||
	    cc[2] != '\0')
		return FALSE;
	for (i = 0; not_countries[i] != NULL; i++)
		if (strcmp(cc, not_countries[i]) == 0)
			return FALSE;
	return TRUE;
}

static guint64
load64(const guint8 *b)
{
	guint64 v = 0;
	guint i;

	for (i = 0; i < 8; i++)
		v = (v << 8) | b[i];
	return v;
}

/* cmp6 - compares (ahi, alo) with (bhi, blo) */
static int
cmp6(guint64 ahi, guint64 alo, guint64 bhi, guint64 blo)
{
	if (ahi != bhi)
		return ahi < bhi ? -1 : 1;
	if (alo != blo)
		return alo < blo ? -1 : 1;
	return 0;
}

/* parse_cc - "jp" -> "JP", "UK" -> "GB"; FALSE unless two letters */
static gboolean
parse_cc(const char *s, char cc[4])
{
	if (!g_ascii_isalpha(s[0]) || !g_ascii_isalpha(s[1]) || s[2] != '\0')
		return FALSE;
	cc[0] = g_ascii_toupper(s[0]);
	cc[1] = g_ascii_toupper(s[1]);
	cc[2] = cc[3] = '\0';
	if (strcmp(cc, "UK") == 0)
		memcpy(cc, "GB", 3);
	return TRUE;
}

/* add_v4 - appends one IPv4 range after checking order */
static gboolean
add_v4(struct country_table *t, struct route_csv *c, const char *a,
    const char *b, const char cc[4], GError **error)
{
	struct in_addr fa, la;
	struct range4 r;

	if (inet_pton(AF_INET, a, &fa) != 1 ||
	    inet_pton(AF_INET, b, &la) != 1) {
		route_csv_error(c, error, "bad IPv4 range \"%.60s\" - "
		    "\"%.60s\"", a, b);
		return FALSE;
	}
	r.first = ntohl(fa.s_addr);
	r.last = ntohl(la.s_addr);
	memcpy(r.cc, cc, 4);
	if (r.first > r.last) {
		route_csv_error(c, error, "range %s - %s is reversed", a, b);
		return FALSE;
	}
	if (t->v4->len > 0 && r.first <= g_array_index(t->v4, struct range4,
	    t->v4->len - 1).last) {
		route_csv_error(c, error, "range %s - %s overlaps or is "
		    "before the previous one (the table must be sorted)", a, b);
		return FALSE;
	}
	g_array_append_val(t->v4, r);
	return TRUE;
}

/* add_v6 - appends one IPv6 range after checking order */
static gboolean
add_v6(struct country_table *t, struct route_csv *c, const char *a,
    const char *b, const char cc[4], GError **error)
{
	struct in6_addr fa, la;
	struct range6 r, *prev;

	if (inet_pton(AF_INET6, a, &fa) != 1 ||
	    inet_pton(AF_INET6, b, &la) != 1) {
		route_csv_error(c, error, "bad IPv6 range \"%.60s\" - "
		    "\"%.60s\"", a, b);
		return FALSE;
	}
	r.fhi = load64(fa.s6_addr);
	r.flo = load64(fa.s6_addr + 8);
	r.lhi = load64(la.s6_addr);
	r.llo = load64(la.s6_addr + 8);
	memcpy(r.cc, cc, 4);
	if (cmp6(r.fhi, r.flo, r.lhi, r.llo) > 0) {
		route_csv_error(c, error, "range %s - %s is reversed", a, b);
		return FALSE;
	}
	if (t->v6->len > 0) {
		prev = &g_array_index(t->v6, struct range6, t->v6->len - 1);
		if (cmp6(r.fhi, r.flo, prev->lhi, prev->llo) <= 0) {
			route_csv_error(c, error, "range %s - %s overlaps or "
			    "is before the previous one (the table must be "
			    "sorted)", a, b);
			return FALSE;
		}
	}
	g_array_append_val(t->v6, r);
	return TRUE;
}

/* load_line - one "first,last,CC" line (a header line is skipped) */
static gboolean
load_line(struct country_table *t, struct route_csv *c, char *line,
    GError **error)
{
	char *a = line, *b, *cc, code[4];

	while (*a == ' ' || *a == '\t')
		a++;
	if (*a == '\0' || *a == '#')
		return TRUE;
	if ((b = strchr(a, ',')) == NULL ||
	    (cc = strchr(b + 1, ',')) == NULL || strchr(cc + 1, ',') != NULL) {
		route_csv_error(c, error, "expected first_ip,last_ip,CC");
		return FALSE;
	}
	*b++ = '\0';
	*cc++ = '\0';
	if (c->line == 1 && strcmp(a, "first_ip") == 0)
		return TRUE;
	if (!parse_cc(cc, code)) {
		route_csv_error(c, error, "bad country code \"%.20s\"", cc);
		return FALSE;
	}
	if (strchr(a, ':') != NULL)
		return add_v6(t, c, a, b, code, error);
	return add_v4(t, c, a, b, code, error);
}

struct country_table *
country_table_load(const char *path, GError **error)
{
	struct country_table *t;
	struct route_csv c;
	char *line;
	int rc;

	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	if (!route_csv_open(&c, path, error))
		return NULL;
	t = g_new0(struct country_table, 1);
	t->name = g_strdup(c.name);
	t->v4 = g_array_sized_new(FALSE, FALSE, sizeof(struct range4), 65536);
	t->v6 = g_array_sized_new(FALSE, FALSE, sizeof(struct range6), 16384);
	while ((rc = route_csv_next(&c, &line, error)) == 1) {
		if (!load_line(t, &c, line, error)) {
			rc = -1;
			break;
		}
	}
	route_csv_close(&c);
	if (rc < 0) {
		country_table_free(&t);
		return NULL;
	}
	return t;
}

void
country_table_free(struct country_table **tp)
{
	struct country_table *t;

	if (tp == NULL || (t = *tp) == NULL)
		return;
	g_array_free(t->v4, TRUE);
	g_array_free(t->v6, TRUE);
	g_free(t->name);
	g_free(t);
	*tp = NULL;
}

const char *
country_table_lookup(const struct country_table *t, const struct netaddr *a)
{
	guint lo, hi, mid;

	if (t == NULL)
		return NULL;
	if (a->v4) {
		const struct range4 *r = (const struct range4 *)t->v4->data;
		guint32 x = ((guint32)a->b[12] << 24) | (a->b[13] << 16) |
		    (a->b[14] << 8) | a->b[15];

		/* Find the last range whose first <= x. */
		lo = 0;
		hi = t->v4->len;
		while (lo < hi) {
			mid = lo + (hi - lo) / 2;
			if (r[mid].first <= x)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo == 0 || x > r[lo - 1].last)
			return NULL;
		return r[lo - 1].cc;
	} else {
		const struct range6 *r = (const struct range6 *)t->v6->data;
		guint64 xhi = load64(a->b), xlo = load64(a->b + 8);

		lo = 0;
		hi = t->v6->len;
		while (lo < hi) {
			mid = lo + (hi - lo) / 2;
			if (cmp6(r[mid].fhi, r[mid].flo, xhi, xlo) <= 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo == 0 ||
		    cmp6(xhi, xlo, r[lo - 1].lhi, r[lo - 1].llo) > 0)
			return NULL;
		return r[lo - 1].cc;
	}
}

const char *
country_table_name(const struct country_table *t)
{
	return t->name;
}

guint
country_table_size(const struct country_table *t)
{
	return t->v4->len + t->v6->len;
}
