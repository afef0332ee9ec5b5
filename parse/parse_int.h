/*
 * parse_int.h: internals shared by the files of parse/ (never included
 * outside the folder).  The MIME walk (parse_mime.c) fills a struct report;
 * the top-level header fields (parse_headers.c), format detection
 * (detect.c) and format fields (parse_fields.c) then read it.
 */
#ifndef ABUSEDESK_PARSE_INT_H
#define ABUSEDESK_PARSE_INT_H

#include <glib.h>
#include <gmime/gmime.h>

#include "parse/parse.h"

/* What detection learned from the MIME tree that the report does not keep. */
struct parse_hints {
	char		*top_type;	/* "type/subtype" of the body */
	char		*report_type;	/* report-type parameter */
	gboolean	 top_is_rfc822;	/* body mainly an attached mail */
	const struct parse_limits *limits;	/* for the format handlers */
};

/* parse_walk.c: every MIME part of msg into r->parts, within l. */
void		 parse_walk(struct report *r, GMimeMessage *msg,
		    const struct parse_limits *l, struct parse_hints *h);
/* Cuts UTF-8 text to at most max bytes on a character boundary. */
gsize		 parse_utf8_cut(const char *s, gsize len, gsize max);

/* parse_headers.c */
void		 parse_headers_fill(struct report *r, GMimeMessage *msg,
		    const struct parse_limits *l);
/* Unfolded, RFC 2047-decoded, valid UTF-8 value of h (g_free). */
char		*parse_header_value(GMimeHeader *h);
/* Finds CASE-<digits> or <case-N.k@...> in s; 1 and *num_r, or 0. */
int		 parse_case_tag_scan(const char *s, gboolean msgid_form,
		    guint64 *num_r);

/* html.c: HTML to plain text, href/src URLs kept visible.  in is UTF-8. */
char		*parse_html_to_text(struct arena *a, const char *in,
		    gsize len, gsize *out_len);

/* detect.c: sets r->kind and r->format. */
void		 parse_detect(struct report *r,
		    const struct parse_hints *h);
/* Part holding the X-ARF YAML (report.txt), or NULL. */
const struct report_part *parse_detect_xarf_part(const struct report *r);

/* formats.c: every format handler that accepts r extracts from it. */
void		 parse_formats_extract(struct report *r,
		    const struct parse_hints *h);

/* charset.c */
/* Canonical iconv name for a declared charset (NULL when none usable). */
const char	*parse_charset_name(const char *declared, char *buf,
		    gsize size);

/* parse_fields.c: helpers of the format handlers (fmt_*.c). */
/* Adds v (len bytes at offset off of part p; blanks, quotes, <> trimmed)
 * as a finding; warns and returns NULL when it is not a valid kind. */
struct finding	*fmt_add(struct report *r, const struct report_part *p,
		    enum finding_kind kind, enum finding_role role,
		    const char *v, gsize len, gsize off, const char *source);
/* The kind a bare value looks like (IP, URL, e-mail, else domain). */
enum finding_kind fmt_guess_kind(const char *s, gsize len);
/* Offset of val in p's text at or after from (from when not found). */
gsize		 fmt_locate(const struct report_part *p, gsize from,
		    const char *val);
/* RFC 2822, ISO 8601, JavaScript dates as ISO 8601 UTC, or NULL. */
const char	*fmt_date_iso(struct arena *a, const char *s, gsize len);
/* Sets r->category / r->taxonomy (static strings; NULL leaves it). */
void		 fmt_set_class(struct report *r, const char *category,
		    const char *taxonomy);

/* fmt_xarf.c: X-ARF 0.1 / 0.2 (YAML report.txt). */
gboolean	 fmt_xarf_probe(const struct report *r,
		    const struct parse_hints *h);
void		 fmt_xarf_extract(struct report *r,
		    const struct parse_hints *h);
/* fmt_xarf_json.c: XARF JSON (Abusix schema 1-3, xarf.org v4). */
gboolean	 fmt_xarf_json_probe(const struct report *r,
		    const struct parse_hints *h);
void		 fmt_xarf_json_extract(struct report *r,
		    const struct parse_hints *h);
/* fmt_arf.c: ARF (RFC 5965 and successors) and Microsoft JMRP. */
gboolean	 fmt_arf_probe(const struct report *r,
		    const struct parse_hints *h);
void		 fmt_arf_extract(struct report *r,
		    const struct parse_hints *h);

/* unpack.c: zip and gzip attachments to their members, bounded by the
 * unpack limits (*total counts the bytes of the whole message).  fn gets
 * every member in order (n from 1): its name ("" when unknown), a guessed
 * content type and its UTF-8 text in r's arena (NULL when binary). */
typedef void	(*parse_unpack_fn)(gpointer ud, guint n, const char *name,
		    const char *ct, char *text, gsize len);
gboolean	 parse_unpack_wanted(const char *ct, const char *filename);
/* in with its unpack and CSV limits that are 0 set to the defaults. */
void		 parse_unpack_limits(const struct parse_limits *in,
		    struct parse_limits *out);
void		 parse_unpack(struct report *r, const struct parse_limits *l,
		    const char *path, const char *filename, const guint8 *data,
		    gsize len, gsize *total, parse_unpack_fn fn, gpointer ud);

/* fmt_csv.c: Shadowserver-style CSV feeds (formats.md section 5). */
gboolean	 fmt_csv_probe(const struct report *r,
		    const struct parse_hints *h);
void		 fmt_csv_extract(struct report *r,
		    const struct parse_hints *h);
/* fmt_spamcop.c: SpamCop per-spam, summary and ARF reports (section 6). */
gboolean	 fmt_spamcop_probe(const struct report *r,
		    const struct parse_hints *h);
void		 fmt_spamcop_extract(struct report *r,
		    const struct parse_hints *h);
/* fmt_gsb.c: Google Safe Browsing notification_message XML (section 7). */
gboolean	 fmt_gsb_probe(const struct report *r,
		    const struct parse_hints *h);
void		 fmt_gsb_extract(struct report *r,
		    const struct parse_hints *h);

/* fmt_notice.c: CSIRT/hoster notices: tickets, TLP, JPCERT/CC layout,
 * sender family; the last handler (refines r->format). */
gboolean	 parse_notice_probe(const struct report *r,
		    const struct parse_hints *h);
void		 parse_notice_extract(struct report *r,
		    const struct parse_hints *h);

/* salvage.c: base64 attachments of a body read as text for want of a
 * boundary become parts again (run by fmt_csv_extract()). */
void		 parse_salvage(struct report *r, const struct parse_limits *l);

#endif
