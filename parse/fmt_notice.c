/*
 * fmt_notice.c: CSIRT and hoster notices in free text: partner ticket
 * ids, the TLP label, the JPCERT/CC layout, and the sender family.
 *
 * Defines parse_notice_probe() and parse_notice_extract(), the last
 * handler of formats.c (it runs after the structured formats).
 * - Tickets (report_add_ticket), exactly as written without brackets:
 *   "JPCERT#12345678", "CERT-Bund#2026112812000123", "CERT.at #1234567",
 *   RT "rt.cert.example #4711", "Ticket#2026112810000123", "CERT-PL #12",
 *   "Abuse Ticket #AB-1", Netcraft "Issue 12133754".  Bracketed forms
 *   are read in the Subject only; JPCERT# and CERT-Bund# in the body too.
 * - TLP 2.0 label (CLEAR GREEN AMBER AMBER+STRICT RED; TLP 1.0 WHITE is
 *   CLEAR) from the Subject, else the body.
 * - A defanged URL line followed by "(<IP>)" on the next line (JPCERT/CC):
 *   the IP hosts the URL, an offender.  "NetRange or inetnum:" bounds are
 *   context.  "Destination IP" in a log section is a victim (rules).
 * - r->format: a report wrapped in a forward (ARF/X-ARF found only in an
 *   attached message) is "forward"; free-text notices become "jpcert",
 *   "netcraft" or "cert-notice".
 * All scanning is bounded by NOTICE_SCAN bytes per part.
 */
#include "config.h"

#include <string.h>

#include "parse/parse_int.h"

#define NOTICE_SCAN	(64 * 1024)
#define NOTICE_MAX_HITS	64

enum { RX_BODY_TICKET, RX_SUBJ_TICKET, RX_NETCRAFT, RX_TLP, RX_HOSTING,
	RX_INETNUM, RX_COUNT };

static const char *const rx_src[RX_COUNT] = {
	/* body and subject: JPCERT#n, [CERT-Bund#n] */
	"\\b(JPCERT#\\d{4,16}|CERT-Bund#\\s?\\d{4,24})\\b",
	/* subject: [name #id], [Ticket#id], Abuse Ticket [#id] */
	"(?:(Abuse Ticket) )?\\[((?:[A-Za-z][\\w.-]{0,62} ?)?#"
	    "\\s?[A-Za-z0-9][\\w-]{0,40})\\]",
	"^(?:(?:Re|Fwd?|AW|WG):\\s*)*(Issue \\d{3,12}):",
	"\\bTLP\\s*[:\\x{FF1A}]?\\s*"
	    "(AMBER\\+STRICT|CLEAR|WHITE|GREEN|AMBER|RED)\\b",
	/* a defanged URL line, then "(IP)" alone on the next line */
	"(?m)^[ \\t]*h(?:xx|tt)ps?\\[?:\\]?//\\S+[ \\t]*\\r?\\n"
	    "[ \\t]*\\([ \\t]*([0-9A-Fa-f:.]{2,45})[ \\t]*\\)[ \\t]*$",
	"(?mi)^[ \\t]*(?:NetRange or inetnum|NetRange|inetnum|inet6num)"
	    "[ \\t]*:[ \\t]*([0-9A-Fa-f:.]{2,45})(?:[ \\t]*-[ \\t]*"
	    "([0-9A-Fa-f:.]{2,45}))?",
};

static GRegex *
rx(int which)
{
	static gsize once;
	static GRegex *re[RX_COUNT];
	int i;

	if (g_once_init_enter(&once)) {
		for (i = 0; i < RX_COUNT; i++)
			re[i] = g_regex_new(rx_src[i], G_REGEX_OPTIMIZE |
			    (i == RX_TLP ? G_REGEX_CASELESS : 0), 0, NULL);
		g_once_init_leave(&once, 1);
	}
	return re[which];
}

/* each_match - calls fn for every match of re in s[0..len). */
static void
each_match(struct report *r, GRegex *re, const char *s, gsize len,
    const char *part, void (*fn)(struct report *, GMatchInfo *,
    const char *, const char *))
{
	GMatchInfo *mi = NULL;
	guint n = 0;

	if (re == NULL || s == NULL)
		return;
	len = parse_utf8_cut(s, len, NOTICE_SCAN);
	g_regex_match_full(re, s, len, 0, 0, &mi, NULL);
	while (g_match_info_matches(mi) && n++ < NOTICE_MAX_HITS) {
		fn(r, mi, s, part);
		if (!g_match_info_next(mi, NULL))
			break;
	}
	g_match_info_free(mi);
}

static void
on_ticket(struct report *r, GMatchInfo *mi, const char *s, const char *p)
{
	char *who = g_match_info_fetch(mi, 1), *id, *t;

	id = g_match_info_fetch(mi, 2);
	if (id != NULL && *id != '\0') {
		/* [CASE-123456] is ours; "#1" alone is no partner's id */
		t = who != NULL && *who != '\0' ?
		    g_strdup_printf("%s %s", who, id) : g_strdup(id);
		if (t[0] != '#' || strchr(t, ' ') != NULL)
			report_add_ticket(r, t);
		g_free(t);
	} else if (who != NULL && *who != '\0')
		report_add_ticket(r, who);
	g_free(who);
	g_free(id);
}

static void
on_tlp(struct report *r, GMatchInfo *mi, const char *s, const char *p)
{
	char *v;

	if (r->tlp != NULL)
		return;
	v = g_match_info_fetch(mi, 1);
	if (v != NULL) {
		char *up = g_ascii_strup(v, -1);

		r->tlp = arena_strdup(r->arena, strcmp(up, "WHITE") == 0 ?
		    "CLEAR" : up);
		g_free(up);
	}
	g_free(v);
}

static void
add_ip(struct report *r, GMatchInfo *mi, int group, const char *s,
    const char *part, enum finding_role role, const char *source)
{
	gint a, b;
	char *v;
	struct netaddr na;

	if (!g_match_info_fetch_pos(mi, group, &a, &b) || a < 0 || b <= a)
		return;
	if (!netaddr_parse(s + a, b - a, &na))
		return;
	v = parse_normalise(r->arena, na.v4 ? FINDING_IPV4 : FINDING_IPV6,
	    s + a, b - a);
	if (v != NULL)
		report_add_finding(r, strchr(v, ':') != NULL ? FINDING_IPV6 :
		    FINDING_IPV4, role, v, NULL, part, a, source);
}

static void
on_hosting(struct report *r, GMatchInfo *mi, const char *s, const char *p)
{
	add_ip(r, mi, 1, s, p, FINDING_ROLE_OFFENDER, "notice:hosting-ip");
}

static void
on_inetnum(struct report *r, GMatchInfo *mi, const char *s, const char *p)
{
	add_ip(r, mi, 1, s, p, FINDING_ROLE_CONTEXT, "notice:inetnum");
	add_ip(r, mi, 2, s, p, FINDING_ROLE_CONTEXT, "notice:inetnum");
}

/* wrapped - the ARF/X-ARF report sits inside an attached message. */
static gboolean
wrapped(const struct report *r)
{
	const struct report_part *x;
	gboolean top = FALSE, nested = FALSE;
	guint i;

	if (strcmp(r->format, "xarf") == 0) {
		if (report_header(r, "X-ARF") != NULL ||
		    report_header(r, "X-XARF") != NULL)
			return FALSE;
		x = parse_detect_xarf_part(r);
		return x != NULL && x->depth > 0;
	}
	for (i = 0; i < r->parts->len; i++) {
		x = g_ptr_array_index(r->parts, i);
		if (strcmp(x->content_type, "message/feedback-report") != 0 &&
		    strcmp(x->content_type, "application/json") != 0)
			continue;
		if (x->depth == 0)
			top = TRUE;
		else
			nested = TRUE;
	}
	return nested && !top;
}

gboolean
parse_notice_probe(const struct report *r, const struct parse_hints *h)
{
	(void)h;
	return r->kind != REPORT_KIND_UNPARSED && r->format != NULL;
}

void
parse_notice_extract(struct report *r, const struct parse_hints *h)
{
	const char *from = r->from != NULL ? r->from : "";
	gboolean cert = FALSE;
	guint i;

	each_match(r, rx(RX_BODY_TICKET), r->subject, r->subject != NULL ?
	    strlen(r->subject) : 0, "0", on_ticket);
	each_match(r, rx(RX_SUBJ_TICKET), r->subject, r->subject != NULL ?
	    strlen(r->subject) : 0, "0", on_ticket);
	each_match(r, rx(RX_NETCRAFT), r->subject, r->subject != NULL ?
	    strlen(r->subject) : 0, "0", on_ticket);
	each_match(r, rx(RX_TLP), r->subject, r->subject != NULL ?
	    strlen(r->subject) : 0, "0", on_tlp);
	for (i = 0; i < r->parts->len; i++) {
		const struct report_part *p = g_ptr_array_index(r->parts, i);

		if (p->depth > 0 || !g_str_has_prefix(p->content_type, "text/"))
			continue;
		each_match(r, rx(RX_BODY_TICKET), p->text, p->text_len,
		    p->path, on_ticket);
		each_match(r, rx(RX_TLP), p->text, p->text_len, p->path,
		    on_tlp);
		if (r->kind != REPORT_KIND_ABUSE)
			continue;
		each_match(r, rx(RX_HOSTING), p->text, p->text_len, p->path,
		    on_hosting);
		each_match(r, rx(RX_INETNUM), p->text, p->text_len, p->path,
		    on_inetnum);
	}
	if ((strcmp(r->format, "arf") == 0 || strcmp(r->format, "xarf") == 0 ||
	    strcmp(r->format, "xarf-json") == 0)
	    && (h->top_is_rfc822 || (r->subject != NULL &&
	    g_str_has_prefix(r->subject, "Fw"))) && wrapped(r)) {
		r->format = "forward";
		return;
	}
	if (r->kind != REPORT_KIND_ABUSE || (strcmp(r->format, "plain") != 0 &&
	    strcmp(r->format, "html") != 0))
		return;
	for (i = 0; r->tickets != NULL && i < r->tickets->len; i++) {
		const char *t = g_ptr_array_index(r->tickets, i);

		if (g_str_has_prefix(t, "JPCERT#"))
			r->format = "jpcert";
		else if (g_str_has_prefix(t, "Issue "))
			r->format = "netcraft";
		else if (g_strstr_len(t, -1, "CERT") != NULL)
			cert = TRUE;
	}
	if (g_str_has_suffix(from, "@jpcert.or.jp"))
		r->format = "jpcert";
	else if (g_str_has_suffix(from, "netcraft.com"))
		r->format = "netcraft";
	else if (cert && strcmp(r->format, "plain") == 0)
		r->format = "cert-notice";
}
