# tests of ingest/
TESTS += tests/test_ini tests/test_spool_file
tests_test_ini_SOURCES = tests/test_ini.c
tests_test_ini_CFLAGS = $(UNIT_CFLAGS)
tests_test_ini_LDADD = ingest/libdeliver.a $(NETTLE_LIBS) $(GLIB_LIBS) $(CRITERION_LIBS)
tests_test_spool_file_SOURCES = tests/test_spool_file.c
tests_test_spool_file_CFLAGS = $(UNIT_CFLAGS)
tests_test_spool_file_LDADD = ingest/libdeliver.a $(NETTLE_LIBS) $(GLIB_LIBS) $(CRITERION_LIBS)

TESTS += tests/test_source
tests_test_source_SOURCES = tests/test_source.c
tests_test_source_CFLAGS = $(UNIT_CFLAGS)
tests_test_source_LDADD = $(UNIT_LIBS)

TESTS += tests/test_config
tests_test_config_SOURCES = tests/test_config.c
tests_test_config_CFLAGS = $(UNIT_CFLAGS)
tests_test_config_LDADD = $(UNIT_LIBS)

TESTS += tests/test_pipeline_batch
tests_test_pipeline_batch_SOURCES = tests/test_pipeline_batch.c \
	tests/helpers.h tests/tools_e2e.h
tests_test_pipeline_batch_CFLAGS = $(UNIT_CFLAGS) $(SQLITE_CFLAGS)
tests_test_pipeline_batch_LDADD = $(UNIT_LIBS)
