/*
 * notify_batch.c: one takedown request for the findings of several
 * reports, collected by an aggregation window (case/case_batch.c) and
 * handed back by the pipeline when the window closes.
 *
 * Defines notify_render_batch() and notify_notification_free()
 * (notify.h).  The mail goes through notify_render_mail(), the same
 * template expansion, Subject tagging and gmime writing as a request
 * rendered at once; only the values differ: the case tag of the
 * template is the first case's (its Message-ID, Subject tag and the
 * notification row belong to that case), the findings block names
 * every case with its findings (LIMIT_NOTIFY_FINDINGS lines in all, then
 * a count of the rest), and the report fields say "several"
 * when the findings come from more than one report.  The result is
 * owned by the caller, not an arena: a batch outlives any message.
 */
#include "config.h"

#include <string.h>

#include "notify/notify_int.h"
#include "parse/limits.h"

void
notify_notification_free(struct notification **np)
{
	struct notification *n;

	if (np == NULL || (n = *np) == NULL)
		return;
	g_free((char *)n->to);
	g_free((char *)n->subject);
	g_free((char *)n->message_id);
	g_free((char *)n->tmp_path);
	g_free((char *)n->file);
	g_free(n);
	*np = NULL;
}

/* findings_block - the findings per case; one case reads as today.  At
 * most LIMIT_NOTIFY_FINDINGS lines in all, as for one report: a window
 * collects as many reports as are sent in it. */
static void
findings_block(const struct notify_batch *b, GString *out)
{
	const GPtrArray *fs;
	GPtrArray *head;
	guint i, j, left = LIMIT_NOTIFY_FINDINGS, more = 0, cases = 0;

	if (b->tags->len == 1) {
		notify_findings_text(g_ptr_array_index(b->findings, 0), out);
		return;
	}
	for (i = 0; i < b->tags->len; i++) {
		char *tag;

		fs = g_ptr_array_index(b->findings, i);
		if (left == 0) {
			more += fs->len;
			cases++;
			continue;
		}
		tag = notify_sanitise(g_ptr_array_index(b->tags, i),
		    NOTIFY_VALUE_CAP);
		if (i > 0)
			g_string_append_c(out, '\n');
		g_string_append_printf(out, "Case %s:\n", tag);
		g_free(tag);
		if (fs->len <= left) {
			notify_findings_text(fs, out);
			left -= fs->len;
			continue;
		}
		head = g_ptr_array_sized_new(left);
		for (j = 0; j < left; j++)
			g_ptr_array_add(head, g_ptr_array_index(fs, j));
		notify_findings_text(head, out);
		g_string_append_printf(out, "- and %u more\n", fs->len - left);
		g_ptr_array_unref(head);
		left = 0;
	}
	if (cases > 0)
		g_string_append_printf(out, "\nand %u more finding(s) of %u "
		    "more case(s)\n", more, cases);
}

/* batch_vars - the template values of b (g_free each non-NULL v[i]) */
static void
batch_vars(const struct notify_config *cfg, const struct notify_batch *b,
    struct notify_vars *v)
{
	const char *category = b->category != NULL && *b->category != '\0' ?
	    b->category : "abuse";
	gboolean one = b->tags->len == 1;
	char *several = g_strdup_printf("%u reports, see the cases above",
	    b->tags->len);

	memset(v, 0, sizeof(*v));
	v->v[NOTIFY_VAR_CASE_TAG] = g_strdup(g_ptr_array_index(b->tags, 0));
	v->v[NOTIFY_VAR_CATEGORY] = notify_sanitise(category,
	    NOTIFY_VALUE_CAP);
	v->v[NOTIFY_VAR_REPORTER] = one && b->reporter != NULL ?
	    notify_sanitise(b->reporter, NOTIFY_VALUE_CAP) :
	    g_strdup(one ? "unknown" : several);
	v->v[NOTIFY_VAR_REPORT_SUBJECT] = one && b->subject != NULL ?
	    notify_sanitise(b->subject, NOTIFY_VALUE_CAP) :
	    g_strdup(one ? "(no subject)" : "(several)");
	v->v[NOTIFY_VAR_REPORT_DATE] = one && b->date != NULL ?
	    notify_sanitise(b->date, NOTIFY_VALUE_CAP) :
	    g_strdup(one ? "unknown" : "(several)");
	v->v[NOTIFY_VAR_MESSAGE_ID] = one && b->message_id != NULL ?
	    notify_sanitise(b->message_id, NOTIFY_VALUE_CAP) :
	    g_strdup(one ? "unknown" : "(several)");
	v->v[NOTIFY_VAR_FROM_NAME] = notify_display_name(cfg->from);
	g_free(several);
}

struct notification *
notify_render_batch(const struct notify_config *cfg,
    const struct notify_batch *b, GError **error)
{
	struct notify_template *t;
	struct notification *n = NULL;
	struct notify_written w;
	struct notify_vars v;
	struct notify_attach att;
	GString *findings;
	const char *tag;
	char *msgid;
	guint64 num;
	guint i;

	g_return_val_if_fail(error == NULL || *error == NULL, NULL);
	g_return_val_if_fail(cfg != NULL && b != NULL, NULL);
	g_return_val_if_fail(b->contact != NULL && b->tags != NULL, NULL);
	g_return_val_if_fail(b->tags->len > 0, NULL);
	g_return_val_if_fail(b->findings->len == b->tags->len, NULL);

	tag = g_ptr_array_index(b->tags, 0);
	if (!notify_case_number(tag, &num)) {
		g_set_error(error, NOTIFY_ERROR, NOTIFY_ERROR_TEMPLATE,
		    "bad case tag \"%.64s\"", tag != NULL ? tag : "");
		return NULL;
	}
	if ((t = notify_template_load(cfg->templates, b->contact->language,
	    error)) == NULL)
		return NULL;
	findings = g_string_new(NULL);
	findings_block(b, findings);
	notify_attach_init(&att, cfg, b->contact);
	for (i = 0; i < b->tags->len; i++)
		notify_attach_add(&att, g_ptr_array_index(b->findings, i),
		    g_ptr_array_index(b->tags, i), b->category);
	batch_vars(cfg, b, &v);
	msgid = g_strdup_printf("case-%" G_GUINT64_FORMAT ".b%" G_GINT64_FORMAT
	    "@%s", num, b->id, cfg->domain);
	if (notify_render_mail(cfg, t, &v, b->contact, findings->str, b->cc,
	    tag, msgid, b->tags->len == 1 ? b->message_id : NULL, &att, &w,
	    error)) {
		n = g_new0(struct notification, 1);
		n->contact = b->contact;
		n->to = w.to;
		n->subject = w.subject;
		n->tmp_path = w.path;
		n->file = w.name;
		n->message_id = msgid;
		msgid = NULL;
	}
	g_free(msgid);
	for (i = 0; i < NOTIFY_VAR_COUNT; i++)
		g_free((char *)v.v[i]);
	notify_attach_clear(&att);
	g_string_free(findings, TRUE);
	notify_template_free(&t);
	return n;
}
