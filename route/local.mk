# route/: offender findings -> contacts (CIDR table, IP -> country,
# national CSIRT directory).  See route/route.h.
noinst_LIBRARIES += route/libroute.a
route_libroute_a_CPPFLAGS = $(AM_CPPFLAGS) -DG_LOG_DOMAIN=\"abusedesk-route\"
route_libroute_a_CFLAGS = $(AM_CFLAGS) $(ZLIB_CFLAGS) $(PSL_CFLAGS) \
	$(IDN2_CFLAGS)
route_libroute_a_SOURCES = \
	route/route.h route/route_int.h \
	route/route_csv.c \
	route/route_ranges.c route/route_ranges_int.h \
	route/route_ranges_index.c \
	route/route_cache.c \
	route/route_import.c route/route_import_int.h \
	route/route_import_ranges.c route/route_write.c \
	route/route_country.c \
	route/route_asn.c \
	route/route_domains.c \
	route/route_contacts.c \
	route/route_csirt.c \
	route/route_networks.c \
	route/route_tables.c \
	route/route_decide.c route/route_override.c \
	route/route_host.c
# live lookups (issue 5, off by default): RDAP, whois, DNS TXT, the cache
route_libroute_a_SOURCES += route/lookup.h route/lookup_cache.c \
	route/lookup_rdap.c route/lookup_whois.c route/lookup_dns.c \
	route/route_live.c
route_libroute_a_CFLAGS += $(JSONGLIB_CFLAGS)
# MaxMind-format databases (issue 5, optional): libmaxminddb
route_libroute_a_SOURCES += route/route_mmdb.c
route_libroute_a_CFLAGS += $(MMDB_CFLAGS)
