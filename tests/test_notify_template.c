/*
 * test_notify_template.c: templates, the sanitiser and the outbox.
 *
 * Template errors name file:line, languages fall back to en (and never
 * become paths), a Subject always carries the case tag; the sanitiser
 * keeps one clean line; notify_publish() and notify_discard() move and
 * remove the rendered file.
 */
#include "config.h"

#include "test_notify_fixture.h"
#include "notify/notify_int.h"

TestSuite(notify_template, .init = nfx_setup, .fini = nfx_teardown,
    .timeout = 10);

static void
use_templates(const char *fixture)
{
	g_free(fx.templates);
	fx.templates = test_data_path(fixture);
	fx.cfg.templates = fx.templates;
}

static const struct notification *
render_one_ok(const char *lang)
{
	struct contact *c;
	GError *err = NULL;

	c = nfx_contact(0, "hoster-a", "Hoster A", "abuse@hoster-a.example",
	    lang);
	nfx_route(FINDING_IPV4, "203.0.113.5", "1", c);
	cr_assert(notify_render(&fx.cfg, fx.r, &fx.res, "CASE-000042",
	    fx.out, &err), "%s", err != NULL ? err->message : "?");
	cr_assert_eq(fx.out->len, 1);
	return g_ptr_array_index(fx.out, 0);
}

Test(notify_template, unknown_placeholder_names_file_and_line)
{
	struct contact *c;
	GError *err = NULL;

	use_templates("notify-templates-bad");
	c = nfx_contact(0, "hoster-a", "Hoster A", "abuse@hoster-a.example",
	    "en");
	nfx_route(FINDING_IPV4, "203.0.113.5", "1", c);
	cr_assert_not(notify_render(&fx.cfg, fx.r, &fx.res, "CASE-000042",
	    fx.out, &err));
	cr_assert(g_error_matches(err, NOTIFY_ERROR, NOTIFY_ERROR_TEMPLATE));
	cr_assert(g_str_has_suffix(err->message,
	    "en/takedown.txt:6: unknown placeholder {{case_id}}"), "%s",
	    err->message);
	cr_assert_eq(fx.out->len, 0);
	cr_assert_eq(nfx_count("tmp"), 0);
	g_error_free(err);
}

Test(notify_template, missing_blank_line_is_a_template_error)
{
	GError *err = NULL;
	struct notify_template *t;
	char *dir = test_data_path("notify-templates-noblank");

	t = notify_template_load(dir, "en", &err);
	cr_assert_null(t);
	cr_assert(g_error_matches(err, NOTIFY_ERROR, NOTIFY_ERROR_TEMPLATE));
	cr_assert(g_str_has_suffix(err->message, "en/takedown.txt:2: "
	    "expected \"Subject:\" or a blank line before the body"), "%s",
	    err->message);
	g_error_free(err);
	g_free(dir);
}

Test(notify_template, missing_template_is_a_temporary_io_error)
{
	struct contact *c;
	GError *err = NULL;

	use_templates("notify-no-such-dir");
	c = nfx_contact(0, "hoster-a", "Hoster A", "abuse@hoster-a.example",
	    "ja");
	nfx_route(FINDING_IPV4, "203.0.113.5", "1", c);
	cr_assert_not(notify_render(&fx.cfg, fx.r, &fx.res, "CASE-000042",
	    fx.out, &err));
	cr_assert(g_error_matches(err, NOTIFY_ERROR, NOTIFY_ERROR_IO), "%s",
	    err->message);
	cr_assert_not_null(strstr(err->message, "en/takedown.txt"));
	g_error_free(err);
}

Test(notify_template, unknown_and_path_like_languages_fall_back_to_en)
{
	const char *langs[] = { "xx", "../ja", "ja/../..", "", NULL };
	struct notify_template *t;
	GError *err = NULL;
	guint i;

	for (i = 0; i < G_N_ELEMENTS(langs); i++) {
		t = notify_template_load(fx.templates, langs[i], &err);
		cr_assert_not_null(t, "%s", err != NULL ? err->message : "?");
		cr_assert(g_str_has_suffix(t->path, "/en/takedown.txt"),
		    "lang %s gave %s", langs[i] ? langs[i] : "NULL", t->path);
		notify_template_free(&t);
		cr_assert_null(t);
	}
	t = notify_template_load(fx.templates, "JA", &err);
	cr_assert_not_null(t);
	cr_assert(g_str_has_suffix(t->path, "/ja/takedown.txt"));
	notify_template_free(&t);
}

Test(notify_template, subject_without_tag_gets_it_prepended)
{
	const struct notification *n;
	GMimeMessage *m;

	use_templates("notify-templates-notag");
	n = render_one_ok("en");
	cr_assert_str_eq(n->subject,
	    "[CASE-000042] Takedown request about phishing");
	m = nfx_parse(n->tmp_path);
	cr_assert_str_eq(g_mime_message_get_subject(m), n->subject);
	g_object_unref(m);
}

Test(notify_template, bad_case_tag_is_refused)
{
	struct contact *c;
	GError *err = NULL;

	c = nfx_contact(0, "hoster-a", "Hoster A", "abuse@hoster-a.example",
	    "en");
	nfx_route(FINDING_IPV4, "203.0.113.5", "1", c);
	cr_assert_not(notify_render(&fx.cfg, fx.r, &fx.res,
	    "CASE-42\r\nBcc: x@y", fx.out, &err));
	cr_assert(g_error_matches(err, NOTIFY_ERROR, NOTIFY_ERROR_TEMPLATE));
	cr_assert_eq(nfx_count("tmp"), 0);
	g_error_free(err);
}

Test(notify_template, publish_moves_the_file_into_new)
{
	const struct notification *n;
	GError *err = NULL;
	char *dst;

	n = render_one_ok("en");
	cr_assert(notify_publish(&fx.cfg, n, &err), "%s",
	    err != NULL ? err->message : "?");
	cr_assert_eq(nfx_count("tmp"), 0);
	cr_assert_eq(nfx_count("new"), 1);
	dst = g_build_filename(fx.outbox, "new", n->file, NULL);
	cr_assert(g_file_test(dst, G_FILE_TEST_IS_REGULAR));
	g_free(dst);
	/* A second publish has nothing to move. */
	cr_assert_not(notify_publish(&fx.cfg, n, &err));
	cr_assert(g_error_matches(err, NOTIFY_ERROR, NOTIFY_ERROR_IO));
	g_error_free(err);
}

Test(notify_template, discard_removes_the_file)
{
	const struct notification *n;

	n = render_one_ok("en");
	cr_assert(g_file_test(n->tmp_path, G_FILE_TEST_EXISTS));
	notify_discard(n);
	cr_assert_not(g_file_test(n->tmp_path, G_FILE_TEST_EXISTS));
	cr_assert_eq(nfx_count("tmp"), 0);
	cr_assert_eq(nfx_count("new"), 0);
	notify_discard(n);
	notify_discard(NULL);
}

Test(notify_template, sanitiser_keeps_one_clean_capped_line)
{
	char *s, *big;

	s = notify_sanitise("a\r\nBcc: x\t\x01y\x7f \xe2\x80\xae z  ", 200);
	cr_assert_str_eq(s, "a Bcc: x y z");
	g_free(s);
	s = notify_sanitise("bad \xff utf8", 200);
	cr_assert_str_eq(s, "bad \xef\xbf\xbd utf8");
	g_free(s);
	s = notify_sanitise("件名テスト", 2);
	cr_assert_str_eq(s, "件名");
	g_free(s);
	big = g_strnfill(1000, 'x');
	s = notify_sanitise(big, NOTIFY_VALUE_CAP);
	cr_assert_eq(strlen(s), NOTIFY_VALUE_CAP);
	g_free(s);
	g_free(big);
	s = notify_sanitise(NULL, 10);
	cr_assert_str_eq(s, "");
	g_free(s);
}

Test(notify_template, only_plain_message_ids_are_copied)
{
	cr_assert(notify_msgid_ok("abc.123@mail.example"));
	cr_assert_not(notify_msgid_ok("abc@x>\r\nBcc: y@z"));
	cr_assert_not(notify_msgid_ok("no-at-sign"));
	cr_assert_not(notify_msgid_ok("a b@c"));
	cr_assert_not(notify_msgid_ok(""));
	cr_assert_not(notify_msgid_ok(NULL));
}
