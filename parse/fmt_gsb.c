/*
 * fmt_gsb.c: Google Safe Browsing notifications (formats.md section 7).
 *
 * Defines fmt_gsb_probe() and fmt_gsb_extract().  The AbuseIO-era mail is
 * a text part holding an XML fragment:
 *   <notification_message asn=".." date="..">
 *    <list type="0"><url_info url=".." ip=".."/>...</list>
 *   </notification_message>
 * read with GLib's GMarkupParseContext from "<notification_message" to
 * the end of the part (a fragment with trailing prose is fine: what was
 * read before a markup error is kept, with a warning).  url and ip are
 * offenders (ip optional); list type 0 is phishing, type 1 malware
 * distribution (the first list decides the category); the date attribute
 * is the event time.  Format "gsb".
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "parse/parse_int.h"

#define GSB_OPEN	"<notification_message"

struct gsb {
	struct report			*r;
	const struct report_part	*p;
	gsize				 base;	/* offset of the fragment */
	int				 type;	/* current list, -1 none */
	guint				 urls;
};

static const char *
attr(const char **names, const char **values, const char *name)
{
	guint i;

	for (i = 0; names[i] != NULL; i++)
		if (strcmp(names[i], name) == 0)
			return values[i];
	return NULL;
}

static void
add(struct gsb *g, enum finding_kind kind, const char *v, const char *source)
{
	if (v == NULL || *v == '\0')
		return;
	fmt_add(g->r, g->p, kind, FINDING_ROLE_OFFENDER, v, strlen(v),
	    fmt_locate(g->p, g->base, v), source);
}

static void
start(GMarkupParseContext *ctx, const char *el, const char **names,
    const char **values, gpointer data, GError **err)
{
	struct gsb *g = data;
	const char *v;

	(void)ctx;
	(void)err;
	if (strcmp(el, "notification_message") == 0) {
		if ((v = attr(names, values, "date")) != NULL &&
		    g->r->event_time == NULL)
			g->r->event_time = fmt_date_iso(g->r->arena, v,
			    strlen(v));
	} else if (strcmp(el, "list") == 0) {
		v = attr(names, values, "type");
		g->type = v != NULL ? atoi(v) : -1;
		if (g->r->category == NULL && g->type == 0)
			fmt_set_class(g->r, "phishing", "fraud");
		else if (g->r->category == NULL && g->type == 1)
			fmt_set_class(g->r, "malware-distribution",
			    "malicious-code");
	} else if (strcmp(el, "url_info") == 0) {
		v = attr(names, values, "url");
		add(g, FINDING_URL, v, "gsb:url");
		v = attr(names, values, "ip");
		if (v != NULL)
			add(g, strchr(v, ':') != NULL ? FINDING_IPV6 :
			    FINDING_IPV4, v, "gsb:ip");
		g->urls++;
	}
}

static const GMarkupParser parser = { start, NULL, NULL, NULL, NULL };

static const char *
fragment(const struct report_part *p)
{
	if (p->text_len == 0)
		return NULL;
	return g_strstr_len(p->text, MIN(p->text_len, 64 * 1024), GSB_OPEN);
}

gboolean
fmt_gsb_probe(const struct report *r, const struct parse_hints *h)
{
	guint i;

	(void)h;
	if (r->kind != REPORT_KIND_ABUSE)
		return FALSE;
	for (i = 0; i < r->parts->len; i++)
		if (fragment(g_ptr_array_index(r->parts, i)) != NULL)
			return TRUE;
	return FALSE;
}

void
fmt_gsb_extract(struct report *r, const struct parse_hints *h)
{
	struct gsb g = { r, NULL, 0, -1, 0 };
	GMarkupParseContext *ctx;
	GError *err = NULL;
	const char *s, *e;
	guint i;

	(void)h;
	for (i = 0; i < r->parts->len; i++) {
		g.p = g_ptr_array_index(r->parts, i);
		if ((s = fragment(g.p)) == NULL)
			continue;
		g.base = s - g.p->text;
		e = g_strstr_len(s, g.p->text + g.p->text_len - s,
		    "</notification_message>");
		e = e != NULL ? e + strlen("</notification_message>") :
		    g.p->text + g.p->text_len;
		ctx = g_markup_parse_context_new(&parser, 0, &g, NULL);
		if (!g_markup_parse_context_parse(ctx, s, e - s, &err) ||
		    !g_markup_parse_context_end_parse(ctx, &err)) {
			report_warn(r, "part %s: Safe Browsing XML: %s",
			    g.p->path, err->message);
			g_clear_error(&err);
		}
		g_markup_parse_context_free(ctx);
		break;
	}
	if (strcmp(r->format, "plain") == 0 ||
	    strcmp(r->format, "forward") == 0)
		r->format = "gsb";
}
