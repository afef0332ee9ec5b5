# end-to-end tests: run the built programs on real mail files.
TESTS += tests/test_deliver
tests_test_deliver_SOURCES = tests/test_deliver.c tests/helpers.h
tests_test_deliver_CFLAGS = $(UNIT_CFLAGS)
tests_test_deliver_LDADD = $(NETTLE_LIBS) $(GLIB_LIBS) $(CRITERION_LIBS)

TESTS += tests/test_e2e
tests_test_e2e_SOURCES = tests/test_e2e.c tests/helpers.h tests/tools_e2e.h
tests_test_e2e_CFLAGS = $(UNIT_CFLAGS) $(SQLITE_CFLAGS)
tests_test_e2e_LDADD = $(SQLITE_LIBS) $(GLIB_LIBS) $(CRITERION_LIBS)
# The end-to-end tests run the programs; `make check` builds `all` first.

TESTS += tests/test_rules_tools tests/test_shadow
tests_test_rules_tools_SOURCES = tests/test_rules_tools.c tests/helpers.h \
	tests/tools_e2e.h
tests_test_rules_tools_CFLAGS = $(UNIT_CFLAGS) $(SQLITE_CFLAGS)
tests_test_rules_tools_LDADD = $(SQLITE_LIBS) $(PKG_LIBS) $(CRITERION_LIBS)
tests_test_shadow_SOURCES = tests/test_shadow.c tests/helpers.h \
	tests/tools_e2e.h
tests_test_shadow_CFLAGS = $(UNIT_CFLAGS) $(SQLITE_CFLAGS)
tests_test_shadow_LDADD = $(SQLITE_LIBS) $(PKG_LIBS) $(CRITERION_LIBS)

# live lookups (RDAP) end to end, with a loopback server and the DB cache
TESTS += tests/test_e2e_lookup
tests_test_e2e_lookup_SOURCES = tests/test_e2e_lookup.c tests/helpers.h \
	tests/tools_e2e.h tests/lookup_servers.c tests/lookup_servers.h
tests_test_e2e_lookup_CFLAGS = $(UNIT_CFLAGS) $(SQLITE_CFLAGS)
tests_test_e2e_lookup_LDADD = $(SQLITE_LIBS) $(PKG_LIBS) $(CRITERION_LIBS)

TESTS += tests/test_e2e_batch
tests_test_e2e_batch_SOURCES = tests/test_e2e_batch.c tests/helpers.h \
	tests/tools_e2e.h
tests_test_e2e_batch_CFLAGS = $(UNIT_CFLAGS) $(SQLITE_CFLAGS)
tests_test_e2e_batch_LDADD = $(SQLITE_LIBS) $(GLIB_LIBS) $(CRITERION_LIBS)
