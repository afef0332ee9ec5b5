/*
 * test_route_ranges.c: the range tables' lookups (route/route_ranges.c)
 * against a linear scan, on generated tables that use every path of the
 * IPv6 search (quiet /16s, crowded /16s with quiet /28s, crowded /28s
 * through several levels of the search tree) and with ranges at the
 * edges of the index buckets and of the tree's blocks: ranges spanning
 * many buckets, the first and last address of a bucket, gaps, several
 * ranges in one /64, a table starting at :: and one ending at the last
 * address.
 */
#include "config.h"

#include <arpa/inet.h>
#include <string.h>
#include <criterion/criterion.h>

#include "route/route_int.h"
#include "tests/helpers.h"

TestSuite(route_ranges, .init = test_tmp_setup, .fini = test_tmp_teardown,
    .timeout = 30);

/* One range, 128-bit (IPv4: hi = 0, lo = the address). */
struct r {
	guint64	fhi, flo, lhi, llo;
	guint32	val;
};

static gboolean
value_parse(const char *s, guint32 *v, const char **why_r)
{
	*v = (guint32)g_ascii_strtoull(s, NULL, 10);
	return TRUE;
}

static void
to_addr(gboolean v4, guint64 hi, guint64 lo, struct netaddr *a)
{
	guint i;

	memset(a, 0, sizeof(*a));
	a->v4 = v4;
	if (v4) {
		a->b[10] = a->b[11] = 0xff;
		for (i = 0; i < 4; i++)
			a->b[12 + i] = (guint8)(lo >> (24 - 8 * i));
		return;
	}
	for (i = 0; i < 8; i++) {
		a->b[i] = (guint8)(hi >> (56 - 8 * i));
		a->b[8 + i] = (guint8)(lo >> (56 - 8 * i));
	}
}

static void
print_addr(GString *s, gboolean v4, guint64 hi, guint64 lo)
{
	struct netaddr a;
	char buf[INET6_ADDRSTRLEN];

	to_addr(v4, hi, lo, &a);
	if (v4)
		inet_ntop(AF_INET, a.b + 12, buf, sizeof(buf));
	else
		inet_ntop(AF_INET6, a.b, buf, sizeof(buf));
	g_string_append(s, buf);
}

static int
cmp(guint64 ahi, guint64 alo, guint64 bhi, guint64 blo)
{
	if (ahi != bhi)
		return ahi < bhi ? -1 : 1;
	return alo < blo ? -1 : alo > blo;
}

/* add - x + d (128-bit) */
static void
add(guint64 *hi, guint64 *lo, guint64 dhi, guint64 dlo)
{
	guint64 l = *lo + dlo;

	*hi += dhi + (l < *lo);
	*lo = l;
}

/* gen6 - appends n sorted IPv6 ranges from (hi, lo) on: sizes from part
 * of a /64 to many /28s, gaps of 0 (adjacent) to many /28s; big steps are
 * up to 2^20 << shift of the upper 64 bits, so shift 12 crowds /28s, 20
 * crowds /16s but not their /28s, 32 leaves /16s quiet (8: for a table
 * in the last /28) */
static void
gen6(GArray *v, GRand *rnd, guint n, guint64 hi, guint64 lo, guint shift)
{
	struct r x;
	guint i;

	for (i = 0; i < n; i++) {
		switch (g_rand_int_range(rnd, 0, 4)) {
		case 0:
			break;			/* adjacent */
		case 1:
			add(&hi, &lo, 0, g_rand_int_range(rnd, 1, 1000));
			break;			/* a small gap in a /64 */
		case 2:
			add(&hi, &lo, (guint64)g_rand_int(rnd) << 8 >>
			    (32 - shift), 0);
			break;			/* a medium step */
		default:
			add(&hi, &lo, (guint64)g_rand_int_range(rnd, 0,
			    1 << 20) << shift, 0);
			break;			/* a big step */
		}
		x.fhi = hi;
		x.flo = lo;
		switch (g_rand_int_range(rnd, 0, 3)) {
		case 0:
			add(&hi, &lo, 0, g_rand_int_range(rnd, 0, 500));
			break;			/* in one /64 */
		case 1:
			add(&hi, &lo, g_rand_int_range(rnd, 0, 1 << 20),
			    G_MAXUINT64);	/* whole /64s */
			break;
		default:
			add(&hi, &lo, (guint64)g_rand_int_range(rnd, 0,
			    1 << 20) << shift, g_rand_int(rnd)); /* big */
			break;
		}
		x.lhi = hi;
		x.llo = lo;
		x.val = v->len + 1;
		g_array_append_val(v, x);
		add(&hi, &lo, 0, 1);
	}
}

/* gen6_to_end - n ranges from :: on (shift 32), or crowded in the last
 * /28 (shift 8), the last one to the end of IPv6 */
static GArray *
gen6_to_end(GRand *rnd, guint n, guint shift)
{
	GArray *v = g_array_new(FALSE, FALSE, sizeof(struct r));

	gen6(v, rnd, n, shift == 32 ? 0 : 0xfffffff000000000ULL, 0, shift);
	g_array_index(v, struct r, n - 1).lhi = G_MAXUINT64;
	g_array_index(v, struct r, n - 1).llo = G_MAXUINT64;
	return v;
}

/* gen4 - IPv4 ranges around /16 bucket edges */
static GArray *
gen4(GRand *rnd, guint n)
{
	GArray *v = g_array_new(FALSE, FALSE, sizeof(struct r));
	struct r x = { 0 };
	guint64 a = 0x01000000;
	guint i;

	for (i = 0; i < n && a < 0xff000000; i++) {
		switch (g_rand_int_range(rnd, 0, 4)) {
		case 0:
			a = (a | 0xffff) + 1;	/* first address of a /16 */
			break;
		case 1:
			a += g_rand_int_range(rnd, 0, 3);
			break;
		default:
			a += g_rand_int_range(rnd, 0, 1 << 20);
			break;
		}
		x.flo = a;
		switch (g_rand_int_range(rnd, 0, 3)) {
		case 0:
			a |= 0xffff;		/* last address of a /16 */
			break;
		case 1:
			a += g_rand_int_range(rnd, 0, 300);
			break;
		default:
			a += g_rand_int_range(rnd, 0, 1 << 22);
			break;			/* several /16s */
		}
		x.llo = a++;
		x.val = 100000 + i;
		g_array_append_val(v, x);
	}
	return v;
}

static char *
write_table(const char *name, GArray *v4, GArray *v6)
{
	GString *s = g_string_new("# date: 2026-01-02\n");
	char *path = g_build_filename(test_tmp, name, NULL);
	guint i;

	for (i = 0; v4 != NULL && i < v4->len; i++) {
		const struct r *x = &g_array_index(v4, struct r, i);

		print_addr(s, TRUE, 0, x->flo);
		g_string_append_c(s, ',');
		print_addr(s, TRUE, 0, x->llo);
		g_string_append_printf(s, ",%u\n", x->val);
	}
	for (i = 0; i < v6->len; i++) {
		const struct r *x = &g_array_index(v6, struct r, i);

		print_addr(s, FALSE, x->fhi, x->flo);
		g_string_append_c(s, ',');
		print_addr(s, FALSE, x->lhi, x->llo);
		g_string_append_printf(s, ",%u\n", x->val);
	}
	cr_assert(g_file_set_contents(path, s->str, s->len, NULL));
	g_string_free(s, TRUE);
	return path;
}

/* check - the table's answer for (hi, lo) is the linear scan's */
static void
check(const struct range_table *t, GArray *v, gboolean v4, guint64 hi,
    guint64 lo)
{
	const struct r *x, *want = NULL;
	struct range_span sp;
	struct netaddr a;
	guint32 val = 0;
	guint i;
	int rc;

	for (i = 0; i < v->len; i++) {
		x = &g_array_index(v, struct r, i);
		if (cmp(hi, lo, x->fhi, x->flo) >= 0 &&
		    cmp(hi, lo, x->lhi, x->llo) <= 0)
			want = x;
	}
	to_addr(v4, hi, lo, &a);
	rc = range_table_lookup(t, &a, &val, &sp);
	cr_assert_eq(rc, want != NULL, "%016" G_GINT64_MODIFIER "x:%016"
	    G_GINT64_MODIFIER "x: found %d, expected %d", hi, lo, rc,
	    want != NULL);
	if (want == NULL)
		return;
	cr_assert_eq(val, want->val, "%016" G_GINT64_MODIFIER "x:%016"
	    G_GINT64_MODIFIER "x: value %u, expected %u", hi, lo, val,
	    want->val);
	if (v4) {
		cr_assert_eq(sp.first4, (guint32)want->flo);
		cr_assert_eq(sp.last4, (guint32)want->llo);
	} else {
		cr_assert(sp.fhi == want->fhi && sp.flo == want->flo &&
		    sp.lhi == want->lhi && sp.llo == want->llo,
		    "span of range %u", want->val);
	}
}

/* check_all - every range's edges and their neighbours, a point inside,
 * and random addresses */
static void
check_all(const struct range_table *t, GArray *v, gboolean v4, GRand *rnd)
{
	guint64 hi, lo;
	guint i;

	for (i = 0; i < v->len; i++) {
		const struct r *x = &g_array_index(v, struct r, i);

		check(t, v, v4, x->fhi, x->flo);
		check(t, v, v4, x->lhi, x->llo);
		hi = x->fhi;
		lo = x->flo;
		add(&hi, &lo, G_MAXUINT64, G_MAXUINT64);	/* - 1 */
		if (x->fhi != 0 || x->flo != 0)
			check(t, v, v4, hi, lo);
		hi = x->lhi;
		lo = x->llo;
		add(&hi, &lo, 0, 1);
		if (v4 ? lo <= G_MAXUINT32 : (hi != 0 || lo != 0))
			check(t, v, v4, hi, lo);
		if (v4)
			continue;
		check(t, v, v4, x->fhi, x->flo + (x->llo - x->flo) / 2);
		/* the first and last address of the index buckets (/16,
		 * /28) the range starts and ends in */
		check(t, v, v4, x->fhi & ~(G_MAXUINT64 >> 16), 0);
		check(t, v, v4, x->fhi | (G_MAXUINT64 >> 16), G_MAXUINT64);
		check(t, v, v4, x->lhi & ~(G_MAXUINT64 >> 28), 0);
		check(t, v, v4, x->lhi | (G_MAXUINT64 >> 28), G_MAXUINT64);
	}
	for (i = 0; i < 2000; i++) {
		if (v4)
			check(t, v, v4, 0, g_rand_int(rnd));
		else {
			/* near a range: random low bits of its /32 */
			const struct r *x = &g_array_index(v, struct r,
			    g_rand_int_range(rnd, 0, v->len));

			check(t, v, v4, (x->fhi & ~(guint64)0xffffffff) |
			    g_rand_int(rnd), (guint64)g_rand_int(rnd) << 32);
		}
	}
	check(t, v, v4, 0, 0);
	if (v4)
		check(t, v, v4, 0, G_MAXUINT32);
	else
		check(t, v, v4, G_MAXUINT64, G_MAXUINT64);
}

static struct range_table *
load(const char *path)
{
	struct range_table *t;
	GError *err = NULL;

	t = range_table_load(path, value_parse, "first_ip,last_ip,N",
	    G_MAXUINT32 - 1, NULL, &err);
	cr_assert_not_null(t, "%s", err != NULL ? err->message : "");
	return t;
}

Test(route_ranges, many_ipv6_ranges_match_a_linear_scan)
{
	GRand *rnd = g_rand_new_with_seed(7);
	GArray *v6 = g_array_new(FALSE, FALSE, sizeof(struct r));
	GArray *v4 = gen4(rnd, 3000);
	char *path;
	struct range_table *t;

	/* crowded /28s (searched by the tree: 4 levels of blocks), crowded
	 * /16s with quiet /28s, quiet /16s */
	gen6(v6, rnd, 2500, 0x2001000000000000ULL, 0, 12);
	gen6(v6, rnd, 2000, 0x2400000000000000ULL, 0, 20);
	gen6(v6, rnd, 500, 0x2a00000000000000ULL, 0, 32);
	path = write_table("t6.csv", v4, v6);
	t = load(path);
	cr_assert_eq(range_table_size(t, TRUE), 5000);
	cr_assert_eq(range_table_size(t, FALSE), v4->len);
	cr_assert_str_eq(range_table_date(t), "2026-01-02");
	check_all(t, v6, FALSE, rnd);
	check_all(t, v4, TRUE, rnd);
	range_table_free(&t);
	cr_assert_null(t);
	g_array_unref(v6);
	g_array_unref(v4);
	g_free(path);
	g_rand_free(rnd);
}

Test(route_ranges, ipv6_table_from_first_to_last_address)
{
	GRand *rnd = g_rand_new_with_seed(11);
	guint n;

	/* sizes around whole tree blocks (16, 256) and a single range;
	 * in quiet /16s, and crowded in the last /28 (the tree) */
	for (n = 1; n <= 300; n += (n < 20 || n > 250) ? 1 : 23) {
		GArray *v6 = gen6_to_end(rnd, n, n % 2 == 0 ? 32 : 8);
		char *path = write_table("edge.csv", NULL, v6);
		struct range_table *t = load(path);

		check_all(t, v6, FALSE, rnd);
		range_table_free(&t);
		g_array_unref(v6);
		g_free(path);
	}
	g_rand_free(rnd);
}

Test(route_ranges, ranges_in_one_ipv6_slash_64)
{
	char *path = g_build_filename(test_tmp, "s64.csv", NULL);
	struct range_table *t;
	struct netaddr a;
	guint32 v;

	cr_assert(g_file_set_contents(path,
	    "2001:db8::,2001:db8::ff,1\n"
	    "2001:db8::100,2001:db8::100,2\n"
	    "2001:db8::200,2001:db8:0:1::ffff,3\n", -1, NULL));
	t = load(path);
	cr_assert(netaddr_parse("2001:db8::ff", 12, &a));
	cr_assert_eq(range_table_lookup(t, &a, &v, NULL), 1);
	cr_assert_eq(v, 1);
	cr_assert(netaddr_parse("2001:db8::101", 13, &a));
	cr_assert_eq(range_table_lookup(t, &a, &v, NULL), 0);
	cr_assert(netaddr_parse("2001:db8::100", 13, &a));
	cr_assert_eq(range_table_lookup(t, &a, &v, NULL), 1);
	cr_assert_eq(v, 2);
	cr_assert(netaddr_parse("2001:db8:0:1::", 14, &a));
	cr_assert_eq(range_table_lookup(t, &a, &v, NULL), 1);
	cr_assert_eq(v, 3);
	cr_assert(netaddr_parse("2001:db8:0:1::1:0", 17, &a));
	cr_assert_eq(range_table_lookup(t, &a, &v, NULL), 0);
	range_table_free(&t);
	g_free(path);
}
