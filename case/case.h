/*
 * case.h: the case database (sqlite3): the single record of everything.
 *
 * One writer (the daemon or a reprocess run).  WAL, synchronous=FULL,
 * foreign keys on, every write inside casedb_begin() (BEGIN IMMEDIATE) ...
 * casedb_commit().  The schema carries a version and is migrated forward
 * by casedb_open().  Files are created 0600.
 * Functions returning int answer -1 (error, *error set), 0 (no), 1 (yes).
 */
#ifndef ABUSEDESK_CASE_H
#define ABUSEDESK_CASE_H

#include <glib.h>
#include "parse/report.h"
#include "rules/rules.h"
#include "route/route.h"
#include "notify/notify.h"

#define CASE_ERROR (case_error_quark())
GQuark case_error_quark(void);
enum case_error_code {
	CASE_ERROR_BUSY,	/* SQLITE_BUSY / LOCKED: temporary */
	CASE_ERROR_IO,		/* SQLITE_IOERR / FULL / CANTOPEN: temporary */
	CASE_ERROR_SCHEMA,	/* newer schema than this program: permanent */
	CASE_ERROR_FAILED,	/* anything else: permanent */
	CASE_ERROR_NOT_FOUND,
};

#define CASE_SCHEMA_VERSION 4

struct casedb;

/* What ingest knows about a message before parsing. */
struct case_message {
	const char	*sha256;	/* hex of the raw bytes stored */
	const guint8	*raw;
	gsize		 raw_len;
	const char	*origin;	/* "pipe", "mbox:/path:3", "maildir:..." */
	const char	*env_sender;	/* envelope, may be NULL */
	const char	*env_recipient;
	const char	*env_orig_recipient;
	gint64		 received_at;	/* unix time */
	gboolean	 quarantined;	/* over the size limit: truncated */
	gint64		 orig_size;	/* size before truncation */
	const char	*orig_sha256;	/* hash of the full input if truncated */
};

/* case_db.c */
struct casedb	*casedb_open(const char *path, GError **error);
void		 casedb_close(struct casedb **dbp);
gboolean	 casedb_begin(struct casedb *db, GError **error);
gboolean	 casedb_commit(struct casedb *db, GError **error);
void		 casedb_rollback(struct casedb *db);
/* Schema version stored in the file. */
int		 casedb_schema_version(struct casedb *db);
/* How long a write waits for another writer before CASE_ERROR_BUSY
 * (default 5000 ms). */
void		 casedb_set_busy_timeout(struct casedb *db, int ms);
/* The file the database was opened from. */
const char	*casedb_path(const struct casedb *db);
/* Batch mode (reprocess): synchronous=NORMAL instead of FULL.  Only for
 * input that stays available elsewhere; the daemon never uses it, since
 * it removes the spool file after the commit. */
gboolean	 casedb_set_batch_mode(struct casedb *db, gboolean batch,
		    GError **error);

/* case_store.c: inside a transaction. */
/* 1 and *id_r when these bytes were stored before, 0 when new. */
int		 casedb_lookup_message(struct casedb *db, const char *sha256,
		    gint64 *id_r, GError **error);
/* Counts one more sighting of a stored message, with an event. */
gboolean	 casedb_mark_seen(struct casedb *db, gint64 msg_id,
		    const char *origin, GError **error);
/* status: "parsed", "unparsed", "quarantined".  Returns the row id or -1. */
gint64		 casedb_store_message(struct casedb *db,
		    const struct case_message *m, const char *status,
		    GError **error);
/* Stores the report, all its findings and rule hits.  Returns report id. */
gint64		 casedb_store_report(struct casedb *db, gint64 msg_id,
		    const struct report *r, const struct verdict *v,
		    GError **error);
/* A new case for an abuse report; *tag_r "CASE-000042" (g_free). */
gint64		 casedb_open_case(struct casedb *db, gint64 msg_id,
		    const char *category, char **tag_r, GError **error);
/* Finds the case a reply or bounce belongs to, by case tag or by the
 * Message-ID of one of our notifications in In-Reply-To / References. */
int		 casedb_find_case(struct casedb *db, const struct report *r,
		    gint64 *case_id_r, GError **error);
/* Records a reply/bounce/auto-reply against a case (kind is the
 * report_kind_name()). */
gboolean	 casedb_link_message(struct casedb *db, gint64 case_id,
		    gint64 msg_id, const char *kind, GError **error);
gboolean	 casedb_store_routes(struct casedb *db, gint64 case_id,
		    const struct route_result *res, GError **error);
gboolean	 casedb_store_notification(struct casedb *db, gint64 case_id,
		    const struct notification *n, GError **error);
gboolean	 casedb_event(struct casedb *db, gint64 msg_id, gint64 case_id,
		    const char *kind, const char *detail, GError **error);
/* Is this outbox file known (for recovery of outbox/tmp)? */
int		 casedb_notification_exists(struct casedb *db,
		    const char *file, GError **error);

/* case_batch.c: aggregation windows and dedup of takedowns.  A batch is
 * one takedown request to one contact for one category: findings join
 * the open batch of (contact, category) until its due time, then it is
 * rendered and marked sent.  Times are unix seconds passed by the
 * caller (tests use fixed ones).  Writes run inside the caller's
 * transaction. */
struct case_batch_item {
	gint64		 finding_id, case_id, received_at;
	char		*case_tag;
	char		*kind, *value, *part;	/* the finding */
	char		*cc;		/* "a@x, b@y" or NULL */
	char		*reporter, *subject, *message_id; /* its report */
	guint		 port;
	char		*observed_at;
};
struct case_batch {
	gint64		 id;
	char		*contact_id, *contact_name, *contact_language;
	char		*address, *category;
	gint64		 opened_at, due_at;
	guint		 findings;
	char		*contact_format;	/* "text", "csv", "xarf" */
	char		*error;		/* why it could not be rendered: a
					 * permanent failure, or NULL */
	GPtrArray	*items;		/* struct case_batch_item *, first
					 * case first; NULL unless loaded */
};
/* Adds f (stored in this transaction) of case_id to the open batch of
 * (c, category) (pending, not failed), or opens one due at now + window.
 * cc: the copies of this finding, or NULL.  Returns the batch id, or -1. */
gint64		 casedb_batch_add(struct casedb *db, const struct contact *c,
		    const char *category, const struct finding *f,
		    gint64 case_id, const char *cc, gint64 now, guint window,
		    GError **error);
/* Was a finding of f's kind and value sent to c at or after `since`, or
 * is it waiting in a batch for c?  1 with the batch id, 0, or -1. */
int		 casedb_batch_find_duplicate(struct casedb *db,
		    const struct contact *c, const struct finding *f,
		    gint64 since, gint64 *batch_id_r, GError **error);
/* Links f of case_id to that batch (finding_links, kind 'duplicate')
 * and records a "duplicate" event on the case. */
gboolean	 casedb_batch_link_duplicate(struct casedb *db,
		    const struct contact *c, const struct finding *f,
		    gint64 case_id, gint64 batch_id, gint64 now,
		    GError **error);
/* An immediate request (window 0) as a batch sent at once: n was stored
 * by casedb_store_notification() in this transaction. */
gboolean	 casedb_batch_record_sent(struct casedb *db, gint64 case_id,
		    const char *category, const struct notification *n,
		    gint64 now, GError **error);
/* Records a permanent failure of batch id (the daemon then leaves it
 * alone; `notify flush --all` tries it again). */
gboolean	 casedb_batch_fail(struct casedb *db, gint64 id,
		    const char *why, gint64 now, GError **error);
/* Appends struct case_batch * (without items) of the pending batches
 * due at or before `due`, soonest first; G_MAXINT64 for all.  Free them
 * with case_batch_free. */
gboolean	 casedb_batch_list(struct casedb *db, gint64 due,
		    GPtrArray *out, GError **error);
/* One pending batch with its items: 1, 0 when it is gone or already
 * sent (another process flushed it), -1. */
int		 casedb_batch_load(struct casedb *db, gint64 id,
		    struct case_batch **b_r, GError **error);
/* Marks the batch sent with the notification stored (by its Message-ID)
 * in this transaction, links its findings to the notification and
 * records a "takedown-batched" event on every case in it. */
gboolean	 casedb_batch_sent(struct casedb *db, gint64 id,
		    const char *message_id, gint64 now, GError **error);
/* The due time of the next pending batch that has not failed: 1 with
 * *due_r, 0 none, -1. */
int		 casedb_batch_next_due(struct casedb *db, gint64 *due_r,
		    GError **error);
void		 case_batch_free(gpointer p);

/* case_query.c: read-only views for the CLI. */
struct case_totals {
	gint64	messages, reports, findings, cases, notifications, unrouted;
};
gboolean	 casedb_totals(struct casedb *db, struct case_totals *t,
		    GError **error);
gboolean	 casedb_list_cases(struct casedb *db, guint limit, GString *out,
		    GError **error);
/* id is a number or a tag "CASE-000042"; -1 NOT_FOUND when absent. */
gboolean	 casedb_show_case(struct casedb *db, const char *id,
		    GString *out, GError **error);

/* case_rules.c: shadow rules and rule statistics. */
/* One thing a candidate rule set would have done differently.  kind:
 * "finding-added", "finding-removed", "category-changed",
 * "kind-changed", "route-added", "route-removed"; live/shadow describe
 * each side ("ipv4 offender 5.9.34.17", "phishing"), NULL for none. */
struct case_shadow_diff {
	const char	*kind;
	const char	*live;
	const char	*shadow;
};
/* Stores the differences for a message in its own transaction. */
gboolean	 casedb_store_shadow_diffs(struct casedb *db, gint64 msg_id,
		    const char *live_version, const char *shadow_version,
		    const GPtrArray *diffs, GError **error);
/* Appends the differences recorded since (unix time), grouped by
 * message, and a count per kind; "no differences" when none. */
gboolean	 casedb_shadow_report(struct casedb *db, gint64 since,
		    GString *out, GError **error);
/* Hits of one rule in the reports stored since a time. */
struct case_rule_stat {
	char	*rule_id;
	gint64	 reports;	/* reports it fired on */
	gint64	 matches;	/* sum of the match counts */
	gint64	 last_at;	/* unix time of the latest report */
};
/* Appends struct case_rule_stat * to out (free with
 * case_rule_stat_free), most reports first. */
gboolean	 casedb_rule_stats(struct casedb *db, gint64 since,
		    GPtrArray *out, GError **error);
void		 case_rule_stat_free(gpointer p);
/* The number of reports stored since a time, -1 on error. */
/* Rule errors (pcre2 limits, CPU budget) since: reports and total. */
gboolean	 casedb_rule_errors_since(struct casedb *db, gint64 since,
		    gint64 *reports_r, gint64 *errors_r, GError **error);
gint64		 casedb_reports_since(struct casedb *db, gint64 since,
		    GError **error);

/* case_lookup.c: the live lookups' answer cache (table lookup_cache, one
 * row per source and network range; see route/lookup.h). */
struct lookup_cache;
/* Loads every row still live at now (unix time) into c.  A bad row is
 * skipped with a warning naming it.  Returns the rows loaded, -1 on a
 * database error. */
gint64		 casedb_lookup_load(struct casedb *db, struct lookup_cache *c,
		    gint64 now, GError **error);
/* INSERT OR REPLACE of every entry of c fetched at or after since and
 * live at now, inside the caller's transaction.  Returns the rows
 * written, -1 on error. */
gint64		 casedb_lookup_save(struct casedb *db,
		    const struct lookup_cache *c, gint64 since, gint64 now,
		    GError **error);
/* Deletes the rows expired at now; returns how many, -1 on error. */
gint64		 casedb_lookup_purge(struct casedb *db, gint64 now,
		    GError **error);

#endif
