/*
 * route_ranges_index.c: the indexes of a range table (route_ranges.c
 * explains how a lookup uses them), built once its arrays are complete,
 * whether parsed from CSV or read from the table cache: the IPv4 /16
 * index, the IPv6 /16 index with its /28 second level for crowded /16s,
 * and the IPv6 search tree.  Owns range_table_index().
 */
#include "config.h"


#include "route/route_int.h"
#include "route/route_ranges_int.h"

/* shrink - gives back what the doubling left unused (bhi moves into the
 * tree) */
static void
shrink(struct range_table *t)
{
	t->cap4 = t->n4;
	t->first4 = g_renew(guint32, t->first4, t->n4);
	t->tail4 = g_renew(struct range_tail4, t->tail4, t->n4);
	t->capb = t->nb;
	t->blo = g_renew(guint64, t->blo, t->nb);
	t->bval = g_renew(guint32, t->bval, t->nb);
}

/* build_index - idx4[h] = first range whose key >= h << 16 */
static void
build_index(guint32 *idx, guint n, const guint32 *k)
{
	guint h, i = 0;

	for (h = 0; h < IDX_SIZE - 1; h++) {
		while (i < n && k[i] >> 16 < h)
			i++;
		idx[h] = i;
	}
	idx[IDX_SIZE - 1] = n;
}

/* build_tree - the levels of the IPv6 search tree, in one allocation
 * aligned to cache lines (so a block is never split across more lines
 * than it must), bhi moved in as level 0: level l + 1 holds the first
 * key of every block of level l, each level is padded to whole blocks
 * with ~0, up to the first level of one block */
static void
build_tree(struct range_table *t)
{
	gsize len[TREE_LEVELS + 1], off[TREE_LEVELS + 1], total, i;
	guint l;

	t->nreal[0] = t->nb;
	len[0] = (t->nb + TREE_B - 1) / TREE_B * TREE_B;
	total = len[0];
	for (l = 0; len[l] > TREE_B && l < TREE_LEVELS; l++) {
		t->nreal[l + 1] = len[l] / TREE_B;
		len[l + 1] = (t->nreal[l + 1] + TREE_B - 1) / TREE_B * TREE_B;
		total += len[l + 1];
	}
	t->nlevel = l + 1;
	t->ntree = total;
	if (total == 0)
		return;
	/* The top level first: the path of a search runs forwards. */
	for (l = t->nlevel, i = 0; l-- > 0; i += len[l])
		off[l] = i;
	t->tree_mem = g_new(guint64, total + 8);
	t->tree = (guint64 *)(((guintptr)t->tree_mem + 63) & ~(guintptr)63);
	for (l = 0; l < t->nlevel; l++) {
		t->level[l] = t->tree + off[l];
		for (i = 0; i < len[l]; i++)
			t->level[l][i] = i >= t->nreal[l] ? G_MAXUINT64 :
			    l == 0 ? t->bhi[i] : t->level[l - 1][i * TREE_B];
	}
	g_free(t->bhi);
	t->bhi = t->level[0];
}

/* build_sub6 - for each crowded /16 h, sub6[sub[h] + s] = the first
 * boundary of h whose next SUB_BITS bits are >= s (and one more offset:
 * the end of h) */
static void
build_sub6(struct range_table *t)
{
	GArray *a = g_array_new(FALSE, FALSE, sizeof(guint32));
	guint h, s, i, base;
	guint32 v;

	for (h = 0; h < IDX_SIZE - 1; h++) {
		t->sub[h] = G_MAXUINT32;
		if (t->idx6[h + 1] - t->idx6[h] <= SMALL6)
			continue;
		base = a->len;
		t->sub[h] = base;
		i = t->idx6[h];
		for (s = 0; s <= SUB_MASK; s++) {
			while (i < t->idx6[h + 1] && ((t->bhi[i] >> (48 -
			    SUB_BITS)) & SUB_MASK) < s)
				i++;
			v = i;
			g_array_append_val(a, v);
		}
		v = t->idx6[h + 1];
		g_array_append_val(a, v);
	}
	t->nsub = a->len;
	t->sub6 = (guint32 *)g_array_free(a, FALSE);
}

/* build_index6 - idx6[h] = first boundary whose key >= h << 48 */
static void
build_index6(struct range_table *t)
{
	guint h, i = 0;

	for (h = 0; h < IDX_SIZE - 1; h++) {
		while (i < t->nb && (guint)(t->bhi[i] >> 48) < h)
			i++;
		t->idx6[h] = i;
	}
	t->idx6[IDX_SIZE - 1] = t->nb;
	build_sub6(t);
}

void
range_table_index(struct range_table *t)
{
	shrink(t);
	build_index(t->idx4, t->n4, t->first4);
	build_tree(t);
	build_index6(t);
}

