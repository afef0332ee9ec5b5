/*
 * normalise.c: the canonical text of each finding kind (see parse.h).
 *
 * Every value the rules extract passes through parse_normalise(), so one
 * observable has one spelling in findings, routes and the case database:
 * IPs in RFC 5952 / dotted-quad form, URLs with a lower-case scheme and
 * host and without the punctuation of the sentence around them, domains
 * in lower-case A-label form.  NULL means "not a value of that kind".
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "parse/parse.h"

/* After glib.h: idn2.h defines G_GNUC_DEPRECATED when glib is absent. */
#include <idn2.h>
#include <libpsl.h>

/* Longest value we normalise: longer text is not an indicator. */
#define NORMALISE_MAX	8192

static char *
norm_ip(struct arena *a, const char *s, gboolean want_v4)
{
	struct netaddr na;
	char buf[64];
	gsize len = strlen(s);

	/* A zone ("fe80::1%eth0") is local to a host: drop it. */
	if (!want_v4 && strchr(s, '%') != NULL)
		len = strchr(s, '%') - s;
	if (want_v4 && strchr(s, ':') != NULL)
		return NULL;
	if (!want_v4 && strchr(s, ':') == NULL)
		return NULL;
	if (!netaddr_parse(s, len, &na))
		return NULL;
	return arena_strdup(a, netaddr_format(&na, buf, sizeof(buf)));
}

static gboolean
plausible_tld(const char *tld)
{
	gsize n = strlen(tld), i;

	if (n < 2 || n > 63)
		return FALSE;
	if (g_str_has_prefix(tld, "xn--")) {
		for (i = 4; i < n; i++)
			if (!g_ascii_isalnum(tld[i]) && tld[i] != '-')
				return FALSE;
		return n > 4;
	}
	for (i = 0; i < n; i++)
		if (!g_ascii_isalpha(tld[i]))
			return FALSE;
	return TRUE;
}

/* Lower-case A-label form of a host name, or NULL (g_free). */
static char *
domain_ascii(const char *s)
{
	char *tmp, *out = NULL, *p, **labels;
	gsize n;
	guint i;
	gboolean ok = TRUE;

	tmp = g_utf8_strdown(s, -1);
	n = strlen(tmp);
	if (n > 0 && tmp[n - 1] == '.')
		tmp[--n] = '\0';
	if (n == 0 || n > 253 || strchr(tmp, '.') == NULL) {
		g_free(tmp);
		return NULL;
	}
	for (p = tmp; *p != '\0' && (guchar)*p < 0x80; p++)
		;
	if (*p != '\0') {
		char *ace = NULL;

		if (idn2_to_ascii_8z(tmp, &ace, IDN2_NFC_INPUT |
		    IDN2_NONTRANSITIONAL) != IDN2_OK &&
		    idn2_to_ascii_8z(tmp, &ace, IDN2_NFC_INPUT |
		    IDN2_TRANSITIONAL) != IDN2_OK) {
			g_free(tmp);
			return NULL;
		}
		g_free(tmp);
		tmp = g_ascii_strdown(ace, -1);
		idn2_free(ace);
	}
	labels = g_strsplit(tmp, ".", -1);
	for (i = 0; labels[i] != NULL && ok; i++) {
		gsize ln = strlen(labels[i]), j;

		if (ln == 0 || ln > 63 || labels[i][0] == '-' ||
		    labels[i][ln - 1] == '-')
			ok = FALSE;
		for (j = 0; j < ln && ok; j++)
			if (!g_ascii_isalnum(labels[i][j]) &&
			    labels[i][j] != '-' && labels[i][j] != '_')
				ok = FALSE;
	}
	if (ok && i > 0)
		ok = plausible_tld(labels[i - 1]);
	g_strfreev(labels);
	if (ok && strlen(tmp) <= 253)
		out = tmp;
	else
		g_free(tmp);
	return out;
}

static char *
norm_domain(struct arena *a, const char *s)
{
	char *d = domain_ascii(s), *res;

	if (d == NULL)
		return NULL;
	res = arena_strdup(a, d);
	g_free(d);
	return res;
}

static char *
norm_email(struct arena *a, const char *s)
{
	const char *at = strrchr(s, '@');
	char *d, *res;
	gsize i, llen;

	if (at == NULL || at == s || (llen = at - s) > 64)
		return NULL;
	for (i = 0; i < llen; i++)
		if ((guchar)s[i] <= ' ' || s[i] == '<' || s[i] == '>' ||
		    s[i] == '@' || s[i] == ',')
			return NULL;
	if ((d = domain_ascii(at + 1)) == NULL)
		return NULL;
	res = arena_printf(a, "%.*s@%s", (int)llen, s, d);
	g_free(d);
	return res;
}

static char *
norm_cidr(struct arena *a, const char *s)
{
	struct netaddr net;
	guint plen, i;
	char buf[64];

	if (!netaddr_parse_cidr(s, &net, &plen, TRUE))
		return NULL;
	for (i = plen; i < 128; i++)
		net.b[i / 8] &= ~(0x80 >> (i % 8));
	netaddr_format(&net, buf, sizeof(buf));
	return arena_printf(a, "%s/%u", buf, net.v4 ? plen - 96 : plen);
}

static char *
norm_asn(struct arena *a, const char *s)
{
	guint64 v;
	char *end;

	if (g_ascii_strncasecmp(s, "ASN", 3) == 0)
		s += 3;
	else if (g_ascii_strncasecmp(s, "AS", 2) == 0)
		s += 2;
	while (*s == ' ' || *s == '-')
		s++;
	if (!g_ascii_isdigit(*s) || strlen(s) > 10)
		return NULL;
	v = g_ascii_strtoull(s, &end, 10);
	if (*end != '\0' || v == 0 || v > G_MAXUINT32)
		return NULL;
	return arena_printf(a, "AS%" G_GUINT64_FORMAT, v);
}

static char *
norm_cve(struct arena *a, const char *s)
{
	gsize n = strlen(s), i;
	char *res;

	if (n < 13 || n > 24 || g_ascii_strncasecmp(s, "CVE-", 4) != 0 ||
	    s[8] != '-')
		return NULL;
	for (i = 4; i < n; i++)
		if (i != 8 && !g_ascii_isdigit(s[i]))
			return NULL;
	if (strncmp(s + 4, "1999", 4) < 0)
		return NULL;
	res = arena_strdup(a, s);
	if (res != NULL)
		res[0] = 'C', res[1] = 'V', res[2] = 'E';
	return res;
}

static char *
norm_hash(struct arena *a, const char *s)
{
	gsize n = strlen(s), i;
	char *res;

	if (n != 32 && n != 40 && n != 64)
		return NULL;
	for (i = 0; i < n; i++)
		if (!g_ascii_isxdigit(s[i]))
			return NULL;
	if ((res = arena_strdup(a, s)) != NULL)
		for (i = 0; i < n; i++)
			res[i] = g_ascii_tolower(res[i]);
	return res;
}

/* Characters that end a URL written in running text: CJK and full-width
 * forms (Japanese text glued to the URL), general punctuation (quotes,
 * ellipsis), no-break space. */
static gboolean
cjk_or_fullwidth(gunichar c)
{
	return c == 0xa0 || (c >= 0x2000 && c <= 0x206f) ||
	    (c >= 0x2e80 && c <= 0x9fff) || (c >= 0xac00 && c <= 0xd7af) ||
	    (c >= 0xf900 && c <= 0xfaff) || (c >= 0xfe30 && c <= 0xfe4f) ||
	    (c >= 0xff00 && c <= 0xffef);
}

/* The host so far ends in a complete name (".com"): a CJK character
 * after it is the sentence, not an IDN label. */
static gboolean
host_complete(const char *host, gsize n)
{
	gsize i = n, letters = 0;

	/* "example.jp:8080" */
	while (i > 0 && g_ascii_isdigit(host[i - 1]))
		i--;
	if (i < n && i > 0 && host[i - 1] == ':')
		i--;
	else
		i = n;
	while (i > 0 && g_ascii_isalpha(host[i - 1]))
		i--, letters++;
	return letters >= 2 && i > 0 && host[i - 1] == '.';
}

/* Length of the URL in s: up to whitespace, quotes, angle brackets, or
 * CJK text (in the host only after a complete name). */
static gsize
url_extent(const char *s, gsize len, gsize auth)
{
	const char *p = s, *end = s + len;
	gboolean in_host = TRUE;

	while (p < end) {
		guchar c = *p;
		gunichar u;

		if (c < 0x80) {
			if (c <= ' ' || c == 0x7f || c == '<' || c == '>' ||
			    c == '"' || c == '`' || c == '\\')
				break;
			if ((gsize)(p - s) >= auth && (c == '/' || c == '?' ||
			    c == '#'))
				in_host = FALSE;
			p++;
			continue;
		}
		u = g_utf8_get_char(p);
		if (cjk_or_fullwidth(u) && (!in_host ||
		    host_complete(s + auth, p - s - auth)))
			break;
		p = g_utf8_next_char(p);
	}
	return p - s;
}

/* Strips the sentence's punctuation from the end of the URL: always
 * .,;:!?'" and '>', closing brackets only when unbalanced. */
static gsize
url_trim(const char *s, gsize n, gsize auth)
{
	static const char pairs[] = "()[]{}";

	while (n > auth) {
		char c = s[n - 1];
		const char *q;

		if (strchr(".,;:!?'\">*", c) != NULL) {
			n--;
			continue;
		}
		if (c != '\0' && (q = strchr(pairs, c)) != NULL &&
		    (q - pairs) % 2 == 1) {
			gsize i, open = 0, close = 0;

			for (i = auth; i < n; i++) {
				if (s[i] == q[-1])
					open++;
				else if (s[i] == c)
					close++;
			}
			if (close > open) {
				n--;
				continue;
			}
		}
		break;
	}
	return n;
}

/* host[:port] of the authority, canonical, appended to out. */
static gboolean
url_host(GString *out, const char *h, gsize n)
{
	const char *port = NULL;
	struct netaddr na;
	char buf[64], *host, *d;
	gsize hlen = n, i;

	if (n > 0 && h[0] == '[') {
		const char *rb = memchr(h, ']', n);

		if (rb == NULL || !netaddr_parse(h + 1, rb - h - 1, &na))
			return FALSE;
		netaddr_format(&na, buf, sizeof(buf));
		g_string_append_printf(out, na.v4 ? "%s" : "[%s]", buf);
		if (rb + 1 < h + n && rb[1] != ':')
			return FALSE;
		port = rb + 1 < h + n ? rb + 1 : NULL;
	} else {
		const char *colon = memchr(h, ':', n);

		if (colon != NULL) {
			hlen = colon - h;
			port = colon;
		}
		if (hlen == 0)
			return FALSE;
		for (i = 0; i < hlen; i++)
			if (!g_ascii_isdigit(h[i]) && h[i] != '.')
				break;
		if (i == hlen) {
			/* All digits and dots: an IPv4 literal or nothing. */
			if (!netaddr_parse(h, hlen, &na))
				return FALSE;
			g_string_append(out, netaddr_format(&na, buf,
			    sizeof(buf)));
		} else {
			host = g_strndup(h, hlen);
			d = domain_ascii(host);
			g_free(host);
			if (d == NULL)
				return FALSE;
			g_string_append(out, d);
			g_free(d);
		}
	}
	if (port != NULL && port + 1 < h + n) {
		gsize plen = h + n - port - 1;
		guint64 v;

		for (i = 0; i < plen; i++)
			if (!g_ascii_isdigit(port[1 + i]))
				return FALSE;
		v = plen <= 5 ? g_ascii_strtoull(port + 1, NULL, 10) : 0;
		if (v == 0 || v > 65535)
			return FALSE;
		g_string_append_printf(out, ":%u", (guint)v);
	}
	return TRUE;
}

static char *
norm_url(struct arena *a, const char *raw, gsize len)
{
	GString *u, *out;
	const char *s, *sep, *authend, *at;
	gsize slen, n, auth, i;
	char *res = NULL;

	if ((s = parse_refang(a, raw, len)) == NULL)
		return NULL;
	u = g_string_new(s);
	while ((sep = strstr(u->str, "&amp;")) != NULL)
		g_string_erase(u, sep - u->str + 1, 4);
	if (!g_utf8_validate(u->str, u->len, &sep))
		g_string_truncate(u, sep - u->str);
	if (g_ascii_strncasecmp(u->str, "www.", 4) == 0)
		g_string_prepend(u, "http://");
	out = g_string_new(NULL);
	s = u->str;
	sep = strstr(s, "://");
	slen = sep != NULL ? (gsize)(sep - s) : 0;
	if (slen == 0 || slen > 16 || !g_ascii_isalpha(s[0]))
		goto out;
	for (i = 0; i < slen; i++) {
		if (!g_ascii_isalnum(s[i]) && s[i] != '+' && s[i] != '-' &&
		    s[i] != '.')
			goto out;
		g_string_append_c(out, g_ascii_tolower(s[i]));
	}
	g_string_append(out, "://");
	auth = slen + 3;
	n = url_extent(s, u->len, auth);
	n = url_trim(s, n, auth);
	authend = s + auth;
	while (authend < s + n && strchr("/?#", *authend) == NULL)
		authend++;
	/* userinfo: kept as written */
	at = NULL;
	for (sep = s + auth; sep < authend; sep++)
		if (*sep == '@')
			at = sep;
	if (at != NULL) {
		g_string_append_len(out, s + auth, at + 1 - (s + auth));
		auth = at + 1 - s;
	}
	if (!url_host(out, s + auth, authend - (s + auth)))
		goto out;
	if (authend == s + n && (g_str_has_prefix(out->str, "http") ||
	    g_str_has_prefix(out->str, "ftp")))
		g_string_append_c(out, '/');
	g_string_append_len(out, authend, s + n - authend);
	res = arena_strndup(a, out->str, out->len);
out:
	g_string_free(out, TRUE);
	g_string_free(u, TRUE);
	return res;
}

char *
parse_normalise(struct arena *a, enum finding_kind kind, const char *raw,
    gsize len)
{
	char *s, *res = NULL;

	g_return_val_if_fail(raw != NULL, NULL);
	if (len == 0 || len > NORMALISE_MAX)
		return NULL;
	if (kind == FINDING_URL)
		return norm_url(a, raw, len);
	/* Work on a trimmed, refanged GLib copy; answer in the arena. */
	s = parse_refang(a, raw, len);
	if (s == NULL)
		return NULL;
	g_strstrip(s);
	if (*s == '\0' || !g_utf8_validate(s, -1, NULL))
		return NULL;
	switch (kind) {
	case FINDING_IPV4:
		res = norm_ip(a, s, TRUE);
		break;
	case FINDING_IPV6:
		res = norm_ip(a, s, FALSE);
		break;
	case FINDING_DOMAIN:
		res = norm_domain(a, s);
		break;
	case FINDING_EMAIL:
		res = norm_email(a, s);
		break;
	case FINDING_CIDR:
		res = norm_cidr(a, s);
		break;
	case FINDING_ASN:
		res = norm_asn(a, s);
		break;
	case FINDING_CVE:
		res = norm_cve(a, s);
		break;
	case FINDING_HASH:
		res = norm_hash(a, s);
		break;
	default:
		break;
	}
	return res;
}

const char *
parse_registered_domain(struct arena *a, const char *domain)
{
	const psl_ctx_t *psl = psl_builtin();
	const char *reg;

	if (psl == NULL || domain == NULL)
		return NULL;
	/* libpsl returns a pointer into domain */
	reg = psl_registrable_domain(psl, domain);
	return reg != NULL ? arena_strdup(a, reg) : NULL;
}

void
report_mark_registered_domains(struct report *r)
{
	guint i;

	for (i = 0; i < r->findings->len; i++) {
		struct finding *f = g_ptr_array_index(r->findings, i);
		const char *reg;

		if (f->kind != FINDING_DOMAIN || f->suppressed ||
		    (f->attrs != NULL && strstr(f->attrs, "registered=")))
			continue;
		if ((reg = parse_registered_domain(r->arena, f->value)) ==
		    NULL)
			continue;
		f->attrs = f->attrs != NULL ?
		    arena_printf(r->arena, "%s registered=%s", f->attrs, reg) :
		    arena_printf(r->arena, "registered=%s", reg);
	}
}
