/*
 * parse_fixture.h: helpers shared by the parse tests: parse a fixture or a
 * string, print its findings one per line, find a finding, a warning or a
 * part, check a report against its expected format, classification,
 * event time and findings.
 */
#ifndef ABUSEDESK_TEST_PARSE_FIXTURE_H
#define ABUSEDESK_TEST_PARSE_FIXTURE_H

#include <string.h>
#include <criterion/criterion.h>

#include "parse/parse.h"
#include "tests/helpers.h"

static inline void
fixture_setup(void)
{
	parse_init();
}

static inline void
fixture_teardown(void)
{
	parse_shutdown();
}

static inline struct report *
parse_fixture_limits(const char *name, const struct parse_limits *l)
{
	GBytes *b = test_read_fixture(name);
	gsize len;
	const guint8 *d = g_bytes_get_data(b, &len);
	struct report *r = parse_message(d, len, l);

	g_bytes_unref(b);
	return r;
}

static inline struct report *
parse_fixture(const char *name)
{
	return parse_fixture_limits(name, NULL);
}

static inline struct report *
parse_str(const char *s)
{
	return parse_message((const guint8 *)s, strlen(s), NULL);
}

/* "kind role value source [:port] [@observed_at]" lines (g_free). */
static inline char *
fixture_findings(const struct report *r)
{
	GString *s = g_string_new(NULL);
	guint i;

	for (i = 0; i < r->findings->len; i++) {
		const struct finding *f = g_ptr_array_index(r->findings, i);

		g_string_append_printf(s, "%s %s %s %s",
		    finding_kind_name(f->kind), finding_role_name(f->role),
		    f->value, f->source);
		if (f->port != 0)
			g_string_append_printf(s, " :%u", f->port);
		if (f->observed_at != NULL)
			g_string_append_printf(s, " @%s", f->observed_at);
		g_string_append_c(s, '\n');
	}
	return g_string_free(s, FALSE);
}

static inline void
check(const char *fixture, const char *format, const char *category,
    const char *taxonomy, const char *event_time, const char *want)
{
	struct report *r = parse_fixture(fixture);
	char *f = fixture_findings(r);

	cr_assert_str_eq(r->format, format, "%s", fixture);
	cr_assert_str_eq(r->category != NULL ? r->category : "-", category);
	cr_assert_str_eq(r->taxonomy != NULL ? r->taxonomy : "-", taxonomy);
	cr_assert_str_eq(r->event_time != NULL ? r->event_time : "-",
	    event_time);
	cr_assert_str_eq(f, want);
	g_free(f);
	report_free(&r);
}

static inline const struct finding *
finding_of(const struct report *r, const char *value)
{
	guint i;

	for (i = 0; i < r->findings->len; i++) {
		const struct finding *f = g_ptr_array_index(r->findings, i);

		if (strcmp(f->value, value) == 0)
			return f;
	}
	cr_assert_fail("no finding %s", value);
	return NULL;
}

static inline gboolean
warned(const struct report *r, const char *what)
{
	guint i;

	for (i = 0; i < r->warnings->len; i++)
		if (strstr(g_ptr_array_index(r->warnings, i), what) != NULL)
			return TRUE;
	return FALSE;
}

static inline const struct report_part *
part_at(const struct report *r, const char *path)
{
	guint i;

	for (i = 0; i < r->parts->len; i++) {
		const struct report_part *p = g_ptr_array_index(r->parts, i);

		if (strcmp(p->path, path) == 0)
			return p;
	}
	cr_assert_fail("no part %s", path);
	return NULL;
}

#endif
