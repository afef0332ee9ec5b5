/*
 * report_dump.c: the canonical text form of a report.
 *
 * Defines report_dump(), used by the golden tests (tests/data .ref files)
 * and by `abusedesk case show`.  One "key: value" line per field, then
 * one line per part, finding and warning, in report order.  Control
 * characters in values are printed as spaces so each item stays on one
 * line; absent values print as "-".
 */
#include "config.h"

#include <string.h>

#include "parse/parse.h"

static void
put(GString *out, const char *key, const char *v)
{
	const char *p;

	g_string_append_printf(out, "%s: ", key);
	if (v == NULL)
		v = "-";
	for (p = v; *p != '\0'; p++)
		g_string_append_c(out, (guchar)*p < 0x20 || *p == 0x7f ?
		    ' ' : *p);
	g_string_append_c(out, '\n');
}

static void
part(GString *out, const struct report_part *p)
{
	g_string_append_printf(out, "part %s %s", p->path, p->content_type);
	if (p->charset != NULL)
		g_string_append_printf(out, " charset=%s", p->charset);
	if (p->filename != NULL)
		g_string_append_printf(out, " name=%s", p->filename);
	g_string_append_printf(out, " len=%zu", p->text_len);
	if (p->depth > 0)
		g_string_append_printf(out, " depth=%u", p->depth);
	if (p->truncated)
		g_string_append(out, " truncated");
	g_string_append_c(out, '\n');
}

void
report_dump(const struct report *r, GString *out)
{
	guint i;

	g_return_if_fail(r != NULL && out != NULL);
	put(out, "kind", report_kind_name(r->kind));
	put(out, "format", r->format);
	put(out, "subject", r->subject);
	put(out, "from", r->from);
	put(out, "message-id", r->message_id);
	put(out, "in-reply-to", r->in_reply_to);
	put(out, "case-tag", r->case_tag);
	put(out, "category", r->category);
	put(out, "reporter", r->reporter);
	for (i = 0; i < r->parts->len; i++)
		part(out, g_ptr_array_index(r->parts, i));
	for (i = 0; i < r->findings->len; i++) {
		const struct finding *f = g_ptr_array_index(r->findings, i);
		GString *line = g_string_new(NULL);

		g_string_printf(line, "%s %s %s %s@%zu %s%s",
		    finding_kind_name(f->kind), finding_role_name(f->role),
		    f->value, f->part, f->offset, f->source,
		    f->suppressed ? " suppressed" : "");
		put(out, "finding", line->str);
		g_string_free(line, TRUE);
	}
	for (i = 0; i < r->warnings->len; i++)
		put(out, "warning", g_ptr_array_index(r->warnings, i));
}
