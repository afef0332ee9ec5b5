/*
 * cmd_rules.c: `abusedesk rules check [PATH]`: compile the rules and print
 * every problem as file:line:col; exit 1 on any error.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "ingest/ingest_config.h"
#include "rules/rules.h"

static int
rules_check(struct cli *g, const char *path_arg)
{
	GPtrArray *diags = g_ptr_array_new_with_free_func(rules_diag_free);
	struct config *cfg = NULL;
	struct ruleset *rs;
	GError *err = NULL;
	const char *path = path_arg;
	guint i, nerr = 0, nwarn = 0;
	int status;

	if (path == NULL) {
		if ((cfg = cli_config(g)) == NULL)
			return 1;
		path = cfg->rules;
	}
	rs = rules_load(path, diags, &err);
	for (i = 0; i < diags->len; i++) {
		const struct rules_diag *d = g_ptr_array_index(diags, i);
		GString *line = g_string_new(NULL);

		rules_diag_format(d, line);
		fprintf(stderr, "%s\n", line->str);
		g_string_free(line, TRUE);
		if (d->is_error)
			nerr++;
		else
			nwarn++;
	}
	if (rs == NULL && nerr == 0) {
		fprintf(stderr, "%s\n", err->message);
		nerr++;
	}
	if (rs != NULL)
		printf("%s: %u rule(s), version %.16s, %u warning(s)\n", path,
		    rules_count(rs), rules_version(rs), nwarn);
	else
		printf("%s: %u error(s), %u warning(s)\n", path, nerr, nwarn);
	status = rs != NULL ? 0 : 1;
	g_clear_error(&err);
	rules_free(&rs);
	g_ptr_array_unref(diags);
	config_free(&cfg);
	return status;
}

int
cmd_rules(struct cli *g, int argc, char **argv)
{
	int status = 0;

	if (!cli_options("check [PATH] - check the rules", "Compiles every "
	    "rule; prints each error as file:line:col: message.", NULL,
	    &argc, &argv, &status))
		return status;
	if (argc >= 2 && strcmp(argv[1], "check") == 0 && argc <= 3)
		return rules_check(g, argc == 3 ? argv[2] : NULL);
	fprintf(stderr, "usage: abusedesk rules check [PATH]\n");
	return 2;
}
