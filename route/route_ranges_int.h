/*
 * route_ranges_int.h: the layout of struct range_table, shared by
 * route_ranges.c (loading from CSV, lookups), route_ranges_index.c (the
 * IPv4 index, the IPv6 indexes and search tree; see route_ranges.c for
 * how a lookup uses them) and route_cache.c (the table written to and
 * read from the table cache).  Included only by those three.
 */
#ifndef ABUSEDESK_ROUTE_RANGES_INT_H
#define ABUSEDESK_ROUTE_RANGES_INT_H

#include <glib.h>

struct range_tail4 {
	guint32	last;
	guint32	val;
};

/* The value of an IPv6 boundary that starts a gap. */
#define GAP		G_MAXUINT32

#define IDX_SIZE	65537
/* An IPv6 /16 with at most this many boundaries is searched directly. */
#define SMALL6		64
/* Crowded /16s are split on the next SUB_BITS bits. */
#define SUB_BITS	12
#define SUB_MASK	((1u << SUB_BITS) - 1)
/* Keys per block of the IPv6 search tree: two 64-byte cache lines
 * (measured: 8 keys, one line, means one level more and was 10-20%
 * slower on the shipped tables). */
#define TREE_B		16
/* Levels above the keys: 16^9 > 2^32 boundaries. */
#define TREE_LEVELS	9

struct range_table {
	char	*name;		/* basename of the file */
	char	*date;		/* from "# date:", or NULL */
	guint32	*first4;	/* the search keys, alone */
	struct range_tail4 *tail4;	/* the rest, read once per lookup */
	guint	 n4, cap4;
	guint	 n6;		/* IPv6 ranges */
	guint64	*bhi;		/* IPv6 boundaries: upper 64 bits, the
				 * keys (once indexed: the tree's level 0,
				 * padded to TREE_B with ~0) */
	guint64	*blo;		/* lower 64 bits */
	guint32	*bval;		/* value from there on, or GAP */
	guint	 nb, capb;
	guint64	 lasthi, lastlo;	/* end of the last range read */
	guint32	 idx4[IDX_SIZE];	/* first range starting in /16 h */
	guint32	 idx6[IDX_SIZE];	/* first boundary in /16 h */
	guint32	 sub[IDX_SIZE - 1];	/* crowded /16 h: its offsets in sub6 */
	guint32	*sub6;
	guint	 nsub;
	guint64	*tree_mem;	/* the levels, bhi included: allocated */
	guint64	*tree;		/* ... and aligned to 64 bytes */
	guint64	*level[TREE_LEVELS + 1];	/* level[0] = bhi */
	guint	 nlevel;	/* levels in use, bhi included */
	gsize	 nreal[TREE_LEVELS + 1];	/* keys of each, not padding */
	gsize	 ntree;		/* keys in tree */
};

/* cmp6 - compares (ahi, alo) with (bhi, blo) */
static inline int
cmp6(guint64 ahi, guint64 alo, guint64 bhi, guint64 blo)
{
	if (ahi != bhi)
		return ahi < bhi ? -1 : 1;
	if (alo != blo)
		return alo < blo ? -1 : 1;
	return 0;
}

/* route_ranges_index.c: the indexes over the arrays of a table loaded
 * from CSV or from the cache (which it may shrink or move). */
void			 range_table_index(struct range_table *t);

/* route_cache.c: a table as a cache payload and back (NULL: the payload
 * does not hold a valid table with values up to vmax). */
GByteArray		*route_cache_ranges_dump(const struct range_table *t);
struct range_table	*route_cache_ranges_undump(const char *name,
			    GBytes *b, guint32 vmax);

#endif
