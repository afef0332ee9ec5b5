# notify/: takedown requests rendered into the outbox Maildir (gmime).
noinst_LIBRARIES += notify/libnotify.a
notify_libnotify_a_CPPFLAGS = $(AM_CPPFLAGS) -DG_LOG_DOMAIN=\"abusedesk-notify\"
notify_libnotify_a_CFLAGS = $(AM_CFLAGS) $(GMIME_CFLAGS)
notify_libnotify_a_SOURCES = \
	notify/notify.h notify/notify_int.h \
	notify/notify_message.c \
	notify/notify_outbox.c \
	notify/notify_render.c \
	notify/notify_template.c \
	notify/notify_text.c
# one takedown for an aggregation window (case/case_batch.c)
notify_libnotify_a_SOURCES += notify/notify_batch.c
# the findings attached as CSV or XARF v4 (contacts.csv `format`)
notify_libnotify_a_SOURCES += notify/notify_attach.c
notify_libnotify_a_CFLAGS += $(JSONGLIB_CFLAGS)
