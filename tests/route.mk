# tests of route/ (and the shipped data/ tables)
ROUTE_TEST_LIBS = route/libroute.a parse/libparse.a $(PKG_LIBS) \
	$(CRITERION_LIBS)

TESTS += tests/test_route_csv
tests_test_route_csv_SOURCES = tests/test_route_csv.c
tests_test_route_csv_CFLAGS = $(UNIT_CFLAGS)
tests_test_route_csv_LDADD = $(ROUTE_TEST_LIBS)

TESTS += tests/test_route_tables
tests_test_route_tables_SOURCES = tests/test_route_tables.c
tests_test_route_tables_CFLAGS = $(UNIT_CFLAGS)
tests_test_route_tables_LDADD = $(ROUTE_TEST_LIBS)

TESTS += tests/test_route_decide
tests_test_route_decide_SOURCES = tests/test_route_decide.c
tests_test_route_decide_CFLAGS = $(UNIT_CFLAGS)
tests_test_route_decide_LDADD = $(ROUTE_TEST_LIBS)

# live lookups (issue 5): loopback servers, no host resolver, no network
LOOKUP_TEST_SOURCES = tests/lookup_servers.c tests/lookup_servers.h

TESTS += tests/test_lookup_rdap
tests_test_lookup_rdap_SOURCES = tests/test_lookup_rdap.c \
	$(LOOKUP_TEST_SOURCES)
tests_test_lookup_rdap_CFLAGS = $(UNIT_CFLAGS)
tests_test_lookup_rdap_LDADD = $(ROUTE_TEST_LIBS)

TESTS += tests/test_lookup_whois
tests_test_lookup_whois_SOURCES = tests/test_lookup_whois.c \
	$(LOOKUP_TEST_SOURCES)
tests_test_lookup_whois_CFLAGS = $(UNIT_CFLAGS)
tests_test_lookup_whois_LDADD = $(ROUTE_TEST_LIBS)

TESTS += tests/test_lookup_dns
tests_test_lookup_dns_SOURCES = tests/test_lookup_dns.c \
	$(LOOKUP_TEST_SOURCES)
tests_test_lookup_dns_CFLAGS = $(UNIT_CFLAGS)
tests_test_lookup_dns_LDADD = $(ROUTE_TEST_LIBS)

TESTS += tests/test_lookup_cache
tests_test_lookup_cache_SOURCES = tests/test_lookup_cache.c \
	$(LOOKUP_TEST_SOURCES)
tests_test_lookup_cache_CFLAGS = $(UNIT_CFLAGS)
tests_test_lookup_cache_LDADD = $(ROUTE_TEST_LIBS)

TESTS += tests/test_route_mmdb
tests_test_route_mmdb_SOURCES = tests/test_route_mmdb.c \
	tests/mmdb_writer.c tests/mmdb_writer.h
tests_test_route_mmdb_CFLAGS = $(UNIT_CFLAGS)
tests_test_route_mmdb_LDADD = $(ROUTE_TEST_LIBS)

TESTS += tests/test_route_ladder
tests_test_route_ladder_SOURCES = tests/test_route_ladder.c
tests_test_route_ladder_CFLAGS = $(UNIT_CFLAGS)
tests_test_route_ladder_LDADD = $(ROUTE_TEST_LIBS)

# `abusedesk route explain`, end to end (runs the built binary)
TESTS += tests/test_route_explain
tests_test_route_explain_SOURCES = tests/test_route_explain.c tests/helpers.h
tests_test_route_explain_CFLAGS = $(UNIT_CFLAGS) $(JSONGLIB_CFLAGS)
tests_test_route_explain_LDADD = $(JSONGLIB_LIBS) $(GLIB_LIBS) \
	$(CRITERION_LIBS)

# live lookups wired into the ladder (route/route_live.c)
TESTS += tests/test_route_live
tests_test_route_live_SOURCES = tests/test_route_live.c \
	$(LOOKUP_TEST_SOURCES)
tests_test_route_live_CFLAGS = $(UNIT_CFLAGS)
tests_test_route_live_LDADD = $(ROUTE_TEST_LIBS)

# route/route_ranges.c lookups against a linear scan
TESTS += tests/test_route_ranges
tests_test_route_ranges_SOURCES = tests/test_route_ranges.c
tests_test_route_ranges_CFLAGS = $(UNIT_CFLAGS)
tests_test_route_ranges_LDADD = $(ROUTE_TEST_LIBS)

# the compiled table cache (route/route_cache.c)
TESTS += tests/test_route_cache
tests_test_route_cache_SOURCES = tests/test_route_cache.c
tests_test_route_cache_CFLAGS = $(UNIT_CFLAGS)
tests_test_route_cache_LDADD = $(ROUTE_TEST_LIBS)

# abusedesk data import conversions (route/route_import.c), on the
# excerpts tests/data/import-*
TESTS += tests/test_route_import
tests_test_route_import_SOURCES = tests/test_route_import.c
tests_test_route_import_CFLAGS = $(UNIT_CFLAGS)
tests_test_route_import_LDADD = $(ROUTE_TEST_LIBS)

# inputs fuzz/fuzz_tables made crash or leak (tests/data/fuzz-route-*)
TESTS += tests/test_route_fuzz_regress
tests_test_route_fuzz_regress_SOURCES = tests/test_route_fuzz_regress.c \
	tests/helpers.h
tests_test_route_fuzz_regress_CFLAGS = $(UNIT_CFLAGS)
tests_test_route_fuzz_regress_LDADD = $(ROUTE_TEST_LIBS)
