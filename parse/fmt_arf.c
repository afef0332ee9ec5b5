/*
 * fmt_arf.c: ARF feedback reports (RFC 5965, 6430, 6591, 6650, 6692,
 * 7489 forensic reports) and Microsoft JMRP / Hotmail complaints.
 *
 * Defines fmt_arf_probe() and fmt_arf_extract().  Every field of the
 * message/feedback-report part is read (folded lines joined; a text part
 * that is a feedback report under a wrong type counts too, with a
 * warning).  Source-IP (a CFWS comment dropped) is the offender, with
 * Source-Port and Arrival-Date (or the draft-era Received-Date);
 * Reported-Domain and Reported-URI are offenders; Original-Mail-From is
 * context, Original-Rcpt-To and Removal-Recipient victims, the
 * Reporting-MTA host the reporter.  Feedback-Type gives the IntelMQ
 * classification; not-spam, opt-out, auth-failure and DMARC forensic
 * reports are kind NOTICE.  A JMRP complaint has no feedback part: its
 * source is the IP of the Subject "complaint about message from <IP>",
 * else the first public address of the attached message's Received lines.
 */
#include "config.h"

#include <string.h>

#include "parse/parse_int.h"

#define ARF_MAX_FIELDS	256

struct afield {
	const char	*name;		/* in the part text, not NUL-ended */
	gsize		 nlen;
	const char	*val;
	gsize		 vlen;		/* first line only */
	gsize		 off;
};

struct arf {
	const struct report_part *p;
	struct afield	 f[ARF_MAX_FIELDS];
	guint		 n;
};

static const struct {
	const char	*type, *category, *taxonomy;
} feedback_types[] = {
	{ "abuse", "spam", "abusive-content" },
	{ "fraud", "phishing", "fraud" },
	{ "virus", "malware-distribution", "malicious-code" },
	{ "other", "other", "other" },
};

/* scan - the "Name: value" fields of the part (continuations skipped). */
static void
scan(struct arf *a)
{
	const char *t = a->p->text, *end = t + a->p->text_len, *line, *eol;
	const char *colon;
	struct afield *f;

	for (line = t; line < end && a->n < ARF_MAX_FIELDS; line = eol + 1) {
		if ((eol = memchr(line, '\n', end - line)) == NULL)
			eol = end;
		colon = memchr(line, ':', eol - line);
		if (colon != NULL && colon > line && !g_ascii_isspace(*line) &&
		    memchr(line, ' ', colon - line) == NULL) {
			f = &a->f[a->n++];
			f->name = line;
			f->nlen = colon - line;
			f->val = colon + 1;
			f->vlen = eol - f->val;
			if (f->vlen > 0 && f->val[f->vlen - 1] == '\r')
				f->vlen--;
			f->off = f->val - t;
		}
		if (eol == end)
			break;
	}
}

static gboolean
name_is(const struct afield *f, const char *name)
{
	return f->nlen == strlen(name) &&
	    g_ascii_strncasecmp(f->name, name, f->nlen) == 0;
}

static const struct afield *
get(const struct arf *a, const char *name)
{
	guint i;

	for (i = 0; i < a->n; i++)
		if (name_is(&a->f[i], name))
			return &a->f[i];
	return NULL;
}

static gboolean
val_is(const struct afield *f, const char *v)
{
	const char *s = f->val;
	gsize n = f->vlen, vl = strlen(v);

	while (n > 0 && g_ascii_isspace(*s)) {
		s++;
		n--;
	}
	return n >= vl && g_ascii_strncasecmp(s, v, vl) == 0 &&
	    (n == vl || (!g_ascii_isalnum(s[vl]) && s[vl] != '-'));
}

static gboolean
looks_like_feedback(const struct report_part *p)
{
	return g_str_has_prefix(p->text, "Feedback-Type:") ||
	    strstr(p->text, "\nFeedback-Type:") != NULL ||
	    strstr(p->text, "\nFeedback-type:") != NULL ||
	    g_ascii_strncasecmp(p->text, "feedback-type:", 14) == 0;
}

static const struct report_part *
feedback_part(const struct report *r, gboolean *typed)
{
	const struct report_part *p;
	guint i;

	for (i = 0; i < r->parts->len; i++) {
		p = g_ptr_array_index(r->parts, i);
		if (p->depth > 0 && r->case_tag != NULL)
			continue;
		if (strcmp(p->content_type, "message/feedback-report") == 0) {
			*typed = TRUE;
			return p;
		}
	}
	for (i = 0; i < r->parts->len; i++) {
		p = g_ptr_array_index(r->parts, i);
		if (p->depth == 0 && g_str_has_prefix(p->content_type,
		    "text/") && looks_like_feedback(p)) {
			*typed = FALSE;
			return p;
		}
	}
	return NULL;
}

static gboolean
is_jmrp(const struct report *r)
{
	return report_header(r, "X-HmXmrOriginalRecipient") != NULL ||
	    (r->subject != NULL && g_ascii_strncasecmp(r->subject,
	    "complaint about message from ", 29) == 0);
}

gboolean
fmt_arf_probe(const struct report *r, const struct parse_hints *h)
{
	gboolean typed;

	(void)h;
	if (strcmp(r->format, "arf") == 0)
		return TRUE;
	if (r->kind != REPORT_KIND_ABUSE || (strcmp(r->format, "plain") != 0 &&
	    strcmp(r->format, "forward") != 0))
		return FALSE;
	return is_jmrp(r) || feedback_part(r, &typed) != NULL;
}

static struct finding *
add(struct report *r, const struct arf *a, const struct afield *f,
    enum finding_kind kind, enum finding_role role, const char *source)
{
	return fmt_add(r, a->p, kind, role, f->val, f->vlen, f->off, source);
}

static void
classify(struct report *r, const struct arf *a)
{
	const struct afield *ft = get(a, "Feedback-Type");
	guint i;

	if (get(a, "Auth-Failure") != NULL || (ft != NULL &&
	    (val_is(ft, "auth-failure") || val_is(ft, "not-spam") ||
	    val_is(ft, "opt-out")))) {
		r->kind = REPORT_KIND_NOTICE;
		return;
	}
	if (ft == NULL)
		return;
	for (i = 0; i < G_N_ELEMENTS(feedback_types); i++)
		if (val_is(ft, feedback_types[i].type)) {
			fmt_set_class(r, feedback_types[i].category,
			    feedback_types[i].taxonomy);
			return;
		}
}

/* source_ip - "148.163.85.135 (sainay.example.org)" */
static struct finding *
source_ip(struct report *r, const struct arf *a, const struct afield *f)
{
	struct afield v = *f;
	const char *c;

	if ((c = memchr(v.val, '(', v.vlen)) != NULL)
		v.vlen = c - v.val;
	return add(r, a, &v, fmt_guess_kind(v.val, v.vlen) == FINDING_IPV6 ?
	    FINDING_IPV6 : FINDING_IPV4, FINDING_ROLE_OFFENDER,
	    "arf:Source-IP");
}

/* reporting_mta - "dns; mx.example.net" */
static void
reporting_mta(struct report *r, const struct arf *a, const struct afield *f)
{
	struct afield v = *f;
	const char *c;

	if ((c = memchr(v.val, ';', v.vlen)) != NULL) {
		v.off += c + 1 - v.val;
		v.vlen -= c + 1 - v.val;
		v.val = c + 1;
	}
	add(r, a, &v, fmt_guess_kind(v.val, v.vlen) == FINDING_IPV6 ?
	    FINDING_IPV6 : fmt_guess_kind(v.val, v.vlen) == FINDING_IPV4 ?
	    FINDING_IPV4 : FINDING_DOMAIN, FINDING_ROLE_REPORTER,
	    "arf:Reporting-MTA");
}

/* others - context, victims and the reporter, after the offenders. */
static void
others(struct report *r, const struct arf *a)
{
	const struct afield *f;
	guint i;

	for (i = 0; i < a->n; i++) {
		f = &a->f[i];
		if (name_is(f, "Original-Mail-From") &&
		    memchr(f->val, '@', f->vlen) != NULL)
			add(r, a, f, FINDING_EMAIL, FINDING_ROLE_CONTEXT,
			    "arf:Original-Mail-From");
		else if ((name_is(f, "Original-Rcpt-To") ||
		    name_is(f, "Removal-Recipient")) &&
		    memchr(f->val, '@', f->vlen) != NULL)
			add(r, a, f, FINDING_EMAIL, FINDING_ROLE_VICTIM,
			    name_is(f, "Removal-Recipient") ?
			    "arf:Removal-Recipient" : "arf:Original-Rcpt-To");
		else if (name_is(f, "Reporting-MTA"))
			reporting_mta(r, a, f);
	}
}

static void
fields(struct report *r, struct arf *a)
{
	const struct afield *f, *d, *pt;
	const char *when = NULL, *attrs = NULL;
	struct finding *fd;
	guint i, port = 0;

	if ((d = get(a, "Arrival-Date")) != NULL ||
	    (d = get(a, "Received-Date")) != NULL)
		when = fmt_date_iso(r->arena, d->val, d->vlen);
	if (when != NULL)
		r->event_time = when;
	if ((pt = get(a, "Source-Port")) != NULL) {
		char *s = g_strndup(pt->val, pt->vlen);

		port = (guint)g_ascii_strtoull(g_strstrip(s), NULL, 10);
		port = port > 65535 ? 0 : port;
		g_free(s);
	}
	if ((f = get(a, "Incidents")) != NULL && f->vlen < 32)
		attrs = arena_printf(r->arena, "incidents=%.*s",
		    (int)f->vlen, f->val);
	for (i = 0; i < a->n; i++) {
		f = &a->f[i];
		fd = NULL;
		if (name_is(f, "Source-IP") || name_is(f, "Source-Ip"))
			fd = source_ip(r, a, f);
		else if (name_is(f, "Reported-Domain"))
			fd = add(r, a, f, FINDING_DOMAIN,
			    FINDING_ROLE_OFFENDER, "arf:Reported-Domain");
		else if (name_is(f, "Reported-URI"))
			fd = add(r, a, f, fmt_guess_kind(f->val, f->vlen) ==
			    FINDING_DOMAIN ? FINDING_DOMAIN : FINDING_URL,
			    FINDING_ROLE_OFFENDER, "arf:Reported-URI");
		if (fd != NULL && fd->role == FINDING_ROLE_OFFENDER) {
			if (fd->kind == FINDING_IPV4 ||
			    fd->kind == FINDING_IPV6)
				fd->port = port;
			if (fd->observed_at == NULL)
				fd->observed_at = when;
			if (fd->attrs == NULL)
				fd->attrs = attrs;
		}
	}
}

/* received_ip - the first public [address] of the Received lines. */
static void
jmrp_received(struct report *r, const struct report_part *p)
{
	const char *s = p->text, *end = s + p->text_len, *b, *e;
	char *v;
	const char *why;

	while (s < end && (s = g_strstr_len(s, end - s, "Received:")) != NULL) {
		const char *eol = memchr(s, '\n', end - s);

		eol = eol != NULL ? eol : end;
		s += 9;
		if ((b = memchr(s, '[', eol - s)) == NULL ||
		    (e = memchr(b, ']', eol - b)) == NULL)
			continue;
		v = parse_normalise(r->arena, fmt_guess_kind(b + 1, e - b - 1)
		    == FINDING_IPV6 ? FINDING_IPV6 : FINDING_IPV4, b + 1,
		    e - b - 1);
		if (v == NULL || finding_value_is_special(
		    strchr(v, ':') != NULL ? FINDING_IPV6 : FINDING_IPV4, v,
		    &why))
			continue;
		fmt_add(r, p, strchr(v, ':') != NULL ? FINDING_IPV6 :
		    FINDING_IPV4, FINDING_ROLE_OFFENDER, b + 1, e - b - 1,
		    b + 1 - p->text, "jmrp:Received");
		return;
	}
}

static void
jmrp(struct report *r)
{
	const char *s = r->subject, *rcpt;
	const struct report_part *p;
	guint i;

	r->format = "jmrp";
	fmt_set_class(r, "spam", "abusive-content");
	if ((rcpt = report_header(r, "X-HmXmrOriginalRecipient")) != NULL)
		fmt_add(r, NULL, FINDING_EMAIL, FINDING_ROLE_VICTIM, rcpt,
		    strlen(rcpt), 0, "jmrp:X-HmXmrOriginalRecipient");
	if (s != NULL && g_ascii_strncasecmp(s,
	    "complaint about message from ", 29) == 0) {
		s += 29;
		if (fmt_add(r, NULL, fmt_guess_kind(s, strlen(s)) ==
		    FINDING_IPV6 ? FINDING_IPV6 : FINDING_IPV4,
		    FINDING_ROLE_OFFENDER, s, strcspn(s, " \t"), 0,
		    "jmrp:Subject") != NULL)
			return;
	}
	for (i = 0; i < r->parts->len; i++) {
		p = g_ptr_array_index(r->parts, i);
		if (strcmp(p->content_type, "message/rfc822") == 0) {
			jmrp_received(r, p);
			return;
		}
	}
}

void
fmt_arf_extract(struct report *r, const struct parse_hints *h)
{
	struct arf a;
	gboolean typed = FALSE;

	(void)h;
	memset(&a, 0, sizeof(a));
	if ((a.p = feedback_part(r, &typed)) == NULL) {
		if (is_jmrp(r))
			jmrp(r);
		else
			report_warn(r, "ARF report without a "
			    "message/feedback-report part");
		return;
	}
	r->format = "arf";
	if (!typed)
		report_warn(r, "part %s: feedback report sent as %s",
		    a.p->path, a.p->content_type);
	scan(&a);
	if (get(&a, "Feedback-Type") == NULL)
		report_warn(r, "part %s: feedback report without "
		    "Feedback-Type", a.p->path);
	if (get(&a, "User-Agent") == NULL && get(&a, "Feedback-Agent") == NULL)
		report_warn(r, "part %s: feedback report without User-Agent",
		    a.p->path);
	if (get(&a, "Version") == NULL)
		report_warn(r, "part %s: feedback report without Version",
		    a.p->path);
	classify(r, &a);
	fields(r, &a);
	others(r, &a);
}
