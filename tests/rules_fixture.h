/*
 * rules_fixture.h: what the tests that run rules share: the default rule
 * set loaded once per test (rfx_rules_setup/teardown as a suite's
 * .init/.fini), a message parsed and run through it, and the findings
 * printed "kind role value[ !why]" one a line.
 */
#ifndef ABUSEDESK_TEST_RULES_FIXTURE_H
#define ABUSEDESK_TEST_RULES_FIXTURE_H

#include <criterion/criterion.h>
#include <criterion/logging.h>

#include "parse/parse.h"
#include "rules/rules.h"
#include "tests/helpers.h"

static struct ruleset *defaults;

static inline void
rfx_rules_setup(void)
{
	char *dir = test_src_path("rules/default");
	GError *err = NULL;

	parse_init();
	defaults = rules_load(dir, NULL, &err);
	if (defaults == NULL)
		cr_log_error("default rules: %s", err->message);
	g_clear_error(&err);
	g_free(dir);
}

static inline void
rfx_rules_teardown(void)
{
	rules_free(&defaults);
}

/* rfx_analyse - raw parsed with the default limits and run through the
 * default rules (report_free) */
static inline struct report *
rfx_analyse(const guint8 *raw, gsize len)
{
	struct parse_limits l;
	struct verdict v;
	struct report *r;

	cr_assert_not_null(defaults);
	parse_limits_default(&l);
	r = parse_message(raw, len, &l);
	cr_assert(rules_eval(defaults, r, &v));
	return r;
}

/* "kind role value" per finding, " !why" when suppressed (g_free). */
static inline char *
rfx_findings(const struct report *r)
{
	GString *s = g_string_new(NULL);
	guint i;

	for (i = 0; i < r->findings->len; i++) {
		const struct finding *f = g_ptr_array_index(r->findings, i);

		g_string_append_printf(s, "%s %s %s",
		    finding_kind_name(f->kind), finding_role_name(f->role),
		    f->value);
		if (f->suppressed)
			g_string_append_printf(s, " !%s", f->suppress_why);
		g_string_append_c(s, '\n');
	}
	return g_string_free(s, FALSE);
}

#endif
