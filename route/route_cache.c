/*
 * route_cache.c: the compiled table cache ([paths] table_cache).
 *
 * Parsing the big CSV tables (gzip, inet_pton, order checks) is most of
 * the start-up time, so a table loaded from a CSV file is also written,
 * compiled, to <dir>/<basename>.<digest>.bin, and a later load reads that
 * instead.  The digest is a SHA-256 over the cache format version, the
 * kind of table (its columns), the source's absolute path, size, mtime
 * and inode: a changed, replaced or moved source gets a new file name,
 * and the stale file is never read again: writing a table's new cache
 * file removes the older ones of the same basename (two sources of one
 * basename sharing a cache directory only evict each other).
 *
 * A cache file: a fixed header (magic, version, byte order, payload size,
 * CRC-32 of the payload, the full digest) and the payload: the arrays of
 * a range table (route_cache_ranges_dump/undump, here, which check them
 * as the CSV loader would), or the AS names (route_asn.c).  A
 * missing, short, foreign, stale or corrupt file is ignored and the CSV
 * is parsed as if there were no cache; the new file is written to a
 * temporary name and renamed over, so readers never see half a file.
 * The cache is an optimisation: every failure to write it is a warning,
 * never an error.
 */
#include "config.h"

#include <sys/stat.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>
#include <glib/gstdio.h>

#include "route/route_int.h"
#include "route/route_ranges_int.h"

#define CACHE_MAGIC	"ADCACHE\n"
/* Bump when a payload layout changes. */
#define CACHE_VERSION	1
/* Byte order and type sizes of the writer. */
#define CACHE_ORDER	0x01020304u
/* Largest cache file read: well above the shipped tables (~15 MiB) and
 * a full pfx2as or ip2asn table, and low enough that a hostile file
 * cannot make the loader's peak memory large (file plus arrays). */
#define CACHE_MAX	((gsize)256 << 20)

struct cache_header {
	char	magic[8];
	guint32	version;
	guint32	order;
	guint64	size;		/* of the payload */
	guint32	crc;		/* CRC-32 of the payload */
	guint32	pad;
	guint8	digest[32];	/* SHA-256, see cache_digest() */
};

/* cache_digest - the digest of src as the table kind (FALSE when src
 * cannot be stat'ed: then there is nothing to cache) */
static gboolean
cache_digest(const char *src, const char *kind, guint8 digest[32])
{
	GChecksum *ck;
	GStatBuf st;
	char *abs, *meta;
	gsize len = 32;

	if (g_stat(src, &st) != 0 || !S_ISREG(st.st_mode))
		return FALSE;
	abs = g_canonicalize_filename(src, NULL);
	meta = g_strdup_printf("%d\n%s\n%s\n%" G_GUINT64_FORMAT "\n%"
	    G_GINT64_FORMAT ".%09ld\n%" G_GUINT64_FORMAT "\n", CACHE_VERSION,
	    kind, abs, (guint64)st.st_size, (gint64)st.st_mtim.tv_sec,
	    (long)st.st_mtim.tv_nsec, (guint64)st.st_ino);
	ck = g_checksum_new(G_CHECKSUM_SHA256);
	g_checksum_update(ck, (const guchar *)meta, strlen(meta));
	g_checksum_get_digest(ck, digest, &len);
	g_checksum_free(ck);
	g_free(meta);
	g_free(abs);
	return TRUE;
}

/* cache_name - <dir>/<basename>.<first 16 hex digits of digest>.bin */
static char *
cache_name(const char *dir, const char *src, const guint8 digest[32])
{
	char *base = g_path_get_basename(src), *file, *path;

	file = g_strdup_printf("%s.%02x%02x%02x%02x%02x%02x%02x%02x.bin",
	    base, digest[0], digest[1], digest[2], digest[3], digest[4],
	    digest[5], digest[6], digest[7]);
	path = g_build_filename(dir, file, NULL);
	g_free(file);
	g_free(base);
	return path;
}

char *
route_cache_file(const char *dir, const char *src, const char *kind)
{
	guint8 digest[32];

	if (dir == NULL || !cache_digest(src, kind, digest))
		return NULL;
	return cache_name(dir, src, digest);
}

GBytes *
route_cache_read(const char *dir, const char *src, const char *kind)
{
	struct cache_header h;
	guint8 digest[32];
	GBytes *whole, *payload;
	GStatBuf st;
	char *path, *buf = NULL;
	gsize len = 0;
	const char *why = NULL;

	if (dir == NULL || !cache_digest(src, kind, digest))
		return NULL;
	path = cache_name(dir, src, digest);
	if (g_stat(path, &st) != 0) {
		g_free(path);
		return NULL;		/* not cached yet */
	}
	if ((gsize)st.st_size < sizeof(h) || (gsize)st.st_size > CACHE_MAX)
		why = "bad size";
	else if (!g_file_get_contents(path, &buf, &len, NULL))
		why = "unreadable";
	else if (len < sizeof(h))
		why = "truncated";
	if (why == NULL) {
		memcpy(&h, buf, sizeof(h));
		if (memcmp(h.magic, CACHE_MAGIC, 8) != 0 ||
		    h.version != CACHE_VERSION || h.order != CACHE_ORDER)
			why = "not a cache file of this version";
		else if (memcmp(h.digest, digest, 32) != 0)
			why = "for another source";
		else if (h.size != len - sizeof(h))
			why = "truncated";
		else if (crc32(0, (const Bytef *)buf + sizeof(h),
		    (uInt)h.size) != h.crc)
			why = "checksum mismatch";
	}
	if (why != NULL) {
		g_debug("%s: %s: ignored", path, why);
		g_free(buf);
		g_free(path);
		return NULL;
	}
	g_free(path);
	whole = g_bytes_new_take(buf, len);
	payload = g_bytes_new_from_bytes(whole, sizeof(h), len - sizeof(h));
	g_bytes_unref(whole);
	return payload;
}

/* prune - removes dir's other cache files of src's basename than keep */
static void
prune(const char *dir, const char *src, const char *keep)
{
	GDir *d;
	const char *e;
	char *base = g_path_get_basename(src), *kbase, *f;
	gsize blen = strlen(base);

	if ((d = g_dir_open(dir, 0, NULL)) == NULL) {
		g_free(base);
		return;
	}
	kbase = g_path_get_basename(keep);
	while ((e = g_dir_read_name(d)) != NULL) {
		/* <basename>.<16 hex digits>.bin */
		if (strlen(e) != blen + 1 + 16 + 4 ||
		    strncmp(e, base, blen) != 0 || e[blen] != '.' ||
		    strspn(e + blen + 1, "0123456789abcdef") != 16 ||
		    strcmp(e + blen + 17, ".bin") != 0 ||
		    strcmp(e, kbase) == 0)
			continue;
		f = g_build_filename(dir, e, NULL);
		g_unlink(f);
		g_free(f);
	}
	g_dir_close(d);
	g_free(kbase);
	g_free(base);
}

/* write_all - the whole of buf to fd */
static gboolean
write_all(int fd, const void *buf, gsize len)
{
	const guint8 *p = buf;
	gssize n;

	while (len > 0) {
		if ((n = write(fd, p, len)) < 0) {
			if (errno == EINTR)
				continue;
			return FALSE;
		}
		p += n;
		len -= (gsize)n;
	}
	return TRUE;
}

void
route_cache_write(const char *dir, const char *src, const char *kind,
    const GByteArray *payload)
{
	struct cache_header h;
	char *path = NULL, *tmp = NULL;
	int fd = -1, saved;

	memset(&h, 0, sizeof(h));
	if (dir == NULL || !cache_digest(src, kind, h.digest))
		return;
	if (g_mkdir_with_parents(dir, 0700) != 0)
		goto fail;
	memcpy(h.magic, CACHE_MAGIC, 8);
	h.version = CACHE_VERSION;
	h.order = CACHE_ORDER;
	h.size = payload->len;
	h.crc = (guint32)crc32(0, payload->data, payload->len);
	path = cache_name(dir, src, h.digest);
	tmp = g_strdup_printf("%s.%ld.tmp", path, (long)getpid());
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
	    0600)) < 0)
		goto fail;
	if (!write_all(fd, &h, sizeof(h)) ||
	    !write_all(fd, payload->data, payload->len) ||
	    close(fd) != 0) {
		fd = -1;
		goto fail;
	}
	fd = -1;
	if (rename(tmp, path) != 0)
		goto fail;
	prune(dir, src, path);
	g_free(tmp);
	g_free(path);
	return;
fail:
	saved = errno;
	if (fd >= 0)
		close(fd);
	if (tmp != NULL)
		g_unlink(tmp);
	g_warning("table cache %s: cannot write %s: %s (tables still load "
	    "from the CSV files, only slower)", dir,
	    path != NULL ? path : dir, g_strerror(saved));
	g_free(tmp);
	g_free(path);
}

/* route_cache_ranges_dump - counts, date, then the arrays (in this
 * machine's byte order: the cache header checks it) */
GByteArray *
route_cache_ranges_dump(const struct range_table *t)
{
	GByteArray *out = g_byte_array_new();
	guint32 hdr[4];

	hdr[0] = t->n4;
	hdr[1] = t->nb;
	hdr[2] = t->n6;
	hdr[3] = t->date != NULL ? (guint32)strlen(t->date) : 0;
	g_byte_array_append(out, (const guint8 *)hdr, sizeof(hdr));
	if (t->date != NULL)
		g_byte_array_append(out, (const guint8 *)t->date, hdr[3]);
	g_byte_array_append(out, (const guint8 *)t->first4,
	    t->n4 * sizeof(guint32));
	g_byte_array_append(out, (const guint8 *)t->tail4,
	    t->n4 * sizeof(struct range_tail4));
	g_byte_array_append(out, (const guint8 *)t->bhi,
	    t->nb * sizeof(guint64));
	g_byte_array_append(out, (const guint8 *)t->blo,
	    t->nb * sizeof(guint64));
	g_byte_array_append(out, (const guint8 *)t->bval,
	    t->nb * sizeof(guint32));
	return out;
}

/* take - the next len bytes of (*p, *left) into a new array */
static gpointer
take(const guint8 **p, gsize *left, gsize len)
{
	gpointer v = g_malloc(len > 0 ? len : 1);

	memcpy(v, *p, len);
	*p += len;
	*left -= len;
	return v;
}

/* valid - the arrays read from a cache are what route_ranges.c would
 * have built from a CSV: sorted, not overlapping, values up to vmax */
static gboolean
valid(const struct range_table *t, guint32 vmax)
{
	guint i, n6 = 0;

	for (i = 0; i < t->n4; i++)
		if (t->tail4[i].last < t->first4[i] ||
		    t->tail4[i].val > vmax ||
		    (i > 0 && t->first4[i] <= t->tail4[i - 1].last))
			return FALSE;
	for (i = 0; i < t->nb; i++) {
		if (t->bval[i] != GAP && t->bval[i] > vmax)
			return FALSE;
		n6 += t->bval[i] != GAP;
		if (i > 0 && cmp6(t->bhi[i - 1], t->blo[i - 1], t->bhi[i],
		    t->blo[i]) >= 0)
			return FALSE;
	}
	return n6 == t->n6;
}

/* date_valid - len bytes at p are a date comment() in route_ranges.c
 * keeps: YYYY-MM-DD (none at all, len 0, is valid too).  Anything else
 * (control characters, a NUL, another length) would end up in the
 * reason chains that quote the table as "file, date". */
static gboolean
date_valid(const guint8 *p, gsize len)
{
	gsize i;

	if (len == 0)
		return TRUE;
	if (len != 10)
		return FALSE;
	for (i = 0; i < 10; i++)
		if (!(i == 4 || i == 7 ? p[i] == '-' : g_ascii_isdigit(p[i])))
			return FALSE;
	return TRUE;
}

/* route_cache_ranges_undump - a table from a cache payload, or NULL when
 * it does not hold one (the header's checksum makes that unlikely, not
 * impossible: the arrays and the date are checked as load_line() and
 * comment() check a CSV) */
struct range_table *
route_cache_ranges_undump(const char *name, GBytes *b, guint32 vmax)
{
	struct range_table *t;
	const guint8 *p;
	gsize left;
	guint32 hdr[4];

	p = g_bytes_get_data(b, &left);
	if (left < sizeof(hdr))
		return NULL;
	memcpy(hdr, p, sizeof(hdr));
	p += sizeof(hdr);
	left -= sizeof(hdr);
	if (hdr[3] > 10 || hdr[2] > hdr[1] || left != hdr[3] +
	    (gsize)hdr[0] * (sizeof(guint32) + sizeof(struct range_tail4)) +
	    (gsize)hdr[1] * (2 * sizeof(guint64) + sizeof(guint32)) ||
	    !date_valid(p, hdr[3]))
		return NULL;
	t = g_new0(struct range_table, 1);
	t->name = g_strdup(name);
	if (hdr[3] > 0) {
		t->date = g_strndup((const char *)p, hdr[3]);
		p += hdr[3];
		left -= hdr[3];
	}
	t->n4 = t->cap4 = hdr[0];
	t->nb = t->capb = hdr[1];
	t->n6 = hdr[2];
	t->first4 = take(&p, &left, t->n4 * sizeof(guint32));
	t->tail4 = take(&p, &left, t->n4 * sizeof(struct range_tail4));
	t->bhi = take(&p, &left, t->nb * sizeof(guint64));
	t->blo = take(&p, &left, t->nb * sizeof(guint64));
	t->bval = take(&p, &left, t->nb * sizeof(guint32));
	if (!valid(t, vmax)) {
		range_table_free(&t);
		return NULL;
	}
	range_table_index(t);
	return t;
}
