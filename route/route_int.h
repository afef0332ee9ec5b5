/*
 * route_int.h: internals shared by the files of route/ only.
 *
 * route_csv.c reads the CSV tables line by line (plain or gzip) and splits
 * RFC 4180 lines; route_country.c holds the IP -> country range tables;
 * route_networks.c the analyst CIDR -> contact prefixes; route_contacts.c
 * the analyst contacts and route_csirt.c the national CSIRT directory.
 * route_tables.c ties them together in struct route_tables.
 */
#ifndef ABUSEDESK_ROUTE_INT_H
#define ABUSEDESK_ROUTE_INT_H

#include <zlib.h>
#include <glib.h>

#include "parse/netaddr.h"
#include "route/route.h"

/* Longest host name looked at (RFC 1035: 253). */
#define ROUTE_HOST_MAX		253

/* Longest line accepted in any table: a longer one is a syntax error. */
#define ROUTE_CSV_LINE_MAX	4096
/* Most fields in one CSV line. */
#define ROUTE_CSV_FIELDS_MAX	32

struct route_csv {
	gzFile		 gz;
	char		*path;		/* as given, for error messages */
	char		*name;		/* basename, for reason strings */
	guint		 line;		/* number of the line last read */
	char		 buf[ROUTE_CSV_LINE_MAX + 2];
};

/* route_csv.c */
gboolean	 route_csv_open(struct route_csv *c, const char *path,
		    GError **error);
void		 route_csv_close(struct route_csv *c);
/* 1: *line_r is the next line (CR/LF stripped, in c->buf), 0: end of
 * file, -1: read error or line too long (error set). */
int		 route_csv_next(struct route_csv *c, char **line_r,
		    GError **error);
/* Splits one line into fields (g_free'd strings appended to fields, which
 * must have g_free as its free func).  Unquoted fields are trimmed.
 * Returns FALSE with *why_r set on an unterminated quote, a stray quote or
 * too many fields. */
gboolean	 route_csv_split(const char *line, GPtrArray *fields,
		    const char **why_r);
/* Reads the header (first line that is not blank or a comment) and checks
 * it is exactly `expected`. */
gboolean	 route_csv_header(struct route_csv *c, const char *expected,
		    GError **error);
/* The same for a file that may have one of n headers (older layouts
 * first, the current one last, which errors quote): the index of the
 * header found, or -1. */
int		 route_csv_header_of(struct route_csv *c,
		    const char *const *headers, guint n, GError **error);
/* Reads the next record (skips blank and comment lines) into fields,
 * which is emptied first; it must have exactly ncols fields.
 * 1: a record, 0: end of file, -1: error (file:line). */
int		 route_csv_record(struct route_csv *c, guint ncols,
		    GPtrArray *fields, GError **error);
void		 route_csv_error(struct route_csv *c, GError **error,
		    const char *fmt, ...) G_GNUC_PRINTF(3, 4);

/* route_ranges.c */
struct range_table;
/* Turns a table's VALUE column into a number; FALSE with *why_r set. */
typedef gboolean (*range_parse_fn)(const char *s, guint32 *v,
    const char **why_r);
struct range_span {
	gboolean	v4;
	guint32		first4, last4;
	guint64		fhi, flo, lhi, llo;
};
/* columns names the three columns in errors ("first_ip,last_ip,CC") and
 * the kind of table in the cache; values are at most vmax.  With a
 * cache_dir (else NULL) a valid compiled copy is read instead of the CSV,
 * or written after parsing it (route_cache.c). */
struct range_table	*range_table_load(const char *path,
			    range_parse_fn parse, const char *columns,
			    guint32 vmax, const char *cache_dir,
			    GError **error);
void			 range_table_free(struct range_table **tp);
/* 1: *val_r (and *span_r unless NULL) set, 0: no range holds a. */
int			 range_table_lookup(const struct range_table *t,
			    const struct netaddr *a, guint32 *val_r,
			    struct range_span *span_r);
const char		*range_table_name(const struct range_table *t);
const char		*range_table_date(const struct range_table *t);
guint			 range_table_size(const struct range_table *t,
			    gboolean v6);
gsize			 range_table_bytes(const struct range_table *t);

/* route_cache.c: compiled tables, <dir>/<basename>.<digest>.bin, the
 * digest over the source's path, size, mtime and inode, kind and the
 * format version.  A missing or invalid file reads as NULL; a failed
 * write is only a warning. */
char		*route_cache_file(const char *dir, const char *src,
		    const char *kind);
GBytes		*route_cache_read(const char *dir, const char *src,
		    const char *kind);
void		 route_cache_write(const char *dir, const char *src,
		    const char *kind, const GByteArray *payload);

/* route_write.c: data to path atomically (tmp, fsync, rename; gzip
 * when path ends in .gz); ROUTE_ERROR_IO naming the file. */
gboolean	 route_write_atomic(const char *path, const char *data,
		    gsize len, GError **error);

/* route_country.c */
struct country_table;
struct country_table	*country_table_load(const char *path,
			    const char *cache_dir, GError **error);
void			 country_table_free(struct country_table **tp);
/* The country code of a's range ("JP", or a non-country such as "EU"),
 * or NULL when no range holds a. */
const char		*country_table_lookup(const struct country_table *t,
			    const struct netaddr *a);
const char		*country_table_name(const struct country_table *t);
const char		*country_table_date(const struct country_table *t);
guint			 country_table_size(const struct country_table *t);
gsize			 country_table_bytes(const struct country_table *t);
/* TRUE for ISO 3166 alpha-2 codes that name a country (not EU, AP...). */
gboolean		 country_is_real(const char *cc);

/* route_contacts.c */
void		 contact_free(struct contact *c);
/* Loads contacts.csv into contacts (id -> struct contact *, owned). */
gboolean	 route_contacts_load(GHashTable *contacts, const char *path,
		    GError **error);
int		 contact_kind_from_name(const char *s);

/* route_csirt.c */
struct csirt {
	char			 cc[3];
	const struct contact	*contact;	/* NULL: not usable */
	char			*team;
	char			*confidence;	/* "well-known", "analyst" */
	char			*source;	/* basename of the file */
	gboolean		 has_email;
};
void		 csirt_free(struct csirt *s);
/* Loads national-csirts.csv: csirts gets cc -> struct csirt * (owned),
 * usable teams are added to contacts as csirt-<cc> unless the analysts
 * already define that id. */
gboolean	 route_csirt_load(GHashTable *csirts, GHashTable *contacts,
		    const char *path, GError **error);
/* Analyst contacts "csirt-<cc>" of kind national-csirt override the
 * directory entry of cc. */
void		 route_csirt_override(GHashTable *csirts, GHashTable *contacts,
		    const char *source);

/* route_asn.c */
/* An analysts' mapping (ASN or domain -> contact). */
struct map_entry {
	const struct contact	*contact;
	char			*key;		/* "AS24940", "example.com" */
	char			*file;		/* basename */
	guint			 line;
};
gboolean	 route_asn_parse(const char *s, guint32 *asn_r);
struct range_table *asn_ranges_load(const char *path, const char *cache_dir,
		    GError **error);
gboolean	 route_asn_names_load(GHashTable *names, const char *path,
		    const char *cache_dir, GError **error);
gboolean	 route_asn_contacts_load(GHashTable *map, GHashTable *contacts,
		    const char *path, GError **error);
struct map_entry *map_entry_new(GHashTable *contacts, struct route_csv *c,
		    const char *key, const char *id, GError **error);
void		 map_entry_free(struct map_entry *e);

/* route_domains.c */
/* s[0..len) as a lower-case A-label host name without trailing dot in
 * buf; FALSE when it is not one. */
gboolean	 route_host_clean(const char *s, gsize len, char *buf,
		    gsize size);
gboolean	 route_domain_contacts_load(GHashTable *map,
		    GHashTable *contacts, const char *path, GError **error);
/* The longest suffix of host (on label boundaries) that is mapped. */
const struct map_entry *route_domain_lookup(GHashTable *map,
		    const char *host);
/* The registrable domain of host (Public Suffix List), a pointer into
 * host, or NULL. */
const char	*route_registrable(const char *host);

/* route_networks.c */
struct net_table;
struct net_match {
	const struct contact	*contact;
	const char		*cidr;		/* as written, canonical */
	const char		*file;		/* basename */
	guint			 line;
};
struct net_table	*net_table_load(const char *path,
			    GHashTable *contacts, GError **error);
void			 net_table_free(struct net_table **tp);
/* Most specific prefix holding a: 1 found (*m set), 0 none. */
int			 net_table_lookup(const struct net_table *t,
			    const struct netaddr *a, struct net_match *m);
guint			 net_table_size(const struct net_table *t);

/* route_mmdb.c: optional MaxMind-format databases */
struct route_mmdb;
struct route_mmdb	*route_mmdb_open(const char *path, GError **error);
void			 route_mmdb_close(struct route_mmdb **mp);
/* "GeoLite2-Country.mmdb, 2026-11-20" (build_epoch), for reasons. */
const char		*route_mmdb_source(const struct route_mmdb *m);
/* country.iso_code and registered_country.iso_code of a (strings owned
 * by m; NULL unknown); 1 when either is known.  m may be NULL. */
int			 route_mmdb_country(struct route_mmdb *m,
			    const struct netaddr *a, const char **geo_r,
			    const char **rir_r);
/* autonomous_system_number (and _organization, or NULL) of a: 1, or 0
 * unknown.  m may be NULL. */
int			 route_mmdb_asn(struct route_mmdb *m,
			    const struct netaddr *a, guint32 *asn_r,
			    const char **org_r);
/* Opens [paths] geo_mmdb and asn_mmdb into t (route_open()). */
gboolean		 route_mmdb_load(struct route_tables *t,
			    const struct route_paths *p, GError **error);
/* Every country answer for a: the country mmdb's first, then the CSV
 * tables' (strings owned by the tables). */
struct route_where {
	const char	*mm_geo;	/* geo_mmdb: country.iso_code */
	const char	*mm_rir;	/* geo_mmdb: registered_country */
	const char	*mm_source;	/* "file, date" when either is set */
	const char	*geo, *rir;	/* the geo and rir CSV tables */
};
void			 route_ip_where(const struct route_tables *t,
			    const struct netaddr *a, struct route_where *w);
/* The origin AS of a: the ASN mmdb, else the ip-asn table; *name_r and
 * *source_r ("file, date") may be NULL.  1 known, 0 unknown. */
int			 route_ip_origin(const struct route_tables *t,
			    const struct netaddr *a, guint32 *asn_r,
			    const char **name_r, const char **source_r);

/* The steps of the ladder ([route] ladder), in struct route_tables. */
enum route_step {
	ROUTE_STEP_NETWORKS,	/* analysts' CIDR -> contact */
	ROUTE_STEP_ASN,		/* origin AS, analysts' ASN -> contact */
	ROUTE_STEP_DOMAINS,	/* analysts' domain -> contact */
	ROUTE_STEP_LIVE,	/* struct route_live */
	ROUTE_STEP_COUNTRY,	/* hosting country, national CSIRT */
	ROUTE_STEP_MAX
};

struct route_tables {
	GHashTable		*contacts;	/* id -> struct contact * */
	GHashTable		*csirts;	/* "CC" -> struct csirt * */
	struct net_table	*networks;	/* or NULL */
	struct country_table	*geo;		/* or NULL */
	struct country_table	*rir;		/* or NULL */
	struct range_table	*asn;		/* or NULL */
	GHashTable		*as_names;	/* asn -> char * */
	char			*as_names_file;	/* basename or NULL */
	char			*geo_source;	/* "file, date" or NULL */
	char			*rir_source;
	char			*asn_source;
	GHashTable		*asn_map;	/* asn -> struct map_entry * */
	GHashTable		*domain_map;	/* name -> struct map_entry * */
	struct route_live	 live;		/* all NULL: off */
	struct route_mmdb	*geo_mmdb;	/* or NULL */
	struct route_mmdb	*asn_mmdb;	/* or NULL */
	guint8			 ladder[ROUTE_STEP_MAX]; /* enum route_step,
						 * in order */
	guint			 nsteps;
	char			 own_country[3]; /* "" when unset */
};

/* route_tables.c */
/* Appends " (name, date)", or " (name)" without a date, to why. */
void		 route_source(GString *why, const char *name,
		    const char *date);

/* route_decide.c: one finding's decision, built up step by step. */
enum route_decided { ROUTE_SKIP = -1, ROUTE_UNROUTED = 0, ROUTE_ROUTED = 1 };
struct route_decision {
	GString			*why;		/* the chain so far */
	GString			*ccwhy;		/* the Cc route's chain */
	const struct contact	*owner;		/* from analysts or live */
	const struct contact	*contact;	/* the decision */
	const struct contact	*cc;		/* national CSIRT in Cc */
	const char		*country;
	char			 code[3];	/* country of a ccTLD */
	guint32			 asn;
	const char		*as_name;
};
/* Decides from the owner found so far and the hosting country cc (a real
 * country or NULL): the owner (plus the national CSIRT of cc in Cc when
 * the finding is foreign), else the national CSIRT of cc. */
void		 route_decide_finish(const struct route_tables *t,
		    const char *cc, struct route_decision *d);
void		 route_decide_ip(const struct route_tables *t,
		    const struct netaddr *a, struct route_decision *d);
/* Parses [route] ladder s (NULL: the default) into t->ladder. */
gboolean	 route_ladder_parse(struct route_tables *t, const char *s,
		    GError **error);

/* route_host.c */
/* The host of a URL ("[v6]" unbracketed, U-labels as A-labels). */
gboolean	 route_url_host(const char *url, char *buf, gsize size);
/* An IP literal or a domain name (as cleaned by route_host_clean). */
enum route_decided route_decide_host(const struct route_tables *t,
		    const char *host, struct route_decision *d);

#endif
