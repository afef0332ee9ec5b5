/*
 * cmd_run.c: `abusedesk run [--once]`: the daemon (ingest/run.c).
 */
#include "config.h"

#include "cli/cli.h"
#include "ingest/ingest_int.h"

int
cmd_run(struct cli *g, int argc, char **argv)
{
	gboolean once = FALSE;
	GOptionEntry entries[] = {
		{ "once", 0, 0, G_OPTION_ARG_NONE, &once,
		  "process what is in the spool, then exit", NULL },
		{ NULL, 0, 0, 0, NULL, NULL, NULL }
	};
	struct run_options opt = { 0 };
	struct config *cfg;
	int status = 0;

	if (!cli_options("- process the spool", "Claims messages from "
	    "spool/new, runs the pipeline, commits to the case database.\n"
	    "SIGTERM finishes the current message; SIGHUP reloads.",
	    entries, &argc, &argv, &status))
		return status;
	if ((cfg = cli_config(g)) == NULL)
		return 75;
	opt.once = once;
	opt.home_opt = g->home_opt;
	opt.config_opt = g->config_opt;
	status = ingest_run(&cfg, &opt);
	config_free(&cfg);
	return status;
}
