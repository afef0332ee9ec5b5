# ingest/: how mail comes in.
# libdeliver.a is the light side (libc + nettle only) used by `deliver`
# in the small front binary; libingest.a is the heavy side.
noinst_LIBRARIES += ingest/libdeliver.a ingest/libingest.a
ingest_libdeliver_a_CPPFLAGS = $(AM_CPPFLAGS)
ingest_libdeliver_a_CFLAGS = $(WARN_CFLAGS) $(NETTLE_CFLAGS)
ingest_libdeliver_a_SOURCES = \
	ingest/ini.c ingest/ini.h \
	ingest/spool_file.c ingest/spool_file.h \
	ingest/deliver.c ingest/deliver.h

ingest_libingest_a_CPPFLAGS = $(AM_CPPFLAGS) -DG_LOG_DOMAIN=\"abusedesk\"
ingest_libingest_a_CFLAGS = $(AM_CFLAGS) $(PKG_CFLAGS)
ingest_libingest_a_SOURCES = \
	ingest/ingest.h ingest/ingest_int.h \
	ingest/ingest_error.c \
	ingest/ingest_config.c ingest/ingest_config.h \
	ingest/ingest_config_keys.c ingest/ingest_config_int.h \
	ingest/ingest_lookup.c \
	ingest/log.c \
	ingest/pipeline.c ingest/pipeline.h \
	ingest/pipeline_dry.c ingest/pipeline_dry.h \
	ingest/shadow.c ingest/shadow.h \
	ingest/spool.c \
	ingest/run.c \
	ingest/source.c ingest/source_int.h \
	ingest/source_mbox.c ingest/source_maildir.c \
	ingest/source_mh.c ingest/source_file.c
# aggregation windows and dedup of takedowns
ingest_libingest_a_SOURCES += ingest/pipeline_batch.c ingest/pipeline_batch.h
