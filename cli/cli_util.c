/*
 * cli_util.c: option parsing and config loading shared by the commands.
 */
#include "config.h"

#include <stdio.h>

#include "cli/cli.h"
#include "ingest/ingest_config.h"

gboolean
cli_options(const char *usage, const char *summary, GOptionEntry *entries,
    int *argc, char ***argv, int *status)
{
	GOptionContext *ctx = g_option_context_new(usage);
	GError *err = NULL;
	gboolean ok;

	g_option_context_set_summary(ctx, summary);
	if (entries != NULL)
		g_option_context_add_main_entries(ctx, entries, NULL);
	ok = g_option_context_parse(ctx, argc, argv, &err);
	if (!ok) {
		fprintf(stderr, "abusedesk: %s\n", err->message);
		g_error_free(err);
		*status = 2;
	}
	g_option_context_free(ctx);
	return ok;
}

struct config *
cli_config(struct cli *g)
{
	GError *err = NULL;
	struct config *c = config_load(g->home_opt, g->config_opt, &err);

	if (c == NULL) {
		fprintf(stderr, "abusedesk: %s\n", err->message);
		g_error_free(err);
	}
	return c;
}

void
cli_json_string(JsonBuilder *jb, const char *name, const char *value)
{
	json_builder_set_member_name(jb, name);
	if (value != NULL)
		json_builder_add_string_value(jb, value);
	else
		json_builder_add_null_value(jb);
}
