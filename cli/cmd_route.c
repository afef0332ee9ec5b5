/*
 * cmd_route.c: `abusedesk route explain IP|URL|DOMAIN [--json]`: load the
 * configuration and the routing tables, route one offender finding the
 * way the pipeline would, and print every route (the owner, and the
 * national CSIRT in Cc) with its full reason chain, plus what the tables
 * know about the address (ASN, AS name, countries).  With [lookup]
 * sources enabled the live lookups are asked too, after the case DB's
 * cache (read only, when the DB exists); --offline skips them.  Exit 0
 * when routed,
 * 1 when unrouted or skipped, 2 on usage errors, 75 when the tables
 * cannot be loaded.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <sysexits.h>
#include <json-glib/json-glib.h>

#include "cli/cli.h"
#include "ingest/ingest_config.h"
#include "parse/parse.h"
#include "route/route.h"
#include "case/case.h"

static gboolean opt_json, opt_offline;

static GOptionEntry entries[] = {
	{ "json", 0, 0, G_OPTION_ARG_NONE, &opt_json, "print JSON", NULL },
	{ "offline", 0, 0, G_OPTION_ARG_NONE, &opt_offline,
	  "no live lookups (RDAP, whois, DNS)", NULL },
	{ NULL, 0, 0, 0, NULL, NULL, NULL },
};


/* guess_kind - what the argument is, or -1 */
static int
guess_kind(const char *v)
{
	if (strstr(v, "://") != NULL)
		return FINDING_URL;
	if (strchr(v, ':') != NULL)
		return FINDING_IPV6;
	if (strspn(v, "0123456789.") == strlen(v))
		return FINDING_IPV4;
	return FINDING_DOMAIN;
}

static void
print_text(const struct report *r, const struct route_result *res,
    const struct route_ip_info *info, gboolean have_info)
{
	guint i;

	if (have_info) {
		printf("asn:     %s%u %s\n", info->asn ? "AS" : "",
		    info->asn, info->as_name != NULL ? info->as_name : "");
		printf("located: %s\nregistered: %s\n",
		    info->geo != NULL ? info->geo : "-",
		    info->rir != NULL ? info->rir : "-");
	}
	if (res->routes->len == 0)
		printf("%s: not routed (special-purpose or not an offender)\n",
		    ((const struct finding *)r->findings->pdata[0])->value);
	for (i = 0; i < res->routes->len; i++) {
		const struct route *rt = res->routes->pdata[i];

		printf("%s %s%s%s\n  %s\n", rt->cc ? "cc:" : "to:",
		    rt->contact != NULL ? rt->contact->id : "(unrouted)",
		    rt->contact != NULL ? " " : "",
		    rt->contact != NULL ? rt->contact->email : "",
		    rt->reason);
	}
}

static void
print_json(const struct finding *f, const struct route_result *res,
    const struct route_ip_info *info, gboolean have_info)
{
	JsonBuilder *jb = json_builder_new();
	JsonGenerator *gen = json_generator_new();
	JsonNode *root;
	char *s;
	guint i;

	json_builder_begin_object(jb);
	cli_json_string(jb, "kind", finding_kind_name(f->kind));
	cli_json_string(jb, "value", f->value);
	if (have_info) {
		json_builder_set_member_name(jb, "asn");
		json_builder_add_int_value(jb, info->asn);
		cli_json_string(jb, "as_name", info->as_name);
		cli_json_string(jb, "geo_cc", info->geo);
		cli_json_string(jb, "rir_cc", info->rir);
	}
	json_builder_set_member_name(jb, "routes");
	json_builder_begin_array(jb);
	for (i = 0; i < res->routes->len; i++) {
		const struct route *rt = res->routes->pdata[i];

		json_builder_begin_object(jb);
		cli_json_string(jb, "contact", rt->contact != NULL ?
		    rt->contact->id : NULL);
		cli_json_string(jb, "email", rt->contact != NULL ?
		    rt->contact->email : NULL);
		cli_json_string(jb, "contact_kind", rt->contact != NULL ?
		    contact_kind_name(rt->contact->kind) : NULL);
		json_builder_set_member_name(jb, "cc");
		json_builder_add_boolean_value(jb, rt->cc);
		cli_json_string(jb, "country", rt->country);
		json_builder_set_member_name(jb, "asn");
		json_builder_add_int_value(jb, rt->asn);
		cli_json_string(jb, "reason", rt->reason);
		json_builder_end_object(jb);
	}
	json_builder_end_array(jb);
	json_builder_end_object(jb);
	root = json_builder_get_root(jb);
	json_generator_set_root(gen, root);
	json_generator_set_pretty(gen, TRUE);
	s = json_generator_to_data(gen, NULL);
	puts(s);
	g_free(s);
	json_node_unref(root);
	g_object_unref(gen);
	g_object_unref(jb);
}

/* open_live - the live lookups with the DB's cache, when enabled */
static struct route_live_ctx *
open_live(const struct config *cfg, struct route_tables *t)
{
	struct route_live_ctx *live;
	struct casedb *db = NULL;
	GError *err = NULL;

	if (opt_offline)
		return NULL;
	if (g_file_test(cfg->db_path, G_FILE_TEST_IS_REGULAR) &&
	    (db = casedb_open(cfg->db_path, &err)) == NULL) {
		fprintf(stderr, "abusedesk: lookup cache not read: %s\n",
		    err->message);
		g_clear_error(&err);
	}
	live = ingest_live_open(cfg, db, t);
	casedb_close(&db);
	return live;
}

static int
explain(const struct config *cfg, const char *value)
{
	struct route_live_ctx *live;
	struct route_tables *t;
	struct route_result res = { NULL, 0 };
	struct route_ip_info info;
	struct report *r;
	GError *err = NULL;
	char *norm;
	int kind = guess_kind(value), status;
	gboolean have_info;

	if ((t = ingest_route_open(cfg, &err)) == NULL) {
		fprintf(stderr, "abusedesk: %s\n", err->message);
		g_error_free(err);
		return EX_TEMPFAIL;
	}
	live = open_live(cfg, t);
	r = report_new(1 << 20);
	norm = parse_normalise(r->arena, kind, value, strlen(value));
	report_add_finding(r, kind, FINDING_ROLE_OFFENDER, norm != NULL ?
	    norm : value, value, "argv", 0, "route explain");
	route_report(t, r, &res);
	have_info = (kind == FINDING_IPV4 || kind == FINDING_IPV6) &&
	    route_ip_info(t, ((const struct finding *)
	    r->findings->pdata[0])->value, &info) == 1;
	if (opt_json)
		print_json(r->findings->pdata[0], &res, &info, have_info);
	else
		print_text(r, &res, &info, have_info);
	status = res.routes->len > res.unrouted ? 0 : 1;
	report_free(&r);
	route_close(&t);
	route_live_free(&live);
	return status;
}

int
cmd_route(struct cli *g, int argc, char **argv)
{
	struct config *cfg;
	int status = 0;

	if (!cli_options("explain IP|URL|DOMAIN - who gets a finding, and "
	    "why", "Routes one offender finding with the configured tables "
	    "and prints every route with its reason chain.", entries, &argc,
	    &argv, &status))
		return status;
	if (argc != 3 || strcmp(argv[1], "explain") != 0) {
		fprintf(stderr, "usage: abusedesk route explain "
		    "IP|URL|DOMAIN [--json] [--offline]\n");
		return 2;
	}
	if ((cfg = cli_config(g)) == NULL)
		return EX_TEMPFAIL;
	status = explain(cfg, argv[2]);
	config_free(&cfg);
	return status;
}
