/*
 * ingest.h: how mail comes in and goes through the pipeline.
 *
 * The heavy side (GLib, gmime, sqlite): the configuration, the message
 * sources for batch reprocessing (mbox, Maildir, MH via libetpan; single
 * files), the spool reader of the daemon, and pipeline_process(), the one
 * function that takes a message through parse -> rules -> route -> notify
 * -> case.  The light side used by `deliver` (libc only) is in
 * ingest/deliver.h, ingest/ini.h and ingest/spool_file.h.
 */
#ifndef ABUSEDESK_INGEST_H
#define ABUSEDESK_INGEST_H

#include <glib.h>
#include "parse/report.h"

#define INGEST_ERROR (ingest_error_quark())
GQuark ingest_error_quark(void);
enum ingest_error_code {
	INGEST_ERROR_CONFIG,	/* bad config: file:line */
	INGEST_ERROR_IO,	/* temporary */
	INGEST_ERROR_SOURCE,	/* a mailbox could not be read */
	INGEST_ERROR_FAILED,
};

/* ingest_error.c: the one place that decides temporary vs permanent. */
gboolean	ingest_error_is_temporary(const GError *error);

/* source.c: batch message sources (fdm-style driver table). */
struct source;
struct source_msg {
	GBytes		*data;		/* the raw message (owned by the msg) */
	char		*origin;	/* "mbox:/path#3", "maildir:/p/new/x" */
	char		*file;		/* Maildir: "new/<name>" or "cur/<name>";
					 * MH/eml: the file name; else NULL */
	gint64		 mbox_index;	/* 0-based in an mbox, else -1 */
};
/* Detects mbox (file), Maildir (dir with cur/ new/), MH (dir of numbered
 * files) or a single message file. */
struct source	*source_open(const char *path, GError **error);
/* 1: *m filled (clear with source_msg_clear), 0: end, -1: this message
 * could not be read (error set; the next call goes on with the next). */
int		 source_next(struct source *s, struct source_msg *m,
		    GError **error);
/* Messages in the source if known up front, else 0. */
guint		 source_count(const struct source *s);
const char	*source_kind(const struct source *s);
void		 source_close(struct source **sp);
void		 source_msg_clear(struct source_msg *m);

#endif
