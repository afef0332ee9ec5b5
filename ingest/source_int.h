/*
 * source_int.h: the message source driver table, shared by ingest/source*.c
 * only.
 *
 * A driver is one small file (source_mbox.c, source_maildir.c,
 * source_mh.c, source_file.c) exporting one const struct source_driver;
 * source.c holds the table that lists them in probe order and the public
 * functions of ingest.h.  A driver keeps its state in s->data and sets
 * s->count in open.  Errors are GError INGEST_ERROR_SOURCE, built with the
 * helpers below so that every message reads "<path>: <reason>".
 */
#ifndef ABUSEDESK_SOURCE_INT_H
#define ABUSEDESK_SOURCE_INT_H

#include <sys/stat.h>

#include <glib.h>

#include "ingest/ingest.h"

/*
 * Largest message a batch source reads.  Above it the message is skipped
 * with "too large" (source_next returns -1, the next call goes on).  It is
 * above LIMIT_MESSAGE_SIZE (what deliver keeps) so that anything deliver
 * could have stored can be reprocessed, and low enough that a corrupt
 * mailbox cannot make us allocate gigabytes.
 */
#define SOURCE_MSG_MAX		(64u * 1024 * 1024)

struct source;

struct source_driver {
	const char	*name;		/* source_kind(): "mbox", ... */
	/* 1: path is of this kind, 0: it is not, -1: error set. */
	int		(*probe)(const char *path, const struct stat *sb,
			    GError **error);
	/* Fills s->data and s->count; FALSE with error set on failure. */
	gboolean	(*open)(struct source *s, GError **error);
	/* As source_next(). */
	int		(*next)(struct source *s, struct source_msg *m,
			    GError **error);
	guint		(*count)(const struct source *s);
	/* Frees s->data (may be NULL). */
	void		(*close)(struct source *s);
};

struct source {
	const struct source_driver *driver;
	char		*path;		/* as given to source_open */
	void		*data;		/* the driver's */
	guint		 count;		/* messages found by open */
	guint		 next;		/* index of the next message */
};

/* Which libetpan error enum a code comes from (source_etpan_error). */
enum source_etpan_lib {
	SOURCE_ETPAN_MBOX,	/* MAILMBOX_ERROR_* */
	SOURCE_ETPAN_MAILDIR,	/* MAILDIR_ERROR_* */
	SOURCE_ETPAN_MH,	/* MAILMH_ERROR_* */
};

extern const struct source_driver source_mbox_driver;
extern const struct source_driver source_maildir_driver;
extern const struct source_driver source_mh_driver;
extern const struct source_driver source_file_driver;

/* source.c */
/* Sets INGEST_ERROR_SOURCE "<what>: <libetpan reason>". */
void		 source_etpan_error(GError **error, const char *what,
		    enum source_etpan_lib lib, int code);
/* Reads a whole regular file of at most SOURCE_MSG_MAX bytes into *out
 * (g_bytes_unref).  FALSE with INGEST_ERROR_SOURCE "<path>: <reason>". */
gboolean	 source_read_file(const char *path, GBytes **out,
		    GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* Sets INGEST_ERROR_SOURCE "<what>: too large (N bytes, limit M)". */
void		 source_too_large(GError **error, const char *what,
		    guint64 size);
/* Fills m; takes data, copies origin and file (file may be NULL). */
void		 source_msg_fill(struct source_msg *m, GBytes *data,
		    char *origin, const char *file, gint64 mbox_index);
/* TRUE if name is a non-empty string of ASCII digits. */
gboolean	 source_is_number(const char *name);
/* TRUE if dir/name exists (any type); used to undo libetpan's markers. */
gboolean	 source_exists(const char *dir, const char *name);
/* Removes dir/name if it is an empty regular file (a marker libetpan
 * created while scanning a folder we only read). */
void		 source_unlink_marker(const char *dir, const char *name);

#endif
