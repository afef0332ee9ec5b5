/*
 * spool.c: the daemon's side of the spool.
 *
 * deliver writes spool/tmp/<name> and renames it into spool/new.  The
 * daemon claims a file by renaming it into spool/work (atomic: two daemons
 * cannot both claim it), processes it, and only after the database commit
 * removes it (or moves it to spool/archive).  A temporary failure moves it
 * back to spool/new; a permanent one to spool/failed.  Files left in
 * spool/work by a crash are processed again at start: the case database
 * knows each message by its SHA-256, so nothing is counted twice.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <stdio.h>
#include <glib/gstdio.h>

#include "ingest/ingest_int.h"
#include "ingest/spool_file.h"

static int
cmp_names(gconstpointer a, gconstpointer b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

GPtrArray *
spool_list(const char *spool, const char *sub)
{
	char *dir = g_build_filename(spool, sub, NULL);
	GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
	GDir *d = g_dir_open(dir, 0, NULL);
	const char *name;

	if (d != NULL) {
		while ((name = g_dir_read_name(d)) != NULL)
			if (name[0] != '.')
				g_ptr_array_add(names, g_strdup(name));
		g_dir_close(d);
	}
	g_ptr_array_sort(names, cmp_names);
	g_free(dir);
	return names;
}

static gboolean
fsync_dir(const char *dir, GError **error)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0 || fsync(fd) != 0) {
		int e = errno;

		if (fd >= 0)
			close(fd);
		g_set_error(error, INGEST_ERROR, INGEST_ERROR_IO,
		    "fsync %s: %s", dir, g_strerror(e));
		return FALSE;
	}
	close(fd);
	return TRUE;
}

static gboolean
move_file(const char *spool, const char *from_sub, const char *name,
    const char *to_sub, GError **error)
{
	char *from = g_build_filename(spool, from_sub, name, NULL);
	char *todir = g_build_filename(spool, to_sub, NULL);
	char *to = g_build_filename(todir, name, NULL);
	gboolean ok = TRUE;

	if (g_rename(from, to) != 0) {
		int e = errno;

		g_set_error(error, INGEST_ERROR,
		    e == ENOENT ? INGEST_ERROR_FAILED : INGEST_ERROR_IO,
		    "rename %s -> %s: %s", from, to, g_strerror(e));
		ok = FALSE;
	} else {
		ok = fsync_dir(todir, error);
	}
	g_free(from);
	g_free(todir);
	g_free(to);
	return ok;
}

int
spool_claim(const char *spool, const char *name, GError **error)
{
	GError *err = NULL;

	if (move_file(spool, "new", name, "work", &err))
		return 1;
	if (err->code == INGEST_ERROR_FAILED) {	/* ENOENT: taken */
		g_error_free(err);
		return 0;
	}
	g_propagate_error(error, err);
	return -1;
}

gboolean
spool_move(const char *spool, const char *name, const char *sub,
    GError **error)
{
	char *path;
	gboolean ok = TRUE;

	if (sub != NULL)
		return move_file(spool, "work", name, sub, error);
	path = g_build_filename(spool, "work", name, NULL);
	if (g_unlink(path) != 0 && errno != ENOENT) {
		g_set_error(error, INGEST_ERROR, INGEST_ERROR_IO,
		    "unlink %s: %s", path, g_strerror(errno));
		ok = FALSE;
	}
	g_free(path);
	return ok;
}

gboolean
spool_process(struct pipeline *p, const struct config *cfg,
    const char *name, struct pipeline_outcome *o, GError **error)
{
	struct spool_envelope env;
	struct pipeline_input in;
	char *path = g_build_filename(cfg->spool, "work", name, NULL);
	char *buf = NULL, *origin, err[256];
	gsize len = 0, body = 0;
	gboolean ok;

	if (!g_file_get_contents(path, &buf, &len, error)) {
		g_free(path);
		return FALSE;
	}
	if (spool_file_parse(buf, len, &env, &body, err, sizeof(err)) != 0) {
		g_set_error(error, INGEST_ERROR, INGEST_ERROR_FAILED,
		    "%s: not a spool file: %s", path, err);
		g_free(buf);
		g_free(path);
		return FALSE;
	}
	origin = g_strdup_printf("pipe:%s", name);
	memset(&in, 0, sizeof(in));
	in.raw = (const guint8 *)buf + body;
	in.len = len - body;
	in.origin = origin;
	in.sender = env.sender[0] != '\0' ? env.sender : NULL;
	in.recipient = env.recipient[0] != '\0' ? env.recipient : NULL;
	in.orig_recipient = env.orig_recipient[0] != '\0' ?
	    env.orig_recipient : NULL;
	in.received_at = env.received_at;
	in.quarantined = env.quarantined != 0;
	in.orig_size = (gint64)env.size;
	in.orig_sha256 = env.quarantined ? env.sha256 : NULL;
	ok = pipeline_process(p, &in, FALSE, o, error);
	g_free(origin);
	g_free(buf);
	g_free(path);
	return ok;
}
