/*
 * ingest_int.h: the daemon's pieces (spool handling, the run loop, the
 * log writer), for cli/ and the tests.
 */
#ifndef ABUSEDESK_INGEST_INT_H
#define ABUSEDESK_INGEST_INT_H

#include <glib.h>
#include "ingest/ingest.h"
#include "ingest/ingest_config.h"
#include "ingest/pipeline.h"

/* spool.c: spool/{tmp,new,work,archive,failed}. */
/* Names in spool/<sub>, sorted (oldest first: names start with time). */
GPtrArray	*spool_list(const char *spool, const char *sub);
/* Renames new/<name> into work/<name>: 1 claimed, 0 gone (someone else
 * took it), -1 error. */
int		 spool_claim(const char *spool, const char *name,
		    GError **error);
/* Moves work/<name> to <sub>/<name> ("new" to retry, "archive",
 * "failed"), or removes it when sub is NULL. */
gboolean	 spool_move(const char *spool, const char *name,
		    const char *sub, GError **error);
/* Reads work/<name> and runs it through the pipeline. */
gboolean	 spool_process(struct pipeline *p, const struct config *cfg,
		    const char *name, struct pipeline_outcome *o,
		    GError **error);

/* run.c */
struct run_options {
	gboolean	once;
	const char	*home_opt;
	const char	*config_opt;
};
int		 ingest_run(struct config **cfgp,
		    const struct run_options *opt);

/* log.c */
void		 ingest_log_init(gboolean verbose, gboolean use_syslog);

#endif
