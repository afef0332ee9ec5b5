# route/: offender findings -> contacts (CIDR table, IP -> country,
# national CSIRT directory).  See route/route.h.
noinst_LIBRARIES += route/libroute.a
route_libroute_a_CPPFLAGS = $(AM_CPPFLAGS) -DG_LOG_DOMAIN=\"abusedesk-route\"
route_libroute_a_CFLAGS = $(AM_CFLAGS) $(ZLIB_CFLAGS)
route_libroute_a_SOURCES = \
	route/route.h route/route_int.h \
	route/route_csv.c \
	route/route_country.c \
	route/route_contacts.c \
	route/route_csirt.c \
	route/route_networks.c \
	route/route_tables.c \
	route/route_decide.c
