/*
 * salvage.c: attachments rescued from a body gmime could not split.
 *
 * Defines parse_salvage().  When no part of a multipart matches its
 * declared boundary, the walk keeps the whole body as one text part (see
 * parse_walk.c children()).  Feeds then lose their attachment: the CSV is
 * still there, base64-encoded, after its own part headers.  This finds
 * every "Content-Transfer-Encoding: base64" block of such a part whose
 * headers name a file, decodes it (bounded by the part text limit) and
 * adds it as part "<path>.<n>" with that filename: text as it is, zip and
 * gzip through unpack.c (their members numbered below it).  Run by
 * fmt_csv.c before it looks for CSV parts.
 */
#include "config.h"

#include <string.h>

#include "parse/parse_int.h"

struct salvage {
	struct report			*r;
	const struct parse_limits	*l;
	const char			*path;	/* of the archive */
	gsize				 total;
};

static struct report_part *
add(struct salvage *s, const char *path, const char *ct, const char *name,
    char *text, gsize len)
{
	struct report_part *p;
	gsize cut;

	if (s->r->parts->len >= s->l->max_parts ||
	    (p = arena_alloc(s->r->arena, sizeof(*p))) == NULL)
		return NULL;
	p->path = arena_strdup(s->r->arena, path);
	p->content_type = ct;
	p->filename = name != NULL && *name != '\0' ?
	    arena_strdup(s->r->arena, name) : NULL;
	if (text == NULL)
		len = 0;
	if (len > s->l->max_part_text) {
		cut = parse_utf8_cut(text, len, s->l->max_part_text);
		text[cut] = '\0';
		len = cut;
		p->truncated = TRUE;
		report_warn(s->r, "part %s: text cut at %zu bytes (part text "
		    "limit)", path, cut);
	}
	p->text = text != NULL ? text : "";
	p->text_len = len;
	g_ptr_array_add(s->r->parts, p);
	return p;
}

static void
member(gpointer ud, guint n, const char *name, const char *ct, char *text,
    gsize len)
{
	struct salvage *s = ud;
	char *path = g_strdup_printf("%s.%u", s->path, n);

	add(s, path, ct, name, text, len);
	g_free(path);
}

/* filename - the filename= or name= value in the header block [h, e). */
static char *
filename(const char *h, const char *e)
{
	const char *v = g_strstr_len(h, e - h, "filename=");
	gsize n;

	if (v == NULL && (v = g_strstr_len(h, e - h, "name=")) == NULL)
		return NULL;
	v = strchr(v, '=') + 1;
	if (*v == '"')
		v++;
	n = strcspn(v, "\"\n;");
	return n > 0 && n < 256 ? g_strndup(v, n) : NULL;
}

/* block - decodes the base64 lines from b; returns where they end. */
static const char *
block(struct salvage *s, const struct report_part *p, const char *b,
    const char *end, const char *name, guint n)
{
	GString *out = g_string_new(NULL);
	const char *line = b, *eol;
	char *path, *text;
	gint state = 0;
	guint save = 0;
	gsize len, dl;

	for (; line < end; line = eol + 1) {
		if ((eol = memchr(line, '\n', end - line)) == NULL)
			eol = end;
		len = eol - line;
		if (len == 0 || line[0] == '-' ||
		    strspn(line, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnop"
		    "qrstuvwxyz0123456789+/=") < len)
			break;
		if (out->len + len > s->l->max_part_text)
			break;
		g_string_set_size(out, out->len + len);
		dl = g_base64_decode_step(line, len, (guchar *)out->str +
		    out->len - len, &state, &save);
		g_string_set_size(out, out->len - len + dl);
	}
	path = g_strdup_printf("%s.%u", p->path, n);
	if (parse_unpack_wanted("application/octet-stream", name)) {
		if (add(s, path, "application/octet-stream", name, NULL, 0)) {
			s->path = path;
			parse_unpack(s->r, s->l, path, name,
			    (const guint8 *)out->str, out->len, &s->total,
			    member, s);
		}
	} else {
		text = parse_to_utf8(s->r->arena, NULL,
		    (const guint8 *)out->str, out->len, &len);
		add(s, path, g_str_has_suffix(name, ".csv") ? "text/csv" :
		    "text/plain", name, text, len);
	}
	report_warn(s->r, "part %s: attachment %s rescued from the text "
	    "as part %s", p->path, name, path);
	g_free(path);
	g_string_free(out, TRUE);
	return line;
}

/* unsplit - the walk read part path as text for want of a boundary. */
static gboolean
unsplit(const struct report *r, const char *path)
{
	char *w = g_strdup_printf("part %s: no part matches the declared "
	    "boundary", path);
	gboolean yes = FALSE;
	guint i;

	for (i = 0; i < r->warnings->len && !yes; i++)
		yes = g_str_has_prefix(g_ptr_array_index(r->warnings, i), w);
	g_free(w);
	return yes;
}

void
parse_salvage(struct report *r, const struct parse_limits *l)
{
	static const char cte[] = "Content-Transfer-Encoding: base64\n";
	struct salvage s = { r, l, NULL, 0 };
	guint i, n, k;

	n = r->parts->len;
	for (i = 0; i < n; i++) {
		const struct report_part *p = g_ptr_array_index(r->parts, i);
		const char *t = p->text, *end = t + p->text_len, *c, *h, *b;
		char *name;

		if (strcmp(p->content_type, "text/plain") != 0 ||
		    !unsplit(r, p->path))
			continue;
		for (c = t, k = 0; k < 16 && (c = g_strstr_len(c, end - c,
		    cte)) != NULL; c = b) {
			/* the part's header block around the CTE line */
			h = c;
			while (h > t + 1 && !(h[-1] == '\n' && h[-2] == '\n'))
				h--;
			b = g_strstr_len(c, end - c, "\n\n");
			b = b != NULL ? b + 2 : end;
			if ((name = filename(h, b)) == NULL)
				continue;
			b = block(&s, p, b, end, name, ++k);
			g_free(name);
		}
	}
}
