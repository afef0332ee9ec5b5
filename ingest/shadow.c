/*
 * shadow.c: shadow mode (see shadow.h).
 *
 * The message is parsed twice more, once for each rule set, through
 * pipeline_dry.c: a rule that changes the report (adds findings, sets
 * roles) cannot leak from one evaluation into the other, and the live
 * pipeline is left exactly as it is.  What is compared: the report kind,
 * the category, the findings (kind, role, value, suppressed) and the
 * routes (value -> contact).  Each side is a set; a line only one side
 * has is one difference.  Nothing here sends, spools or opens a case.
 */
#include "config.h"

#include <string.h>

#include "ingest/shadow.h"
#include "ingest/spool_file.h"

struct shadow {
	struct dry	*live;
	struct dry	*cand;
};

const char *
shadow_rules_path(const struct config *cfg)
{
	/* The config's [rules] shadow; the environment may override it
	 * (for a one-off trial without editing the config). */
	const char *p = g_getenv("ABUSEDESK_SHADOW_RULES");

	if (p != NULL && *p != '\0')
		return p;
	return cfg->shadow_rules;
}

struct shadow *
shadow_open(const struct config *cfg, GError **error)
{
	const char *path = shadow_rules_path(cfg);
	struct shadow *sh;

	if (path == NULL)
		return NULL;
	sh = g_new0(struct shadow, 1);
	if ((sh->live = dry_open(cfg, NULL, error)) == NULL ||
	    (sh->cand = dry_open(cfg, path, error)) == NULL) {
		g_prefix_error(error, "shadow %s: ", path);
		shadow_close(&sh);
		return NULL;
	}
	return sh;
}

void
shadow_close(struct shadow **shp)
{
	struct shadow *sh;

	if (shp == NULL || (sh = *shp) == NULL)
		return;
	dry_close(&sh->live);
	dry_close(&sh->cand);
	g_free(sh);
	*shp = NULL;
}

static void
diff_free(gpointer p)
{
	struct case_shadow_diff *d = p;

	g_free((char *)d->kind);
	g_free((char *)d->live);
	g_free((char *)d->shadow);
	g_free(d);
}

static void
add_diff(GPtrArray *out, const char *kind, const char *live,
    const char *cand)
{
	struct case_shadow_diff *d = g_new0(struct case_shadow_diff, 1);

	d->kind = g_strdup(kind);
	d->live = g_strdup(live);
	d->shadow = g_strdup(cand);
	g_ptr_array_add(out, d);
}

/* lines - one line per finding or route of a result, in order. */
static GPtrArray *
lines(const struct dry_result *res, gboolean routes)
{
	GPtrArray *a = g_ptr_array_new_with_free_func(g_free);
	const struct report *r = res->report;
	guint i;

	if (!routes) {
		for (i = 0; i < r->findings->len; i++) {
			const struct finding *f =
			    g_ptr_array_index(r->findings, i);

			g_ptr_array_add(a, g_strdup_printf("%s %s %s%s",
			    finding_kind_name(f->kind),
			    finding_role_name(f->role), f->value,
			    f->suppressed ? " suppressed" : ""));
		}
		return a;
	}
	for (i = 0; res->routes.routes != NULL &&
	    i < res->routes.routes->len; i++) {
		const struct route *rt = g_ptr_array_index(res->routes.routes,
		    i);

		g_ptr_array_add(a, g_strdup_printf("%s %s",
		    rt->finding->value, rt->contact != NULL ?
		    rt->contact->id : "unrouted"));
	}
	return a;
}

static gboolean
contains(const GPtrArray *a, const char *s)
{
	guint i;

	for (i = 0; i < a->len; i++)
		if (strcmp(g_ptr_array_index(a, i), s) == 0)
			return TRUE;
	return FALSE;
}

static void
diff_sets(GPtrArray *out, const GPtrArray *l, const GPtrArray *c,
    const char *removed, const char *added)
{
	guint i;

	for (i = 0; i < l->len; i++)
		if (!contains(c, g_ptr_array_index(l, i)))
			add_diff(out, removed, g_ptr_array_index(l, i), NULL);
	for (i = 0; i < c->len; i++)
		if (!contains(l, g_ptr_array_index(c, i)))
			add_diff(out, added, NULL, g_ptr_array_index(c, i));
}

GPtrArray *
shadow_compare(const struct dry_result *live, const struct dry_result *cand)
{
	GPtrArray *out = g_ptr_array_new_with_free_func(diff_free);
	GPtrArray *l, *c;
	int k;

	if (live->report->kind != cand->report->kind)
		add_diff(out, "kind-changed",
		    report_kind_name(live->report->kind),
		    report_kind_name(cand->report->kind));
	if (g_strcmp0(live->report->category, cand->report->category) != 0)
		add_diff(out, "category-changed", live->report->category,
		    cand->report->category);
	for (k = 0; k < 2; k++) {
		l = lines(live, k == 1);
		c = lines(cand, k == 1);
		diff_sets(out, l, c, k ? "route-removed" : "finding-removed",
		    k ? "route-added" : "finding-added");
		g_ptr_array_unref(l);
		g_ptr_array_unref(c);
	}
	return out;
}

void
shadow_check(struct shadow *sh, struct casedb *db, const struct config *cfg,
    const char *name, gint64 msg_id)
{
	struct spool_envelope env;
	struct dry_result lr, cr;
	char *path = g_build_filename(cfg->spool, "work", name, NULL);
	char *buf = NULL, why[256];
	gsize len = 0, body = 0;
	GPtrArray *diffs;
	GError *err = NULL;

	if (sh == NULL)
		goto out;
	if (!g_file_get_contents(path, &buf, &len, &err) ||
	    spool_file_parse(buf, len, &env, &body, why, sizeof(why)) != 0) {
		g_warning("shadow: %s: %s", name, err != NULL ?
		    err->message : why);
		g_clear_error(&err);
		goto out;
	}
	dry_process(sh->live, (const guint8 *)buf + body, len - body, FALSE,
	    &lr);
	dry_process(sh->cand, (const guint8 *)buf + body, len - body, FALSE,
	    &cr);
	diffs = shadow_compare(&lr, &cr);
	if (diffs->len > 0)
		g_message("%s: shadow rules differ in %u way(s)", name,
		    diffs->len);
	if (!casedb_store_shadow_diffs(db, msg_id,
	    rules_version(dry_rules(sh->live)),
	    rules_version(dry_rules(sh->cand)), diffs, &err)) {
		g_warning("shadow: %s: %s", name, err->message);
		g_error_free(err);
	}
	g_ptr_array_unref(diffs);
	dry_result_clear(&lr);
	dry_result_clear(&cr);
out:
	g_free(buf);
	g_free(path);
}
