/*
 * pipeline_batch.h: aggregation windows and dedup of takedowns, the part
 * of the pipeline between routing and the outbox (issue 5).  Only
 * pipeline.c includes it.
 *
 * The policy ([notify] window, windows, dedup, dedups) is built from the
 * config with the rest of the pipeline's long-lived context.  Per
 * contact group of a report: findings already sent to (or waiting for)
 * the same contact within the dedup interval are linked, not sent
 * again; then window 0 renders the request at once, as before, and a
 * window > 0 adds the findings to the contact's open batch.
 */
#ifndef ABUSEDESK_PIPELINE_BATCH_H
#define ABUSEDESK_PIPELINE_BATCH_H

#include <glib.h>
#include "ingest/ingest_config.h"
#include "parse/report.h"
#include "route/route.h"
#include "notify/notify.h"
#include "case/case.h"

struct batch_policy;

/* NULL with INGEST_ERROR_CONFIG naming the key and the entry when
 * windows or dedups has a bad "category=duration" entry. */
struct batch_policy	*batch_policy_new(const struct config *cfg,
			    GError **error);
void			 batch_policy_free(struct batch_policy **pp);
/* Seconds for a category ("" or NULL: none), the default if not
 * overridden. */
guint			 batch_policy_window(
			    const struct batch_policy *pol,
			    const char *category);
guint			 batch_policy_dedup(const struct batch_policy *pol,
			    const char *category);

/* What one report's takedowns became. */
struct batch_counts {
	guint	batched;	/* findings added to a batch */
	guint	deduplicated;	/* findings linked, not sent again */
};

/* Inside the message's transaction: dedup, then render at once into
 * notes (stored, and recorded as sent batches) or add to batches. */
gboolean		 batch_handle_case(const struct batch_policy *pol,
			    struct casedb *db,
			    const struct notify_config *ncfg,
			    const struct report *r,
			    const struct route_result *res, gint64 case_id,
			    const char *tag, gint64 now, GPtrArray *notes,
			    struct batch_counts *counts, GError **error);

/* Renders the pending batches due at now (all of them with all), each
 * in its own transaction, published after its commit.  Returns the
 * number of takedowns rendered, or -1 (the failed batch stays
 * pending; those before it are sent). */
gint			 batch_flush(struct casedb *db,
			    const struct notify_config *ncfg, gint64 now,
			    gboolean all, GError **error);

#endif
