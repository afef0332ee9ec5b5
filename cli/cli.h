/*
 * cli.h: what every subcommand of abusedesk-core gets.
 */
#ifndef ABUSEDESK_CLI_H
#define ABUSEDESK_CLI_H

#include <glib.h>
#include <json-glib/json-glib.h>

struct cli {
	const char	*home_opt;	/* --home */
	const char	*config_opt;	/* --config */
	gboolean	 verbose;
	gboolean	 use_syslog;
};

/* Each returns the process exit status. */
int	cmd_init(struct cli *g, int argc, char **argv);
int	cmd_run(struct cli *g, int argc, char **argv);
int	cmd_reprocess(struct cli *g, int argc, char **argv);
int	cmd_case(struct cli *g, int argc, char **argv);
int	cmd_rules(struct cli *g, int argc, char **argv);
int	cmd_config(struct cli *g, int argc, char **argv);
int	cmd_route(struct cli *g, int argc, char **argv);
int	cmd_data(struct cli *g, int argc, char **argv);
int	cmd_hold(struct cli *g, int argc, char **argv);
int	cmd_release(struct cli *g, int argc, char **argv);
int	cmd_notify(struct cli *g, int argc, char **argv);

/* cli_util.c */
/* A string member of a JSON object, null when value is NULL. */
void	cli_json_string(JsonBuilder *jb, const char *name,
	    const char *value);
/* Parses argv with entries; prints --help / errors. FALSE: exit with
 * *status. */
gboolean cli_options(const char *usage, const char *summary,
	    GOptionEntry *entries, int *argc, char ***argv, int *status);
struct config;
struct config *cli_config(struct cli *g);
/* cmd_route.c: the routing tables the config names (route_close). */
struct route_tables;


#endif
