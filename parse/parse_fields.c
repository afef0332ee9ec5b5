/*
 * parse_fields.c: helpers shared by the structured format handlers
 * (fmt_arf.c, fmt_xarf.c, fmt_xarf_json.c).
 *
 * Defines fmt_add(), fmt_guess_kind(), fmt_date_iso(), fmt_locate() and
 * fmt_set_class().  A field value goes through parse_normalise() and is
 * skipped, with a warning, when it is not a valid value of its kind; a
 * date in any of the forms real reports use (RFC 2822, ISO 8601, quoted,
 * JavaScript Date.toString()) becomes ISO 8601 UTC.  Nothing here knows a
 * format: the handlers own their field names and category tables.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "parse/parse_int.h"

/* fmt_trim - strips blanks, then one pair of quotes or <> (in place). */
static void
fmt_trim(const char **v, gsize *len)
{
	const char *s = *v;
	gsize n = *len;

	while (n > 0 && g_ascii_isspace(s[0])) {
		s++;
		n--;
	}
	while (n > 0 && g_ascii_isspace(s[n - 1]))
		n--;
	if (n >= 2 && ((s[0] == '\'' && s[n - 1] == '\'') ||
	    (s[0] == '"' && s[n - 1] == '"') ||
	    (s[0] == '<' && s[n - 1] == '>'))) {
		s++;
		n -= 2;
	}
	*v = s;
	*len = n;
}

enum finding_kind
fmt_guess_kind(const char *s, gsize len)
{
	struct netaddr a;

	fmt_trim(&s, &len);
	if (len > 0 && netaddr_parse(s, len, &a))
		return a.v4 ? FINDING_IPV4 : FINDING_IPV6;
	if (g_strstr_len(s, len, "://") != NULL ||
	    g_strstr_len(s, len, "[:]//") != NULL)
		return FINDING_URL;
	if (memchr(s, '@', len) != NULL)
		return FINDING_EMAIL;
	if (len > 0 && memchr(s, ':', len) != NULL &&
	    memchr(s, '.', len) == NULL)
		return FINDING_IPV6;
	if (len > 0 && g_ascii_isdigit(s[len - 1]) &&
	    strspn(s, "0123456789.") >= len)
		return FINDING_IPV4;
	return FINDING_DOMAIN;
}

gsize
fmt_locate(const struct report_part *p, gsize from, const char *val)
{
	const char *hit;
	gsize vl = strlen(val);

	if (p == NULL || from > p->text_len || vl == 0)
		return from;
	hit = g_strstr_len(p->text + from, p->text_len - from, val);
	return hit != NULL ? (gsize)(hit - p->text) : from;
}

/* url_host - the host of a URL finding as an IP or domain finding with
 * the same role and source (as the text rules do for theirs), at the
 * host's offset when the raw URL is not defanged. */
static void
url_host(struct report *r, const struct report_part *p,
    const struct finding *u, gsize off, const char *source)
{
	const char *h, *src = u->raw;
	gsize len = report_url_host(src, &h);
	struct netaddr a;
	enum finding_kind k = FINDING_DOMAIN;
	char *v = NULL;

	if (len > 0) {
		if (netaddr_parse(h, len, &a))
			k = a.v4 ? FINDING_IPV4 : FINDING_IPV6;
		v = parse_normalise(r->arena, k, h, len);
	}
	if (v == NULL) {	/* defanged: hxxp, [.] */
		src = u->value;
		if ((len = report_url_host(src, &h)) == 0)
			return;
		k = netaddr_parse(h, len, &a) ? (a.v4 ? FINDING_IPV4 :
		    FINDING_IPV6) : FINDING_DOMAIN;
		if ((v = parse_normalise(r->arena, k, h, len)) == NULL)
			return;
	} else
		off += h - src;
	if (report_find_value(r, k, v) == NULL)
		report_add_finding(r, k, u->role, v, arena_strndup(r->arena,
		    h, len), p != NULL ? p->path : "0", off, source);
}

struct finding *
fmt_add(struct report *r, const struct report_part *p, enum finding_kind kind,
    enum finding_role role, const char *v, gsize len, gsize off,
    const char *source)
{
	char *raw, *val;
	const char *s = v;
	struct finding *f;

	fmt_trim(&s, &len);
	if (len == 0 || len > 4096)
		return NULL;
	if (p != NULL && off + (s - v) + len <= p->text_len &&
	    strncmp(p->text + off + (s - v), s, len) == 0)
		off += s - v;
	raw = arena_strndup(r->arena, s, len);
	val = raw != NULL ? parse_normalise(r->arena, kind, s, len) : NULL;
	if (val == NULL) {
		if (raw != NULL)
			report_warn(r, "part %s: %s value is not a valid %s: "
			    "%.80s", p != NULL ? p->path : "0", source,
			    finding_kind_name(kind), raw);
		return NULL;
	}
	f = report_add_finding(r, kind, role, val, raw,
	    p != NULL ? p->path : "0", off, source);
	if (f != NULL && kind == FINDING_URL)
		url_host(r, p, f, off, source);
	return f;
}

/* js_date - "Tue Aug 03 2021 05:22:52 GMT-0700 (PDT)" as RFC 2822. */
static char *
js_date(const char *s)
{
	char wd[8], mon[8], tz[16];
	int day, year, hh, mm, ss;

	if (sscanf(s, "%3s %3s %d %d %d:%d:%d GMT%15[-+0-9]", wd, mon, &day,
	    &year, &hh, &mm, &ss, tz) != 8)
		return NULL;
	return g_strdup_printf("%s, %02d %s %04d %02d:%02d:%02d %s", wd, day,
	    mon, year, hh, mm, ss, tz);
}

const char *
fmt_date_iso(struct arena *a, const char *in, gsize len)
{
	GDateTime *dt = NULL, *utc;
	GTimeZone *tz;
	char *s, *alt = NULL, *iso;
	const char *v = in;
	const char *res;

	if (in == NULL)
		return NULL;
	fmt_trim(&v, &len);
	if (len == 0 || len > 128)
		return NULL;
	s = g_strndup(v, len);
	if (len > 10 && s[4] == '-' && s[7] == '-' && s[10] == ' ')
		s[10] = 'T';	/* "2024-03-01 10:00:00" */
	tz = g_time_zone_new_utc();
	if (g_ascii_isdigit(s[0]))
		dt = g_date_time_new_from_iso8601(s, tz);
	if (dt == NULL && (alt = js_date(s)) != NULL)
		dt = g_mime_utils_header_decode_date(alt);
	if (dt == NULL && strchr(s, ':') != NULL)
		dt = g_mime_utils_header_decode_date(s);
	g_time_zone_unref(tz);
	g_free(alt);
	g_free(s);
	if (dt == NULL)
		return NULL;
	utc = g_date_time_to_utc(dt);
	g_date_time_unref(dt);
	if (utc == NULL)
		return NULL;
	/* gmime gives the epoch for a date it cannot read */
	if (g_date_time_get_year(utc) < 1990) {
		g_date_time_unref(utc);
		return NULL;
	}
	iso = g_date_time_format(utc, "%Y-%m-%dT%H:%M:%SZ");
	g_date_time_unref(utc);
	res = arena_strdup(a, iso);
	g_free(iso);
	return res;
}

void
fmt_set_class(struct report *r, const char *category, const char *taxonomy)
{
	if (category != NULL)
		r->category = category;
	if (taxonomy != NULL)
		r->taxonomy = taxonomy;
}
