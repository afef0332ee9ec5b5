/*
 * pipeline.c: one message through every stage, and the long-lived context
 * those stages need.  The only place that knows the order of the stages.
 *
 * Order of work for one message:
 *   sha256 -> parse -> rules -> route            (no side effects)
 *   BEGIN IMMEDIATE
 *     seen before?  -> count the sighting, COMMIT, done
 *     store message, report, findings, rule hits
 *     abuse report with offenders -> open case, store routes,
 *         dedup, then render takedowns into outbox/tmp and store the
 *         notifications (window 0) or add to batches (pipeline_batch.c,
 *         rendered later by pipeline_flush())
 *     reply / bounce / auto-reply -> link to its case
 *   COMMIT -> move the takedowns into outbox/new
 * Any failure before COMMIT rolls back and removes the rendered files, so
 * a retry starts from a clean state.
 */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "ingest/ingest.h"
#include "ingest/pipeline.h"
#include "parse/parse.h"
#include "rules/rules.h"
#include "route/route.h"
#include "notify/notify.h"
#include "case/case.h"
#include "ingest/pipeline_batch.h"

struct pipeline {
	struct ruleset		*rules;
	struct route_tables	*tables;
	struct casedb		*db;
	struct parse_limits	 limits;
	struct notify_config	 ncfg;
	char			*outbox, *templates, *from, *domain;
	struct batch_policy	*policy;	/* windows and dedup */
	struct route_live_ctx	*live;		/* live lookups, or NULL */
	guint			 live_saved;	/* route_live_fetched() saved */
};

static gboolean
load_rules_and_tables(const struct config *cfg, struct ruleset **rs_r,
    struct route_tables **t_r, GError **error)
{
	GPtrArray *diags = g_ptr_array_new_with_free_func(rules_diag_free);

	*rs_r = rules_load(cfg->rules, diags, error);
	g_ptr_array_unref(diags);
	if (*rs_r == NULL) {
		g_prefix_error(error, "rules: ");
		return FALSE;
	}
	*t_r = ingest_route_open(cfg, error);
	if (*t_r == NULL) {
		rules_free(rs_r);
		return FALSE;
	}
	return TRUE;
}

static void
set_notify(struct pipeline *p, const struct config *cfg)
{
	g_free(p->outbox);
	g_free(p->templates);
	g_free(p->from);
	g_free(p->domain);
	p->outbox = g_strdup(cfg->outbox);
	p->templates = g_strdup(cfg->templates);
	p->from = g_strdup(cfg->from);
	p->domain = g_strdup(cfg->domain);
	p->ncfg.outbox = p->outbox;
	p->ncfg.templates = p->templates;
	p->ncfg.from = p->from;
	p->ncfg.domain = p->domain;
	p->limits = cfg->limits;
}

struct pipeline *
pipeline_open(const struct config *cfg, GError **error)
{
	struct pipeline *p = g_new0(struct pipeline, 1);

	g_return_val_if_fail(error == NULL || *error == NULL, NULL);
	parse_init();
	if (!load_rules_and_tables(cfg, &p->rules, &p->tables, error))
		goto fail;
	if ((p->db = casedb_open(cfg->db_path, error)) == NULL)
		goto fail;
	if ((p->policy = batch_policy_new(cfg, error)) == NULL)
		goto fail;
	p->live = ingest_live_open(cfg, p->db, p->tables);
	set_notify(p, cfg);
	return p;
fail:
	pipeline_close(&p);
	return NULL;
}

gboolean
pipeline_reload(struct pipeline *p, const struct config *cfg, GError **error)
{
	struct ruleset *rs;
	struct route_tables *t;
	struct route_live_ctx *live;

	struct batch_policy *pol;

	if ((pol = batch_policy_new(cfg, error)) == NULL)
		return FALSE;
	if (!load_rules_and_tables(cfg, &rs, &t, error)) {
		batch_policy_free(&pol);
		return FALSE;	/* the old ones stay */
	}
	batch_policy_free(&p->policy);
	p->policy = pol;
	/* the new tables get a new context (new config); the old one goes
	 * only after the tables pointing at it */
	live = ingest_live_open(cfg, p->db, t);
	rules_free(&p->rules);
	route_close(&p->tables);
	route_live_free(&p->live);
	p->rules = rs;
	p->tables = t;
	p->live = live;
	p->live_saved = 0;
	set_notify(p, cfg);
	return TRUE;
}

gboolean
pipeline_set_batch(struct pipeline *p, GError **error)
{
	p->ncfg.deferred_sync = TRUE;
	return casedb_set_batch_mode(p->db, TRUE, error);
}

void
pipeline_close(struct pipeline **pp)
{
	struct pipeline *p;
	GError *err = NULL;

	if (pp == NULL || (p = *pp) == NULL)
		return;
	if (p->ncfg.deferred_sync && p->outbox != NULL &&
	    !notify_sync(&p->ncfg, &err)) {
		g_warning("%s", err->message);
		g_error_free(err);
	}
	rules_free(&p->rules);
	route_close(&p->tables);
	route_live_free(&p->live);
	casedb_close(&p->db);
	batch_policy_free(&p->policy);
	g_free(p->outbox);
	g_free(p->templates);
	g_free(p->from);
	g_free(p->domain);
	g_free(p);
	*pp = NULL;
}

const struct route_tables *
pipeline_route_tables(struct pipeline *p)
{
	return p->tables;
}

struct casedb *
pipeline_db(struct pipeline *p)
{
	return p->db;
}

void
pipeline_outcome_clear(struct pipeline_outcome *o)
{
	g_free(o->case_tag);
	g_free(o->summary);
	report_free(&o->report);
	memset(o, 0, sizeof(*o));
}

static void
count_findings(const struct report *r, struct pipeline_outcome *o)
{
	guint i;

	o->findings = r->findings->len;
	for (i = 0; i < r->findings->len; i++) {
		const struct finding *f = g_ptr_array_index(r->findings, i);

		if (f->role == FINDING_ROLE_OFFENDER && !f->suppressed)
			o->offenders++;
	}
}

/* Inside the transaction: what the message means for cases. */
static gboolean
handle_cases(struct pipeline *p, gint64 msg_id, struct report *r,
    const struct verdict *v, const struct route_result *res,
    gboolean quarantined, gint64 now, GPtrArray *notes,
    struct pipeline_outcome *o, GError **error)
{
	struct batch_counts counts = { 0, 0 };
	gint64 case_id = 0;
	char *tag = NULL;
	int rc;

	switch (r->kind) {
	case REPORT_KIND_REPLY:
	case REPORT_KIND_BOUNCE:
	case REPORT_KIND_AUTOREPLY:
		if ((rc = casedb_find_case(p->db, r, &case_id, error)) < 0)
			return FALSE;
		if (rc == 0)
			return casedb_event(p->db, msg_id, 0, "unmatched",
			    report_kind_name(r->kind), error);
		o->case_id = case_id;
		o->case_tag = g_strdup(r->case_tag);
		return casedb_link_message(p->db, case_id, msg_id,
		    report_kind_name(r->kind), error);
	case REPORT_KIND_ABUSE:
		break;
	default:
		return TRUE;
	}
	if (v->ignore)
		return casedb_event(p->db, msg_id, 0, "ignored",
		    "a rule said: no case", error);
	if (quarantined)
		return casedb_event(p->db, msg_id, 0, "quarantined",
		    "over the size limit: an analyst decides", error);
	if (o->offenders == 0)
		return casedb_event(p->db, msg_id, 0, "no-offenders",
		    "nothing to act on", error);
	case_id = casedb_open_case(p->db, msg_id, v->category, &tag, error);
	if (case_id < 0)
		return FALSE;
	o->case_id = case_id;
	o->case_tag = tag;
	o->opened = TRUE;
	if (!casedb_store_routes(p->db, case_id, res, error))
		return FALSE;
	/* dedup, then render now (window 0) or add to the open batches */
	if (!batch_handle_case(p->policy, p->db, &p->ncfg, r, res, case_id,
	    tag, now, notes, &counts, error))
		return FALSE;
	o->notifications = notes->len;
	o->batched = counts.batched;
	o->deduplicated = counts.deduplicated;
	return TRUE;
}

struct report *
pipeline_analyse(const struct ruleset *rs, const struct route_tables *t,
    const struct parse_limits *l, const guint8 *raw, gsize len,
    gboolean route, struct verdict *v, struct route_result *res)
{
	struct report *r = parse_message(raw, len, l);

	memset(res, 0, sizeof(*res));
	rules_eval(rs, r, v);
	if (v->category != NULL && r->category == NULL)
		r->category = v->category;
	if (route && r->kind == REPORT_KIND_ABUSE && !v->ignore) {
		route_report(t, r, res);
		if (v->route_to != NULL)
			route_override(t, r, res, v->route_to);
	}
	return r;
}

static void
summarise(const struct pipeline_input *in, const struct report *r,
    struct pipeline_outcome *o)
{
	GString *s = g_string_new(NULL);

	g_string_append_printf(s, "%.12s: origin=%.200s", o->sha256,
	    in->origin != NULL ? in->origin : "?");
	if (o->duplicate) {
		g_string_append(s, " duplicate=yes");
	} else {
		g_string_append_printf(s, " kind=%s format=%s status=%s "
		    "findings=%u offenders=%u", report_kind_name(r->kind),
		    r->format, o->status, o->findings, o->offenders);
		if (o->case_tag != NULL)
			g_string_append_printf(s, " case=%s%s", o->case_tag,
			    o->opened ? "" : "(linked)");
		if (o->opened)
			g_string_append_printf(s, " routed=%u unrouted=%u "
			    "takedowns=%u batched=%u deduplicated=%u",
			    o->routed, o->unrouted, o->notifications,
			    o->batched, o->deduplicated);
		if (r->warnings->len > 0)
			g_string_append_printf(s, " warnings=%u",
			    r->warnings->len);
	}
	o->summary = g_string_free(s, FALSE);
}

static void
discard_all(GPtrArray *notes)
{
	guint i;

	for (i = 0; i < notes->len; i++)
		notify_discard(g_ptr_array_index(notes, i));
	g_ptr_array_set_size(notes, 0);
}

gboolean
pipeline_process(struct pipeline *p, const struct pipeline_input *in,
    gboolean keep_report, struct pipeline_outcome *o, GError **error)
{
	struct case_message cm;
	struct verdict v;
	struct route_result res;
	struct report *r;
	GPtrArray *notes;
	gint64 now;
	gint64 msg_id, live_since = g_get_real_time() / G_USEC_PER_SEC;
	gboolean ok = FALSE;
	guint i;
	int seen;

	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);
	memset(o, 0, sizeof(*o));
	memset(&v, 0, sizeof(v));
	memset(&res, 0, sizeof(res));
	{
		char *hex = g_compute_checksum_for_data(G_CHECKSUM_SHA256,
		    in->raw, in->len);

		g_strlcpy(o->sha256, hex, sizeof(o->sha256));
		g_free(hex);
	}

	if (p->live != NULL)
		route_live_begin(p->live);
	r = pipeline_analyse(p->rules, p->tables, &p->limits, in->raw,
	    in->len, !in->quarantined, &v, &res);
	count_findings(r, o);
	if (res.routes != NULL) {
		o->routed = res.routes->len - res.unrouted;
		o->unrouted = res.unrouted;
	}
	o->status = in->quarantined ? "quarantined" :
	    r->kind == REPORT_KIND_UNPARSED ? "unparsed" : "parsed";

	memset(&cm, 0, sizeof(cm));
	cm.sha256 = o->sha256;
	cm.raw = in->raw;
	cm.raw_len = in->len;
	cm.origin = in->origin;
	cm.env_sender = in->sender;
	cm.env_recipient = in->recipient;
	cm.env_orig_recipient = in->orig_recipient;
	now = in->now != 0 ? in->now : g_get_real_time() / G_USEC_PER_SEC;
	cm.received_at = in->received_at != 0 ? in->received_at : now;
	cm.quarantined = in->quarantined;
	cm.orig_size = in->orig_size != 0 ? in->orig_size : (gint64)in->len;
	cm.orig_sha256 = in->orig_sha256;

	notes = g_ptr_array_new();
	if (!casedb_begin(p->db, error))
		goto out;
	/* the answers that routed this message, committed with it */
	if (!ingest_live_save(p->live, p->db, &p->live_saved, live_since,
	    error))
		goto rollback;
	if ((seen = casedb_lookup_message(p->db, o->sha256, &msg_id,
	    error)) < 0)
		goto rollback;
	if (seen) {
		o->duplicate = TRUE;
		o->msg_id = msg_id;
		if (!casedb_mark_seen(p->db, msg_id, in->origin, error))
			goto rollback;
	} else {
		msg_id = casedb_store_message(p->db, &cm, o->status, error);
		if (msg_id < 0 ||
		    casedb_store_report(p->db, msg_id, r, &v, error) < 0)
			goto rollback;
		o->msg_id = msg_id;
		if (v.trusted && !casedb_event(p->db, msg_id, 0,
		    "trusted-reporter", r->reporter != NULL ? r->reporter :
		    r->from, error))
			goto rollback;
		if (!handle_cases(p, msg_id, r, &v, &res, in->quarantined,
		    now, notes, o, error))
			goto rollback;
	}
	if (!casedb_commit(p->db, error))
		goto rollback;
	/* Committed: the takedowns become visible.  A crash between the
	 * commit and here is repaired by pipeline_recover_outbox(). */
	for (i = 0; i < notes->len; i++) {
		GError *perr = NULL;

		if (!notify_publish(&p->ncfg, g_ptr_array_index(notes, i),
		    &perr)) {
			g_warning("%.12s: outbox: %s", o->sha256,
			    perr->message);
			g_error_free(perr);
		}
	}
	ok = TRUE;
	goto out;
rollback:
	casedb_rollback(p->db);
	discard_all(notes);
	g_free(o->case_tag);
	o->case_tag = NULL;
out:
	if (ok)
		summarise(in, r, o);
	g_ptr_array_unref(notes);
	if (ok && keep_report)
		o->report = r;
	else
		report_free(&r);
	return ok;
}

gint
pipeline_flush(struct pipeline *p, gint64 now, gboolean all,
    GError **error)
{
	return batch_flush(p->db, &p->ncfg, now, all, error);
}

int
pipeline_next_due(struct pipeline *p, gint64 *due_r, GError **error)
{
	return casedb_batch_next_due(p->db, due_r, error);
}

/* Seconds an outbox/tmp file the database does not know is left alone:
 * another process (`notify flush`, `reprocess`) may be between rendering
 * it and its COMMIT.  Older ones belong to a transaction that died. */
#define OUTBOX_TMP_GRACE	600

/* stale - TRUE when path was last written before the grace period */
static gboolean
stale(const char *path)
{
	GStatBuf st;

	return g_stat(path, &st) == 0 &&
	    st.st_mtime < g_get_real_time() / G_USEC_PER_SEC -
	    OUTBOX_TMP_GRACE;
}

guint
pipeline_recover_outbox(struct pipeline *p, GError **error)
{
	char *tmpdir = g_build_filename(p->outbox, "tmp", NULL);
	GDir *d = g_dir_open(tmpdir, 0, error);
	const char *name;
	guint n = 0;

	if (d == NULL) {
		g_free(tmpdir);
		return 0;
	}
	while ((name = g_dir_read_name(d)) != NULL) {
		struct notification note;
		char *path = g_build_filename(tmpdir, name, NULL);
		GError *err = NULL;
		int known = casedb_notification_exists(p->db, name, &err);

		memset(&note, 0, sizeof(note));
		note.tmp_path = path;
		note.file = name;
		if (known > 0 && notify_publish(&p->ncfg, &note, &err)) {
			n++;
		} else if (known == 0 && stale(path)) {
			notify_discard(&note);
		} else if (err != NULL) {
			g_warning("outbox recovery: %s: %s", name,
			    err->message);
		}
		g_clear_error(&err);
		g_free(path);
	}
	g_dir_close(d);
	g_free(tmpdir);
	return n;
}
