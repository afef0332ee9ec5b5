/*
 * ingest_config.h: the one INI configuration file (GKeyFile), as a struct.
 *
 * Every key is declared once in the table in config.c with its type,
 * default and range; unknown keys and out-of-range values are errors with
 * file:line.  Relative paths are taken relative to the state directory.
 */
#ifndef ABUSEDESK_INGEST_CONFIG_H
#define ABUSEDESK_INGEST_CONFIG_H

#include <glib.h>
#include "parse/parse.h"

struct config {
	char			*file;		/* the config file read */
	char			*home;		/* the state directory */
	/* [deliver] */
	gsize			 max_size;
	guint			 deadline;
	/* [run] */
	gboolean		 archive;
	guint			 rescan;
	/* [paths] */
	char			*rules;
	char			*templates;
	char			*contacts;
	char			*networks;
	char			*geo_country;
	char			*rir_country;
	char			*csirts;
	char			*asn;		/* "": next to geo_country */
	char			*asn_names;	/* "": next to geo_country */
	char			*asn_contacts;	/* "": next to contacts */
	char			*domain_contacts; /* "": next to contacts */
	char			*geo_mmdb;	/* MaxMind-format DBs, or NULL */
	char			*asn_mmdb;
	char			*table_cache;	/* compiled tables; NULL: off */
	/* [rules] */
	char			*shadow_rules;	/* candidate rules, or NULL */
	/* [notify] */
	char			*from;
	char			*domain;
	guint			 window;	/* seconds; 0: one request
						 * per message */
	char			*windows;	/* "phishing=10m, spam=4h" */
	guint			 dedup;		/* seconds; 0: off */
	char			*dedups;	/* per category, as windows */
	/* [route] */
	char			*own_country;
	char			*ladder;	/* "networks asn domains live
						 * country" */
	/* [lookup]: live lookups, all off by default (route/lookup.h) */
	gboolean		 rdap;
	char			*rdap_base;
	char			*lookup_ca_file;	/* "": the system's
							 * trust store */
	guint			 rdap_timeout_ms;
	guint			 rdap_ttl;
	gboolean		 whois;
	char			*whois_server;
	guint			 whois_timeout_ms;
	guint			 whois_ttl;
	guint			 whois_referrals;
	gboolean		 dns;
	char			*dns_server;
	guint			 dns_timeout_ms;
	guint			 dns_ttl;
	char			*dns_origin_zone;	/* NULL: default */
	char			*dns_origin6_zone;
	char			*dns_asn_zone;
	char			*dns_abuse_zone;
	gsize			 lookup_max_response;
	char			*catch_all_emails;	/* NULL: built in */
	char			*catch_all_handles;
	guint			 lookup_cache_max;
	/* [limits] */
	struct parse_limits	 limits;
	/* derived */
	char			*db_path;
	char			*spool;
	char			*outbox;
};

/* home_opt/config_opt come from --home/--config (may be NULL); the
 * environment (ABUSEDESK_HOME, ABUSEDESK_CONFIG) comes next. */
struct config	*config_load(const char *home_opt, const char *config_opt,
		    GError **error);
void		 config_free(struct config **cp);
/* The state directory and config file that would be used, without
 * reading the file (for init). */
void		 config_locate(const char *home_opt, const char *config_opt,
		    char **home_r, char **file_r);
/* Opens the routing tables the config names ([paths], [route]). */
struct route_tables;
struct route_tables *ingest_route_open(const struct config *c,
		    GError **error);
/* ingest_lookup.c: [lookup] as live lookups for routing. */
struct lookup_config;
struct route_live_ctx;
struct casedb;
/* *lc from the config (strings borrowed from c). */
void		 ingest_lookup_config(const struct config *c,
		    struct lookup_config *lc);
/* With any source enabled: a live context with db's lookup_cache rows
 * loaded (db may be NULL; expired rows are purged first; a read error is
 * a warning) and its hook set on t; free it with route_live_free() after
 * route_close(t).  NULL (and no hook) when every source is off. */
struct route_live_ctx *ingest_live_open(const struct config *c,
		    struct casedb *db, struct route_tables *t);
/* Inside the caller's transaction: saves the answers ctx fetched at or
 * after since, when route_live_fetched() moved past *saved_r (then
 * updated).  TRUE when ctx or db is NULL. */
gboolean	 ingest_live_save(struct route_live_ctx *ctx,
		    struct casedb *db, guint *saved_r, gint64 since,
		    GError **error);
/* Every key with its effective value, as an INI file. */
void		 config_dump(const struct config *c, GString *out);
/* The default configuration file, commented. */
char		*config_default_text(void);

#endif
