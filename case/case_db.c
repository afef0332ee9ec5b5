/*
 * case_db.c: opening and closing the case database, transactions, the
 * cache of prepared statements and the one place sqlite result codes
 * become GErrors (CASE_ERROR domain).
 *
 * Defines casedb_open(), casedb_close(), casedb_begin(), casedb_commit(),
 * casedb_rollback(), casedb_schema_version(), casedb_set_busy_timeout(),
 * casedb_path() and the case_* helpers of case_int.h.  The database file
 * is created 0600 before sqlite sees it; sqlite gives its -wal and -shm
 * files the mode of the database file.
 */
#include "config.h"

#include <sys/stat.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "case/case_int.h"

G_DEFINE_QUARK(abusedesk-case-error-quark, case_error)

/* The SQL of each cached statement, indexed by enum case_stmt. */
static const char *const stmt_sql[STMT_COUNT] = {
	[STMT_BEGIN] = "BEGIN IMMEDIATE",
	[STMT_COMMIT] = "COMMIT",
	[STMT_ROLLBACK] = "ROLLBACK",
	[STMT_LOOKUP_MESSAGE] = "SELECT id FROM messages WHERE sha256 = ?1",
	[STMT_MARK_SEEN] = "UPDATE messages SET seen_count = seen_count + 1, "
	    "last_seen = ?2 WHERE id = ?1",
	[STMT_INSERT_MESSAGE] = "INSERT INTO messages (sha256, raw, size, "
	    "origin, env_sender, env_recipient, env_orig_recipient, "
	    "received_at, status, orig_size, orig_sha256, first_seen, "
	    "last_seen) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, "
	    "?11, ?12, ?12)",
	[STMT_UPDATE_MESSAGE_REPORT] = "UPDATE messages SET kind = ?2, "
	    "format = ?3, subject = ?4, message_id_hdr = ?5 WHERE id = ?1",
	[STMT_INSERT_REPORT] = "INSERT INTO reports (message_id, kind, "
	    "format, subject, reporter, from_addr, category, case_tag_seen, "
	    "in_reply_to, rules_version, rule_errors, ignore_case, warnings, "
	    "created_at, taxonomy, event_time, tlp) VALUES (?1, ?2, ?3, ?4, "
	    "?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)",
	[STMT_INSERT_FINDING] = "INSERT INTO findings (report_id, kind, "
	    "value, raw, role, part, \"offset\", source, suppressed, "
	    "suppress_why, port, observed_at, attrs) VALUES (?1, ?2, ?3, ?4, "
	    "?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
	[STMT_INSERT_HIT] = "INSERT INTO rule_hits (report_id, rule_id, "
	    "part, \"offset\", count) VALUES (?1, ?2, ?3, ?4, ?5)",
	[STMT_INSERT_TICKET] = "INSERT OR IGNORE INTO report_tickets "
	    "(report_id, ticket) VALUES (?1, ?2)",
	[STMT_INSERT_CASE] = "INSERT INTO cases (status, category, "
	    "opened_at, message_id) VALUES ('open', ?1, ?2, ?3)",
	[STMT_SET_CASE_TAG] = "UPDATE cases SET tag = ?2 WHERE id = ?1",
	[STMT_FIND_CASE_TAG] = "SELECT id FROM cases WHERE tag = ?1",
	[STMT_FIND_NOTIFICATION_MSGID] = "SELECT case_id FROM notifications "
	    "WHERE message_id_hdr = ?1",
	[STMT_LINK_MESSAGE] = "INSERT OR IGNORE INTO case_messages (case_id, "
	    "message_id, kind, linked_at) VALUES (?1, ?2, ?3, ?4)",
	[STMT_INSERT_ROUTE] = "INSERT INTO routes (case_id, finding_id, "
	    "contact_id, contact_address, country, reason, unrouted) "
	    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
	[STMT_INSERT_NOTIFICATION] = "INSERT INTO notifications (case_id, "
	    "contact_id, address, subject, message_id_hdr, file, status, "
	    "created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'outbox', ?7)",
	[STMT_INSERT_NOTIFICATION_FINDING] = "INSERT OR IGNORE INTO "
	    "notification_findings (notification_id, finding_id) "
	    "VALUES (?1, ?2)",
	[STMT_INSERT_EVENT] = "INSERT INTO events (at, message_id, case_id, "
	    "kind, detail) VALUES (?1, ?2, ?3, ?4, ?5)",
	[STMT_NOTIFICATION_EXISTS] = "SELECT 1 FROM notifications "
	    "WHERE file = ?1 LIMIT 1",
	/* a failed batch takes no more findings: it waits for an analyst */
	[STMT_BATCH_OPEN] = "SELECT id FROM batches WHERE contact_id = ?1 "
	    "AND category = ?2 AND notification_id IS NULL AND error IS NULL "
	    "ORDER BY id LIMIT 1",
	[STMT_BATCH_NEW] = "INSERT INTO batches (contact_id, contact_name, "
	    "contact_language, address, category, opened_at, due_at, "
	    "contact_format) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
	[STMT_BATCH_ADD] = "INSERT OR IGNORE INTO batch_findings (batch_id, "
	    "finding_id, case_id, cc) VALUES (?1, ?2, ?3, ?4)",
	/* findings_value narrows to the few rows of this value first */
	[STMT_BATCH_DUPLICATE] = "SELECT b.id FROM findings f "
	    "JOIN batch_findings bf ON bf.finding_id = f.id "
	    "JOIN batches b ON b.id = bf.batch_id "
	    "WHERE f.value = ?1 AND f.kind = ?2 AND b.contact_id = ?3 "
	    "AND (b.notification_id IS NULL OR b.sent_at >= ?4) "
	    "ORDER BY b.id DESC LIMIT 1",
	[STMT_BATCH_LINK] = "INSERT INTO finding_links (finding_id, case_id, "
	    "contact_id, batch_id, kind, at) VALUES (?1, ?2, ?3, ?4, "
	    "'duplicate', ?5)",
	[STMT_BATCH_NOTIFICATION] = "SELECT id FROM notifications WHERE "
	    "message_id_hdr = ?1",
	[STMT_BATCH_MARK_SENT] = "UPDATE batches SET notification_id = ?2, "
	    "sent_at = ?3 WHERE id = ?1",
};

gboolean
case_sqlite_error(struct casedb *db, int rc, const char *what,
    GError **error)
{
	int code;
	const char *msg;

	switch (rc & 0xff) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		code = CASE_ERROR_BUSY;
		break;
	case SQLITE_IOERR:
	case SQLITE_FULL:
	case SQLITE_CANTOPEN:
	case SQLITE_READONLY:
		code = CASE_ERROR_IO;
		break;
	default:
		code = CASE_ERROR_FAILED;
		break;
	}
	if (db->db != NULL && sqlite3_errcode(db->db) != SQLITE_OK)
		msg = sqlite3_errmsg(db->db);
	else
		msg = sqlite3_errstr(rc);
	g_set_error(error, CASE_ERROR, code, "%s: %s: %s", db->path, what,
	    msg);
	return FALSE;
}

sqlite3_stmt *
case_stmt(struct casedb *db, enum case_stmt which, GError **error)
{
	sqlite3_stmt *st;
	int rc;

	g_assert(which < STMT_COUNT);
	if ((st = db->stmts[which]) != NULL) {
		sqlite3_reset(st);
		sqlite3_clear_bindings(st);
		return st;
	}
	rc = sqlite3_prepare_v3(db->db, stmt_sql[which], -1,
	    SQLITE_PREPARE_PERSISTENT, &st, NULL);
	if (rc != SQLITE_OK) {
		case_sqlite_error(db, rc, "preparing a statement", error);
		sqlite3_finalize(st);
		return NULL;
	}
	db->stmts[which] = st;
	return st;
}

sqlite3_stmt *
case_prepare(struct casedb *db, const char *sql, GError **error)
{
	sqlite3_stmt *st = NULL;
	int rc;

	rc = sqlite3_prepare_v2(db->db, sql, -1, &st, NULL);
	if (rc != SQLITE_OK) {
		case_sqlite_error(db, rc, "preparing a query", error);
		sqlite3_finalize(st);
		return NULL;
	}
	return st;
}

gboolean
case_step_done(struct casedb *db, sqlite3_stmt *st, const char *what,
    GError **error)
{
	int rc;

	rc = sqlite3_step(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
		case_sqlite_error(db, rc, what, error);
		sqlite3_reset(st);
		sqlite3_clear_bindings(st);
		return FALSE;
	}
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return TRUE;
}

int
case_step_int64(struct casedb *db, sqlite3_stmt *st, const char *what,
    gint64 *val_r, GError **error)
{
	int rc, ret;

	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		if (val_r != NULL)
			*val_r = sqlite3_column_int64(st, 0);
		ret = 1;
	} else if (rc == SQLITE_DONE)
		ret = 0;
	else {
		case_sqlite_error(db, rc, what, error);
		ret = -1;
	}
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return ret;
}

void
case_bind_text(sqlite3_stmt *st, int col, const char *s)
{
	if (s == NULL)
		sqlite3_bind_null(st, col);
	else
		sqlite3_bind_text(st, col, s, -1, SQLITE_STATIC);
}

void
case_bind_id(sqlite3_stmt *st, int col, gint64 id)
{
	if (id <= 0)
		sqlite3_bind_null(st, col);
	else
		sqlite3_bind_int64(st, col, id);
}

gint64
case_now(void)
{
	return g_get_real_time() / G_USEC_PER_SEC;
}

/* create_private - make sure path exists with mode 0600 (umask-proof). */
static gboolean
create_private(const char *path, GError **error)
{
	int fd;
	struct stat sb;

	fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW,
	    0600);
	if (fd == -1 && errno == EEXIST)
		return TRUE;	/* an existing database keeps its mode */
	if (fd == -1) {
		g_set_error(error, CASE_ERROR, CASE_ERROR_IO,
		    "%s: creating the database: %s", path, g_strerror(errno));
		return FALSE;
	}
	if (fstat(fd, &sb) == 0 && (sb.st_mode & 0777) != 0600)
		(void)fchmod(fd, 0600);
	close(fd);
	return TRUE;
}

static gboolean
exec_sql(struct casedb *db, const char *sql, const char *what,
    GError **error)
{
	int rc;

	rc = sqlite3_exec(db->db, sql, NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		return case_sqlite_error(db, rc, what, error);
	return TRUE;
}

/* configure - per-connection settings: WAL, FULL, foreign keys, timeout. */
static gboolean
configure(struct casedb *db, GError **error)
{
	sqlite3_stmt *st = NULL;
	gboolean wal = FALSE;
	int rc;

	sqlite3_busy_timeout(db->db, CASE_BUSY_TIMEOUT_MS);
	sqlite3_extended_result_codes(db->db, 1);
	rc = sqlite3_prepare_v2(db->db, "PRAGMA journal_mode=WAL", -1, &st,
	    NULL);
	if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *m = (const char *)sqlite3_column_text(st, 0);

		wal = m != NULL && g_ascii_strcasecmp(m, "wal") == 0;
		rc = SQLITE_OK;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_OK)
		return case_sqlite_error(db, rc, "setting WAL mode", error);
	if (!wal) {
		g_set_error(error, CASE_ERROR, CASE_ERROR_FAILED,
		    "%s: setting WAL mode: refused by sqlite", db->path);
		return FALSE;
	}
	return exec_sql(db, "PRAGMA synchronous=FULL; "
	    "PRAGMA foreign_keys=ON;", "setting pragmas", error);
}

struct casedb *
casedb_open(const char *path, GError **error)
{
	struct casedb *db;
	int rc;

	g_return_val_if_fail(path != NULL, NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	if (!create_private(path, error))
		return NULL;
	db = g_new0(struct casedb, 1);
	db->path = g_strdup(path);
	db->finding_ids = g_hash_table_new_full(g_direct_hash,
	    g_direct_equal, NULL, g_free);
	rc = sqlite3_open_v2(path, &db->db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		case_sqlite_error(db, rc, "opening the database", error);
		casedb_close(&db);
		return NULL;
	}
	if (!configure(db, error) || !case_schema_migrate(db, error)) {
		casedb_close(&db);
		return NULL;
	}
	return db;
}

void
casedb_close(struct casedb **dbp)
{
	struct casedb *db;
	guint i;

	if (dbp == NULL || (db = *dbp) == NULL)
		return;
	*dbp = NULL;
	if (db->db != NULL && !sqlite3_get_autocommit(db->db))
		sqlite3_exec(db->db, "ROLLBACK", NULL, NULL, NULL);
	for (i = 0; i < STMT_COUNT; i++)
		sqlite3_finalize(db->stmts[i]);
	if (db->db != NULL)
		sqlite3_close_v2(db->db);
	g_hash_table_destroy(db->finding_ids);
	g_free(db->path);
	g_free(db);
}

gboolean
casedb_begin(struct casedb *db, GError **error)
{
	sqlite3_stmt *st;

	g_return_val_if_fail(db != NULL, FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);
	g_return_val_if_fail(!db->in_txn, FALSE);

	if ((st = case_stmt(db, STMT_BEGIN, error)) == NULL)
		return FALSE;
	if (!case_step_done(db, st, "starting a transaction", error))
		return FALSE;
	g_hash_table_remove_all(db->finding_ids);
	db->in_txn = TRUE;
	return TRUE;
}

gboolean
casedb_commit(struct casedb *db, GError **error)
{
	sqlite3_stmt *st;

	g_return_val_if_fail(db != NULL, FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	if ((st = case_stmt(db, STMT_COMMIT, error)) == NULL ||
	    !case_step_done(db, st, "committing", error)) {
		/* Leave nothing half-done behind: the caller retries. */
		casedb_rollback(db);
		return FALSE;
	}
	g_hash_table_remove_all(db->finding_ids);
	db->in_txn = FALSE;
	return TRUE;
}

void
casedb_rollback(struct casedb *db)
{
	if (db == NULL)
		return;
	if (!sqlite3_get_autocommit(db->db))
		sqlite3_exec(db->db, "ROLLBACK", NULL, NULL, NULL);
	g_hash_table_remove_all(db->finding_ids);
	db->in_txn = FALSE;
}

int
casedb_schema_version(struct casedb *db)
{
	g_return_val_if_fail(db != NULL, -1);
	return case_schema_read_version(db, NULL);
}

void
casedb_set_busy_timeout(struct casedb *db, int ms)
{
	g_return_if_fail(db != NULL);
	sqlite3_busy_timeout(db->db, ms < 0 ? 0 : ms);
}

gboolean
casedb_set_batch_mode(struct casedb *db, gboolean batch, GError **error)
{
	g_return_val_if_fail(db != NULL, FALSE);
	/* WAL with synchronous=NORMAL stays consistent after a crash but may
	 * lose the last transactions on power loss: acceptable only when the
	 * messages still exist elsewhere (a mailbox being reprocessed). */
	return exec_sql(db, batch ? "PRAGMA synchronous=NORMAL" :
	    "PRAGMA synchronous=FULL", "setting synchronous", error);
}

const char *
casedb_path(const struct casedb *db)
{
	g_return_val_if_fail(db != NULL, NULL);
	return db->path;
}
