/*
 * parse_throughput.c: what parse/ and rules/ cost per message, without
 * the database: read every file of a Maildir (new/ and cur/), run
 * parse_message() and rules_eval() with a ruleset, free the report.
 * Prints messages, msgs/s, MB/s, the split between parsing and rules,
 * and the peak RSS (getrusage).  bench/parse-bench runs it beside
 * bench/parse-floor (gmime only) on the same files, in the same run.
 *
 * usage: parse-throughput [-r RULES] MAILDIR...
 * RULES defaults to $ABUSEDESK_RULES, else the source tree's rules/default.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "parse/parse.h"
#include "rules/rules.h"

#ifndef BENCH_RULES_DIR
#define BENCH_RULES_DIR "rules/default"
#endif

struct totals {
	guint	 messages, unparsed, findings, warnings;
	guint64	 bytes;
	gint64	 parse_us, rules_us;
};

static void
one(const struct ruleset *rs, const struct parse_limits *l,
    const guint8 *raw, gsize len, struct totals *t)
{
	struct verdict v;
	struct report *r;
	gint64 t0, t1;

	memset(&v, 0, sizeof(v));
	t0 = g_get_monotonic_time();
	r = parse_message(raw, len, l);
	t1 = g_get_monotonic_time();
	rules_eval(rs, r, &v);
	t->rules_us += g_get_monotonic_time() - t1;
	t->parse_us += t1 - t0;
	t->messages++;
	t->bytes += len;
	t->findings += r->findings->len;
	t->warnings += r->warnings->len;
	if (r->kind == REPORT_KIND_UNPARSED)
		t->unparsed++;
	report_free(&r);
}

static void
run_dir(const struct ruleset *rs, const struct parse_limits *l,
    const char *dir, struct totals *t)
{
	GDir *d = g_dir_open(dir, 0, NULL);
	const char *name;

	if (d == NULL)
		return;
	while ((name = g_dir_read_name(d)) != NULL) {
		char *path = g_build_filename(dir, name, NULL), *buf;
		gsize len;

		if (g_file_get_contents(path, &buf, &len, NULL)) {
			one(rs, l, (const guint8 *)buf, len, t);
			g_free(buf);
		}
		g_free(path);
	}
	g_dir_close(d);
}

int
main(int argc, char **argv)
{
	const char *rules_path = g_getenv("ABUSEDESK_RULES");
	struct parse_limits limits;
	struct ruleset *rs;
	struct totals t;
	struct rusage ru;
	GError *err = NULL;
	gint64 t0;
	double secs, cpu;
	int c, i;

	while ((c = getopt(argc, argv, "r:")) != -1) {
		if (c != 'r') {
			fprintf(stderr, "usage: parse-throughput [-r RULES] "
			    "MAILDIR...\n");
			return 2;
		}
		rules_path = optarg;
	}
	if (rules_path == NULL)
		rules_path = BENCH_RULES_DIR;
	parse_init();
	parse_limits_default(&limits);
	if ((rs = rules_load(rules_path, NULL, &err)) == NULL) {
		fprintf(stderr, "parse-throughput: %s\n", err->message);
		g_error_free(err);
		return 1;
	}
	memset(&t, 0, sizeof(t));
	t0 = g_get_monotonic_time();
	for (i = optind; i < argc; i++) {
		char *cur = g_build_filename(argv[i], "cur", NULL);
		char *new = g_build_filename(argv[i], "new", NULL);

		run_dir(rs, &limits, new, &t);
		run_dir(rs, &limits, cur, &t);
		g_free(cur);
		g_free(new);
	}
	secs = (g_get_monotonic_time() - t0) / 1e6;
	getrusage(RUSAGE_SELF, &ru);
	/* On a shared machine wall time includes waiting for a CPU: the
	 * CPU time (user + system) is printed beside it. */
	cpu = ru.ru_utime.tv_sec + ru.ru_stime.tv_sec +
	    (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
	printf("parse-throughput: %u messages (%.1f MB) in %.2fs: "
	    "%.0f msgs/s, %.1f MB/s, peak RSS %.1f MB\n", t.messages,
	    t.bytes / 1e6, secs, secs > 0 ? t.messages / secs : 0.0,
	    secs > 0 ? t.bytes / 1e6 / secs : 0.0, ru.ru_maxrss / 1024.0);
	printf("parse-throughput: CPU %.2fs: %.0f msgs/CPU-s, %.1f MB/CPU-s\n",
	    cpu, cpu > 0 ? t.messages / cpu : 0.0,
	    cpu > 0 ? t.bytes / 1e6 / cpu : 0.0);
	printf("parse-throughput: parse %.2fs, rules %.2fs; %u findings, "
	    "%u warnings, %u unparsed; %u rules\n", t.parse_us / 1e6,
	    t.rules_us / 1e6, t.findings, t.warnings, t.unparsed,
	    rules_count(rs));
	rules_free(&rs);
	parse_shutdown();
	return 0;
}
