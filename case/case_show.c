/*
 * case_show.c: the full record of one case, for `abusedesk case show`.
 *
 * Defines casedb_show_case().  The case is named by its number ("42") or
 * its tag ("CASE-000042"); the output is a header line (with the
 * report's TLP), the report's taxonomy, event time and partner tickets
 * when it has them, then sections (messages, findings, routes,
 * notifications, takedowns: each finding's batch, sent, pending or
 * failed, and the duplicates linked to an earlier one; events), one
 * indented line per row; a finding shows its
 * port and observed time when a structured source gave them.  Everything
 * that came from a mail is escaped for the terminal.
 */
#include "config.h"

#include <string.h>

#include "case/case_int.h"

typedef void (*row_fn)(GString *out, sqlite3_stmt *st);

struct section {
	const char	*title;
	const char	*sql;		/* ?1 is the case id */
	row_fn		 row;
};

static const char *
col(sqlite3_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st, i);
}

static void
put(GString *out, sqlite3_stmt *st, int i)
{
	case_text_append_safe(out, col(st, i), 0);
}

static void
message_row(GString *out, sqlite3_stmt *st)
{
	gint64 id = sqlite3_column_int64(st, 0);
	gint64 seen = sqlite3_column_int64(st, 4);

	g_string_append_printf(out, "  #%" G_GINT64_FORMAT "  ", id);
	put(out, st, 1);
	g_string_append(out, "  ");
	put(out, st, 2);
	g_string_append(out, "  sha256 ");
	put(out, st, 3);
	g_string_append_printf(out, "  seen %" G_GINT64_FORMAT "  ", seen);
	put(out, st, 5);
}

static void
finding_row(GString *out, sqlite3_stmt *st)
{
	g_string_append(out, "  ");
	put(out, st, 0);
	g_string_append(out, "  ");
	put(out, st, 1);
	g_string_append(out, "  ");
	put(out, st, 2);
	g_string_append(out, "  ");
	put(out, st, 3);
	if (sqlite3_column_type(st, 6) != SQLITE_NULL)
		g_string_append_printf(out, "  port %d",
		    sqlite3_column_int(st, 6));
	if (col(st, 7) != NULL) {
		g_string_append(out, "  at ");
		put(out, st, 7);
	}
	if (sqlite3_column_int(st, 4)) {
		g_string_append(out, "  suppressed: ");
		put(out, st, 5);
	}
}

static void
route_row(GString *out, sqlite3_stmt *st)
{
	g_string_append(out, "  ");
	put(out, st, 0);
	if (sqlite3_column_int(st, 5))
		g_string_append(out, " -> unrouted");
	else {
		g_string_append(out, " -> ");
		put(out, st, 1);
		g_string_append(out, " <");
		put(out, st, 2);
		g_string_append(out, ">");
	}
	if (col(st, 3) != NULL) {
		g_string_append(out, " ");
		put(out, st, 3);
	}
	g_string_append(out, ": ");
	put(out, st, 4);
}

static void
notification_row(GString *out, sqlite3_stmt *st)
{
	g_string_append(out, "  ");
	put(out, st, 0);
	g_string_append(out, "  ");
	put(out, st, 1);
	g_string_append(out, "  ");
	put(out, st, 2);
}

/* takedown_row - a finding's place in a takedown batch: sent (in which
 * outbox file), pending until its window closes, or failed; a duplicate
 * names the earlier batch it was linked to */
static void
takedown_row(GString *out, sqlite3_stmt *st)
{
	g_string_append(out, "  ");
	put(out, st, 0);
	g_string_append(out, " -> ");
	put(out, st, 2);
	g_string_append(out, " <");
	put(out, st, 3);
	g_string_append_printf(out, ">  %sbatch %" G_GINT64_FORMAT ": ",
	    strcmp(col(st, 7), "duplicate") == 0 ? "duplicate of " : "",
	    (gint64)sqlite3_column_int64(st, 1));
	if (col(st, 4) != NULL) {
		g_string_append(out, "sent ");
		put(out, st, 4);
	} else if (col(st, 6) != NULL) {
		g_string_append(out, "failed: ");
		put(out, st, 6);
	} else {
		g_string_append(out, "pending until ");
		case_text_append_time(out, sqlite3_column_int64(st, 5));
	}
}

static void
event_row(GString *out, sqlite3_stmt *st)
{
	g_string_append(out, "  ");
	case_text_append_time(out, sqlite3_column_int64(st, 0));
	g_string_append(out, "  ");
	put(out, st, 1);
	if (col(st, 2) != NULL) {
		g_string_append(out, "  ");
		put(out, st, 2);
	}
}

static const struct section sections[] = {
	{ "messages",
	  "SELECT m.id, m.origin, cm.kind, substr(m.sha256, 1, 12),"
	  " m.seen_count, m.subject FROM case_messages cm"
	  " JOIN messages m ON m.id = cm.message_id"
	  " WHERE cm.case_id = ?1 ORDER BY m.id", message_row },
	{ "findings",
	  "SELECT f.kind, f.role, f.value, f.source, f.suppressed,"
	  " f.suppress_why, f.port, f.observed_at FROM findings f"
	  " JOIN reports r ON r.id = f.report_id WHERE r.message_id ="
	  " (SELECT message_id FROM cases WHERE id = ?1) ORDER BY f.id",
	  finding_row },
	{ "routes",
	  "SELECT f.value, r.contact_id, r.contact_address, r.country,"
	  " r.reason, r.unrouted FROM routes r"
	  " LEFT JOIN findings f ON f.id = r.finding_id"
	  " WHERE r.case_id = ?1 ORDER BY r.id", route_row },
	{ "notifications",
	  "SELECT address, file, status FROM notifications"
	  " WHERE case_id = ?1 ORDER BY id", notification_row },
	{ "takedowns",
	  "SELECT f.value, b.id, b.contact_id, b.address, n.file, b.due_at,"
	  " b.error, 'batched' FROM batch_findings bf"
	  " JOIN batches b ON b.id = bf.batch_id"
	  " JOIN findings f ON f.id = bf.finding_id"
	  " LEFT JOIN notifications n ON n.id = b.notification_id"
	  " WHERE bf.case_id = ?1"
	  " UNION ALL "
	  "SELECT f.value, b.id, b.contact_id, b.address, n.file, b.due_at,"
	  " b.error, 'duplicate' FROM finding_links l"
	  " JOIN batches b ON b.id = l.batch_id"
	  " JOIN findings f ON f.id = l.finding_id"
	  " LEFT JOIN notifications n ON n.id = b.notification_id"
	  " WHERE l.case_id = ?1 ORDER BY 2, 1", takedown_row },
	{ "events",
	  "SELECT at, kind, detail FROM events WHERE case_id = ?1"
	  " OR message_id IN (SELECT message_id FROM case_messages"
	  " WHERE case_id = ?1) ORDER BY id", event_row },
};

/* resolve - case id from "42" or "CASE-000042": 1, 0 (absent), -1. */
static int
resolve(struct casedb *db, const char *id, gint64 *case_id_r,
    GError **error)
{
	sqlite3_stmt *st;
	const char *digits = id;
	guint64 n;
	int ret;

	if (g_ascii_strncasecmp(id, "CASE-", 5) == 0)
		digits = id + 5;
	if (!g_ascii_string_to_unsigned(digits, 10, 1, G_MAXINT64, &n, NULL))
		return 0;
	if ((st = case_prepare(db, "SELECT id FROM cases WHERE id = ?1",
	    error)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, (sqlite3_int64)n);
	ret = case_step_int64(db, st, "looking up a case", case_id_r, error);
	sqlite3_finalize(st);
	return ret;
}

/* show_report - what the case's report says about itself: TLP on the
 * header line, then taxonomy / event time and the partner tickets. */
static gboolean
show_report(struct casedb *db, gint64 case_id, GString *out, GError **error)
{
	sqlite3_stmt *st;
	int rc;

	if ((st = case_prepare(db, "SELECT r.tlp, r.taxonomy, r.event_time,"
	    " (SELECT group_concat(t.ticket, ' ') FROM (SELECT ticket FROM"
	    " report_tickets WHERE report_id = r.id ORDER BY ticket) t)"
	    " FROM reports r JOIN cases c ON c.message_id = r.message_id"
	    " WHERE c.id = ?1 ORDER BY r.id LIMIT 1", error)) == NULL)
		return FALSE;
	sqlite3_bind_int64(st, 1, case_id);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (col(st, 0) != NULL) {
			g_string_append(out, "  TLP:");
			put(out, st, 0);
		}
		g_string_append_c(out, '\n');
		if (col(st, 1) != NULL || col(st, 2) != NULL) {
			g_string_append(out, "  taxonomy ");
			case_text_append_safe(out, col(st, 1) != NULL ?
			    col(st, 1) : "-", 0);
			if (col(st, 2) != NULL) {
				g_string_append(out, "  event ");
				put(out, st, 2);
			}
			g_string_append_c(out, '\n');
		}
		if (col(st, 3) != NULL) {
			g_string_append(out, "  tickets ");
			put(out, st, 3);
			g_string_append_c(out, '\n');
		}
		rc = SQLITE_DONE;
	} else if (rc == SQLITE_DONE)
		g_string_append_c(out, '\n');
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return case_sqlite_error(db, rc, "reading a case's report",
		    error);
	return TRUE;
}

static gboolean
show_header(struct casedb *db, gint64 case_id, GString *out, GError **error)
{
	sqlite3_stmt *st;
	int rc;

	if ((st = case_prepare(db, "SELECT tag, status, category, opened_at"
	    " FROM cases WHERE id = ?1", error)) == NULL)
		return FALSE;
	sqlite3_bind_int64(st, 1, case_id);
	if ((rc = sqlite3_step(st)) != SQLITE_ROW) {
		case_sqlite_error(db, rc, "reading a case", error);
		sqlite3_finalize(st);
		return FALSE;
	}
	put(out, st, 0);
	g_string_append(out, "  ");
	put(out, st, 1);
	g_string_append(out, "  ");
	put(out, st, 2);
	g_string_append(out, "  opened ");
	case_text_append_time(out, sqlite3_column_int64(st, 3));
	g_string_append(out, " UTC");
	sqlite3_finalize(st);
	return show_report(db, case_id, out, error);
}

static gboolean
show_section(struct casedb *db, gint64 case_id, const struct section *s,
    GString *out, GError **error)
{
	sqlite3_stmt *st;
	int rc;

	if ((st = case_prepare(db, s->sql, error)) == NULL)
		return FALSE;
	sqlite3_bind_int64(st, 1, case_id);
	g_string_append_printf(out, "%s:\n", s->title);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		s->row(out, st);
		g_string_append_c(out, '\n');
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return case_sqlite_error(db, rc, "showing a case", error);
	return TRUE;
}

gboolean
casedb_show_case(struct casedb *db, const char *id, GString *out,
    GError **error)
{
	gint64 case_id = 0;
	guint i;
	int ret;

	g_return_val_if_fail(db != NULL && id != NULL && out != NULL, FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	if ((ret = resolve(db, id, &case_id, error)) < 0)
		return FALSE;
	if (ret == 0) {
		GString *safe = g_string_new(NULL);

		case_text_append_safe(safe, id, 40);
		g_set_error(error, CASE_ERROR, CASE_ERROR_NOT_FOUND,
		    "%s: no case %s", db->path, safe->str);
		g_string_free(safe, TRUE);
		return FALSE;
	}
	if (!show_header(db, case_id, out, error))
		return FALSE;
	for (i = 0; i < G_N_ELEMENTS(sections); i++)
		if (!show_section(db, case_id, &sections[i], out, error))
			return FALSE;
	return TRUE;
}
