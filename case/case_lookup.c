/*
 * case_lookup.c: the live lookups' answer cache in the case database
 * (table lookup_cache, schema v4; see route/lookup.h for the columns).
 *
 * Defines casedb_lookup_load(), casedb_lookup_save() and
 * casedb_lookup_purge().  Rows are keyed by (source, first_ip, last_ip):
 * one answer per network range and source.  Loading is forgiving: the
 * table is a cache, so a row that does not parse is skipped with a
 * warning naming it, never fatal.  Saving writes inside the caller's
 * transaction (the message's), so the answers that routed a message are
 * committed or rolled back with it.
 */
#include "config.h"

#include <string.h>

#include "case/case_int.h"
#include "route/lookup.h"

/* Rows read at start: the cache keeps at most its own maximum, this
 * only bounds the time spent reading a table grown by hand. */
#define CASE_LOOKUP_LOAD_MAX	100000

/* col - a text column, "" for NULL */
static const char *
col(sqlite3_stmt *st, int i)
{
	const unsigned char *s = sqlite3_column_text(st, i);

	return s != NULL ? (const char *)s : "";
}

gint64
casedb_lookup_load(struct casedb *db, struct lookup_cache *c, gint64 now,
    GError **error)
{
	struct lookup_cache_row row;
	sqlite3_stmt *st;
	GError *bad = NULL;
	gint64 n = 0;
	int rc;

	g_return_val_if_fail(error == NULL || *error == NULL, -1);
	if ((st = case_prepare(db, "SELECT source, first_ip, last_ip, "
	    "answer_json, fetched_at, expires_at FROM lookup_cache "
	    "WHERE expires_at > ? ORDER BY fetched_at DESC LIMIT ?",
	    error)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, now);
	sqlite3_bind_int(st, 2, CASE_LOOKUP_LOAD_MAX);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		row.source = col(st, 0);
		row.first_ip = col(st, 1);
		row.last_ip = col(st, 2);
		row.answer_json = col(st, 3);
		row.fetched_at = sqlite3_column_int64(st, 4);
		row.expires_at = sqlite3_column_int64(st, 5);
		if (!lookup_cache_import(c, &row, now, &bad)) {
			g_warning("%s: lookup_cache row (%.20s, %.64s, %.64s) "
			    "skipped: %s", db->path, row.source, row.first_ip,
			    row.last_ip, bad->message);
			g_clear_error(&bad);
			continue;
		}
		n++;
	}
	if (rc != SQLITE_DONE) {
		case_sqlite_error(db, rc, "reading the lookup cache", error);
		sqlite3_finalize(st);
		return -1;
	}
	sqlite3_finalize(st);
	return n;
}

struct save_state {
	struct casedb	*db;
	sqlite3_stmt	*st;
	gint64		 since;
	gint64		 saved;
	GError		*error;
};

/* save_row - lookup_cache_export() callback: one INSERT OR REPLACE */
static void
save_row(const struct lookup_cache_row *row, void *data)
{
	struct save_state *s = data;

	if (s->error != NULL || row->fetched_at < s->since)
		return;
	case_bind_text(s->st, 1, row->source);
	case_bind_text(s->st, 2, row->first_ip);
	case_bind_text(s->st, 3, row->last_ip);
	case_bind_text(s->st, 4, row->answer_json);
	sqlite3_bind_int64(s->st, 5, row->fetched_at);
	sqlite3_bind_int64(s->st, 6, row->expires_at);
	if (case_step_done(s->db, s->st, "saving a lookup answer",
	    &s->error))
		s->saved++;
}

gint64
casedb_lookup_save(struct casedb *db, const struct lookup_cache *c,
    gint64 since, gint64 now, GError **error)
{
	struct save_state s;

	g_return_val_if_fail(error == NULL || *error == NULL, -1);
	memset(&s, 0, sizeof(s));
	s.db = db;
	s.since = since;
	if ((s.st = case_prepare(db, "INSERT OR REPLACE INTO lookup_cache "
	    "(source, first_ip, last_ip, answer_json, fetched_at, "
	    "expires_at) VALUES (?, ?, ?, ?, ?, ?)", error)) == NULL)
		return -1;
	lookup_cache_export(c, now, save_row, &s);
	sqlite3_finalize(s.st);
	if (s.error != NULL) {
		g_propagate_error(error, s.error);
		return -1;
	}
	return s.saved;
}

gint64
casedb_lookup_purge(struct casedb *db, gint64 now, GError **error)
{
	sqlite3_stmt *st;
	gint64 n;

	g_return_val_if_fail(error == NULL || *error == NULL, -1);
	if ((st = case_prepare(db, "DELETE FROM lookup_cache "
	    "WHERE expires_at <= ?", error)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, now);
	if (!case_step_done(db, st, "purging the lookup cache", error)) {
		sqlite3_finalize(st);
		return -1;
	}
	n = sqlite3_changes(db->db);
	sqlite3_finalize(st);
	return n;
}
