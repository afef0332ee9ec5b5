/*
 * rules_throughput.c: rules evaluation throughput, not a test.
 *
 * Reads every message of a Maildir (new/ and cur/), parses each with
 * parse_message() first (not timed), then times only rules_eval() over
 * it, for two rule sets: the default rules and the defaults plus N
 * generated rules (keyword, header and finding-set rules an analyst
 * might write).  Prints MB/s of decoded part text, messages/s and the
 * load time of each set.  Usage: rules-throughput MAILDIR [N]
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "parse/parse.h"
#include "rules/rules.h"

struct msg {
	guint8	*raw;
	gsize	 len;
};

static void
read_dir(const char *dir, GArray *msgs)
{
	GDir *d = g_dir_open(dir, 0, NULL);
	const char *name;
	struct msg m;

	if (d == NULL)
		return;
	while ((name = g_dir_read_name(d)) != NULL) {
		char *p = g_build_filename(dir, name, NULL);

		if (g_file_get_contents(p, (char **)&m.raw, &m.len, NULL))
			g_array_append_val(msgs, m);
		g_free(p);
	}
	g_dir_close(d);
}

/* The defaults plus n generated rules, in a new directory (g_free). */
static char *
generate(guint n)
{
	char *dir = g_dir_make_tmp("rules-bench-XXXXXX", NULL), *p, *cmd;
	GString *t = g_string_new(NULL);
	guint i;

	cmd = g_strdup_printf("cp %s/*.rules %s/*.txt %s", BENCH_RULES_DIR,
	    BENCH_RULES_DIR, dir);
	if (system(cmd) != 0)
		exit(1);
	g_free(cmd);
	for (i = 0; i < n; i++) {
		switch (i % 4) {
		case 0:
			g_string_append_printf(t, "rule gen.kw%u \"keyword "
			    "%u\"\n\tmatch body /\\bcampaign-%u\\b|"
			    "kw%uxyz/i\n\ttag kw%u\n", i, i, i, i, i);
			break;
		case 1:
			g_string_append_printf(t, "rule gen.hdr%u \"subject "
			    "%u\"\n\tmatch header Subject /ticket #%u\\b/\n"
			    "\tset tlp AMBER\n", i, i, i);
			break;
		case 2:
			g_string_append_printf(t, "rule gen.net%u \"network "
			    "%u\"\n\tfinding ipv4 in 10.%u.%u.0/24\n"
			    "\troute to contact-%u\n", i, i, i / 256 % 256,
			    i % 256, i);
			break;
		default:
			g_string_append_printf(t, "rule gen.rep%u \"reporter "
			    "%u\"\n\treporter domain r%u.example\n"
			    "\tmatch body /(?<url>https?:\\/\\/[^\\s]*"
			    "\\/x%u\\/[^\\s]*)/\n\textract url\n", i, i, i, i);
		}
	}
	p = g_build_filename(dir, "60-generated.rules", NULL);
	g_file_set_contents(p, t->str, -1, NULL);
	g_free(p);
	g_string_free(t, TRUE);
	return dir;
}

static void
run(const char *label, const char *path, GArray *msgs)
{
	struct parse_limits l;
	struct ruleset *rs;
	GError *err = NULL;
	gint64 t0, load, us = 0;
	gsize bytes = 0;
	guint i, j, errors = 0;

	t0 = g_get_monotonic_time();
	if ((rs = rules_load(path, NULL, &err)) == NULL) {
		fprintf(stderr, "%s\n", err->message);
		exit(1);
	}
	load = g_get_monotonic_time() - t0;
	parse_limits_default(&l);
	for (i = 0; i < msgs->len; i++) {
		const struct msg *m = &g_array_index(msgs, struct msg, i);
		struct report *r = parse_message(m->raw, m->len, &l);
		struct verdict v;

		for (j = 0; j < r->parts->len; j++)
			bytes += ((struct report_part *)g_ptr_array_index(
			    r->parts, j))->text_len;
		t0 = g_get_monotonic_time();
		rules_eval(rs, r, &v);
		us += g_get_monotonic_time() - t0;
		errors += v.rule_errors;
		report_free(&r);
	}
	printf("%-24s %5u rules  load %7.1f ms  %u msgs  %.1f MB text  "
	    "eval %.2f s  %.1f MB/s  %.0f msgs/s  rule errors %u\n", label,
	    rules_count(rs), load / 1e3, msgs->len, bytes / 1e6, us / 1e6,
	    us > 0 ? bytes / (double)us : 0, us > 0 ? msgs->len * 1e6 / us :
	    0, errors);
	rules_free(&rs);
}

int
main(int argc, char **argv)
{
	GArray *msgs = g_array_new(FALSE, FALSE, sizeof(struct msg));
	guint n = argc > 2 ? (guint)atoi(argv[2]) : 1000, i;
	char *p, *gen;

	if (argc < 2) {
		fprintf(stderr, "usage: rules-throughput MAILDIR [N]\n");
		return 2;
	}
	parse_init();
	p = g_build_filename(argv[1], "new", NULL);
	read_dir(p, msgs);
	g_free(p);
	p = g_build_filename(argv[1], "cur", NULL);
	read_dir(p, msgs);
	g_free(p);
	run("default", BENCH_RULES_DIR, msgs);
	gen = generate(n);
	run("default+generated", gen, msgs);
	p = g_strdup_printf("rm -rf '%s'", gen);
	if (system(p) != 0)
		fprintf(stderr, "could not remove %s\n", gen);
	g_free(p);
	g_free(gen);
	for (i = 0; i < msgs->len; i++)
		g_free(g_array_index(msgs, struct msg, i).raw);
	g_array_free(msgs, TRUE);
	parse_shutdown();
	return 0;
}
