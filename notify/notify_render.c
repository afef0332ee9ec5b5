/*
 * notify_render.c: from a route result to takedown files in outbox/tmp.
 *
 * Defines notify_error_quark(), notify_render(), notify_group_routes()
 * and notify_render_groups() (notify.h), and notify_render_mail(), the
 * one path from a template to a file that notify_batch.c shares.  Routed,
 * not suppressed findings are grouped by contact (pointer identity, in
 * the order contacts first appear), at most LIMIT_NOTIFICATIONS groups;
 * each group becomes one mail from the contact's language template.  The
 * struct notification results live in the report's arena.  All or
 * nothing: on error the files this call wrote are removed and out is
 * left as it was.
 */
#include "config.h"

#include <string.h>
#include <unistd.h>

#include "notify/notify_int.h"
#include "parse/limits.h"

G_DEFINE_QUARK(abusedesk-notify-error-quark, notify_error)

static void
group_free(gpointer p)
{
	struct notify_group *g = p;

	g_ptr_array_unref(g->findings);
	g_hash_table_unref(g->seen);
	g_string_free(g->cc, TRUE);
	g_hash_table_unref(g->cc_seen);
	g_free(g);
}

static struct notify_group *
group_get(GPtrArray *groups, GHashTable *by_contact,
    const struct contact *c)
{
	struct notify_group *g = g_hash_table_lookup(by_contact, c);

	if (g != NULL)
		return g;
	if (groups->len >= LIMIT_NOTIFICATIONS) {
		g_debug("more than %u contacts: rest skipped",
		    LIMIT_NOTIFICATIONS);
		return NULL;
	}
	g = g_new0(struct notify_group, 1);
	g->contact = c;
	g->findings = g_ptr_array_new();
	g->seen = g_hash_table_new(NULL, NULL);
	g->cc = g_string_new(NULL);
	g->cc_seen = g_hash_table_new(NULL, NULL);
	g_ptr_array_add(groups, g);
	g_hash_table_insert(by_contact, (gpointer)c, g);
	return g;
}

static gboolean
route_usable(const struct route *rt)
{
	return rt != NULL && rt->contact != NULL && rt->finding != NULL &&
	    !rt->finding->suppressed;
}

/* notify_group_routes - struct notify_group * per contact, first-seen
 * order. A route marked cc (the national CSIRT of the hosting country,
 * beside the network owner) puts its contact in the Cc of every request
 * that lists the same finding, rather than in a request of its own. */
GPtrArray *
notify_group_routes(const struct route_result *res)
{
	GPtrArray *groups = g_ptr_array_new_with_free_func(group_free);
	GHashTable *by_contact = g_hash_table_new(NULL, NULL);
	const struct route *rt;
	struct notify_group *g;
	guint i, j;

	for (i = 0; res->routes != NULL && i < res->routes->len; i++) {
		rt = g_ptr_array_index(res->routes, i);
		if (!route_usable(rt) || rt->cc)
			continue;
		if ((g = group_get(groups, by_contact, rt->contact)) == NULL)
			continue;
		if (g_hash_table_add(g->seen, (gpointer)rt->finding))
			g_ptr_array_add(g->findings, (gpointer)rt->finding);
	}
	for (i = 0; res->routes != NULL && i < res->routes->len; i++) {
		gboolean placed = FALSE;

		rt = g_ptr_array_index(res->routes, i);
		if (!route_usable(rt) || !rt->cc)
			continue;
		for (j = 0; j < groups->len; j++) {
			g = g_ptr_array_index(groups, j);
			if (g->contact == rt->contact ||
			    !g_hash_table_contains(g->seen, rt->finding))
				continue;
			placed = TRUE;
			if (!g_hash_table_add(g->cc_seen,
			    (gpointer)rt->contact))
				continue;
			if (g->cc->len > 0)
				g_string_append(g->cc, ", ");
			g_string_append(g->cc, rt->contact->email);
		}
		/* a copy with no owner request to ride on goes on its own */
		if (!placed && (g = group_get(groups, by_contact,
		    rt->contact)) != NULL &&
		    g_hash_table_add(g->seen, (gpointer)rt->finding))
			g_ptr_array_add(g->findings, (gpointer)rt->finding);
	}
	g_hash_table_unref(by_contact);
	return groups;
}

gboolean
notify_case_number(const char *tag, guint64 *n)
{
	const char *dash, *p;

	if (tag == NULL || strlen(tag) > 64 ||
	    (dash = strrchr(tag, '-')) == NULL || dash == tag)
		return FALSE;
	for (p = tag; p < dash; p++)
		if (!g_ascii_isalnum(*p) && *p != '-' && *p != '_')
			return FALSE;
	return g_ascii_string_to_unsigned(dash + 1, 10, 0, G_MAXUINT64, n,
	    NULL);
}

/* template_for - the contact's template, loaded once per call */
static const struct notify_template *
template_for(const struct notify_config *cfg, GHashTable *cache,
    const struct contact *c, GError **error)
{
	struct notify_template *t;
	const char *key = c->language != NULL ? c->language : "";

	if ((t = g_hash_table_lookup(cache, key)) != NULL)
		return t;
	if ((t = notify_template_load(cfg->templates, c->language,
	    error)) == NULL)
		return NULL;
	g_hash_table_insert(cache, g_strdup(key), t);
	return t;
}

static void
template_free(gpointer p)
{
	struct notify_template *t = p;

	notify_template_free(&t);
}

/* common_vars - the values shared by every request of this report */
static void
common_vars(const struct notify_config *cfg, const struct report *r,
    const char *case_tag, struct notify_vars *v, GPtrArray *keep)
{
	const char *reporter = r->reporter != NULL ? r->reporter : r->from;
	const char *category = r->category != NULL && *r->category != '\0' ?
	    r->category : "abuse";

#define KEEP(i, s)	do {						\
	char *s_ = (s);							\
	g_ptr_array_add(keep, s_);					\
	v->v[(i)] = s_;							\
} while (0)
	KEEP(NOTIFY_VAR_CASE_TAG, g_strdup(case_tag));
	KEEP(NOTIFY_VAR_CATEGORY, notify_sanitise(category, NOTIFY_VALUE_CAP));
	KEEP(NOTIFY_VAR_REPORTER, reporter != NULL ?
	    notify_sanitise(reporter, NOTIFY_VALUE_CAP) : g_strdup("unknown"));
	KEEP(NOTIFY_VAR_REPORT_SUBJECT, r->subject != NULL ?
	    notify_sanitise(r->subject, NOTIFY_VALUE_CAP) :
	    g_strdup("(no subject)"));
	KEEP(NOTIFY_VAR_REPORT_DATE, r->date != NULL ?
	    notify_sanitise(r->date, NOTIFY_VALUE_CAP) : g_strdup("unknown"));
	KEEP(NOTIFY_VAR_MESSAGE_ID, r->message_id != NULL ?
	    notify_sanitise(r->message_id, NOTIFY_VALUE_CAP) :
	    g_strdup("unknown"));
	KEEP(NOTIFY_VAR_FROM_NAME, notify_display_name(cfg->from));
#undef KEEP
}

/* record - the struct notification in the arena, or NULL (cap hit) */
static struct notification *
record(const struct report *r, const struct notify_group *g, const char *to,
    const char *subject, const char *msgid, const char *path,
    const char *name)
{
	struct notification *n;
	GPtrArray *f;
	guint i;

	if ((n = arena_alloc(r->arena, sizeof(*n))) == NULL)
		return NULL;
	n->contact = g->contact;
	n->to = arena_strdup(r->arena, to);
	n->subject = arena_strdup(r->arena, subject);
	n->message_id = arena_strdup(r->arena, msgid);
	n->tmp_path = arena_strdup(r->arena, path);
	n->file = arena_strdup(r->arena, name);
	if (n->to == NULL || n->subject == NULL || n->message_id == NULL ||
	    n->tmp_path == NULL || n->file == NULL)
		return NULL;
	f = g_ptr_array_sized_new(g->findings->len);
	for (i = 0; i < g->findings->len; i++)
		g_ptr_array_add(f, g_ptr_array_index(g->findings, i));
	arena_add_destructor(r->arena, (GDestroyNotify)g_ptr_array_unref, f);
	n->findings = f;
	return n;
}

void
notify_written_clear(struct notify_written *w)
{
	g_free(w->name);
	g_free(w->path);
	g_free(w->to);
	g_free(w->subject);
	memset(w, 0, sizeof(*w));
}

gboolean
notify_render_mail(const struct notify_config *cfg,
    const struct notify_template *t, struct notify_vars *v,
    const struct contact *c, const char *findings, const char *cc,
    const char *case_tag, const char *msgid, const char *in_reply_to,
    const struct notify_attach *att, struct notify_written *w,
    GError **error)
{
	struct notify_mail m;
	GString *subj = g_string_new(NULL), *body = g_string_new(NULL);
	char *contact_name, *subject, *tagged;
	gboolean ok;

	memset(w, 0, sizeof(*w));
	contact_name = notify_sanitise(c->name != NULL ? c->name : c->id,
	    NOTIFY_VALUE_CAP);
	v->v[NOTIFY_VAR_CONTACT_NAME] = contact_name;
	v->v[NOTIFY_VAR_FINDINGS] = findings;
	notify_template_expand(t, TRUE, v, subj);
	notify_template_expand(t, FALSE, v, body);
	subject = notify_sanitise(subj->str, NOTIFY_SUBJECT_CAP);
	tagged = g_strdup_printf("[%s]", case_tag);
	if (strstr(subject, tagged) == NULL) {
		char *s = g_strdup_printf("%s %s", tagged, subject);

		g_free(subject);
		subject = g_strstrip(s);
	}

	memset(&m, 0, sizeof(m));
	m.from = cfg->from;
	m.to = c->email;
	m.cc = cc != NULL && *cc != '\0' ? cc : NULL;
	m.subject = subject;
	m.message_id = msgid;
	m.case_tag = case_tag;
	m.in_reply_to = notify_msgid_ok(in_reply_to) ? in_reply_to : NULL;
	m.body = body->str;
	m.parts = att != NULL ? att->parts : NULL;
	ok = notify_message_write(&m, cfg->outbox, !cfg->deferred_sync,
	    &w->name, &w->path, &w->to, error);
	if (ok)
		w->subject = subject;
	else
		g_free(subject);
	v->v[NOTIFY_VAR_CONTACT_NAME] = v->v[NOTIFY_VAR_FINDINGS] = NULL;
	g_free(contact_name);
	g_free(tagged);
	g_string_free(subj, TRUE);
	g_string_free(body, TRUE);
	return ok;
}

/* render_one - writes the k-th request (1-based), for group g */
static struct notification *
render_one(const struct notify_config *cfg, const struct report *r,
    const struct notify_template *t, struct notify_vars *v,
    const struct notify_group *g, const char *case_tag, guint64 num,
    guint k, GError **error)
{
	struct notification *n = NULL;
	struct notify_written w;
	struct notify_attach att;
	GString *findings = g_string_new(NULL);
	char *msgid;

	notify_findings_text(g->findings, findings);
	notify_attach_init(&att, cfg, g->contact);
	notify_attach_add(&att, g->findings, case_tag, r->category);
	msgid = g_strdup_printf("case-%" G_GUINT64_FORMAT ".%u@%s", num, k,
	    cfg->domain);
	if (notify_render_mail(cfg, t, v, g->contact, findings->str,
	    g->cc->str, case_tag, msgid, r->message_id, &att, &w, error)) {
		n = record(r, g, w.to, w.subject, msgid, w.path, w.name);
		if (n == NULL) {
			unlink(w.path);
			g_set_error(error, NOTIFY_ERROR, NOTIFY_ERROR_LIMIT,
			    "case %s: message arena exhausted", case_tag);
		}
		notify_written_clear(&w);
	}
	notify_attach_clear(&att);
	g_free(msgid);
	g_string_free(findings, TRUE);
	return n;
}

gboolean
notify_render(const struct notify_config *cfg, const struct report *r,
    const struct route_result *res, const char *case_tag, GPtrArray *out,
    GError **error)
{
	GPtrArray *groups;
	gboolean ok;

	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);
	g_return_val_if_fail(cfg != NULL && r != NULL && res != NULL, FALSE);
	g_return_val_if_fail(out != NULL, FALSE);

	groups = notify_group_routes(res);
	ok = notify_render_groups(cfg, r, groups, case_tag, out, error);
	g_ptr_array_unref(groups);
	return ok;
}

gboolean
notify_render_groups(const struct notify_config *cfg,
    const struct report *r, const GPtrArray *groups, const char *case_tag,
    GPtrArray *out, GError **error)
{
	GPtrArray *keep;
	GHashTable *cache;
	const struct notify_template *t;
	struct notification *n;
	struct notify_vars v;
	guint64 num;
	guint i, len0;
	gboolean ok = TRUE;

	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);
	g_return_val_if_fail(cfg != NULL && r != NULL && groups != NULL,
	    FALSE);
	g_return_val_if_fail(out != NULL, FALSE);

	if (!notify_case_number(case_tag, &num)) {
		g_set_error(error, NOTIFY_ERROR, NOTIFY_ERROR_TEMPLATE,
		    "bad case tag \"%.64s\"", case_tag != NULL ? case_tag : "");
		return FALSE;
	}
	len0 = out->len;
	cache = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
	    template_free);
	keep = g_ptr_array_new_with_free_func(g_free);
	memset(&v, 0, sizeof(v));
	common_vars(cfg, r, case_tag, &v, keep);

	for (i = 0; ok && i < groups->len; i++) {
		const struct notify_group *g = g_ptr_array_index(groups, i);

		if (g->findings->len == 0)
			continue;	/* all deduplicated */
		t = template_for(cfg, cache, g->contact, error);
		ok = t != NULL &&
		    (n = render_one(cfg, r, t, &v, g, case_tag, num, i + 1,
		    error)) != NULL;
		if (ok)
			g_ptr_array_add(out, n);
	}
	if (!ok) {
		for (i = len0; i < out->len; i++)
			notify_discard(g_ptr_array_index(out, i));
		g_ptr_array_remove_range(out, len0, out->len - len0);
	}
	g_ptr_array_unref(keep);
	g_hash_table_unref(cache);
	return ok;
}
