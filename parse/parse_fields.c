/*
 * parse_fields.c: findings taken from the structured fields of a format.
 *
 * Defines parse_fields_extract().  ARF (RFC 5965) message/feedback-report
 * parts give Source-IP (a trailing "(host)" comment dropped),
 * Reported-Domain and Reported-URI; X-ARF 0.1/0.2 report.txt gives Source
 * (typed by Source-Type), Domain and Reported-From.  Each value goes
 * through parse_normalise() and is skipped, with a warning, when it is not
 * a valid value of its kind.  Findings carry the part path, the byte
 * offset of the value in the part's text and a source "arf:<Field>" or
 * "xarf:<Key>".  A line scan of "Key: value" is enough for both formats
 * as they are written in practice.
 */
#include "config.h"

#include <string.h>

#include "parse/parse_int.h"

struct field {
	const char	*val;		/* in the part text, no NUL */
	gsize		 len;
	gsize		 off;
};

struct xarf {
	struct field	 source, source_type, domain, from, category, type;
};

typedef void	(*field_fn)(struct report *, const struct report_part *,
		    const char *, gsize, struct field *, gpointer);

/* trim - strips blanks, then one pair of quotes or <> around the value. */
static void
trim(struct field *f)
{
	while (f->len > 0 && g_ascii_isspace(f->val[0])) {
		f->val++;
		f->off++;
		f->len--;
	}
	while (f->len > 0 && g_ascii_isspace(f->val[f->len - 1]))
		f->len--;
	if (f->len >= 2 && ((f->val[0] == '\'' && f->val[f->len - 1] == '\'') ||
	    (f->val[0] == '"' && f->val[f->len - 1] == '"') ||
	    (f->val[0] == '<' && f->val[f->len - 1] == '>'))) {
		f->val++;
		f->off++;
		f->len -= 2;
	}
}

/* scan - calls fn for every "Key: value" line of the part text. */
static void
scan(struct report *r, const struct report_part *p, field_fn fn,
    gpointer data)
{
	const char *t = p->text, *end = p->text + p->text_len, *line, *eol;
	const char *colon;
	struct field f;

	for (line = t; line < end; line = eol + 1) {
		if ((eol = memchr(line, '\n', end - line)) == NULL)
			eol = end;
		colon = memchr(line, ':', eol - line);
		if (colon == NULL || colon == line || g_ascii_isspace(*line))
			continue;
		f.val = colon + 1;
		f.len = eol - f.val;
		f.off = f.val - t;
		trim(&f);
		fn(r, p, line, colon - line, &f, data);
		if (eol == end)
			break;
	}
}

static gboolean
key_is(const char *k, gsize kl, const char *name)
{
	return strlen(name) == kl && g_ascii_strncasecmp(k, name, kl) == 0;
}

static enum finding_kind
ip_kind(const char *s, gsize len)
{
	struct netaddr a;

	if (len == 0)
		return FINDING_IPV4;	/* nothing to add anyway */
	if (netaddr_parse(s, len, &a))
		return a.v4 ? FINDING_IPV4 : FINDING_IPV6;
	return memchr(s, ':', len) != NULL ? FINDING_IPV6 : FINDING_IPV4;
}

static struct finding *
add(struct report *r, const struct report_part *p, enum finding_kind kind,
    enum finding_role role, const struct field *f, const char *source)
{
	char *raw, *val;

	if (f->len == 0)
		return NULL;
	raw = arena_strndup(r->arena, f->val, f->len);
	val = raw != NULL ? parse_normalise(r->arena, kind, f->val, f->len) :
	    NULL;
	if (val == NULL) {
		if (raw != NULL)
			report_warn(r, "part %s: %s value is not a valid %s: "
			    "%.80s", p->path, source, finding_kind_name(kind),
			    raw);
		return NULL;
	}
	return report_add_finding(r, kind, role, val, raw, p->path, f->off,
	    source);
}

static void
arf_field(struct report *r, const struct report_part *p, const char *k,
    gsize kl, struct field *f, gpointer data)
{
	static const struct { const char *in, *category; } types[] = {
		{ "abuse", "spam" }, { "fraud", "fraud" },
		{ "virus", "malware" },
	};
	const char *c;
	guint i;

	(void)data;
	if (key_is(k, kl, "Source-IP")) {
		/* "148.163.85.135 (sainay.example.org)" */
		if ((c = memchr(f->val, '(', f->len)) != NULL) {
			f->len = c - f->val;
			trim(f);
		}
		add(r, p, ip_kind(f->val, f->len), FINDING_ROLE_OFFENDER, f,
		    "arf:Source-IP");
	} else if (key_is(k, kl, "Reported-Domain"))
		add(r, p, FINDING_DOMAIN, FINDING_ROLE_OFFENDER, f,
		    "arf:Reported-Domain");
	else if (key_is(k, kl, "Reported-URI"))
		add(r, p, FINDING_URL, FINDING_ROLE_OFFENDER, f,
		    "arf:Reported-URI");
	else if (key_is(k, kl, "Feedback-Type") && r->category == NULL) {
		for (i = 0; i < G_N_ELEMENTS(types); i++)
			if (f->len == strlen(types[i].in) &&
			    g_ascii_strncasecmp(f->val, types[i].in,
			    f->len) == 0)
				r->category = types[i].category;
	}
}

static void
xarf_field(struct report *r, const struct report_part *p, const char *k,
    gsize kl, struct field *f, gpointer data)
{
	struct xarf *x = data;

	(void)r;
	(void)p;
	if (key_is(k, kl, "Source"))
		x->source = *f;
	else if (key_is(k, kl, "Source-Type"))
		x->source_type = *f;
	else if (key_is(k, kl, "Domain"))
		x->domain = *f;
	else if (key_is(k, kl, "Reported-From"))
		x->from = *f;
	else if (key_is(k, kl, "Category"))
		x->category = *f;
	else if (key_is(k, kl, "Report-Type"))
		x->type = *f;
}

static gboolean
type_is(const struct field *f, const char *name)
{
	return f->len == strlen(name) &&
	    g_ascii_strncasecmp(f->val, name, f->len) == 0;
}

static void
xarf(struct report *r, const struct report_part *p)
{
	struct xarf x;
	enum finding_kind kind;
	const struct field *cat;
	struct finding *fd;

	memset(&x, 0, sizeof(x));
	scan(r, p, xarf_field, &x);
	if (type_is(&x.source_type, "uri") || type_is(&x.source_type, "url"))
		kind = FINDING_URL;
	else if (type_is(&x.source_type, "ipv4") ||
	    type_is(&x.source_type, "ipv6") ||
	    type_is(&x.source_type, "ip-address") ||
	    type_is(&x.source_type, "ip"))
		kind = ip_kind(x.source.val, x.source.len);
	else if (x.source.len > 0 && g_strstr_len(x.source.val, x.source.len,
	    "://") != NULL)
		kind = FINDING_URL;
	else {
		struct netaddr a;

		kind = x.source.len > 0 && netaddr_parse(x.source.val,
		    x.source.len, &a) ? (a.v4 ? FINDING_IPV4 : FINDING_IPV6) :
		    FINDING_DOMAIN;
	}
	add(r, p, kind, FINDING_ROLE_OFFENDER, &x.source, "xarf:Source");
	add(r, p, FINDING_DOMAIN, FINDING_ROLE_OFFENDER, &x.domain,
	    "xarf:Domain");
	if ((fd = add(r, p, FINDING_EMAIL, FINDING_ROLE_REPORTER, &x.from,
	    "xarf:Reported-From")) != NULL)
		r->reporter = fd->value;
	cat = x.type.len > 0 ? &x.type : &x.category;
	if (cat->len > 0) {
		char *c = g_ascii_strdown(cat->val, cat->len);

		r->category = arena_strdup(r->arena, c);
		g_free(c);
	}
}

void
parse_fields_extract(struct report *r)
{
	const struct report_part *p;
	guint i;

	if (strcmp(r->format, "xarf") == 0 &&
	    (p = parse_detect_xarf_part(r)) != NULL)
		xarf(r, p);
	if (strcmp(r->format, "arf") != 0 && strcmp(r->format, "xarf") != 0)
		return;
	for (i = 0; i < r->parts->len; i++) {
		p = g_ptr_array_index(r->parts, i);
		if (strcmp(p->content_type, "message/feedback-report") == 0 &&
		    (p->depth == 0 || r->case_tag == NULL))
			scan(r, p, arf_field, NULL);
	}
}
