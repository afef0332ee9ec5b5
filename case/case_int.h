/*
 * case_int.h: internals of the case database, for the files of case/.
 *
 * struct casedb owns the sqlite3 handle, the cache of prepared statements
 * (each prepared once, on first use, and kept until casedb_close()) and the
 * map struct finding * -> findings.id of the current transaction, which
 * lets casedb_store_routes() and casedb_store_notification() refer to the
 * rows casedb_store_report() wrote.  The map is emptied at commit and
 * rollback because the findings live in a per-message arena.
 */
#ifndef ABUSEDESK_CASE_INT_H
#define ABUSEDESK_CASE_INT_H

#include <sqlite3.h>
#include <glib.h>

#include "case/case.h"

/* Default busy timeout: long enough for a CLI reader, short enough for
 * the MTA pipe to give up with EX_TEMPFAIL and retry later. */
#define CASE_BUSY_TIMEOUT_MS	5000
/* Message-IDs looked up from In-Reply-To + References (a deep thread must
 * not turn one reply into thousands of queries). */
#define CASE_MAX_REFERENCES	128
/* Longest Message-ID considered (RFC 5322 line length). */
#define CASE_MAX_MSGID		998

/* The statements of the write path, prepared once each. */
enum case_stmt {
	STMT_BEGIN,
	STMT_COMMIT,
	STMT_ROLLBACK,
	STMT_LOOKUP_MESSAGE,
	STMT_MARK_SEEN,
	STMT_INSERT_MESSAGE,
	STMT_UPDATE_MESSAGE_REPORT,
	STMT_INSERT_REPORT,
	STMT_INSERT_FINDING,
	STMT_INSERT_HIT,
	STMT_INSERT_TICKET,
	STMT_INSERT_CASE,
	STMT_SET_CASE_TAG,
	STMT_FIND_CASE_TAG,
	STMT_FIND_NOTIFICATION_MSGID,
	STMT_LINK_MESSAGE,
	STMT_INSERT_ROUTE,
	STMT_INSERT_NOTIFICATION,
	STMT_INSERT_NOTIFICATION_FINDING,
	STMT_INSERT_EVENT,
	STMT_NOTIFICATION_EXISTS,
	/* takedown batches (case_batch.c), per message */
	STMT_BATCH_OPEN,
	STMT_BATCH_NEW,
	STMT_BATCH_ADD,
	STMT_BATCH_DUPLICATE,
	STMT_BATCH_LINK,
	STMT_BATCH_NOTIFICATION,
	STMT_BATCH_MARK_SENT,
	STMT_COUNT
};

struct casedb {
	sqlite3		*db;
	char		*path;
	sqlite3_stmt	*stmts[STMT_COUNT];
	GHashTable	*finding_ids;	/* struct finding * -> gint64 * */
	gboolean	 in_txn;
};

/* case_db.c */
/* Sets *error from an sqlite result code: "<path>: <what>: <errmsg>";
 * BUSY/LOCKED -> CASE_ERROR_BUSY, IOERR/FULL/CANTOPEN/READONLY ->
 * CASE_ERROR_IO, the rest CASE_ERROR_FAILED.  Always returns FALSE. */
gboolean	 case_sqlite_error(struct casedb *db, int rc, const char *what,
		    GError **error);
/* The cached statement, prepared on first use, reset with no bindings;
 * NULL with *error set when it cannot be prepared. */
sqlite3_stmt	*case_stmt(struct casedb *db, enum case_stmt which,
		    GError **error);
/* A one-off statement for the read-only views (sqlite3_finalize it). */
sqlite3_stmt	*case_prepare(struct casedb *db, const char *sql,
		    GError **error);
/* Steps a statement expected to finish without rows, then resets it. */
gboolean	 case_step_done(struct casedb *db, sqlite3_stmt *st,
		    const char *what, GError **error);
/* Steps a statement expecting at most one row: 1 with the first column
 * in *val_r, 0 for no row, -1 on error.  Resets it. */
int		 case_step_int64(struct casedb *db, sqlite3_stmt *st,
		    const char *what, gint64 *val_r, GError **error);
/* Binds text or NULL (the string must live until the step). */
void		 case_bind_text(sqlite3_stmt *st, int col, const char *s);
/* Binds an id, 0 meaning NULL. */
void		 case_bind_id(sqlite3_stmt *st, int col, gint64 id);
/* Current unix time. */
gint64		 case_now(void);

/* case_schema.c */
/* Migrates the file forward to CASE_SCHEMA_VERSION, one transaction per
 * step; CASE_ERROR_SCHEMA when the file is newer than this program. */
gboolean	 case_schema_migrate(struct casedb *db, GError **error);
int		 case_schema_read_version(struct casedb *db, GError **error);
/* The SQL of the step from version `from` to from + 1 (tests build old
 * files with it). */
const char	*case_schema_ddl(int from);

/* case_store.c */
/* The findings.id stored for f in this transaction, or 0. */
gint64		 case_finding_id(struct casedb *db, const struct finding *f);

/* case_text.c */
/* Appends s with control characters, invalid UTF-8 and bidi controls
 * escaped, at most max_chars characters of s (0: no limit). */
void		 case_text_append_safe(GString *out, const char *s,
		    guint max_chars);
/* Appends "YYYY-MM-DD HH:MM" (UTC) for a unix time. */
void		 case_text_append_time(GString *out, gint64 t);

#endif
