/*
 * fmt_spamcop.c: SpamCop reports (formats.md section 6).
 *
 * Defines fmt_spamcop_probe() and fmt_spamcop_extract().  Three kinds:
 *   per-spam report  From <id>@reports.spamcop.net, Subject
 *     "[SpamCop (<IP or URL>) id:<id>]...", X-SpamCop-sourceip: (may be
 *     empty or uncompressed IPv6).  The report text before the spam
 *     ("[ Offending message ]", old "Offending message:", or the BEGIN
 *     FORWARDED MESSAGE marker) gives "Email from <IP> / <date>" (offender,
 *     observed_at from the date) and "Spamvertised web site: <URL>"
 *     (offender); every spamcop.net link there (the w3m?i= tracking link,
 *     open-proxy notes) is context.  The spam itself is left to the rules.
 *   summary report  From summaries@admin.spamcop.net: the fixed-width
 *     table "IP_Address Start/Length Trap User Mole Simp Comments", RDNS
 *     name on the next line: each IP an offender with attrs "trap= user=
 *     mole= simp=", the RDNS name a context domain.
 *   ARF variant  multipart/report whose User-Agent names spamcop: the ARF
 *     handler reads the fields; only format and category are set here.
 * All give format "spamcop", category spam / taxonomy abusive-content,
 * and the SpamCop id as ticket "SpamCop#<id>".
 */
#include "config.h"

#include <string.h>

#include "parse/parse_int.h"

static const char *const spam_markers[] = {
	"[ Offending message ]", "Offending message:",
	"BEGIN FORWARDED MESSAGE",
};

static gboolean
from_ends(const struct report *r, const char *domain)
{
	return r->from != NULL && g_str_has_suffix(r->from, domain);
}

static gboolean
is_summary(const struct report *r)
{
	return from_ends(r, "@admin.spamcop.net") || (r->subject != NULL &&
	    g_str_has_prefix(r->subject, "[SpamCop] summary report"));
}

/* arf_spamcop - an ARF report whose feedback part names spamcop. */
static gboolean
arf_spamcop(const struct report *r)
{
	guint i;

	for (i = 0; i < r->parts->len; i++) {
		const struct report_part *p = g_ptr_array_index(r->parts, i);

		if (strcmp(p->content_type, "message/feedback-report") == 0 &&
		    g_strstr_len(p->text, MIN(p->text_len, 4096),
		    "spamcop") != NULL)
			return TRUE;
	}
	return FALSE;
}

gboolean
fmt_spamcop_probe(const struct report *r, const struct parse_hints *h)
{
	(void)h;
	if (r->kind != REPORT_KIND_ABUSE)
		return FALSE;
	return from_ends(r, "@reports.spamcop.net") || is_summary(r) ||
	    report_header(r, "X-SpamCop-sourceip") != NULL ||
	    (r->subject != NULL && g_str_has_prefix(r->subject,
	    "[SpamCop (")) || arf_spamcop(r);
}

/* ticket - "SpamCop#<id>" from "id:<digits>" in the Subject. */
static void
ticket(struct report *r)
{
	const char *s = r->subject != NULL ? strstr(r->subject, " id:") :
	    NULL;
	gsize n;
	char *t;

	if (s == NULL)
		return;
	s += 4;
	for (n = 0; n < 20 && g_ascii_isdigit(s[n]); n++)
		;
	if (n == 0)
		return;
	t = g_strdup_printf("SpamCop#%.*s", (int)n, s);
	report_add_ticket(r, t);
	g_free(t);
}

/* line_value - the rest of the line after prefix at s, trimmed. */
static const char *
line_value(const char *s, const char *end, gsize *len)
{
	const char *e;

	while (s < end && (*s == ' ' || *s == '\t'))
		s++;
	if (s >= end) {
		*len = 0;
		return end;
	}
	e = memchr(s, '\n', (gsize)(end - s));
	if (e == NULL)
		e = end;
	while (e > s && g_ascii_isspace(e[-1]))
		e--;
	*len = e - s;
	return s;
}

/* links - every spamcop.net URL in [t, end) as context. */
static void
links(struct report *r, const struct report_part *p, const char *end)
{
	const char *t = p->text, *s, *e;

	for (s = t; (s = g_strstr_len(s, end - s, "http")) != NULL; s = e) {
		e = s + strcspn(s, " \t\n<>\"");
		if (e > end)
			e = end;
		if ((g_str_has_prefix(s, "http://") ||
		    g_str_has_prefix(s, "https://")) &&
		    g_strstr_len(s, MIN(e - s, 40), "spamcop.net") != NULL)
			fmt_add(r, p, FINDING_URL, FINDING_ROLE_CONTEXT, s,
			    e - s, s - t, "spamcop:link");
		if (e == s)
			e++;
	}
}

/* per_spam - the report text of part p, up to the spam. */
static void
per_spam(struct report *r, const struct report_part *p)
{
	const char *t = p->text, *end = t + p->text_len, *s, *v, *m;
	struct finding *f;
	gsize len, ipl;
	guint i;

	for (i = 0; i < G_N_ELEMENTS(spam_markers); i++)
		if ((m = g_strstr_len(t, end - t, spam_markers[i])) != NULL)
			end = m;
	if ((s = g_strstr_len(t, end - t, "Email from ")) != NULL) {
		v = line_value(s + 11, end, &len);
		ipl = strcspn(v, " /\n");
		ipl = MIN(ipl, len);
		f = fmt_add(r, p, memchr(v, ':', ipl) != NULL ? FINDING_IPV6 :
		    FINDING_IPV4, FINDING_ROLE_OFFENDER, v, ipl, v - t,
		    "spamcop:Email-from");
		if (f != NULL && f->observed_at == NULL &&
		    (m = memchr(v, '/', len)) != NULL) {
			m++;
			f->observed_at = fmt_date_iso(r->arena, m,
			    len - (m - v));
			if (r->event_time == NULL)
				r->event_time = f->observed_at;
		}
	}
	for (s = t; (s = g_strstr_len(s, end - s, "Spamvertised web site:")) !=
	    NULL; s += 22) {
		v = line_value(s + 22, end, &len);
		fmt_add(r, p, FINDING_URL, FINDING_ROLE_OFFENDER, v, len,
		    v - t, "spamcop:Spamvertised");
	}
	links(r, p, end);
}

/* summary - the IP table of a summary report. */
static void
summary(struct report *r, const struct report_part *p)
{
	const char *t = p->text, *end = t + p->text_len, *line, *eol;
	struct finding *f = NULL;
	enum finding_kind kind;
	char **tok;
	char *l;
	guint n, i;

	for (line = t; line < end; line = eol + 1) {
		if ((eol = memchr(line, '\n', end - line)) == NULL)
			eol = end;
		l = g_strndup(line, MIN(eol - line, 400));
		tok = g_strsplit_set(g_strstrip(l), " \t", -1);
		for (n = 0, i = 0; tok[i] != NULL; i++)
			if (*tok[i] != '\0')
				tok[n++] = tok[i];
			else
				g_free(tok[i]);
		tok[n] = NULL;
		if (n == 1 && f != NULL && line[0] == ' ' &&
		    strchr(tok[0], '.') != NULL)	/* its RDNS name */
			fmt_add(r, p, FINDING_DOMAIN, FINDING_ROLE_CONTEXT,
			    tok[0], strlen(tok[0]),
			    strstr(line, tok[0]) - t, "spamcop:rdns");
		f = NULL;
		kind = n >= 6 ? fmt_guess_kind(tok[0], strlen(tok[0])) :
		    FINDING_DOMAIN;
		for (i = 1; (kind == FINDING_IPV4 || kind == FINDING_IPV6) &&
		    line[0] != ' ' && i + 4 <= n; i++)
			if (strchr(tok[i], '/') != NULL) {
				f = fmt_add(r, p, kind, FINDING_ROLE_OFFENDER,
				    tok[0], strlen(tok[0]), line - t,
				    "spamcop:summary");
				if (f != NULL && f->attrs == NULL)
					f->attrs = arena_printf(r->arena,
					    "trap=%s user=%s mole=%s simp=%s",
					    tok[i + 1], tok[i + 2], tok[i + 3],
					    i + 4 < n ? tok[i + 4] : "0");
				break;
			}
		g_strfreev(tok);
		g_free(l);
		if (eol == end)
			break;
	}
}

void
fmt_spamcop_extract(struct report *r, const struct parse_hints *h)
{
	const struct report_part *p = NULL;
	const char *ip = report_header(r, "X-SpamCop-sourceip");
	guint i;

	(void)h;
	for (i = 0; i < r->parts->len && p == NULL; i++) {
		p = g_ptr_array_index(r->parts, i);
		if (!g_str_has_prefix(p->content_type, "text/plain") ||
		    p->text_len == 0)
			p = NULL;
	}
	if (strcmp(r->format, "arf") != 0 && p != NULL) {
		if (is_summary(r))
			summary(r, p);
		else
			per_spam(r, p);
	}
	if (ip != NULL && *ip != '\0')
		fmt_add(r, NULL, fmt_guess_kind(ip, strlen(ip)),
		    FINDING_ROLE_OFFENDER, ip, strlen(ip), 0,
		    "spamcop:X-SpamCop-sourceip");
	ticket(r);
	r->format = "spamcop";
	fmt_set_class(r, "spam", "abusive-content");
}
