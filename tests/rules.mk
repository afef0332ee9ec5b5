# tests of rules/ and of the value normalisers (parse/normalise.c,
# parse/defang.c) the rules depend on.
TESTS += tests/test_normalise
tests_test_normalise_SOURCES = tests/test_normalise.c
tests_test_normalise_CFLAGS = $(UNIT_CFLAGS)
tests_test_normalise_LDADD = parse/libparse.a $(PKG_LIBS) $(CRITERION_LIBS)

RULES_TEST_LIBS = rules/librules.a parse/libparse.a $(PKG_LIBS) \
	$(CRITERION_LIBS)

TESTS += tests/test_rules_load
tests_test_rules_load_SOURCES = tests/test_rules_load.c
tests_test_rules_load_CFLAGS = $(UNIT_CFLAGS)
tests_test_rules_load_LDADD = $(RULES_TEST_LIBS)

TESTS += tests/test_rules_eval
tests_test_rules_eval_SOURCES = tests/test_rules_eval.c
tests_test_rules_eval_CFLAGS = $(UNIT_CFLAGS)
tests_test_rules_eval_LDADD = $(RULES_TEST_LIBS)

TESTS += tests/test_rules_check
tests_test_rules_check_SOURCES = tests/test_rules_check.c
tests_test_rules_check_CFLAGS = $(UNIT_CFLAGS)
tests_test_rules_check_LDADD = $(RULES_TEST_LIBS)

TESTS += tests/test_rules_lang
tests_test_rules_lang_SOURCES = tests/test_rules_lang.c
tests_test_rules_lang_CFLAGS = $(UNIT_CFLAGS)
tests_test_rules_lang_LDADD = $(RULES_TEST_LIBS)
