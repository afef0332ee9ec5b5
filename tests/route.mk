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
