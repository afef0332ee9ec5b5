# fuzz/: libFuzzer targets (configure --enable-fuzz CC=clang).
# fuzz/run-fuzz builds the seed corpus and runs fuzz/fuzz_parse; see
# fuzz/README.md.  With --enable-fuzz every object of the build carries
# the coverage instrumentation (fuzzer-no-link), so libFuzzer sees the
# branches of parse/ and rules/, not only those of the target.
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
endif
EXTRA_DIST += fuzz/fuzz_parse.c fuzz/README.md fuzz/run-fuzz
