/*
 * cmd_data.c: `abusedesk data import KIND FILE... [--out DIR]`: convert
 * public routing data into the tables' formats and install them
 * (route/route_import.c does the work):
 *
 *   rir FILE...    RIR delegated-extended files -> ip-country-rir.csv.gz
 *   pfx2as FILE    RouteViews prefix-to-AS      -> ip-asn.csv.gz
 *   ip2asn FILE    iptoasn.com ip2asn TSV       -> ip-asn.csv.gz and
 *                                                  asn-names.csv.gz
 *   contacts FILE  a contacts table, checked    -> contacts.csv
 *
 * Without --out each table goes where the configuration's [paths] key
 * names it (rir_country, asn, asn_names, contacts), so the daemon reads
 * it at its next reload; with --out DIR under its usual name in DIR.
 * Exit 0 when written, 2 on usage errors, 65 when an input is bad (the
 * message names file:line), 74 when the output cannot be written, 75
 * when the configuration cannot be read.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <sysexits.h>

#include "cli/cli.h"
#include "ingest/ingest_config.h"
#include "route/route.h"

static char *opt_out;

static GOptionEntry entries[] = {
	{ "out", 'o', 0, G_OPTION_ARG_FILENAME, &opt_out,
	  "write into DIR (default: the files [paths] names)", "DIR" },
	{ NULL, 0, 0, 0, NULL, NULL, NULL },
};

/* target - where table name goes: --out DIR, else the configured path
 * (a key left empty means next to geo_country, as the loader reads it) */
static char *
target(const struct config *cfg, const char *configured, const char *name)
{
	char *dir, *p;

	if (opt_out != NULL)
		return g_build_filename(opt_out, name, NULL);
	if (configured != NULL && *configured != '\0')
		return g_strdup(configured);
	dir = cfg->geo_country != NULL ? g_path_get_dirname(cfg->geo_country) :
	    g_strdup(cfg->home);
	p = g_build_filename(dir, name, NULL);
	g_free(dir);
	return p;
}

static void
report(const char *path, const struct route_import_stats *st)
{
	printf("%s: %u IPv4 and %u IPv6 ranges from %u records", path,
	    st->ranges4, st->ranges6, st->records);
	if (st->skipped > 0)
		printf(" (%u skipped)", st->skipped);
	printf("\n");
	if (st->multi_origin > 0)
		printf("  %u prefixes with several origin ASes: the first "
		    "taken\n", st->multi_origin);
}

/* import - one kind; the exit status */
static int
import(const struct config *cfg, const char *kind, char **files,
    guint nfiles)
{
	struct route_import_stats st;
	GError *err = NULL;
	char *out = NULL, *names = NULL;
	gboolean ok;

	if (strcmp(kind, "rir") == 0) {
		out = target(cfg, cfg != NULL ? cfg->rir_country : NULL,
		    "ip-country-rir.csv.gz");
		if ((ok = route_import_rir((const char *const *)files, nfiles,
		    out, &st, &err)))
			report(out, &st);
	} else if (strcmp(kind, "pfx2as") == 0 && nfiles == 1) {
		out = target(cfg, cfg != NULL ? cfg->asn : NULL,
		    "ip-asn.csv.gz");
		if ((ok = route_import_pfx2as(files[0], out, &st, &err)))
			report(out, &st);
	} else if (strcmp(kind, "ip2asn") == 0 && nfiles == 1) {
		out = target(cfg, cfg != NULL ? cfg->asn : NULL,
		    "ip-asn.csv.gz");
		names = target(cfg, cfg != NULL ? cfg->asn_names : NULL,
		    "asn-names.csv.gz");
		if ((ok = route_import_ip2asn(files[0], out, names, &st,
		    &err))) {
			report(out, &st);
			printf("%s: %u AS names\n", names, st.names);
		}
	} else if (strcmp(kind, "contacts") == 0 && nfiles == 1) {
		out = target(cfg, cfg != NULL ? cfg->contacts : NULL,
		    "contacts.csv");
		if ((ok = route_import_contacts(files[0], out, &st, &err)))
			printf("%s: %u contacts\n", out, st.records);
	} else {
		fprintf(stderr, "usage: abusedesk data import "
		    "rir FILE... | pfx2as FILE | ip2asn FILE | contacts FILE "
		    "[--out DIR]\n");
		return 2;
	}
	g_free(out);
	g_free(names);
	if (!ok) {
		fprintf(stderr, "abusedesk: %s\n", err->message);
		ok = err->domain == ROUTE_ERROR &&
		    err->code == ROUTE_ERROR_SYNTAX;
		g_error_free(err);
		return ok ? EX_DATAERR : EX_IOERR;
	}
	if (opt_out == NULL)
		printf("the daemon reads it at its next reload\n");
	return 0;
}

int
cmd_data(struct cli *g, int argc, char **argv)
{
	struct config *cfg = NULL;
	int status = 0;

	if (!cli_options("import rir|pfx2as|ip2asn|contacts FILE... - "
	    "convert public routing data", "Converts RIR delegated-extended "
	    "files, RouteViews pfx2as, iptoasn.com ip2asn or a contacts "
	    "table into the routing tables and installs them atomically.",
	    entries, &argc, &argv, &status))
		return status;
	if (argc < 4 || strcmp(argv[1], "import") != 0) {
		fprintf(stderr, "usage: abusedesk data import "
		    "rir|pfx2as|ip2asn|contacts FILE... [--out DIR]\n");
		return 2;
	}
	if (opt_out == NULL && (cfg = cli_config(g)) == NULL)
		return EX_TEMPFAIL;
	status = import(cfg, argv[2], argv + 3, (guint)argc - 3);
	config_free(&cfg);
	return status;
}
