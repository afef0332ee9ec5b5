/*
 * lookup.h: live lookups of who runs an address (module-internal API of
 * route/; off by default).
 *
 * Three sources answer "whose network is this, and where do abuse reports
 * go": RDAP (RFC 9083, lookup_rdap.c), whois (RFC 3912, lookup_whois.c)
 * and DNS TXT zones (Team Cymru origin ASN, Abusix abuse contacts,
 * lookup_dns.c).  Every call has one deadline: a slow or failing source
 * returns -1 (LOOKUP_ERROR_TIMEOUT, _IO, ...) within its timeout and the
 * decision ladder falls through to its offline steps; a lookup error is
 * never a reason to hold a message (it is not temporary for ingest).
 * Answers are cached per network range (lookup_cache.c) and can be
 * exported to and imported from the case DB.
 *
 * Results are -1/0/1: 1 an answer (*ans filled), 0 the source answered
 * but knows nothing (HTTP 404, NXDOMAIN, no useful line), -1 error set.
 * A registry's catch-all address (abuse@ripe.net for the whole region, the
 * RIR's own entity) comes back with catch_all set: it is not the owner's
 * contact and must not be used as such.
 */
#ifndef ABUSEDESK_LOOKUP_H
#define ABUSEDESK_LOOKUP_H

#include <glib.h>

#include "parse/netaddr.h"

#define LOOKUP_ERROR (lookup_error_quark())
GQuark lookup_error_quark(void);
enum lookup_error_code {
	LOOKUP_ERROR_TIMEOUT,	/* the source did not answer in time */
	LOOKUP_ERROR_IO,	/* connect/read/write failed */
	LOOKUP_ERROR_PROTOCOL,	/* garbage, HTTP error, bad JSON/DNS */
	LOOKUP_ERROR_TOO_LARGE,	/* answer over max_response */
	LOOKUP_ERROR_CONFIG,	/* bad endpoint, bad address */
};

/* Bounds (defaults of the config; the config may lower them). */
#define LOOKUP_RESPONSE_MAX	(1024 * 1024)	/* bytes of an answer */
#define LOOKUP_JSON_DEPTH_MAX	32	/* json-glib's parser recurses */
#define LOOKUP_ENTITY_MAX	256	/* RDAP entities looked at */
#define LOOKUP_REDIRECT_MAX	3	/* RDAP HTTP redirects followed */
#define LOOKUP_REFERRAL_MAX	2	/* whois referrals, at most */
#define LOOKUP_CACHE_MAX	10000	/* cached ranges */

/*
 * Endpoints and policy.  Strings are borrowed (they must outlive every
 * call; NULL or "" means the default where one exists).  Timeouts are in
 * milliseconds and cover the whole call (name resolution, connect, TLS,
 * redirects, referrals); TTLs are in seconds.
 */
struct lookup_config {
	gboolean	 rdap_enabled;
	const char	*rdap_base;	/* "https://rdap.db.ripe.net" */
	/* PEM CAs trusted for https (a private CA); NULL or "": the
	 * system's trust store.  Validation is never turned off. */
	const char	*ca_file;
	guint		 rdap_timeout_ms;
	guint		 rdap_ttl;
	gboolean	 whois_enabled;
	const char	*whois_server;	/* "whois.ripe.net:43" */
	guint		 whois_timeout_ms;
	guint		 whois_ttl;
	guint		 whois_referrals; /* 0..LOOKUP_REFERRAL_MAX */
	gboolean	 dns_enabled;
	const char	*dns_server;	/* "192.0.2.53:53"; NULL: GResolver */
	guint		 dns_timeout_ms;
	guint		 dns_ttl;
	/* zones: NULL the default shown, "" off */
	const char	*dns_origin_zone;	/* origin.asn.cymru.com */
	const char	*dns_origin6_zone;	/* origin6.asn.cymru.com */
	const char	*dns_asn_zone;		/* asn.cymru.com */
	const char	*dns_abuse_zone;	/* abuse-contacts.abusix.zone */
	gsize		 max_response;	/* 0: LOOKUP_RESPONSE_MAX */
	/* comma separated; NULL: the built-in lists (lookup_cache.c) */
	const char	*catch_all_emails;	/* "abuse@ripe.net, ..." */
	const char	*catch_all_handles;	/* RDAP entity handles */
};

/*
 * One answer.  Every string is g_malloc'd and owned by the answer
 * (lookup_answer_clear() frees them).  first/last is the range the answer
 * is good for (what the cache keys on): the registry's network when it
 * holds the queried address, else the queried address alone.
 */
struct lookup_answer {
	char		*abuse_email;	/* NULL: none found */
	char		*network;	/* "192.0.2.0/24", "a - b" */
	char		*name;		/* netname, registrar name */
	char		*country;	/* as registered: "NL" */
	char		*asn;		/* "64500" */
	char		*as_name;
	char		*handle;	/* RDAP handle of the abuse entity */
	gboolean	 catch_all;	/* abuse_email: registry catch-all */
	char		*source;	/* "rdap", "whois", "dns" */
	char		*detail;	/* for the reason chain */
	struct netaddr	 first, last;
	gboolean	 has_range;
};

/* lookup_cache.c */
void	 lookup_config_defaults(struct lookup_config *cfg);
void	 lookup_answer_clear(struct lookup_answer *ans);
void	 lookup_answer_copy(struct lookup_answer *dst,
	    const struct lookup_answer *src);
/* TRUE if email (case-insensitive) or handle is on the catch-all lists
 * (the defaults when the lists are NULL). */
gboolean lookup_is_catch_all(const struct lookup_config *cfg,
	    const char *email, const char *handle);
/* Serialised answer (g_free) for the DB cache; and back (0/-1). */
char	*lookup_answer_to_json(const struct lookup_answer *ans);
gboolean lookup_answer_from_json(const char *json,
	    struct lookup_answer *ans, GError **error);

struct lookup_cache;
struct lookup_cache *lookup_cache_new(guint max_entries);
void	 lookup_cache_free(struct lookup_cache **cp);
/* Most specific live entry of source holding a: 1 (copy in *ans, clear
 * it with lookup_answer_clear), 0 miss.  now: seconds since the epoch. */
int	 lookup_cache_get(struct lookup_cache *c, const char *source,
	    const struct netaddr *a, gint64 now, struct lookup_answer *ans);
/* Stores a copy of ans (its source, its range) until now + ttl. */
void	 lookup_cache_put(struct lookup_cache *c,
	    const struct lookup_answer *ans, gint64 now, guint ttl);
guint	 lookup_cache_size(const struct lookup_cache *c);

/* One row of the case DB's cache table, for the lead to persist:
 *   CREATE TABLE lookup_cache (source TEXT NOT NULL, first_ip TEXT NOT
 *     NULL, last_ip TEXT NOT NULL, answer_json TEXT NOT NULL, fetched_at
 *     INTEGER NOT NULL, expires_at INTEGER NOT NULL,
 *     PRIMARY KEY (source, first_ip, last_ip));
 *   CREATE INDEX lookup_cache_expiry ON lookup_cache (expires_at);
 * Load: every row with expires_at > now through lookup_cache_import();
 * save: lookup_cache_export() into INSERT OR REPLACE; purge expired. */
struct lookup_cache_row {
	const char	*source;
	const char	*first_ip;	/* canonical (netaddr_format) */
	const char	*last_ip;
	const char	*answer_json;
	gint64		 fetched_at;	/* seconds since the epoch */
	gint64		 expires_at;
};
typedef void (*lookup_cache_row_fn)(const struct lookup_cache_row *row,
	    void *data);
/* Calls fn for every entry still live at now. */
void	 lookup_cache_export(const struct lookup_cache *c, gint64 now,
	    lookup_cache_row_fn fn, void *data);
/* Adds one row (expired rows are skipped and return TRUE).  FALSE with
 * LOOKUP_ERROR_PROTOCOL on a bad address or JSON. */
gboolean lookup_cache_import(struct lookup_cache *c,
	    const struct lookup_cache_row *row, gint64 now, GError **error);

/* The ladder's entry point: cache (may be NULL), then RDAP, whois, DNS in
 * that order, each only if enabled.  Returns 1 at the first owner contact
 * (abuse_email set, not catch-all); else 1 with the first partial answer
 * (catch-all, or ASN/country without a contact); 0 if no source knew;
 * -1 only if every enabled source failed (the first error).  Answers are
 * cached with their source's TTL. */
int	 lookup_ip(const struct lookup_config *cfg, struct lookup_cache *c,
	    const char *ip, struct lookup_answer *ans, GError **error);

/* lookup_rdap.c */
int	 lookup_rdap_ip(const struct lookup_config *cfg, const char *ip,
	    struct lookup_answer *ans, GError **error);
/* Registrar and its abuse contact of a domain (network = the domain). */
int	 lookup_rdap_domain(const struct lookup_config *cfg,
	    const char *name, struct lookup_answer *ans, GError **error);
/* Parses an RDAP ip network or domain object (exposed for tests/fuzz). */
int	 lookup_rdap_parse(const struct lookup_config *cfg,
	    const char *query, const char *json, gsize len,
	    struct lookup_answer *ans, GError **error);

/* lookup_whois.c */
int	 lookup_whois_ip(const struct lookup_config *cfg, const char *ip,
	    struct lookup_answer *ans, GError **error);
/* Parses one whois answer; *referral_r gets "host:port" (g_free) of a
 * referral, if any. */
int	 lookup_whois_parse(const struct lookup_config *cfg, const char *ip,
	    const char *text, gsize len, struct lookup_answer *ans,
	    char **referral_r);
/* Connects to hostport (TLS if tls, the certificate checked against
 * ca_file if not NULL or "", else the system's trust store), sends req,
 * reads to EOF: at most max bytes, before deadline (g_get_monotonic_time()
 * scale; the TLS handshake included).  The shared bounded exchange of
 * whois and RDAP.  *resp_r is NUL-terminated.  A ca_file that cannot be
 * read is LOOKUP_ERROR_CONFIG; a certificate not trusted, LOOKUP_ERROR_IO
 * with GIO's reason. */
gboolean lookup_tcp_exchange(const char *hostport, guint16 default_port,
	    gboolean tls, const char *ca_file, const char *req, gsize max,
	    gint64 deadline, GByteArray **resp_r, GError **error);

/* lookup_dns.c */
/* Cymru origin (ASN, prefix, country, AS name) and Abusix contact. */
int	 lookup_dns_ip(const struct lookup_config *cfg, const char *ip,
	    struct lookup_answer *ans, GError **error);
/* TXT strings of name (each record's strings joined) into txt (g_free'd
 * strings): 1 some, 0 NXDOMAIN/no TXT, -1 error. */
int	 lookup_dns_txt(const struct lookup_config *cfg, const char *name,
	    gint64 deadline, GPtrArray *txt, GError **error);
/* "1.2.0.192.origin.asn.cymru.com" style names (g_free); NULL if ip is
 * not an address. */
char	*lookup_dns_reverse_name(const struct netaddr *a, const char *zone);

#endif
