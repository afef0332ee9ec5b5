/*
 * cmd_reprocess.c: `abusedesk reprocess [--json] [-q] PATH...`: batch
 * processing of mbox, Maildir and MH folders (libetpan) and single message
 * files, through the same pipeline_process() as the daemon.  A progress
 * bar (count, msgs/s, ETA) on a terminal, one summary line per message,
 * and the totals at the end.  --json prints one JSON line per message
 * instead: file/mbox_index, format, ips, urls, domains (the shape
 * ../shared/bench/score-extraction reads), then kind, case, category,
 * taxonomy, tlp, tickets, event_time, the warning count and every
 * finding {kind, role, value, part, offset, source, port, suppressed}.
 * A run is its own aggregation unit: at the end every pending takedown
 * batch is rendered ([notify] window), unless --no-flush leaves them
 * for the daemon.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <json-glib/json-glib.h>

#include "cli/cli.h"
#include "ingest/ingest_int.h"
#include "case/case.h"
#include "route/route.h"

struct batch {
	struct pipeline	*p;
	const struct route_tables *routes; /* --json: for "contacts" */
	gboolean	 json, quiet, tty;
	guint		 done, total, fresh, dups, cases, failed;
	gint64		 start;
};

static void
progress(struct batch *b, gboolean clear_only)
{
	double secs, rate;

	if (!b->tty)
		return;
	fputs("\r\033[K", stderr);
	if (clear_only)
		return;
	secs = (g_get_monotonic_time() - b->start) / 1e6;
	rate = secs > 0 ? b->done / secs : 0;
	if (b->total > 0 && rate > 0)
		fprintf(stderr, "%u/%u  %.0f msgs/s  ETA %.0fs", b->done,
		    b->total, rate, (b->total - b->done) / rate);
	else
		fprintf(stderr, "%u  %.0f msgs/s", b->done, rate);
	fflush(stderr);
}

static void
add_values(JsonBuilder *jb, const char *name, const struct report *r,
    enum finding_kind k1, enum finding_kind k2)
{
	guint i;

	json_builder_set_member_name(jb, name);
	json_builder_begin_array(jb);
	for (i = 0; i < r->findings->len; i++) {
		const struct finding *f = g_ptr_array_index(r->findings, i);

		if (f->kind != k1 && f->kind != k2)
			continue;
		if (f->suppressed || f->role == FINDING_ROLE_VICTIM ||
		    f->role == FINDING_ROLE_REPORTER)
			continue;
		json_builder_add_string_value(jb, f->value);
	}
	json_builder_end_array(jb);
}
static void
add_tickets(JsonBuilder *jb, const struct report *r)
{
	guint i;

	json_builder_set_member_name(jb, "tickets");
	json_builder_begin_array(jb);
	for (i = 0; r->tickets != NULL && i < r->tickets->len; i++)
		json_builder_add_string_value(jb,
		    g_ptr_array_index(r->tickets, i));
	json_builder_end_array(jb);
}

/* add_findings - every finding, whatever its role, in report order. */
static void
add_findings(JsonBuilder *jb, const struct report *r)
{
	guint i;

	json_builder_set_member_name(jb, "findings");
	json_builder_begin_array(jb);
	for (i = 0; i < r->findings->len; i++) {
		const struct finding *f = g_ptr_array_index(r->findings, i);

		json_builder_begin_object(jb);
		cli_json_string(jb, "kind", finding_kind_name(f->kind));
		cli_json_string(jb, "role", finding_role_name(f->role));
		cli_json_string(jb, "value", f->value);
		cli_json_string(jb, "part", f->part);
		json_builder_set_member_name(jb, "offset");
		json_builder_add_int_value(jb, (gint64)f->offset);
		cli_json_string(jb, "source", f->source);
		if (f->port > 0) {
			json_builder_set_member_name(jb, "port");
			json_builder_add_int_value(jb, f->port);
		}
		if (f->observed_at != NULL)
			cli_json_string(jb, "observed_at", f->observed_at);
		if (f->attrs != NULL)
			cli_json_string(jb, "attrs", f->attrs);
		if (f->suppressed) {
			json_builder_set_member_name(jb, "suppressed");
			json_builder_add_boolean_value(jb, TRUE);
			cli_json_string(jb, "why", f->suppress_why);
		}
		json_builder_end_object(jb);
	}
	json_builder_end_array(jb);
}

/* add_contacts - "contacts": {ip: contact id of its first route, or
 * null}: every IP routed, abuse report or not, with the pipeline's
 * tables */
static void
add_contacts(JsonBuilder *jb, struct report *r,
    const struct route_tables *t)
{
	struct route_result res = { NULL, 0 };
	GHashTable *seen = g_hash_table_new(g_str_hash, g_str_equal);
	GHashTable *done = g_hash_table_new(g_str_hash, g_str_equal);
	guint i;

	route_report(t, r, &res);
	for (i = 0; i < res.routes->len; i++) {
		const struct route *rt = res.routes->pdata[i];

		if (!rt->cc && !g_hash_table_contains(seen,
		    rt->finding->value))
			g_hash_table_insert(seen, (char *)rt->finding->value,
			    rt->contact != NULL ? rt->contact->id : NULL);
	}
	json_builder_set_member_name(jb, "contacts");
	json_builder_begin_object(jb);
	for (i = 0; r->findings != NULL && i < r->findings->len; i++) {
		const struct finding *f = r->findings->pdata[i];
		const char *id;

		if ((f->kind != FINDING_IPV4 && f->kind != FINDING_IPV6) ||
		    !g_hash_table_add(done, (char *)f->value))
			continue;
		json_builder_set_member_name(jb, f->value);
		id = g_hash_table_lookup(seen, f->value);
		if (id != NULL)
			json_builder_add_string_value(jb, id);
		else
			json_builder_add_null_value(jb);
	}
	json_builder_end_object(jb);
	g_hash_table_unref(done);
	g_hash_table_unref(seen);
}

static void
print_json(const struct source_msg *m, const struct pipeline_outcome *o,
    const struct route_tables *t)
{
	JsonBuilder *jb = json_builder_new();
	JsonGenerator *gen = json_generator_new();
	JsonNode *root;
	const struct report *r = o->report;
	char *s;

	json_builder_begin_object(jb);
	if (m->file != NULL) {
		json_builder_set_member_name(jb, "file");
		json_builder_add_string_value(jb, m->file);
	}
	if (m->mbox_index >= 0) {
		json_builder_set_member_name(jb, "mbox_index");
		json_builder_add_int_value(jb, m->mbox_index);
	}
	json_builder_set_member_name(jb, "format");
	json_builder_add_string_value(jb, r->format);
	json_builder_set_member_name(jb, "kind");
	json_builder_add_string_value(jb, report_kind_name(r->kind));
	if (o->case_tag != NULL) {
		json_builder_set_member_name(jb, "case");
		json_builder_add_string_value(jb, o->case_tag);
	}
	add_values(jb, "ips", r, FINDING_IPV4, FINDING_IPV6);
	add_values(jb, "urls", r, FINDING_URL, FINDING_URL);
	add_values(jb, "domains", r, FINDING_DOMAIN, FINDING_DOMAIN);
	cli_json_string(jb, "category", r->category);
	cli_json_string(jb, "taxonomy", r->taxonomy);
	cli_json_string(jb, "tlp", r->tlp);
	add_tickets(jb, r);
	cli_json_string(jb, "event_time", r->event_time);
	json_builder_set_member_name(jb, "warnings");
	json_builder_add_int_value(jb, r->warnings != NULL ?
	    r->warnings->len : 0);
	add_findings(jb, r);
	if (t != NULL)
		add_contacts(jb, o->report, t);
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

static void
one(struct batch *b, struct source_msg *m)
{
	struct pipeline_input in;
	struct pipeline_outcome o;
	GError *err = NULL;

	memset(&in, 0, sizeof(in));
	in.raw = g_bytes_get_data(m->data, &in.len);
	in.origin = m->origin;
	b->done++;
	if (!pipeline_process(b->p, &in, b->json, &o, &err)) {
		b->failed++;
		progress(b, TRUE);
		fprintf(stderr, "abusedesk: %s: %s\n", m->origin,
		    err->message);
		g_error_free(err);
		return;
	}
	if (o.duplicate)
		b->dups++;
	else
		b->fresh++;
	if (o.opened)
		b->cases++;
	if (b->json) {
		print_json(m, &o, b->routes);
	} else if (!b->quiet) {
		progress(b, TRUE);
		printf("%s\n", o.summary);
		fflush(stdout);
	}
	pipeline_outcome_clear(&o);
	if (b->done % 16 == 0)
		progress(b, FALSE);
}

static void
run_path(struct batch *b, const char *path)
{
	struct source *src;
	struct source_msg m;
	GError *err = NULL;
	int rc;

	if ((src = source_open(path, &err)) == NULL) {
		fprintf(stderr, "abusedesk: %s\n", err->message);
		g_error_free(err);
		b->failed++;
		return;
	}
	b->total += source_count(src);
	while ((rc = source_next(src, &m, &err)) != 0) {
		if (rc < 0) {
			progress(b, TRUE);
			fprintf(stderr, "abusedesk: %s\n", err->message);
			g_clear_error(&err);
			b->failed++;
			continue;
		}
		one(b, &m);
		source_msg_clear(&m);
	}
	source_close(&src);
}

/* flush_all - every pending takedown batch, after the last message */
static void
flush_all(struct batch *b)
{
	GError *err = NULL;
	gint n = pipeline_flush(b->p, g_get_real_time() / G_USEC_PER_SEC,
	    TRUE, &err);

	if (n < 0) {
		fprintf(stderr, "abusedesk: %s\n", err->message);
		g_error_free(err);
		b->failed++;
		return;
	}
	fprintf(b->json ? stderr : stdout, "flushed %d batched "
	    "takedown(s)\n", n);
}

static void
totals(struct batch *b, struct config *cfg)
{
	struct case_totals t;
	GError *err = NULL;
	GPtrArray *outbox;
	double secs = (g_get_monotonic_time() - b->start) / 1e6;
	FILE *f = b->json ? stderr : stdout;

	fprintf(f, "processed %u message(s) in %.1fs (%.0f msgs/s): %u new, "
	    "%u duplicate, %u failed, %u case(s) opened\n", b->done,
	    secs, secs > 0 ? b->done / secs : 0.0, b->fresh, b->dups,
	    b->failed, b->cases);
	if (!casedb_totals(pipeline_db(b->p), &t, &err)) {
		fprintf(stderr, "abusedesk: %s\n", err->message);
		g_error_free(err);
	} else {
		outbox = spool_list(cfg->outbox, "new");
		fprintf(f, "totals in %s: messages=%" G_GINT64_FORMAT
		    " reports=%" G_GINT64_FORMAT " findings=%" G_GINT64_FORMAT
		    " cases=%" G_GINT64_FORMAT " takedowns=%" G_GINT64_FORMAT
		    " unrouted=%" G_GINT64_FORMAT " outbox=%u\n", cfg->home,
		    t.messages, t.reports, t.findings, t.cases,
		    t.notifications, t.unrouted, outbox->len);
		g_ptr_array_unref(outbox);
	}
}

int
cmd_reprocess(struct cli *g, int argc, char **argv)
{
	gboolean json = FALSE, quiet = FALSE, no_flush = FALSE;
	GOptionEntry entries[] = {
		{ "json", 0, 0, G_OPTION_ARG_NONE, &json,
		  "one JSON line per message (file/mbox_index, format, ips, "
		  "urls, domains, kind, category, taxonomy, tlp, tickets, "
		  "event_time, warnings, findings)", NULL },
		{ "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet,
		  "no line per message, only the totals", NULL },
		{ "no-flush", 0, 0, G_OPTION_ARG_NONE, &no_flush,
		  "leave pending takedown batches for the daemon", NULL },
		{ NULL, 0, 0, 0, NULL, NULL, NULL }
	};
	struct batch b;
	struct config *cfg;
	GError *err = NULL;
	int i, status = 0;

	if (!cli_options("PATH... - process mailboxes in batch",
	    "PATH is an mbox file, a Maildir, an MH folder or a message "
	    "file.", entries, &argc, &argv, &status))
		return status;
	if (argc < 2) {
		fprintf(stderr, "abusedesk reprocess: no PATH given\n");
		return 2;
	}
	if ((cfg = cli_config(g)) == NULL)
		return 1;
	memset(&b, 0, sizeof(b));
	b.json = json;
	b.quiet = quiet;
	b.tty = isatty(STDERR_FILENO);
	if ((b.p = pipeline_open(cfg, &err)) == NULL) {
		fprintf(stderr, "abusedesk: %s\n", err->message);
		g_error_free(err);
		config_free(&cfg);
		return 1;
	}
	/* The mailboxes stay where they are: a lost last transaction after
	 * a power cut is repaired by running reprocess again. */
	if (!pipeline_set_batch(b.p, &err)) {
		fprintf(stderr, "abusedesk: %s\n", err->message);
		g_clear_error(&err);
	}
	if (json)
		b.routes = pipeline_route_tables(b.p);
	b.start = g_get_monotonic_time();
	for (i = 1; i < argc; i++)
		run_path(&b, argv[i]);
	progress(&b, TRUE);
	if (!no_flush)
		flush_all(&b);
	totals(&b, cfg);
	pipeline_close(&b.p);
	config_free(&cfg);
	return b.failed > 0 ? 1 : 0;
}
