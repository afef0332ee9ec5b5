/*
 * cmd_hold.c: `abusedesk hold` and `abusedesk release`: pause and resume
 * the processing of the spool without stopping mail delivery.
 *
 * hold creates the flag file <home>/hold: `deliver` does not look at it
 * and keeps accepting into the spool, while `run` claims nothing while
 * it exists (ingest/run.c looks before each claim).  release removes it
 * and sends SIGUSR1 to the daemon of <home>/run.pid, so the spool is
 * rescanned at once instead of at the next [run] rescan.
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <glib/gstdio.h>

#include "cli/cli_rules.h"
#include "ingest/ingest_config.h"

static char *
hold_path(struct cli *g, struct config **cfg_r)
{
	if ((*cfg_r = cli_config(g)) == NULL)
		return NULL;
	return g_build_filename((*cfg_r)->home, "hold", NULL);
}

int
cmd_hold(struct cli *g, int argc, char **argv)
{
	struct config *cfg = NULL;
	GError *err = NULL;
	char *path, *text;
	int status = 0;

	if (!cli_options("- stop processing; delivery goes on", "Creates "
	    "<home>/hold: the daemon claims nothing until `abusedesk "
	    "release`.", NULL, &argc, &argv, &status))
		return status;
	if ((path = hold_path(g, &cfg)) == NULL)
		return 1;
	text = g_strdup_printf("held at %" G_GINT64_FORMAT "\n",
	    g_get_real_time() / G_USEC_PER_SEC);
	if (!g_file_set_contents(path, text, -1, &err)) {
		fprintf(stderr, "abusedesk: %s\n", err->message);
		g_error_free(err);
		status = 1;
	} else {
		printf("held: %s\n", path);
	}
	g_free(text);
	g_free(path);
	config_free(&cfg);
	return status;
}

int
cmd_release(struct cli *g, int argc, char **argv)
{
	struct config *cfg = NULL;
	char *path;
	int status = 0;
	long pid;

	if (!cli_options("- resume processing", "Removes <home>/hold and "
	    "tells the daemon to rescan the spool.", NULL, &argc, &argv,
	    &status))
		return status;
	if ((path = hold_path(g, &cfg)) == NULL)
		return 1;
	if (g_unlink(path) == -1 && errno != ENOENT) {
		fprintf(stderr, "abusedesk: %s: %s\n", path,
		    g_strerror(errno));
		status = 1;
	} else {
		printf("released\n");
		if ((pid = cli_daemon_pid(cfg->home)) > 0)
			kill((pid_t)pid, SIGUSR1);
	}
	g_free(path);
	config_free(&cfg);
	return status;
}
