# bench/: benchmarks (not run by make check).  `make bench` builds the
# helper programs; the scripts print msgs/s and peak RSS.
EXTRA_PROGRAMS = bench/parse-floor
bench_parse_floor_SOURCES = bench/parse_floor.c
bench_parse_floor_CFLAGS = $(AM_CFLAGS) $(GMIME_CFLAGS)
bench_parse_floor_LDADD = $(GMIME_LIBS) $(GLIB_LIBS)
EXTRA_PROGRAMS += bench/parse-throughput
bench_parse_throughput_SOURCES = bench/parse_throughput.c
bench_parse_throughput_CPPFLAGS = $(AM_CPPFLAGS) \
	-DBENCH_RULES_DIR=\"$(abs_top_srcdir)/rules/default\"
bench_parse_throughput_CFLAGS = $(AM_CFLAGS) $(PKG_CFLAGS)
bench_parse_throughput_LDADD = rules/librules.a parse/libparse.a $(PKG_LIBS)
CLEANFILES += bench/parse-floor$(EXEEXT) bench/parse-throughput$(EXEEXT)
bench: bench/parse-floor$(EXEEXT) bench/parse-throughput$(EXEEXT) \
	abusedesk$(EXEEXT) abusedesk-core$(EXEEXT)
.PHONY: bench
EXTRA_DIST += bench/reprocess-bench bench/deliver-bench bench/parse-bench \
	bench/README.md bench/score-format
# route/ tables: lookups per second, start-up, memory (bench/route-bench)
EXTRA_PROGRAMS += bench/route-lookup
bench_route_lookup_SOURCES = bench/route_lookup.c
bench_route_lookup_CFLAGS = $(AM_CFLAGS) $(PKG_CFLAGS)
bench_route_lookup_LDADD = route/libroute.a parse/libparse.a $(PKG_LIBS)
CLEANFILES += bench/route-lookup$(EXEEXT)
bench: bench/route-lookup$(EXEEXT)
EXTRA_DIST += bench/route-bench
EXTRA_PROGRAMS += bench/rules-throughput
bench_rules_throughput_SOURCES = bench/rules_throughput.c
bench_rules_throughput_CPPFLAGS = $(AM_CPPFLAGS) \
	-DBENCH_RULES_DIR=\"$(abs_top_srcdir)/rules/default\"
bench_rules_throughput_CFLAGS = $(AM_CFLAGS) $(PKG_CFLAGS)
bench_rules_throughput_LDADD = rules/librules.a parse/libparse.a $(PKG_LIBS)
CLEANFILES += bench/rules-throughput$(EXEEXT)
EXTRA_DIST += bench/rules-bench
