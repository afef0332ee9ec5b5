/*
 * route_ranges.c: sorted IP range tables with a two-level index.
 *
 * Owns struct range_table, the storage behind the IP -> country and
 * IP -> ASN tables: "first_ip,last_ip,VALUE" lines (inclusive,
 * non-overlapping, sorted; IPv4 and IPv6 may be mixed), the VALUE turned
 * into a guint32 by the caller's parser.  A reversed, overlapping or
 * unsorted range is a ROUTE_ERROR_SYNTAX "file:line" error.  A comment
 * "# date: YYYY-MM-DD" anywhere before the data gives the date of the
 * data, quoted in reason chains.
 *
 * Lookups: the ranges are kept as parallel arrays (first, last, value) so
 * the binary search touches only the keys, and an index on the top 16
 * bits of the address (65537 offsets per family) narrows the search to
 * the ranges that start in the same /16 (IPv4) or /16 of IPv6 space.
 * IPv6 /16s holding more than SUB_MIN ranges (2a02::/16 holds tens of
 * thousands) get a second level on the next 12 bits.  IPv6 keys are the
 * upper 64 bits; the lower half is compared only when several ranges
 * start in the same /64, which is rare.
 */
#include "config.h"

#include <arpa/inet.h>
#include <string.h>

#include "route/route_int.h"

#define IDX_SIZE	65537
#define SUB_BITS	12
#define SUB_SIZE	((1 << SUB_BITS) + 1)
/* A /16 of IPv6 with more ranges than this gets a second level. */
#define SUB_MIN		64
/* A third level for crowded /28s: measured no faster on the shipped
 * tables (the crowded /40s of the geo table stay crowded) and 10 MiB
 * bigger, so off. */
#define SUB_DEEPER	FALSE

struct tail4 {
	guint32	last;
	guint32	val;
};

struct tail6 {
	guint64	flo, lhi, llo;
	guint32	val;
};

struct range_table {
	char	*name;		/* basename of the file */
	char	*date;		/* from "# date:", or NULL */
	guint32	*first4;	/* the search keys, alone */
	struct tail4 *tail4;	/* the rest, read once per lookup */
	guint	 n4, cap4;
	guint64	*fhi;
	struct tail6 *tail6;
	guint	 n6, cap6;
	guint32	 idx4[IDX_SIZE];	/* first range starting in /16 h */
	guint32	 idx6[IDX_SIZE];
	struct sub6	*sub6[IDX_SIZE - 1];	/* NULL: a quiet /16 */
	guint	 nsub, nchild;
};

/* A second (and for the most crowded /28s a third) level of the IPv6
 * index: off[s] is the first range whose next 12 bits are >= s. */
struct sub6 {
	guint32		 off[SUB_SIZE];
	struct sub6	**child;	/* level 2 only: SUB_SIZE - 1 */
};

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

static void
grow4(struct range_table *t)
{
	if (t->n4 < t->cap4)
		return;
	t->cap4 = t->cap4 != 0 ? t->cap4 * 2 : 4096;
	t->first4 = g_renew(guint32, t->first4, t->cap4);
	t->tail4 = g_renew(struct tail4, t->tail4, t->cap4);
}

static void
grow6(struct range_table *t)
{
	if (t->n6 < t->cap6)
		return;
	t->cap6 = t->cap6 != 0 ? t->cap6 * 2 : 1024;
	t->fhi = g_renew(guint64, t->fhi, t->cap6);
	t->tail6 = g_renew(struct tail6, t->tail6, t->cap6);
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
	if (t->n6 > 0 && cmp6(fhi, flo, t->tail6[t->n6 - 1].lhi,
	    t->tail6[t->n6 - 1].llo) <= 0) {
		route_csv_error(c, error, "range %s - %s overlaps or is "
		    "before the previous one (the table must be sorted)", a, b);
		return FALSE;
	}
	grow6(t);
	t->fhi[t->n6] = fhi;
	t->tail6[t->n6].flo = flo;
	t->tail6[t->n6].lhi = lhi;
	t->tail6[t->n6].llo = llo;
	t->tail6[t->n6++].val = v;
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

/* shrink - gives back what the doubling left unused */
static void
shrink(struct range_table *t)
{
	t->cap4 = t->n4;
	t->first4 = g_renew(guint32, t->first4, t->n4);
	t->tail4 = g_renew(struct tail4, t->tail4, t->n4);
	t->cap6 = t->n6;
	t->fhi = g_renew(guint64, t->fhi, t->n6);
	t->tail6 = g_renew(struct tail6, t->tail6, t->n6);
}

/* build_index - idx[h] = first range whose key >= h << shift */
static void
build_index(guint32 *idx, guint n, const guint32 *k4, const guint64 *k6)
{
	guint h, i = 0;

	for (h = 0; h < IDX_SIZE - 1; h++) {
		while (i < n && (k4 != NULL ? k4[i] >> 16 :
		    (guint32)(k6[i] >> 48)) < h)
			i++;
		idx[h] = i;
	}
	idx[IDX_SIZE - 1] = n;
}

/* new_sub6 - an index of [lo, hi) on the 12 key bits at shift */
static struct sub6 *
new_sub6(struct range_table *t, guint lo, guint hi, guint shift,
    gboolean deeper)
{
	struct sub6 *n = g_new0(struct sub6, 1);
	guint s, i = lo;

	t->nsub++;
	for (s = 0; s < SUB_SIZE - 1; s++) {
		while (i < hi && ((t->fhi[i] >> shift) &
		    ((1 << SUB_BITS) - 1)) < s)
			i++;
		n->off[s] = i;
	}
	n->off[SUB_SIZE - 1] = hi;
	if (deeper) {
		n->child = g_new0(struct sub6 *, SUB_SIZE - 1);
		t->nchild++;
	}
	for (s = 0; deeper && s < SUB_SIZE - 1; s++)
		if (n->off[s + 1] - n->off[s] > SUB_MIN)
			n->child[s] = new_sub6(t, n->off[s], n->off[s + 1],
			    shift - SUB_BITS, FALSE);
	return n;
}

static void
free_sub6(struct sub6 *n)
{
	guint s;

	if (n == NULL)
		return;
	for (s = 0; n->child != NULL && s < SUB_SIZE - 1; s++)
		free_sub6(n->child[s]);
	g_free(n->child);
	g_free(n);
}

/* build_sub6 - the deeper levels of the crowded IPv6 /16s */
static void
build_sub6(struct range_table *t)
{
	guint h;

	for (h = 0; h < IDX_SIZE - 1; h++)
		if (t->idx6[h + 1] - t->idx6[h] > SUB_MIN)
			t->sub6[h] = new_sub6(t, t->idx6[h], t->idx6[h + 1],
			    48 - SUB_BITS, SUB_DEEPER);
}

struct range_table *
range_table_load(const char *path, range_parse_fn parse,
    const char *columns, GError **error)
{
	struct range_table *t;
	struct route_csv c;
	char *line;
	int rc;

	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

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
	shrink(t);
	build_index(t->idx4, t->n4, t->first4, NULL);
	build_index(t->idx6, t->n6, NULL, t->fhi);
	build_sub6(t);
	return t;
}

void
range_table_free(struct range_table **tp)
{
	struct range_table *t;
	guint i;

	if (tp == NULL || (t = *tp) == NULL)
		return;
	g_free(t->first4);
	g_free(t->tail4);
	g_free(t->fhi);
	g_free(t->tail6);
	for (i = 0; i < IDX_SIZE - 1; i++)
		free_sub6(t->sub6[i]);
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
	 * is idx4[h] - 1 if none of the bucket qualifies. */
	lo = upper4(t->first4, t->idx4[x >> 16], t->idx4[(x >> 16) + 1], x);
	if (lo == 0 || x > t->tail4[lo - 1].last)
		return -1;
	return lo - 1;
}

/* lookup6 - index of the range holding (xhi, xlo), or -1 */
static gint64
lookup6(const struct range_table *t, guint64 xhi, guint64 xlo)
{
	guint h = (guint)(xhi >> 48), s;
	guint lo = t->idx6[h], hi = t->idx6[h + 1];
	const struct sub6 *n = t->sub6[h];

	if (n != NULL) {
		s = (guint)(xhi >> (48 - SUB_BITS)) & ((1 << SUB_BITS) - 1);
		lo = n->off[s];
		hi = n->off[s + 1];
		if (n->child != NULL && (n = n->child[s]) != NULL) {
			s = (guint)(xhi >> (48 - 2 * SUB_BITS)) &
			    ((1 << SUB_BITS) - 1);
			lo = n->off[s];
			hi = n->off[s + 1];
		}
	}
	lo = upper6(t->fhi, lo, hi, xhi);
	/* Ranges starting in x's own /64 but after x. */
	while (lo > 0 && t->fhi[lo - 1] == xhi && t->tail6[lo - 1].flo > xlo)
		lo--;
	if (lo == 0 || cmp6(xhi, xlo, t->tail6[lo - 1].lhi,
	    t->tail6[lo - 1].llo) > 0)
		return -1;
	return lo - 1;
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
		*val_r = t->tail6[i].val;
		if (span_r != NULL) {
			span_r->v4 = FALSE;
			span_r->fhi = t->fhi[i];
			span_r->flo = t->tail6[i].flo;
			span_r->lhi = t->tail6[i].lhi;
			span_r->llo = t->tail6[i].llo;
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
	return sizeof(*t) + (gsize)t->nsub * sizeof(struct sub6) +
	    (gsize)t->nchild * (SUB_SIZE - 1) * sizeof(struct sub6 *) +
	    (gsize)t->cap4 * (sizeof(guint32) + sizeof(struct tail4)) +
	    (gsize)t->cap6 * (sizeof(guint64) + sizeof(struct tail6));
}
