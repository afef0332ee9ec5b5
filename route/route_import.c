/*
 * route_import.c: public routing data -> the tables' formats
 * (`abusedesk data import`).
 *
 * Owns route_import_rir() (the RIRs' delegated-extended files ->
 * ip-country-rir: records of type ipv4/ipv6 with status allocated or
 * assigned; ipv4 counts addresses, any number, ipv6 gives a prefix
 * length), route_import_pfx2as() (RouteViews prefix-to-AS -> ip-asn:
 * prefixes nest, the most specific one wins; of a multi-origin "a_b" or
 * AS-set "a,b" origin the first AS is taken), route_import_ip2asn()
 * (iptoasn.com ip2asn TSV -> ip-asn and asn-names; AS 0, "not routed",
 * is skipped) and route_import_contacts() (checked with the contacts
 * loader, then installed).
 *
 * Every input is read line by line (plain or gzip, route_csv.c: lines
 * are bounded) into one array of 128-bit ranges (IPv4 in the low bits),
 * bounded by IMPORT_RECORDS_MAX; route_import_ranges.c sorts them, refuses
 * overlaps naming both file:line (pfx2as: nested prefixes are flattened
 * instead, only a prefix given twice is an error) and merges adjacent
 * ranges with the same value.  The output is written to a temporary file beside
 * the target, compressed when the name ends in .gz, fsync'ed and renamed
 * over the target: a daemon reloading meanwhile sees the old table or
 * the new one, never half of one.
 */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <time.h>
#include <glib/gstdio.h>

#include "route/route_int.h"
#include "route/route_import_int.h"

/* Most records read from all inputs together (pfx2as: ~1.2 M today). */
#define IMPORT_RECORDS_MAX	(20 * 1000 * 1000)
/* Largest contacts file installed. */
#define IMPORT_CONTACTS_MAX	(16 * 1024 * 1024)

/* A line handler: FALSE with error set (file:line). */
typedef gboolean (*import_line_fn)(struct import *, struct route_csv *,
    char *, GError **);

/* add - appends one range read on c's current line */
static gboolean
add(struct import *im, struct route_csv *c, const struct irange *x,
    GError **error)
{
	struct irange r = *x;

	if (im->r->len >= IMPORT_RECORDS_MAX) {
		route_csv_error(c, error, "more than %d records in all",
		    IMPORT_RECORDS_MAX);
		return FALSE;
	}
	r.file = (guint16)(im->files->len - 1);
	r.line = c->line;
	g_array_append_val(im->r, r);
	im->st->records++;
	return TRUE;
}

/* set_prefix - x spans (hi, lo)/plen (plen of the family); FALSE when
 * host bits are set or plen is too long */
static gboolean
set_prefix(struct irange *x, gboolean v6, guint64 hi, guint64 lo,
    guint plen)
{
	guint64 mhi, mlo;

	if (plen > (v6 ? 128u : 32u))
		return FALSE;
	x->v6 = v6;
	x->plen = (guint8)(v6 ? plen : plen + 96);
	plen = x->plen;
	mhi = plen >= 64 ? 0 : G_MAXUINT64 >> plen;
	mlo = plen >= 128 ? 0 : plen <= 64 ? G_MAXUINT64 :
	    G_MAXUINT64 >> (plen - 64);
	if ((hi & mhi) != 0 || (lo & mlo) != 0)
		return FALSE;
	x->fhi = hi;
	x->flo = lo;
	x->lhi = hi | mhi;
	x->llo = lo | mlo;
	return TRUE;
}

/* note_date - keeps the newest YYYYMMDD of s (8 digits) as the date */
static void
note_date(struct import *im, const char *s)
{
	char d[11];
	guint i;

	for (i = 0; i < 8; i++)
		if (!g_ascii_isdigit(s[i]))
			return;
	if (s[8] != '\0' || s[0] != '2' || s[4] > '1' || s[6] > '3')
		return;
	g_snprintf(d, sizeof(d), "%.4s-%.2s-%.2s", s, s + 4, s + 6);
	if (strcmp(d, im->date) > 0)
		memcpy(im->date, d, sizeof(d));
}

/* rir_line - "registry|cc|type|start|value|date|status[|opaque-id|...]" */
static gboolean
rir_line(struct import *im, struct route_csv *c, char *line,
    GError **error)
{
	char **f = g_strsplit(line, "|", 10);
	struct irange x = { 0 };
	guint64 hi, lo, n;
	gboolean v6, ok = FALSE;
	char *end;

	if (g_strv_length(f) < 6) {
		route_csv_error(c, error, "expected registry|cc|type|start|"
		    "value|date|status");
		goto out;
	}
	ok = TRUE;
	if (g_ascii_isdigit(f[0][0])) {		/* version line */
		note_date(im, f[2]);
		goto out;
	}
	if (strcmp(f[1], "*") == 0 || strcmp(f[5], "summary") == 0 ||
	    (strcmp(f[2], "ipv4") != 0 && strcmp(f[2], "ipv6") != 0))
		goto out;			/* summary, asn */
	if (g_strv_length(f) < 7 || (strcmp(f[6], "allocated") != 0 &&
	    strcmp(f[6], "assigned") != 0) || f[1][0] == '\0') {
		im->st->skipped++;		/* available, reserved */
		goto out;
	}
	ok = FALSE;
	if (!g_ascii_isalpha(f[1][0]) || !g_ascii_isalpha(f[1][1]) ||
	    f[1][2] != '\0') {
		route_csv_error(c, error, "bad country code \"%.20s\"", f[1]);
		goto out;
	}
	x.val = (guint32)(g_ascii_toupper(f[1][0]) - 'A') * 26 +
	    (guint32)(g_ascii_toupper(f[1][1]) - 'A');
	errno = 0;
	n = g_ascii_strtoull(f[4], &end, 10);
	if (!import_addr_parse(f[3], &v6, &hi, &lo) || v6 != (f[2][3] == '6') ||
	    *end != '\0' || f[4][0] == '\0' || errno != 0) {
		route_csv_error(c, error, "bad %s record \"%.60s|%.20s\"",
		    f[2], f[3], f[4]);
		goto out;
	}
	if (v6 ? !set_prefix(&x, TRUE, hi, lo, (guint)MIN(n, 999)) :
	    n == 0 || n > ((guint64)1 << 32) - lo) {
		route_csv_error(c, error, "%s record %.60s|%.20s: bad %s",
		    f[2], f[3], f[4], v6 ? "prefix (length, or host bits "
		    "set)" : "address count");
		goto out;
	}
	if (!v6) {
		x.flo = lo;
		x.llo = lo + n - 1;
	}
	note_date(im, f[5]);
	ok = add(im, c, &x, error);
out:
	g_strfreev(f);
	return ok;
}

/* first_asn - the first AS of "a", "a_b" (multi-origin) or "a,b" (AS
 * set), counting the second kind */
static gboolean
first_asn(struct import *im, char *s, guint32 *asn_r)
{
	size_t n = strcspn(s, "_,");

	if (s[n] != '\0') {
		im->st->multi_origin++;
		s[n] = '\0';
	}
	return route_asn_parse(s, asn_r);
}

/* pfx2as_line - "prefix<TAB>length<TAB>asn" */
static gboolean
pfx2as_line(struct import *im, struct route_csv *c, char *line,
    GError **error)
{
	char **f = g_strsplit(line, "\t", 4);
	struct irange x = { 0 };
	guint64 hi, lo, plen;
	gboolean v6, ok = FALSE;
	char *end;

	if (*line == '\0' || *line == '#')
		ok = TRUE;
	else if (g_strv_length(f) != 3)
		route_csv_error(c, error, "expected prefix<TAB>length<TAB>AS");
	else if (plen = g_ascii_strtoull(f[1], &end, 10), *end != '\0' ||
	    f[1][0] == '\0' || !import_addr_parse(f[0], &v6, &hi, &lo) ||
	    !set_prefix(&x, v6, hi, lo, (guint)MIN(plen, 999)))
		route_csv_error(c, error, "bad prefix \"%.60s/%.10s\"", f[0],
		    f[1]);
	else if (!first_asn(im, f[2], &x.val))
		route_csv_error(c, error, "bad AS number \"%.30s\"", f[2]);
	else
		ok = add(im, c, &x, error);
	g_strfreev(f);
	return ok;
}

/* ip2asn_line - "start<TAB>end<TAB>AS<TAB>country<TAB>description" */
static gboolean
ip2asn_line(struct import *im, struct route_csv *c, char *line,
    GError **error)
{
	char **f = g_strsplit(line, "\t", 6);
	struct irange x = { 0 };
	gboolean v6, v6b, ok = FALSE;
	char *name;

	if (*line == '\0' || *line == '#')
		ok = TRUE;
	else if (g_strv_length(f) != 5)
		route_csv_error(c, error, "expected start<TAB>end<TAB>AS<TAB>"
		    "country<TAB>description");
	else if (!import_addr_parse(f[0], &v6, &x.fhi, &x.flo) ||
	    !import_addr_parse(f[1], &v6b, &x.lhi, &x.llo) || v6 != v6b ||
	    import_cmp128(x.fhi, x.flo, x.lhi, x.llo) > 0)
		route_csv_error(c, error, "bad range \"%.60s\" - \"%.60s\"",
		    f[0], f[1]);
	else if (strcmp(f[2], "0") == 0) {
		im->st->skipped++;		/* not routed */
		ok = TRUE;
	} else if (!route_asn_parse(f[2], &x.val))
		route_csv_error(c, error, "bad AS number \"%.30s\"", f[2]);
	else {
		x.v6 = v6;
		name = g_utf8_make_valid(g_strstrip(f[4]), -1);
		if (*name != '\0' && g_utf8_strlen(name, -1) > 50) {
			char *cut = g_utf8_substring(name, 0, 50);

			g_free(name);
			name = cut;
		}
		if (*name != '\0' && !g_hash_table_contains(im->names,
		    GUINT_TO_POINTER(x.val)))
			g_hash_table_insert(im->names,
			    GUINT_TO_POINTER(x.val), name);
		else
			g_free(name);
		ok = add(im, c, &x, error);
	}
	g_strfreev(f);
	return ok;
}

/* read_file - every line of path through fn */
static gboolean
read_file(struct import *im, const char *path, import_line_fn fn,
    GError **error)
{
	struct route_csv c;
	GStatBuf st;
	char *line, *base;
	int rc;

	if (im->files->len >= G_MAXUINT16) {
		g_set_error(error, ROUTE_ERROR, ROUTE_ERROR_IO,
		    "too many input files");
		return FALSE;
	}
	if (!route_csv_open(&c, path, error))
		return FALSE;
	g_ptr_array_add(im->files, g_strdup(path));
	while ((rc = route_csv_next(&c, &line, error)) == 1) {
		while (*line == ' ')
			line++;
		if (*line == '#' || *line == '\0')
			continue;
		if (!fn(im, &c, line, error)) {
			rc = -1;
			break;
		}
	}
	route_csv_close(&c);
	/* no date inside: one in the file name (routeviews-rv2-20260617-
	 * 1200.pfx2as.gz), else the file's own */
	base = g_path_get_basename(path);
	for (line = base; rc == 0 && im->date[0] == '\0' && *line != '\0';
	    line++) {
		char d[9];

		g_strlcpy(d, line, sizeof(d));
		note_date(im, d);
	}
	g_free(base);
	if (rc == 0 && im->date[0] == '\0' && g_stat(path, &st) == 0) {
		time_t t = st.st_mtime;
		struct tm tm;

		if (gmtime_r(&t, &tm) != NULL)
			strftime(im->date, sizeof(im->date), "%Y-%m-%d", &tm);
	}
	return rc == 0;
}

static void
import_init(struct import *im, struct route_import_stats *st)
{
	memset(im, 0, sizeof(*im));
	memset(st, 0, sizeof(*st));
	im->r = g_array_new(FALSE, FALSE, sizeof(struct irange));
	im->files = g_ptr_array_new_with_free_func(g_free);
	im->st = st;
}

static void
import_done(struct import *im)
{
	g_array_unref(im->r);
	g_ptr_array_unref(im->files);
	if (im->names != NULL)
		g_hash_table_unref(im->names);
}

/* finish - sorts, flattens or checks, writes the ranges to out */
static gboolean
finish(struct import *im, gboolean nested, gboolean country,
    const char *what, const char *out, GError **error)
{
	GArray *ranges;
	GString *s;
	gboolean ok;

	import_sort(im->r);
	if ((ranges = nested ? import_flatten(im, error) :
	    import_disjoint(im, error)) ==
	    NULL)
		return FALSE;
	s = import_rows(im, ranges, country, what);
	ok = route_write_atomic(out, s->str, s->len, error);
	g_string_free(s, TRUE);
	g_array_unref(ranges);
	return ok;
}

gboolean
route_import_rir(const char *const *files, guint nfiles, const char *out,
    struct route_import_stats *st, GError **error)
{
	struct import im;
	GString *what = g_string_new("RIR delegated-extended files");
	gboolean ok = TRUE;
	guint i;

	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	import_init(&im, st);
	for (i = 0; ok && i < nfiles; i++) {
		char *base = g_path_get_basename(files[i]);

		g_string_append_printf(what, "%s %s", i == 0 ? ":" : ",",
		    base);
		g_free(base);
		ok = read_file(&im, files[i], rir_line, error);
	}
	if (ok)
		ok = finish(&im, FALSE, TRUE, what->str, out, error);
	g_string_free(what, TRUE);
	import_done(&im);
	return ok;
}

gboolean
route_import_pfx2as(const char *file, const char *out,
    struct route_import_stats *st, GError **error)
{
	struct import im;
	gboolean ok;

	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	import_init(&im, st);
	ok = read_file(&im, file, pfx2as_line, error) && finish(&im, TRUE,
	    FALSE, "RouteViews prefix-to-AS (pfx2as), most specific "
	    "prefix wins, first AS of a set", out, error);
	import_done(&im);
	return ok;
}

static gint
asn_cmp(gconstpointer a, gconstpointer b)
{
	guint x = GPOINTER_TO_UINT(a), y = GPOINTER_TO_UINT(b);

	return x < y ? -1 : x > y;
}

/* names_rows - "asn,name" lines, by AS number, RFC 4180 quoting */
static GString *
names_rows(GHashTable *names)
{
	GString *s = g_string_new(NULL);
	GList *keys = g_list_sort(g_hash_table_get_keys(names), asn_cmp), *l;

	for (l = keys; l != NULL; l = l->next) {
		const char *n = g_hash_table_lookup(names, l->data), *p;

		g_string_append_printf(s, "%u,", GPOINTER_TO_UINT(l->data));
		if (strpbrk(n, ",\"") == NULL) {
			g_string_append(s, n);
		} else {
			g_string_append_c(s, '"');
			for (p = n; *p != '\0'; p++) {
				if (*p == '"')
					g_string_append_c(s, '"');
				g_string_append_c(s, *p);
			}
			g_string_append_c(s, '"');
		}
		g_string_append_c(s, '\n');
	}
	g_list_free(keys);
	return s;
}

gboolean
route_import_ip2asn(const char *file, const char *asn_out,
    const char *names_out, struct route_import_stats *st, GError **error)
{
	struct import im;
	GString *s;
	gboolean ok;

	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	import_init(&im, st);
	im.names = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL,
	    g_free);
	ok = read_file(&im, file, ip2asn_line, error) && finish(&im, FALSE,
	    FALSE, "iptoasn.com ip2asn", asn_out, error);
	if (ok && names_out != NULL) {
		s = names_rows(im.names);
		st->names = g_hash_table_size(im.names);
		ok = route_write_atomic(names_out, s->str, s->len, error);
		g_string_free(s, TRUE);
	}
	import_done(&im);
	return ok;
}

/* slurp - the text of path (plain or gzip), at most max bytes */
static GString *
slurp(const char *path, gsize max, GError **error)
{
	struct route_csv c;
	GString *s = g_string_new(NULL);
	char *line;
	int rc;

	if (!route_csv_open(&c, path, error)) {
		g_string_free(s, TRUE);
		return NULL;
	}
	while ((rc = route_csv_next(&c, &line, error)) == 1) {
		if (s->len + strlen(line) + 1 > max) {
			route_csv_error(&c, error, "file larger than %zu bytes",
			    max);
			rc = -1;
			break;
		}
		g_string_append(s, line);
		g_string_append_c(s, '\n');
	}
	route_csv_close(&c);
	if (rc < 0) {
		g_string_free(s, TRUE);
		return NULL;
	}
	return s;
}

gboolean
route_import_contacts(const char *file, const char *out,
    struct route_import_stats *st, GError **error)
{
	GHashTable *contacts;
	GString *s;
	gboolean ok;

	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	memset(st, 0, sizeof(*st));
	contacts = g_hash_table_new_full(g_str_hash, g_str_equal, NULL,
	    (GDestroyNotify)contact_free);
	ok = route_contacts_load(contacts, file, error);
	st->records = g_hash_table_size(contacts);
	g_hash_table_unref(contacts);
	if (!ok || (s = slurp(file, IMPORT_CONTACTS_MAX, error)) == NULL)
		return FALSE;
	ok = route_write_atomic(out, s->str, s->len, error);
	g_string_free(s, TRUE);
	return ok;
}
