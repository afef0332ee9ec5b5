/*
 * shadow.h: shadow mode: a candidate rule set evaluated beside the live
 * one on every message the daemon processes, its differences recorded in
 * the case database (shadow_diffs) and never acted on.
 */
#ifndef ABUSEDESK_SHADOW_H
#define ABUSEDESK_SHADOW_H

#include <glib.h>
#include "ingest/ingest_config.h"
#include "ingest/pipeline_dry.h"
#include "case/case.h"

struct shadow;

/* The candidate rules directory, or NULL when shadow mode is off.  Until
 * the config has a [rules] shadow key this is $ABUSEDESK_SHADOW_RULES. */
const char	*shadow_rules_path(const struct config *cfg);
/* NULL without an error when shadow mode is off. */
struct shadow	*shadow_open(const struct config *cfg, GError **error);
void		 shadow_close(struct shadow **shp);
/* Evaluates the message of spool/work/<name> (stored as msg_id) with
 * both rule sets and records the differences.  Failures are logged. */
void		 shadow_check(struct shadow *sh, struct casedb *db,
		    const struct config *cfg, const char *name,
		    gint64 msg_id);
/* The differences between two dry results, as struct case_shadow_diff *
 * with their own strings (free the array). */
GPtrArray	*shadow_compare(const struct dry_result *live,
		    const struct dry_result *cand);

#endif
