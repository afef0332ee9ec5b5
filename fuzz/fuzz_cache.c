/*
 * fuzz_cache.c: libFuzzer target for the compiled table cache
 * (route/route_cache.c) and the loaders that read it back: the range
 * tables of route_ranges.c (through country_table_load() and
 * asn_ranges_load()) and the AS names of route_asn.c.  Built only with
 * configure --enable-fuzz CC=clang; see fuzz/README.md.
 *
 * Small valid CSV tables (IP -> country, IP -> ASN, ASN -> name) are
 * written once to a scratch directory and loaded once with a cache
 * directory, which writes their cache files.  Each input then replaces
 * one cache file, under its own name (so the digest in the name still
 * matches the source), and the table is loaded again.  The first input
 * byte (modulo 9) chooses the table (byte % 3: country, ASN ranges, AS
 * names) and how the rest becomes the file (byte / 3 % 3):
 *
 *   0  the rest is the whole file;
 *   1  the rest is the payload behind the real header, whose size and
 *      CRC-32 are recomputed (else the CRC rejects nearly everything);
 *   2  the rest is the whole file, but when it holds a header, its
 *      digest is the real one and its CRC that of the rest.
 *
 * The load must succeed.  When it rejected the cache (the loader wrote
 * the file anew) every answer must be that of the CSV and the file the
 * one the first load wrote.  When it accepted the cache, the table must
 * be one the CSV loader could have built: for ranges, every answer lies
 * in its own span and the ends of the span answer the same, a country
 * is two capital letters, an AS number is not 4294967295 (0 passes: the
 * cache checks values against a maximum only, and AS0 reads as "no AS"
 * everywhere) and the date is absent or YYYY-MM-DD, as "# date:" gives
 * it; for names, each is non-empty UTF-8 of at most 200 bytes.
 * Addresses probed: a fixed set around the CSV's ranges, plus keys read
 * from the payload itself (and their neighbours).  A crash, a hang, an
 * OOM, a g_critical or a broken promise above is a bug (abort).
 *
 * With FUZZ_CACHE_SEEDS=DIR set, the target writes its seeds there (the
 * real cache files, behind each mode's selector byte) and exits:
 * fuzz/run-fuzz cache does that first.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include <glib/gstdio.h>

#include "route/route_int.h"

int	LLVMFuzzerInitialize(int *argc, char ***argv);
int	LLVMFuzzerTestOneInput(const guint8 *data, size_t size);

/* The cache file header of route_cache.c: its size and where the CRC
 * and the digest are. */
#define HDR_SIZE	64
#define HDR_SIZE_AT	16
#define HDR_CRC_AT	24
#define HDR_DIGEST_AT	32

#define MODES		3
#define TABLES		3

enum table { T_COUNTRY, T_ASN, T_NAMES };

#define CC_KIND		"first_ip,last_ip,CC"
#define ASN_KIND	"first_ip,last_ip,ASN"
#define NAMES_KIND	"asn,name"

/* The most addresses read from an input's payload. */
#define PROBES_MAX	256

struct probe {
	struct netaddr	a;
};

static char	*dir;			/* scratch directory */
static char	*cache_dir;		/* dir/cache */
static char	*src[TABLES];		/* the CSV files */
static char	*file[TABLES];		/* their cache files */
static guint8	*good[TABLES];		/* ... as the first load wrote them */
static gsize	 good_len[TABLES];
static struct country_table *ref_cc;	/* loaded without a cache */
static struct range_table *ref_asn;
static GHashTable *ref_names;

static const char *const fixed_ips[] = {
	"0.0.0.0", "1.0.0.0", "1.0.0.1", "1.0.0.127", "1.0.0.128",
	"1.0.3.7", "1.0.40.64", "1.0.79.127", "1.0.80.0", "8.8.8.8",
	"8.8.9.0", "223.255.255.255", "255.255.255.255",
	"::", "2001:4860:4860::8888", "2001:4861::", "2a02::", "2a02::1",
	"2a02:0:1::", "2a02:0:1:ffff:ffff:ffff:ffff:ffff", "2a02:0:2::",
	"2a02:0:3f:1::", "2a02:0:c7:ffff::", "2a02:0:c8::", "2a02:1::",
	"2a03::", "2a03::ffff", "2a03::1:0",
	"ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
};

static void
quiet_log(const char *domain, GLogLevelFlags level, const char *msg,
    gpointer data)
{
	if (level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL))
		g_log_default_handler(domain, level, msg, data);
}

/* rm_rf - removes path and what it holds */
static void
rm_rf(const char *path)
{
	GDir *d;
	const char *name;
	char *p;

	if ((d = g_dir_open(path, 0, NULL)) != NULL) {
		while ((name = g_dir_read_name(d)) != NULL) {
			p = g_build_filename(path, name, NULL);
			rm_rf(p);
			g_free(p);
		}
		g_dir_close(d);
		(void)g_rmdir(path);
	} else
		(void)g_unlink(path);
}

static void
cleanup(void)
{
	if (dir != NULL)
		rm_rf(dir);
}

static void
die(const char *what)
{
	fprintf(stderr, "fuzz_cache: %s\n", what);
	abort();
}

/* country_csv - IPv4 ranges in 1.0.0.0/16 (some adjacent, some not),
 * IPv6 ones crowding 2a02::/28 enough for its search tree, a few more */
static char *
country_csv(void)
{
	static const char *const cc[] = { "JP", "DE", "uk", "NL", "FR" };
	GString *s = g_string_new("# a table for fuzz_cache\n"
	    "first_ip,last_ip,CC\n# date: 2026-03-04\n");
	guint i;

	for (i = 0; i < 80; i++)
		g_string_append_printf(s, "1.0.%u.0,1.0.%u.%u,%s\n", i, i,
		    i % 3 == 0 ? 255 : 127, cc[i % 5]);
	g_string_append(s, "8.8.8.0,8.8.8.255,US\n"
	    "2001:4860::,2001:4860:ffff:ffff:ffff:ffff:ffff:ffff,US\n");
	for (i = 0; i < 200; i++)
		g_string_append_printf(s, "2a02:0:%x::,2a02:0:%x:ffff:ffff:"
		    "ffff:ffff:ffff,%s\n", i, i, cc[i % 4 + 1]);
	g_string_append(s, "2a03::,2a03::ffff,FR\n");
	return g_string_free(s, FALSE);
}

/* asn_csv - the same ranges with AS numbers */
static char *
asn_csv(void)
{
	GString *s = g_string_new("# date: 2026-05-06\n");
	guint i;

	for (i = 0; i < 80; i++)
		g_string_append_printf(s, "1.0.%u.0,1.0.%u.%u,%s%u\n", i, i,
		    i % 3 == 0 ? 255 : 127, i % 2 ? "AS" : "", 64500 + i % 7);
	g_string_append(s, "8.8.8.0,8.8.8.255,15169\n"
	    "2001:4860::,2001:4860:ffff:ffff:ffff:ffff:ffff:ffff,AS15169\n");
	for (i = 0; i < 200; i += 1 + i % 2)
		g_string_append_printf(s, "2a02:0:%x::,2a02:0:%x:ffff:ffff:"
		    "ffff:ffff:ffff,%u\n", i, i, 4200000000u + i);
	g_string_append(s, "2a03::,2a03::ffff,4294967294\n");
	return g_string_free(s, FALSE);
}

/* names_csv - AS names: quoted, UTF-8, one too long (cut) */
static char *
names_csv(void)
{
	GString *s = g_string_new("asn,name\n"
	    "15169,GOOGLE\n24940,\"HETZNER-AS, DE\"\n"
	    "2497,IIJ Internet Initiative Japan Inc.\n"
	    "64501,\"Zw\xc3\xb6lf \"\"quoted\"\" GmbH\"\n"
	    "4294967294,LAST\n64502,");
	guint i;

	for (i = 0; i < 60; i++)
		g_string_append(s, "long");
	g_string_append_c(s, '\n');
	for (i = 0; i < 20; i++)
		g_string_append_printf(s, "%u,NAME-%u\n", 65000 + i * 7, i);
	return g_string_free(s, FALSE);
}

static GHashTable *
names_new(void)
{
	return g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL,
	    g_free);
}

/* load - table i from its CSV (and the cache when cdir is set): a
 * country_table, a range_table or a names hash, or abort */
static gpointer
load(enum table i, const char *cdir)
{
	GError *err = NULL;
	GHashTable *h;
	gpointer t = NULL;

	switch (i) {
	case T_COUNTRY:
		t = country_table_load(src[i], cdir, &err);
		break;
	case T_ASN:
		t = asn_ranges_load(src[i], cdir, &err);
		break;
	default:
		h = names_new();
		if (route_asn_names_load(h, src[i], cdir, &err))
			t = h;
		else
			g_hash_table_unref(h);
		break;
	}
	if (t == NULL) {
		fprintf(stderr, "fuzz_cache: %s: %s\n", src[i],
		    err != NULL ? err->message : "(no error)");
		abort();
	}
	return t;
}

static void
unload(enum table i, gpointer t)
{
	struct country_table *c;
	struct range_table *r;

	switch (i) {
	case T_COUNTRY:
		c = t;
		country_table_free(&c);
		break;
	case T_ASN:
		r = t;
		range_table_free(&r);
		break;
	default:
		g_hash_table_unref(t);
		break;
	}
}

static void
write_file(const char *path, const void *data, gsize len)
{
	if (!g_file_set_contents(path, data, (gssize)len, NULL))
		die("cannot write a file");
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *base = g_getenv("FUZZ_TMPDIR"), *seeds;
	static const char *const names[TABLES] = {
		"ip-country-geo.csv", "ip-asn.csv", "asn-names.csv",
	};
	static const char *const kinds[TABLES] = {
		CC_KIND, ASN_KIND, NAMES_KIND,
	};
	char *text, *tmpl, *p;
	gpointer t;
	guint i, m;
	guint8 sel;

	(void)argc;
	(void)argv;
	g_log_set_always_fatal(G_LOG_LEVEL_CRITICAL | G_LOG_FATAL_MASK);
	g_log_set_default_handler(quiet_log, NULL);
	if (base == NULL)
		base = g_file_test("/dev/shm", G_FILE_TEST_IS_DIR) ?
		    "/dev/shm" : g_get_tmp_dir();
	tmpl = g_build_filename(base, "fuzz_cache.XXXXXX", NULL);
	if ((dir = g_mkdtemp(tmpl)) == NULL)
		die("cannot create the scratch directory");
	atexit(cleanup);
	cache_dir = g_build_filename(dir, "cache", NULL);
	for (i = 0; i < TABLES; i++) {
		src[i] = g_build_filename(dir, names[i], NULL);
		text = i == T_COUNTRY ? country_csv() : i == T_ASN ?
		    asn_csv() : names_csv();
		write_file(src[i], text, strlen(text));
		g_free(text);
		t = load(i, cache_dir);
		unload(i, t);
		if ((file[i] = route_cache_file(cache_dir, src[i],
		    kinds[i])) == NULL ||
		    !g_file_get_contents(file[i], (char **)&good[i],
		    &good_len[i], NULL) || good_len[i] < HDR_SIZE)
			die("no cache file written");
	}
	ref_cc = load(T_COUNTRY, NULL);
	ref_asn = load(T_ASN, NULL);
	ref_names = load(T_NAMES, NULL);

	if ((seeds = g_getenv("FUZZ_CACHE_SEEDS")) == NULL)
		return 0;
	/* The real files, each behind the selector bytes of its modes. */
	for (i = 0; i < TABLES; i++)
		for (m = 0; m < MODES; m++) {
			GByteArray *b = g_byte_array_new();

			sel = (guint8)(m * TABLES + i);
			g_byte_array_append(b, &sel, 1);
			if (m == 1)
				g_byte_array_append(b, good[i] + HDR_SIZE,
				    good_len[i] - HDR_SIZE);
			else
				g_byte_array_append(b, good[i], good_len[i]);
			text = g_strdup_printf("cache-%u-%s", m, names[i]);
			p = g_build_filename(seeds, text, NULL);
			write_file(p, b->data, b->len);
			g_free(p);
			g_free(text);
			g_byte_array_unref(b);
		}
	exit(0);
}

/* v4 - the netaddr of x */
static void
v4(struct netaddr *a, guint32 x)
{
	memset(a, 0, sizeof(*a));
	a->b[10] = a->b[11] = 0xff;
	a->b[12] = x >> 24;
	a->b[13] = x >> 16;
	a->b[14] = x >> 8;
	a->b[15] = x;
	a->v4 = TRUE;
}

/* v6 - the netaddr of (hi, lo) */
static void
v6(struct netaddr *a, guint64 hi, guint64 lo)
{
	guint i;

	memset(a, 0, sizeof(*a));
	for (i = 0; i < 8; i++) {
		a->b[i] = hi >> (56 - 8 * i);
		a->b[8 + i] = lo >> (56 - 8 * i);
	}
}

/* probes - the fixed addresses, then keys read from the payload (as
 * the native integers the cache holds) and their neighbours */
static GArray *
probes(const guint8 *pl, gsize len)
{
	GArray *a = g_array_new(FALSE, FALSE, sizeof(struct probe));
	struct probe p;
	guint32 x;
	guint64 hi, lo;
	gsize off;
	guint i;

	for (i = 0; i < G_N_ELEMENTS(fixed_ips); i++) {
		if (!netaddr_parse(fixed_ips[i], strlen(fixed_ips[i]), &p.a))
			die("bad fixed address");
		g_array_append_val(a, p);
	}
	for (off = 0; off + 4 <= len && a->len < PROBES_MAX; off += 4) {
		memcpy(&x, pl + off, 4);
		v4(&p.a, x);
		g_array_append_val(a, p);
		v4(&p.a, x - 1);
		g_array_append_val(a, p);
		v4(&p.a, x + 1);
		g_array_append_val(a, p);
	}
	for (off = 0; off + 16 <= len && a->len < 2 * PROBES_MAX;
	    off += 8) {
		memcpy(&hi, pl + off, 8);
		memcpy(&lo, pl + off + 8, 8);
		v6(&p.a, hi, 0);
		g_array_append_val(a, p);
		v6(&p.a, hi, lo);
		g_array_append_val(a, p);
		v6(&p.a, hi - 1, G_MAXUINT64);
		g_array_append_val(a, p);
	}
	return a;
}

/* span_has - span holds a */
static gboolean
span_has(const struct range_span *s, const struct netaddr *a)
{
	guint64 hi = 0, lo = 0;
	guint32 x;
	guint i;

	if (s->v4 != a->v4)
		return FALSE;
	if (a->v4) {
		x = ((guint32)a->b[12] << 24) | ((guint32)a->b[13] << 16) |
		    ((guint32)a->b[14] << 8) | a->b[15];
		return s->first4 <= x && x <= s->last4;
	}
	for (i = 0; i < 8; i++) {
		hi = hi << 8 | a->b[i];
		lo = lo << 8 | a->b[8 + i];
	}
	return (s->fhi < hi || (s->fhi == hi && s->flo <= lo)) &&
	    (hi < s->lhi || (hi == s->lhi && lo <= s->llo));
}

/* same_span - a span's ends answer v with that span */
static void
same_span(const struct range_table *t, const struct range_span *s,
    guint32 v)
{
	struct range_span s2;
	struct netaddr e;
	guint32 v2;
	guint end;

	for (end = 0; end < 2; end++) {
		if (s->v4)
			v4(&e, end ? s->last4 : s->first4);
		else if (end)
			v6(&e, s->lhi, s->llo);
		else
			v6(&e, s->fhi, s->flo);
		memset(&s2, 0, sizeof(s2));	/* the padding too */
		if (range_table_lookup(t, &e, &v2, &s2) != 1 || v2 != v ||
		    memcmp(&s2, s, sizeof(s2)) != 0)
			die("a span's end answers otherwise");
	}
}

/* date_ok - NULL or what "# date: YYYY-MM-DD" gives */
static gboolean
date_ok(const char *d)
{
	guint i;

	if (d == NULL)
		return TRUE;
	for (i = 0; i < 10; i++)
		if (!(i == 4 || i == 7 ? d[i] == '-' : g_ascii_isdigit(d[i])))
			return FALSE;
	return d[10] == '\0';
}

/* check_ranges - a country table is looked up through
 * country_table_lookup() (a name of the value), the ASN table with its
 * spans */
static void
check_ranges(enum table i, gpointer t, gboolean accepted,
    const GArray *pr)
{
	const struct probe *p;
	struct range_span span, rspan;
	const char *cc, *rcc, *date, *rdate;
	guint32 v, rv;
	guint k;
	int rc, rrc;

	date = i == T_COUNTRY ? country_table_date(t) : range_table_date(t);
	rdate = i == T_COUNTRY ? country_table_date(ref_cc) :
	    range_table_date(ref_asn);
	if (!date_ok(date))
		die("a date \"# date:\" cannot give");
	if (!accepted && g_strcmp0(date, rdate) != 0)
		die("a rejected cache has another date");
	for (k = 0; k < pr->len; k++) {
		p = &g_array_index(pr, struct probe, k);
		if (i == T_COUNTRY) {
			cc = country_table_lookup(t, &p->a);
			rcc = country_table_lookup(ref_cc, &p->a);
			if (cc != NULL && (!g_ascii_isupper(cc[0]) ||
			    !g_ascii_isupper(cc[1]) || cc[2] != '\0'))
				die("a country that is no code");
			if (!accepted && g_strcmp0(cc, rcc) != 0)
				die("a rejected cache answers otherwise");
			continue;
		}
		memset(&span, 0, sizeof(span));
		memset(&rspan, 0, sizeof(rspan));
		rc = range_table_lookup(t, &p->a, &v, &span);
		rrc = range_table_lookup(ref_asn, &p->a, &rv, &rspan);
		if (rc == 1) {
			if (v == G_MAXUINT32)
				die("the AS number of a gap");
			if (!span_has(&span, &p->a))
				die("an answer outside its span");
			same_span(t, &span, v);
		}
		if (!accepted && (rc != rrc || (rc == 1 && (v != rv ||
		    memcmp(&span, &rspan, sizeof(span)) != 0))))
			die("a rejected cache answers otherwise");
	}
}

static void
names_equal(GHashTable *h)
{
	GHashTableIter it;
	gpointer k, v;

	if (g_hash_table_size(h) != g_hash_table_size(ref_names))
		die("a rejected cache has other names");
	g_hash_table_iter_init(&it, ref_names);
	while (g_hash_table_iter_next(&it, &k, &v))
		if (g_strcmp0(g_hash_table_lookup(h, k), v) != 0)
			die("a rejected cache has other names");
}

static void
check_names(GHashTable *h, gboolean accepted)
{
	GHashTableIter it;
	gpointer k, v;

	if (!accepted) {
		names_equal(h);
		return;
	}
	g_hash_table_iter_init(&it, h);
	while (g_hash_table_iter_next(&it, &k, &v))
		if (GPOINTER_TO_UINT(k) == 0 ||
		    GPOINTER_TO_UINT(k) == G_MAXUINT32 ||
		    *(char *)v == '\0' || strlen(v) > 200 ||
		    !g_utf8_validate(v, -1, NULL))
			die("a name the CSV loader would not keep");
}

/* only_files - the cache directory holds file[] and nothing else (no
 * temporary file, no second cache of a table) */
static void
only_files(void)
{
	GDir *d;
	const char *name;
	guint n = 0, i;

	if ((d = g_dir_open(cache_dir, 0, NULL)) == NULL)
		die("cache directory gone");
	while ((name = g_dir_read_name(d)) != NULL) {
		for (i = 0; i < TABLES; i++)
			if (strcmp(name, strrchr(file[i], '/') + 1) == 0)
				break;
		if (i == TABLES) {
			fprintf(stderr, "fuzz_cache: %s left behind\n", name);
			abort();
		}
		n++;
	}
	g_dir_close(d);
	if (n != TABLES)
		die("a cache file missing");
}

/* cache_ok - table i's cache file passes route_cache_read() (the AS
 * names may be written in another order than the first time) */
static gboolean
cache_ok(enum table i)
{
	static const char *const kinds[TABLES] = {
		CC_KIND, ASN_KIND, NAMES_KIND,
	};
	GBytes *b;

	if ((b = route_cache_read(cache_dir, src[i], kinds[i])) == NULL)
		return FALSE;
	g_bytes_unref(b);
	return TRUE;
}

int
LLVMFuzzerTestOneInput(const guint8 *data, size_t size)
{
	GByteArray *b;
	GArray *pr;
	enum table i;
	gpointer t;
	guint8 *now;
	gsize now_len;
	guint64 plen;
	guint32 crc;
	guint m;
	gboolean accepted;

	if (size == 0)
		return 0;
	i = (enum table)(data[0] % (MODES * TABLES) % TABLES);
	m = data[0] % (MODES * TABLES) / TABLES;
	data++;
	size--;
	b = g_byte_array_new();
	if (m == 1) {
		g_byte_array_append(b, good[i], HDR_SIZE);
		g_byte_array_append(b, data, size);
	} else
		g_byte_array_append(b, data, size);
	if (m != 0 && b->len >= HDR_SIZE) {
		plen = b->len - HDR_SIZE;
		crc = (guint32)crc32(0, b->data + HDR_SIZE, (uInt)plen);
		if (m == 1)
			memcpy(b->data + HDR_SIZE_AT, &plen, 8);
		memcpy(b->data + HDR_CRC_AT, &crc, 4);
		memcpy(b->data + HDR_DIGEST_AT, good[i] + HDR_DIGEST_AT, 32);
	}
	write_file(file[i], b->data, b->len);

	t = load(i, cache_dir);
	if (!g_file_get_contents(file[i], (char **)&now, &now_len, NULL))
		die("cache file gone");
	/* Rejected: the loader parsed the CSV and wrote the file anew. */
	accepted = now_len == b->len && memcmp(now, b->data, b->len) == 0;
	if (!accepted && (now_len != good_len[i] ||
	    memcmp(now, good[i], now_len) != 0) && !cache_ok(i))
		die("the rewritten cache file is no valid cache");
	/* The very file the first load wrote is the CSV's table. */
	if (accepted && b->len == good_len[i] &&
	    memcmp(b->data, good[i], b->len) == 0)
		accepted = FALSE;
	if (i == T_NAMES)
		check_names(t, accepted);
	else {
		pr = probes(b->len > HDR_SIZE ? b->data + HDR_SIZE : b->data,
		    b->len > HDR_SIZE ? b->len - HDR_SIZE : b->len);
		check_ranges(i, t, accepted, pr);
		g_array_unref(pr);
	}
	unload(i, t);
	only_files();
	/* Leave the valid file for the next input. */
	write_file(file[i], good[i], good_len[i]);
	g_free(now);
	g_byte_array_unref(b);
	return 0;
}
