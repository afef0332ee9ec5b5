/*
 * route_import_ranges.c: the ranges read by route_import.c, made into a
 * table: sorted, nested prefixes flattened (the most specific wins) or
 * overlaps refused (naming both file:line), adjacent ranges of one value
 * merged, and printed as "first_ip,last_ip,VALUE" rows after a comment
 * header with the date.  Ranges are 128-bit (IPv4 in the low 32 bits).
 */
#include "config.h"

#include <arpa/inet.h>
#include <string.h>

#include "route/route_int.h"
#include "route/route_import_int.h"

/* import_addr_parse - an IPv4 or IPv6 literal as (hi, lo) */
gboolean
import_addr_parse(const char *s, gboolean *v6, guint64 *hi, guint64 *lo)
{
	guint8 b[16];
	guint i;

	*hi = *lo = 0;
	if ((*v6 = strchr(s, ':') != NULL)) {
		if (inet_pton(AF_INET6, s, b) != 1)
			return FALSE;
		for (i = 0; i < 8; i++) {
			*hi = (*hi << 8) | b[i];
			*lo = (*lo << 8) | b[8 + i];
		}
		return TRUE;
	}
	if (inet_pton(AF_INET, s, b) != 1)
		return FALSE;
	*lo = ((guint64)b[0] << 24) | (b[1] << 16) | (b[2] << 8) | b[3];
	return TRUE;
}

static void
format_addr(GString *s, gboolean v6, guint64 hi, guint64 lo)
{
	char buf[INET6_ADDRSTRLEN];
	guint8 b[16];
	guint i;

	for (i = 0; i < 8; i++) {
		b[i] = (guint8)(hi >> (56 - 8 * i));
		b[8 + i] = (guint8)(lo >> (56 - 8 * i));
	}
	if (v6)
		inet_ntop(AF_INET6, b, buf, sizeof(buf));
	else
		inet_ntop(AF_INET, b + 12, buf, sizeof(buf));
	g_string_append(s, buf);
}

static gint
range_cmp(gconstpointer a, gconstpointer b)
{
	const struct irange *x = a, *y = b;
	int c;

	if (x->v6 != y->v6)
		return x->v6 - y->v6;
	if ((c = import_cmp128(x->fhi, x->flo, y->fhi, y->flo)) != 0)
		return c;
	return (int)x->plen - (int)y->plen;	/* the wider one first */
}

/* where - "file:line" of x */
static char *
where(const struct import *im, const struct irange *x)
{
	return g_strdup_printf("%s:%u", (const char *)im->files->pdata[x->file],
	    x->line);
}

/* overlap_error - x and y overlap: both places in the error */
static void
overlap_error(const struct import *im, const struct irange *x,
    const struct irange *y, GError **error)
{
	char *a = where(im, x), *b = where(im, y);
	GString *s = g_string_new(NULL);

	format_addr(s, y->v6, y->fhi, y->flo);
	g_set_error(error, ROUTE_ERROR, ROUTE_ERROR_SYNTAX, "%s: range "
	    "starting %s overlaps the range of %s", b, s->str, a);
	g_string_free(s, TRUE);
	g_free(a);
	g_free(b);
}

/* append - x[from..to] with value val at the end of out, merged with the
 * last range when adjacent with the same value */
static void
append(GArray *out, const struct irange *x, guint64 fhi, guint64 flo,
    guint64 lhi, guint64 llo)
{
	struct irange *p = out->len > 0 ?
	    &g_array_index(out, struct irange, out->len - 1) : NULL;
	struct irange r = *x;

	if (import_cmp128(fhi, flo, lhi, llo) > 0)
		return;
	if (p != NULL && p->v6 == x->v6 && p->val == x->val &&
	    p->llo + 1 == flo && p->lhi + (p->llo == G_MAXUINT64) == fhi) {
		p->lhi = lhi;
		p->llo = llo;
		return;
	}
	r.fhi = fhi;
	r.flo = flo;
	r.lhi = lhi;
	r.llo = llo;
	g_array_append_val(out, r);
}

/* import_flatten - sorted, possibly nested prefixes -> disjoint ranges,
 * the most specific prefix winning; a prefix given twice is an error */
GArray *
import_flatten(const struct import *im, GError **error)
{
	GArray *out = g_array_new(FALSE, FALSE, sizeof(struct irange));
	GPtrArray *stack = g_ptr_array_new();
	const struct irange *p, *top;
	guint64 chi = 0, clo = 0;	/* done up to here */
	gboolean end = FALSE;		/* ... the end of the space */
	guint i;

	for (i = 0; i <= im->r->len; i++) {
		p = i < im->r->len ? &g_array_index(im->r, struct irange, i) :
		    NULL;
		while (stack->len > 0) {
			top = stack->pdata[stack->len - 1];
			if (p != NULL && top->v6 == p->v6 &&
			    import_cmp128(p->fhi, p->flo, top->lhi,
			    top->llo) <= 0)
				break;
			if (!end)
				append(out, top, chi, clo, top->lhi, top->llo);
			end = top->lhi == G_MAXUINT64 &&
			    top->llo == G_MAXUINT64;
			chi = top->lhi + (top->llo == G_MAXUINT64);
			clo = top->llo + 1;
			g_ptr_array_set_size(stack, stack->len - 1);
		}
		if (p == NULL)
			break;
		if (stack->len > 0) {
			top = stack->pdata[stack->len - 1];
			if (top->plen == p->plen) {
				overlap_error(im, top, p, error);
				g_array_unref(out);
				out = NULL;
				break;
			}
			if (!end && import_cmp128(chi, clo, p->fhi, p->flo) < 0)
				append(out, top, chi, clo, p->fhi - (p->flo ==
				    0), p->flo - 1);
		}
		chi = p->fhi;
		clo = p->flo;
		end = FALSE;
		g_ptr_array_add(stack, (gpointer)p);
	}
	g_ptr_array_unref(stack);
	return out;
}

/* import_disjoint - sorted ranges that must not overlap, merged */
GArray *
import_disjoint(const struct import *im, GError **error)
{
	GArray *out = g_array_new(FALSE, FALSE, sizeof(struct irange));
	const struct irange *p, *prev = NULL;
	guint i;

	for (i = 0; i < im->r->len; i++) {
		p = &g_array_index(im->r, struct irange, i);
		if (prev != NULL && prev->v6 == p->v6 && import_cmp128(p->fhi,
		    p->flo, prev->lhi, prev->llo) <= 0) {
			overlap_error(im, prev, p, error);
			g_array_unref(out);
			return NULL;
		}
		append(out, p, p->fhi, p->flo, p->lhi, p->llo);
		prev = p;
	}
	return out;
}

/* import_rows - "first,last,VALUE" lines of ranges, after a comment header */
GString *
import_rows(const struct import *im, GArray *ranges, gboolean country,
    const char *what)
{
	GString *s = g_string_new(NULL);
	const struct irange *x;
	guint i;

	g_string_append_printf(s, "# %s, converted by abusedesk data "
	    "import\n", what);
	if (im->date[0] != '\0')
		g_string_append_printf(s, "# date: %s\n", im->date);
	for (i = 0; i < ranges->len; i++) {
		x = &g_array_index(ranges, struct irange, i);
		format_addr(s, x->v6, x->fhi, x->flo);
		g_string_append_c(s, ',');
		format_addr(s, x->v6, x->lhi, x->llo);
		if (country)
			g_string_append_printf(s, ",%c%c\n", 'A' + x->val / 26,
			    'A' + x->val % 26);
		else
			g_string_append_printf(s, ",%u\n", x->val);
		if (x->v6)
			im->st->ranges6++;
		else
			im->st->ranges4++;
	}
	return s;
}

void
import_sort(GArray *ranges)
{
	g_array_sort(ranges, range_cmp);
}
