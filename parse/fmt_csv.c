/*
 * fmt_csv.c: CSV event feeds, Shadowserver style (formats.md section 5).
 *
 * Defines fmt_csv_probe() and fmt_csv_extract().  A part is a feed when it
 * is text/csv (or application/csv, or named *.csv, also a member unpacked
 * from a zip or gzip attachment) or when its first line is a CSV header
 * naming a timestamp and an offender column.  Records are read as RFC
 * 4180 (quoted fields, doubled quotes, CRLF or LF, empty fields); a record
 * whose field count differs from the header's, or with an unterminated
 * quote, is a broken row: warned about and skipped.
 *
 * Roles by column (the family comes from the file name or the Subject):
 *   src_ip (event4_/event6_)  offender; dst_ip is the victim (a sinkhole
 *     or honeypot of the reporter), http_url/http_host context;
 *   ip (scan_, scan6_, blocklist, sandbox_url, URL feeds, drone)  offender;
 *   http_referer_ip (sinkhole_http_referer)  offender;
 *   url  offender in URL feeds (phish_url, malware_url,
 *     compromised_website, sandbox_url), context in drone reports (the
 *     URL the bot fetched); host, and http_host of compromised_website,
 *     domain offenders;
 *   cc_ip (legacy drone)  context: the C2 seen by our infected host, not
 *     in our constituency and not what the report asks us to act on;
 *   hostname, src_hostname  PTR names: no finding at all (a PTR name is
 *     not an offender, and the feed's reverse DNS is not evidence), kept
 *     as "hostname=" in the offender's attrs.
 * One finding per offender value: the first row wins port, observed_at
 * ("YYYY-MM-DD HH:MM:SS" as ISO 8601 UTC) and attrs "asn= geo= tag=
 * hostname= row=".  Source "csv:<column>".  Rows per message and columns
 * per row are bounded (struct parse_limits).  r->format becomes
 * "shadowserver" when the mail or the columns are Shadowserver's;
 * r->category comes from the report name through taxonomy_lookup(), and
 * r->event_time from the first row.
 */
#include "config.h"

#include <string.h>

#include "parse/parse_int.h"

/* Broken rows named one by one; the rest are counted. */
#define CSV_WARN_ROWS		5
/* A part with this many broken rows is not a CSV: stop reading it. */
#define CSV_MAX_BROKEN		100
/* A quoted field may not grow past this (bounds the cost of a stray
 * quote: the scan for its end stops here). */
#define CSV_MAX_FIELD		(64u * 1024)

struct cell {
	gsize	start;		/* in the row buffer */
	gsize	len;
	gsize	off;		/* in the part text */
};

struct csv {
	const char	*base, *p, *end;
	GArray		*cells;
	GString		*buf;
	guint		 maxcols;
};

enum col { C_IP, C_PORT, C_ASN, C_GEO, C_TAG, C_TS, C_HOST, C_VICTIM,
	C_URL, C_DOMAIN, C_CTX_URL, C_CTX_DOMAIN, C_CTX_IP, C_COUNT };

struct layout {
	int		 col[C_COUNT];
	const char	*name[C_COUNT];
};

struct feed {
	struct report		*r;
	const struct parse_limits *l;
	const char		*family;	/* "scan_ssh" or NULL */
	guint			 rows;		/* data rows, whole message */
	gboolean		 full;
	gboolean		 shadowserver;	/* columns look like it */
};

static const char *const csv_types[] = {
	"text/csv", "application/csv", "application/x-csv",
	"text/comma-separated-values",
};

static const char *const url_families[] = {
	"phish_url", "malware_url", "compromised_website", "sandbox_url",
};

static gboolean
has_suffix_ci(const char *s, const char *suffix)
{
	gsize n = s != NULL ? strlen(s) : 0, m = strlen(suffix);

	return n >= m && g_ascii_strcasecmp(s + n - m, suffix) == 0;
}

/*
 * next_row - the next record into c->cells (values in c->buf).  1: a
 * row, 0: the end, -1: a broken row (skipped up to the next line).
 */
static int
next_row(struct csv *c)
{
	const char *row = c->p, *nl;
	struct cell cl;

	g_array_set_size(c->cells, 0);
	g_string_truncate(c->buf, 0);
	if (c->p >= c->end)
		return 0;
	for (;;) {
		cl.start = c->buf->len;
		cl.off = c->p - c->base;
		if (c->p < c->end && *c->p == '"') {
			cl.off++;
			for (c->p++;; c->p++) {
				if (c->p >= c->end ||
				    c->buf->len - cl.start > CSV_MAX_FIELD)
					goto broken;
				if (*c->p == '"') {
					if (c->p + 1 < c->end && c->p[1] == '"')
						c->p++;
					else
						break;
				}
				g_string_append_c(c->buf, *c->p);
			}
			c->p++;
			if (c->p < c->end && *c->p != ',' && *c->p != '\n' &&
			    *c->p != '\r')
				goto broken;
		} else
			while (c->p < c->end && *c->p != ',' &&
			    *c->p != '\n' && *c->p != '\r')
				g_string_append_c(c->buf, *c->p++);
		cl.len = c->buf->len - cl.start;
		if (c->cells->len >= c->maxcols)
			goto broken;
		g_array_append_val(c->cells, cl);
		if (c->p < c->end && *c->p == ',') {
			c->p++;
			continue;
		}
		if (c->p < c->end && *c->p == '\r')
			c->p++;
		if (c->p < c->end && *c->p == '\n')
			c->p++;
		return 1;
	}
broken:
	nl = memchr(row, '\n', c->end - row);
	c->p = nl != NULL ? nl + 1 : c->end;
	return -1;
}

static const char *
cell(const struct csv *c, int i, gsize *len)
{
	const struct cell *cl;

	*len = 0;
	if (i < 0 || (guint)i >= c->cells->len)
		return NULL;
	cl = &g_array_index(c->cells, struct cell, i);
	*len = cl->len;
	return cl->len > 0 ? c->buf->str + cl->start : NULL;
}

static int
column(const struct csv *c, const char *name)
{
	guint i;
	gsize len;
	const char *v;

	for (i = 0; i < c->cells->len; i++) {
		v = cell(c, (int)i, &len);
		if (v != NULL && len == strlen(name) &&
		    g_ascii_strncasecmp(v, name, len) == 0)
			return (int)i;
	}
	return -1;
}

static void
set(struct layout *lo, const struct csv *c, enum col k, const char *name)
{
	if (lo->col[k] < 0 && (lo->col[k] = column(c, name)) >= 0)
		lo->name[k] = name;
}

static gboolean
in_list(const char *s, const char *const *list, gsize n)
{
	gsize i;

	for (i = 0; s != NULL && i < n; i++)
		if (g_str_has_prefix(s, list[i]))
			return TRUE;
	return FALSE;
}

/* layout - the columns of the header row in c; FALSE: no offender. */
static gboolean
layout(struct feed *fd, const struct csv *c, struct layout *lo)
{
	gboolean urlfeed = in_list(fd->family, url_families,
	    G_N_ELEMENTS(url_families));
	guint k;

	for (k = 0; k < C_COUNT; k++) {
		lo->col[k] = -1;
		lo->name[k] = NULL;
	}
	if (column(c, "src_ip") >= 0) {
		set(lo, c, C_IP, "src_ip");
		set(lo, c, C_PORT, "src_port");
		set(lo, c, C_ASN, "src_asn");
		set(lo, c, C_GEO, "src_geo");
		set(lo, c, C_HOST, "src_hostname");
		set(lo, c, C_VICTIM, "dst_ip");
	} else if (column(c, "ip") >= 0) {
		set(lo, c, C_IP, "ip");
		set(lo, c, C_PORT, "port");
		set(lo, c, C_ASN, "asn");
		set(lo, c, C_GEO, "geo");
		set(lo, c, C_HOST, "hostname");
	} else {
		set(lo, c, C_IP, "http_referer_ip");
		set(lo, c, C_PORT, "http_referer_port");
		set(lo, c, C_ASN, "http_referer_asn");
		set(lo, c, C_GEO, "http_referer_geo");
	}
	set(lo, c, C_TAG, "tag");
	set(lo, c, C_TS, "timestamp");
	/* Legacy drone: the bot's URL and its C2 are context. */
	if (column(c, "cc_ip") >= 0 && !urlfeed) {
		set(lo, c, C_CTX_IP, "cc_ip");
		set(lo, c, C_CTX_URL, "url");
	} else if (column(c, "src_ip") < 0 && (urlfeed || fd->family == NULL ||
	    column(c, "host") >= 0))
		set(lo, c, C_URL, "url");
	set(lo, c, C_DOMAIN, "host");
	if (fd->family != NULL &&
	    g_str_has_prefix(fd->family, "compromised_website"))
		set(lo, c, C_DOMAIN, "http_host");
	set(lo, c, C_CTX_URL, "http_url");
	set(lo, c, C_CTX_DOMAIN, "http_host");
	if (lo->col[C_TS] >= 0 && lo->col[C_IP] >= 0 &&
	    (lo->col[C_ASN] >= 0 || lo->col[C_GEO] >= 0))
		fd->shadowserver = TRUE;
	return lo->col[C_IP] >= 0 || lo->col[C_URL] >= 0 ||
	    lo->col[C_DOMAIN] >= 0;
}

/* iso_time - "YYYY-MM-DD HH:MM:SS" (or ...THH:MM:SSZ) as ISO 8601 UTC. */
static char *
iso_time(struct arena *a, const char *s, gsize len)
{
	static const char pat[] = "dddd-dd-dd dd:dd:dd";
	gsize i;

	if (s == NULL || len < sizeof(pat) - 1)
		return NULL;
	for (i = 0; i < sizeof(pat) - 1; i++)
		if (pat[i] == 'd' ? !g_ascii_isdigit(s[i]) :
		    pat[i] == ' ' ? (s[i] != ' ' && s[i] != 'T') :
		    s[i] != pat[i])
			return NULL;
	return arena_printf(a, "%.10sT%.8sZ", s, s + 11);
}

/* port - a decimal port number of len bytes, or 0. */
static guint
port(const char *v, gsize len)
{
	guint n = 0;
	gsize i;

	for (i = 0; i < len && i < 5 && g_ascii_isdigit(v[i]); i++)
		n = n * 10 + (guint)(v[i] - '0');
	return i == len && n < 65536 ? n : 0;
}

/* attr - " key=value" with blanks as '_', at most 64 bytes. */
static void
attr(GString *s, const char *key, const char *v, gsize len)
{
	gsize i;

	if (v == NULL)
		return;
	g_string_append_printf(s, "%s%s=", s->len > 0 ? " " : "", key);
	for (i = 0; i < MIN(len, 64); i++)
		g_string_append_c(s, g_ascii_isspace(v[i]) || v[i] == '=' ?
		    '_' : v[i]);
}

static struct finding *
add(struct feed *fd, const struct report_part *p, const struct csv *c,
    const struct layout *lo, enum col k, enum finding_kind kind,
    enum finding_role role, guint *bad)
{
	const struct cell *cl;
	char *val, *src;
	gsize len;
	const char *v = cell(c, lo->col[k], &len);
	struct netaddr na;

	if (v == NULL || (k == C_CTX_URL && *v == '/'))
		return NULL;	/* event http_url: a path without its host */
	if (kind == FINDING_IPV4 && netaddr_parse(v, len, &na) && !na.v4)
		kind = FINDING_IPV6;
	if ((val = parse_normalise(fd->r->arena, kind, v, len)) == NULL) {
		(*bad)++;
		return NULL;
	}
	cl = &g_array_index(c->cells, struct cell, lo->col[k]);
	src = arena_printf(fd->r->arena, "csv:%s", lo->name[k]);
	return report_add_finding(fd->r, kind, role, val,
	    arena_strndup(fd->r->arena, v, len), p->path, cl->off, src);
}

/* row - the findings of one data row. */
static void
row(struct feed *fd, const struct report_part *p, const struct csv *c,
    const struct layout *lo, guint n, guint *bad)
{
	struct report *r = fd->r;
	struct finding *f;
	GString *a;
	const char *v;
	gsize len;
	enum col k;

	for (k = C_IP; k < C_COUNT; k++) {
		enum finding_kind kind = FINDING_IPV4;
		enum finding_role role = FINDING_ROLE_OFFENDER;

		if (k == C_PORT || k == C_ASN || k == C_GEO || k == C_TAG ||
		    k == C_TS || k == C_HOST || lo->col[k] < 0)
			continue;
		if (k == C_URL || k == C_CTX_URL)
			kind = FINDING_URL;
		else if (k == C_DOMAIN || k == C_CTX_DOMAIN)
			kind = FINDING_DOMAIN;
		if (k == C_VICTIM)
			role = FINDING_ROLE_VICTIM;
		else if (k >= C_CTX_URL)
			role = FINDING_ROLE_CONTEXT;
		if ((f = add(fd, p, c, lo, k, kind, role, bad)) == NULL ||
		    f->attrs != NULL || role != FINDING_ROLE_OFFENDER)
			continue;
		/* The first row of this value: what the feed says. */
		v = cell(c, lo->col[C_TS], &len);
		f->observed_at = iso_time(r->arena, v, len);
		v = cell(c, lo->col[C_PORT], &len);
		if (v != NULL && k == C_IP)
			f->port = port(v, len);
		a = g_string_new(NULL);
		v = cell(c, lo->col[C_ASN], &len);
		attr(a, "asn", v, len);
		v = cell(c, lo->col[C_GEO], &len);
		attr(a, "geo", v, len);
		v = cell(c, lo->col[C_TAG], &len);
		attr(a, "tag", v, len);
		v = cell(c, lo->col[C_HOST], &len);
		attr(a, "hostname", v, len);
		g_string_append_printf(a, " row=%u", n);
		f->attrs = arena_strdup(r->arena, a->str);
		g_string_free(a, TRUE);
		if (r->event_time == NULL)
			r->event_time = f->observed_at;
	}
}

/* feed_part - every row of one CSV part. */
static void
feed_part(struct feed *fd, const struct report_part *p)
{
	struct csv c;
	struct layout lo;
	guint n = 0, broken = 0, bad = 0, ncols;
	int rc;

	c.base = p->text;
	c.p = p->text;
	c.end = p->text + p->text_len;
	if (c.end - c.p >= 3 && memcmp(c.p, "\xef\xbb\xbf", 3) == 0)
		c.p += 3;
	c.cells = g_array_new(FALSE, FALSE, sizeof(struct cell));
	c.buf = g_string_new(NULL);
	c.maxcols = fd->l->max_csv_columns;
	while ((rc = next_row(&c)) == 0 || rc == -1) {
		if (rc == 0)
			goto out;		/* empty */
		if (++broken > 1) {
			report_warn(fd->r, "part %s: no CSV header", p->path);
			goto out;
		}
	}
	if (!layout(fd, &c, &lo))
		goto out;
	ncols = c.cells->len;
	broken = 0;
	while (!fd->full && (rc = next_row(&c)) != 0) {
		n++;
		if (rc == 1 && c.cells->len == 1 &&
		    g_array_index(c.cells, struct cell, 0).len == 0)
			continue;		/* an empty line */
		if (rc == -1 || c.cells->len != ncols) {
			if (++broken <= CSV_WARN_ROWS)
				report_warn(fd->r, "part %s: CSV row %u is "
				    "broken (%s): skipped", p->path, n,
				    rc == -1 ? "quoting or column limit" :
				    "field count differs from the header");
			if (broken >= CSV_MAX_BROKEN) {
				report_warn(fd->r, "part %s: %u broken CSV "
				    "rows: the rest is not read", p->path,
				    broken);
				break;
			}
			continue;
		}
		if (fd->rows >= fd->l->max_csv_rows) {
			report_warn(fd->r, "part %s: CSV row limit (%u per "
			    "message) reached: row %u and after not read",
			    p->path, fd->l->max_csv_rows, n);
			fd->full = TRUE;
			break;
		}
		fd->rows++;
		row(fd, p, &c, &lo, n, &bad);
	}
	if (broken > CSV_WARN_ROWS)
		report_warn(fd->r, "part %s: %u broken CSV rows skipped in all",
		    p->path, broken);
	if (bad > 0)
		report_warn(fd->r, "part %s: %u CSV values are not valid "
		    "addresses or URLs", p->path, bad);
out:
	g_array_free(c.cells, TRUE);
	g_string_free(c.buf, TRUE);
}

/* header_like - the first line of text names a timestamp and an
 * offender column (a CSV feed pasted into a text part). */
static gboolean
header_like(const char *t, gsize len)
{
	const char *nl = memchr(t, '\n', MIN(len, 4096));
	char *line, *lower;
	gboolean yes;

	if (nl == NULL || memchr(t, ',', nl - t) == NULL)
		return FALSE;
	line = g_strndup(t, nl - t);
	lower = g_ascii_strdown(line, -1);
	g_strdelimit(lower, "\" \r", ',');
	yes = strstr(lower, ",timestamp,") != NULL ||
	    g_str_has_prefix(lower, "timestamp,") ||
	    g_str_has_prefix(lower, ",timestamp,");
	if (yes)
		yes = strstr(lower, ",ip,") != NULL ||
		    strstr(lower, ",src_ip,") != NULL ||
		    strstr(lower, ",url,") != NULL ||
		    strstr(lower, ",http_referer_ip,") != NULL;
	g_free(line);
	g_free(lower);
	return yes;
}

static gboolean
is_csv(const struct report_part *p)
{
	guint i;

	if (p->text_len == 0)
		return FALSE;
	for (i = 0; i < G_N_ELEMENTS(csv_types); i++)
		if (strcmp(p->content_type, csv_types[i]) == 0)
			return TRUE;
	if (has_suffix_ci(p->filename, ".csv"))
		return TRUE;
	return g_str_has_prefix(p->content_type, "text/plain") &&
	    header_like(p->text, p->text_len);
}

static gboolean
from_shadowserver(const struct report *r)
{
	return (r->from != NULL && strstr(r->from, "shadowserver") != NULL) ||
	    (r->subject != NULL && strstr(r->subject, "Shadowserver") != NULL);
}

gboolean
fmt_csv_probe(const struct report *r, const struct parse_hints *h)
{
	guint i;

	(void)h;
	if (r->kind != REPORT_KIND_ABUSE && r->kind != REPORT_KIND_NOTICE)
		return FALSE;
	for (i = 0; i < r->parts->len; i++)
		if (is_csv(g_ptr_array_index(r->parts, i)))
			return TRUE;
	return from_shadowserver(r);	/* empty CSV, download link */
}

/* family - "scan_ssh" from "2026-11-27-scan_ssh-org-asn.csv", else from
 * the Subject ("... Shadowserver scan_ssh Report" or "Scan SSH"). */
static const char *
family(struct report *r, const struct report_part *p)
{
	static const char *const known[] = { "scan6_", "scan_", "event4_",
	    "event6_", "phish_url", "malware_url", "compromised_website",
	    "blocklist", "sandbox_url", "sinkhole_http_referer", "drone",
	    "botnet_drone", "dns_open_resolvers", "honeypot" };
	const char *f = p != NULL ? p->filename : NULL, *s, *e;
	char *lower, *res = NULL;
	guint i;

	if (f != NULL && strlen(f) > 11 && g_ascii_isdigit(f[0]) &&
	    f[10] == '-') {
		s = f + 11;
		e = strchr(s, '-');
		return arena_strndup(r->arena, s, e != NULL ? (gsize)(e - s) :
		    strcspn(s, "."));
	}
	if (r->subject == NULL)
		return NULL;
	lower = g_ascii_strdown(r->subject, MIN(strlen(r->subject), 400));
	g_strdelimit(lower, " \t", '_');
	for (i = 0; i < G_N_ELEMENTS(known) && res == NULL; i++)
		if ((s = strstr(lower, known[i])) != NULL) {
			e = s + strcspn(s, ":]");
			while (e > s && e[-1] == '_')
				e--;
			if (e - s > 7 && strncmp(e - 7, "_report", 7) == 0)
				e -= 7;
			res = arena_strndup(r->arena, s, e - s);
		}
	g_free(lower);
	return res;
}

void
fmt_csv_extract(struct report *r, const struct parse_hints *h)
{
	struct feed fd = { r, NULL, NULL, 0, FALSE, FALSE };
	struct parse_limits def;
	const char *type, *tax, *first = NULL;
	guint i, n;

	parse_unpack_limits(h != NULL ? h->limits : NULL, &def);
	fd.l = &def;
	parse_salvage(r, fd.l);
	n = r->parts->len;
	for (i = 0; i < n && !fd.full; i++) {
		const struct report_part *p = g_ptr_array_index(r->parts, i);

		if (!is_csv(p))
			continue;
		fd.family = family(r, p);
		if (first == NULL)
			first = fd.family;
		feed_part(&fd, p);
	}
	if (r->kind != REPORT_KIND_ABUSE || (!fd.shadowserver &&
	    !from_shadowserver(r)))
		return;
	if (strcmp(r->format, "plain") == 0 ||
	    strcmp(r->format, "forward") == 0)
		r->format = "shadowserver";
	if (first == NULL)
		first = family(r, NULL);
	if (first != NULL && (type = taxonomy_lookup(first, &tax)) != NULL)
		fmt_set_class(r, type, tax);
}
