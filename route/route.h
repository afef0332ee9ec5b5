/*
 * route.h: who can act on each offender finding, and why.
 *
 * The routing tables (analyst contacts, CIDR -> contact, IP -> country of
 * location and of registration, country -> national CSIRT) are loaded once
 * by route_open() and are read-only afterwards.  route_report() decides a
 * contact for every offender finding of a report, keeping the reason chain
 * (finding -> prefix -> country -> contact, each with its data source);
 * a finding nobody can be found for is returned as unrouted.
 */
#ifndef ABUSEDESK_ROUTE_H
#define ABUSEDESK_ROUTE_H

#include <glib.h>
#include "parse/report.h"

#define ROUTE_ERROR (route_error_quark())
GQuark route_error_quark(void);
enum route_error_code {
	ROUTE_ERROR_IO,		/* a table could not be read: temporary */
	ROUTE_ERROR_SYNTAX,	/* a table has a bad line: file:line */
	ROUTE_ERROR_BUSY,
};

enum contact_kind {
	CONTACT_HOSTING = 0,
	CONTACT_NETWORK_OWNER,
	CONTACT_REGISTRAR,
	CONTACT_NATIONAL_CSIRT,
	CONTACT_VENDOR_PSIRT,
	CONTACT_CONSTITUENCY,
};

/* Long-lived (owned by the tables). */
struct contact {
	char			*id;		/* "csirt-jp", "hoster-a" */
	char			*name;
	char			*email;		/* one address, or a list "a, b" */
	char			*language;	/* "en", "ja" */
	char			*country;	/* ISO 3166 alpha-2 or NULL */
	enum contact_kind	 kind;
};

struct route_paths {
	const char	*contacts;	/* analyst contacts CSV (may be NULL) */
	const char	*networks;	/* CIDR -> contact id CSV (may be NULL) */
	const char	*geo_country;	/* ip-country-geo.csv[.gz] (may be NULL) */
	const char	*rir_country;	/* ip-country-rir.csv[.gz] (may be NULL) */
	const char	*csirts;	/* national-csirts.csv (may be NULL) */
	const char	*own_country;	/* "JP" or NULL */
};

struct route_tables;

/* One routing decision for one offender finding (arena memory; contact
 * points into the long-lived tables). */
struct route {
	const struct finding	*finding;
	const struct contact	*contact;	/* NULL: unrouted */
	const char		*reason;	/* "ip 203.0.113.5 -> 203.0.113.0/24
						 * (networks.csv:12) -> hoster-a" */
	const char		*country;	/* hosting country, or NULL */
};

struct route_result {
	GPtrArray	*routes;	/* struct route *, routed and unrouted */
	guint		 unrouted;
};

/* route_tables.c */
struct route_tables	*route_open(const struct route_paths *paths,
			    GError **error);
void			 route_close(struct route_tables **tp);
const struct contact	*route_contact(const struct route_tables *t,
			    const char *id);
/* The countries the tables give for the IP literal ip: *geo_r where it is
 * located, *rir_r where it is registered, as stored ("UK" read as "GB";
 * may be a code that is not a country, such as "EU"), NULL when unknown,
 * when the table is not loaded, or for special-purpose and unparsable
 * addresses.  Returns 1 when either is known, else 0.  The strings belong
 * to the tables. */
int			 route_ip_country(const struct route_tables *t,
			    const char *ip, const char **geo_r,
			    const char **rir_r);

/* route_decide.c */
/* Routes every offender, not suppressed finding of r (IPs, URLs whose
 * host is an IP or a domain, domains).  Special-purpose IPs are skipped.
 * res->routes is created here (g_ptr_array_new) and unref'd when r's
 * arena is freed; the routes, reasons and countries are arena memory,
 * contacts belong to t.  If the arena runs out, routing stops early. */
void			 route_report(const struct route_tables *t,
			    struct report *r, struct route_result *res);
const char		*contact_kind_name(enum contact_kind k);

#endif
