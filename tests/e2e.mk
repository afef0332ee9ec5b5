# end-to-end tests: run the built programs on real mail files.
TESTS += tests/test_deliver
tests_test_deliver_SOURCES = tests/test_deliver.c tests/helpers.h
tests_test_deliver_CFLAGS = $(UNIT_CFLAGS)
tests_test_deliver_LDADD = $(NETTLE_LIBS) $(GLIB_LIBS) $(CRITERION_LIBS)
