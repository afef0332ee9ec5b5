/*
 * source_mbox.c: the "mbox" message source, through libetpan's mailmbox.
 *
 * Exports source_mbox_driver.  A regular file whose first five bytes are
 * "From " is an mbox; so is an empty file (zero messages: libetpan cannot
 * map an empty file, so it is never asked to).  The mbox is opened
 * read-only (mailmbox_init with force_readonly and force_no_uid) and its
 * message table is read once at open.  Each message is copied from
 * libetpan's mapping with mailmbox_fetch_msg_no_lock() between
 * mailmbox_validate_read_lock() (fcntl plus a "<path>.lock" dotlock
 * through liblockfile on Debian; re-parses if the file changed) and
 * mailmbox_read_unlock(): what mailmbox_fetch_msg() does, minus its
 * rewriting, so the bytes are exactly those of the file.
 *
 * A directory we cannot write has no room for the dotlock, and there
 * mailmbox_init() fails (MAILMBOX_ERROR_FILE) for an mbox we can read:
 * archives are often like that.  Then we open and parse the folder
 * ourselves without the dotlock, and take only an fcntl read lock around
 * each copy; a file that shrank under us fails its messages instead of
 * faulting on the mapping.
 *
 * What a message looks like: the "From " separator line is not included,
 * nor is the blank line that ends a message before the next separator.
 * mboxrd ">From " lines are NOT unquoted (libetpan does not do it): they
 * come back as they are in the file.  libetpan 1.9.4 drops the last line
 * of the last message when the file ends in a single newline;
 * last_tail() puts it back.
 *
 * origin is "mbox:<path>#<index>", mbox_index the 0-based index, file
 * NULL.  A message above SOURCE_MSG_MAX is skipped with "too large".
 */
#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <libetpan/mailmbox.h>

#include "ingest/ingest.h"
#include "ingest/source_int.h"

struct mbox_entry {
	uint32_t	uid;
	size_t		size;	/* from libetpan's parse, for the limit */
};

struct mbox_state {
	struct mailmbox_folder	*folder;	/* NULL for an empty file */
	struct mbox_entry	*msgs;
	guint			 n;
	gboolean		 dotlock;	/* FALSE: fcntl only */
};

/* In libetpan's mailmbox_parse.h, which is not installed; exported. */
int	mailmbox_parse(struct mailmbox_folder *);

/* mbox_probe - a regular file starting with "From ", or an empty file */
static int
mbox_probe(const char *path, const struct stat *sb, GError **error)
{
	char head[5];
	ssize_t n;
	int fd;

	if (!S_ISREG(sb->st_mode))
		return 0;
	if (sb->st_size == 0)
		return 1;
	if (sb->st_size < (off_t)sizeof(head))
		return 0;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd == -1) {
		g_set_error(error, INGEST_ERROR, INGEST_ERROR_SOURCE,
		    "%s: %s", path, g_strerror(errno));
		return -1;
	}
	do
		n = read(fd, head, sizeof(head));
	while (n == -1 && errno == EINTR);
	if (n == -1) {
		g_set_error(error, INGEST_ERROR, INGEST_ERROR_SOURCE,
		    "%s: %s", path, g_strerror(errno));
		close(fd);
		return -1;
	}
	close(fd);
	return n == (ssize_t)sizeof(head) && memcmp(head, "From ", 5) == 0;
}

/* dir_writable - TRUE if the directory of path is writable by us */
static gboolean
dir_writable(const char *path)
{
	char *dir = g_path_get_dirname(path);
	gboolean r;

	r = access(dir, W_OK) == 0;
	g_free(dir);
	return r;
}

/* open_nodotlock - mailmbox_init() without the dotlock (see the top) */
static int
open_nodotlock(const char *path, struct mailmbox_folder **fp)
{
	struct mailmbox_folder *f;
	int r;

	if ((f = mailmbox_folder_new(path)) == NULL)
		return MAILMBOX_ERROR_MEMORY;
	f->mb_read_only = 1;
	f->mb_no_uid = 1;
	if ((r = mailmbox_open(f)) != MAILMBOX_NO_ERROR) {
		mailmbox_folder_free(f);
		return r;
	}
	if ((r = mailmbox_map(f)) != MAILMBOX_NO_ERROR) {
		mailmbox_close(f);
		mailmbox_folder_free(f);
		return r;
	}
	if ((r = mailmbox_parse(f)) != MAILMBOX_NO_ERROR) {
		mailmbox_done(f);
		return r;
	}
	*fp = f;
	return MAILMBOX_NO_ERROR;
}

static gboolean
mbox_open(struct source *s, GError **error)
{
	struct mbox_state *st;
	struct mailmbox_msg_info *info;
	struct stat sb;
	unsigned int i;
	int r;

	st = g_new0(struct mbox_state, 1);
	s->data = st;
	if (stat(s->path, &sb) == 0 && sb.st_size == 0)
		return TRUE;

	st->dotlock = TRUE;
	r = mailmbox_init(s->path, 1, 1, 0, &st->folder);
	if (r == MAILMBOX_ERROR_FILE && !dir_writable(s->path)) {
		st->dotlock = FALSE;
		r = open_nodotlock(s->path, &st->folder);
	}
	if (r != MAILMBOX_NO_ERROR) {
		source_etpan_error(error, s->path, SOURCE_ETPAN_MBOX, r);
		st->folder = NULL;
		s->driver->close(s);
		return FALSE;
	}
	st->msgs = g_new0(struct mbox_entry,
	    MAX(carray_count(st->folder->mb_tab), 1));
	for (i = 0; i < carray_count(st->folder->mb_tab); i++) {
		info = carray_get(st->folder->mb_tab, i);
		if (info == NULL || info->msg_deleted)
			continue;
		st->msgs[st->n].uid = info->msg_uid;
		st->msgs[st->n].size = info->msg_size;
		st->n++;
	}
	s->count = st->n;
	return TRUE;
}

/* fcntl_lock - F_RDLCK or F_UNLCK on the whole file, waiting */
static int
fcntl_lock(int fd, short type)
{
	struct flock fl;
	int r;

	memset(&fl, 0, sizeof(fl));
	fl.l_type = type;
	fl.l_whence = SEEK_SET;
	do
		r = fcntl(fd, F_SETLKW, &fl);
	while (r == -1 && errno == EINTR);
	return r;
}

/* lock - libetpan's lock, or fcntl plus a check the file did not shrink */
static int
lock(struct mbox_state *st)
{
	struct mailmbox_folder *f = st->folder;
	struct stat sb;

	if (st->dotlock)
		return mailmbox_validate_read_lock(f);
	if (fcntl_lock(f->mb_fd, F_RDLCK) == -1)
		return MAILMBOX_ERROR_FILE;
	if (fstat(f->mb_fd, &sb) == -1 ||
	    (size_t)sb.st_size < f->mb_mapping_size) {
		(void)fcntl_lock(f->mb_fd, F_UNLCK);
		return MAILMBOX_ERROR_MSG_NOT_FOUND;
	}
	return MAILMBOX_NO_ERROR;
}

static void
unlock(struct mbox_state *st)
{
	if (st->dotlock)
		(void)mailmbox_read_unlock(st->folder);
	else
		(void)fcntl_lock(st->folder->mb_fd, F_UNLCK);
}

/*
 * last_tail - the bytes libetpan's parser leaves out of the last message
 *
 * mailmbox_parse ends a message at the start of its last line when the
 * file ends in a single newline, and counts that line as padding: the last
 * line of the last message would be lost.  Everything between the end of
 * the last message and the end of the file belongs to it, except a bare
 * newline, which is the separator.  Only valid under the lock.
 */
static const char *
last_tail(struct mailmbox_folder *f, uint32_t uid, size_t *len)
{
	struct mailmbox_msg_info *info;
	const char *tail;
	size_t off, i;

	*len = 0;
	if (carray_count(f->mb_tab) == 0)
		return NULL;
	info = carray_get(f->mb_tab, carray_count(f->mb_tab) - 1);
	if (info == NULL || info->msg_uid != uid)
		return NULL;
	off = info->msg_start + info->msg_size;
	if (off >= f->mb_mapping_size)
		return NULL;
	tail = f->mb_mapping + off;
	for (i = 0; i < f->mb_mapping_size - off; i++)
		if (tail[i] != '\r' && tail[i] != '\n') {
			*len = f->mb_mapping_size - off;
			return tail;
		}
	return NULL;
}

static int
mbox_next(struct source *s, struct source_msg *m, GError **error)
{
	struct mbox_state *st = s->data;
	struct mbox_entry *e;
	const char *tail = NULL;
	char *what, *data = NULL;
	size_t len = 0, tail_len = 0;
	GByteArray *buf;
	guint idx;
	int r;

	if (s->next >= st->n)
		return 0;
	idx = s->next++;
	e = &st->msgs[idx];
	what = g_strdup_printf("%s#%u", s->path, idx);
	if (e->size > SOURCE_MSG_MAX) {
		source_too_large(error, what, e->size);
		g_free(what);
		return -1;
	}
	if ((r = lock(st)) != MAILMBOX_NO_ERROR) {
		source_etpan_error(error, what, SOURCE_ETPAN_MBOX, r);
		g_free(what);
		return -1;
	}
	r = mailmbox_fetch_msg_no_lock(st->folder, e->uid, &data, &len);
	if (r != MAILMBOX_NO_ERROR) {
		unlock(st);
		source_etpan_error(error, what, SOURCE_ETPAN_MBOX, r);
		g_free(what);
		return -1;
	}
	if (idx + 1 == st->n)
		tail = last_tail(st->folder, e->uid, &tail_len);
	/* The table may have been re-read if the file changed. */
	if (len > SOURCE_MSG_MAX || tail_len > SOURCE_MSG_MAX - len) {
		unlock(st);
		source_too_large(error, what, (guint64)len + tail_len);
		g_free(what);
		return -1;
	}
	g_free(what);
	/* Both bounded by SOURCE_MSG_MAX above: they fit a guint. */
	buf = g_byte_array_sized_new((guint)(len + tail_len));
	g_byte_array_append(buf, (const guint8 *)data, (guint)len);
	if (tail_len > 0)
		g_byte_array_append(buf, (const guint8 *)tail,
		    (guint)tail_len);
	unlock(st);
	source_msg_fill(m, g_byte_array_free_to_bytes(buf),
	    g_strdup_printf("mbox:%s#%u", s->path, idx), NULL, idx);
	return 1;
}

static guint
mbox_count(const struct source *s)
{
	return s->count;
}

static void
mbox_close(struct source *s)
{
	struct mbox_state *st = s->data;

	if (st == NULL)
		return;
	if (st->folder != NULL)
		mailmbox_done(st->folder);
	g_free(st->msgs);
	g_free(st);
	s->data = NULL;
}

const struct source_driver source_mbox_driver = {
	.name = "mbox",
	.probe = mbox_probe,
	.open = mbox_open,
	.next = mbox_next,
	.count = mbox_count,
	.close = mbox_close,
};
