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
/* Reads the next record (skips blank and comment lines) into fields,
 * which is emptied first; it must have exactly ncols fields.
 * 1: a record, 0: end of file, -1: error (file:line). */
int		 route_csv_record(struct route_csv *c, guint ncols,
		    GPtrArray *fields, GError **error);
void		 route_csv_error(struct route_csv *c, GError **error,
		    const char *fmt, ...) G_GNUC_PRINTF(3, 4);

/* route_country.c */
struct country_table;
struct country_table	*country_table_load(const char *path,
			    GError **error);
void			 country_table_free(struct country_table **tp);
/* The country code of a's range ("JP", or a non-country such as "EU"),
 * or NULL when no range holds a. */
const char		*country_table_lookup(const struct country_table *t,
			    const struct netaddr *a);
const char		*country_table_name(const struct country_table *t);
guint			 country_table_size(const struct country_table *t);
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

struct route_tables {
	GHashTable		*contacts;	/* id -> struct contact * */
	GHashTable		*csirts;	/* "CC" -> struct csirt * */
	struct net_table	*networks;	/* or NULL */
	struct country_table	*geo;		/* or NULL */
	struct country_table	*rir;		/* or NULL */
	char			 own_country[3]; /* "" when unset */
};

#endif
