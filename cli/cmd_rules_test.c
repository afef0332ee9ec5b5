/*
 * cmd_rules_test.c: `abusedesk rules test MSG.eml... [--rules DIR]
 * [--json]`: a dry run of the pipeline for each message, through
 * ingest/pipeline_dry.c: it writes nothing (no database, no spool, no
 * outbox) and sends nothing.  Prints the detected format and kind, every
 * rule that fired, the findings with their roles (suppressed ones with
 * why), the routes with their reason chains and the takedown mails that
 * would be written.  --json prints the same as one JSON object per
 * message.  `--corpus DIR [--update]` is the regression run of
 * cmd_rules_corpus.c.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <json-glib/json-glib.h>

#include "cli/cli_rules.h"
#include "ingest/ingest_config.h"
#include "notify/notify.h"

GPtrArray *
rules_expect_lines(const struct dry_result *res)
{
	GPtrArray *a = g_ptr_array_new_with_free_func(g_free);
	const struct report *r = res->report;
	guint i;

	g_ptr_array_add(a, g_strdup_printf("format %s", r->format != NULL ?
	    r->format : "-"));
	g_ptr_array_add(a, g_strdup_printf("kind %s",
	    report_kind_name(r->kind)));
	g_ptr_array_add(a, g_strdup_printf("category %s",
	    r->category != NULL ? r->category : "-"));
	if (res->verdict.ignore)
		g_ptr_array_add(a, g_strdup("ignore"));
	for (i = 0; i < r->findings->len; i++) {
		const struct finding *f = g_ptr_array_index(r->findings, i);

		g_ptr_array_add(a, g_strdup_printf("finding %s %s %s%s",
		    finding_kind_name(f->kind), finding_role_name(f->role),
		    f->value, f->suppressed ? " suppressed" : ""));
	}
	for (i = 0; res->routes.routes != NULL &&
	    i < res->routes.routes->len; i++) {
		const struct route *rt = g_ptr_array_index(res->routes.routes,
		    i);

		g_ptr_array_add(a, g_strdup_printf("route %s %s",
		    rt->finding->value, rt->contact != NULL ?
		    rt->contact->id : "unrouted"));
	}
	for (i = 0; res->notes != NULL && i < res->notes->len; i++) {
		const struct notification *n = g_ptr_array_index(res->notes,
		    i);

		g_ptr_array_add(a, g_strdup_printf("takedown %s",
		    n->contact != NULL ? n->contact->id : n->to));
	}
	return a;
}

static void
print_text(const char *file, const struct dry_result *res)
{
	const struct report *r = res->report;
	const struct verdict *v = &res->verdict;
	guint i;

	printf("== %s\nformat: %s\nkind: %s\ncategory: %s\n", file,
	    r->format != NULL ? r->format : "-", report_kind_name(r->kind),
	    r->category != NULL ? r->category : "-");
	printf("rules version: %.16s%s\n", v->rules_version != NULL ?
	    v->rules_version : "-", v->ignore ? " (a rule said: no case)" :
	    "");
	if (v->rule_errors > 0)
		printf("rule errors: %u\n", v->rule_errors);
	if (v->route_to != NULL)
		printf("route to: %s\n", v->route_to);
	for (i = 0; v->tags != NULL && i < v->tags->len; i++)
		printf("%s%s", i == 0 ? "tags: " : " ",
		    (const char *)g_ptr_array_index(v->tags, i));
	if (v->tags != NULL && v->tags->len > 0)
		printf("\n");
	printf("rules fired: %u\n", v->hits != NULL ? v->hits->len : 0);
	for (i = 0; v->hits != NULL && i < v->hits->len; i++) {
		const struct rule_hit *h = g_ptr_array_index(v->hits, i);

		printf("  %s part %s offset %" G_GSIZE_FORMAT " count %u",
		    h->rule_id, h->part != NULL ? h->part : "-", h->offset,
		    h->count);
		if (h->captures != NULL)
			printf(" captures %s", h->captures);
		printf("\n");
	}
	printf("findings: %u\n", r->findings->len);
	for (i = 0; i < r->findings->len; i++) {
		const struct finding *f = g_ptr_array_index(r->findings, i);

		printf("  %s %s %s (part %s offset %" G_GSIZE_FORMAT
		    ", %s)", finding_kind_name(f->kind),
		    finding_role_name(f->role), f->value,
		    f->part != NULL ? f->part : "-", f->offset,
		    f->source != NULL ? f->source : "-");
		if (f->suppressed)
			printf(" suppressed: %s", f->suppress_why != NULL ?
			    f->suppress_why : "?");
		printf("\n");
	}
	if (!res->routed)
		printf("routes: none (not an abuse report, or ignored)\n");
	else
		printf("routes: %u (%u unrouted)\n", res->routes.routes !=
		    NULL ? res->routes.routes->len : 0, res->routes.unrouted);
	for (i = 0; res->routes.routes != NULL &&
	    i < res->routes.routes->len; i++) {
		const struct route *rt = g_ptr_array_index(res->routes.routes,
		    i);

		printf("  %s -> %s: %s\n", rt->finding->value,
		    rt->contact != NULL ? rt->contact->id : "unrouted",
		    rt->reason != NULL ? rt->reason : "-");
	}
	if (res->render_error != NULL)
		printf("takedowns: not rendered: %s\n", res->render_error);
	printf("takedowns: %u\n", res->mails != NULL ? res->mails->len : 0);
	for (i = 0; res->mails != NULL && i < res->mails->len; i++) {
		const struct notification *n = g_ptr_array_index(res->notes,
		    i);

		printf("--- takedown %u to %s\n%s", i + 1, n->to,
		    (const char *)g_ptr_array_index(res->mails, i));
		printf("--- end of takedown %u\n", i + 1);
	}
}

static void
member_int(JsonBuilder *jb, const char *name, gint64 value)
{
	json_builder_set_member_name(jb, name);
	json_builder_add_int_value(jb, value);
}

static void
json_hits_findings(JsonBuilder *jb, const struct dry_result *res)
{
	const struct report *r = res->report;
	const GPtrArray *hits = res->verdict.hits;
	guint i;

	json_builder_set_member_name(jb, "rules");
	json_builder_begin_array(jb);
	for (i = 0; hits != NULL && i < hits->len; i++) {
		const struct rule_hit *h = g_ptr_array_index(hits, i);

		json_builder_begin_object(jb);
		cli_json_string(jb, "id", h->rule_id);
		cli_json_string(jb, "part", h->part);
		member_int(jb, "offset", (gint64)h->offset);
		member_int(jb, "count", h->count);
		cli_json_string(jb, "captures", h->captures);
		json_builder_end_object(jb);
	}
	json_builder_end_array(jb);
	json_builder_set_member_name(jb, "findings");
	json_builder_begin_array(jb);
	for (i = 0; i < r->findings->len; i++) {
		const struct finding *f = g_ptr_array_index(r->findings, i);

		json_builder_begin_object(jb);
		cli_json_string(jb, "kind", finding_kind_name(f->kind));
		cli_json_string(jb, "role", finding_role_name(f->role));
		cli_json_string(jb, "value", f->value);
		cli_json_string(jb, "part", f->part);
		member_int(jb, "offset", (gint64)f->offset);
		cli_json_string(jb, "source", f->source);
		json_builder_set_member_name(jb, "suppressed");
		json_builder_add_boolean_value(jb, f->suppressed);
		if (f->suppressed)
			cli_json_string(jb, "suppress_why", f->suppress_why);
		json_builder_end_object(jb);
	}
	json_builder_end_array(jb);
}

static void
json_routes_mails(JsonBuilder *jb, const struct dry_result *res)
{
	const GPtrArray *routes = res->routes.routes;
	guint i;

	json_builder_set_member_name(jb, "routes");
	json_builder_begin_array(jb);
	for (i = 0; routes != NULL && i < routes->len; i++) {
		const struct route *rt = g_ptr_array_index(routes, i);

		json_builder_begin_object(jb);
		cli_json_string(jb, "value", rt->finding->value);
		cli_json_string(jb, "contact", rt->contact != NULL ?
		    rt->contact->id : NULL);
		cli_json_string(jb, "email", rt->contact != NULL ?
		    rt->contact->email : NULL);
		cli_json_string(jb, "country", rt->country);
		cli_json_string(jb, "reason", rt->reason);
		json_builder_end_object(jb);
	}
	json_builder_end_array(jb);
	json_builder_set_member_name(jb, "takedowns");
	json_builder_begin_array(jb);
	for (i = 0; res->mails != NULL && i < res->mails->len; i++) {
		const struct notification *n = g_ptr_array_index(res->notes,
		    i);

		json_builder_begin_object(jb);
		cli_json_string(jb, "contact", n->contact != NULL ?
		    n->contact->id : NULL);
		cli_json_string(jb, "to", n->to);
		cli_json_string(jb, "subject", n->subject);
		cli_json_string(jb, "text", g_ptr_array_index(res->mails, i));
		json_builder_end_object(jb);
	}
	json_builder_end_array(jb);
	if (res->render_error != NULL)
		cli_json_string(jb, "render_error", res->render_error);
}

static void
print_json(const char *file, const struct dry_result *res)
{
	JsonBuilder *jb = json_builder_new();
	JsonGenerator *gen = json_generator_new();
	const struct report *r = res->report;
	JsonNode *root;
	char *s;

	json_builder_begin_object(jb);
	cli_json_string(jb, "file", file);
	cli_json_string(jb, "format", r->format);
	cli_json_string(jb, "kind", report_kind_name(r->kind));
	cli_json_string(jb, "category", r->category);
	cli_json_string(jb, "taxonomy", r->taxonomy);
	cli_json_string(jb, "rules_version", res->verdict.rules_version);
	member_int(jb, "rule_errors", res->verdict.rule_errors);
	cli_json_string(jb, "route_to", res->verdict.route_to);
	json_builder_set_member_name(jb, "ignore");
	json_builder_add_boolean_value(jb, res->verdict.ignore);
	json_hits_findings(jb, res);
	json_routes_mails(jb, res);
	json_builder_end_object(jb);
	root = json_builder_get_root(jb);
	json_generator_set_root(gen, root);
	s = json_generator_to_data(gen, NULL);
	puts(s);
	g_free(s);
	json_node_unref(root);
	g_object_unref(gen);
	g_object_unref(jb);
}

int
rules_test(struct cli *g, int argc, char **argv)
{
	gboolean json = FALSE, update = FALSE;
	char *rules = NULL, *corpus = NULL;
	GOptionEntry entries[] = {
		{ "rules", 0, 0, G_OPTION_ARG_FILENAME, &rules,
		  "the rules to test instead of the config's", "DIR" },
		{ "json", 0, 0, G_OPTION_ARG_NONE, &json,
		  "one JSON object per message", NULL },
		{ "corpus", 0, 0, G_OPTION_ARG_FILENAME, &corpus,
		  "regression run over DIR/*.eml against DIR/*.expect",
		  "DIR" },
		{ "update", 0, 0, G_OPTION_ARG_NONE, &update,
		  "with --corpus: rewrite the .expect files", NULL },
		{ NULL, 0, 0, 0, NULL, NULL, NULL }
	};
	struct config *cfg = NULL;
	struct dry *d = NULL;
	GError *err = NULL;
	int i, status = 0;

	if (!cli_options("MSG.eml... - dry run: what the rules would do",
	    "Parses, evaluates the rules, routes and renders the takedowns "
	    "of each message; writes nothing, sends nothing.", entries,
	    &argc, &argv, &status))
		goto out;
	if ((corpus == NULL && argc < 2) || (corpus != NULL && argc > 1) ||
	    (update && corpus == NULL)) {
		fprintf(stderr, "usage: abusedesk rules test MSG.eml... "
		    "[--rules DIR] [--json]\n       abusedesk rules test "
		    "--corpus DIR [--update] [--rules DIR]\n");
		status = 2;
		goto out;
	}
	if ((cfg = cli_config(g)) == NULL) {
		status = 1;
		goto out;
	}
	if ((d = dry_open(cfg, rules, &err)) == NULL) {
		fprintf(stderr, "abusedesk: %s\n", err->message);
		g_error_free(err);
		status = 1;
		goto out;
	}
	if (corpus != NULL) {
		status = rules_corpus(d, corpus, update);
		goto out;
	}
	for (i = 1; i < argc; i++) {
		struct dry_result res;
		char *buf = NULL;
		gsize len = 0;

		if (!g_file_get_contents(argv[i], &buf, &len, &err)) {
			fprintf(stderr, "abusedesk: %s\n", err->message);
			g_clear_error(&err);
			status = 1;
			continue;
		}
		dry_process(d, (const guint8 *)buf, len, TRUE, &res);
		if (json)
			print_json(argv[i], &res);
		else
			print_text(argv[i], &res);
		dry_result_clear(&res);
		g_free(buf);
	}
out:
	dry_close(&d);
	config_free(&cfg);
	g_free(rules);
	g_free(corpus);
	return status;
}
