/*
 * unpack.c: zip and gzip attachments opened in memory, within limits.
 *
 * Defines parse_unpack_wanted() and parse_unpack().  The MIME walk
 * (parse_walk.c leaf()) hands over the decoded bytes of an attachment that
 * is application/zip, application/x-zip-compressed, application/gzip,
 * application/x-gzip, or an application/octet-stream named *.zip, *.gz
 * (so *.csv.zip, *.csv.gz, *.xml.gz) or unnamed; the magic bytes decide
 * which decoder runs.  zip goes through libzip from a memory source (never
 * a temporary file), gzip through zlib's inflate (windowBits 15+32, so
 * zlib streams and concatenated gzip members are read too).
 *
 * parse_unpack_limits() gives the limits with every unpack and CSV field
 * left 0 (a config that predates them) set to its limits.h default.
 * Every member's output is bounded by the member limit, the per-message
 * total and an expansion ratio once unpack_ratio_free bytes are out; zip
 * archives are read up to max_zip_members entries.  A limit hit, a corrupt
 * or encrypted member gives a warning naming the part and member and the
 * bytes read so far: a partial result, never an error.  Each member is
 * handed to the caller as UTF-8 text in the arena (NULL for binary data)
 * with a content type guessed from its name, then from its first bytes:
 * text/csv, application/json, application/xml, text/plain or
 * application/octet-stream.
 */
#include "config.h"

#include <string.h>
#include <zip.h>
#include <zlib.h>

#include "parse/parse_int.h"

#define UNPACK_CHUNK	(64u * 1024)

struct unpack {
	struct report			*r;
	const struct parse_limits	*l;
	const char			*path;
	gsize				*total;		/* per message */
	parse_unpack_fn			 fn;
	gpointer			 ud;
	guint				 n;		/* members handed */
};

static const char *const archive_types[] = {
	"application/zip", "application/x-zip-compressed", "application/x-zip",
	"application/gzip", "application/x-gzip", "application/x-gunzip",
	"application/gzip-compressed", "application/x-compressed",
};

static const char *const archive_suffixes[] = {
	".zip", ".gz", ".gzip",
};

gboolean
parse_unpack_wanted(const char *ct, const char *filename)
{
	char *lower;
	gboolean named = FALSE;
	guint i;

	for (i = 0; i < G_N_ELEMENTS(archive_types); i++)
		if (strcmp(ct, archive_types[i]) == 0)
			return TRUE;
	if (filename != NULL) {
		lower = g_ascii_strdown(filename, -1);
		for (i = 0; i < G_N_ELEMENTS(archive_suffixes); i++)
			if (g_str_has_suffix(lower, archive_suffixes[i]))
				named = TRUE;
		g_free(lower);
	}
	/* Unnamed octet-streams are tried too: the magic bytes decide. */
	return g_str_has_prefix(ct, "application/") &&
	    (named || (filename == NULL &&
	    strcmp(ct, "application/octet-stream") == 0));
}

/* guess_type - content type of a member from its name, then its bytes. */
static const char *
guess_type(const char *name, const guint8 *d, gsize len)
{
	char *lower = g_ascii_strdown(name, -1);
	const char *ct = NULL;
	gsize i = 0;

	if (g_str_has_suffix(lower, ".csv"))
		ct = "text/csv";
	else if (g_str_has_suffix(lower, ".json"))
		ct = "application/json";
	else if (g_str_has_suffix(lower, ".xml"))
		ct = "application/xml";
	g_free(lower);
	if (ct != NULL)
		return ct;
	if (len > 0 && memchr(d, '\0', MIN(len, 4096)) != NULL)
		return "application/octet-stream";
	if (len >= 3 && memcmp(d, "\xef\xbb\xbf", 3) == 0)
		i = 3;
	while (i < len && g_ascii_isspace(d[i]))
		i++;
	if (i < len && d[i] == '<')
		return "application/xml";
	if (i < len && (d[i] == '{' || d[i] == '['))
		return "application/json";
	return "text/plain";
}

/* room - bytes a member that read in compressed bytes may produce. */
static gsize
room(const struct unpack *u, gsize in, const char **why)
{
	const struct parse_limits *l = u->l;
	gsize max = l->max_unpack_member, left, ratio;

	*why = "member size limit";
	left = l->max_unpack_total > *u->total ?
	    l->max_unpack_total - *u->total : 0;
	if (left < max) {
		max = left;
		*why = "message total limit";
	}
	ratio = in > G_MAXSIZE / MAX(l->max_unpack_ratio, 1) ? G_MAXSIZE :
	    in * l->max_unpack_ratio;
	ratio = MAX(ratio, l->unpack_ratio_free);
	if (ratio < max) {
		max = ratio;
		*why = "expansion ratio limit";
	}
	return max;
}

/* hand - one member's bytes to the caller as text in the arena. */
static void
hand(struct unpack *u, const char *name, const GByteArray *ba)
{
	const char *ct = guess_type(name, ba->data, ba->len);
	char *text = NULL;
	gsize len = 0;

	*u->total += ba->len;
	if (strcmp(ct, "application/octet-stream") != 0 &&
	    (text = parse_to_utf8(u->r->arena, NULL, ba->data, ba->len,
	    &len)) == NULL)
		report_warn(u->r, "part %s: memory budget exhausted", u->path);
	u->fn(u->ud, ++u->n, name, ct, text, len);
}

static void
limit_hit(struct unpack *u, const char *name, const char *why, gsize got)
{
	report_warn(u->r, "part %s: member %s: %s reached: only the first "
	    "%zu decompressed bytes are read", u->path, name, why, got);
}

static void
gunzip(struct unpack *u, const char *filename, const guint8 *d, gsize len)
{
	z_stream zs;
	gz_header gh;
	char gname[256], *name;
	guint8 *buf = g_malloc(UNPACK_CHUNK), one;
	GByteArray *ba = g_byte_array_new();
	const char *why;
	gsize max;
	int rc = Z_OK;

	memset(&zs, 0, sizeof(zs));
	memset(&gh, 0, sizeof(gh));
	gname[0] = '\0';
	gh.name = (Bytef *)gname;
	gh.name_max = sizeof(gname) - 1;
	if (len > G_MAXUINT || inflateInit2(&zs, 15 + 32) != Z_OK) {
		report_warn(u->r, "part %s: gzip stream not read", u->path);
		goto out;
	}
	inflateGetHeader(&zs, &gh);
	zs.next_in = (Bytef *)d;
	zs.avail_in = (uInt)len;
	for (;;) {
		max = room(u, len, &why);
		if (ba->len >= max) {
			/* At the limit: one more byte says whether it cut. */
			zs.next_out = &one;
			zs.avail_out = 1;
			rc = inflate(&zs, Z_NO_FLUSH);
			if (zs.avail_out == 0)
				rc = -100;
			break;
		}
		zs.next_out = buf;
		zs.avail_out = (uInt)MIN(UNPACK_CHUNK, max - ba->len);
		rc = inflate(&zs, Z_NO_FLUSH);
		g_byte_array_append(ba, buf,
		    (guint)(zs.next_out - (Bytef *)buf));
		if (rc == Z_STREAM_END && zs.avail_in > 2 &&
		    zs.next_in[0] == 0x1f && zs.next_in[1] == 0x8b) {
			inflateReset(&zs);	/* concatenated members */
			continue;
		}
		if (rc != Z_OK)
			break;
	}
	gname[sizeof(gname) - 1] = '\0';
	if (gh.done == 1 && gname[0] != '\0')
		name = g_utf8_make_valid(gname, -1);
	else if (filename != NULL && (g_str_has_suffix(filename, ".gz") ||
	    g_str_has_suffix(filename, ".GZ")))
		name = g_strndup(filename, strlen(filename) - 3);
	else
		name = g_strdup(filename != NULL ? filename : "");
	if (rc == -100)
		limit_hit(u, *name != '\0' ? name : "1", why, ba->len);
	else if (rc != Z_STREAM_END)
		report_warn(u->r, "part %s: gzip stream %s after %u bytes: "
		    "partial content", u->path, rc == Z_BUF_ERROR ?
		    "truncated" : "corrupt", ba->len);
	hand(u, name, ba);
	g_free(name);
	inflateEnd(&zs);
out:
	g_byte_array_unref(ba);
	g_free(buf);
}

/* zip_member - reads entry i of za within the limits. */
static void
zip_member(struct unpack *u, zip_t *za, zip_uint64_t i)
{
	zip_stat_t st;
	zip_file_t *zf;
	GByteArray *ba;
	guint8 *buf;
	const char *why;
	char *name;
	gsize max, comp;
	zip_int64_t got = 0;
	guint8 one;

	zip_stat_init(&st);
	if (zip_stat_index(za, i, 0, &st) != 0 ||
	    (st.valid & ZIP_STAT_NAME) == 0) {
		report_warn(u->r, "part %s: zip entry %" G_GUINT64_FORMAT
		    " unreadable", u->path, (guint64)i);
		return;
	}
	name = g_utf8_make_valid(st.name, MIN(strlen(st.name), 255));
	if (g_str_has_suffix(name, "/")) {		/* a directory */
		g_free(name);
		return;
	}
	if ((zf = zip_fopen_index(za, i, 0)) == NULL) {
		report_warn(u->r, "part %s: member %s not read: %s", u->path,
		    name, zip_strerror(za));
		g_free(name);
		return;
	}
	comp = (st.valid & ZIP_STAT_COMP_SIZE) != 0 ?
	    (gsize)st.comp_size : 0;
	buf = g_malloc(UNPACK_CHUNK);
	ba = g_byte_array_new();
	for (;;) {
		max = room(u, comp, &why);
		if (ba->len >= max) {
			if ((got = zip_fread(zf, &one, 1)) == 1)
				limit_hit(u, name, why, ba->len);
			break;
		}
		got = zip_fread(zf, buf, MIN(UNPACK_CHUNK, max - ba->len));
		if (got <= 0)
			break;
		g_byte_array_append(ba, buf, (guint)got);
	}
	if (got < 0)
		report_warn(u->r, "part %s: member %s corrupt after %zu "
		    "bytes: %s", u->path, name, (gsize)ba->len,
		    zip_error_strerror(zip_file_get_error(zf)));
	zip_fclose(zf);
	hand(u, name, ba);
	g_byte_array_unref(ba);
	g_free(buf);
	g_free(name);
}

static void
unzip(struct unpack *u, const guint8 *d, gsize len)
{
	zip_error_t ze;
	zip_source_t *src;
	zip_t *za;
	zip_int64_t n;
	zip_uint64_t i;

	zip_error_init(&ze);
	if ((src = zip_source_buffer_create(d, len, 0, &ze)) == NULL) {
		report_warn(u->r, "part %s: zip not read: %s", u->path,
		    zip_error_strerror(&ze));
		zip_error_fini(&ze);
		return;
	}
	if ((za = zip_open_from_source(src, ZIP_RDONLY, &ze)) == NULL) {
		report_warn(u->r, "part %s: not a readable zip archive: %s",
		    u->path, zip_error_strerror(&ze));
		zip_source_free(src);
		zip_error_fini(&ze);
		return;
	}
	n = zip_get_num_entries(za, 0);
	if (n > (zip_int64_t)u->l->max_zip_members) {
		report_warn(u->r, "part %s: zip has %" G_GINT64_FORMAT
		    " entries: only the first %u are read (zip member limit)",
		    u->path, (gint64)n, u->l->max_zip_members);
		n = u->l->max_zip_members;
	}
	for (i = 0; n > 0 && i < (zip_uint64_t)n; i++)
		zip_member(u, za, i);
	zip_discard(za);		/* frees src too */
	zip_error_fini(&ze);
}

void
parse_unpack_limits(const struct parse_limits *in, struct parse_limits *out)
{
	struct parse_limits def;

	parse_limits_default(&def);
	*out = in != NULL ? *in : def;
#define UNSET(f)	if (out->f == 0) out->f = def.f
	UNSET(max_unpack_member);
	UNSET(max_unpack_total);
	UNSET(max_unpack_ratio);
	UNSET(unpack_ratio_free);
	UNSET(max_zip_members);
	UNSET(max_csv_rows);
	UNSET(max_csv_columns);
#undef UNSET
}

void
parse_unpack(struct report *r, const struct parse_limits *l, const char *path,
    const char *filename, const guint8 *data, gsize len, gsize *total,
    parse_unpack_fn fn, gpointer ud)
{
	struct parse_limits lim;
	struct unpack u = { r, &lim, path, total, fn, ud, 0 };

	parse_unpack_limits(l, &lim);

	if (len >= 4 && data[0] == 'P' && data[1] == 'K' &&
	    (data[2] == 3 || data[2] == 5))
		unzip(&u, data, len);
	else if (len >= 2 && data[0] == 0x1f && data[1] == 0x8b)
		gunzip(&u, filename, data, len);
	else if (len > 0 && filename != NULL)
		report_warn(r, "part %s: %s is neither zip nor gzip: not "
		    "unpacked", path, filename);
}
