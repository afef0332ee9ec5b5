/*
 * notify.h: render takedown requests into the outbox (a Maildir).
 *
 * One request per contact per message: the contact's routed findings,
 * defanged, in a template chosen by the contact's language (en default).
 * Headers are built with gmime (RFC 2047, no header injection: values from
 * the report are never copied into a header unfiltered).  Files are written
 * to outbox/tmp and only moved into outbox/new by notify_publish() once the
 * case database has committed the notification.
 */
#ifndef ABUSEDESK_NOTIFY_H
#define ABUSEDESK_NOTIFY_H

#include <glib.h>
#include "parse/report.h"
#include "route/route.h"

#define NOTIFY_ERROR (notify_error_quark())
GQuark notify_error_quark(void);
enum notify_error_code {
	NOTIFY_ERROR_IO,
	NOTIFY_ERROR_TEMPLATE,
	/* Added: permanent errors. */
	NOTIFY_ERROR_ADDRESS,	/* contact e-mail or From unusable */
	NOTIFY_ERROR_LIMIT,	/* the message's arena is exhausted */
};

struct notify_config {
	const char	*outbox;	/* Maildir: tmp/ new/ cur/ */
	const char	*templates;	/* directory: <lang>/takedown.txt */
	const char	*from;		/* "Example CSIRT <abuse@csirt.example>" */
	const char	*domain;	/* for Message-IDs: "csirt.example" */
	/* Batch mode (reprocess): no fsync per file and directory; the
	 * caller makes everything durable at the end with notify_sync(). */
	gboolean	 deferred_sync;
};

/* A takedown request rendered to outbox/tmp (arena memory). */
struct notification {
	const struct contact	*contact;
	const char		*to;		/* address(es) */
	const char		*subject;
	const char		*message_id;	/* without <> */
	const char		*tmp_path;	/* outbox/tmp/<name> */
	const char		*file;		/* <name> (also in outbox/new) */
	GPtrArray		*findings;	/* const struct finding * */
};

/* notify_render.c */
/* Needs g_mime_init() (parse_init()) first. */
/* Groups res->routes by contact and renders one request per contact into
 * outbox/tmp.  case_tag is "CASE-000042".  Adds struct notification * to
 * out.  On error nothing stays in outbox/tmp. */
gboolean	notify_render(const struct notify_config *cfg,
		    const struct report *r, const struct route_result *res,
		    const char *case_tag, GPtrArray *out, GError **error);
/* The request groups of one report: routed, not suppressed findings by
 * contact, first-seen order, at most LIMIT_NOTIFICATIONS. */
struct notify_group {
	const struct contact	*contact;
	GPtrArray		*findings;	/* const struct finding * */
	GString			*cc;		/* "a@x, b@y": copies, or "" */
	GHashTable		*seen;		/* grouping only */
	GHashTable		*cc_seen;	/* grouping only */
};
/* struct notify_group * of res (g_ptr_array_unref frees them).  A caller
 * may remove findings from a group (dedup); an empty group is skipped. */
GPtrArray	*notify_group_routes(const struct route_result *res);
/* notify_render() on groups already made: one request per non-empty
 * group, the k-th with Message-ID case-<n>.<k>@domain. */
gboolean	notify_render_groups(const struct notify_config *cfg,
		    const struct report *r, const GPtrArray *groups,
		    const char *case_tag, GPtrArray *out, GError **error);

/* notify_batch.c */
/* One takedown for findings of several reports (an aggregation window),
 * loaded back from the case database. */
struct notify_batch {
	gint64			 id;		/* Message-ID case-<n>.b<id> */
	const struct contact	*contact;
	const char		*category;	/* NULL or "": "abuse" */
	const char		*cc;		/* union of copies, or NULL */
	GPtrArray		*tags;		/* const char *: case tags,
						 * the notification's first */
	GPtrArray		*findings;	/* per tag: a GPtrArray of
						 * const struct finding * */
	/* the report, when all come from one; NULL: "several" */
	const char		*reporter, *subject, *date, *message_id;
};
/* Renders b into outbox/tmp.  The result (g_new, strings owned) is
 * freed with notify_notification_free(); its findings are NULL.  On
 * error nothing is left in outbox/tmp. */
struct notification *notify_render_batch(const struct notify_config *cfg,
		    const struct notify_batch *b, GError **error);
void		notify_notification_free(struct notification **np);

/* Moves the rendered file into outbox/new and fsyncs the directory. */
gboolean	notify_publish(const struct notify_config *cfg,
		    const struct notification *n, GError **error);
/* Removes the rendered file from outbox/tmp (after a failed commit). */
void		notify_discard(const struct notification *n);
/* Flushes the whole outbox file system (after a deferred_sync batch). */
gboolean	notify_sync(const struct notify_config *cfg, GError **error);

#endif
