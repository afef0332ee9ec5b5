/*
 * route_import_int.h: what route_import.c (reading the public data
 * files) and route_import_ranges.c (sorting, flattening, merging and
 * printing the ranges read) share.  Included only by those two.
 */
#ifndef ABUSEDESK_ROUTE_IMPORT_INT_H
#define ABUSEDESK_ROUTE_IMPORT_INT_H

#include <glib.h>

#include "route/route.h"

struct irange {
	guint64	fhi, flo, lhi, llo;	/* IPv4: hi 0, the address in lo */
	guint32	val;			/* country number or AS */
	guint8	v6;
	guint8	plen;			/* pfx2as, on the 128-bit form */
	guint16	file;			/* index in im->files */
	guint32	line;
};

struct import {
	GArray		*r;		/* struct irange */
	GPtrArray	*files;		/* paths as given */
	GHashTable	*names;		/* ip2asn: AS -> name, else NULL */
	char		 date[11];	/* newest date of the inputs */
	struct route_import_stats *st;
};

static inline int
import_cmp128(guint64 ahi, guint64 alo, guint64 bhi, guint64 blo)
{
	if (ahi != bhi)
		return ahi < bhi ? -1 : 1;
	return alo < blo ? -1 : alo > blo;
}

/* route_import_ranges.c */
/* An IPv4 or IPv6 literal as (hi, lo); FALSE when it is neither. */
gboolean	 import_addr_parse(const char *s, gboolean *v6, guint64 *hi,
		    guint64 *lo);
/* By family, start, then the widest prefix first. */
void		 import_sort(GArray *ranges);
/* Sorted ranges -> new array of disjoint ranges, adjacent ones of one
 * value merged: nested prefixes, the most specific winning (a prefix
 * given twice is an error naming both lines), or ranges that must not
 * overlap at all (an overlap is an error naming both lines). */
GArray		*import_flatten(const struct import *im, GError **error);
GArray		*import_disjoint(const struct import *im, GError **error);
/* The table text: a comment header (what, the date) and the rows;
 * counts them in im->st. */
GString		*import_rows(const struct import *im, GArray *ranges,
		    gboolean country, const char *what);

#endif
