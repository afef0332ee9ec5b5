# case/ (see case/case.h): the sqlite3 case database.
noinst_LIBRARIES += case/libcase.a
case_libcase_a_CPPFLAGS = $(AM_CPPFLAGS) -DG_LOG_DOMAIN=\"abusedesk-case\"
case_libcase_a_CFLAGS = $(AM_CFLAGS) $(SQLITE_CFLAGS)
case_libcase_a_SOURCES = \
	case/case.h case/case_int.h \
	case/case_db.c case/case_schema.c \
	case/case_store.c case/case_case.c \
	case/case_query.c case/case_show.c case/case_text.c \
	case/case_rules.c
case_libcase_a_SOURCES += case/case_batch.c
# live lookups' answer cache (lookup_cache table)
case_libcase_a_SOURCES += case/case_lookup.c
