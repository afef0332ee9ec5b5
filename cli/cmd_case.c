/*
 * cmd_case.c: `abusedesk case list [-n N]` and `abusedesk case show ID`.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "ingest/ingest_config.h"
#include "case/case.h"

int
cmd_case(struct cli *g, int argc, char **argv)
{
	gint limit = 50;
	GOptionEntry entries[] = {
		{ "limit", 'n', 0, G_OPTION_ARG_INT, &limit,
		  "list at most N cases (newest first)", "N" },
		{ NULL, 0, 0, 0, NULL, NULL, NULL }
	};
	struct config *cfg;
	struct casedb *db;
	GError *err = NULL;
	GString *out;
	gboolean ok;
	int status = 0;

	if (!cli_options("list | show ID - look at cases", NULL, entries,
	    &argc, &argv, &status))
		return status;
	if (argc < 2 || (strcmp(argv[1], "list") != 0 &&
	    strcmp(argv[1], "show") != 0) ||
	    (strcmp(argv[1], "show") == 0 && argc != 3)) {
		fprintf(stderr, "usage: abusedesk case list [-n N] | "
		    "show ID|CASE-TAG\n");
		return 2;
	}
	if ((cfg = cli_config(g)) == NULL)
		return 1;
	if ((db = casedb_open(cfg->db_path, &err)) == NULL) {
		fprintf(stderr, "abusedesk: %s\n", err->message);
		g_error_free(err);
		config_free(&cfg);
		return 1;
	}
	out = g_string_new(NULL);
	if (strcmp(argv[1], "list") == 0)
		ok = casedb_list_cases(db, limit > 0 ? (guint)limit : 50, out,
		    &err);
	else
		ok = casedb_show_case(db, argv[2], out, &err);
	if (ok) {
		fputs(out->str, stdout);
	} else {
		fprintf(stderr, "abusedesk: %s\n", err->message);
		status = err->code == CASE_ERROR_NOT_FOUND ? 3 : 1;
		g_error_free(err);
	}
	g_string_free(out, TRUE);
	casedb_close(&db);
	config_free(&cfg);
	return status;
}
