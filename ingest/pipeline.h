/*
 * pipeline.h: one message through parse -> rules -> route -> notify ->
 * case, the same function for the daemon and for batch reprocessing.
 *
 * The long-lived context (compiled rules, routing tables, database, outbox
 * settings) is built by pipeline_open() and read-only while messages are
 * processed; pipeline_reload() builds new rules and tables completely and
 * swaps them in only if both loaded.
 */
#ifndef ABUSEDESK_PIPELINE_H
#define ABUSEDESK_PIPELINE_H

#include <glib.h>
#include "parse/report.h"
#include "ingest/ingest_config.h"

struct pipeline;

struct pipeline_input {
	const guint8	*raw;
	gsize		 len;
	const char	*origin;	/* "pipe", "mbox:/x#3", ... */
	const char	*sender;	/* envelope, may be NULL */
	const char	*recipient;
	const char	*orig_recipient;
	gint64		 received_at;	/* 0: now */
	gboolean	 quarantined;
	gint64		 orig_size;	/* 0: len */
	const char	*orig_sha256;	/* NULL: not truncated */
	gint64		 now;		/* batching clock; 0: real time */
};

struct pipeline_outcome {
	gint64		 msg_id;
	gint64		 case_id;	/* 0: none */
	char		*case_tag;	/* opened or linked, or NULL */
	gboolean	 duplicate;	/* these bytes were stored before */
	gboolean	 opened;	/* a new case was opened */
	const char	*status;	/* parsed, unparsed, quarantined */
	char		 sha256[65];
	guint		 findings, offenders, routed, unrouted, notifications;
	guint		 batched;	/* findings waiting in a batch */
	guint		 deduplicated;	/* findings sent before: linked */
	struct report	*report;	/* kept when asked, else NULL */
	char		*summary;	/* one key=value log line */
};

struct pipeline	*pipeline_open(const struct config *cfg, GError **error);
gboolean	 pipeline_reload(struct pipeline *p, const struct config *cfg,
		    GError **error);
void		 pipeline_close(struct pipeline **pp);
/* keep_report: leave the report in out->report for the caller (--json). */
gboolean	 pipeline_process(struct pipeline *p,
		    const struct pipeline_input *in, gboolean keep_report,
		    struct pipeline_outcome *out, GError **error);
void		 pipeline_outcome_clear(struct pipeline_outcome *o);
/* The half of the pipeline without side effects: parse, rules (the
 * verdict's category becomes the report's when it has none), and for an
 * abuse report not ignored by a rule, when route is set, the routes (a
 * rule's `route to` applied).  The daemon, reprocess and `rules test`
 * all go through it. */
struct ruleset;
struct route_tables;
struct verdict;
struct route_result;
struct report	*pipeline_analyse(const struct ruleset *rs,
		    const struct route_tables *t,
		    const struct parse_limits *l, const guint8 *raw,
		    gsize len, gboolean route, struct verdict *v,
		    struct route_result *res);
/* Outbox files rendered before a crash: publish the committed ones,
 * remove the others once they are ten minutes old (a younger one may be
 * another process's, about to be committed).  Returns the number
 * published. */
guint		 pipeline_recover_outbox(struct pipeline *p, GError **error);
/* Renders the takedown batches due at now (every pending one with all),
 * each in its own transaction, published after its commit.  Returns the
 * number rendered, or -1 (the failed batch stays pending). */
gint		 pipeline_flush(struct pipeline *p, gint64 now, gboolean all,
		    GError **error);
/* The due time of the next pending batch: 1 with *due_r, 0 none, -1. */
int		 pipeline_next_due(struct pipeline *p, gint64 *due_r,
		    GError **error);
/* Batch mode (reprocess): the input stays available elsewhere, so the
 * database runs with synchronous=NORMAL and the outbox is not fsynced per
 * file; pipeline_close() makes the outbox durable once at the end. */
gboolean	 pipeline_set_batch(struct pipeline *p, GError **error);
/* The routing tables of the pipeline (read-only). */
const struct route_tables *pipeline_route_tables(struct pipeline *p);
/* The database of the pipeline (for totals). */
struct casedb	*pipeline_db(struct pipeline *p);

#endif
