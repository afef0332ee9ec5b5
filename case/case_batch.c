/*
 * case_batch.c: takedown batches, the aggregation windows and dedup of
 * issue 5.
 *
 * A row of `batches` is one takedown request to one contact for one
 * category.  While notification_id is NULL the batch is pending and
 * collects findings (batch_findings, each with its case and its Cc
 * copies) until due_at; then the pipeline renders it and
 * casedb_batch_sent() ties it to the notification.  Requests rendered at
 * once (window 0) are recorded as batches sent at once, so the dedup
 * query has one place to look: a finding of the same kind and value in
 * a batch of the same contact, pending or sent since a time.  A
 * duplicate is not sent again but linked (finding_links) to that batch.
 *
 * Defines casedb_batch_add(), casedb_batch_find_duplicate(),
 * casedb_batch_link_duplicate(), casedb_batch_record_sent(),
 * casedb_batch_list(), casedb_batch_load(), casedb_batch_sent(),
 * casedb_batch_next_due() and case_batch_free().  Times are passed in by
 * the caller.  The statements run for every routed finding are the
 * cached ones of case_db.c (case_stmt); the flush and listing queries
 * are one-off (case_prepare).
 */
#include "config.h"

#include <string.h>

#include "case/case_int.h"

void
case_batch_free(gpointer p)
{
	struct case_batch *b = p;
	struct case_batch_item *it;
	guint i;

	if (b == NULL)
		return;
	for (i = 0; b->items != NULL && i < b->items->len; i++) {
		it = g_ptr_array_index(b->items, i);
		g_free(it->case_tag);
		g_free(it->kind);
		g_free(it->value);
		g_free(it->part);
		g_free(it->cc);
		g_free(it->reporter);
		g_free(it->subject);
		g_free(it->message_id);
		g_free(it->observed_at);
		g_free(it);
	}
	if (b->items != NULL)
		g_ptr_array_unref(b->items);
	g_free(b->contact_id);
	g_free(b->contact_name);
	g_free(b->contact_language);
	g_free(b->contact_format);
	g_free(b->error);
	g_free(b->address);
	g_free(b->category);
	g_free(b);
}

/* col_dup - a text column, or NULL */
static char *
col_dup(sqlite3_stmt *st, int col)
{
	const unsigned char *s = sqlite3_column_text(st, col);

	return s != NULL ? g_strdup((const char *)s) : NULL;
}

/* step_free - steps a statement without rows, then finalizes it */
static gboolean
step_free(struct casedb *db, sqlite3_stmt *st, const char *what,
    GError **error)
{
	gboolean ok = case_step_done(db, st, what, error);

	sqlite3_finalize(st);
	return ok;
}

/* open_batch_id - the pending batch of (contact, category): 1, 0, -1.
 * A failed batch takes no more findings: it waits for an analyst, with
 * the address that failed, while new findings go in a new batch. */
static int
open_batch_id(struct casedb *db, const char *contact_id,
    const char *category, gint64 *id_r, GError **error)
{
	sqlite3_stmt *st;

	if ((st = case_stmt(db, STMT_BATCH_OPEN, error)) == NULL)
		return -1;
	case_bind_text(st, 1, contact_id);
	case_bind_text(st, 2, category);
	return case_step_int64(db, st, "looking up an open batch", id_r,
	    error);
}

/* new_batch - inserts a batch row; sent_at < 0: pending */
static gint64
new_batch(struct casedb *db, const struct contact *c, const char *address,
    const char *category, gint64 now, gint64 due, GError **error)
{
	sqlite3_stmt *st;

	if ((st = case_stmt(db, STMT_BATCH_NEW, error)) == NULL)
		return -1;
	case_bind_text(st, 1, c->id);
	case_bind_text(st, 2, c->name);
	case_bind_text(st, 3, c->language);
	case_bind_text(st, 4, address);
	case_bind_text(st, 5, category != NULL ? category : "");
	sqlite3_bind_int64(st, 6, now);
	sqlite3_bind_int64(st, 7, due);
	case_bind_text(st, 8, contact_format_name(c->format));
	if (!case_step_done(db, st, "opening a batch", error))
		return -1;
	return sqlite3_last_insert_rowid(db->db);
}

static gboolean
add_item(struct casedb *db, gint64 batch_id, gint64 finding_id,
    gint64 case_id, const char *cc, GError **error)
{
	sqlite3_stmt *st;

	if ((st = case_stmt(db, STMT_BATCH_ADD, error)) == NULL)
		return FALSE;
	sqlite3_bind_int64(st, 1, batch_id);
	sqlite3_bind_int64(st, 2, finding_id);
	sqlite3_bind_int64(st, 3, case_id);
	case_bind_text(st, 4, cc != NULL && *cc != '\0' ? cc : NULL);
	return case_step_done(db, st, "adding a finding to a batch", error);
}

/* stored_id - the findings.id of f stored in this transaction */
static gint64
stored_id(struct casedb *db, const struct finding *f, GError **error)
{
	gint64 id = case_finding_id(db, f);

	if (id == 0)
		g_set_error(error, CASE_ERROR, CASE_ERROR_NOT_FOUND,
		    "%s: batching: finding %s was not stored in this "
		    "transaction", db->path, f->value);
	return id;
}

gint64
casedb_batch_add(struct casedb *db, const struct contact *c,
    const char *category, const struct finding *f, gint64 case_id,
    const char *cc, gint64 now, guint window, GError **error)
{
	gint64 batch_id = 0, fid;
	int rc;

	g_return_val_if_fail(db != NULL && c != NULL && f != NULL, -1);
	g_return_val_if_fail(error == NULL || *error == NULL, -1);

	if (category == NULL)
		category = "";
	if ((fid = stored_id(db, f, error)) == 0)
		return -1;
	if ((rc = open_batch_id(db, c->id, category, &batch_id, error)) < 0)
		return -1;
	if (rc == 0 && (batch_id = new_batch(db, c, c->email, category, now,
	    now + window, error)) < 0)
		return -1;
	if (!add_item(db, batch_id, fid, case_id, cc, error))
		return -1;
	return batch_id;
}

int
casedb_batch_find_duplicate(struct casedb *db, const struct contact *c,
    const struct finding *f, gint64 since, gint64 *batch_id_r,
    GError **error)
{
	sqlite3_stmt *st;

	g_return_val_if_fail(db != NULL && c != NULL && f != NULL, -1);
	g_return_val_if_fail(error == NULL || *error == NULL, -1);

	if ((st = case_stmt(db, STMT_BATCH_DUPLICATE, error)) == NULL)
		return -1;
	case_bind_text(st, 1, f->value);
	case_bind_text(st, 2, finding_kind_name(f->kind));
	case_bind_text(st, 3, c->id);
	sqlite3_bind_int64(st, 4, since);
	return case_step_int64(db, st, "looking for a duplicate takedown",
	    batch_id_r, error);
}

gboolean
casedb_batch_link_duplicate(struct casedb *db, const struct contact *c,
    const struct finding *f, gint64 case_id, gint64 batch_id, gint64 now,
    GError **error)
{
	sqlite3_stmt *st;
	gint64 fid;
	char *detail;
	gboolean ok;

	g_return_val_if_fail(db != NULL && c != NULL && f != NULL, FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	if ((fid = stored_id(db, f, error)) == 0)
		return FALSE;
	if ((st = case_stmt(db, STMT_BATCH_LINK, error)) == NULL)
		return FALSE;
	sqlite3_bind_int64(st, 1, fid);
	case_bind_id(st, 2, case_id);
	case_bind_text(st, 3, c->id);
	sqlite3_bind_int64(st, 4, batch_id);
	sqlite3_bind_int64(st, 5, now);
	if (!case_step_done(db, st, "linking a duplicate finding", error))
		return FALSE;
	detail = g_strdup_printf("%s %.200s already sent to %.100s "
	    "(batch %" G_GINT64_FORMAT ")", finding_kind_name(f->kind),
	    f->value, c->id, batch_id);
	ok = casedb_event(db, 0, case_id, "duplicate", detail, error);
	g_free(detail);
	return ok;
}

/* notification_id - notifications.id by Message-ID: 1, 0, -1 */
static int
notification_id(struct casedb *db, const char *msgid, gint64 *id_r,
    GError **error)
{
	sqlite3_stmt *st;
	int rc;

	if ((st = case_stmt(db, STMT_BATCH_NOTIFICATION, error)) == NULL)
		return -1;
	case_bind_text(st, 1, msgid);
	rc = case_step_int64(db, st, "looking up a notification", id_r,
	    error);
	if (rc == 0)
		g_set_error(error, CASE_ERROR, CASE_ERROR_NOT_FOUND,
		    "%s: no notification <%s>", db->path, msgid);
	return rc;
}

/* mark_sent - notification and sent time of a batch */
static gboolean
mark_sent(struct casedb *db, gint64 batch_id, gint64 notif_id, gint64 now,
    GError **error)
{
	sqlite3_stmt *st;

	if ((st = case_stmt(db, STMT_BATCH_MARK_SENT, error)) == NULL)
		return FALSE;
	sqlite3_bind_int64(st, 1, batch_id);
	sqlite3_bind_int64(st, 2, notif_id);
	sqlite3_bind_int64(st, 3, now);
	return case_step_done(db, st, "marking a batch sent", error);
}

gboolean
casedb_batch_record_sent(struct casedb *db, gint64 case_id,
    const char *category, const struct notification *n, gint64 now,
    GError **error)
{
	gint64 batch_id, notif_id, fid;
	guint i;

	g_return_val_if_fail(db != NULL && n != NULL, FALSE);
	g_return_val_if_fail(n->contact != NULL, FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	if (notification_id(db, n->message_id, &notif_id, error) != 1)
		return FALSE;
	if ((batch_id = new_batch(db, n->contact, n->to, category, now, now,
	    error)) < 0)
		return FALSE;
	for (i = 0; n->findings != NULL && i < n->findings->len; i++) {
		if ((fid = case_finding_id(db,
		    g_ptr_array_index(n->findings, i))) == 0)
			continue;
		if (!add_item(db, batch_id, fid, case_id, NULL, error))
			return FALSE;
	}
	return mark_sent(db, batch_id, notif_id, now, error);
}

/* batch_row - struct case_batch from the columns of LIST_SQL */
static struct case_batch *
batch_row(sqlite3_stmt *st)
{
	struct case_batch *b = g_new0(struct case_batch, 1);

	b->id = sqlite3_column_int64(st, 0);
	b->contact_id = col_dup(st, 1);
	b->contact_name = col_dup(st, 2);
	b->contact_language = col_dup(st, 3);
	b->address = col_dup(st, 4);
	b->category = col_dup(st, 5);
	b->opened_at = sqlite3_column_int64(st, 6);
	b->due_at = sqlite3_column_int64(st, 7);
	b->findings = (guint)sqlite3_column_int64(st, 8);
	b->contact_format = col_dup(st, 9);
	b->error = col_dup(st, 10);
	return b;
}

#define LIST_SQL							\
	"SELECT b.id, b.contact_id, b.contact_name, b.contact_language, "\
	"b.address, b.category, b.opened_at, b.due_at, "		\
	"(SELECT count(*) FROM batch_findings bf WHERE bf.batch_id = b.id), "\
	"b.contact_format, b.error "					\
	"FROM batches b WHERE b.notification_id IS NULL "

gboolean
casedb_batch_list(struct casedb *db, gint64 due, GPtrArray *out,
    GError **error)
{
	sqlite3_stmt *st;
	int rc;

	g_return_val_if_fail(db != NULL && out != NULL, FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	if ((st = case_prepare(db, LIST_SQL "AND b.due_at <= ?1 "
	    "ORDER BY b.due_at, b.id", error)) == NULL)
		return FALSE;
	sqlite3_bind_int64(st, 1, due);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		g_ptr_array_add(out, batch_row(st));
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return case_sqlite_error(db, rc, "listing batches", error);
	return TRUE;
}

/* load_items - the findings of batch b, first case first */
static gboolean
load_items(struct casedb *db, struct case_batch *b, GError **error)
{
	sqlite3_stmt *st;
	struct case_batch_item *it;
	int rc;

	if ((st = case_prepare(db, "SELECT bf.finding_id, bf.case_id, "
	    "c.tag, f.kind, f.value, f.part, bf.cc, "
	    "coalesce(r.reporter, r.from_addr), r.subject, m.message_id_hdr, "
	    "m.received_at, f.port, f.observed_at FROM batch_findings bf "
	    "JOIN findings f ON f.id = bf.finding_id "
	    "JOIN cases c ON c.id = bf.case_id "
	    "JOIN reports r ON r.id = f.report_id "
	    "JOIN messages m ON m.id = r.message_id "
	    "WHERE bf.batch_id = ?1 ORDER BY bf.case_id, bf.finding_id",
	    error)) == NULL)
		return FALSE;
	sqlite3_bind_int64(st, 1, b->id);
	b->items = g_ptr_array_new();
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		it = g_new0(struct case_batch_item, 1);
		it->finding_id = sqlite3_column_int64(st, 0);
		it->case_id = sqlite3_column_int64(st, 1);
		it->case_tag = col_dup(st, 2);
		it->kind = col_dup(st, 3);
		it->value = col_dup(st, 4);
		it->part = col_dup(st, 5);
		it->cc = col_dup(st, 6);
		it->reporter = col_dup(st, 7);
		it->subject = col_dup(st, 8);
		it->message_id = col_dup(st, 9);
		it->received_at = sqlite3_column_int64(st, 10);
		it->port = (guint)sqlite3_column_int(st, 11);
		it->observed_at = col_dup(st, 12);
		g_ptr_array_add(b->items, it);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return case_sqlite_error(db, rc, "loading a batch", error);
	return TRUE;
}

int
casedb_batch_load(struct casedb *db, gint64 id, struct case_batch **b_r,
    GError **error)
{
	sqlite3_stmt *st;
	struct case_batch *b = NULL;
	int rc;

	g_return_val_if_fail(db != NULL && b_r != NULL, -1);
	g_return_val_if_fail(error == NULL || *error == NULL, -1);

	*b_r = NULL;
	if ((st = case_prepare(db, LIST_SQL "AND b.id = ?1", error)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW)
		b = batch_row(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		case_sqlite_error(db, rc, "loading a batch", error);
		return -1;
	}
	if (b == NULL)
		return 0;
	if (!load_items(db, b, error)) {
		case_batch_free(b);
		return -1;
	}
	*b_r = b;
	return 1;
}

gboolean
casedb_batch_sent(struct casedb *db, gint64 id, const char *message_id,
    gint64 now, GError **error)
{
	sqlite3_stmt *st;
	gint64 notif_id;
	int rc;

	g_return_val_if_fail(db != NULL && message_id != NULL, FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	if (notification_id(db, message_id, &notif_id, error) != 1)
		return FALSE;
	if (!mark_sent(db, id, notif_id, now, error))
		return FALSE;
	if ((st = case_prepare(db, "INSERT OR IGNORE INTO "
	    "notification_findings (notification_id, finding_id) "
	    "SELECT ?1, finding_id FROM batch_findings WHERE batch_id = ?2",
	    error)) == NULL)
		return FALSE;
	sqlite3_bind_int64(st, 1, notif_id);
	sqlite3_bind_int64(st, 2, id);
	if (!step_free(db, st, "linking batched findings", error))
		return FALSE;
	/* one event per case, telling which request carried its findings */
	if ((st = case_prepare(db, "INSERT INTO events (at, case_id, kind, "
	    "detail) SELECT DISTINCT ?1, case_id, 'takedown-batched', ?2 "
	    "FROM batch_findings WHERE batch_id = ?3", error)) == NULL)
		return FALSE;
	sqlite3_bind_int64(st, 1, now);
	case_bind_text(st, 2, message_id);
	sqlite3_bind_int64(st, 3, id);
	rc = step_free(db, st, "recording batched takedowns", error);
	return rc;
}

int
casedb_batch_next_due(struct casedb *db, gint64 *due_r, GError **error)
{
	sqlite3_stmt *st;
	int rc;

	g_return_val_if_fail(db != NULL, -1);
	g_return_val_if_fail(error == NULL || *error == NULL, -1);

	/* not the failed ones: the daemon does not flush them, and one
	 * due in the past would wake it every second */
	if ((st = case_prepare(db, "SELECT min(due_at) FROM batches WHERE "
	    "notification_id IS NULL AND error IS NULL HAVING count(*) > 0",
	    error)) == NULL)
		return -1;
	rc = case_step_int64(db, st, "looking up the next due batch", due_r,
	    error);
	sqlite3_finalize(st);
	return rc;
}

gboolean
casedb_batch_fail(struct casedb *db, gint64 id, const char *why, gint64 now,
    GError **error)
{
	sqlite3_stmt *st;

	if ((st = case_prepare(db, "UPDATE batches SET failed_at = ?2, "
	    "error = ?3 WHERE id = ?1 AND notification_id IS NULL",
	    error)) == NULL)
		return FALSE;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, now);
	case_bind_text(st, 3, why);
	return step_free(db, st, "marking a batch failed", error);
}
