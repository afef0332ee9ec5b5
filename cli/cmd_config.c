/*
 * cmd_config.c: `abusedesk config [--default]`: print the effective
 * configuration, or the default file (what make install and init write).
 */
#include "config.h"

#include <stdio.h>

#include "cli/cli.h"
#include "ingest/ingest_config.h"

int
cmd_config(struct cli *g, int argc, char **argv)
{
	gboolean def = FALSE;
	GOptionEntry entries[] = {
		{ "default", 0, 0, G_OPTION_ARG_NONE, &def,
		  "print the default configuration file", NULL },
		{ NULL, 0, 0, 0, NULL, NULL, NULL }
	};
	struct config *cfg;
	GString *s;
	int status = 0;

	if (!cli_options("- print the configuration", NULL, entries, &argc,
	    &argv, &status))
		return status;
	if (def) {
		char *t = config_default_text();

		fputs(t, stdout);
		g_free(t);
		return 0;
	}
	if ((cfg = cli_config(g)) == NULL)
		return 1;
	s = g_string_new(NULL);
	g_string_append_printf(s, "# %s (home %s)\n", cfg->file, cfg->home);
	config_dump(cfg, s);
	fputs(s->str, stdout);
	g_string_free(s, TRUE);
	config_free(&cfg);
	return 0;
}
