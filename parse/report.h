/*
 * report.h: the contract between parse/ and every later stage.
 *
 * Ownership, stated once: everything reachable from a struct report lives
 * in report->arena (see arena.h), including the findings later stages add
 * and their verdict/route results.  report_free() frees it all.  Nothing in
 * the arena may be kept in a long-lived context: copy it.
 * char * always means NUL-terminated UTF-8 here.
 */
#ifndef ABUSEDESK_REPORT_H
#define ABUSEDESK_REPORT_H

#include <glib.h>
#include "parse/arena.h"

enum report_kind {
	REPORT_KIND_UNPARSED = 0,	/* gmime could not parse: raw kept */
	REPORT_KIND_ABUSE,		/* a report about abuse: may open a case */
	REPORT_KIND_REPLY,		/* a reply to one of our takedowns */
	REPORT_KIND_BOUNCE,		/* a DSN about one of our takedowns */
	REPORT_KIND_AUTOREPLY,		/* RFC 3834 / vacation / ticket ack */
	REPORT_KIND_NOTICE,		/* informational (DMARC, auth-failure) */
};

enum finding_kind {
	FINDING_IPV4 = 0,
	FINDING_IPV6,
	FINDING_CIDR,
	FINDING_URL,
	FINDING_DOMAIN,
	FINDING_EMAIL,
	FINDING_ASN,
	FINDING_CVE,
	FINDING_HASH,
	FINDING_KIND_COUNT
};

enum finding_role {
	FINDING_ROLE_OFFENDER = 0,	/* what the report is about: routed */
	FINDING_ROLE_VICTIM,
	FINDING_ROLE_REPORTER,
	FINDING_ROLE_CONTEXT,
	FINDING_ROLE_COUNT
};

struct finding {
	enum finding_kind	 kind;
	enum finding_role	 role;
	const char		*value;		/* normalised (refanged, canonical) */
	const char		*raw;		/* as written in the mail */
	const char		*part;		/* MIME part path, "1.2" ("0" = headers) */
	gsize			 offset;	/* byte offset in that part's text */
	const char		*source;	/* rule id or format field ("arf:Source-IP") */
	gboolean		 suppressed;	/* kept for the record, never routed */
	const char		*suppress_why;
	/* What a structured source says about it (0 / NULL: unknown). */
	guint			 port;
	const char		*observed_at;	/* event time, ISO 8601 UTC */
	const char		*attrs;		/* "asn=64500 geo=DE ..." */
};

/* One decoded leaf part: text is UTF-8, text_len bytes, NUL-terminated. */
struct report_part {
	const char	*path;		/* "1", "2.1", ... ; "1" is the whole body */
	const char	*content_type;	/* lower case "type/subtype" */
	const char	*filename;	/* or NULL */
	const char	*charset;	/* declared charset, or NULL */
	const char	*text;		/* decoded to UTF-8 (HTML converted) */
	gsize		 text_len;
	gboolean	 truncated;	/* cut at the limit on text fed to rules */
	guint		 depth;		/* message/rfc822 nesting level */
};

struct report_header {
	const char	*name;
	const char	*value;		/* unfolded, RFC 2047 decoded to UTF-8 */
};

struct report {
	struct arena		*arena;
	enum report_kind	 kind;
	const char		*format;	/* "plain", "xarf", "arf", "dsn", ... */
	const char		*subject;
	const char		*from;		/* address only, lower case, or NULL */
	const char		*message_id;	/* without <> */
	const char		*in_reply_to;	/* without <> */
	const char		*references;	/* raw header value */
	const char		*date;		/* as written */
	const char		*case_tag;	/* "CASE-000042" seen in subject/refs */
	const char		*category;	/* IntelMQ classification.type:
						 * "phishing", "scanner", ... */
	const char		*taxonomy;	/* IntelMQ classification.taxonomy:
						 * "fraud", "information-gathering" */
	const char		*event_time;	/* ISO 8601 UTC, or NULL */
	const char		*tlp;		/* CLEAR GREEN AMBER AMBER+STRICT RED */
	const char		*reporter;	/* who reported (Reported-From, From) */
	GPtrArray		*headers;	/* struct report_header *, top level */
	GPtrArray		*parts;		/* struct report_part * */
	GPtrArray		*findings;	/* struct finding * */
	GPtrArray		*warnings;	/* const char * */
	GPtrArray		*tickets;	/* const char *: partner ticket ids
						 * ("JPCERT#12345678", "CERT-Bund#1") */
	GHashTable		*finding_index;	/* private to report.c: dedup */
};

/* report.c */
struct report	*report_new(gsize arena_cap);
void		 report_free(struct report **rp);
void		 report_warn(struct report *r, const char *fmt, ...)
		    G_GNUC_PRINTF(2, 3);
/* Adds a finding; strings are copied into the arena.  Returns NULL (and a
 * warning) when the arena or the findings limit is exhausted.  An existing
 * finding with the same kind, value and role is returned instead. */
struct finding	*report_add_finding(struct report *r, enum finding_kind kind,
		    enum finding_role role, const char *value, const char *raw,
		    const char *part, gsize offset, const char *source);
/* Special-purpose values that are never offenders and never routed:
 * RFC 6890 addresses (netaddr_is_special) and RFC 6761 / 2606 / 7686
 * special-use domain names (example, test, invalid, localhost, local,
 * onion; example.com/.net/.org). */
gboolean	 finding_value_is_special(enum finding_kind kind,
		    const char *value, const char **why_r);
/* Marks every special finding of r suppressed, with the reason (kept for
 * the record, never routed).  rules_eval() calls it once at the end. */
void		 report_suppress_special(struct report *r);
/* The first finding of this kind and value, whatever its role, or NULL.
 * Structured sources (format fields) add their findings first; a text
 * rule finding the same value later leaves the role they gave alone. */
struct finding	*report_find_value(const struct report *r,
		    enum finding_kind kind, const char *value);
/* The host of URL ("scheme://[user@]host[:port]/...", IPv6 without its
 * brackets): *host_r and its length, or 0 when there is none. */
gsize		 report_url_host(const char *url, const char **host_r);
/* Adds a partner ticket id once (copied). */
void		 report_add_ticket(struct report *r, const char *ticket);
const char	*report_header(const struct report *r, const char *name);
const char	*report_kind_name(enum report_kind k);
const char	*finding_kind_name(enum finding_kind k);
const char	*finding_role_name(enum finding_role r);
/* -1 when unknown. */
int		 finding_kind_from_name(const char *s);
int		 finding_role_from_name(const char *s);

#endif
