/*
 * case_case.c: cases and what hangs off them: opening a case, finding the
 * case a reply or bounce belongs to, linking messages, routes and
 * notifications.
 *
 * Defines casedb_open_case(), casedb_find_case(), casedb_link_message(),
 * casedb_store_routes(), casedb_store_notification() and
 * casedb_notification_exists().  All run inside the caller's transaction.
 * Message-IDs are stored and compared without their angle brackets.
 */
#include "config.h"

#include <string.h>

#include "case/case_int.h"

gint64
casedb_open_case(struct casedb *db, gint64 msg_id, const char *category,
    char **tag_r, GError **error)
{
	sqlite3_stmt *st;
	gint64 case_id;
	char *tag;

	g_return_val_if_fail(db != NULL, -1);
	g_return_val_if_fail(error == NULL || *error == NULL, -1);

	if ((st = case_stmt(db, STMT_INSERT_CASE, error)) == NULL)
		return -1;
	case_bind_text(st, 1, category);
	sqlite3_bind_int64(st, 2, case_now());
	case_bind_id(st, 3, msg_id);
	if (!case_step_done(db, st, "opening a case", error))
		return -1;
	case_id = sqlite3_last_insert_rowid(db->db);

	/* The tag comes from the row id: unique without a counter table. */
	tag = g_strdup_printf("CASE-%06" G_GINT64_FORMAT, case_id);
	if ((st = case_stmt(db, STMT_SET_CASE_TAG, error)) == NULL)
		goto fail;
	sqlite3_bind_int64(st, 1, case_id);
	case_bind_text(st, 2, tag);
	if (!case_step_done(db, st, "tagging a case", error))
		goto fail;
	if (msg_id > 0 &&
	    !casedb_link_message(db, case_id, msg_id, "abuse", error))
		goto fail;
	if (!casedb_event(db, msg_id, case_id, "case-opened", tag, error))
		goto fail;
	if (tag_r != NULL)
		*tag_r = tag;
	else
		g_free(tag);
	return case_id;
fail:
	g_free(tag);
	return -1;
}

static int
find_by_tag(struct casedb *db, const char *tag, gint64 *case_id_r,
    GError **error)
{
	sqlite3_stmt *st;

	if ((st = case_stmt(db, STMT_FIND_CASE_TAG, error)) == NULL)
		return -1;
	case_bind_text(st, 1, tag);
	return case_step_int64(db, st, "looking up a case tag", case_id_r,
	    error);
}

static int
find_by_msgid(struct casedb *db, const char *msgid, gint64 *case_id_r,
    GError **error)
{
	sqlite3_stmt *st;

	if ((st = case_stmt(db, STMT_FIND_NOTIFICATION_MSGID, error)) == NULL)
		return -1;
	case_bind_text(st, 1, msgid);
	return case_step_int64(db, st, "looking up a notification",
	    case_id_r, error);
}

/* next_msgid - the next "<...>" of a References value, NUL-terminated in
 * buf (without brackets); NULL at the end.  Ids that are empty or longer
 * than CASE_MAX_MSGID are skipped. */
static const char *
next_msgid(const char **pp, char *buf)
{
	const char *p = *pp, *lt, *gt;
	gsize n;

	for (;;) {
		if ((lt = strchr(p, '<')) == NULL)
			return NULL;
		if ((gt = strchr(lt + 1, '>')) == NULL)
			return NULL;
		p = gt + 1;
		n = (gsize)(gt - lt - 1);
		if (n == 0 || n > CASE_MAX_MSGID)
			continue;
		memcpy(buf, lt + 1, n);
		buf[n] = '\0';
		*pp = p;
		return buf;
	}
}

int
casedb_find_case(struct casedb *db, const struct report *r,
    gint64 *case_id_r, GError **error)
{
	char buf[CASE_MAX_MSGID + 1];
	const char *p, *id;
	guint n;
	int ret;

	g_return_val_if_fail(db != NULL && r != NULL, -1);
	g_return_val_if_fail(error == NULL || *error == NULL, -1);

	if (r->case_tag != NULL &&
	    (ret = find_by_tag(db, r->case_tag, case_id_r, error)) != 0)
		return ret;
	if ((p = r->in_reply_to) != NULL && strchr(p, '<') != NULL)
		id = next_msgid(&p, buf);	/* brackets left in: tolerate */
	else
		id = p;
	if (id != NULL && id[0] != '\0' &&
	    (ret = find_by_msgid(db, id, case_id_r, error)) != 0)
		return ret;
	if ((p = r->references) == NULL)
		return 0;
	for (n = 0; n < CASE_MAX_REFERENCES &&
	    (id = next_msgid(&p, buf)) != NULL; n++)
		if ((ret = find_by_msgid(db, id, case_id_r, error)) != 0)
			return ret;
	return 0;
}

gboolean
casedb_link_message(struct casedb *db, gint64 case_id, gint64 msg_id,
    const char *kind, GError **error)
{
	sqlite3_stmt *st;

	g_return_val_if_fail(db != NULL && kind != NULL, FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	if ((st = case_stmt(db, STMT_LINK_MESSAGE, error)) == NULL)
		return FALSE;
	sqlite3_bind_int64(st, 1, case_id);
	sqlite3_bind_int64(st, 2, msg_id);
	case_bind_text(st, 3, kind);
	sqlite3_bind_int64(st, 4, case_now());
	return case_step_done(db, st, "linking a message to a case", error);
}

gboolean
casedb_store_routes(struct casedb *db, gint64 case_id,
    const struct route_result *res, GError **error)
{
	sqlite3_stmt *st;
	guint i;

	g_return_val_if_fail(db != NULL && res != NULL, FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	for (i = 0; res->routes != NULL && i < res->routes->len; i++) {
		const struct route *rt = g_ptr_array_index(res->routes, i);
		const struct contact *c = rt->contact;

		if ((st = case_stmt(db, STMT_INSERT_ROUTE, error)) == NULL)
			return FALSE;
		sqlite3_bind_int64(st, 1, case_id);
		case_bind_id(st, 2, case_finding_id(db, rt->finding));
		case_bind_text(st, 3, c != NULL ? c->id : NULL);
		case_bind_text(st, 4, c != NULL ? c->email : NULL);
		case_bind_text(st, 5, rt->country);
		case_bind_text(st, 6, rt->reason);
		sqlite3_bind_int(st, 7, c == NULL ? 1 : 0);
		if (!case_step_done(db, st, "storing a route", error))
			return FALSE;
	}
	return TRUE;
}

gboolean
casedb_store_notification(struct casedb *db, gint64 case_id,
    const struct notification *n, GError **error)
{
	sqlite3_stmt *st;
	gint64 notif_id, fid;
	guint i;

	g_return_val_if_fail(db != NULL && n != NULL, FALSE);
	g_return_val_if_fail(n->to != NULL && n->message_id != NULL, FALSE);
	g_return_val_if_fail(n->file != NULL, FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	if ((st = case_stmt(db, STMT_INSERT_NOTIFICATION, error)) == NULL)
		return FALSE;
	sqlite3_bind_int64(st, 1, case_id);
	case_bind_text(st, 2, n->contact != NULL ? n->contact->id : NULL);
	case_bind_text(st, 3, n->to);
	case_bind_text(st, 4, n->subject);
	case_bind_text(st, 5, n->message_id);
	case_bind_text(st, 6, n->file);
	sqlite3_bind_int64(st, 7, case_now());
	if (!case_step_done(db, st, "storing a notification", error))
		return FALSE;
	notif_id = sqlite3_last_insert_rowid(db->db);

	for (i = 0; n->findings != NULL && i < n->findings->len; i++) {
		if ((fid = case_finding_id(db,
		    g_ptr_array_index(n->findings, i))) == 0)
			continue;	/* not stored in this transaction */
		st = case_stmt(db, STMT_INSERT_NOTIFICATION_FINDING, error);
		if (st == NULL)
			return FALSE;
		sqlite3_bind_int64(st, 1, notif_id);
		sqlite3_bind_int64(st, 2, fid);
		if (!case_step_done(db, st, "storing a notified finding",
		    error))
			return FALSE;
	}
	return TRUE;
}

int
casedb_notification_exists(struct casedb *db, const char *file,
    GError **error)
{
	sqlite3_stmt *st;

	g_return_val_if_fail(db != NULL && file != NULL, -1);
	g_return_val_if_fail(error == NULL || *error == NULL, -1);

	if ((st = case_stmt(db, STMT_NOTIFICATION_EXISTS, error)) == NULL)
		return -1;
	case_bind_text(st, 1, file);
	return case_step_int64(db, st, "looking up an outbox file", NULL,
	    error);
}
