/*
 * test_source.c: the batch message sources of ingest/source*.c.
 *
 * Each test builds its mailbox (mbox, Maildir, MH folder, single file) in
 * a fresh temporary directory and checks the kind, the count, the order,
 * the exact bytes of each message and its file / origin / mbox_index,
 * plus the errors: a missing path, a directory that is no mailbox, a
 * message that vanished and a message over SOURCE_MSG_MAX.
 */
#include "config.h"

#include <sys/stat.h>

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "ingest/ingest.h"
#include "ingest/source_int.h"
#include "tests/helpers.h"

static char *tmp;

static void
setup(void)
{
	tmp = test_tmpdir();
}

static void
teardown(void)
{
	test_rm_rf(tmp);
	g_free(tmp);
	tmp = NULL;
}

TestSuite(source, .init = setup, .fini = teardown, .timeout = 10);

/* put - writes tmp/rel (parents created); returns the full path (g_free) */
static char *
put(const char *rel, const char *content)
{
	char *path = g_build_filename(tmp, rel, NULL);
	char *dir = g_path_get_dirname(path);
	GError *err = NULL;

	cr_assert_eq(g_mkdir_with_parents(dir, 0700), 0);
	cr_assert(g_file_set_contents(path, content, -1, &err), "%s",
	    err != NULL ? err->message : "");
	g_free(dir);
	return path;
}

/* mkdirs - creates tmp/rel; returns the full path (g_free) */
static char *
mkdirs(const char *rel)
{
	char *path = g_build_filename(tmp, rel, NULL);

	cr_assert_eq(g_mkdir_with_parents(path, 0700), 0);
	return path;
}

static void
mkdirs_only(const char *rel)
{
	g_free(mkdirs(rel));
}

static gboolean
exists(const char *dir, const char *name)
{
	char *p = g_build_filename(dir, name, NULL);
	gboolean r = g_file_test(p, G_FILE_TEST_EXISTS);

	g_free(p);
	return r;
}

/* expect_msg - the next message is exactly body, file and origin */
static void
expect_msg(struct source *s, const char *body, const char *file,
    const char *origin, gint64 mbox_index)
{
	struct source_msg m;
	GError *err = NULL;
	const char *data;
	gsize len;
	int r;

	r = source_next(s, &m, &err);
	cr_assert_eq(r, 1, "source_next: %d %s", r,
	    err != NULL ? err->message : "");
	cr_assert_null(err);
	data = g_bytes_get_data(m.data, &len);
	cr_expect_eq(len, strlen(body), "length %zu, expected %zu", len,
	    strlen(body));
	cr_expect(len == strlen(body) && memcmp(data, body, len) == 0,
	    "bytes: <%.*s>", (int)len, data);
	if (file == NULL)
		cr_expect_null(m.file);
	else
		cr_expect_str_eq(m.file, file);
	cr_expect_str_eq(m.origin, origin);
	cr_expect_eq(m.mbox_index, mbox_index);
	source_msg_clear(&m);
	cr_expect_null(m.data);
	cr_expect_null(m.origin);
}

static void
expect_end(struct source *s)
{
	struct source_msg m;
	GError *err = NULL;

	cr_expect_eq(source_next(s, &m, &err), 0);
	cr_expect_null(err);
	/* And it stays at the end. */
	cr_expect_eq(source_next(s, &m, &err), 0);
	cr_expect_null(err);
}

static struct source *
open_ok(const char *path, const char *kind, guint count)
{
	GError *err = NULL;
	struct source *s;

	s = source_open(path, &err);
	cr_assert_not_null(s, "source_open %s: %s", path,
	    err != NULL ? err->message : "");
	cr_assert_null(err);
	cr_expect_str_eq(source_kind(s), kind);
	cr_expect_eq(source_count(s), count, "count %u", source_count(s));
	return s;
}

static void
expect_open_error(const char *path, const char *message)
{
	GError *err = NULL;

	cr_assert_null(source_open(path, &err));
	cr_assert_not_null(err);
	cr_expect_eq(err->domain, INGEST_ERROR);
	cr_expect_eq(err->code, INGEST_ERROR_SOURCE);
	cr_expect_str_eq(err->message, message);
	g_error_free(err);
}

#define MSG1	"From: alice@example.org\nSubject: one\n\nfirst body\n" \
		">From the quoted line\nend one\n"
#define MSG2	"From: bob@example.org\nSubject: two\n\nsecond body\n"
#define MSG3	"From: carol@example.org\nSubject: three\n\nthird body\n"

Test(source, mbox_gives_three_messages_without_separators_in_order)
{
	char *path = put("inbox.mbox",
	    "From alice@example.org Mon Jan  1 00:00:00 2024\n" MSG1 "\n"
	    "From bob@example.org Mon Jan  1 00:00:01 2024\n" MSG2 "\n"
	    "From carol@example.org Mon Jan  1 00:00:02 2024\n" MSG3);
	struct source *s = open_ok(path, "mbox", 3);
	char *o0 = g_strdup_printf("mbox:%s#0", path);
	char *o1 = g_strdup_printf("mbox:%s#1", path);
	char *o2 = g_strdup_printf("mbox:%s#2", path);

	/* ">From " stays quoted: libetpan does not unquote mboxrd. */
	expect_msg(s, MSG1, NULL, o0, 0);
	expect_msg(s, MSG2, NULL, o1, 1);
	/* The file ends in one newline: the last line is still there. */
	expect_msg(s, MSG3, NULL, o2, 2);
	expect_end(s);
	source_close(&s);
	cr_expect_null(s);
	/* libetpan's dotlock is gone again. */
	cr_expect_not(exists(tmp, "inbox.mbox.lock"));
	g_free(o0);
	g_free(o1);
	g_free(o2);
	g_free(path);
}

Test(source, mbox_trailing_blank_line_is_a_separator_not_content)
{
	char *path = put("two.mbox",
	    "From a Mon Jan  1 00:00:00 2024\n" MSG2 "\n"
	    "From b Mon Jan  1 00:00:01 2024\n" MSG3 "\n");
	struct source *s = open_ok(path, "mbox", 2);
	char *o0 = g_strdup_printf("mbox:%s#0", path);
	char *o1 = g_strdup_printf("mbox:%s#1", path);

	expect_msg(s, MSG2, NULL, o0, 0);
	expect_msg(s, MSG3, NULL, o1, 1);
	expect_end(s);
	source_close(&s);
	g_free(o0);
	g_free(o1);
	g_free(path);
}

Test(source, mbox_last_line_without_newline_is_kept)
{
	char *path = put("nonl.mbox",
	    "From a Mon Jan  1 00:00:00 2024\nSubject: x\n\nlast");
	struct source *s = open_ok(path, "mbox", 1);
	char *o0 = g_strdup_printf("mbox:%s#0", path);

	expect_msg(s, "Subject: x\n\nlast", NULL, o0, 0);
	expect_end(s);
	source_close(&s);
	g_free(o0);
	g_free(path);
}

Test(source, empty_file_is_an_empty_mbox)
{
	char *path = put("empty.mbox", "");
	struct source *s = open_ok(path, "mbox", 0);

	expect_end(s);
	source_close(&s);
	g_free(path);
}

Test(source, maildir_reads_new_then_cur_each_by_name)
{
	char *md = mkdirs("Maildir"), *full;
	char *n1 = put("Maildir/new/1700000002.M2.host", MSG2);
	char *n0 = put("Maildir/new/1700000001.M1.host", MSG1);
	char *c0 = put("Maildir/cur/1600000000.M0.host:2,S", MSG3);
	struct source *s;

	mkdirs_only("Maildir/tmp");
	mkdirs_only("Maildir/cur/not-a-message");
	s = open_ok(md, "maildir", 3);
	full = g_strconcat("maildir:", n0, NULL);
	expect_msg(s, MSG1, "new/1700000001.M1.host", full, -1);
	g_free(full);
	full = g_strconcat("maildir:", n1, NULL);
	expect_msg(s, MSG2, "new/1700000002.M2.host", full, -1);
	g_free(full);
	full = g_strconcat("maildir:", c0, NULL);
	expect_msg(s, MSG3, "cur/1600000000.M0.host:2,S", full, -1);
	g_free(full);
	expect_end(s);
	source_close(&s);
	/* Reading does not leave libetpan's marker behind. */
	cr_expect_not(exists(md, "maildirfolder"));
	g_free(n0);
	g_free(n1);
	g_free(c0);
	g_free(md);
}

Test(source, mh_reads_numbers_in_ascending_order)
{
	char *mh = mkdirs("mh"), *o;
	char *p10 = put("mh/10", MSG3);
	char *p2 = put("mh/2", MSG2);
	char *p1 = put("mh/1", MSG1);
	char *junk = put("mh/3.orig", "not a message\n");
	struct source *s = open_ok(mh, "mh", 3);

	o = g_strdup_printf("mh:%s/1", mh);
	expect_msg(s, MSG1, "1", o, -1);
	g_free(o);
	o = g_strdup_printf("mh:%s/2", mh);
	expect_msg(s, MSG2, "2", o, -1);
	g_free(o);
	o = g_strdup_printf("mh:%s/10", mh);
	expect_msg(s, MSG3, "10", o, -1);
	g_free(o);
	expect_end(s);
	source_close(&s);
	cr_expect_not(exists(mh, ".mh_sequences"));
	g_free(p1);
	g_free(p2);
	g_free(p10);
	g_free(junk);
	g_free(mh);
}

Test(source, single_file_is_one_message)
{
	char *path = put("report.eml", MSG1);
	struct source *s = open_ok(path, "file", 1);
	char *o = g_strconcat("file:", path, NULL);

	expect_msg(s, MSG1, "report.eml", o, -1);
	expect_end(s);
	source_close(&s);
	g_free(o);
	g_free(path);
}

Test(source, missing_path_is_an_error)
{
	char *path = g_build_filename(tmp, "nope", NULL);
	char *msg = g_strdup_printf("%s: No such file or directory", path);

	expect_open_error(path, msg);
	g_free(msg);
	g_free(path);
}

Test(source, empty_directory_is_an_empty_mh_folder)
{
	char *dir = mkdirs("empty");
	struct source *s = open_ok(dir, "mh", 0);

	expect_end(s);
	source_close(&s);
	g_free(dir);
}

Test(source, directory_with_mh_sequences_only_is_mh)
{
	char *dir = mkdirs("seq");
	char *seq = put("seq/.mh_sequences", "cur: 1\n");
	struct source *s = open_ok(dir, "mh", 0);

	source_close(&s);
	cr_expect(exists(dir, ".mh_sequences"));
	g_free(seq);
	g_free(dir);
}

Test(source, directory_of_other_files_is_not_a_mailbox)
{
	char *dir = mkdirs("emls");
	char *f = put("emls/a.eml", MSG1);
	char *msg = g_strdup_printf("%s: not an mbox, Maildir, MH folder or "
	    "message file", dir);

	expect_open_error(dir, msg);
	g_free(msg);
	g_free(f);
	g_free(dir);
}

Test(source, vanished_message_fails_alone_and_reading_goes_on)
{
	char *md = mkdirs("md"), *o, *want;
	char *a = put("md/new/1.a", MSG1);
	char *b = put("md/new/2.b", MSG2);
	struct source *s;
	struct source_msg m;
	GError *err = NULL;

	mkdirs_only("md/cur");
	s = open_ok(md, "maildir", 2);
	cr_assert_eq(unlink(a), 0);
	cr_assert_eq(source_next(s, &m, &err), -1);
	cr_assert_not_null(err);
	cr_expect_eq(err->code, INGEST_ERROR_SOURCE);
	want = g_strdup_printf("%s: No such file or directory", a);
	cr_expect_str_eq(err->message, want);
	g_clear_error(&err);
	o = g_strconcat("maildir:", b, NULL);
	expect_msg(s, MSG2, "new/2.b", o, -1);
	expect_end(s);
	source_close(&s);
	g_free(want);
	g_free(o);
	g_free(a);
	g_free(b);
	g_free(md);
}

Test(source, message_over_the_limit_is_skipped_as_too_large)
{
	char *mh = mkdirs("big"), *o, *want;
	char *big = put("big/1", "");
	char *small = put("big/2", MSG2);
	struct source *s;
	struct source_msg m;
	GError *err = NULL;

	/* Sparse: costs no disk, and is never read. */
	cr_assert_eq(truncate(big, (off_t)SOURCE_MSG_MAX + 1), 0);
	s = open_ok(mh, "mh", 2);
	cr_assert_eq(source_next(s, &m, &err), -1);
	cr_assert_not_null(err);
	want = g_strdup_printf("%s: too large (%u bytes, limit %u)", big,
	    SOURCE_MSG_MAX + 1, SOURCE_MSG_MAX);
	cr_expect_str_eq(err->message, want);
	g_clear_error(&err);
	o = g_strdup_printf("mh:%s/2", mh);
	expect_msg(s, MSG2, "2", o, -1);
	expect_end(s);
	source_close(&s);
	g_free(want);
	g_free(o);
	g_free(big);
	g_free(small);
	g_free(mh);
}

Test(source, message_at_the_limit_is_read)
{
	char *path = put("limit.eml", "");
	struct source *s;
	struct source_msg m;
	GError *err = NULL;

	cr_assert_eq(truncate(path, (off_t)SOURCE_MSG_MAX), 0);
	s = open_ok(path, "file", 1);
	cr_assert_eq(source_next(s, &m, &err), 1);
	cr_expect_eq(g_bytes_get_size(m.data), SOURCE_MSG_MAX);
	source_msg_clear(&m);
	source_close(&s);
	g_free(path);
}

Test(source, close_and_clear_accept_null)
{
	struct source *s = NULL;

	source_close(&s);
	source_close(NULL);
	source_msg_clear(NULL);
	cr_expect_null(s);
}

Test(source, mbox_in_a_directory_we_cannot_write_is_still_read)
{
	char *dir = mkdirs("ro"), *o0;
	char *path = put("ro/archive.mbox",
	    "From a Mon Jan  1 00:00:00 2024\n" MSG2);
	struct source *s;

	if (geteuid() == 0)
		cr_skip_test("root writes any directory");
	cr_assert_eq(chmod(dir, 0500), 0);
	s = open_ok(path, "mbox", 1);
	o0 = g_strdup_printf("mbox:%s#0", path);
	expect_msg(s, MSG2, NULL, o0, 0);
	expect_end(s);
	source_close(&s);
	cr_assert_eq(chmod(dir, 0700), 0);
	g_free(o0);
	g_free(path);
	g_free(dir);
}
