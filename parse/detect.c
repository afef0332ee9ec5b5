/*
 * detect.c: what kind of mail a report is, and in which format.
 *
 * Defines parse_detect() and parse_detect_xarf_part().  Formats, checked
 * in this order: "dsn" (delivery status: kind BOUNCE), "xarf" (X-ARF
 * header or a report.txt YAML part), "arf" (feedback report; auth-failure
 * gives kind NOTICE), "dmarc" (aggregate report: NOTICE), "bounce" (a
 * plain-text non-delivery notice), "forward" and "plain".  Abuse formats
 * win over auto-reply markers (X-ARF mails carry Auto-Submitted too).
 * For the others: an auto-reply (RFC 3834, X-Autoreply, vacation
 * subjects) is AUTOREPLY, a message naming one of our cases as a reply is
 * REPLY, anything else ABUSE.  Parts nested in an attached message count
 * for the format only when the mail names none of our cases: a hoster
 * replying with our takedown attached is a reply, not a new report.
 */
#include "config.h"

#include <string.h>

#include "parse/parse_int.h"

static const char *const reply_prefixes[] = {
	"re:", "re :", "aw:", "antw:", "sv:", "vs:", "odp:", "r:", "res:",
	"tr:", "wg:", "fw:", "fwd:", "返信:", "返信：", "re：", "回复:",
	"回复：",
};

static const char *const autoreply_subjects[] = {
	"auto:", "autoreply", "auto-reply", "auto reply", "auto response",
	"automatic reply", "autosvar", "out of office", "out of the office",
	"abwesenheitsnotiz", "réponse automatique",
	"自動返信", "自動応答",
	"vacation", "ticket received", "we have received your",
};

/* Ticket-system acknowledgements, anywhere in the subject. */
static const char *const ack_phrases[] = {
	"ticket received", "ticket created", "ticket has been created",
	"we have received your", "automatic reply", "auto-reply",
	"autoreply", "out of office", "abwesenheitsnotiz",
	"eingangsbestätigung", "受付のお知らせ", "自動返信",
};

static const char *const forward_markers[] = {
	"---------- Forwarded message ---------",
	"-----Original Message-----",
	"Begin forwarded message:",
	"-------- Forwarded Message --------",
	"-------- Original Message --------",
	"-------- Weitergeleitete Nachricht --------",
	"----- Forwarded message from",
	"-----Ursprüngliche Nachricht-----",
	"転送メッセージ",
};

static gboolean
has_part(const struct report *r, const char *ct, gboolean nested)
{
	guint i;

	for (i = 0; i < r->parts->len; i++) {
		const struct report_part *p = g_ptr_array_index(r->parts, i);

		if ((nested || p->depth == 0) &&
		    strcmp(p->content_type, ct) == 0)
			return TRUE;
	}
	return FALSE;
}

static gboolean
starts_with_any(const char *s, const char *const *list, gsize n)
{
	char *low;
	gsize i;
	gboolean yes = FALSE;

	if (s == NULL)
		return FALSE;
	while (*s == ' ' || *s == '\t')
		s++;
	low = g_utf8_strdown(s, -1);
	for (i = 0; i < n && !yes; i++)
		yes = g_str_has_prefix(low, list[i]);
	g_free(low);
	return yes;
}

static gboolean
contains_any(const char *s, const char *const *list, gsize n)
{
	char *low;
	gsize i;
	gboolean yes = FALSE;

	if (s == NULL)
		return FALSE;
	low = g_utf8_strdown(s, -1);
	for (i = 0; i < n && !yes; i++)
		yes = strstr(low, list[i]) != NULL;
	g_free(low);
	return yes;
}

/* yaml_key - the text has a line "key:" (case-insensitive). */
static gboolean
yaml_key(const char *text, const char *key)
{
	gsize kl = strlen(key);
	const char *p = text;

	while (p != NULL && *p != '\0') {
		while (*p == ' ')
			p++;
		if (g_ascii_strncasecmp(p, key, kl) == 0 && p[kl] == ':')
			return TRUE;
		if ((p = strchr(p, '\n')) != NULL)
			p++;
	}
	return FALSE;
}

const struct report_part *
parse_detect_xarf_part(const struct report *r)
{
	guint i;

	for (i = 0; i < r->parts->len; i++) {
		const struct report_part *p = g_ptr_array_index(r->parts, i);
		gboolean named = p->filename != NULL &&
		    g_ascii_strcasecmp(p->filename, "report.txt") == 0;

		if (p->depth > 0 && r->case_tag != NULL)
			continue;
		if (!named && strcmp(p->content_type, "text/plain") != 0)
			continue;
		if (!yaml_key(p->text, "Reported-From") &&
		    !yaml_key(p->text, "Category") &&
		    !yaml_key(p->text, "Report-Type"))
			continue;
		if (named || (yaml_key(p->text, "Report-Type") &&
		    yaml_key(p->text, "Source-Type")))
			return p;
	}
	return NULL;
}

/* feedback_type - Feedback-Type of the first feedback-report part. */
static gboolean
feedback_is(const struct report *r, const char *type)
{
	guint i;

	for (i = 0; i < r->parts->len; i++) {
		const struct report_part *p = g_ptr_array_index(r->parts, i);
		const char *v;

		if (strcmp(p->content_type, "message/feedback-report") != 0)
			continue;
		for (v = p->text; v != NULL; v = strchr(v, '\n')) {
			while (*v == '\n' || *v == ' ')
				v++;
			if (g_ascii_strncasecmp(v, "Feedback-Type:", 14) != 0)
				continue;
			v += 14;
			while (*v == ' ' || *v == '\t')
				v++;
			return g_ascii_strncasecmp(v, type, strlen(type)) == 0;
		}
		return FALSE;
	}
	return FALSE;
}

static gboolean
is_dmarc_aggregate(const struct report *r)
{
	guint i;

	if (r->subject != NULL && strstr(r->subject, "Report Domain:") &&
	    strstr(r->subject, "Report-ID:"))
		return TRUE;
	for (i = 0; i < r->parts->len; i++) {
		const struct report_part *p = g_ptr_array_index(r->parts, i);

		if (p->depth == 0 && p->filename != NULL &&
		    strchr(p->filename, '!') != NULL &&
		    (g_str_has_suffix(p->filename, ".xml.gz") ||
		    g_str_has_suffix(p->filename, ".zip") ||
		    g_str_has_suffix(p->filename, ".xml")))
			return TRUE;
	}
	return FALSE;
}

/* skip_tags - s after leading "[...]" tags and reply prefixes
 * ("[Ticket#1] Re: [CASE-1] Ticket received"). */
static const char *
skip_tags(const char *s)
{
	const char *e;
	int n;

	for (n = 0; s != NULL && n < 8; n++) {
		while (*s == ' ' || *s == '\t')
			s++;
		if (*s == '[' && (e = strchr(s, ']')) != NULL)
			s = e + 1;
		else if (g_ascii_strncasecmp(s, "re:", 3) == 0 ||
		    g_ascii_strncasecmp(s, "aw:", 3) == 0)
			s += 3;
		else
			break;
	}
	return s;
}

static gboolean
is_autoreply(const struct report *r)
{
	const char *as = report_header(r, "Auto-Submitted");
	const char *prec = report_header(r, "Precedence");
	char *v;
	gboolean yes;

	if (report_header(r, "X-Autoreply") != NULL ||
	    report_header(r, "X-Autorespond") != NULL ||
	    (prec != NULL && g_ascii_strcasecmp(prec, "auto_reply") == 0) ||
	    starts_with_any(skip_tags(r->subject), autoreply_subjects,
	    G_N_ELEMENTS(autoreply_subjects)) ||
	    contains_any(r->subject, ack_phrases, G_N_ELEMENTS(ack_phrases)))
		return TRUE;
	if (as == NULL)
		return FALSE;
	v = g_ascii_strdown(as, -1);
	v[strcspn(v, ";(")] = '\0';
	g_strstrip(v);
	yes = g_str_has_prefix(v, "auto-replied") ||
	    /* auto-generated mail is a feed unless it answers us */
	    (!g_str_has_prefix(v, "no") &&
	    (r->case_tag != NULL || r->in_reply_to != NULL));
	g_free(v);
	return yes;
}

static gboolean
is_reply(const struct report *r)
{
	if (r->case_tag == NULL)
		return FALSE;
	return starts_with_any(r->subject, reply_prefixes,
	    G_N_ELEMENTS(reply_prefixes)) ||
	    parse_case_tag_scan(r->in_reply_to, TRUE, NULL) ||
	    parse_case_tag_scan(r->references, TRUE, NULL);
}

static gboolean
is_plain_bounce(const struct report *r)
{
	static const char *const subjects[] = {
		"undeliver", "delivery status notification", "returned mail",
		"mail delivery failed", "delivery failure",
		"failure notice", "non remis", "unzustellbar",
		"delivery has failed", "could not be delivered",
		"nicht zustellbar", "returned to sender", "配信不能",
	};
	const char *at;

	/* Exim names the failed recipients in a header of its own. */
	if (report_header(r, "X-Failed-Recipients") != NULL)
		return TRUE;
	if (r->from == NULL || (at = strchr(r->from, '@')) == NULL)
		return FALSE;
	if (g_ascii_strncasecmp(r->from, "mailer-daemon@", 14) != 0 &&
	    g_ascii_strncasecmp(r->from, "postmaster@", 11) != 0 &&
	    g_ascii_strncasecmp(r->from, "mail-daemon@", 12) != 0)
		return FALSE;
	return contains_any(r->subject, subjects, G_N_ELEMENTS(subjects));
}

static const char *const fwd_prefixes[] = {
	"fwd:", "fw:", "wg:", "tr:", "转发:", "転送:",
};

/* quoted_header - a "From:" line (quoted with "> " or not) followed
 * within three lines by "Sent:", "Date:", "Gesendet:" or "Subject:"
 * in the first 32 KB of text. */
static gboolean
quoted_header(const char *text, gsize len)
{
	static const char *const next[] = {
		"sent:", "date:", "gesendet:", "subject:", "to:", "datum:",
	};
	const char *p = text, *end = text + MIN(len, 32768), *eol;
	int after = -1;
	gsize j;

	while (p < end) {
		eol = memchr(p, '\n', end - p);
		if (eol == NULL)
			eol = end;
		while (p < eol && (*p == '>' || *p == ' ' || *p == '*'))
			p++;
		if (g_ascii_strncasecmp(p, "from:", 5) == 0)
			after = 0;
		else if (after >= 0 && ++after <= 3)
			for (j = 0; j < G_N_ELEMENTS(next); j++)
				if (g_ascii_strncasecmp(p, next[j],
				    strlen(next[j])) == 0)
					return TRUE;
		p = eol + 1;
	}
	return FALSE;
}

static gboolean
is_forward(const struct report *r, const struct parse_hints *h)
{
	const struct report_part *p;
	guint i, j;

	if (h->top_is_rfc822)
		return TRUE;
	for (i = 0; i < r->parts->len; i++) {
		p = g_ptr_array_index(r->parts, i);
		if (p->depth != 0 ||
		    !g_str_has_prefix(p->content_type, "text/"))
			continue;
		for (j = 0; j < G_N_ELEMENTS(forward_markers); j++)
			if (strstr(p->text, forward_markers[j]) != NULL)
				return TRUE;
		/* Fwd:/FW:/WG: with an Outlook header block or a quoted
		 * "> From:" line; only the first text part is the body. */
		return starts_with_any(r->subject, fwd_prefixes,
		    G_N_ELEMENTS(fwd_prefixes)) && quoted_header(p->text,
		    p->text_len);
	}
	return FALSE;
}

/* is_html_body - the body is HTML: text/html alone or the richest
 * alternative of a multipart/alternative, outside attached messages. */
static gboolean
is_html_body(const struct report *r)
{
	guint i;

	for (i = 0; i < r->parts->len; i++) {
		const struct report_part *p = g_ptr_array_index(r->parts, i);

		if (p->depth == 0 && p->filename == NULL &&
		    strcmp(p->content_type, "text/html") == 0)
			return TRUE;
	}
	return FALSE;
}

/* bounce_case_tag - the case of the takedown a bounce returns, from the
 * returned headers (our Message-ID, else our subject tag). */
static void
bounce_case_tag(struct report *r)
{
	guint i;
	guint64 num;
	int pass;

	for (pass = 0; pass < 2 && r->case_tag == NULL; pass++) {
		for (i = 0; i < r->parts->len; i++) {
			const struct report_part *p =
			    g_ptr_array_index(r->parts, i);
			const char *ct = p->content_type;

			if (strcmp(ct, "text/rfc822-headers") != 0 &&
			    strcmp(ct, "message/rfc822") != 0 &&
			    strcmp(ct, "message/rfc822-headers") != 0)
				continue;
			if (parse_case_tag_scan(p->text, pass == 0, &num)) {
				r->case_tag = arena_printf(r->arena,
				    "CASE-%06" G_GUINT64_FORMAT, num);
				return;
			}
		}
	}
}

void
parse_detect(struct report *r, const struct parse_hints *h)
{
	gboolean nested = r->case_tag == NULL;
	const char *rt = h->report_type;

	r->kind = REPORT_KIND_ABUSE;
	if ((rt != NULL && strcmp(rt, "delivery-status") == 0) ||
	    has_part(r, "message/delivery-status", FALSE) ||
	    has_part(r, "message/global-delivery-status", FALSE)) {
		r->format = "dsn";
		r->kind = REPORT_KIND_BOUNCE;
		bounce_case_tag(r);
	} else if (report_header(r, "X-ARF") != NULL ||
	    report_header(r, "X-XARF") != NULL ||
	    parse_detect_xarf_part(r) != NULL) {
		r->format = "xarf";
	} else if ((rt != NULL && strcmp(rt, "feedback-report") == 0) ||
	    has_part(r, "message/feedback-report", nested)) {
		r->format = "arf";
		if (feedback_is(r, "auth-failure"))
			r->kind = REPORT_KIND_NOTICE;
	} else if (is_dmarc_aggregate(r)) {
		r->format = "dmarc";
		r->kind = REPORT_KIND_NOTICE;
	} else if (is_plain_bounce(r)) {
		r->format = "bounce";
		r->kind = REPORT_KIND_BOUNCE;
		bounce_case_tag(r);
	} else {
		r->format = is_forward(r, h) ? "forward" :
		    is_html_body(r) ? "html" : "plain";
		if (is_autoreply(r))
			r->kind = REPORT_KIND_AUTOREPLY;
		else if (is_reply(r))
			r->kind = REPORT_KIND_REPLY;
	}
}
