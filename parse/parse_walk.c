/*
 * parse_walk.c: the depth-first walk of a gmime MIME tree into
 * report->parts.
 *
 * Defines parse_walk() and parse_utf8_cut().  Paths are IMAP-style ("1",
 * "1.2", "2.1.1"); a message/rfc822 part keeps its own path for the text
 * of its header block and numbers its body below it.  multipart/signed is
 * read through its signed part only, encrypted parts are skipped.  Text
 * parts (text/..., the report and feedback types, JSON, YAML, CSV, files
 * named *.txt *.log ...) are decoded and converted to UTF-8, HTML to text;
 * zip and gzip attachments are recorded with empty text and their members
 * follow as parts "<archive path>.1", ".2", ... (unpack.c); other leaves
 * are recorded with empty text.  Every limit of struct
 * parse_limits hit becomes a warning naming the part; the walk never
 * fails and never recurses deeper than max_depth.
 */
#include "config.h"

#include <string.h>

#include "parse/parse_int.h"

struct walk {
	struct report			*r;
	const struct parse_limits	*l;
	gsize				 text_total;
	gboolean			 full;	/* part limit hit */
	gsize				 unpacked;	/* unpack.c output */
	const char			*archive;	/* path of the archive */
	guint				 archive_depth;
};

static const char *const text_types[] = {
	"message/feedback-report", "message/delivery-status",
	"message/global-delivery-status", "message/disposition-notification",
	"message/rfc822-headers", "application/json", "application/yaml",
	"application/x-yaml", "application/csv", "application/xml",
	"application/x-csv", "application/ld+json",
};

static const char *const text_suffixes[] = {
	".txt", ".csv", ".json", ".log", ".yaml", ".yml", ".xml",
};

static void walk_entity(struct walk *, GMimeObject *, const char *, guint,
    guint);

gsize
parse_utf8_cut(const char *s, gsize len, gsize max)
{
	if (len <= max)
		return len;
	while (max > 0 && ((guchar)s[max] & 0xc0) == 0x80)
		max--;
	return max;
}

static char *
child_path(const char *prefix, guint i)
{
	return g_strdup_printf("%s%s%u", prefix, *prefix != '\0' ? "." : "", i);
}

static gboolean
is_text(const char *ct, const char *filename)
{
	guint i;

	if (g_str_has_prefix(ct, "text/"))
		return TRUE;
	for (i = 0; i < G_N_ELEMENTS(text_types); i++)
		if (strcmp(ct, text_types[i]) == 0)
			return TRUE;
	if (filename == NULL)
		return FALSE;
	for (i = 0; i < G_N_ELEMENTS(text_suffixes); i++)
		if (g_str_has_suffix(filename, text_suffixes[i]))
			return TRUE;
	return FALSE;
}

/* arena_utf8 - an untrusted gmime string, bounded and valid, or NULL. */
static const char *
arena_utf8(struct arena *a, const char *s, gsize max)
{
	char *v, *res;

	if (s == NULL)
		return NULL;
	v = g_utf8_make_valid(s, MIN(strlen(s), max));
	res = arena_strdup(a, v);
	g_free(v);
	return res;
}

/*
 * add_part - records one part; text (UTF-8, already in the arena) is cut
 * to the part and message limits.  Returns FALSE once the part limit
 * stops the walk.
 */
static gboolean
add_part(struct walk *w, const char *path, GMimeObject *o, const char *ct,
    char *text, gsize len, guint depth)
{
	struct report *r = w->r;
	const struct parse_limits *l = w->l;
	struct report_part *p;
	gsize room = l->max_message_text - w->text_total, cut;

	if (w->full)
		return FALSE;
	if (r->parts->len >= l->max_parts) {
		report_warn(r, "part %s: part limit (%u) reached: the rest "
		    "of the message is not read", path, l->max_parts);
		w->full = TRUE;
		return FALSE;
	}
	if ((p = arena_alloc(r->arena, sizeof(*p))) == NULL ||
	    (p->path = arena_strdup(r->arena, path)) == NULL) {
		report_warn(r, "part %s: memory budget exhausted", path);
		w->full = TRUE;
		return FALSE;
	}
	p->content_type = arena_strdup(r->arena, ct);
	p->depth = depth;
	if (o != NULL && GMIME_IS_PART(o))
		p->filename = arena_utf8(r->arena,
		    g_mime_part_get_filename(GMIME_PART(o)), 255);
	if (o != NULL)
		p->charset = arena_utf8(r->arena,
		    g_mime_object_get_content_type_parameter(o, "charset"), 64);
	if (text == NULL) {
		text = (char *)"";
		len = 0;
	}
	if (len > l->max_part_text) {
		cut = parse_utf8_cut(text, len, l->max_part_text);
		report_warn(r, "part %s: text cut at %zu of %zu bytes "
		    "(part text limit)", path, cut, len);
		text[cut] = '\0';
		len = cut;
		p->truncated = TRUE;
	}
	if (len > room) {
		cut = parse_utf8_cut(text, len, room);
		report_warn(r, "part %s: message text limit (%zu bytes) "
		    "reached: text cut at %zu bytes", path,
		    (gsize)l->max_message_text, cut);
		text[cut] = '\0';
		len = cut;
		p->truncated = TRUE;
	}
	p->text = text;
	p->text_len = len;
	w->text_total += len;
	g_ptr_array_add(r->parts, p);
	return TRUE;
}

/* part_bytes - the part's content with its transfer encoding decoded. */
static GMimeStream *
part_bytes(GMimeObject *o, GByteArray **ba)
{
	GMimeDataWrapper *dw = g_mime_part_get_content(GMIME_PART(o));
	GMimeStream *mem = g_mime_stream_mem_new();

	if (dw != NULL)
		g_mime_data_wrapper_write_to_stream(dw, mem);
	*ba = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem));
	return mem;
}

/* member - one member of an archive (unpack.c) becomes part
 * <archive path>.<n> with the member name as its filename. */
static void
member(gpointer ud, guint n, const char *name, const char *ct, char *text,
    gsize len)
{
	struct walk *w = ud;
	char *path = child_path(w->archive, n);
	struct report_part *p;

	if (add_part(w, path, NULL, ct, text, len, w->archive_depth) &&
	    *name != '\0') {
		p = g_ptr_array_index(w->r->parts, w->r->parts->len - 1);
		p->filename = arena_strdup(w->r->arena, name);
	}
	g_free(path);
}

/* leaf - decodes a GMimePart (transfer encoding, charset, HTML); a zip or
 * gzip attachment is recorded, then each of its members as a text part
 * below it (unpack.c). */
static void
leaf(struct walk *w, GMimeObject *o, const char *path, guint depth)
{
	GMimeContentType *ct = g_mime_object_get_content_type(o);
	char *type = ct != NULL ? g_mime_content_type_get_mime_type(ct) :
	    g_strdup("text/plain");
	char *lower = g_ascii_strdown(type, -1), *text = NULL;
	const char *filename = GMIME_IS_PART(o) ?
	    g_mime_part_get_filename(GMIME_PART(o)) : NULL;
	GMimeStream *mem;
	GByteArray *ba;
	gsize len = 0;

	g_free(type);
	if (GMIME_IS_PART(o) && is_text(lower, filename)) {
		mem = part_bytes(o, &ba);
		text = parse_to_utf8(w->r->arena,
		    g_mime_object_get_content_type_parameter(o, "charset"),
		    ba->data, ba->len, &len);
		if (text != NULL && strcmp(lower, "text/html") == 0)
			text = parse_html_to_text(w->r->arena, text, len, &len);
		if (text == NULL)
			report_warn(w->r, "part %s: memory budget exhausted",
			    path);
		g_object_unref(mem);
	} else if (GMIME_IS_PART(o) && parse_unpack_wanted(lower, filename)) {
		mem = part_bytes(o, &ba);
		if (add_part(w, path, o, lower, NULL, 0, depth)) {
			w->archive = path;
			w->archive_depth = depth;
			parse_unpack(w->r, w->l, path, filename, ba->data,
			    ba->len, &w->unpacked, member, w);
		}
		g_object_unref(mem);
		g_free(lower);
		return;
	}
	add_part(w, path, o, lower, text, len, depth);
	g_free(lower);
}

/* message_headers - the nested message's header block as one text. */
static void
message_headers(struct walk *w, GMimeObject *part, GMimeMessage *m,
    const char *path, guint depth)
{
	GMimeHeaderList *hl = g_mime_object_get_header_list(GMIME_OBJECT(m));
	GString *s = g_string_new(NULL);
	int i, n = g_mime_header_list_get_count(hl);
	char *text;

	for (i = 0; i < n && s->len <= w->l->max_part_text; i++) {
		GMimeHeader *h = g_mime_header_list_get_header_at(hl, i);
		char *v = parse_header_value(h);

		g_string_append_printf(s, "%s: %s\n",
		    g_mime_header_get_name(h), v);
		g_free(v);
	}
	if (!g_utf8_validate(s->str, s->len, NULL)) {
		char *v = g_utf8_make_valid(s->str, s->len);

		g_string_assign(s, v);
		g_free(v);
	}
	text = arena_strndup(w->r->arena, s->str, s->len);
	add_part(w, path, part, "message/rfc822", text,
	    text != NULL ? s->len : 0, depth);
	g_string_free(s, TRUE);
}

/* body - a message body: a multipart numbers its children from prefix,
 * anything else is part prefix.1 ("1" at the top). */
static void
body(struct walk *w, GMimeObject *o, const char *prefix, guint level,
    guint depth)
{
	char *path;

	if (o == NULL)
		return;
	if (GMIME_IS_MULTIPART(o)) {
		/* Its children are numbered from prefix: a multipart body
		 * has no number of its own. */
		walk_entity(w, o, prefix, level, depth);
		return;
	}
	path = child_path(prefix, 1);
	walk_entity(w, o, path, level, depth);
	g_free(path);
}

static void
children(struct walk *w, GMimeMultipart *mp, const char *path, guint level,
    guint depth)
{
	int i, n = g_mime_multipart_get_count(mp);
	char *cp;

	if (GMIME_IS_MULTIPART_ENCRYPTED(mp)) {
		report_warn(w->r, "part %s: encrypted, not read",
		    *path != '\0' ? path : "1");
		return;
	}
	if (n == 0) {
		/* No part matched the declared boundary (or none was
		 * closed): gmime keeps everything as the preamble.  Read it
		 * as text rather than lose the report. */
		const char *pro = g_mime_multipart_get_prologue(mp);
		gsize len = 0;
		char *text;

		if (pro == NULL || *pro == '\0')
			return;
		report_warn(w->r, "part %s: no part matches the declared "
		    "boundary: the body is read as text",
		    *path != '\0' ? path : "1");
		text = parse_to_utf8(w->r->arena, NULL, (const guint8 *)pro,
		    strlen(pro), &len);
		add_part(w, *path != '\0' ? path : "1", NULL, "text/plain",
		    text, len, depth);
		return;
	}
	if (GMIME_IS_MULTIPART_SIGNED(mp) && n > 1)
		n = 1;		/* the signature is not evidence */
	for (i = 0; i < n && !w->full; i++) {
		cp = child_path(path, (guint)i + 1);
		walk_entity(w, g_mime_multipart_get_part(mp, i), cp, level,
		    depth);
		g_free(cp);
	}
}

static void
walk_entity(struct walk *w, GMimeObject *o, const char *path, guint level,
    guint depth)
{
	GMimeMessage *m;

	if (o == NULL || w->full)
		return;
	if ((GMIME_IS_MULTIPART(o) || GMIME_IS_MESSAGE_PART(o)) &&
	    level + 1 > w->l->max_depth) {
		report_warn(w->r, "part %s: MIME nesting deeper than %u "
		    "levels: not read", *path != '\0' ? path : "1",
		    w->l->max_depth);
		return;
	}
	if (GMIME_IS_MULTIPART(o)) {
		children(w, GMIME_MULTIPART(o), path, level + 1, depth);
	} else if (GMIME_IS_MESSAGE_PART(o)) {
		m = g_mime_message_part_get_message(GMIME_MESSAGE_PART(o));
		if (m == NULL) {
			add_part(w, path, o, "message/rfc822", NULL, 0,
			    depth + 1);
			return;
		}
		message_headers(w, o, m, path, depth + 1);
		body(w, g_mime_message_get_mime_part(m), path, level + 1,
		    depth + 1);
	} else
		leaf(w, o, path, depth);
}

/* hints - what detect.c needs to know about the top of the tree. */
static void
hints(GMimeObject *top, struct parse_hints *h)
{
	GMimeContentType *ct;
	const char *rt;
	int i, n, msgs = 0;

	if (top == NULL)
		return;
	if ((ct = g_mime_object_get_content_type(top)) != NULL) {
		char *t = g_mime_content_type_get_mime_type(ct);

		h->top_type = g_ascii_strdown(t, -1);
		g_free(t);
	}
	if ((rt = g_mime_object_get_content_type_parameter(top,
	    "report-type")) != NULL)
		h->report_type = g_ascii_strdown(rt, -1);
	if (GMIME_IS_MESSAGE_PART(top)) {
		h->top_is_rfc822 = TRUE;
		return;
	}
	if (!GMIME_IS_MULTIPART(top) || GMIME_IS_MULTIPART_SIGNED(top) ||
	    h->report_type != NULL)
		return;
	/* A short cover note and the forwarded message. */
	n = g_mime_multipart_get_count(GMIME_MULTIPART(top));
	for (i = 0; i < n && n <= 3; i++)
		if (GMIME_IS_MESSAGE_PART(g_mime_multipart_get_part(
		    GMIME_MULTIPART(top), i)))
			msgs++;
	h->top_is_rfc822 = msgs >= 1 && n <= 3;
}

void
parse_walk(struct report *r, GMimeMessage *msg, const struct parse_limits *l,
    struct parse_hints *h)
{
	struct walk w = { r, l, 0, FALSE, 0, NULL, 0 };
	GMimeObject *top = g_mime_message_get_mime_part(msg);

	hints(top, h);
	if (top == NULL) {
		add_part(&w, "1", NULL, "text/plain", NULL, 0, 0);
		return;
	}
	body(&w, top, "", 0, 0);
}
