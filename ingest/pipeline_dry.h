/*
 * pipeline_dry.h: one message through parse -> rules -> route -> notify
 * without side effects, for `abusedesk rules test` and shadow mode.
 *
 * A dry context holds its own rules and routing tables (the config's, or
 * a rules path given instead).  dry_process() never touches the case
 * database, the spool or the outbox: takedowns are rendered into a
 * temporary directory, read back into memory and the directory removed.
 */
#ifndef ABUSEDESK_PIPELINE_DRY_H
#define ABUSEDESK_PIPELINE_DRY_H

#include <glib.h>
#include "parse/report.h"
#include "rules/rules.h"
#include "route/route.h"
#include "ingest/ingest_config.h"

struct dry;

struct dry_result {
	struct report		*report;
	struct verdict		 verdict;
	struct route_result	 routes;	/* .routes NULL: not routed */
	gboolean		 routed;	/* the pipeline would route */
	/* struct notification * (arena; their files are gone) and char *,
	 * the text of each, in the same order. */
	GPtrArray		*notes;
	GPtrArray		*mails;
	char			*render_error;	/* or NULL */
};

/* rules_path NULL: the config's rules. */
struct dry	*dry_open(const struct config *cfg, const char *rules_path,
		    GError **error);
void		 dry_close(struct dry **dp);
const struct ruleset *dry_rules(const struct dry *d);
/* with_mail: render the takedowns (case tag "CASE-000000"). */
void		 dry_process(struct dry *d, const guint8 *raw, gsize len,
		    gboolean with_mail, struct dry_result *res);
void		 dry_result_clear(struct dry_result *res);

#endif
