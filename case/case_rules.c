/*
 * case_rules.c: what the case database knows about the rules: the
 * differences a shadow (candidate) rule set would have made, and how
 * often each rule fired.
 *
 * Defines casedb_store_shadow_diffs(), casedb_shadow_report(),
 * casedb_rule_stats(), case_rule_stat_free() and casedb_reports_since().
 * The shadow differences are written in their own transaction, after
 * the message's own commit: a failure there loses a diagnostic, never a
 * report.  The rest only reads.
 */
#include "config.h"

#include <string.h>

#include "case/case_int.h"

/* Longest side of a difference shown in a report, in characters. */
#define SHADOW_SIDE_CHARS	200

static const char insert_diff_sql[] =
	"INSERT INTO shadow_diffs (at, message_id, live_version,"
	" shadow_version, kind, live, shadow)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";

gboolean
casedb_store_shadow_diffs(struct casedb *db, gint64 msg_id,
    const char *live_version, const char *shadow_version,
    const GPtrArray *diffs, GError **error)
{
	sqlite3_stmt *st;
	gint64 now = case_now();
	guint i;

	g_return_val_if_fail(db != NULL && diffs != NULL, FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	if (diffs->len == 0)
		return TRUE;
	if (!casedb_begin(db, error))
		return FALSE;
	if ((st = case_prepare(db, insert_diff_sql, error)) == NULL)
		goto fail;
	for (i = 0; i < diffs->len; i++) {
		const struct case_shadow_diff *d =
		    g_ptr_array_index(diffs, i);

		sqlite3_bind_int64(st, 1, now);
		case_bind_id(st, 2, msg_id);
		case_bind_text(st, 3, live_version);
		case_bind_text(st, 4, shadow_version);
		case_bind_text(st, 5, d->kind);
		case_bind_text(st, 6, d->live);
		case_bind_text(st, 7, d->shadow);
		if (!case_step_done(db, st, "storing a shadow difference",
		    error)) {
			sqlite3_finalize(st);
			goto fail;
		}
	}
	sqlite3_finalize(st);
	return casedb_commit(db, error);
fail:
	casedb_rollback(db);
	return FALSE;
}

static const char report_sql[] =
	"SELECT d.message_id, d.at, d.kind, d.live, d.shadow,"
	" d.shadow_version, m.subject"
	" FROM shadow_diffs d LEFT JOIN messages m ON m.id = d.message_id"
	" WHERE d.at >= ?1 ORDER BY d.message_id, d.id";

static void
append_side(GString *out, const unsigned char *s)
{
	if (s == NULL)
		g_string_append(out, "-");
	else
		case_text_append_safe(out, (const char *)s,
		    SHADOW_SIDE_CHARS);
}

gboolean
casedb_shadow_report(struct casedb *db, gint64 since, GString *out,
    GError **error)
{
	GHashTable *per_kind = g_hash_table_new_full(g_str_hash, g_str_equal,
	    g_free, NULL);
	gpointer v;
	sqlite3_stmt *st;
	gint64 last_msg = -1, n = 0;
	int rc;

	g_return_val_if_fail(db != NULL && out != NULL, FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	if ((st = case_prepare(db, report_sql, error)) == NULL) {
		g_hash_table_unref(per_kind);
		return FALSE;
	}
	sqlite3_bind_int64(st, 1, since);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		gint64 msg = sqlite3_column_int64(st, 0);
		const char *kind = (const char *)sqlite3_column_text(st, 2);

		if (msg != last_msg) {
			g_string_append_printf(out, "message %" G_GINT64_FORMAT
			    " at ", msg);
			case_text_append_time(out,
			    sqlite3_column_int64(st, 1));
			g_string_append(out, " shadow ");
			append_side(out, sqlite3_column_text(st, 5));
			g_string_append(out, ": ");
			append_side(out, sqlite3_column_text(st, 6));
			g_string_append_c(out, '\n');
			last_msg = msg;
		}
		g_string_append_printf(out, "  %s: ", kind);
		append_side(out, sqlite3_column_text(st, 3));
		g_string_append(out, " -> ");
		append_side(out, sqlite3_column_text(st, 4));
		g_string_append_c(out, '\n');
		v = g_hash_table_lookup(per_kind, kind);
		g_hash_table_replace(per_kind, g_strdup(kind),
		    GINT_TO_POINTER(GPOINTER_TO_INT(v) + 1));
		n++;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		g_hash_table_unref(per_kind);
		return case_sqlite_error(db, rc, "reading shadow differences",
		    error);
	}
	if (n == 0) {
		g_string_append(out, "no differences\n");
	} else {
		GList *keys = g_list_sort(g_hash_table_get_keys(per_kind),
		    (GCompareFunc)strcmp), *l;

		g_string_append_printf(out, "%" G_GINT64_FORMAT
		    " difference(s):", n);
		for (l = keys; l != NULL; l = l->next)
			g_string_append_printf(out, " %s=%d",
			    (const char *)l->data, GPOINTER_TO_INT(
			    g_hash_table_lookup(per_kind, l->data)));
		g_string_append_c(out, '\n');
		g_list_free(keys);
	}
	g_hash_table_unref(per_kind);
	return TRUE;
}

static const char stats_sql[] =
	"SELECT h.rule_id, count(DISTINCT h.report_id), sum(h.count),"
	" max(r.created_at)"
	" FROM rule_hits h JOIN reports r ON r.id = h.report_id"
	" WHERE r.created_at >= ?1"
	" GROUP BY h.rule_id ORDER BY 2 DESC, h.rule_id";

gboolean
casedb_rule_stats(struct casedb *db, gint64 since, GPtrArray *out,
    GError **error)
{
	sqlite3_stmt *st;
	int rc;

	g_return_val_if_fail(db != NULL && out != NULL, FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	if ((st = case_prepare(db, stats_sql, error)) == NULL)
		return FALSE;
	sqlite3_bind_int64(st, 1, since);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct case_rule_stat *s = g_new0(struct case_rule_stat, 1);

		s->rule_id = g_strdup((const char *)sqlite3_column_text(st,
		    0));
		s->reports = sqlite3_column_int64(st, 1);
		s->matches = sqlite3_column_int64(st, 2);
		s->last_at = sqlite3_column_int64(st, 3);
		g_ptr_array_add(out, s);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return case_sqlite_error(db, rc, "reading rule hits", error);
	return TRUE;
}

void
case_rule_stat_free(gpointer p)
{
	struct case_rule_stat *s = p;

	if (s == NULL)
		return;
	g_free(s->rule_id);
	g_free(s);
}

gint64
casedb_reports_since(struct casedb *db, gint64 since, GError **error)
{
	sqlite3_stmt *st;
	gint64 n = 0;

	g_return_val_if_fail(db != NULL, -1);
	if ((st = case_prepare(db, "SELECT count(*) FROM reports"
	    " WHERE created_at >= ?1", error)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, since);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

gboolean
casedb_rule_errors_since(struct casedb *db, gint64 since, gint64 *reports_r,
    gint64 *errors_r, GError **error)
{
	sqlite3_stmt *st;

	g_return_val_if_fail(db != NULL, FALSE);
	*reports_r = *errors_r = 0;
	if ((st = case_prepare(db, "SELECT count(*), total(rule_errors) "
	    "FROM reports WHERE rule_errors > 0 AND created_at >= ?1",
	    error)) == NULL)
		return FALSE;
	sqlite3_bind_int64(st, 1, since);
	if (sqlite3_step(st) == SQLITE_ROW) {
		*reports_r = sqlite3_column_int64(st, 0);
		*errors_r = (gint64)sqlite3_column_double(st, 1);
	}
	sqlite3_finalize(st);
	return TRUE;
}
