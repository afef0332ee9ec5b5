# tests of case/: each links only case/ and parse/ (the structs of rules/,
# route/ and notify/ are built by hand in the tests).
CASE_TEST_CFLAGS = $(AM_CFLAGS) $(SQLITE_CFLAGS) $(CRITERION_CFLAGS)
CASE_TEST_LIBS = case/libcase.a parse/libparse.a $(PKG_LIBS) \
	$(CRITERION_LIBS)

TESTS += tests/test_case_db tests/test_case_store tests/test_case_query
tests_test_case_db_SOURCES = tests/test_case_db.c \
	tests/test_case_fixture.h
tests_test_case_db_CFLAGS = $(CASE_TEST_CFLAGS)
tests_test_case_db_LDADD = $(CASE_TEST_LIBS)
tests_test_case_store_SOURCES = tests/test_case_store.c \
	tests/test_case_fixture.h
tests_test_case_store_CFLAGS = $(CASE_TEST_CFLAGS)
tests_test_case_store_LDADD = $(CASE_TEST_LIBS)
tests_test_case_query_SOURCES = tests/test_case_query.c \
	tests/test_case_fixture.h
tests_test_case_query_CFLAGS = $(CASE_TEST_CFLAGS)
tests_test_case_query_LDADD = $(CASE_TEST_LIBS)

TESTS += tests/test_case_schema
tests_test_case_schema_SOURCES = tests/test_case_schema.c \
	tests/test_case_fixture.h
tests_test_case_schema_CFLAGS = $(CASE_TEST_CFLAGS)
tests_test_case_schema_LDADD = $(CASE_TEST_LIBS)

# the live lookups' answer cache (case/case_lookup.c; needs route/)
TESTS += tests/test_case_lookup
tests_test_case_lookup_SOURCES = tests/test_case_lookup.c \
	tests/test_case_fixture.h
tests_test_case_lookup_CFLAGS = $(CASE_TEST_CFLAGS)
tests_test_case_lookup_LDADD = case/libcase.a route/libroute.a \
	$(CASE_TEST_LIBS)
