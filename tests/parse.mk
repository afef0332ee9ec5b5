# tests of parse/: MIME walk, charsets, formats, limits and hostile input.
PARSE_TEST_LDADD = parse/libparse.a $(PKG_LIBS) $(CRITERION_LIBS)

TESTS += tests/test_parse_mime
tests_test_parse_mime_SOURCES = tests/test_parse_mime.c tests/helpers.h
tests_test_parse_mime_CFLAGS = $(UNIT_CFLAGS)
tests_test_parse_mime_LDADD = $(PARSE_TEST_LDADD)

TESTS += tests/test_parse_charset
tests_test_parse_charset_SOURCES = tests/test_parse_charset.c
tests_test_parse_charset_CFLAGS = $(UNIT_CFLAGS)
tests_test_parse_charset_LDADD = $(PARSE_TEST_LDADD)

TESTS += tests/test_parse_detect
tests_test_parse_detect_SOURCES = tests/test_parse_detect.c tests/helpers.h
tests_test_parse_detect_CFLAGS = $(UNIT_CFLAGS)
tests_test_parse_detect_LDADD = $(PARSE_TEST_LDADD)

TESTS += tests/test_parse_limits
tests_test_parse_limits_SOURCES = tests/test_parse_limits.c
tests_test_parse_limits_CFLAGS = $(UNIT_CFLAGS)
tests_test_parse_limits_LDADD = $(PARSE_TEST_LDADD)

TESTS += tests/test_parse_csv
tests_test_parse_csv_SOURCES = tests/test_parse_csv.c tests/helpers.h
tests_test_parse_csv_CFLAGS = $(UNIT_CFLAGS)
tests_test_parse_csv_LDADD = $(PARSE_TEST_LDADD)

TESTS += tests/test_parse_unpack
tests_test_parse_unpack_SOURCES = tests/test_parse_unpack.c tests/helpers.h
tests_test_parse_unpack_CFLAGS = $(UNIT_CFLAGS)
tests_test_parse_unpack_LDADD = $(PARSE_TEST_LDADD)

TESTS += tests/test_parse_spamcop
tests_test_parse_spamcop_SOURCES = tests/test_parse_spamcop.c tests/helpers.h
tests_test_parse_spamcop_CFLAGS = $(UNIT_CFLAGS)
tests_test_parse_spamcop_LDADD = $(PARSE_TEST_LDADD)

TESTS += tests/test_parse_notice
tests_test_parse_notice_SOURCES = tests/test_parse_notice.c tests/helpers.h
tests_test_parse_notice_CFLAGS = $(UNIT_CFLAGS)
tests_test_parse_notice_LDADD = rules/librules.a $(PARSE_TEST_LDADD)

TESTS += tests/test_parse_roles
tests_test_parse_roles_SOURCES = tests/test_parse_roles.c tests/helpers.h
tests_test_parse_roles_CFLAGS = $(UNIT_CFLAGS)
tests_test_parse_roles_LDADD = rules/librules.a $(PARSE_TEST_LDADD)

TESTS += tests/test_parse_xarf
tests_test_parse_xarf_SOURCES = tests/test_parse_xarf.c tests/helpers.h
tests_test_parse_xarf_CFLAGS = $(UNIT_CFLAGS)
tests_test_parse_xarf_LDADD = $(PARSE_TEST_LDADD)

TESTS += tests/test_parse_xarf_json
tests_test_parse_xarf_json_SOURCES = tests/test_parse_xarf_json.c \
	tests/helpers.h
tests_test_parse_xarf_json_CFLAGS = $(UNIT_CFLAGS)
tests_test_parse_xarf_json_LDADD = $(PARSE_TEST_LDADD)

TESTS += tests/test_parse_arf
tests_test_parse_arf_SOURCES = tests/test_parse_arf.c tests/helpers.h
tests_test_parse_arf_CFLAGS = $(UNIT_CFLAGS)
tests_test_parse_arf_LDADD = $(PARSE_TEST_LDADD)

TESTS += tests/test_parse_fuzz_regress
tests_test_parse_fuzz_regress_SOURCES = tests/test_parse_fuzz_regress.c \
	tests/helpers.h
tests_test_parse_fuzz_regress_CFLAGS = $(UNIT_CFLAGS)
tests_test_parse_fuzz_regress_LDADD = rules/librules.a $(PARSE_TEST_LDADD)
