/*
 * fmt_xarf.c: X-ARF 0.1 / 0.2, the YAML "report.txt" format (x-arf.org).
 *
 * Defines fmt_xarf_probe() and fmt_xarf_extract().  The YAML part is the
 * one named report.txt (or *.yaml), else the first text part with
 * Report-Type/Category and Source keys; a customer forward with the YAML
 * inlined and "> "-quoted counts too (the quote prefix is stripped before
 * libyaml sees it).  The key lines are fed to libyaml as one document;
 * when that fails (a plain value with ": " in it, as clean-mx's
 * "http: //..." Schema-URL) every key line is read as its own document,
 * and a line libyaml still refuses gives its text after the colon.
 * Source (typed by Source-Type, guessed when that is empty or odd),
 * Domain and Download-Link are offenders, with Port and Date; Reported-From
 * is the reporter; Schema-URL is context; Category and Report-Type give
 * the IntelMQ classification.  Input is bounded: text, fields, events.
 */
#include "config.h"

#include <string.h>
#include <yaml.h>

#include "parse/parse_int.h"

#define XARF_MAX_TEXT	(256 * 1024)
#define XARF_MAX_FIELDS	128
#define XARF_MAX_EVENTS	4096
#define XARF_MAX_DEPTH	8

struct xfield {
	char	*key;
	char	*val;
	gsize	 off;		/* of the value's line in the part text */
};

struct xdoc {
	const struct report_part *p;
	GString		*buf;		/* the YAML fed to libyaml */
	GArray		*lines;		/* gsize: part offset of buf line i */
	struct xfield	 f[XARF_MAX_FIELDS];
	guint		 n;
};

/* Report-Type (else Category) -> IntelMQ classification. */
static const struct {
	const char	*type, *category, *taxonomy;
} classes[] = {
	{ "phishing", "phishing", "fraud" },
	{ "scam", "phishing", "fraud" },
	{ "fraud", "phishing", "fraud" },
	{ "copyright", "copyright", "fraud" },
	{ "login-attack", "brute-force", "intrusion-attempts" },
	{ "web-attack", "exploit", "intrusion-attempts" },
	{ "exploit", "exploit", "intrusion-attempts" },
	{ "port-probe", "scanner", "information-gathering" },
	{ "harvesting", "scanner", "information-gathering" },
	{ "malware-attack", "malware-distribution", "malicious-code" },
	{ "malware", "malware-distribution", "malicious-code" },
	{ "bot-infection", "infected-system", "malicious-code" },
	{ "botnet", "infected-system", "malicious-code" },
	{ "spam", "spam", "abusive-content" },
	{ "regbot", "spam", "abusive-content" },
	{ "dnsbl-listing", "blacklist", "other" },
	{ "ddos", "ddos", "availability" },
	{ "open-service", "vulnerable-system", "vulnerable" },
	{ "vulnerable", "vulnerable-system", "vulnerable" },
	{ "info", "other", "other" },
};

static gboolean
is_key_line(const char *s, gsize len)
{
	gsize i = 0;

	if (len == 0 || !g_ascii_isalpha(s[0]))
		return FALSE;
	while (i < len && (g_ascii_isalnum(s[i]) || s[i] == '-' ||
	    s[i] == '_'))
		i++;
	return i < len && s[i] == ':' && (i + 1 == len ||
	    s[i + 1] == ' ' || s[i + 1] == '\t');
}

/*
 * collect - the key lines of the part (and their indented continuations),
 * quote prefix and CR removed, into d->buf with their offsets.
 */
static void
collect(struct xdoc *d)
{
	const char *t = d->p->text, *end = t + MIN(d->p->text_len,
	    XARF_MAX_TEXT), *line, *eol, *s;
	gboolean in = FALSE;
	gsize len, off;

	for (line = t; line < end; line = eol + 1) {
		if ((eol = memchr(line, '\n', end - line)) == NULL)
			eol = end;
		s = line;
		while (s < eol && *s == '>') {
			s++;
			if (s < eol && *s == ' ')
				s++;
		}
		len = eol - s;
		if (len > 0 && s[len - 1] == '\r')
			len--;
		off = s - t;
		if (is_key_line(s, len))
			in = TRUE;
		else if (!(in && len > 0 && (s[0] == ' ' || s[0] == '\t')))
			in = FALSE;
		if (in) {
			g_array_append_val(d->lines, off);
			g_string_append_len(d->buf, s, len);
			g_string_append_c(d->buf, '\n');
		}
		if (eol == end)
			break;
	}
}

static void
field_add(struct xdoc *d, const char *key, const char *val, gsize line)
{
	struct xfield *f;

	if (d->n >= XARF_MAX_FIELDS || key == NULL)
		return;
	f = &d->f[d->n++];
	f->key = g_strdup(key);
	f->val = g_strdup(val);
	f->off = line < d->lines->len ? g_array_index(d->lines, gsize, line) :
	    0;
}

/*
 * yaml_read - the top-level mapping of buf (len bytes) into d; line0 is
 * the buf line of buf's first byte.  FALSE when libyaml refuses it.
 */
static gboolean
yaml_read(struct xdoc *d, const char *buf, gsize len, gsize line0)
{
	yaml_parser_t yp;
	yaml_event_t ev;
	char *key = NULL;
	guint depth = 0, events = 0, first = d->n;
	gboolean ok = TRUE, done = FALSE;

	if (!yaml_parser_initialize(&yp))
		return FALSE;
	yaml_parser_set_input_string(&yp, (const unsigned char *)buf, len);
	while (!done && ok) {
		if (!yaml_parser_parse(&yp, &ev) || ++events > XARF_MAX_EVENTS) {
			ok = FALSE;
			break;
		}
		switch (ev.type) {
		case YAML_STREAM_END_EVENT:
		case YAML_DOCUMENT_END_EVENT:
			done = TRUE;
			break;
		case YAML_MAPPING_START_EVENT:
		case YAML_SEQUENCE_START_EVENT:
			if (++depth > XARF_MAX_DEPTH)
				ok = FALSE;
			if (depth > 1 && ev.type == YAML_MAPPING_START_EVENT)
				g_clear_pointer(&key, g_free);
			break;
		case YAML_MAPPING_END_EVENT:
		case YAML_SEQUENCE_END_EVENT:
			depth--;
			if (depth == 1)
				g_clear_pointer(&key, g_free);
			break;
		case YAML_SCALAR_EVENT:
			if (depth == 0) {
				ok = FALSE;	/* prose, not a mapping */
			} else if (depth == 1 && key == NULL) {
				key = g_strdup((char *)ev.data.scalar.value);
			} else if (key != NULL) {
				field_add(d, key, (char *)ev.data.scalar.value,
				    line0 + ev.start_mark.line);
				if (depth == 1)
					g_clear_pointer(&key, g_free);
			}
			break;
		default:
			break;
		}
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&yp);
	g_free(key);
	if (!ok)
		while (d->n > first) {
			d->n--;
			g_free(d->f[d->n].key);
			g_free(d->f[d->n].val);
		}
	return ok;
}

/* read_lines - one document per key line (with its continuations). */
static void
read_lines(struct xdoc *d)
{
	const char *b = d->buf->str, *end = b + d->buf->len, *s, *e, *c;
	gsize line = 0, nl;
	char *k, *v;

	for (s = b; s < end; s = e, line += nl) {
		nl = 0;
		e = s;
		do {
			e = memchr(e, '\n', end - e);
			e = e != NULL ? e + 1 : end;
			nl++;
		} while (e < end && (*e == ' ' || *e == '\t'));
		if (yaml_read(d, s, e - s, line))
			continue;
		c = memchr(s, ':', e - s);
		k = g_strndup(s, c - s);
		v = g_strstrip(g_strndup(c + 1, (e - c) - 1));
		field_add(d, k, v, line);
		g_free(k);
		g_free(v);
	}
}

static const char *
get(const struct xdoc *d, const char *key, guint *idx)
{
	guint i;

	for (i = 0; i < d->n; i++)
		if (g_ascii_strcasecmp(d->f[i].key, key) == 0) {
			if (idx != NULL)
				*idx = i;
			return d->f[i].val;
		}
	return NULL;
}

static gboolean
yamlish(const struct report_part *p)
{
	struct xdoc d;
	gboolean yes;

	memset(&d, 0, sizeof(d));
	d.p = p;
	d.buf = g_string_new(NULL);
	d.lines = g_array_new(FALSE, FALSE, sizeof(gsize));
	collect(&d);
	yes = strstr(d.buf->str, "Source") != NULL &&
	    (strstr(d.buf->str, "Report-Type:") != NULL ||
	    strstr(d.buf->str, "Reported-From:") != NULL);
	g_string_free(d.buf, TRUE);
	g_array_free(d.lines, TRUE);
	return yes;
}

static const struct report_part *
xarf_part(const struct report *r)
{
	const struct report_part *p;
	guint i;

	for (i = 0; i < r->parts->len; i++) {
		p = g_ptr_array_index(r->parts, i);
		if ((p->depth > 0 && r->case_tag != NULL) || p->filename == NULL)
			continue;
		if ((g_ascii_strcasecmp(p->filename, "report.txt") == 0 ||
		    g_str_has_suffix(p->filename, ".yaml") ||
		    g_str_has_suffix(p->filename, ".yml")) && yamlish(p))
			return p;
	}
	for (i = 0; i < r->parts->len; i++) {
		p = g_ptr_array_index(r->parts, i);
		if ((p->depth > 0 && r->case_tag != NULL) ||
		    (!g_str_has_prefix(p->content_type, "text/") &&
		    !g_str_has_suffix(p->content_type, "yaml")) ||
		    strstr(p->text, "Source") == NULL)
			continue;
		if (yamlish(p))
			return p;
	}
	return NULL;
}

gboolean
fmt_xarf_probe(const struct report *r, const struct parse_hints *h)
{
	(void)h;
	if (strcmp(r->format, "xarf") == 0)
		return TRUE;
	if (r->kind != REPORT_KIND_ABUSE || (strcmp(r->format, "plain") != 0 &&
	    strcmp(r->format, "forward") != 0))
		return FALSE;
	return xarf_part(r) != NULL;
}

static void
classify(struct report *r, const char *type, const char *cat)
{
	guint i;

	for (i = 0; i < G_N_ELEMENTS(classes); i++)
		if ((type != NULL && g_ascii_strcasecmp(type,
		    classes[i].type) == 0)) {
			fmt_set_class(r, classes[i].category,
			    classes[i].taxonomy);
			return;
		}
	for (i = 0; i < G_N_ELEMENTS(classes); i++)
		if (cat != NULL && g_ascii_strcasecmp(cat,
		    classes[i].type) == 0) {
			fmt_set_class(r, classes[i].category,
			    classes[i].taxonomy);
			return;
		}
	if (type != NULL || cat != NULL)
		fmt_set_class(r, "other", "other");
}

static enum finding_kind
source_kind(const char *type, const char *val)
{
	enum finding_kind g = fmt_guess_kind(val, strlen(val));

	if (type == NULL)
		return g;
	if (g_ascii_strcasecmp(type, "uri") == 0 ||
	    g_ascii_strcasecmp(type, "url") == 0)
		return g == FINDING_DOMAIN ? FINDING_DOMAIN : FINDING_URL;
	if (g_ascii_strcasecmp(type, "ipv4") == 0 ||
	    g_ascii_strcasecmp(type, "ipv6") == 0 ||
	    g_ascii_strcasecmp(type, "ip-address") == 0 ||
	    g_ascii_strcasecmp(type, "ip") == 0)
		return g == FINDING_IPV6 ? FINDING_IPV6 : FINDING_IPV4;
	if (g_ascii_strcasecmp(type, "email") == 0)
		return FINDING_EMAIL;
	if (g_ascii_strcasecmp(type, "domain") == 0)
		return FINDING_DOMAIN;
	return g;
}

static struct finding *
add(struct report *r, const struct xdoc *d, guint i, enum finding_kind kind,
    enum finding_role role)
{
	const struct xfield *f = &d->f[i];
	char *src = g_strdup_printf("xarf:%s", f->key);
	const char *ssrc = arena_strdup(r->arena, src);
	struct finding *fd;

	g_free(src);
	fd = fmt_add(r, d->p, kind, role, f->val, strlen(f->val),
	    fmt_locate(d->p, f->off, f->val), ssrc != NULL ? ssrc : "xarf");
	return fd;
}

/* schema_url - clean-mx writes "http: //support.clean-mx.de/...". */
static void
schema_url(struct report *r, struct xdoc *d, guint i)
{
	char *v = d->f[i].val, *c;

	if ((c = strstr(v, ": //")) != NULL && c - v <= 5)
		memmove(c + 1, c + 2, strlen(c + 2) + 1);
	add(r, d, i, FINDING_URL, FINDING_ROLE_CONTEXT);
}

static void
reported_from(struct report *r, struct xdoc *d, guint i, gboolean *seen)
{
	struct finding *rf = add(r, d, i, FINDING_EMAIL,
	    FINDING_ROLE_REPORTER);

	if (rf != NULL && !*seen)
		r->reporter = rf->value;
	*seen = TRUE;
}

static void
interpret(struct report *r, struct xdoc *d)
{
	const char *stype = get(d, "Source-Type", NULL);
	const char *date = get(d, "Date", NULL), *port = get(d, "Port", NULL);
	const char *when = date != NULL ? fmt_date_iso(r->arena, date,
	    strlen(date)) : NULL;
	const char *attrs = NULL, *id = get(d, "Report-ID", NULL);
	struct finding *fd;
	guint i, pn = 0;
	gboolean seen_from = FALSE;

	if (port != NULL)
		pn = (guint)g_ascii_strtoull(port, NULL, 10);
	if (pn > 65535)
		pn = 0;
	if (date != NULL && when == NULL)
		report_warn(r, "part %s: xarf:Date is not a date: %.80s",
		    d->p->path, date);
	if (when != NULL)
		r->event_time = when;
	if (id != NULL && *id != '\0')
		attrs = arena_printf(r->arena, "report-id=%.200s", id);
	/* offenders first, then who reported and the context */
	for (i = 0; i < d->n * 2; i++) {
		const char *k = d->f[i % d->n].key, *v = d->f[i % d->n].val;

		fd = NULL;
		if (i >= d->n) {
			if (g_ascii_strcasecmp(k, "Reported-From") == 0)
				reported_from(r, d, i % d->n, &seen_from);
			else if (g_ascii_strcasecmp(k, "Schema-URL") == 0)
				schema_url(r, d, i % d->n);
			continue;
		}
		if (g_ascii_strcasecmp(k, "Source") == 0) {
			fd = add(r, d, i % d->n, source_kind(stype, v),
			    FINDING_ROLE_OFFENDER);
			if (fd != NULL)
				fd->port = pn;
		} else if (g_ascii_strcasecmp(k, "Domain") == 0)
			fd = add(r, d, i % d->n, FINDING_DOMAIN,
			    FINDING_ROLE_OFFENDER);
		else if (g_ascii_strcasecmp(k, "Download-Link") == 0)
			fd = add(r, d, i % d->n, fmt_guess_kind(v, strlen(v)) ==
			    FINDING_DOMAIN ? FINDING_DOMAIN : FINDING_URL,
			    FINDING_ROLE_OFFENDER);
		if (fd != NULL && fd->role == FINDING_ROLE_OFFENDER) {
			if (when != NULL && fd->observed_at == NULL)
				fd->observed_at = when;
			if (attrs != NULL && fd->attrs == NULL)
				fd->attrs = attrs;
		}
	}
	classify(r, get(d, "Report-Type", NULL), get(d, "Category", NULL));
}

void
fmt_xarf_extract(struct report *r, const struct parse_hints *h)
{
	struct xdoc d;
	guint i;

	(void)h;
	memset(&d, 0, sizeof(d));
	if ((d.p = xarf_part(r)) == NULL) {
		report_warn(r, "X-ARF mail without a report.txt YAML part");
		return;
	}
	r->format = "xarf";
	d.buf = g_string_new(NULL);
	d.lines = g_array_new(FALSE, FALSE, sizeof(gsize));
	collect(&d);
	if (!yaml_read(&d, d.buf->str, d.buf->len, 0))
		read_lines(&d);
	interpret(r, &d);
	for (i = 0; i < d.n; i++) {
		g_free(d.f[i].key);
		g_free(d.f[i].val);
	}
	g_string_free(d.buf, TRUE);
	g_array_free(d.lines, TRUE);
}
