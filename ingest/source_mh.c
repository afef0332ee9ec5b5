/*
 * source_mh.c: the "mh" message source, through libetpan's mailmh.
 *
 * Exports source_mh_driver.  A directory without cur/ and new/ is an MH
 * folder when it holds a .mh_sequences file or at least one message (a
 * regular file named by digits only), or when it is empty (nothing but
 * dot files): zero messages.  A directory with other files only (a folder
 * of .eml files, an MH root with subfolders) is not taken, so that
 * source_open() fails instead of reading nothing.
 *
 * mailmh_new() + mailmh_folder_update() list the messages; the numbers
 * are sorted ascending (1, 2, 10) and each file, named by
 * mailmh_folder_get_message_filename(), is read with source_read_file().
 * libetpan takes any name strtoul() turns into a number ("1.orig", "01"),
 * so we keep only the numbers whose canonical file name exists as a
 * regular file.  Subfolders are not read.
 *
 * file is "<number>", origin "mh:<path>/<number>", mbox_index -1.
 *
 * mailmh_folder_update() creates an empty .mh_sequences when there is
 * none; as for Maildir's marker, we remove it again if it appeared.
 */
#include "config.h"

#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>

#include <libetpan/mailmh.h>

#include "ingest/ingest.h"
#include "ingest/source_int.h"

#define MH_SEQUENCES	".mh_sequences"

struct mh_state {
	struct mailmh	*mh;
	GArray		*nums;		/* guint32, ascending */
};

/* is_message - TRUE if dir/name is a regular file named by digits */
static gboolean
is_message(const char *dir, const char *name)
{
	struct stat sb;
	char *p;
	gboolean r;

	if (!source_is_number(name))
		return FALSE;
	p = g_build_filename(dir, name, NULL);
	r = stat(p, &sb) == 0 && S_ISREG(sb.st_mode);
	g_free(p);
	return r;
}

static int
mh_probe(const char *path, const struct stat *sb, GError **error)
{
	struct dirent *de;
	gboolean empty = TRUE;
	DIR *d;
	int r = 0;

	if (!S_ISDIR(sb->st_mode))
		return 0;
	if (source_exists(path, MH_SEQUENCES))
		return 1;
	if ((d = opendir(path)) == NULL) {
		g_set_error(error, INGEST_ERROR, INGEST_ERROR_SOURCE,
		    "%s: %s", path, g_strerror(errno));
		return -1;
	}
	while (r == 0 && (de = readdir(d)) != NULL) {
		if (de->d_name[0] != '.')
			empty = FALSE;
		if (is_message(path, de->d_name))
			r = 1;
	}
	closedir(d);
	return r == 1 || empty;
}

static gint
num_cmp(gconstpointer a, gconstpointer b)
{
	guint32 x = *(const guint32 *)a, y = *(const guint32 *)b;

	return x < y ? -1 : x > y;
}

static gboolean
mh_open(struct source *s, GError **error)
{
	struct mh_state *st;
	struct mailmh_folder *f;
	struct mailmh_msg_info *info;
	gboolean had_seq;
	unsigned int i;
	char name[16];
	int r;

	st = g_new0(struct mh_state, 1);
	st->nums = g_array_new(FALSE, FALSE, sizeof(guint32));
	s->data = st;
	st->mh = mailmh_new(s->path);
	if (st->mh == NULL) {
		source_etpan_error(error, s->path, SOURCE_ETPAN_MH,
		    MAILMH_ERROR_MEMORY);
		s->driver->close(s);
		return FALSE;
	}
	f = st->mh->mh_main;
	had_seq = source_exists(s->path, MH_SEQUENCES);
	r = mailmh_folder_update(f);
	if (!had_seq)
		source_unlink_marker(s->path, MH_SEQUENCES);
	if (r != MAILMH_NO_ERROR) {
		source_etpan_error(error, s->path, SOURCE_ETPAN_MH, r);
		s->driver->close(s);
		return FALSE;
	}
	for (i = 0; i < carray_count(f->fl_msgs_tab); i++) {
		info = carray_get(f->fl_msgs_tab, i);
		if (info == NULL)
			continue;
		g_snprintf(name, sizeof(name), "%u", (unsigned)info->msg_index);
		if (is_message(s->path, name))
			g_array_append_val(st->nums, info->msg_index);
	}
	g_array_sort(st->nums, num_cmp);
	/* "1" and "1.orig" both give 1: keep it once. */
	for (i = 1; i < st->nums->len; i++)
		if (g_array_index(st->nums, guint32, i) ==
		    g_array_index(st->nums, guint32, i - 1))
			g_array_remove_index(st->nums, i--);
	s->count = st->nums->len;
	return TRUE;
}

static int
mh_next(struct source *s, struct source_msg *m, GError **error)
{
	struct mh_state *st = s->data;
	GBytes *data;
	guint32 num;
	char *fname = NULL, *full, *num_s;
	int r;

	if (s->next >= st->nums->len)
		return 0;
	num = g_array_index(st->nums, guint32, s->next);
	s->next++;
	num_s = g_strdup_printf("%u", (unsigned)num);
	r = mailmh_folder_get_message_filename(st->mh->mh_main, num, &fname);
	if (r != MAILMH_NO_ERROR) {
		char *what = g_build_filename(s->path, num_s, NULL);

		source_etpan_error(error, what, SOURCE_ETPAN_MH, r);
		g_free(what);
		g_free(num_s);
		return -1;
	}
	if (!source_read_file(fname, &data, error)) {
		free(fname);
		g_free(num_s);
		return -1;
	}
	free(fname);
	full = g_build_filename(s->path, num_s, NULL);
	source_msg_fill(m, data, g_strconcat("mh:", full, NULL), num_s, -1);
	g_free(full);
	g_free(num_s);
	return 1;
}

static guint
mh_count(const struct source *s)
{
	return s->count;
}

static void
mh_close(struct source *s)
{
	struct mh_state *st = s->data;

	if (st == NULL)
		return;
	if (st->mh != NULL)
		mailmh_free(st->mh);
	g_array_unref(st->nums);
	g_free(st);
	s->data = NULL;
}

const struct source_driver source_mh_driver = {
	.name = "mh",
	.probe = mh_probe,
	.open = mh_open,
	.next = mh_next,
	.count = mh_count,
	.close = mh_close,
};
