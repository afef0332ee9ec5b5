# fuzz/: libFuzzer targets (configure --enable-fuzz CC=clang).
# fuzz/run-fuzz builds the seed corpus and runs fuzz/fuzz_parse (the
# default), fuzz/fuzz_tables (route/ data parsers) or fuzz/fuzz_cache
# (the compiled table cache); see fuzz/README.md.
# With --enable-fuzz every object of the build carries the coverage
# instrumentation (fuzzer-no-link), so libFuzzer sees the branches of
# parse/, rules/ and route/, not only those of the target.
if ENABLE_FUZZ
FUZZ_SANITIZE = -fsanitize=fuzzer,address,undefined
AM_CFLAGS += -fsanitize=fuzzer-no-link,address,undefined \
	-fno-omit-frame-pointer
AM_LDFLAGS += -fsanitize=address,undefined
noinst_PROGRAMS += fuzz/fuzz_parse
fuzz_fuzz_parse_SOURCES = fuzz/fuzz_parse.c
fuzz_fuzz_parse_CPPFLAGS = $(AM_CPPFLAGS) \
	-DFUZZ_RULES_DIR=\"$(abs_top_srcdir)/rules/default\"
fuzz_fuzz_parse_CFLAGS = $(AM_CFLAGS) $(PKG_CFLAGS) $(FUZZ_SANITIZE)
fuzz_fuzz_parse_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_SANITIZE)
fuzz_fuzz_parse_LDADD = rules/librules.a parse/libparse.a $(PKG_LIBS)
# route/ tables, importers, .mmdb, RDAP and whois answers
noinst_PROGRAMS += fuzz/fuzz_tables fuzz/fuzz_tables_seeds
fuzz_fuzz_tables_SOURCES = fuzz/fuzz_tables.c
fuzz_fuzz_tables_CFLAGS = $(AM_CFLAGS) $(PKG_CFLAGS) $(FUZZ_SANITIZE)
fuzz_fuzz_tables_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_SANITIZE)
fuzz_fuzz_tables_LDADD = route/libroute.a parse/libparse.a $(PKG_LIBS)
# the .mmdb, RDAP and whois seeds (tests/mmdb_writer.c)
fuzz_fuzz_tables_seeds_SOURCES = fuzz/fuzz_tables_seeds.c \
	tests/mmdb_writer.c tests/mmdb_writer.h
fuzz_fuzz_tables_seeds_CFLAGS = $(AM_CFLAGS) $(PKG_CFLAGS)
fuzz_fuzz_tables_seeds_LDADD = parse/libparse.a $(PKG_LIBS)
# the compiled table cache (route/route_cache.c) and its loaders
noinst_PROGRAMS += fuzz/fuzz_cache
fuzz_fuzz_cache_SOURCES = fuzz/fuzz_cache.c
fuzz_fuzz_cache_CFLAGS = $(AM_CFLAGS) $(PKG_CFLAGS) $(FUZZ_SANITIZE)
fuzz_fuzz_cache_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_SANITIZE)
fuzz_fuzz_cache_LDADD = route/libroute.a parse/libparse.a $(PKG_LIBS)
endif
EXTRA_DIST += fuzz/fuzz_parse.c fuzz/fuzz_tables.c fuzz/fuzz_cache.c \
	fuzz/fuzz_tables_seeds.c fuzz/tables.supp fuzz/README.md fuzz/run-fuzz
