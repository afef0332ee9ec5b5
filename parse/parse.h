/*
 * parse.h: turn raw mail bytes into a struct report (report.h).
 *
 * parse_message() never fails for bad mail: a message gmime cannot parse
 * gives kind REPORT_KIND_UNPARSED with warnings; limits hit give a partial
 * report with warnings.  Only programmer errors are asserted.
 */
#ifndef ABUSEDESK_PARSE_H
#define ABUSEDESK_PARSE_H

#include <glib.h>
#include "parse/report.h"
#include "parse/netaddr.h"
#include "parse/limits.h"

#define PARSE_ERROR (parse_error_quark())
GQuark parse_error_quark(void);
enum parse_error_code {
	PARSE_ERROR_TOO_LARGE,
	PARSE_ERROR_LIMIT,
};

struct parse_limits {
	guint	max_depth;
	guint	max_parts;
	gsize	max_header_bytes;
	gsize	max_part_text;
	gsize	max_message_text;
	gsize	arena_cap;
	/* unpack.c: decompressed bytes per member and per message, the
	 * expansion ratio allowed past unpack_ratio_free bytes, zip entries
	 * read; fmt_csv.c: CSV rows per message, columns per row.  0 means
	 * the limits.h default. */
	gsize	max_unpack_member;
	gsize	max_unpack_total;
	guint	max_unpack_ratio;
	gsize	unpack_ratio_free;
	guint	max_zip_members;
	guint	max_csv_rows;
	guint	max_csv_columns;
};

/* parse_mime.c */
/* Once per process, before any parse (g_mime_init). */
void		 parse_init(void);
void		 parse_shutdown(void);
void		 parse_limits_default(struct parse_limits *l);
/* raw need not be NUL-terminated; it is not modified or kept. */
struct report	*parse_message(const guint8 *raw, gsize len,
		    const struct parse_limits *limits);

/* charset.c: any charset to UTF-8; never fails (latin-1 fallback,
 * invalid bytes become U+FFFD).  Result allocated in the arena. */
char		*parse_to_utf8(struct arena *a, const char *charset,
		    const guint8 *in, gsize len, gsize *out_len);

/* defang.c: hxxp -> http, [.] (.) [dot] -> ., [:] -> : ; returns a new
 * arena string.  Also used by notify/ in reverse (defang for output). */
char		*parse_refang(struct arena *a, const char *s, gsize len);
char		*parse_defang_url(const char *s);	/* g_free() it */

/* normalise.c: canonical value of a finding written as raw (refanged
 * first): IPs via netaddr, URLs with lower-case scheme and host and no
 * trailing punctuation, domains lower case without the final dot, e-mail
 * addresses with a lower-case domain.  NULL when raw is not a valid value
 * of that kind (e.g. "999.1.1.1", "1.3.6.1.2.1" as ipv4). */
char		*parse_normalise(struct arena *a, enum finding_kind kind,
		    const char *raw, gsize len);

/* The registrable domain of a (punycode) domain by the public suffix
 * list (libpsl): "www.shop.example.co.jp" -> "example.co.jp"; NULL for a
 * public suffix itself. */
const char	*parse_registered_domain(struct arena *a, const char *domain);
/* Adds "registered=<domain>" to the attrs of every domain finding. */
void		 report_mark_registered_domains(struct report *r);

/* report_dump.c: canonical text form for golden tests and `case show`. */
void		 report_dump(const struct report *r, GString *out);

/* taxonomy.c: IntelMQ names for a category word ("login-attack",
 * "LoginAttack", "scan_ssh", "フィッシング", "phishing"): returns the
 * classification.type and sets *taxonomy_r to its classification.taxonomy;
 * NULL (and *taxonomy_r NULL) for an unknown word.  Static strings. */
const char	*taxonomy_lookup(const char *word, const char **taxonomy_r);
/* r->category becomes its IntelMQ type and r->taxonomy is set; an unknown
 * category is left alone.  rules_eval() calls it once at the end. */
void		 report_set_taxonomy(struct report *r);

/* roles.c: URLs, domains and e-mail addresses a text rule found that
 * lie in the reporter's own domains (From, Reported-From, the From of a
 * forwarded report) become reporter findings.  rules_eval() calls it. */
void		 report_roles_reporter(struct report *r);

#endif
