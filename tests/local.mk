# tests/: criterion programs run through automake's TAP driver.
# Each module's tests are declared in tests/<module>.mk.
if ENABLE_TESTS
TEST_LOG_DRIVER = env AM_TAP_AWK='$(AWK)' $(SHELL) \
	$(top_srcdir)/build-aux/tap-driver.sh
AM_TESTS_ENVIRONMENT = \
	CRITERION_OUTPUTS='tap:-'; export CRITERION_OUTPUTS; \
	CRITERION_JOBS=2; export CRITERION_JOBS; \
	ABUSEDESK_TEST_DATA='$(abs_top_srcdir)/tests/data'; export ABUSEDESK_TEST_DATA; \
	ABUSEDESK_SRCDIR='$(abs_top_srcdir)'; export ABUSEDESK_SRCDIR; \
	ABUSEDESK_BUILDDIR='$(abs_top_builddir)'; export ABUSEDESK_BUILDDIR;
UNIT_CFLAGS = $(AM_CFLAGS) $(PKG_CFLAGS) $(CRITERION_CFLAGS)
UNIT_LIBS = $(CORE_LIBS) $(PKG_LIBS) $(CRITERION_LIBS)

include tests/parse.mk
include tests/rules.mk
include tests/route.mk
include tests/notify.mk
include tests/case.mk
include tests/ingest.mk
include tests/e2e.mk

check_PROGRAMS += $(TESTS)
endif
EXTRA_DIST += tests/data tests/helpers.h tests/parse_fixture.h \
	tests/rules_fixture.h \
	tests/route_fixture.h
