/*
 * case_store.c: storing messages, reports, findings, rule hits and audit
 * events.  A report's partner ticket ids go to report_tickets, one row
 * each; a finding's port 0 (unknown) is stored as NULL.
 *
 * Defines casedb_lookup_message(), casedb_mark_seen(),
 * casedb_store_message(), casedb_store_report(), casedb_event() and
 * case_finding_id().  All run inside the caller's transaction and copy
 * what they store: nothing from the report's arena is kept, except the
 * finding pointers used as keys of the per-transaction id map.
 */
#include "config.h"

#include <string.h>

#include "case/case_int.h"

int
casedb_lookup_message(struct casedb *db, const char *sha256, gint64 *id_r,
    GError **error)
{
	sqlite3_stmt *st;

	g_return_val_if_fail(db != NULL && sha256 != NULL, -1);
	g_return_val_if_fail(error == NULL || *error == NULL, -1);

	if ((st = case_stmt(db, STMT_LOOKUP_MESSAGE, error)) == NULL)
		return -1;
	case_bind_text(st, 1, sha256);
	return case_step_int64(db, st, "looking up a message", id_r, error);
}

gboolean
casedb_mark_seen(struct casedb *db, gint64 msg_id, const char *origin,
    GError **error)
{
	sqlite3_stmt *st;

	g_return_val_if_fail(db != NULL, FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	if ((st = case_stmt(db, STMT_MARK_SEEN, error)) == NULL)
		return FALSE;
	sqlite3_bind_int64(st, 1, msg_id);
	sqlite3_bind_int64(st, 2, case_now());
	if (!case_step_done(db, st, "counting a sighting", error))
		return FALSE;
	if (sqlite3_changes(db->db) != 1) {
		g_set_error(error, CASE_ERROR, CASE_ERROR_NOT_FOUND,
		    "%s: counting a sighting: no message %" G_GINT64_FORMAT,
		    db->path, msg_id);
		return FALSE;
	}
	return casedb_event(db, msg_id, 0, "seen-again", origin, error);
}

gint64
casedb_store_message(struct casedb *db, const struct case_message *m,
    const char *status, GError **error)
{
	sqlite3_stmt *st;

	g_return_val_if_fail(db != NULL && m != NULL && m->sha256 != NULL, -1);
	g_return_val_if_fail(status != NULL, -1);
	g_return_val_if_fail(error == NULL || *error == NULL, -1);

	if ((st = case_stmt(db, STMT_INSERT_MESSAGE, error)) == NULL)
		return -1;
	case_bind_text(st, 1, m->sha256);
	if (m->raw_len > G_MAXINT) {
		g_set_error(error, CASE_ERROR, CASE_ERROR_FAILED,
		    "%s: storing a message: %" G_GSIZE_FORMAT " bytes is too "
		    "large", db->path, m->raw_len);
		return -1;
	}
	if (m->raw == NULL || m->raw_len == 0)
		sqlite3_bind_zeroblob(st, 2, 0);
	else
		sqlite3_bind_blob(st, 2, m->raw, (int)m->raw_len,
		    SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)m->raw_len);
	case_bind_text(st, 4, m->origin);
	case_bind_text(st, 5, m->env_sender);
	case_bind_text(st, 6, m->env_recipient);
	case_bind_text(st, 7, m->env_orig_recipient);
	sqlite3_bind_int64(st, 8, m->received_at);
	case_bind_text(st, 9, status);
	sqlite3_bind_int64(st, 10, m->orig_size > 0 ? m->orig_size :
	    (gint64)m->raw_len);
	case_bind_text(st, 11, m->orig_sha256);
	sqlite3_bind_int64(st, 12, case_now());
	if (!case_step_done(db, st, "storing a message", error))
		return -1;
	return sqlite3_last_insert_rowid(db->db);
}

gint64
case_finding_id(struct casedb *db, const struct finding *f)
{
	gint64 *id;

	if (f == NULL)
		return 0;
	id = g_hash_table_lookup(db->finding_ids, f);
	return id != NULL ? *id : 0;
}

static gboolean
store_finding(struct casedb *db, gint64 report_id, const struct finding *f,
    GError **error)
{
	sqlite3_stmt *st;
	gint64 *id;

	if ((st = case_stmt(db, STMT_INSERT_FINDING, error)) == NULL)
		return FALSE;
	sqlite3_bind_int64(st, 1, report_id);
	case_bind_text(st, 2, finding_kind_name(f->kind));
	case_bind_text(st, 3, f->value != NULL ? f->value : "");
	case_bind_text(st, 4, f->raw);
	case_bind_text(st, 5, finding_role_name(f->role));
	case_bind_text(st, 6, f->part);
	sqlite3_bind_int64(st, 7, (sqlite3_int64)f->offset);
	case_bind_text(st, 8, f->source);
	sqlite3_bind_int(st, 9, f->suppressed ? 1 : 0);
	case_bind_text(st, 10, f->suppress_why);
	/* 0 is "unknown": NULL, which the CHECK on the column allows. */
	if (f->port > 0 && f->port <= 65535)
		sqlite3_bind_int(st, 11, (int)f->port);
	case_bind_text(st, 12, f->observed_at);
	case_bind_text(st, 13, f->attrs);
	if (!case_step_done(db, st, "storing a finding", error))
		return FALSE;
	id = g_new(gint64, 1);
	*id = sqlite3_last_insert_rowid(db->db);
	g_hash_table_insert(db->finding_ids, (gpointer)f, id);
	return TRUE;
}

static gboolean
store_hit(struct casedb *db, gint64 report_id, const struct rule_hit *h,
    GError **error)
{
	sqlite3_stmt *st;

	if ((st = case_stmt(db, STMT_INSERT_HIT, error)) == NULL)
		return FALSE;
	sqlite3_bind_int64(st, 1, report_id);
	case_bind_text(st, 2, h->rule_id != NULL ? h->rule_id : "");
	case_bind_text(st, 3, h->part);
	sqlite3_bind_int64(st, 4, (sqlite3_int64)h->offset);
	sqlite3_bind_int64(st, 5, h->count);
	return case_step_done(db, st, "storing a rule hit", error);
}

static gboolean
store_ticket(struct casedb *db, gint64 report_id, const char *ticket,
    GError **error)
{
	sqlite3_stmt *st;

	if (ticket == NULL || *ticket == '\0')
		return TRUE;
	if ((st = case_stmt(db, STMT_INSERT_TICKET, error)) == NULL)
		return FALSE;
	sqlite3_bind_int64(st, 1, report_id);
	case_bind_text(st, 2, ticket);
	return case_step_done(db, st, "storing a ticket id", error);
}

/* update_message - copy the parsed summary onto the message row. */
static gboolean
update_message(struct casedb *db, gint64 msg_id, const struct report *r,
    GError **error)
{
	sqlite3_stmt *st;

	if ((st = case_stmt(db, STMT_UPDATE_MESSAGE_REPORT, error)) == NULL)
		return FALSE;
	sqlite3_bind_int64(st, 1, msg_id);
	case_bind_text(st, 2, report_kind_name(r->kind));
	case_bind_text(st, 3, r->format);
	case_bind_text(st, 4, r->subject);
	case_bind_text(st, 5, r->message_id);
	return case_step_done(db, st, "updating a message", error);
}

static char *
join_warnings(const struct report *r)
{
	GString *s;
	guint i;

	if (r->warnings == NULL || r->warnings->len == 0)
		return NULL;
	s = g_string_new(NULL);
	for (i = 0; i < r->warnings->len; i++) {
		if (i > 0)
			g_string_append_c(s, '\n');
		g_string_append(s, g_ptr_array_index(r->warnings, i));
	}
	return g_string_free(s, FALSE);
}

static gint64
insert_report(struct casedb *db, gint64 msg_id, const struct report *r,
    const struct verdict *v, GError **error)
{
	sqlite3_stmt *st;
	char *warnings;
	const char *category;
	gboolean ok;

	if ((st = case_stmt(db, STMT_INSERT_REPORT, error)) == NULL)
		return -1;
	category = v != NULL && v->category != NULL ? v->category :
	    r->category;
	warnings = join_warnings(r);
	sqlite3_bind_int64(st, 1, msg_id);
	case_bind_text(st, 2, report_kind_name(r->kind));
	case_bind_text(st, 3, r->format);
	case_bind_text(st, 4, r->subject);
	case_bind_text(st, 5, r->reporter);
	case_bind_text(st, 6, r->from);
	case_bind_text(st, 7, category);
	case_bind_text(st, 8, r->case_tag);
	case_bind_text(st, 9, r->in_reply_to);
	case_bind_text(st, 10, v != NULL ? v->rules_version : NULL);
	sqlite3_bind_int64(st, 11, v != NULL ? v->rule_errors : 0);
	sqlite3_bind_int(st, 12, v != NULL && v->ignore ? 1 : 0);
	case_bind_text(st, 13, warnings);
	sqlite3_bind_int64(st, 14, case_now());
	case_bind_text(st, 15, r->taxonomy);
	case_bind_text(st, 16, r->event_time);
	case_bind_text(st, 17, r->tlp);
	ok = case_step_done(db, st, "storing a report", error);
	g_free(warnings);
	return ok ? sqlite3_last_insert_rowid(db->db) : -1;
}

gint64
casedb_store_report(struct casedb *db, gint64 msg_id,
    const struct report *r, const struct verdict *v, GError **error)
{
	gint64 report_id;
	guint i;

	g_return_val_if_fail(db != NULL && r != NULL, -1);
	g_return_val_if_fail(error == NULL || *error == NULL, -1);

	if ((report_id = insert_report(db, msg_id, r, v, error)) < 0)
		return -1;
	if (!update_message(db, msg_id, r, error))
		return -1;
	for (i = 0; r->findings != NULL && i < r->findings->len; i++)
		if (!store_finding(db, report_id,
		    g_ptr_array_index(r->findings, i), error))
			return -1;
	for (i = 0; r->tickets != NULL && i < r->tickets->len; i++)
		if (!store_ticket(db, report_id,
		    g_ptr_array_index(r->tickets, i), error))
			return -1;
	for (i = 0; v != NULL && v->hits != NULL && i < v->hits->len; i++)
		if (!store_hit(db, report_id, g_ptr_array_index(v->hits, i),
		    error))
			return -1;
	return report_id;
}

gboolean
casedb_event(struct casedb *db, gint64 msg_id, gint64 case_id,
    const char *kind, const char *detail, GError **error)
{
	sqlite3_stmt *st;

	g_return_val_if_fail(db != NULL && kind != NULL, FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	if ((st = case_stmt(db, STMT_INSERT_EVENT, error)) == NULL)
		return FALSE;
	sqlite3_bind_int64(st, 1, case_now());
	case_bind_id(st, 2, msg_id);
	case_bind_id(st, 3, case_id);
	case_bind_text(st, 4, kind);
	case_bind_text(st, 5, detail);
	return case_step_done(db, st, "recording an event", error);
}
