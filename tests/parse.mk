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
