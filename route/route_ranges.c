/*
 * route_ranges.c: sorted IP range tables, an index for IPv4 and a search
 * tree for IPv6.
 *
 * Owns struct range_table (its layout is in route_ranges_int.h), the
 * storage behind the IP -> country and IP -> ASN tables:
 * "first_ip,last_ip,VALUE" lines (inclusive, non-overlapping, sorted;
 * IPv4 and IPv6 may be mixed), the VALUE turned into a guint32 by the
 * caller's parser.  A reversed, overlapping or unsorted range is a
 * ROUTE_ERROR_SYNTAX "file:line" error.  A comment "# date: YYYY-MM-DD"
 * anywhere before the data gives the date of the data, quoted in reason
 * chains.  With a cache directory the parsed arrays are kept in the
 * table cache and read from there next time (route_cache.c).  The
 * indexes described below are built by route_ranges_index.c.
 *
 * IPv4 lookups: the ranges are kept as parallel arrays (first; last and
 * value) so the search touches only the keys, and an index on the top
 * 16 bits of the address (65537 offsets) narrows the search to the
 * ranges starting in the same /16.
 *
 * IPv6 lookups: the ranges are stored as boundaries: where each range
 * starts, with its value, and where each gap after a range starts, with
 * GAP, so the answer for x is the value of the last boundary <= x and no
 * end needs reading (the old end-of-range array cost a cache miss per
 * lookup).  Only the upper 64 bits of a boundary are searched; the lower
 * ones are compared when several boundaries fall in x's /64, which is
 * rare.  IPv6 space is sparse and very unevenly crowded (2a02::/16 alone
 * holds tens of thousands of ranges), so the search narrows in steps:
 * an index on the top 16 bits gives the boundaries of x's /16; a /16
 * with more than SMALL6 of them has a second index on the next 12 bits;
 * a bucket of at most SMALL6 boundaries is binary-searched (a few cache
 * lines), and only the crowded /28s (the geo table has many) go through
 * a static B-tree over all keys (an "S-tree"): level 0 is the sorted
 * keys themselves, each level above holds the first key of every block
 * of TREE_B keys of the level below.  A tree lookup reads one block (two
 * cache lines) per level, the top levels stay in cache, and the search
 * has no data-dependent branch, so lookups of different addresses
 * overlap in the CPU.  Measured on the shipped tables (bench/route-bench)
 * the tree alone was 3x faster than the old two-level index on the geo
 * table but 20-35% slower on the smaller rir and asn tables, hence both.
 */
#include "config.h"

#include <arpa/inet.h>
#include <string.h>

#include "route/route_int.h"
#include "route/route_ranges_int.h"

#ifdef __GNUC__
#define PREFETCH(p)	__builtin_prefetch(p)
#else
#define PREFETCH(p)	((void)(p))
#endif

static guint64
load64(const guint8 *b)
{
	guint64 v = 0;
	guint i;

	for (i = 0; i < 8; i++)
		v = (v << 8) | b[i];
	return v;
}

static void
grow4(struct range_table *t)
{
	if (t->n4 < t->cap4)
		return;
	t->cap4 = t->cap4 != 0 ? t->cap4 * 2 : 4096;
	t->first4 = g_renew(guint32, t->first4, t->cap4);
	t->tail4 = g_renew(struct range_tail4, t->tail4, t->cap4);
}

/* add_bound - appends one IPv6 boundary */
static void
add_bound(struct range_table *t, guint64 hi, guint64 lo, guint32 v)
{
	if (t->nb == t->capb) {
		t->capb = t->capb != 0 ? t->capb * 2 : 1024;
		t->bhi = g_renew(guint64, t->bhi, t->capb);
		t->blo = g_renew(guint64, t->blo, t->capb);
		t->bval = g_renew(guint32, t->bval, t->capb);
	}
	t->bhi[t->nb] = hi;
	t->blo[t->nb] = lo;
	t->bval[t->nb++] = v;
}

/* add_v4 - appends one IPv4 range after checking order */
static gboolean
add_v4(struct range_table *t, struct route_csv *c, const char *a,
    const char *b, guint32 v, GError **error)
{
	struct in_addr fa, la;
	guint32 first, last;

	if (inet_pton(AF_INET, a, &fa) != 1 ||
	    inet_pton(AF_INET, b, &la) != 1) {
		route_csv_error(c, error, "bad IPv4 range \"%.60s\" - "
		    "\"%.60s\"", a, b);
		return FALSE;
	}
	first = ntohl(fa.s_addr);
	last = ntohl(la.s_addr);
	if (first > last) {
		route_csv_error(c, error, "range %s - %s is reversed", a, b);
		return FALSE;
	}
	if (t->n4 > 0 && first <= t->tail4[t->n4 - 1].last) {
		route_csv_error(c, error, "range %s - %s overlaps or is "
		    "before the previous one (the table must be sorted)", a, b);
		return FALSE;
	}
	grow4(t);
	t->first4[t->n4] = first;
	t->tail4[t->n4].last = last;
	t->tail4[t->n4++].val = v;
	return TRUE;
}

/* add_v6 - appends one IPv6 range after checking order */
static gboolean
add_v6(struct range_table *t, struct route_csv *c, const char *a,
    const char *b, guint32 v, GError **error)
{
	struct in6_addr fa, la;
	guint64 fhi, flo, lhi, llo;

	if (inet_pton(AF_INET6, a, &fa) != 1 ||
	    inet_pton(AF_INET6, b, &la) != 1) {
		route_csv_error(c, error, "bad IPv6 range \"%.60s\" - "
		    "\"%.60s\"", a, b);
		return FALSE;
	}
	fhi = load64(fa.s6_addr);
	flo = load64(fa.s6_addr + 8);
	lhi = load64(la.s6_addr);
	llo = load64(la.s6_addr + 8);
	if (cmp6(fhi, flo, lhi, llo) > 0) {
		route_csv_error(c, error, "range %s - %s is reversed", a, b);
		return FALSE;
	}
	if (t->n6 > 0 && cmp6(fhi, flo, t->lasthi, t->lastlo) <= 0) {
		route_csv_error(c, error, "range %s - %s overlaps or is "
		    "before the previous one (the table must be sorted)", a, b);
		return FALSE;
	}
	/* A gap since the previous range (+1 cannot wrap: this range
	 * starts above it). */
	if (t->n6 > 0 && cmp6(fhi, flo, t->lasthi + (t->lastlo == G_MAXUINT64),
	    t->lastlo + 1) != 0)
		add_bound(t, t->lasthi + (t->lastlo == G_MAXUINT64),
		    t->lastlo + 1, GAP);
	add_bound(t, fhi, flo, v);
	t->lasthi = lhi;
	t->lastlo = llo;
	t->n6++;
	return TRUE;
}

/* comment - "# date: YYYY-MM-DD" sets the table's date */
static void
comment(struct range_table *t, const char *line)
{
	const char *p = strstr(line, "date:");
	guint i;

	if (p == NULL || t->date != NULL)
		return;
	for (p += 5; *p == ' '; p++)
		;
	for (i = 0; i < 10; i++)
		if (!(i == 4 || i == 7 ? p[i] == '-' : g_ascii_isdigit(p[i])))
			return;
	t->date = g_strndup(p, 10);
}

/* load_line - one "first,last,VALUE" line */
static gboolean
load_line(struct range_table *t, struct route_csv *c, char *line,
    range_parse_fn parse, const char *columns, GError **error)
{
	char *a = line, *b, *val;
	const char *why = NULL;
	guint32 v;

	while (*a == ' ' || *a == '\t')
		a++;
	if (*a == '#')
		comment(t, a);
	if (*a == '\0' || *a == '#')
		return TRUE;
	if ((b = strchr(a, ',')) == NULL ||
	    (val = strchr(b + 1, ',')) == NULL ||
	    strchr(val + 1, ',') != NULL) {
		route_csv_error(c, error, "expected %s", columns);
		return FALSE;
	}
	*b++ = '\0';
	*val++ = '\0';
	if (t->n4 + t->n6 == 0 && strcmp(a, "first_ip") == 0)
		return TRUE;
	if (!parse(val, &v, &why)) {
		route_csv_error(c, error, "%s \"%.20s\"", why, val);
		return FALSE;
	}
	if (strchr(a, ':') != NULL)
		return add_v6(t, c, a, b, v, error);
	return add_v4(t, c, a, b, v, error);
}

/* range_table_finish - the indexes, once the ranges are all in */
static void
range_table_finish(struct range_table *t)
{
	/* The end of the last range, unless it ends the address space. */
	if (t->n6 > 0 && (t->lasthi != G_MAXUINT64 ||
	    t->lastlo != G_MAXUINT64))
		add_bound(t, t->lasthi + (t->lastlo == G_MAXUINT64),
		    t->lastlo + 1, GAP);
	range_table_index(t);
}

/* parse_csv - the table of a CSV file */
static struct range_table *
parse_csv(const char *path, range_parse_fn parse, const char *columns,
    GError **error)
{
	struct range_table *t;
	struct route_csv c;
	char *line;
	int rc;

	if (!route_csv_open(&c, path, error))
		return NULL;
	t = g_new0(struct range_table, 1);
	t->name = g_strdup(c.name);
	while ((rc = route_csv_next(&c, &line, error)) == 1) {
		if (!load_line(t, &c, line, parse, columns, error)) {
			rc = -1;
			break;
		}
	}
	route_csv_close(&c);
	if (rc < 0) {
		range_table_free(&t);
		return NULL;
	}
	range_table_finish(t);
	return t;
}

struct range_table *
range_table_load(const char *path, range_parse_fn parse,
    const char *columns, guint32 vmax, const char *cache_dir,
    GError **error)
{
	struct range_table *t = NULL;
	GByteArray *out;
	GBytes *b;
	char *name;

	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	if (cache_dir != NULL &&
	    (b = route_cache_read(cache_dir, path, columns)) != NULL) {
		name = g_path_get_basename(path);
		t = route_cache_ranges_undump(name, b, vmax);
		g_free(name);
		g_bytes_unref(b);
		if (t != NULL)
			return t;
	}
	if ((t = parse_csv(path, parse, columns, error)) == NULL)
		return NULL;
	if (cache_dir != NULL) {
		out = route_cache_ranges_dump(t);
		route_cache_write(cache_dir, path, columns, out);
		g_byte_array_unref(out);
	}
	return t;
}

void
range_table_free(struct range_table **tp)
{
	struct range_table *t;

	if (tp == NULL || (t = *tp) == NULL)
		return;
	g_free(t->first4);
	g_free(t->tail4);
	if (t->tree_mem != NULL)
		g_free(t->tree_mem);	/* bhi is the tree's level 0 */
	else
		g_free(t->bhi);
	g_free(t->blo);
	g_free(t->sub6);
	g_free(t->bval);
	g_free(t->name);
	g_free(t->date);
	g_free(t);
	*tp = NULL;
}

/* upper4 - the first index in [lo, hi) whose key is > x, else hi.
 * Branch-free (the comparison becomes a conditional move), so a search
 * of a crowded bucket costs memory latency, not mispredictions. */
static inline guint
upper4(const guint32 *k, guint lo, guint hi, guint32 x)
{
	const guint32 *base = k + lo;
	guint n = hi - lo, half;

	if (n == 0)
		return lo;
	while (n > 1) {
		half = n / 2;
		base = base[half] <= x ? base + half : base;
		n -= half;
	}
	return (guint)(base - k) + (*base <= x);
}

/* upper6 - the same over 64-bit keys */
static inline guint
upper6(const guint64 *k, guint lo, guint hi, guint64 x)
{
	const guint64 *base = k + lo;
	guint n = hi - lo, half;

	if (n == 0)
		return lo;
	while (n > 1) {
		half = n / 2;
		base = base[half] <= x ? base + half : base;
		n -= half;
	}
	return (guint)(base - k) + (*base <= x);
}

/* lookup4 - index of the range holding x, or -1 */
static gint64
lookup4(const struct range_table *t, guint32 x)
{
	guint lo;

	/* Ranges before idx4[h] start below x's /16 and those from
	 * idx4[h + 1] on start above it: the last range with first <= x
	 * is idx4[h] - 1 if none of the bucket qualifies.  A table of
	 * IPv6 ranges alone has no keys at all (first4 is NULL). */
	if (t->n4 == 0)
		return -1;
	lo = upper4(t->first4, t->idx4[x >> 16], t->idx4[(x >> 16) + 1], x);
	if (lo == 0 || x > t->tail4[lo - 1].last)
		return -1;
	return lo - 1;
}

/* search6 - the index of the last key <= x, or -1 when x is below them
 * all: in each level's block, the number of keys <= x picks the block of
 * the level below (the count, not a branch on each key, so the compiler
 * can make it straight-line code).  The padding (~0) counts when x is ~0:
 * the index is kept within the level's real keys. */
static inline gint64
search6(const struct range_table *t, guint64 x)
{
	const guint64 *k;
	gsize j = 0;
	guint l = t->nlevel, i, n;

	while (l-- > 0) {
		k = t->level[l] + j * TREE_B;
		for (i = n = 0; i < TREE_B; i++)
			n += k[i] <= x;
		if (n == 0)
			return -1;
		j = MIN(j * TREE_B + n - 1, t->nreal[l] - 1);
		/* The values of the leaf block, read next: fetched while
		 * the block itself is. */
		if (l == 1)
			PREFETCH(t->bval + j * TREE_B);
	}
	return (gint64)j;
}

/* lookup6 - index of the boundary of the range holding (xhi, xlo), or -1 */
static gint64
lookup6(const struct range_table *t, guint64 xhi, guint64 xlo)
{
	gint64 i;

	guint h = (guint)(xhi >> 48), lo = t->idx6[h], hi = t->idx6[h + 1];
	const guint32 *s;

	if (t->nb == 0)
		return -1;
	if (hi - lo > SMALL6) {
		s = t->sub6 + t->sub[h] + ((xhi >> (48 - SUB_BITS)) &
		    SUB_MASK);
		lo = s[0];
		hi = s[1];
	}
	if (hi - lo <= SMALL6) {
		/* A quiet /16 or /28: the last boundary <= xhi is in
		 * [lo - 1, hi). */
		i = (gint64)upper6(t->bhi, lo, hi, xhi) - 1;
	} else if ((i = search6(t, xhi)) < 0)
		return -1;
	/* Boundaries in x's own /64 but after x. */
	while (i >= 0 && t->bhi[i] == xhi && t->blo[i] > xlo)
		i--;
	if (i < 0 || t->bval[i] == GAP)
		return -1;
	return i;
}

int
range_table_lookup(const struct range_table *t, const struct netaddr *a,
    guint32 *val_r, struct range_span *span_r)
{
	gint64 i;

	if (t == NULL)
		return 0;
	if (a->v4) {
		guint32 x = ((guint32)a->b[12] << 24) | (a->b[13] << 16) |
		    (a->b[14] << 8) | a->b[15];

		if ((i = lookup4(t, x)) < 0)
			return 0;
		*val_r = t->tail4[i].val;
		if (span_r != NULL) {
			span_r->v4 = TRUE;
			span_r->first4 = t->first4[i];
			span_r->last4 = t->tail4[i].last;
		}
	} else {
		if ((i = lookup6(t, load64(a->b), load64(a->b + 8))) < 0)
			return 0;
		*val_r = t->bval[i];
		if (span_r != NULL) {
			span_r->v4 = FALSE;
			span_r->fhi = t->bhi[i];
			span_r->flo = t->blo[i];
			/* The next boundary - 1, or the end of the space. */
			span_r->lhi = span_r->llo = G_MAXUINT64;
			if ((guint)i + 1 < t->nb) {
				span_r->lhi = t->bhi[i + 1] -
				    (t->blo[i + 1] == 0);
				span_r->llo = t->blo[i + 1] - 1;
			}
		}
	}
	return 1;
}

const char *
range_table_name(const struct range_table *t)
{
	return t->name;
}

const char *
range_table_date(const struct range_table *t)
{
	return t->date;
}

guint
range_table_size(const struct range_table *t, gboolean v6)
{
	if (t == NULL)
		return 0;
	return v6 ? t->n6 : t->n4;
}

gsize
range_table_bytes(const struct range_table *t)
{
	if (t == NULL)
		return 0;
	return sizeof(*t) + (t->ntree + 8) * sizeof(guint64) +
	    (gsize)t->nsub * sizeof(guint32) +
	    (gsize)t->cap4 * (sizeof(guint32) + sizeof(struct range_tail4)) +
	    (gsize)t->capb * (sizeof(guint64) + sizeof(guint32));
}
