/*
 * cli_rules.h: what the files of `abusedesk rules` share.
 */
#ifndef ABUSEDESK_CLI_RULES_H
#define ABUSEDESK_CLI_RULES_H

#include <glib.h>
#include "cli/cli.h"
#include "ingest/pipeline_dry.h"

/* cmd_rules_test.c */
int		 rules_test(struct cli *g, int argc, char **argv);
/* The lines of an .expect file for a dry result (g_free the array). */
GPtrArray	*rules_expect_lines(const struct dry_result *res);

/* cmd_rules_corpus.c */
/* Every *.eml of dir against its *.expect; update rewrites them. */
int		 rules_corpus(struct dry *d, const char *dir, gboolean update);

/* cmd_rules_stats.c */
int		 rules_stats(struct cli *g, int argc, char **argv);
int		 rules_shadow_report(struct cli *g, int argc, char **argv);
int		 rules_reload(struct cli *g, int argc, char **argv);
/* "2024-05-01", "2024-05-01T12:00:00Z", "7d" (days ago), "24h": unix
 * time; -1 when unreadable. */
gint64		 cli_parse_since(const char *s);
/* The pid in <home>/run.pid, or 0 when no daemon runs. */
long		 cli_daemon_pid(const char *home);

#endif
