/*
 * roles.c: the roles that need the whole report, decided after every
 * finding is in: the reporter's own hosts.
 *
 * Defines report_roles_reporter().  A report names its sender's web
 * site, portal, logo CDN and signature links next to the abusive
 * resources; text rules cannot tell them apart, the From address can.
 * The reporter's organisations are the registrable domains (public
 * suffix list) of the From address, the Reported-From / reporter
 * field, every e-mail finding a format gave the reporter role, an
 * address alone on a line at the end of a text part (a signature) and,
 * in a forwarded mail, the From of the forwarded report.  A URL or
 * domain a text rule found as an offender whose host lies in one of
 * them becomes a reporter finding; an e-mail address there too.
 * Values a format field gave a role (source "fmt:Field") keep it.
 */
#include "config.h"

#include <string.h>
#include <libpsl.h>

#include "parse/parse.h"

#define ROLES_MAX_ORGS		16
#define ROLES_MAX_HOST		253
#define ROLES_HEADER_SCAN	16384	/* bytes of a forwarded header block */
#define ROLES_SIG_TAIL		512	/* bytes at the end of a part */

struct orgs {
	char	*name[ROLES_MAX_ORGS];
	guint	 n;
};

/* org_of - registrable domain of host (g_free), or NULL. */
static char *
org_of(const char *host, gsize len)
{
	const psl_ctx_t *psl = psl_builtin();
	const char *reg;
	char *h, *out;

	if (len == 0 || len > ROLES_MAX_HOST)
		return NULL;
	h = g_ascii_strdown(host, len);
	if (h[len - 1] == '.')
		h[len - 1] = '\0';
	if (strchr(h, '.') == NULL) {
		g_free(h);
		return NULL;
	}
	reg = psl != NULL ? psl_registrable_domain(psl, h) : NULL;
	out = g_strdup(reg != NULL ? reg : h);
	g_free(h);
	return out;
}

static void
orgs_add_host(struct orgs *o, const char *host, gsize len)
{
	char *org;
	guint i;

	if (o->n >= ROLES_MAX_ORGS || (org = org_of(host, len)) == NULL)
		return;
	for (i = 0; i < o->n; i++)
		if (strcmp(o->name[i], org) == 0) {
			g_free(org);
			return;
		}
	o->name[o->n++] = org;
}

/* orgs_add_address - the domain of the first address in s (up to end). */
static void
orgs_add_address(struct orgs *o, const char *s, const char *end)
{
	const char *at, *d;

	if (s == NULL)
		return;
	if (end == NULL)
		end = s + strlen(s);
	if ((at = memchr(s, '@', end - s)) == NULL)
		return;
	d = ++at;
	while (d < end && (g_ascii_isalnum(*d) || *d == '.' || *d == '-'))
		d++;
	orgs_add_host(o, at, d - at);
}

static gboolean
orgs_has(const struct orgs *o, const char *host, gsize len)
{
	char *org = org_of(host, len);
	gboolean yes = FALSE;
	guint i;

	for (i = 0; org != NULL && i < o->n && !yes; i++)
		yes = strcmp(o->name[i], org) == 0;
	g_free(org);
	return yes;
}

/* header_from - the From of a header block (a forwarded mail). */
static void
header_from(struct orgs *o, const char *text, gsize len)
{
	const char *p = text, *end = text + MIN(len, ROLES_HEADER_SCAN), *eol;

	while (p < end && *p != '\n') {
		eol = memchr(p, '\n', end - p);
		if (eol == NULL)
			eol = end;
		if (g_ascii_strncasecmp(p, "From:", 5) == 0) {
			orgs_add_address(o, p + 5, eol);
			return;
		}
		p = eol + 1;
	}
}

/* inline_from - the first quoted "From: ... <a@b>" line of an inline
 * forward ("> From:", "*From:*", Outlook's "From: ... Sent: ..."). */
static void
inline_from(struct orgs *o, const char *text, gsize len)
{
	const char *p = text, *end = text + len, *eol, *q;

	while (p < end) {
		eol = memchr(p, '\n', end - p);
		if (eol == NULL)
			eol = end;
		for (q = p; q < eol && (*q == '>' || *q == ' ' ||
		    *q == '*' || *q == '\t'); q++)
			;
		if (eol - q > 5 && g_ascii_strncasecmp(q, "From:", 5) == 0 &&
		    memchr(q, '@', eol - q) != NULL) {
			orgs_add_address(o, q + 5, eol);
			return;
		}
		p = eol + 1;
	}
}

/* signature - e-mail addresses alone on a line ("abuse@cert.example",
 * "E-Mail: <abuse@cert.example>") in the last lines of a text part: the
 * signature of whoever wrote it. */
static void
signature(struct orgs *o, const char *text, gsize len)
{
	const char *p, *end = text + len, *eol, *q, *at;

	p = len > ROLES_SIG_TAIL ? end - ROLES_SIG_TAIL : text;
	while (p < end) {
		eol = memchr(p, '\n', end - p);
		if (eol == NULL)
			eol = end;
		q = p;
		while (q < eol && (*q == ' ' || *q == '\t' || *q == '>'))
			q++;
		/* an optional "Label:" without blanks */
		for (at = q; at < eol && *at != ' ' && *at != ':'; at++)
			;
		if (at < eol && *at == ':' && memchr(q, '@', at - q) == NULL)
			for (q = at + 1; q < eol && (*q == ' ' || *q == '\t');
			    q++)
				;
		if (q < eol && *q == '<')
			q++;
		for (at = q; at < eol && !g_ascii_isspace(*at) &&
		    *at != '>'; at++)
			;
		if (at > q && memchr(q, '@', at - q) != NULL) {
			const char *t = at;

			while (t < eol && (*t == '>' || g_ascii_isspace(*t)))
				t++;
			if (t == eol)
				orgs_add_address(o, q, at);
		}
		p = eol + 1;
	}
}

static void
collect(const struct report *r, struct orgs *o)
{
	gboolean fwd = r->format != NULL && strcmp(r->format, "forward") == 0;
	guint i;

	orgs_add_address(o, r->from, NULL);
	orgs_add_address(o, r->reporter, NULL);
	for (i = 0; i < r->findings->len; i++) {
		const struct finding *f = g_ptr_array_index(r->findings, i);

		if (f->kind == FINDING_EMAIL &&
		    f->role == FINDING_ROLE_REPORTER)
			orgs_add_address(o, f->value, NULL);
	}
	if (r->kind != REPORT_KIND_ABUSE)
		return;
	for (i = 0; i < r->parts->len; i++) {
		const struct report_part *p = g_ptr_array_index(r->parts, i);

		if (g_str_has_prefix(p->content_type, "text/plain") &&
		    p->filename == NULL)
			signature(o, p->text, p->text_len);
		if (!fwd)
			continue;
		if (p->depth == 1 && strcmp(p->content_type,
		    "message/rfc822") == 0)
			header_from(o, p->text, p->text_len);
		else if (p->depth == 0 &&
		    g_str_has_prefix(p->content_type, "text/"))
			inline_from(o, p->text, p->text_len);
	}
}

void
report_roles_reporter(struct report *r)
{
	struct orgs o = { .n = 0 };
	const char *h;
	gsize len;
	guint i;

	g_return_if_fail(r != NULL);
	collect(r, &o);
	for (i = 0; i < r->findings->len && o.n > 0; i++) {
		struct finding *f = g_ptr_array_index(r->findings, i);

		if (f->source != NULL && strchr(f->source, ':') != NULL)
			continue;
		if (f->role != FINDING_ROLE_OFFENDER &&
		    f->role != FINDING_ROLE_CONTEXT)
			continue;
		if (f->kind == FINDING_URL) {
			if ((len = report_url_host(f->value, &h)) == 0)
				continue;
		} else if (f->kind == FINDING_DOMAIN) {
			h = f->value;
			len = strlen(h);
		} else if (f->kind == FINDING_EMAIL) {
			if ((h = strrchr(f->value, '@')) == NULL)
				continue;
			len = strlen(++h);
		} else
			continue;
		if (orgs_has(&o, h, len))
			f->role = FINDING_ROLE_REPORTER;
	}
	for (i = 0; i < o.n; i++)
		g_free(o.name[i]);
}
