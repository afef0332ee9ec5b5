/*
 * cmd_rules.c: `abusedesk rules SUBCOMMAND`: the analysts' tools for the
 * rules.  `check [PATH]` compiles the rules and prints every problem as
 * file:line:col (exit 1 on any error); the others live in
 * cmd_rules_test.c (test, the corpus run) and cmd_rules_stats.c (stats,
 * shadow-report, reload).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "cli/cli_rules.h"
#include "ingest/ingest_config.h"
#include "rules/rules.h"

static const char rules_usage[] =
	"usage: abusedesk rules check [PATH]\n"
	"       abusedesk rules test MSG.eml... [--rules DIR] [--json]\n"
	"       abusedesk rules test --corpus DIR [--update] [--rules DIR]\n"
	"       abusedesk rules stats [--since DATE]\n"
	"       abusedesk rules shadow-report [--since DATE]\n"
	"       abusedesk rules reload\n";

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
		if ((cfg = cli_config(g)) == NULL) {
			g_ptr_array_unref(diags);
			return 1;
		}
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
	const char *sub = argc >= 2 ? argv[1] : "";

	if (strcmp(sub, "check") == 0 && argc <= 3 &&
	    (argc < 3 || argv[2][0] != '-'))
		return rules_check(g, argc == 3 ? argv[2] : NULL);
	if (strcmp(sub, "test") == 0)
		return rules_test(g, argc - 1, argv + 1);
	if (strcmp(sub, "stats") == 0)
		return rules_stats(g, argc - 1, argv + 1);
	if (strcmp(sub, "shadow-report") == 0)
		return rules_shadow_report(g, argc - 1, argv + 1);
	if (strcmp(sub, "reload") == 0)
		return rules_reload(g, argc - 1, argv + 1);
	if (strcmp(sub, "-h") == 0 || strcmp(sub, "--help") == 0) {
		fputs(rules_usage, stdout);
		return 0;
	}
	fputs(rules_usage, stderr);
	return 2;
}
