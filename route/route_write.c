/*
 * route_write.c: installing a table file atomically.
 *
 * Owns route_write_atomic(): the data goes to a temporary file beside the
 * target (O_EXCL, so two writers cannot share it), gzip-compressed when
 * the target's name ends in ".gz", is fsync'ed, renamed over the target,
 * and the directory is fsync'ed so the rename survives a crash.  On any
 * failure the temporary file is removed and the target is untouched.
 * Errors are ROUTE_ERROR_IO naming the file.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>
#include <glib/gstdio.h>

#include "route/route_int.h"

/* Bytes handed to gzwrite() at a time (its length is an unsigned). */
#define WRITE_CHUNK	(1024 * 1024)

/* put - data to fd, through gzip when gz */
static gboolean
put(int fd, gboolean gz, const char *data, gsize len)
{
	gzFile z;
	gssize n;
	int dfd;

	if (gz) {
		if ((dfd = dup(fd)) < 0)
			return FALSE;
		if ((z = gzdopen(dfd, "wb")) == NULL) {
			close(dfd);
			return FALSE;
		}
		for (; len > 0; data += n, len -= (gsize)n) {
			n = (gssize)MIN(len, WRITE_CHUNK);
			if (gzwrite(z, data, (unsigned)n) != (int)n) {
				gzclose(z);
				errno = EIO;
				return FALSE;
			}
		}
		if (gzclose(z) != Z_OK) {
			errno = errno != 0 ? errno : EIO;
			return FALSE;
		}
		return TRUE;
	}
	for (; len > 0; data += n, len -= (gsize)n) {
		if ((n = write(fd, data, len)) < 0) {
			if (errno == EINTR) {
				n = 0;
				continue;
			}
			return FALSE;
		}
	}
	return TRUE;
}

gboolean
route_write_atomic(const char *path, const char *data, gsize len,
    GError **error)
{
	char *tmp, *dir;
	int fd, dfd, e;
	gboolean ok;

	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	tmp = g_strdup_printf("%s.%ld.tmp", path, (long)getpid());
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
	    0644)) < 0) {
		e = errno;
		g_set_error(error, ROUTE_ERROR, ROUTE_ERROR_IO, "%s: cannot "
		    "create %s: %s", path, tmp, g_strerror(e));
		g_free(tmp);
		return FALSE;
	}
	errno = 0;
	ok = put(fd, g_str_has_suffix(path, ".gz"), data, len) &&
	    fsync(fd) == 0;
	e = errno != 0 ? errno : EIO;
	/* close() once, whatever happened (the descriptor is gone after) */
	if (close(fd) != 0 && ok) {
		ok = FALSE;
		e = errno;
	}
	if (ok && rename(tmp, path) != 0) {
		ok = FALSE;
		e = errno;
	}
	if (!ok) {
		g_unlink(tmp);
		g_set_error(error, ROUTE_ERROR, ROUTE_ERROR_IO, "%s: %s",
		    path, g_strerror(e));
		g_free(tmp);
		return FALSE;
	}
	dir = g_path_get_dirname(path);
	if ((dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0) {
		(void)fsync(dfd);
		close(dfd);
	}
	g_free(dir);
	g_free(tmp);
	return TRUE;
}
