/*
 * fuzz_parse.c: libFuzzer target for parse/ and rules/: one input is one
 * raw message, run through parse_message(), rules_eval() with the default
 * rules and report_dump(), as the pipeline does before anything is stored.
 * Built only with configure --enable-fuzz CC=clang; see fuzz/README.md.
 *
 * The rules come from $ABUSEDESK_RULES, else from the source tree's
 * rules/default.  Limits are the defaults with a smaller text budget, so
 * one run stays fast; every limit is still exercised by short inputs.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse/parse.h"
#include "rules/rules.h"

#ifndef FUZZ_RULES_DIR
#define FUZZ_RULES_DIR "rules/default"
#endif

int	LLVMFuzzerInitialize(int *argc, char ***argv);
int	LLVMFuzzerTestOneInput(const guint8 *data, size_t size);

static struct ruleset		*rules;
static struct parse_limits	 limits;

static void
quiet_log(const char *domain, GLogLevelFlags level, const char *msg,
    gpointer data)
{
	if (level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL))
		g_log_default_handler(domain, level, msg, data);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *path = g_getenv("ABUSEDESK_RULES");
	GError *err = NULL;

	(void)argc;
	(void)argv;
	if (path == NULL)
		path = FUZZ_RULES_DIR;
	parse_init();
	parse_limits_default(&limits);
	limits.max_part_text = 256 * 1024;
	limits.max_message_text = 1024 * 1024;
	if ((rules = rules_load(path, NULL, &err)) == NULL) {
		fprintf(stderr, "fuzz_parse: %s: %s\n", path, err->message);
		g_error_free(err);
		exit(1);
	}
	/* A g_critical is a failed g_return_if_fail: a bug, so a crash.
	 * Warnings about hostile input are expected: keep them quiet. */
	g_log_set_always_fatal(G_LOG_LEVEL_CRITICAL | G_LOG_FATAL_MASK);
	g_log_set_default_handler(quiet_log, NULL);
	return 0;
}

int
LLVMFuzzerTestOneInput(const guint8 *data, size_t size)
{
	struct report *r;
	struct verdict v;
	GString *out;

	memset(&v, 0, sizeof(v));
	r = parse_message(data, size, &limits);
	if (r == NULL)
		abort();
	(void)rules_eval(rules, r, &v);
	out = g_string_sized_new(4096);
	report_dump(r, out);
	g_string_free(out, TRUE);
	report_free(&r);
	return 0;
}
