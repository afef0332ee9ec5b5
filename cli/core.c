/*
 * core.c: main() of abusedesk-core, the program behind every command but
 * `deliver` (the small `abusedesk` front execs it).  Parses the global
 * options and hands over to one cmd_*.c file per command.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <locale.h>

#include "cli/cli.h"
#include "ingest/ingest_int.h"

struct command {
	const char	*name;
	int		(*fn)(struct cli *, int, char **);
	const char	*summary;
};

static const struct command commands[] = {
	{ "init", cmd_init, "create the state directory" },
	{ "deliver", NULL, "MTA pipe: spool one message from stdin" },
	{ "run", cmd_run, "the daemon: process the spool (--once: drain)" },
	{ "reprocess", cmd_reprocess, "process mbox/Maildir/MH/files" },
	{ "case", cmd_case, "list and show cases" },
	{ "rules", cmd_rules, "check, test, measure and reload the rules" },
	{ "config", cmd_config, "print the effective or default config" },
	{ "route", cmd_route, "explain who gets a finding, and why" },
	{ "data", cmd_data, "import RIR, pfx2as, ip2asn data; contacts" },
	{ "hold", cmd_hold, "pause processing (delivery goes on)" },
	{ "release", cmd_release, "resume processing" },
	{ "notify", cmd_notify, "pending takedown batches; flush them" },
};

static void
usage(FILE *f)
{
	guint i;

	fprintf(f, "usage: abusedesk [--home DIR] [--config FILE] [-v] "
	    "COMMAND [ARGS]\n\ncommands:\n");
	for (i = 0; i < G_N_ELEMENTS(commands); i++)
		fprintf(f, "  %-10s %s\n", commands[i].name,
		    commands[i].summary);
	fprintf(f, "\n`abusedesk COMMAND --help` for each; "
	    "man abusedesk(1).\n");
}

static gboolean
global_opt(struct cli *g, int argc, char **argv, int *i)
{
	const char *a = argv[*i];
	const char **dst = NULL;

	if (strcmp(a, "-v") == 0 || strcmp(a, "--verbose") == 0) {
		g->verbose = TRUE;
		return TRUE;
	}
	if (strcmp(a, "--syslog") == 0) {
		g->use_syslog = TRUE;
		return TRUE;
	}
	if (g_str_has_prefix(a, "--home"))
		dst = &g->home_opt;
	else if (g_str_has_prefix(a, "--config"))
		dst = &g->config_opt;
	else
		return FALSE;
	if (strchr(a, '=') != NULL) {
		*dst = strchr(a, '=') + 1;
		return TRUE;
	}
	if (*i + 1 >= argc) {
		fprintf(stderr, "abusedesk: %s needs a value\n", a);
		exit(2);
	}
	*dst = argv[++*i];
	return TRUE;
}

int
main(int argc, char **argv)
{
	struct cli g;
	int i;
	guint c;

	setlocale(LC_ALL, "");
	memset(&g, 0, sizeof(g));
	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "-h") == 0 ||
		    strcmp(argv[i], "--help") == 0) {
			usage(stdout);
			return 0;
		}
		if (strcmp(argv[i], "--version") == 0) {
			printf("abusedesk %s\n", PACKAGE_VERSION);
			return 0;
		}
		if (!global_opt(&g, argc, argv, &i)) {
			fprintf(stderr, "abusedesk: unknown option %s\n",
			    argv[i]);
			usage(stderr);
			return 2;
		}
	}
	if (i >= argc) {
		usage(stderr);
		return 2;
	}
	ingest_log_init(g.verbose, g.use_syslog);
	for (c = 0; c < G_N_ELEMENTS(commands); c++) {
		if (strcmp(argv[i], commands[c].name) != 0)
			continue;
		if (commands[c].fn == NULL) {
			fprintf(stderr, "abusedesk: %s is run by the "
			    "abusedesk front program\n", argv[i]);
			return 2;
		}
		return commands[c].fn(&g, argc - i, argv + i);
	}
	fprintf(stderr, "abusedesk: unknown command '%s'\n", argv[i]);
	usage(stderr);
	return 2;
}
