/*
 * test_route_cache.c: the compiled table cache (route/route_cache.c and
 * its users in route_ranges.c and route_asn.c): written on the first
 * load and read on the next, ignored when corrupt, truncated, forged or
 * stale (the CSV is parsed again and the cache rewritten), an unwritable
 * cache directory only costs the cache, and route_open() uses it.
 */
#include "config.h"

#include <sys/stat.h>
#include <string.h>
#include <fcntl.h>
#include <utime.h>
#include <criterion/criterion.h>
#include <glib/gstdio.h>

#include "route/route.h"
#include "route/route_int.h"
#include "tests/helpers.h"

#define CC_KIND		"first_ip,last_ip,CC"
#define TABLE_A		"# date: 2026-03-04\n" \
			"1.0.0.0,1.0.0.255,JP\n" \
			"1.0.1.0,1.0.3.255,DE\n" \
			"2a02::,2a02:ff:ffff:ffff:ffff:ffff:ffff:ffff,NL\n" \
			"2a03::,2a03::ffff,FR\n"
/* TABLE_A with JP -> US: the same size */
#define TABLE_B		"# date: 2026-03-04\n" \
			"1.0.0.0,1.0.0.255,US\n" \
			"1.0.1.0,1.0.3.255,DE\n" \
			"2a02::,2a02:ff:ffff:ffff:ffff:ffff:ffff:ffff,NL\n" \
			"2a03::,2a03::ffff,FR\n"

static char *tmp, *csv, *cache;

static void
setup(void)
{
	tmp = test_tmpdir();
	csv = g_build_filename(tmp, "geo.csv", NULL);
	cache = g_build_filename(tmp, "cache", NULL);
	cr_assert(g_file_set_contents(csv, TABLE_A, -1, NULL));
}

static void
teardown(void)
{
	test_rm_rf(tmp);
	g_free(tmp);
	g_free(csv);
	g_free(cache);
}

TestSuite(route_cache, .init = setup, .fini = teardown, .timeout = 30);

static const char *
cc_of(const struct country_table *t, const char *ip)
{
	struct netaddr a;

	cr_assert(netaddr_parse(ip, strlen(ip), &a));
	return country_table_lookup(t, &a);
}

/* load_a - loads csv, which must answer as TABLE_A */
static void
load_a(void)
{
	struct country_table *t;
	GError *err = NULL;

	t = country_table_load(csv, cache, &err);
	cr_assert_not_null(t, "%s", err != NULL ? err->message : "");
	cr_assert_str_eq(cc_of(t, "1.0.0.0"), "JP");
	cr_assert_str_eq(cc_of(t, "1.0.3.255"), "DE");
	cr_assert_null(cc_of(t, "1.0.4.0"));
	cr_assert_str_eq(cc_of(t, "2a02:ff::1"), "NL");
	cr_assert_str_eq(cc_of(t, "2a03::ffff"), "FR");
	cr_assert_null(cc_of(t, "2a03::1:0"));
	cr_assert_str_eq(country_table_date(t), "2026-03-04");
	cr_assert_eq(country_table_size(t), 4);
	country_table_free(&t);
}

/* rewrite_keeping_mtime - rewrites csv with text (same length) keeping
 * its mtime */
static void
rewrite_keeping_mtime(const char *text)
{
	struct timespec ts[2];
	struct stat st;
	FILE *f;

	cr_assert(stat(csv, &st) == 0);
	/* in place, so the inode stays too */
	cr_assert_not_null(f = fopen(csv, "r+"));
	cr_assert_eq(fwrite(text, 1, strlen(text), f), strlen(text));
	cr_assert_eq(fclose(f), 0);
	ts[0] = st.st_atim;
	ts[1] = st.st_mtim;
	cr_assert(utimensat(AT_FDCWD, csv, ts, 0) == 0);
}

static gboolean
cache_valid(const char *kind)
{
	GBytes *b = route_cache_read(cache, csv, kind);

	if (b == NULL)
		return FALSE;
	g_bytes_unref(b);
	return TRUE;
}

Test(route_cache, written_on_first_load_and_read_on_the_next)
{
	char *file = route_cache_file(cache, csv, CC_KIND);
	struct country_table *t;
	GStatBuf st;

	load_a();
	cr_assert(g_file_test(file, G_FILE_TEST_IS_REGULAR), "%s", file);
	cr_assert(g_stat(cache, &st) == 0);
	cr_assert_eq(st.st_mode & 0777, 0700);
	cr_assert(g_str_has_prefix(file + strlen(cache) + 1, "geo.csv."));
	load_a();
	/* The same size, mtime and inode: only the cache can still say
	 * JP, which proves the second load did not parse the CSV. */
	rewrite_keeping_mtime(TABLE_B);
	t = country_table_load(csv, cache, NULL);
	cr_assert_str_eq(cc_of(t, "1.0.0.1"), "JP");
	country_table_free(&t);
	/* without the cache the CSV is read */
	t = country_table_load(csv, NULL, NULL);
	cr_assert_str_eq(cc_of(t, "1.0.0.1"), "US");
	country_table_free(&t);
	g_free(file);
}

Test(route_cache, touched_csv_is_parsed_again)
{
	struct country_table *t;
	struct utimbuf ut = { .actime = 1000000000, .modtime = 1000000000 };
	char *old = route_cache_file(cache, csv, CC_KIND), *new;

	load_a();
	rewrite_keeping_mtime(TABLE_B);
	cr_assert(utime(csv, &ut) == 0);
	new = route_cache_file(cache, csv, CC_KIND);
	cr_assert_str_neq(old, new);
	t = country_table_load(csv, cache, NULL);
	cr_assert_str_eq(cc_of(t, "1.0.0.1"), "US");
	country_table_free(&t);
	cr_assert(g_file_test(new, G_FILE_TEST_IS_REGULAR));
	/* the stale file is gone */
	cr_assert_not(g_file_test(old, G_FILE_TEST_EXISTS));
	g_free(old);
	g_free(new);
}

/* damage - overwrites byte at of the cache file (or truncates it to at
 * when trunc) */
static void
damage(gsize at, gboolean trunc)
{
	char *file = route_cache_file(cache, csv, CC_KIND), *buf;
	gsize len;

	cr_assert(g_file_get_contents(file, &buf, &len, NULL));
	cr_assert(at < len);
	if (!trunc)
		buf[at] ^= 0x5a;
	cr_assert(g_file_set_contents(file, buf, trunc ? at : len, NULL));
	g_free(buf);
	g_free(file);
}

Test(route_cache, corrupt_or_truncated_cache_is_ignored_and_rewritten)
{
	gsize at[] = { 0, 9, 20, 60, 70, 100, 150 };
	guint i;

	load_a();
	for (i = 0; i < G_N_ELEMENTS(at); i++) {
		damage(at[i], FALSE);
		cr_assert(!cache_valid(CC_KIND), "byte %zu", at[i]);
		load_a();
		cr_assert(cache_valid(CC_KIND), "rewritten after %zu", at[i]);
		damage(at[i], TRUE);
		cr_assert(!cache_valid(CC_KIND), "cut at %zu", at[i]);
		load_a();
		cr_assert(cache_valid(CC_KIND));
	}
}

Test(route_cache, forged_payload_with_a_good_checksum_is_ignored)
{
	/* counts that do not add up, then a value that is no country */
	guint32 bad_counts[] = { 1000, 0, 0, 0 };
	guint32 bad_value[] = { 1, 0, 0, 0, 0x01000000, 0x010000ff, 9999 };
	GByteArray *p = g_byte_array_new();

	g_byte_array_append(p, (guint8 *)bad_counts, sizeof(bad_counts));
	route_cache_write(cache, csv, CC_KIND, p);
	cr_assert(cache_valid(CC_KIND));
	load_a();
	g_byte_array_set_size(p, 0);
	g_byte_array_append(p, (guint8 *)bad_value, sizeof(bad_value));
	route_cache_write(cache, csv, CC_KIND, p);
	cr_assert(cache_valid(CC_KIND));
	load_a();
	g_byte_array_unref(p);
}

/* forge_date - the cache of TABLE_A with its date (after the four
 * counts of the payload) replaced by len bytes of date, the counts and
 * the checksum fixed to match */
static void
forge_date(const char *date, gsize len)
{
	GBytes *b = route_cache_read(cache, csv, CC_KIND);
	GByteArray *p = g_byte_array_new();
	const guint8 *d;
	gsize n;
	guint32 hdr[4];

	cr_assert_not_null(b);
	d = g_bytes_get_data(b, &n);
	memcpy(hdr, d, sizeof(hdr));
	cr_assert_eq(hdr[3], 10);
	hdr[3] = (guint32)len;
	g_byte_array_append(p, (const guint8 *)hdr, sizeof(hdr));
	g_byte_array_append(p, (const guint8 *)date, (guint)len);
	g_byte_array_append(p, d + sizeof(hdr) + 10,
	    (guint)(n - sizeof(hdr) - 10));
	route_cache_write(cache, csv, CC_KIND, p);
	cr_assert(cache_valid(CC_KIND));
	g_byte_array_unref(p);
	g_bytes_unref(b);
}

/* fuzz/fuzz_cache: a payload whose date "# date:" could never give (a
 * newline, a NUL, letters, another length) was taken as the table's
 * date and quoted in reason chains; such a cache is now ignored. */
Test(route_cache, forged_date_is_ignored)
{
	static const struct {
		const char	*date;
		gsize		 len;
	} bad[] = {
		{ "x026-03-04", 10 },
		{ "2026-03-0\n", 10 },
		{ "2026\0003-04", 10 },
		{ "2026/03/04", 10 },
		{ "ab\ncd", 5 },
		{ "2026-03-4", 9 },
		{ "\xc3\xa9", 2 },
	};
	struct country_table *t;
	guint i;

	load_a();
	for (i = 0; i < G_N_ELEMENTS(bad); i++) {
		forge_date(bad[i].date, bad[i].len);
		load_a();	/* the CSV's date, the CSV's answers */
		cr_assert(cache_valid(CC_KIND), "%u", i);
	}
	/* no date at all, with the counts saying so, is a valid table:
	 * read from the cache, so without the CSV's date */
	forge_date("", 0);
	t = country_table_load(csv, cache, NULL);
	cr_assert_not_null(t);
	cr_assert_null(country_table_date(t));
	cr_assert_str_eq(cc_of(t, "1.0.0.0"), "JP");
	cr_assert_str_eq(cc_of(t, "2a03::ffff"), "FR");
	country_table_free(&t);
}

Test(route_cache, unwritable_cache_directory_only_costs_the_cache)
{
	char *file = g_build_filename(tmp, "plain-file", NULL);

	cr_assert(g_file_set_contents(file, "x", 1, NULL));
	g_free(cache);
	cache = g_build_filename(file, "cache", NULL);	/* ENOTDIR */
	load_a();
	load_a();
	g_free(file);
}

Test(route_cache, asn_names_are_cached)
{
	char *names = g_build_filename(tmp, "asn-names.csv", NULL);
	GHashTable *h;
	GBytes *b;
	guint i;

	cr_assert(g_file_set_contents(names,
	    "13335,CLOUDFLARENET\n24940,\"HETZNER-AS, DE\"\n"
	    "2497,IIJ Internet Initiative Japan Inc.\n", -1, NULL));
	for (i = 0; i < 3; i++) {
		h = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL,
		    g_free);
		cr_assert(route_asn_names_load(h, names, cache, NULL));
		cr_assert_eq(g_hash_table_size(h), 3);
		cr_assert_str_eq(g_hash_table_lookup(h,
		    GUINT_TO_POINTER(24940)), "HETZNER-AS, DE");
		cr_assert_str_eq(g_hash_table_lookup(h,
		    GUINT_TO_POINTER(2497)),
		    "IIJ Internet Initiative Japan Inc.");
		g_hash_table_unref(h);
		b = route_cache_read(cache, names, "asn,name");
		cr_assert_not_null(b);
		g_bytes_unref(b);
		if (i == 1) {
			/* a zero AS number with a good checksum */
			GByteArray *p = g_byte_array_new();
			guint32 rec[2] = { 0, 1 };

			g_byte_array_append(p, (guint8 *)rec, sizeof(rec));
			g_byte_array_append(p, (guint8 *)"x", 1);
			route_cache_write(cache, names, "asn,name", p);
			g_byte_array_unref(p);
		}
	}
	g_free(names);
}

Test(route_cache, route_open_fills_the_cache_and_answers_the_same)
{
	char *asn = g_build_filename(tmp, "ip-asn.csv", NULL);
	struct route_paths p = {
		.geo_country = csv, .asn = asn, .cache_dir = cache,
	};
	struct route_tables *t;
	struct route_ip_info info;
	const char *geo;
	GError *err = NULL;
	GBytes *b;
	guint i;

	cr_assert(g_file_set_contents(asn, "1.0.0.0,1.0.0.255,13335\n"
	    "2a02::,2a02::ff,AS24940\n", -1, NULL));
	for (i = 0; i < 2; i++) {
		t = route_open(&p, &err);
		cr_assert_not_null(t, "%s", err != NULL ? err->message : "");
		cr_assert_eq(route_ip_country(t, "1.0.2.9", &geo, NULL), 1);
		cr_assert_str_eq(geo, "DE");
		cr_assert_eq(route_ip_info(t, "2a02::80", &info), 1);
		cr_assert_eq(info.asn, 24940);
		cr_assert_str_eq(info.geo, "NL");
		route_close(&t);
	}
	cr_assert(cache_valid(CC_KIND));
	b = route_cache_read(cache, asn, "first_ip,last_ip,ASN");
	cr_assert_not_null(b);
	g_bytes_unref(b);
	g_free(asn);
}
