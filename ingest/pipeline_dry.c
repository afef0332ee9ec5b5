/*
 * pipeline_dry.c: the stages of pipeline.c without the case database,
 * for dry runs (`abusedesk rules test`) and shadow evaluation.
 *
 * Mirrors pipeline_process() up to the transaction: parse, rules_eval,
 * the rules' category, then route_report() for an abuse report that no
 * rule ignores.  When asked, the takedowns are rendered with
 * notify_render() into a fresh temporary outbox (a Maildir under
 * g_dir_make_tmp), read back and the directory removed, so nothing is
 * ever published.  A report with no unsuppressed offender would open no
 * case and gets no mail, as in the pipeline.
 */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "ingest/pipeline.h"
#include "ingest/pipeline_dry.h"
#include "parse/parse.h"
#include "notify/notify.h"

#define DRY_CASE_TAG	"CASE-000000"	/* no real case is 0 */

struct dry {
	struct ruleset		*rules;
	struct route_tables	*tables;
	struct parse_limits	 limits;
	char			*templates, *from, *domain;
};

struct dry *
dry_open(const struct config *cfg, const char *rules_path, GError **error)
{
	struct dry *d = g_new0(struct dry, 1);
	GPtrArray *diags = g_ptr_array_new_with_free_func(rules_diag_free);

	parse_init();
	d->rules = rules_load(rules_path != NULL ? rules_path : cfg->rules,
	    diags, error);
	g_ptr_array_unref(diags);
	if (d->rules == NULL) {
		g_prefix_error(error, "rules: ");
		goto fail;
	}
	if ((d->tables = ingest_route_open(cfg, error)) == NULL)
		goto fail;
	d->limits = cfg->limits;
	d->templates = g_strdup(cfg->templates);
	d->from = g_strdup(cfg->from);
	d->domain = g_strdup(cfg->domain);
	return d;
fail:
	dry_close(&d);
	return NULL;
}

void
dry_close(struct dry **dp)
{
	struct dry *d;

	if (dp == NULL || (d = *dp) == NULL)
		return;
	rules_free(&d->rules);
	route_close(&d->tables);
	g_free(d->templates);
	g_free(d->from);
	g_free(d->domain);
	g_free(d);
	*dp = NULL;
}

const struct ruleset *
dry_rules(const struct dry *d)
{
	return d->rules;
}

static gboolean
has_offender(const struct report *r)
{
	guint i;

	for (i = 0; i < r->findings->len; i++) {
		const struct finding *f = g_ptr_array_index(r->findings, i);

		if (f->role == FINDING_ROLE_OFFENDER && !f->suppressed)
			return TRUE;
	}
	return FALSE;
}

/* render - takedowns into a temporary Maildir, read back, removed. */
static void
render(struct dry *d, struct dry_result *res)
{
	struct notify_config nc;
	GPtrArray *notes = g_ptr_array_new();
	GError *err = NULL;
	char *dir, *sub;
	guint i;

	res->mails = g_ptr_array_new_with_free_func(g_free);
	res->notes = notes;
	if ((dir = g_dir_make_tmp("abusedesk-dry-XXXXXX", &err)) == NULL) {
		res->render_error = g_strdup(err->message);
		g_error_free(err);
		return;
	}
	for (i = 0; i < 3; i++) {
		static const char *const subs[] = { "tmp", "new", "cur" };

		sub = g_build_filename(dir, subs[i], NULL);
		g_mkdir(sub, 0700);
		g_free(sub);
	}
	memset(&nc, 0, sizeof(nc));
	nc.outbox = dir;
	nc.templates = d->templates;
	nc.from = d->from;
	nc.domain = d->domain;
	if (!notify_render(&nc, res->report, &res->routes, DRY_CASE_TAG,
	    notes, &err)) {
		res->render_error = g_strdup(err->message);
		g_clear_error(&err);
	}
	for (i = 0; i < notes->len; i++) {
		const struct notification *n = g_ptr_array_index(notes, i);
		char *text = NULL;

		if (!g_file_get_contents(n->tmp_path, &text, NULL, NULL))
			text = g_strdup("");
		g_ptr_array_add(res->mails, text);
		notify_discard(n);
	}
	for (i = 0; i < 3; i++) {
		static const char *const subs[] = { "tmp", "new", "cur" };

		sub = g_build_filename(dir, subs[i], NULL);
		g_rmdir(sub);
		g_free(sub);
	}
	g_rmdir(dir);
	g_free(dir);
}

void
dry_process(struct dry *d, const guint8 *raw, gsize len,
    gboolean with_mail, struct dry_result *res)
{
	struct report *r;

	memset(res, 0, sizeof(*res));
	r = pipeline_analyse(d->rules, d->tables, &d->limits, raw, len, TRUE,
	    &res->verdict, &res->routes);
	res->report = r;
	if (res->routes.routes == NULL)
		return;
	res->routed = TRUE;
	if (with_mail && has_offender(r))
		render(d, res);
}

void
dry_result_clear(struct dry_result *res)
{
	if (res->mails != NULL)
		g_ptr_array_unref(res->mails);
	if (res->notes != NULL)
		g_ptr_array_unref(res->notes);
	g_free(res->render_error);
	report_free(&res->report);
	memset(res, 0, sizeof(*res));
}
