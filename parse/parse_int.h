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

/* parse_fields.c: structured findings from ARF / X-ARF fields. */
void		 parse_fields_extract(struct report *r);

/* formats.c: every format handler that accepts r extracts from it. */
void		 parse_formats_extract(struct report *r,
		    const struct parse_hints *h);

/* charset.c */
/* Canonical iconv name for a declared charset (NULL when none usable). */
const char	*parse_charset_name(const char *declared, char *buf,
		    gsize size);

#endif
