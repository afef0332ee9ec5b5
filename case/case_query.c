/*
 * case_query.c: read-only summaries of the case database for the CLI.
 *
 * Defines casedb_totals() and casedb_list_cases().  Output is appended to
 * the caller's GString, one line per item, text from mails escaped by
 * case_text_append_safe().  Nothing here writes.
 */
#include "config.h"

#include "case/case_int.h"

/* Longest subject shown in a case list line, in characters. */
#define LIST_SUBJECT_CHARS	60

static const char totals_sql[] =
	"SELECT (SELECT count(*) FROM messages),"
	" (SELECT count(*) FROM reports),"
	" (SELECT count(*) FROM findings),"
	" (SELECT count(*) FROM cases),"
	" (SELECT count(*) FROM notifications),"
	" (SELECT count(*) FROM routes WHERE unrouted = 1)";

gboolean
casedb_totals(struct casedb *db, struct case_totals *t, GError **error)
{
	sqlite3_stmt *st;
	int rc;

	g_return_val_if_fail(db != NULL && t != NULL, FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	if ((st = case_prepare(db, totals_sql, error)) == NULL)
		return FALSE;
	if ((rc = sqlite3_step(st)) != SQLITE_ROW) {
		case_sqlite_error(db, rc, "counting", error);
		sqlite3_finalize(st);
		return FALSE;
	}
	t->messages = sqlite3_column_int64(st, 0);
	t->reports = sqlite3_column_int64(st, 1);
	t->findings = sqlite3_column_int64(st, 2);
	t->cases = sqlite3_column_int64(st, 3);
	t->notifications = sqlite3_column_int64(st, 4);
	t->unrouted = sqlite3_column_int64(st, 5);
	sqlite3_finalize(st);
	return TRUE;
}

/* Findings counted are those of the message that opened the case. */
static const char list_sql[] =
	"SELECT c.tag, c.status, c.category, c.opened_at,"
	" (SELECT count(*) FROM findings f JOIN reports r"
	"   ON f.report_id = r.id WHERE r.message_id = c.message_id),"
	" (SELECT count(*) FROM notifications n WHERE n.case_id = c.id),"
	" m.subject"
	" FROM cases c LEFT JOIN messages m ON m.id = c.message_id"
	" ORDER BY c.id DESC LIMIT ?1";

static void
append_count(GString *out, gint64 n, const char *what)
{
	g_string_append_printf(out, "%" G_GINT64_FORMAT " %s%s", n, what,
	    n == 1 ? "" : "s");
}

static void
append_col(GString *out, sqlite3_stmt *st, int col, guint max_chars)
{
	case_text_append_safe(out, (const char *)sqlite3_column_text(st, col),
	    max_chars);
}

gboolean
casedb_list_cases(struct casedb *db, guint limit, GString *out,
    GError **error)
{
	sqlite3_stmt *st;
	int rc;

	g_return_val_if_fail(db != NULL && out != NULL, FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	if ((st = case_prepare(db, list_sql, error)) == NULL)
		return FALSE;
	/* 0 means no limit; sqlite takes a negative limit the same way. */
	sqlite3_bind_int64(st, 1, limit == 0 ? -1 : (sqlite3_int64)limit);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		append_col(out, st, 0, 0);
		g_string_append(out, "  ");
		append_col(out, st, 1, 0);
		g_string_append(out, "  ");
		append_col(out, st, 2, 0);
		g_string_append(out, "  ");
		case_text_append_time(out, sqlite3_column_int64(st, 3));
		g_string_append(out, "  ");
		append_count(out, sqlite3_column_int64(st, 4), "finding");
		g_string_append(out, "  ");
		append_count(out, sqlite3_column_int64(st, 5),
		    "notification");
		g_string_append(out, "  ");
		append_col(out, st, 6, LIST_SUBJECT_CHARS);
		g_string_append_c(out, '\n');
	}
	if (rc != SQLITE_DONE) {
		case_sqlite_error(db, rc, "listing cases", error);
		sqlite3_finalize(st);
		return FALSE;
	}
	sqlite3_finalize(st);
	return TRUE;
}
