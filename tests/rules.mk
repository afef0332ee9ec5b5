# tests of rules/ and of the value normalisers (parse/normalise.c,
# parse/defang.c) the rules depend on.
TESTS += tests/test_normalise
tests_test_normalise_SOURCES = tests/test_normalise.c
tests_test_normalise_CFLAGS = $(UNIT_CFLAGS)
tests_test_normalise_LDADD = parse/libparse.a $(PKG_LIBS) $(CRITERION_LIBS)
