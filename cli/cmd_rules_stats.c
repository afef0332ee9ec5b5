/*
 * cmd_rules_stats.c: the rules in production.
 *
 *   abusedesk rules stats [--since DATE]	 hits per rule in the reports
 *	stored since DATE, then the rules of the current set that never
 *	fired in that period
 *   abusedesk rules shadow-report [--since DATE]  what the shadow rule
 *	set would have done differently (ingest/shadow.c)
 *   abusedesk rules reload			 SIGHUP to the running daemon
 *
 * The rule ids of the current set come from rules_foreach().
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli_rules.h"
#include "ingest/ingest_config.h"
#include "case/case.h"
#include "rules/rules.h"

gint64
cli_parse_since(const char *s)
{
	GTimeZone *utc;
	GDateTime *dt;
	char *end, *iso;
	gint64 n, t;

	n = g_ascii_strtoll(s, &end, 10);
	if (end != s && (strcmp(end, "d") == 0 || strcmp(end, "h") == 0) &&
	    n >= 0)
		return g_get_real_time() / G_USEC_PER_SEC -
		    n * (*end == 'd' ? 86400 : 3600);
	if (strlen(s) == 10)
		iso = g_strconcat(s, "T00:00:00Z", NULL);
	else
		iso = g_strdup(s);
	utc = g_time_zone_new_utc();
	dt = g_date_time_new_from_iso8601(iso, utc);
	g_time_zone_unref(utc);
	g_free(iso);
	if (dt == NULL)
		return -1;
	t = g_date_time_to_unix(dt);
	g_date_time_unref(dt);
	return t;
}

long
cli_daemon_pid(const char *home)
{
	char *path = g_build_filename(home, "run.pid", NULL);
	char *text = NULL;
	long pid = 0;

	if (g_file_get_contents(path, &text, NULL, NULL))
		pid = strtol(text, NULL, 10);
	g_free(text);
	g_free(path);
	if (pid <= 0 || (kill((pid_t)pid, 0) == -1 && errno == ESRCH))
		return 0;
	return pid;
}

/* Parses --since (0: no limit); FALSE with a message when bad. */
static gboolean
since_arg(const char *since_opt, gint64 *since_r, int *status)
{
	*since_r = 0;
	if (since_opt != NULL && (*since_r = cli_parse_since(since_opt)) <
	    0) {
		fprintf(stderr, "abusedesk: --since %s: not a date "
		    "(YYYY-MM-DD, ISO 8601, Nd, Nh)\n", since_opt);
		*status = 2;
		return FALSE;
	}
	return TRUE;
}

static void
add_id(const char *id, const char *description, const char *file,
    guint line, gpointer data)
{
	(void)description;
	(void)file;
	(void)line;
	g_ptr_array_add(data, g_strdup(id));
}

/* Every rule id of the rules at path, in evaluation order. */
static void
rule_ids(const char *path, GPtrArray *out)
{
	struct ruleset *rs;
	GError *err = NULL;

	if ((rs = rules_load(path, NULL, &err)) == NULL) {
		fprintf(stderr, "abusedesk: %s (rules that never fired "
		    "not listed)\n", err->message);
		g_error_free(err);
		return;
	}
	rules_foreach(rs, add_id, out);
	rules_free(&rs);
}

static int
open_db(struct cli *g, struct config **cfg_r, struct casedb **db_r)
{
	GError *err = NULL;

	if ((*cfg_r = cli_config(g)) == NULL)
		return 1;
	if ((*db_r = casedb_open((*cfg_r)->db_path, &err)) == NULL) {
		fprintf(stderr, "abusedesk: %s\n", err->message);
		g_error_free(err);
		config_free(cfg_r);
		return 1;
	}
	return 0;
}

static void
print_stats(const char *rules, GPtrArray *stats, gint64 reports)
{
	GHashTable *fired = g_hash_table_new(g_str_hash, g_str_equal);
	GPtrArray *ids = g_ptr_array_new_with_free_func(g_free);
	guint i, never = 0;

	printf("%" G_GINT64_FORMAT " report(s); rule hits:\n", reports);
	for (i = 0; i < stats->len; i++) {
		const struct case_rule_stat *s = g_ptr_array_index(stats, i);

		printf("  %-40s %6" G_GINT64_FORMAT " report(s) %6"
		    G_GINT64_FORMAT " match(es)\n", s->rule_id, s->reports,
		    s->matches);
		g_hash_table_add(fired, s->rule_id);
	}
	rule_ids(rules, ids);
	for (i = 0; i < ids->len; i++) {
		if (g_hash_table_contains(fired, g_ptr_array_index(ids, i)))
			continue;
		if (never++ == 0)
			printf("never fired:\n");
		printf("  %s\n", (const char *)g_ptr_array_index(ids, i));
	}
	if (never == 0)
		printf("never fired: none\n");
	g_ptr_array_unref(ids);
	g_hash_table_unref(fired);
}

int
rules_stats(struct cli *g, int argc, char **argv)
{
	char *since_opt = NULL;
	GOptionEntry entries[] = {
		{ "since", 0, 0, G_OPTION_ARG_STRING, &since_opt,
		  "only reports stored since DATE (YYYY-MM-DD, 7d, 24h)",
		  "DATE" },
		{ NULL, 0, 0, 0, NULL, NULL, NULL }
	};
	GPtrArray *stats = g_ptr_array_new_with_free_func(case_rule_stat_free);
	struct config *cfg = NULL;
	struct casedb *db = NULL;
	GError *err = NULL;
	gint64 since, reports;
	int status = 0;

	if (!cli_options("- hits per rule", "Hits per rule, and the rules "
	    "that never fired.", entries, &argc, &argv, &status) ||
	    !since_arg(since_opt, &since, &status))
		goto out;
	if ((status = open_db(g, &cfg, &db)) != 0)
		goto out;
	if ((reports = casedb_reports_since(db, since, &err)) < 0 ||
	    !casedb_rule_stats(db, since, stats, &err)) {
		fprintf(stderr, "abusedesk: %s\n", err->message);
		g_error_free(err);
		status = 1;
		goto out;
	}
	print_stats(cfg->rules, stats, reports);
	{
		gint64 nrep, nerr;

		if (casedb_rule_errors_since(db, since, &nrep, &nerr, &err))
			printf("rule errors: %" G_GINT64_FORMAT " in %"
			    G_GINT64_FORMAT " report(s)%s\n", nerr, nrep,
			    nerr > 0 ? " (the reports' warnings name the "
			    "rules)" : "");
		g_clear_error(&err);
	}
out:
	casedb_close(&db);
	config_free(&cfg);
	g_ptr_array_unref(stats);
	g_free(since_opt);
	return status;
}

int
rules_shadow_report(struct cli *g, int argc, char **argv)
{
	char *since_opt = NULL;
	GOptionEntry entries[] = {
		{ "since", 0, 0, G_OPTION_ARG_STRING, &since_opt,
		  "only differences since DATE (YYYY-MM-DD, 7d, 24h)",
		  "DATE" },
		{ NULL, 0, 0, 0, NULL, NULL, NULL }
	};
	struct config *cfg = NULL;
	struct casedb *db = NULL;
	GString *out = g_string_new(NULL);
	GError *err = NULL;
	gint64 since;
	int status = 0;

	if (!cli_options("- what the shadow rules would have changed",
	    "The differences the shadow rule set recorded.", entries, &argc,
	    &argv, &status) ||
	    !since_arg(since_opt, &since, &status))
		goto out;
	if ((status = open_db(g, &cfg, &db)) != 0)
		goto out;
	if (!casedb_shadow_report(db, since, out, &err)) {
		fprintf(stderr, "abusedesk: %s\n", err->message);
		g_error_free(err);
		status = 1;
		goto out;
	}
	fputs(out->str, stdout);
out:
	casedb_close(&db);
	config_free(&cfg);
	g_string_free(out, TRUE);
	g_free(since_opt);
	return status;
}

int
rules_reload(struct cli *g, int argc, char **argv)
{
	struct config *cfg;
	int status = 0;
	long pid;

	if (!cli_options("- reload the running daemon", "Sends SIGHUP to "
	    "the daemon of <home>/run.pid: it reloads config, rules and "
	    "tables, keeping the old ones if the new fail.", NULL, &argc,
	    &argv, &status))
		return status;
	if ((cfg = cli_config(g)) == NULL)
		return 1;
	if ((pid = cli_daemon_pid(cfg->home)) == 0) {
		fprintf(stderr, "abusedesk: no daemon runs for %s\n",
		    cfg->home);
		status = 1;
	} else if (kill((pid_t)pid, SIGHUP) == -1) {
		fprintf(stderr, "abusedesk: kill %ld: %s\n", pid,
		    g_strerror(errno));
		status = 1;
	} else {
		printf("sent SIGHUP to %ld\n", pid);
	}
	config_free(&cfg);
	return status;
}
