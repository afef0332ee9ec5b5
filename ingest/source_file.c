/*
 * source_file.c: the "file" message source: one message in one file.
 *
 * Exports source_file_driver.  Any regular file the mbox driver did not
 * take (an .eml, a saved message, a spool file) is one message, read with
 * source_read_file() and so bounded by SOURCE_MSG_MAX.  The count is 1.
 *
 * file is the base name, origin "file:<path>", mbox_index -1.
 */
#include "config.h"

#include <sys/stat.h>

#include "ingest/ingest.h"
#include "ingest/source_int.h"

static int
file_probe(const char *path, const struct stat *sb, GError **error)
{
	(void)path;
	(void)error;
	return S_ISREG(sb->st_mode) ? 1 : 0;
}

static gboolean
file_open(struct source *s, GError **error)
{
	(void)error;
	s->data = NULL;
	s->count = 1;
	return TRUE;
}

static int
file_next(struct source *s, struct source_msg *m, GError **error)
{
	GBytes *data;
	char *base;

	if (s->next >= 1)
		return 0;
	s->next++;
	if (!source_read_file(s->path, &data, error))
		return -1;
	base = g_path_get_basename(s->path);
	source_msg_fill(m, data, g_strconcat("file:", s->path, NULL), base,
	    -1);
	g_free(base);
	return 1;
}

static guint
file_count(const struct source *s)
{
	return s->count;
}

static void
file_close(struct source *s)
{
	s->data = NULL;
}

const struct source_driver source_file_driver = {
	.name = "file",
	.probe = file_probe,
	.open = file_open,
	.next = file_next,
	.count = file_count,
	.close = file_close,
};
