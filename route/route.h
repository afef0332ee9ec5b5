/*
 * route.h: who can act on each offender finding, and why.
 *
 * The routing tables (analyst contacts, CIDR -> contact, ASN -> contact,
 * domain -> contact, IP -> ASN and AS name, IP -> country of location and
 * of registration, country -> national CSIRT) are loaded once by
 * route_open() and are read-only afterwards.  route_report() decides a
 * contact for every offender finding of a report, keeping the reason chain
 * (finding -> prefix -> ASN -> country -> contact, each with its data
 * source and date); a finding nobody can be found for is returned as
 * unrouted.  Nothing here touches the network: live lookups (RDAP, whois,
 * DNS) plug in through struct route_live and are off unless set.
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

/* How a contact wants its takedown requests: the text of the template
 * alone, or with the findings attached as CSV or as XARF (xarf.org v4
 * JSON), for desks that ingest them automatically. */
enum contact_format {
	CONTACT_FORMAT_TEXT = 0,
	CONTACT_FORMAT_CSV,
	CONTACT_FORMAT_XARF,
};

/* Long-lived (owned by the tables). */
struct contact {
	char			*id;		/* "csirt-jp", "hoster-a" */
	char			*name;
	char			*email;		/* one address, or a list "a, b" */
	char			*language;	/* "en", "ja" */
	char			*country;	/* ISO 3166 alpha-2 or NULL */
	enum contact_kind	 kind;
	enum contact_format	 format;
};

struct route_paths {
	const char	*contacts;	/* analyst contacts CSV (may be NULL) */
	const char	*networks;	/* CIDR -> contact id CSV (may be NULL) */
	const char	*geo_country;	/* ip-country-geo.csv[.gz] (may be NULL) */
	const char	*rir_country;	/* ip-country-rir.csv[.gz] (may be NULL) */
	const char	*csirts;	/* national-csirts.csv (may be NULL) */
	const char	*own_country;	/* "JP" or NULL */
	const char	*asn;		/* ip-asn.csv[.gz] (may be NULL) */
	const char	*asn_names;	/* asn-names.csv[.gz] (may be NULL) */
	const char	*asn_contacts;	/* ASN -> contact id CSV (may be NULL) */
	const char	*domain_contacts; /* domain -> contact id (may be NULL) */
	const char	*geo_mmdb;	/* MaxMind country .mmdb (may be NULL) */
	const char	*asn_mmdb;	/* MaxMind ASN .mmdb (may be NULL) */
	const char	*ladder;	/* "networks asn domains live country",
					 * NULL: that default */
	const char	*cache_dir;	/* compiled tables (may be NULL: off) */
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
	gboolean		 cc;		/* a copy for information: the
						 * national CSIRT of the hosting
						 * country, next to the route of
						 * the same finding before it */
	guint32			 asn;		/* origin AS, 0: unknown */
	const char		*as_name;	/* (tables) or NULL */
};

struct route_result {
	GPtrArray	*routes;	/* struct route *, routed and unrouted;
					 * a Cc route follows its finding's
					 * first route */
	guint		 unrouted;
};

/* What the tables know about one address (strings belong to the tables;
 * NULL / 0 when unknown). */
struct route_ip_info {
	const char	*geo;		/* country of location, as stored */
	const char	*rir;		/* country of registration */
	guint32		 asn;		/* origin AS */
	const char	*as_name;
	const char	*network;	/* analysts' prefix "5.9.0.0/16" */
	const struct contact *network_contact;
	const struct contact *asn_contact; /* analysts' ASN mapping */
	const char	*geo_source, *rir_source, *asn_source;	/* "file
					 * (date)" of each answer */
};

/* Live lookups (RDAP, whois, DNS), consulted after the analysts' tables
 * and before the country step, only when set with route_set_live().
 * Each function returns 1 with *contact_r set (long-lived: owned by ctx)
 * and one " -> ..." step appended to why, 0 when it knows nothing and -1
 * on failure (it appends why; routing goes on offline).  Either function
 * may be NULL.  They must be safe to call from the routing thread. */
struct route_live {
	int	(*ip)(void *ctx, const char *ip, guint32 asn,
		    const struct contact **contact_r, GString *why);
	int	(*domain)(void *ctx, const char *host,
		    const struct contact **contact_r, GString *why);
	void	*ctx;
};

/* route_live.c: the live lookups of route/lookup.h as a struct
 * route_live.  A context owns a copy of the lookup config, the answer
 * cache (per network range; the case DB persists it) and the contacts
 * made from answers (id "rdap:abuse@example.net", kind network-owner for
 * an IP, registrar for a domain, language "ja" for JP else "en"); they
 * live until route_live_free(), which must come after the tables that
 * use the hook are closed.  Calls are serialised by a mutex.  A lookup
 * never fails routing: a failure appends " -> live lookup failed: ..."
 * and the ladder goes on offline; after one, the context answers from
 * its cache only for a minute.  A registry's catch-all address is never
 * used. */
struct lookup_config;
struct lookup_cache;
struct route_live_ctx;
/* TRUE when any source (RDAP, whois, DNS) is enabled in cfg. */
gboolean		 route_live_enabled(const struct lookup_config *cfg);
/* A new context (cfg is copied, strings too; cache_max 0: the default),
 * or NULL when no source is enabled. */
struct route_live_ctx	*route_live_new(const struct lookup_config *cfg,
			    guint cache_max);
void			 route_live_free(struct route_live_ctx **cp);
/* Fills *out for route_set_live(); FALSE (out cleared) when ctx is NULL
 * or has no source enabled.  domain() is set only when RDAP is on. */
gboolean		 route_live_hook(struct route_live_ctx *ctx,
			    struct route_live *out);
/* Starts one message: resets its budget of network lookups. */
void			 route_live_begin(struct route_live_ctx *ctx);
/* The answer cache, to load from and save to the case DB (not to be
 * used while another thread routes with ctx). */
struct lookup_cache	*route_live_cache(struct route_live_ctx *ctx);
/* Answers fetched from the network and cached so far (it only grows):
 * when it moved, there is something new to save. */
guint			 route_live_fetched(struct route_live_ctx *ctx);

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
/* Everything the tables know about the IP literal ip (see struct
 * route_ip_info).  Returns 1 when the address is public and parsed (even
 * if nothing is known about it), 0 for special-purpose addresses, -1
 * when ip is not an address. */
int			 route_ip_info(const struct route_tables *t,
			    const char *ip, struct route_ip_info *info);
/* The name of AS asn, or NULL. */
const char		*route_as_name(const struct route_tables *t,
			    guint32 asn);
/* Sets (or with NULL clears) the live lookup hook; live is copied.  Call
 * before routing starts: the tables are otherwise read-only. */
void			 route_set_live(struct route_tables *t,
			    const struct route_live *live);
/* Memory held by the IP range tables, in bytes. */
gsize			 route_tables_bytes(const struct route_tables *t);

/* route_decide.c */
/* Routes every offender, not suppressed finding of r (IPs, URLs whose
 * host is an IP or a domain, domains).  Special-purpose IPs are skipped.
 * res->routes is created here (g_ptr_array_new) and unref'd when r's
 * arena is freed; the routes, reasons and countries are arena memory,
 * contacts belong to t.  If the arena runs out, routing stops early. */
void			 route_report(const struct route_tables *t,
			    struct report *r, struct route_result *res);
const char		*contact_kind_name(enum contact_kind k);
const char		*contact_format_name(enum contact_format f);
/* The format named s ("" or NULL: text), or -1 when unknown. */
int			 contact_format_from_name(const char *s);

/* route_import.c: public data -> the tables' formats (`abusedesk data
 * import`).  Inputs are plain or gzip; the output is written atomically
 * (gzip when its name ends in .gz).  Input errors are ROUTE_ERROR_SYNTAX
 * naming file:line (an overlap names both), write errors ROUTE_ERROR_IO.
 * *st is filled in (zeroed first). */
struct route_import_stats {
	guint	records;	/* input records used */
	guint	skipped;	/* not allocated/assigned, AS 0 (not routed) */
	guint	multi_origin;	/* pfx2as: AS sets, the first AS taken */
	guint	ranges4, ranges6; /* rows written, after merging */
	guint	names;		/* AS names written */
};
/* RIR delegated-extended files (all five at once) -> ip-country-rir */
gboolean		 route_import_rir(const char *const *files,
			    guint nfiles, const char *out,
			    struct route_import_stats *st, GError **error);
/* RouteViews pfx2as -> ip-asn (the most specific prefix wins) */
gboolean		 route_import_pfx2as(const char *file, const char *out,
			    struct route_import_stats *st, GError **error);
/* iptoasn.com ip2asn TSV -> ip-asn and (unless NULL) asn-names */
gboolean		 route_import_ip2asn(const char *file,
			    const char *asn_out, const char *names_out,
			    struct route_import_stats *st, GError **error);
/* A contacts table, checked by the contacts loader, installed as out */
gboolean		 route_import_contacts(const char *file,
			    const char *out, struct route_import_stats *st,
			    GError **error);

/* route_override.c */
/* A rule's `route to CONTACT`: every route of res goes to that contact
 * (Cc routes dropped), the reason says so.  FALSE (and a warning on r)
 * when the contact is unknown: the ladder's routes stand. */
gboolean		 route_override(const struct route_tables *t,
			    struct report *r, struct route_result *res,
			    const char *contact_id);

#endif
