/*
 * parse_mime.c: raw mail to struct report with gmime.
 *
 * Defines parse_init(), parse_shutdown(), parse_limits_default(),
 * parse_message() and parse_error_quark().  The raw bytes are cleaned
 * (mbox "From " line, CR/CRLF line ends) and parsed by gmime; the MIME
 * tree is walked depth-first (parse_walk.c) and every text part lands in
 * report->parts as UTF-8.  Header fields, format detection and format
 * fields are filled by parse_headers.c, detect.c and parse_fields.c.
 * Nothing here fails for bad mail: gmime's warnings and every limit hit
 * become report warnings; a message gmime cannot read is kept as one
 * latin-1 text part with kind REPORT_KIND_UNPARSED.
 */
#include "config.h"

#include <string.h>

#include "parse/parse_int.h"

G_DEFINE_QUARK(abusedesk-parse-error-quark, parse_error)

static const char *const gmime_warning_names[] = {
	[GMIME_WARN_DUPLICATED_HEADER] = "duplicated header",
	[GMIME_WARN_DUPLICATED_PARAMETER] = "duplicated parameter",
	[GMIME_WARN_UNENCODED_8BIT_HEADER] = "unencoded 8-bit header",
	[GMIME_WARN_INVALID_CONTENT_TYPE] = "invalid content type",
	[GMIME_WARN_INVALID_RFC2047_HEADER_VALUE] = "invalid RFC 2047 value",
	[GMIME_WARN_MALFORMED_MULTIPART] = "malformed multipart",
	[GMIME_WARN_TRUNCATED_MESSAGE] = "truncated message",
	[GMIME_WARN_MALFORMED_MESSAGE] = "malformed message",
	[GMIME_CRIT_INVALID_HEADER_NAME] = "invalid header name",
	[GMIME_CRIT_CONFLICTING_HEADER] = "conflicting header",
	[GMIME_CRIT_CONFLICTING_PARAMETER] = "conflicting parameter",
	[GMIME_CRIT_MULTIPART_WITHOUT_BOUNDARY] = "multipart without boundary",
	[GMIME_WARN_INVALID_PARAMETER] = "invalid parameter",
	[GMIME_WARN_INVALID_ADDRESS_LIST] = "invalid address list",
	[GMIME_CRIT_NESTING_OVERFLOW] = "MIME nesting overflow",
	[GMIME_WARN_PART_WITHOUT_CONTENT] = "part without content",
	[GMIME_CRIT_PART_WITHOUT_HEADERS_OR_CONTENT] =
	    "part without headers or content",
};

void
parse_init(void)
{
	g_mime_init();
}

void
parse_shutdown(void)
{
	g_mime_shutdown();
}

void
parse_limits_default(struct parse_limits *l)
{
	g_return_if_fail(l != NULL);
	l->max_depth = LIMIT_MIME_DEPTH;
	l->max_parts = LIMIT_MIME_PARTS;
	l->max_header_bytes = LIMIT_HEADER_BYTES;
	l->max_part_text = LIMIT_PART_TEXT;
	l->max_message_text = LIMIT_MESSAGE_TEXT;
	l->arena_cap = LIMIT_ARENA_BYTES;
	l->max_unpack_member = LIMIT_UNPACK_MEMBER_BYTES;
	l->max_unpack_total = LIMIT_UNPACK_TOTAL_BYTES;
	l->max_unpack_ratio = LIMIT_UNPACK_RATIO;
	l->unpack_ratio_free = LIMIT_UNPACK_RATIO_FREE;
	l->max_zip_members = LIMIT_ZIP_MEMBERS;
	l->max_csv_rows = LIMIT_CSV_ROWS;
	l->max_csv_columns = LIMIT_CSV_COLUMNS;
}

/*
 * clean_input - the bytes gmime gets: without a leading mbox "From "
 * line, every line ending (CRLF, bare CR, LF) as LF.
 */
static GByteArray *
clean_input(const guint8 *raw, gsize len)
{
	GByteArray *ba;
	gsize i = 0;

	if (len >= 5 && memcmp(raw, "From ", 5) == 0) {
		while (i < len && raw[i] != '\n' && raw[i] != '\r')
			i++;
		if (i < len && raw[i] == '\r')
			i++;
		if (i < len && raw[i] == '\n')
			i++;
	}
	ba = g_byte_array_sized_new(len - i + 1);
	for (; i < len; i++) {
		if (raw[i] == '\r') {
			if (i + 1 < len && raw[i + 1] == '\n')
				continue;
			g_byte_array_append(ba, (const guint8 *)"\n", 1);
		} else
			g_byte_array_append(ba, raw + i, 1);
	}
	return ba;
}

static void
gmime_warning(gint64 offset, GMimeParserWarning code, const gchar *item,
    gpointer data)
{
	struct report *r = data;
	const char *name = (guint)code < G_N_ELEMENTS(gmime_warning_names) &&
	    gmime_warning_names[code] != NULL ?
	    gmime_warning_names[code] : "parser warning";
	char *it = item != NULL ?
	    g_utf8_make_valid(item, MIN(strlen(item), 200)) : NULL;

	report_warn(r, "gmime: %s at offset %" G_GINT64_FORMAT "%s%s",
	    name, offset, it != NULL ? ": " : "", it != NULL ? it : "");
	g_free(it);
}

/* keep_unparsed - the raw bytes as one text part "1" for the rules. */
static void
keep_unparsed(struct report *r, const struct parse_limits *l,
    const GByteArray *ba)
{
	struct report_part *p;
	gsize cap = MIN(l->max_part_text, l->max_message_text);
	gsize n = MIN(ba->len, cap);

	r->kind = REPORT_KIND_UNPARSED;
	r->format = "unparsed";
	if (l->max_parts == 0 ||
	    (p = arena_alloc(r->arena, sizeof(*p))) == NULL)
		return;
	p->path = "1";
	p->content_type = "text/plain";
	p->text = parse_to_utf8(r->arena, NULL, ba->data, n, &p->text_len);
	if (p->text == NULL) {
		report_warn(r, "part 1: memory budget exhausted");
		return;
	}
	p->truncated = n < ba->len;
	if (p->text_len > cap) {	/* latin-1 grows in UTF-8 */
		gsize cut = cap;

		while (cut > 0 && ((guchar)p->text[cut] & 0xc0) == 0x80)
			cut--;
		((char *)p->text)[cut] = '\0';
		p->text_len = cut;
		p->truncated = TRUE;
	}
	if (p->truncated)
		report_warn(r, "part 1: text cut at %zu bytes (limit)",
		    p->text_len);
	g_ptr_array_add(r->parts, p);
}

struct report *
parse_message(const guint8 *raw, gsize len, const struct parse_limits *limits)
{
	struct parse_limits def;
	const struct parse_limits *l = limits;
	struct parse_hints hints = { NULL, NULL, FALSE, NULL };
	struct report *r;
	GByteArray *ba;
	GMimeStream *stream;
	GMimeParser *parser;
	GMimeParserOptions *opts;
	GMimeMessage *msg;

	if (l == NULL) {
		parse_limits_default(&def);
		l = &def;
	}
	if (raw == NULL)
		len = 0;
	r = report_new(l->arena_cap);
	ba = clean_input(raw, len);
	g_byte_array_ref(ba);
	stream = g_mime_stream_mem_new_with_byte_array(ba);
	parser = g_mime_parser_new_with_stream(stream);
	opts = g_mime_parser_options_new();
	g_mime_parser_options_set_warning_callback(opts, gmime_warning, r);
	msg = len > 0 ? g_mime_parser_construct_message(parser, opts) : NULL;

	if (msg == NULL || g_mime_header_list_get_count(
	    g_mime_object_get_header_list(GMIME_OBJECT(msg))) == 0) {
		report_warn(r, len == 0 ? "empty message" :
		    "not a mail message: kept as raw text");
		keep_unparsed(r, l, ba);
	} else {
		r->kind = REPORT_KIND_ABUSE;
		r->format = "plain";
		parse_headers_fill(r, msg, l);
		hints.limits = l;
		parse_walk(r, msg, l, &hints);
		parse_detect(r, &hints);
		parse_formats_extract(r, &hints);
	}
	g_free(hints.top_type);
	g_free(hints.report_type);
	g_clear_object(&msg);
	g_object_unref(parser);
	g_object_unref(stream);
	g_mime_parser_options_free(opts);
	g_byte_array_unref(ba);
	return r;
}
