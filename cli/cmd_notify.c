/*
 * cmd_notify.c: `abusedesk notify pending` (the open takedown batches:
 * contact, category, findings, due in) and `abusedesk notify flush
 * [--all]` (render the due batches now, or all of them, into the
 * outbox; the daemon does the same once per loop).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "ingest/ingest_int.h"
#include "case/case.h"

/* due_text - "40s" / "12m" / "3h" / "now" for a due time */
static char *
due_text(gint64 due, gint64 now)
{
	gint64 d = due - now;

	if (d <= 0)
		return g_strdup("now");
	if (d < 120)
		return g_strdup_printf("%" G_GINT64_FORMAT "s", d);
	if (d < 7200)
		return g_strdup_printf("%" G_GINT64_FORMAT "m", d / 60);
	return g_strdup_printf("%" G_GINT64_FORMAT "h", d / 3600);
}

static int
pending(struct config *cfg)
{
	GPtrArray *list = g_ptr_array_new_with_free_func(case_batch_free);
	gint64 now = g_get_real_time() / G_USEC_PER_SEC;
	struct casedb *db;
	GError *err = NULL;
	guint i;

	if ((db = casedb_open(cfg->db_path, &err)) == NULL ||
	    !casedb_batch_list(db, G_MAXINT64, list, &err)) {
		fprintf(stderr, "abusedesk: %s\n", err->message);
		g_error_free(err);
		casedb_close(&db);
		g_ptr_array_unref(list);
		return 1;
	}
	if (list->len == 0)
		printf("no pending takedown batches\n");
	else
		printf("%-6s %-24s %-24s %8s  %s\n", "batch", "contact",
		    "category", "findings", "due in");
	for (i = 0; i < list->len; i++) {
		const struct case_batch *b = g_ptr_array_index(list, i);
		char *due = b->error != NULL ? g_strdup_printf("failed: "
		    "%.200s", b->error) : due_text(b->due_at, now);

		/* ids and categories come from our config and rules, not
		 * from mail, but cut them to keep the columns */
		printf("%-6" G_GINT64_FORMAT " %-24.40s %-24.40s %8u  %s\n",
		    b->id, b->contact_id, *b->category != '\0' ?
		    b->category : "-", b->findings, due);
		g_free(due);
	}
	g_ptr_array_unref(list);
	casedb_close(&db);
	return 0;
}

static int
flush(struct config *cfg, gboolean all)
{
	struct pipeline *p;
	GError *err = NULL;
	gint n;

	if ((p = pipeline_open(cfg, &err)) == NULL) {
		fprintf(stderr, "abusedesk: %s\n", err->message);
		g_error_free(err);
		return 1;
	}
	n = pipeline_flush(p, g_get_real_time() / G_USEC_PER_SEC, all, &err);
	pipeline_close(&p);
	if (n < 0) {
		fprintf(stderr, "abusedesk: %s\n", err->message);
		g_error_free(err);
		return 1;
	}
	printf("flushed %d takedown(s)\n", n);
	return 0;
}

int
cmd_notify(struct cli *g, int argc, char **argv)
{
	gboolean all = FALSE;
	GOptionEntry entries[] = {
		{ "all", 0, 0, G_OPTION_ARG_NONE, &all,
		  "flush: every pending batch, due or not", NULL },
		{ NULL, 0, 0, 0, NULL, NULL, NULL }
	};
	struct config *cfg;
	int status = 0;

	if (!cli_options("pending | flush [--all] - takedown batches",
	    "Findings for one contact within [notify] window become one "
	    "takedown request.", entries, &argc, &argv, &status))
		return status;
	if (argc != 2 || (strcmp(argv[1], "pending") != 0 &&
	    strcmp(argv[1], "flush") != 0)) {
		fprintf(stderr, "usage: abusedesk notify pending | "
		    "flush [--all]\n");
		return 2;
	}
	if ((cfg = cli_config(g)) == NULL)
		return 1;
	if (strcmp(argv[1], "pending") == 0)
		status = pending(cfg);
	else
		status = flush(cfg, all);
	config_free(&cfg);
	return status;
}
