# parse/: raw mail -> struct report (gmime).
noinst_LIBRARIES += parse/libparse.a
parse_libparse_a_CPPFLAGS = $(AM_CPPFLAGS) -DG_LOG_DOMAIN=\"abusedesk-parse\"
parse_libparse_a_CFLAGS = $(AM_CFLAGS) $(PKG_CFLAGS)
parse_libparse_a_SOURCES = \
	parse/arena.c parse/arena.h \
	parse/netaddr.c parse/netaddr.h \
	parse/report.c parse/report.h \
	parse/defang.c \
	parse/normalise.c \
	parse/limits.h parse/parse.h
parse_libparse_a_SOURCES += \
	parse/parse_int.h parse/parse_mime.c parse/parse_walk.c \
	parse/parse_headers.c parse/charset.c parse/html.c parse/detect.c \
	parse/formats.c parse/parse_fields.c parse/report_dump.c
parse_libparse_a_SOURCES += \
	parse/fmt_xarf.c parse/fmt_xarf_json.c parse/fmt_arf.c
parse_libparse_a_SOURCES += \
	parse/fmt_notice.c parse/taxonomy.c parse/roles.c
parse_libparse_a_SOURCES += \
	parse/unpack.c parse/fmt_csv.c parse/fmt_spamcop.c parse/fmt_gsb.c \
	parse/salvage.c
