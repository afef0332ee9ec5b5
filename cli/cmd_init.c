/*
 * cmd_init.c: `abusedesk init`: create the state directory with safe
 * modes: spool/ and outbox/ Maildir-style folders (0700), the case
 * database (0600) and a copy of the configuration (0600).  deliver never
 * creates any of this itself, so a wrong path cannot swallow mail.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <glib/gstdio.h>

#include "cli/cli.h"
#include "ingest/ingest_config.h"
#include "case/case.h"

static const char *const dirs[] = {
	"", "spool", "spool/tmp", "spool/new", "spool/work", "spool/archive",
	"spool/failed", "outbox", "outbox/tmp", "outbox/new", "outbox/cur",
};

static gboolean
make_dirs(const char *home)
{
	guint i;

	for (i = 0; i < G_N_ELEMENTS(dirs); i++) {
		char *d = g_build_filename(home, dirs[i], NULL);

		if (g_mkdir(d, 0700) != 0 && errno != EEXIST) {
			fprintf(stderr, "abusedesk init: mkdir %s: %s\n", d,
			    g_strerror(errno));
			g_free(d);
			return FALSE;
		}
		if (chmod(d, 0700) != 0) {
			fprintf(stderr, "abusedesk init: chmod %s: %s\n", d,
			    g_strerror(errno));
			g_free(d);
			return FALSE;
		}
		g_free(d);
	}
	return TRUE;
}

static gboolean
write_config(const char *file, gboolean force)
{
	char *text = NULL, *sys;
	GError *err = NULL;
	gboolean ok;

	if (!force && g_file_test(file, G_FILE_TEST_EXISTS))
		return TRUE;	/* keep the admin's file */
	sys = g_build_filename(SYSCONFDIR, "abusedesk", "abusedesk.conf",
	    NULL);
	if (!g_file_get_contents(sys, &text, NULL, NULL))
		text = config_default_text();
	g_free(sys);
	ok = g_file_set_contents_full(file, text, -1,
	    G_FILE_SET_CONTENTS_CONSISTENT, 0600, &err);
	if (!ok) {
		fprintf(stderr, "abusedesk init: %s\n", err->message);
		g_error_free(err);
	}
	g_free(text);
	return ok;
}

int
cmd_init(struct cli *g, int argc, char **argv)
{
	gboolean force = FALSE;
	GOptionEntry entries[] = {
		{ "force", 0, 0, G_OPTION_ARG_NONE, &force,
		  "overwrite an existing abusedesk.conf", NULL },
		{ NULL, 0, 0, 0, NULL, NULL, NULL }
	};
	struct config *cfg;
	struct casedb *db;
	char *home, *file;
	GError *err = NULL;
	int status = 0;

	if (!cli_options("- create the state directory", NULL, entries,
	    &argc, &argv, &status))
		return status;
	config_locate(g->home_opt, g->config_opt, &home, &file);
	if (!make_dirs(home) || !write_config(file, force)) {
		status = 1;
		goto out;
	}
	if ((cfg = cli_config(g)) == NULL) {
		status = 1;
		goto out;
	}
	if ((db = casedb_open(cfg->db_path, &err)) == NULL) {
		fprintf(stderr, "abusedesk init: %s\n", err->message);
		g_error_free(err);
		status = 1;
	} else {
		casedb_close(&db);
		printf("initialised %s: spool/, outbox/, abusedesk.db, "
		    "config %s\n", home, file);
	}
	config_free(&cfg);
out:
	g_free(home);
	g_free(file);
	return status;
}
