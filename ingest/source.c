/*
 * source.c: batch message sources for `abusedesk reprocess`.
 *
 * Owns the driver table (fdm's fetch-* pattern: one const table, one small
 * file per kind) and the public functions of ingest.h: source_open(),
 * source_next(), source_count(), source_kind(), source_close() and
 * source_msg_clear().  Detection, in table order: a directory with cur/
 * and new/ is a Maildir; another directory is an MH folder (numbered
 * files, a .mh_sequences file, or empty); a regular file starting with
 * "From " (or empty) is an mbox; another regular file is one message.
 *
 * Also the helpers the drivers share: the one translation of libetpan
 * error codes to GError, the bounded file reader and the message filler.
 * Every error is INGEST_ERROR_SOURCE with the path first.  A struct source
 * is owned by the caller and freed with source_close(&s).
 */
#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <string.h>
#include <unistd.h>

#include <libetpan/maildir.h>
#include <libetpan/mailmbox.h>
#include <libetpan/mailmh.h>

#include "ingest/ingest.h"
#include "ingest/source_int.h"

/* Probe order matters: Maildir before MH (both are directories), mbox
 * before the single file (both are regular files). */
static const struct source_driver *const drivers[] = {
	&source_maildir_driver,
	&source_mh_driver,
	&source_mbox_driver,
	&source_file_driver,
};

struct source *
source_open(const char *path, GError **error)
{
	const struct source_driver *drv = NULL;
	struct source *s;
	struct stat sb;
	size_t i;
	int r;

	g_return_val_if_fail(path != NULL, NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	if (stat(path, &sb) == -1) {
		g_set_error(error, INGEST_ERROR, INGEST_ERROR_SOURCE,
		    "%s: %s", path, g_strerror(errno));
		return NULL;
	}
	for (i = 0; i < G_N_ELEMENTS(drivers); i++) {
		r = drivers[i]->probe(path, &sb, error);
		if (r == -1)
			return NULL;
		if (r == 1) {
			drv = drivers[i];
			break;
		}
	}
	if (drv == NULL) {
		g_set_error(error, INGEST_ERROR, INGEST_ERROR_SOURCE,
		    "%s: not an mbox, Maildir, MH folder or message file",
		    path);
		return NULL;
	}

	s = g_new0(struct source, 1);
	s->driver = drv;
	s->path = g_strdup(path);
	if (!drv->open(s, error)) {
		g_free(s->path);
		g_free(s);
		return NULL;
	}
	return s;
}

int
source_next(struct source *s, struct source_msg *m, GError **error)
{
	g_return_val_if_fail(s != NULL && m != NULL, -1);
	g_return_val_if_fail(error == NULL || *error == NULL, -1);

	memset(m, 0, sizeof(*m));
	m->mbox_index = -1;
	return s->driver->next(s, m, error);
}

guint
source_count(const struct source *s)
{
	g_return_val_if_fail(s != NULL, 0);
	return s->driver->count(s);
}

const char *
source_kind(const struct source *s)
{
	g_return_val_if_fail(s != NULL, NULL);
	return s->driver->name;
}

void
source_close(struct source **sp)
{
	struct source *s;

	if (sp == NULL || *sp == NULL)
		return;
	s = *sp;
	*sp = NULL;
	s->driver->close(s);
	g_free(s->path);
	g_free(s);
}

void
source_msg_clear(struct source_msg *m)
{
	if (m == NULL)
		return;
	if (m->data != NULL)
		g_bytes_unref(m->data);
	g_free(m->origin);
	g_free(m->file);
	memset(m, 0, sizeof(*m));
	m->mbox_index = -1;
}

/* etpan_reason - readable text for a libetpan code of one family */
static const char *
etpan_reason(enum source_etpan_lib lib, int code)
{
	switch (lib) {
	case SOURCE_ETPAN_MBOX:
		switch (code) {
		case MAILMBOX_ERROR_PARSE:
			return "mbox parse error";
		case MAILMBOX_ERROR_INVAL:
			return "invalid argument";
		case MAILMBOX_ERROR_FILE_NOT_FOUND:
			return "cannot open the mbox";
		case MAILMBOX_ERROR_MEMORY:
			return "out of memory";
		case MAILMBOX_ERROR_TEMPORARY_FILE:
			return "cannot create a temporary file";
		case MAILMBOX_ERROR_FILE:
			return "cannot map or lock the mbox";
		case MAILMBOX_ERROR_MSG_NOT_FOUND:
			return "message not found (mbox changed?)";
		case MAILMBOX_ERROR_READONLY:
			return "mbox is read-only";
		}
		break;
	case SOURCE_ETPAN_MAILDIR:
		switch (code) {
		case MAILDIR_ERROR_CREATE:
			return "cannot create the Maildir";
		case MAILDIR_ERROR_DIRECTORY:
			return "cannot read new/ or cur/";
		case MAILDIR_ERROR_MEMORY:
			return "out of memory";
		case MAILDIR_ERROR_FILE:
			return "Maildir file error";
		case MAILDIR_ERROR_NOT_FOUND:
			return "message not found";
		case MAILDIR_ERROR_FOLDER:
			return "not a Maildir folder";
		}
		break;
	case SOURCE_ETPAN_MH:
		switch (code) {
		case MAILMH_ERROR_FOLDER:
			return "cannot read the MH folder";
		case MAILMH_ERROR_MEMORY:
			return "out of memory";
		case MAILMH_ERROR_FILE:
			return "MH file error";
		case MAILMH_ERROR_COULD_NOT_ALLOC_MSG:
			return "cannot allocate an MH message number";
		case MAILMH_ERROR_RENAME:
			return "cannot rename the MH folder";
		case MAILMH_ERROR_MSG_NOT_FOUND:
			return "message not found";
		}
		break;
	}
	return NULL;
}

void
source_etpan_error(GError **error, const char *what,
    enum source_etpan_lib lib, int code)
{
	static const char *const libname[] = { "mbox", "maildir", "mh" };
	const char *reason = etpan_reason(lib, code);

	if (reason != NULL)
		g_set_error(error, INGEST_ERROR, INGEST_ERROR_SOURCE,
		    "%s: %s", what, reason);
	else
		g_set_error(error, INGEST_ERROR, INGEST_ERROR_SOURCE,
		    "%s: libetpan %s error %d", what, libname[lib], code);
}

void
source_too_large(GError **error, const char *what, guint64 size)
{
	g_set_error(error, INGEST_ERROR, INGEST_ERROR_SOURCE,
	    "%s: too large (%" G_GUINT64_FORMAT " bytes, limit %u)", what,
	    size, SOURCE_MSG_MAX);
}

gboolean
source_read_file(const char *path, GBytes **out, GError **error)
{
	struct stat sb;
	guint8 *buf = NULL;
	gsize cap, len = 0;
	ssize_t n;
	int fd, saved;

	*out = NULL;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd == -1)
		goto fail;
	if (fstat(fd, &sb) == -1)
		goto fail;
	if (!S_ISREG(sb.st_mode)) {
		close(fd);
		g_set_error(error, INGEST_ERROR, INGEST_ERROR_SOURCE,
		    "%s: not a regular file", path);
		return FALSE;
	}
	if ((guint64)sb.st_size > SOURCE_MSG_MAX) {
		close(fd);
		source_too_large(error, path, (guint64)sb.st_size);
		return FALSE;
	}
	/* One byte more than the size, to see a file that grew. */
	cap = (gsize)sb.st_size + 1;
	buf = g_malloc(cap);
	for (;;) {
		if (len == cap) {
			if (cap > SOURCE_MSG_MAX) {
				close(fd);
				g_free(buf);
				source_too_large(error, path, len);
				return FALSE;
			}
			/* UNSAFE: cap <= SOURCE_MSG_MAX, so no overflow. */
			cap = MIN(cap * 2, (gsize)SOURCE_MSG_MAX + 1);
			buf = g_realloc(buf, cap);
		}
		n = read(fd, buf + len, cap - len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			goto fail;
		if (n == 0)
			break;
		len += (gsize)n;
	}
	close(fd);
	*out = g_bytes_new_take(buf, len);
	return TRUE;

fail:
	saved = errno;
	if (fd != -1)
		close(fd);
	g_free(buf);
	g_set_error(error, INGEST_ERROR, INGEST_ERROR_SOURCE, "%s: %s", path,
	    g_strerror(saved));
	return FALSE;
}

void
source_msg_fill(struct source_msg *m, GBytes *data, char *origin,
    const char *file, gint64 mbox_index)
{
	m->data = data;
	m->origin = origin;
	m->file = g_strdup(file);
	m->mbox_index = mbox_index;
}

gboolean
source_is_number(const char *name)
{
	const char *p;

	if (*name == '\0')
		return FALSE;
	for (p = name; *p != '\0'; p++)
		if (!g_ascii_isdigit(*p))
			return FALSE;
	return TRUE;
}

gboolean
source_exists(const char *dir, const char *name)
{
	char *p = g_build_filename(dir, name, NULL);
	struct stat sb;
	gboolean r;

	r = lstat(p, &sb) == 0;
	g_free(p);
	return r;
}

void
source_unlink_marker(const char *dir, const char *name)
{
	char *p = g_build_filename(dir, name, NULL);
	struct stat sb;

	if (lstat(p, &sb) == 0 && S_ISREG(sb.st_mode) && sb.st_size == 0)
		(void)unlink(p);
	g_free(p);
}
