# tests of notify/: rendering (gmime round trip), templates, the outbox.
NOTIFY_TEST_LIBS = notify/libnotify.a parse/libparse.a $(PKG_LIBS) \
	$(CRITERION_LIBS)

TESTS += tests/test_notify_render
tests_test_notify_render_SOURCES = tests/test_notify_render.c \
	tests/test_notify_fixture.h
tests_test_notify_render_CFLAGS = $(UNIT_CFLAGS)
tests_test_notify_render_LDADD = $(NOTIFY_TEST_LIBS)

TESTS += tests/test_notify_template
tests_test_notify_template_SOURCES = tests/test_notify_template.c \
	tests/test_notify_fixture.h
tests_test_notify_template_CFLAGS = $(UNIT_CFLAGS)
tests_test_notify_template_LDADD = $(NOTIFY_TEST_LIBS)

TESTS += tests/test_notify_attach
tests_test_notify_attach_SOURCES = tests/test_notify_attach.c \
	tests/test_notify_fixture.h
tests_test_notify_attach_CFLAGS = $(UNIT_CFLAGS)
tests_test_notify_attach_LDADD = $(NOTIFY_TEST_LIBS)
