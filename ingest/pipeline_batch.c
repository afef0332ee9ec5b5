/*
 * pipeline_batch.c: aggregation windows and dedup of takedown requests
 * (pipeline_batch.h), and the flush of due batches.
 *
 * Defines batch_policy_new(), batch_policy_free(), batch_policy_window(),
 * batch_policy_dedup(), batch_handle_case() and batch_flush().  The
 * storage is case/case_batch.c; the rendering of a batch is
 * notify/notify_batch.c.  A batch is flushed like a message is
 * processed: BEGIN, render into outbox/tmp, store the notification and
 * mark the batch sent, COMMIT, then publish into outbox/new; a crash
 * between COMMIT and publish is repaired by pipeline_recover_outbox()
 * since the file is known to the database.
 */
#include "config.h"

#include <string.h>
#include <unistd.h>

#include "ingest/ingest.h"
#include "ingest/ini.h"
#include "ingest/pipeline_batch.h"

struct batch_policy {
	guint		 window, dedup;
	GHashTable	*windows;	/* category -> seconds + 1 */
	GHashTable	*dedups;
};

/* parse_overrides - "phishing=10m, spam=0" into tab; FALSE with the
 * key and the entry named on a bad entry or a value over max */
static gboolean
parse_overrides(const struct config *cfg, const char *key, const char *s,
    unsigned long long max, GHashTable *tab, GError **error)
{
	char **entries, *eq, *cat, *val;
	unsigned long long secs;
	gboolean ok = TRUE;
	guint i;

	if (s == NULL)
		return TRUE;
	entries = g_strsplit(s, ",", -1);
	for (i = 0; ok && entries[i] != NULL; i++) {
		char *e = g_strstrip(entries[i]);

		if (*e == '\0')
			continue;
		eq = strchr(e, '=');
		cat = eq != NULL ? g_strstrip(g_strndup(e, eq - e)) : NULL;
		val = eq != NULL ? g_strstrip(g_strdup(eq + 1)) : NULL;
		if (cat == NULL || *cat == '\0' ||
		    ini_parse_duration(val, &secs) != 0 || secs > max) {
			g_set_error(error, INGEST_ERROR, INGEST_ERROR_CONFIG,
			    "%s: [notify] %s: bad entry \"%.100s\" (want "
			    "category=duration, at most %llus)",
			    cfg->file != NULL ? cfg->file : "config", key, e,
			    max);
			ok = FALSE;
			g_free(cat);
		} else {
			g_hash_table_replace(tab, cat,
			    GUINT_TO_POINTER((guint)secs + 1));
		}
		g_free(val);
	}
	g_strfreev(entries);
	return ok;
}

struct batch_policy *
batch_policy_new(const struct config *cfg, GError **error)
{
	struct batch_policy *pol = g_new0(struct batch_policy, 1);

	g_return_val_if_fail(error == NULL || *error == NULL, NULL);
	pol->window = cfg->window;
	pol->dedup = cfg->dedup;
	pol->windows = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
	    NULL);
	pol->dedups = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
	    NULL);
	/* the same ranges as [notify] window and dedup */
	if (!parse_overrides(cfg, "windows", cfg->windows, 30 * 86400,
	    pol->windows, error) ||
	    !parse_overrides(cfg, "dedups", cfg->dedups, 365 * 86400,
	    pol->dedups, error))
		batch_policy_free(&pol);
	return pol;
}

void
batch_policy_free(struct batch_policy **pp)
{
	struct batch_policy *pol;

	if (pp == NULL || (pol = *pp) == NULL)
		return;
	g_hash_table_unref(pol->windows);
	g_hash_table_unref(pol->dedups);
	g_free(pol);
	*pp = NULL;
}

static guint
lookup(GHashTable *tab, const char *category, guint def)
{
	gpointer v;

	if (category == NULL ||
	    (v = g_hash_table_lookup(tab, category)) == NULL)
		return def;
	return GPOINTER_TO_UINT(v) - 1;
}

guint
batch_policy_window(const struct batch_policy *pol, const char *category)
{
	return lookup(pol->windows, category, pol->window);
}

guint
batch_policy_dedup(const struct batch_policy *pol, const char *category)
{
	return lookup(pol->dedups, category, pol->dedup);
}

/* dedup_group - drops from g the findings already sent to its contact
 * since now - interval, linking them instead */
static gboolean
dedup_group(struct casedb *db, struct notify_group *g, gint64 case_id,
    gint64 now, guint interval, guint *n, GError **error)
{
	const struct finding *f;
	gint64 batch_id;
	guint i;
	int rc;

	for (i = g->findings->len; i-- > 0; ) {
		f = g_ptr_array_index(g->findings, i);
		rc = casedb_batch_find_duplicate(db, g->contact, f,
		    now - interval, &batch_id, error);
		if (rc < 0)
			return FALSE;
		if (rc == 0)
			continue;
		if (!casedb_batch_link_duplicate(db, g->contact, f, case_id,
		    batch_id, now, error))
			return FALSE;
		g_ptr_array_remove_index(g->findings, i);
		(*n)++;
	}
	return TRUE;
}

gboolean
batch_handle_case(const struct batch_policy *pol, struct casedb *db,
    const struct notify_config *ncfg, const struct report *r,
    const struct route_result *res, gint64 case_id, const char *tag,
    gint64 now, GPtrArray *notes, struct batch_counts *counts,
    GError **error)
{
	const char *category = r->category != NULL ? r->category : "";
	guint window = batch_policy_window(pol, category);
	guint dedup = batch_policy_dedup(pol, category);
	GPtrArray *groups = notify_group_routes(res);
	gboolean ok = FALSE, render = FALSE;
	guint i, j, len0 = notes->len;

	for (i = 0; i < groups->len; i++) {
		struct notify_group *g = g_ptr_array_index(groups, i);

		if (dedup > 0 && !dedup_group(db, g, case_id, now, dedup,
		    &counts->deduplicated, error))
			goto out;
		if (window == 0) {
			render = render || g->findings->len > 0;
			continue;
		}
		for (j = 0; j < g->findings->len; j++)
			if (casedb_batch_add(db, g->contact, category,
			    g_ptr_array_index(g->findings, j), case_id,
			    g->cc->str, now, window, error) < 0)
				goto out;
		counts->batched += g->findings->len;
		g_ptr_array_set_size(g->findings, 0);
	}
	if (render && !notify_render_groups(ncfg, r, groups, tag, notes,
	    error))
		goto out;
	for (i = len0; i < notes->len; i++) {
		const struct notification *n = g_ptr_array_index(notes, i);

		if (!casedb_store_notification(db, case_id, n, error) ||
		    !casedb_batch_record_sent(db, case_id, category, n, now,
		    error))
			goto out;
	}
	ok = TRUE;
out:
	g_ptr_array_unref(groups);
	return ok;
}

/* The values of one batch rebuilt as the structs notify/ renders. */
struct rebuilt {
	struct contact	 contact;
	GPtrArray	*tags;		/* const char * (the batch's) */
	GPtrArray	*findings;	/* GPtrArray * per tag */
	GPtrArray	*all;		/* struct finding *, owned */
	GString		*cc;
	char		*date;
};

/* add_cc - appends the addresses of list not yet in seen */
static void
add_cc(GString *cc, GHashTable *seen, const char *list)
{
	char **addrs;
	guint i;

	if (list == NULL)
		return;
	addrs = g_strsplit(list, ",", -1);
	for (i = 0; addrs[i] != NULL; i++) {
		char *a = g_strstrip(addrs[i]);

		if (*a == '\0' || g_hash_table_contains(seen, a))
			continue;
		g_hash_table_add(seen, g_strdup(a));
		if (cc->len > 0)
			g_string_append(cc, ", ");
		g_string_append(cc, a);
	}
	g_strfreev(addrs);
}

/* rebuild - the notify_batch of b; free with rebuilt_clear() */
static void
rebuild(const struct case_batch *b, struct rebuilt *rb,
    struct notify_batch *nb)
{
	GHashTable *cc_seen = g_hash_table_new_full(g_str_hash, g_str_equal,
	    g_free, NULL);
	const struct case_batch_item *it = NULL;
	GPtrArray *cur = NULL;
	int format;
	guint i;

	memset(rb, 0, sizeof(*rb));
	rb->contact.id = b->contact_id;
	rb->contact.name = b->contact_name;
	rb->contact.email = b->address;
	rb->contact.language = b->contact_language;
	format = contact_format_from_name(b->contact_format);
	rb->contact.format = format >= 0 ? (enum contact_format)format :
	    CONTACT_FORMAT_TEXT;
	rb->tags = g_ptr_array_new();
	rb->findings = g_ptr_array_new_with_free_func(
	    (GDestroyNotify)g_ptr_array_unref);
	rb->all = g_ptr_array_new_with_free_func(g_free);
	rb->cc = g_string_new(NULL);
	/* the contact's own addresses are never copied to themselves */
	add_cc(rb->cc, cc_seen, b->address);
	g_string_truncate(rb->cc, 0);
	for (i = 0; i < b->items->len; i++) {
		struct finding *f = g_new0(struct finding, 1);
		const struct case_batch_item *prev = it;
		int kind;

		it = g_ptr_array_index(b->items, i);
		if (prev == NULL || prev->case_id != it->case_id) {
			g_ptr_array_add(rb->tags, it->case_tag);
			cur = g_ptr_array_new();
			g_ptr_array_add(rb->findings, cur);
		}
		kind = finding_kind_from_name(it->kind);
		f->kind = kind >= 0 ? (enum finding_kind)kind : 0;
		f->role = FINDING_ROLE_OFFENDER;
		f->value = it->value;
		f->part = it->part;
		f->port = it->port;
		f->observed_at = it->observed_at;
		g_ptr_array_add(rb->all, f);
		g_ptr_array_add(cur, f);
		add_cc(rb->cc, cc_seen, it->cc);
	}
	g_hash_table_unref(cc_seen);

	memset(nb, 0, sizeof(*nb));
	nb->id = b->id;
	nb->contact = &rb->contact;
	nb->category = b->category;
	nb->cc = rb->cc->len > 0 ? rb->cc->str : NULL;
	nb->tags = rb->tags;
	nb->findings = rb->findings;
	if (b->items->len > 0 && rb->tags->len == 1) {
		GDateTime *dt;

		it = g_ptr_array_index(b->items, 0);
		nb->reporter = it->reporter;
		nb->subject = it->subject;
		nb->message_id = it->message_id;
		if ((dt = g_date_time_new_from_unix_utc(it->received_at)) !=
		    NULL) {
			rb->date = g_date_time_format(dt,
			    "%a, %d %b %Y %H:%M:%S +0000");
			g_date_time_unref(dt);
		}
		nb->date = rb->date;
	}
}

static void
rebuilt_clear(struct rebuilt *rb)
{
	g_ptr_array_unref(rb->tags);
	g_ptr_array_unref(rb->findings);
	g_ptr_array_unref(rb->all);
	g_string_free(rb->cc, TRUE);
	g_free(rb->date);
}

/* flush_one - one batch in its own transaction: 1 sent, 0 gone, -1 */
static int
flush_one(struct casedb *db, const struct notify_config *ncfg, gint64 id,
    gint64 now, GError **error)
{
	struct case_batch *b = NULL;
	struct notification *n = NULL;
	struct notify_batch nb;
	struct rebuilt rb;
	GError *perr = NULL;
	gint64 case_id;
	int rc;

	if (!casedb_begin(db, error))
		return -1;
	/* read again under the write lock: `notify flush` and the daemon
	 * may both be at it */
	if ((rc = casedb_batch_load(db, id, &b, error)) <= 0 ||
	    b->items->len == 0) {
		casedb_rollback(db);
		case_batch_free(b);
		return rc < 0 ? -1 : 0;
	}
	rebuild(b, &rb, &nb);
	case_id = ((struct case_batch_item *)
	    g_ptr_array_index(b->items, 0))->case_id;
	if ((n = notify_render_batch(ncfg, &nb, error)) == NULL)
		goto fail;
	if (!casedb_store_notification(db, case_id, n, error) ||
	    !casedb_batch_sent(db, id, n->message_id, now, error) ||
	    !casedb_commit(db, error))
		goto fail;
	if (!notify_publish(ncfg, n, &perr)) {
		g_warning("batch %" G_GINT64_FORMAT ": outbox: %s", id,
		    perr->message);
		g_error_free(perr);
	}
	rc = 1;
	goto out;
fail:
	casedb_rollback(db);
	if (n != NULL)
		notify_discard(n);
	g_prefix_error(error, "batch %" G_GINT64_FORMAT ": ", id);
	rc = -1;
out:
	notify_notification_free(&n);
	rebuilt_clear(&rb);
	case_batch_free(b);
	return rc;
}

/* permanent - TRUE for a failure that retrying cannot cure */
static gboolean
permanent(const GError *err)
{
	return g_error_matches(err, NOTIFY_ERROR, NOTIFY_ERROR_ADDRESS) ||
	    g_error_matches(err, NOTIFY_ERROR, NOTIFY_ERROR_TEMPLATE) ||
	    g_error_matches(err, NOTIFY_ERROR, NOTIFY_ERROR_LIMIT);
}

/* mark_failed - records the failure in its own transaction */
static gboolean
mark_failed(struct casedb *db, gint64 id, const char *why, gint64 now,
    GError **error)
{
	if (!casedb_begin(db, error))
		return FALSE;
	if (!casedb_batch_fail(db, id, why, now, error) ||
	    !casedb_commit(db, error)) {
		casedb_rollback(db);
		return FALSE;
	}
	return TRUE;
}

gint
batch_flush(struct casedb *db, const struct notify_config *ncfg,
    gint64 now, gboolean all, GError **error)
{
	GPtrArray *due = g_ptr_array_new_with_free_func(case_batch_free);
	gint sent = 0;
	guint i;
	int rc;

	g_return_val_if_fail(error == NULL || *error == NULL, -1);
	if (!casedb_batch_list(db, all ? G_MAXINT64 : now, due, error)) {
		sent = -1;
		goto out;
	}
	for (i = 0; i < due->len; i++) {
		const struct case_batch *b = g_ptr_array_index(due, i);
		GError *err = NULL;

		if (b->error != NULL && !all)
			continue;	/* failed for good: an analyst's turn */
		if ((rc = flush_one(db, ncfg, b->id, now, &err)) >= 0) {
			sent += rc;
			continue;
		}
		if (!permanent(err)) {
			g_propagate_error(error, err);
			sent = -1;
			break;
		}
		/* a bad address or template must not hold back the
		 * batches after it */
		g_warning("%s: left for an analyst (abusedesk notify "
		    "pending)", err->message);
		if (!mark_failed(db, b->id, err->message, now, error)) {
			g_error_free(err);
			sent = -1;
			break;
		}
		g_error_free(err);
	}
out:
	g_ptr_array_unref(due);
	return sent;
}
