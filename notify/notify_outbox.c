/*
 * notify_outbox.c: the outbox Maildir (tmp/, new/) that takedowns go to.
 *
 * Defines notify_publish() and notify_discard() (notify.h), and the
 * helpers notify_render.c uses to write one file: created O_EXCL with
 * mode 0600 in tmp/ under a unique Maildir name, fsync()ed before it is
 * reported written.  Publishing is a rename() into new/ followed by an
 * fsync() of new/, as in OpenSMTPD's mail.maildir.c.  Every failure is
 * NOTIFY_ERROR_IO (temporary) naming the path.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "notify/notify_int.h"

/* Attempts at a unique name before giving up (each takes a new counter). */
#define CREATE_TRIES	16

static guint name_counter;

/* host_part - the host name with anything odd for a file name replaced */
static char *
host_part(void)
{
	char *h = g_strdup(g_get_host_name());
	char *p;

	for (p = h; *p != '\0'; p++)
		if (!g_ascii_isalnum(*p) && *p != '-' && *p != '.')
			*p = '_';
	return h;
}

int
notify_outbox_create(const char *outbox, char **name_r, char **path_r,
    GError **error)
{
	char *host, *name, *path;
	int fd, i, saved;

	g_return_val_if_fail(error == NULL || *error == NULL, -1);

	host = host_part();
	for (i = 0; i < CREATE_TRIES; i++) {
		name = g_strdup_printf("%lld.%ld_%u.%s",
		    (long long)time(NULL), (long)getpid(),
		    g_atomic_int_add(&name_counter, 1) + 1, host);
		path = g_build_filename(outbox, "tmp", name, NULL);
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
		    0600);
		if (fd != -1) {
			g_free(host);
			*name_r = name;
			*path_r = path;
			return fd;
		}
		saved = errno;
		if (saved != EEXIST) {
			g_set_error(error, NOTIFY_ERROR, NOTIFY_ERROR_IO,
			    "%s: %s", path, g_strerror(saved));
			g_free(name);
			g_free(path);
			g_free(host);
			return -1;
		}
		g_free(name);
		g_free(path);
	}
	g_set_error(error, NOTIFY_ERROR, NOTIFY_ERROR_IO,
	    "%s/tmp: no unique file name after %d tries", outbox,
	    CREATE_TRIES);
	g_free(host);
	return -1;
}

gboolean
notify_outbox_close(int fd, const char *path, gboolean sync, GError **error)
{
	int saved;

	if (sync && fsync(fd) == -1) {
		saved = errno;
		close(fd);
		g_set_error(error, NOTIFY_ERROR, NOTIFY_ERROR_IO,
		    "fsync %s: %s", path, g_strerror(saved));
		return FALSE;
	}
	if (close(fd) == -1) {
		saved = errno;
		g_set_error(error, NOTIFY_ERROR, NOTIFY_ERROR_IO,
		    "close %s: %s", path, g_strerror(saved));
		return FALSE;
	}
	return TRUE;
}

/* sync_dir - fsync() a directory so a rename into it is durable */
static gboolean
sync_dir(const char *dir, GError **error)
{
	int fd, saved;

	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1 ||
	    fsync(fd) == -1) {
		saved = errno;
		if (fd != -1)
			close(fd);
		g_set_error(error, NOTIFY_ERROR, NOTIFY_ERROR_IO,
		    "fsync %s: %s", dir, g_strerror(saved));
		return FALSE;
	}
	close(fd);
	return TRUE;
}

gboolean
notify_publish(const struct notify_config *cfg, const struct notification *n,
    GError **error)
{
	char *dir, *dst;
	gboolean ok;
	int saved;

	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);
	g_return_val_if_fail(cfg != NULL && n != NULL, FALSE);

	dir = g_build_filename(cfg->outbox, "new", NULL);
	dst = g_build_filename(dir, n->file, NULL);
	if (g_rename(n->tmp_path, dst) == -1) {
		saved = errno;
		g_set_error(error, NOTIFY_ERROR, NOTIFY_ERROR_IO,
		    "rename %s to %s: %s", n->tmp_path, dst,
		    g_strerror(saved));
		ok = FALSE;
	} else
		ok = cfg->deferred_sync || sync_dir(dir, error);
	g_free(dst);
	g_free(dir);
	return ok;
}

void
notify_discard(const struct notification *n)
{
	if (n == NULL || n->tmp_path == NULL)
		return;
	if (g_unlink(n->tmp_path) == -1 && errno != ENOENT)
		g_debug("unlink %s: %s", n->tmp_path, g_strerror(errno));
}

gboolean
notify_sync(const struct notify_config *cfg, GError **error)
{
	int fd, saved;

	if ((fd = open(cfg->outbox, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1 ||
	    syncfs(fd) == -1) {
		saved = errno;
		if (fd != -1)
			close(fd);
		g_set_error(error, NOTIFY_ERROR, NOTIFY_ERROR_IO,
		    "syncfs %s: %s", cfg->outbox, g_strerror(saved));
		return FALSE;
	}
	close(fd);
	return TRUE;
}
