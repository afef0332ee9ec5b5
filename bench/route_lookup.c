/*
 * route_lookup.c: benchmark of the routing tables (bench/route-bench runs
 * it).  Loads the shipped IP -> country (geo, rir) and IP -> ASN tables
 * with route_open(), then times lookups of random public IPv4 and IPv6
 * addresses on one core, per table and for route_ip_info() (everything at
 * once).  Times are the thread's CPU time.  Prints start-up time
 * without the table cache, with an empty one (parse and write it: cold)
 * and with a filled one (warm), table memory (counted and resident) and
 * lookups per second.
 *
 * usage: route-lookup DATADIR [N]
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <glib/gstdio.h>

#include "route/route.h"
#include "route/route_int.h"

static long
rss_kib(void)
{
	char *s = NULL, *p;
	long kib = -1;

	if (g_file_get_contents("/proc/self/status", &s, NULL, NULL) &&
	    (p = strstr(s, "VmRSS:")) != NULL)
		kib = strtol(p + 6, NULL, 10);
	g_free(s);
	return kib;
}

/* v6_starts - the first address of every IPv6 range of a table file */
static GArray *
v6_starts(const char *path)
{
	GArray *v = g_array_new(FALSE, FALSE, sizeof(struct netaddr));
	struct route_csv c;
	struct netaddr a;
	char *line, *comma;

	if (!route_csv_open(&c, path, NULL))
		return v;
	while (route_csv_next(&c, &line, NULL) == 1) {
		if (strchr(line, ':') == NULL ||
		    (comma = strchr(line, ',')) == NULL)
			continue;
		if (netaddr_parse(line, comma - line, &a))
			g_array_append_val(v, a);
	}
	route_csv_close(&c);
	return v;
}

/* random_addrs - n public addresses; IPv6 ones keep the top 48 bits of
 * a random range start of the geo table (in allocated space: random
 * 2000::/3 addresses would nearly all miss), random below */
static struct netaddr *
random_addrs(guint n, const GArray *starts, GRand *rnd)
{
	struct netaddr *a = g_new0(struct netaddr, n);
	guint i, j;

	for (i = 0; i < n; i++) {
		do {
			memset(&a[i], 0, sizeof(a[i]));
			if (starts != NULL) {
				const struct netaddr *s = &g_array_index(
				    starts, struct netaddr, g_rand_int_range(
				    rnd, 0, starts->len));

				for (j = 0; j < 16; j++)
					a[i].b[j] = j < 6 ? s->b[j] :
					    g_rand_int(rnd) & 0xff;
			} else {
				guint32 x = g_rand_int(rnd);

				a[i].v4 = TRUE;
				a[i].b[10] = a[i].b[11] = 0xff;
				a[i].b[12] = x >> 24;
				a[i].b[13] = x >> 16;
				a[i].b[14] = x >> 8;
				a[i].b[15] = x;
			}
		} while (netaddr_is_special(&a[i], NULL));
	}
	return a;
}

/* rm_cache - removes the cache directory and its files */
static void
rm_cache(char *dir)
{
	GDir *d = g_dir_open(dir, 0, NULL);
	const char *e;
	char *f;

	while (d != NULL && (e = g_dir_read_name(d)) != NULL) {
		f = g_build_filename(dir, e, NULL);
		g_unlink(f);
		g_free(f);
	}
	if (d != NULL)
		g_dir_close(d);
	g_rmdir(dir);
	g_free(dir);
}

static volatile guintptr sink;

/* cpu_now - this thread's CPU time in microseconds: on a shared machine
 * wall time would count the time other processes had the core */
static gint64
cpu_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (gint64)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* startup - route_open() with cache (NULL: none) timed, then closed */
static void
startup(struct route_paths *p, const char *cache, const char *what)
{
	struct route_tables *t;
	GError *err = NULL;
	gint64 start = cpu_now(), wall = g_get_monotonic_time();

	p->cache_dir = cache;
	if ((t = route_open(p, &err)) == NULL) {
		fprintf(stderr, "route-lookup: %s\n", err->message);
		exit(1);
	}
	printf("start-up  %.3f s CPU, %.3f s wall (%s)\n",
	    (cpu_now() - start) / 1e6,
	    (g_get_monotonic_time() - wall) / 1e6, what);
	route_close(&t);
	p->cache_dir = NULL;
}

static void
bench(const char *what, const struct route_tables *t, guint which,
    const struct netaddr *a, guint n)
{
	gint64 start = cpu_now();
	guint i, hits = 0;
	guint32 v;
	double s;

	for (i = 0; i < n; i++) {
		switch (which) {
		case 0:
			hits += country_table_lookup(t->geo, &a[i]) != NULL;
			break;
		case 1:
			hits += country_table_lookup(t->rir, &a[i]) != NULL;
			break;
		default:
			hits += range_table_lookup(t->asn, &a[i], &v, NULL);
			sink += v;
			break;
		}
	}
	s = (cpu_now() - start) / 1e6;
	printf("%-4s %-5s %10.2f M lookups/s  (%u of %u found)\n", what,
	    which == 0 ? "geo" : which == 1 ? "rir" : "asn", n / s / 1e6,
	    hits, n);
}

static void
bench_info(const char *what, const struct route_tables *t,
    const struct netaddr *a, guint n)
{
	struct route_ip_info info;
	char buf[64];
	char **txt = g_new(char *, n);
	gint64 start;
	guint i;

	for (i = 0; i < n; i++)
		txt[i] = g_strdup(netaddr_format(&a[i], buf, sizeof(buf)));
	start = cpu_now();
	for (i = 0; i < n; i++) {
		route_ip_info(t, txt[i], &info);
		sink += info.asn;
	}
	printf("%-4s info  %10.2f M route_ip_info/s (parse + 3 tables)\n",
	    what, n / ((cpu_now() - start) / 1e6) / 1e6);
	for (i = 0; i < n; i++)
		g_free(txt[i]);
	g_free(txt);
}

int
main(int argc, char **argv)
{
	struct route_paths p;
	struct route_tables *t;
	struct netaddr *a4, *a6;
	GArray *starts;
	GError *err = NULL;
	GRand *rnd = g_rand_new_with_seed(1);
	guint n = argc > 2 ? (guint)strtoul(argv[2], NULL, 10) : 5000000;
	char *f[5], *cache;
	long rss0, rss1;
	gint64 start;
	guint w;

	if (argc < 2) {
		fprintf(stderr, "usage: route-lookup DATADIR [N]\n");
		return 2;
	}
	f[0] = g_build_filename(argv[1], "ip-country-geo.csv.gz", NULL);
	f[1] = g_build_filename(argv[1], "ip-country-rir.csv.gz", NULL);
	f[2] = g_build_filename(argv[1], "ip-asn.csv.gz", NULL);
	f[3] = g_build_filename(argv[1], "asn-names.csv.gz", NULL);
	f[4] = g_build_filename(argv[1], "national-csirts.csv", NULL);
	memset(&p, 0, sizeof(p));
	p.geo_country = f[0];
	p.rir_country = f[1];
	p.asn = f[2];
	p.asn_names = f[3];
	p.csirts = f[4];
	rss0 = rss_kib();
	start = cpu_now();
	if ((t = route_open(&p, &err)) == NULL) {
		fprintf(stderr, "route-lookup: %s\n", err->message);
		return 1;
	}
	printf("start-up  %.3f s CPU (geo, rir, asn ranges, AS names, "
	    "CSIRTs; no table cache)\n", (cpu_now() - start) / 1e6);
	rss1 = rss_kib();
	cache = g_dir_make_tmp("route-lookup.XXXXXX", NULL);
	startup(&p, cache, "table cache empty: parse and write it");
	startup(&p, cache, "table cache filled");
	rm_cache(cache);
	printf("memory    %.1f MiB range tables (counted), %.1f MiB "
	    "resident growth (incl. %u AS names)\n",
	    route_tables_bytes(t) / 1048576.0, (rss1 - rss0) / 1024.0,
	    g_hash_table_size(t->as_names));
	starts = v6_starts(f[0]);
	a4 = random_addrs(n, NULL, rnd);
	a6 = random_addrs(n, starts, rnd);
	g_array_unref(starts);
	for (w = 0; w < 3; w++)
		bench("ipv4", t, w, a4, n);
	for (w = 0; w < 3; w++)
		bench("ipv6", t, w, a6, n);
	bench_info("ipv4", t, a4, n / 5);
	bench_info("ipv6", t, a6, n / 5);
	g_free(a4);
	g_free(a6);
	route_close(&t);
	for (w = 0; w < 5; w++)
		g_free(f[w]);
	g_rand_free(rnd);
	return 0;
}
