/*
 * source_maildir.c: the "maildir" message source, through libetpan.
 *
 * Exports source_maildir_driver.  A directory with cur/ and new/
 * subdirectories is a Maildir (tmp/ is not required: it holds nothing
 * delivered).  maildir_new() + maildir_update() list the messages; we keep
 * the regular files only and sort them so the order is deterministic: all
 * of new/ by file name, then all of cur/ by file name.  Each message is
 * read with source_read_file(), bounded by SOURCE_MSG_MAX.
 *
 * file is "new/<name>" or "cur/<name>" relative to the Maildir, origin
 * "maildir:<path>/<file>", mbox_index -1.  The path is built from the
 * libetpan file name rather than with maildir_message_get(), whose lookup
 * by unique name picks one of two files that share it (same base name in
 * new/ and cur/, or two flag suffixes).
 *
 * libetpan's maildir_update() creates an empty "maildirfolder" file in the
 * Maildir when there is none.  A batch read must not change the mailbox
 * (Dovecot and Courier take that file to mean "a Maildir++ subfolder"), so
 * if we see it appear we remove it again.
 */
#include "config.h"

#include <sys/stat.h>

#include <string.h>

#include <libetpan/maildir.h>

#include "ingest/ingest.h"
#include "ingest/source_int.h"

#define MAILDIR_MARKER	"maildirfolder"

struct maildir_state {
	GPtrArray	*files;		/* "new/<name>", "cur/<name>" */
};

/* is_dir - TRUE if dir/name is a directory */
static gboolean
is_dir(const char *dir, const char *name)
{
	char *p = g_build_filename(dir, name, NULL);
	struct stat sb;
	gboolean r;

	r = stat(p, &sb) == 0 && S_ISDIR(sb.st_mode);
	g_free(p);
	return r;
}

static int
maildir_probe(const char *path, const struct stat *sb, GError **error)
{
	(void)error;
	if (!S_ISDIR(sb->st_mode))
		return 0;
	return is_dir(path, "cur") && is_dir(path, "new");
}

/* file_cmp - new/ before cur/, then by name (bytewise) */
static gint
file_cmp(gconstpointer a, gconstpointer b)
{
	const char *fa = *(const char *const *)a;
	const char *fb = *(const char *const *)b;

	if (fa[0] != fb[0])
		return fa[0] == 'n' ? -1 : 1;
	return strcmp(fa, fb);
}

static gboolean
maildir_open(struct source *s, GError **error)
{
	struct maildir_state *st;
	struct maildir *md;
	struct maildir_msg *msg;
	struct stat sb;
	gboolean had_marker;
	unsigned int i;
	char *rel, *full;
	int r;

	md = maildir_new(s->path);
	if (md == NULL) {
		source_etpan_error(error, s->path, SOURCE_ETPAN_MAILDIR,
		    MAILDIR_ERROR_MEMORY);
		return FALSE;
	}
	had_marker = source_exists(s->path, MAILDIR_MARKER);
	r = maildir_update(md);
	if (!had_marker)
		source_unlink_marker(s->path, MAILDIR_MARKER);
	if (r != MAILDIR_NO_ERROR) {
		source_etpan_error(error, s->path, SOURCE_ETPAN_MAILDIR, r);
		maildir_free(md);
		return FALSE;
	}

	st = g_new0(struct maildir_state, 1);
	st->files = g_ptr_array_new_with_free_func(g_free);
	for (i = 0; i < carray_count(md->mdir_msg_list); i++) {
		msg = carray_get(md->mdir_msg_list, i);
		if (msg == NULL)
			continue;
		rel = g_strconcat((msg->msg_flags & MAILDIR_FLAG_NEW) != 0 ?
		    "new/" : "cur/", msg->msg_filename, NULL);
		full = g_build_filename(s->path, rel, NULL);
		/* Skip subdirectories and dangling links: not messages. */
		if (stat(full, &sb) == 0 && S_ISREG(sb.st_mode))
			g_ptr_array_add(st->files, rel);
		else
			g_free(rel);
		g_free(full);
	}
	maildir_free(md);
	g_ptr_array_sort(st->files, file_cmp);
	s->data = st;
	s->count = st->files->len;
	return TRUE;
}

static int
maildir_next(struct source *s, struct source_msg *m, GError **error)
{
	struct maildir_state *st = s->data;
	const char *rel;
	GBytes *data;
	char *full;

	if (s->next >= st->files->len)
		return 0;
	rel = g_ptr_array_index(st->files, s->next);
	s->next++;
	full = g_build_filename(s->path, rel, NULL);
	if (!source_read_file(full, &data, error)) {
		g_free(full);
		return -1;
	}
	source_msg_fill(m, data, g_strconcat("maildir:", full, NULL), rel,
	    -1);
	g_free(full);
	return 1;
}

static guint
maildir_count(const struct source *s)
{
	return s->count;
}

static void
maildir_close(struct source *s)
{
	struct maildir_state *st = s->data;

	if (st == NULL)
		return;
	g_ptr_array_unref(st->files);
	g_free(st);
	s->data = NULL;
}

const struct source_driver source_maildir_driver = {
	.name = "maildir",
	.probe = maildir_probe,
	.open = maildir_open,
	.next = maildir_next,
	.count = maildir_count,
	.close = maildir_close,
};
