# bench/: benchmarks (not run by make check).  `make bench` builds the
# helper programs; the scripts print msgs/s and peak RSS.
EXTRA_PROGRAMS = bench/parse-floor
bench_parse_floor_SOURCES = bench/parse_floor.c
bench_parse_floor_CFLAGS = $(AM_CFLAGS) $(GMIME_CFLAGS)
bench_parse_floor_LDADD = $(GMIME_LIBS) $(GLIB_LIBS)
CLEANFILES += bench/parse-floor$(EXEEXT)
bench: bench/parse-floor$(EXEEXT) abusedesk$(EXEEXT) abusedesk-core$(EXEEXT)
.PHONY: bench
EXTRA_DIST += bench/reprocess-bench bench/deliver-bench bench/README.md
