/*
 * test_notify_fixture.h: the fixture shared by the notify/ tests.
 *
 * A fresh outbox Maildir in a temporary directory, the shipped templates,
 * a report built by hand and a route result whose contacts the test
 * constructs (no route tables), and helpers to read the written mails
 * back with gmime.
 */
#ifndef ABUSEDESK_TEST_NOTIFY_FIXTURE_H
#define ABUSEDESK_TEST_NOTIFY_FIXTURE_H

#include <string.h>
#include <fcntl.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <glib/gstdio.h>
#include <gmime/gmime.h>

#include "helpers.h"
#include "notify/notify.h"
#include "parse/limits.h"

#define NFX_CONTACTS	4

static struct nfx {
	char			*dir;
	char			*outbox;
	char			*templates;
	struct notify_config	 cfg;
	struct report		*r;
	struct route_result	 res;
	GPtrArray		*out;
	struct contact		 c[NFX_CONTACTS];
} fx;

static inline void
nfx_setup(void)
{
	const char *sub[] = { "tmp", "new", "cur" };
	char *p;
	guint i;

	g_mime_init();
	fx.dir = test_tmpdir();
	fx.outbox = g_build_filename(fx.dir, "outbox", NULL);
	for (i = 0; i < G_N_ELEMENTS(sub); i++) {
		p = g_build_filename(fx.outbox, sub[i], NULL);
		cr_assert_eq(g_mkdir_with_parents(p, 0700), 0);
		g_free(p);
	}
	fx.templates = test_src_path("templates");
	fx.cfg.outbox = fx.outbox;
	fx.cfg.templates = fx.templates;
	fx.cfg.from = "Example CSIRT <abuse@csirt.example>";
	fx.cfg.domain = "csirt.example";
	fx.r = report_new(LIMIT_ARENA_BYTES);
	fx.r->kind = REPORT_KIND_ABUSE;
	fx.r->subject = "Phishing site at your network";
	fx.r->message_id = "report-1@reporter.example";
	fx.r->date = "Mon, 1 Jul 2024 10:00:00 +0000";
	fx.r->reporter = "reporter@reporter.example";
	fx.r->category = "phishing";
	fx.res.routes = g_ptr_array_new();
	fx.out = g_ptr_array_new();
}

static inline void
nfx_teardown(void)
{
	guint i;

	for (i = 0; i < NFX_CONTACTS; i++) {
		g_free(fx.c[i].id);
		g_free(fx.c[i].name);
		g_free(fx.c[i].email);
		g_free(fx.c[i].language);
	}
	g_ptr_array_unref(fx.out);
	g_ptr_array_unref(fx.res.routes);
	report_free(&fx.r);
	test_rm_rf(fx.dir);
	g_free(fx.dir);
	g_free(fx.outbox);
	g_free(fx.templates);
	memset(&fx, 0, sizeof(fx));
	g_mime_shutdown();
}

static inline struct contact *
nfx_contact(guint i, const char *id, const char *name, const char *email,
    const char *lang)
{
	struct contact *c = &fx.c[i];

	c->id = g_strdup(id);
	c->name = g_strdup(name);
	c->email = g_strdup(email);
	c->language = g_strdup(lang);
	return c;
}

/* Adds an offender finding routed to c (NULL: unrouted). */
static inline struct finding *
nfx_route(enum finding_kind kind, const char *value, const char *part,
    const struct contact *c)
{
	struct finding *f;
	struct route *rt;

	f = report_add_finding(fx.r, kind, FINDING_ROLE_OFFENDER, value,
	    value, part, 0, "test");
	cr_assert_not_null(f);
	rt = arena_alloc(fx.r->arena, sizeof(*rt));
	rt->finding = f;
	rt->contact = c;
	rt->reason = "test";
	g_ptr_array_add(fx.res.routes, rt);
	if (c == NULL)
		fx.res.unrouted++;
	return f;
}

/* Number of entries in outbox/<sub>. */
static inline guint
nfx_count(const char *sub)
{
	char *p = g_build_filename(fx.outbox, sub, NULL);
	GDir *d = g_dir_open(p, 0, NULL);
	guint n = 0;

	cr_assert_not_null(d);
	while (g_dir_read_name(d) != NULL)
		n++;
	g_dir_close(d);
	g_free(p);
	return n;
}

static inline char *
nfx_slurp(const char *path)
{
	char *buf = NULL;

	/* A missing file reads as "", which every content check fails. */
	if (!g_file_get_contents(path, &buf, NULL, NULL))
		return g_strdup("");
	return buf;
}

/* The mail at path, parsed back by gmime (g_object_unref). */
static inline GMimeMessage *
nfx_parse(const char *path)
{
	GMimeStream *st;
	GMimeParser *p;
	GMimeMessage *m;
	int fd = open(path, O_RDONLY);

	cr_assert_neq(fd, -1, "cannot open %s", path);
	st = g_mime_stream_fs_new(fd);
	p = g_mime_parser_new_with_stream(st);
	m = g_mime_parser_construct_message(p, NULL);
	cr_assert_not_null(m, "gmime cannot parse %s", path);
	g_object_unref(p);
	g_object_unref(st);
	return m;
}

/* The decoded text/plain body (g_free). */
static inline char *
nfx_body(GMimeMessage *m)
{
	GMimeObject *part = g_mime_message_get_mime_part(m);

	cr_assert(GMIME_IS_TEXT_PART(part));
	return g_mime_text_part_get_text(GMIME_TEXT_PART(part));
}

#endif
