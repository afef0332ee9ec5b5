/*
 * ingest_config.c: load abusedesk.conf (GKeyFile) into struct config.
 *
 * One table declares every key: section, name, type, default, range and a
 * line of help (Postfix's VAR_/DEF_ tables).  The file is scanned once by
 * ini_parse_file() to reject unknown keys with file:line (GKeyFile keeps
 * no line numbers), then read through GKeyFile.
 */
#include "config.h"

#include <stddef.h>
#include <string.h>
#include <errno.h>

#include "ingest/ingest.h"
#include "ingest/ingest_config.h"
#include "ingest/ini.h"
#include "ingest/deliver.h"
#include "ingest/pipeline_batch.h"
#include "route/route.h"

enum ctype { CT_STRING, CT_PATH, CT_SIZE, CT_UINT, CT_BOOL, CT_DURATION };

struct ckey {
	const char	*section;
	const char	*key;
	enum ctype	 type;
	gsize		 offset;
	const char	*def;
	guint64		 min, max;
	const char	*help;
};

#define OFF(f)	offsetof(struct config, f)
#define MB	(1024ull * 1024)

static const struct ckey keys[] = {
	{ "main", "home", CT_PATH, OFF(home), NULL, 0, 0,
	  "state directory (spool, outbox, database); "
	  "--home and ABUSEDESK_HOME win" },
	{ "deliver", "max_size", CT_SIZE, OFF(max_size), "50M", 1024,
	  1024 * MB, "bytes kept of one message; the rest is hashed, "
	  "the message quarantined" },
	{ "deliver", "deadline", CT_UINT, OFF(deadline), "300", 1, 3600,
	  "seconds before deliver gives up with EX_TEMPFAIL" },
	{ "run", "archive", CT_BOOL, OFF(archive), "false", 0, 1,
	  "keep processed spool files in spool/archive" },
	{ "run", "rescan", CT_UINT, OFF(rescan), "30", 1, 3600,
	  "seconds between spool rescans (inotify does the prompt work)" },
	{ "paths", "rules", CT_PATH, OFF(rules), PKGDATADIR "/rules", 0, 0,
	  "rules file or directory of *.rules files" },
	{ "paths", "templates", CT_PATH, OFF(templates),
	  PKGDATADIR "/templates", 0, 0, "takedown templates: <lang>/*.txt" },
	{ "paths", "contacts", CT_PATH, OFF(contacts),
	  PKGDATADIR "/data/contacts.csv", 0, 0, "analyst contacts" },
	{ "paths", "networks", CT_PATH, OFF(networks),
	  PKGDATADIR "/data/networks.csv", 0, 0, "CIDR -> contact" },
	{ "paths", "geo_country", CT_PATH, OFF(geo_country),
	  PKGDATADIR "/data/ip-country-geo.csv.gz", 0, 0,
	  "IP -> country of location (CC BY-SA 4.0, IPFire)" },
	{ "paths", "rir_country", CT_PATH, OFF(rir_country),
	  PKGDATADIR "/data/ip-country-rir.csv.gz", 0, 0,
	  "IP -> country of registration (RIR delegations)" },
	{ "paths", "csirts", CT_PATH, OFF(csirts),
	  PKGDATADIR "/data/national-csirts.csv", 0, 0,
	  "country -> national CSIRT" },
	{ "paths", "asn", CT_PATH, OFF(asn), "", 0, 0,
	  "IP -> origin ASN (CC BY 4.0); empty: ip-asn.csv.gz next to "
	  "geo_country, if there" },
	{ "paths", "asn_names", CT_PATH, OFF(asn_names), "", 0, 0,
	  "ASN -> name; empty: asn-names.csv.gz next to geo_country" },
	{ "paths", "asn_contacts", CT_PATH, OFF(asn_contacts), "", 0, 0,
	  "ASN -> contact; empty: asn-contacts.csv next to contacts" },
	{ "paths", "domain_contacts", CT_PATH, OFF(domain_contacts), "", 0, 0,
	  "domain suffix -> contact; empty: domain-contacts.csv next to "
	  "contacts" },
	{ "paths", "geo_mmdb", CT_PATH, OFF(geo_mmdb), "", 0, 0,
	  "MaxMind-format country database (.mmdb, e.g. GeoLite2-Country), "
	  "asked before geo_country; empty: none" },
	{ "paths", "asn_mmdb", CT_PATH, OFF(asn_mmdb), "", 0, 0,
	  "MaxMind-format ASN database (.mmdb, e.g. GeoLite2-ASN), asked "
	  "before asn; empty: none" },
	{ "paths", "table_cache", CT_PATH, OFF(table_cache), "cache", 0, 0,
	  "directory of compiled routing tables (fast start-up; rebuilt "
	  "when a source file changes); empty: off" },
	{ "rules", "shadow", CT_PATH, OFF(shadow_rules), "", 0, 0,
	  "candidate rules run beside the live ones, never acted on "
	  "(abusedesk rules shadow-report)" },
	{ "notify", "from", CT_STRING, OFF(from),
	  "Example CSIRT <abuse@csirt.example>", 0, 0,
	  "From of takedown requests" },
	{ "notify", "domain", CT_STRING, OFF(domain), "csirt.example", 0, 0,
	  "domain of our Message-IDs (<case-N.K@domain>)" },
	{ "notify", "window", CT_DURATION, OFF(window), "1h", 0, 30 * 86400,
	  "findings for one contact within this time become one takedown "
	  "request (0: one request per message)" },
	{ "notify", "windows", CT_STRING, OFF(windows), "", 0, 0,
	  "per category: \"phishing=10m, spam=4h\"" },
	{ "notify", "dedup", CT_DURATION, OFF(dedup), "7d", 0, 365 * 86400,
	  "a finding sent to a contact within this time is linked, not "
	  "sent again (0: off)" },
	{ "notify", "dedups", CT_STRING, OFF(dedups), "", 0, 0,
	  "per category, as windows" },
	{ "route", "own_country", CT_STRING, OFF(own_country), "", 0, 0,
	  "our country (ISO 3166 alpha-2): never send to ourselves" },
	{ "route", "ladder", CT_STRING, OFF(ladder),
	  "networks asn domains live country", 0, 0,
	  "the steps that look for an owner, in order (networks, asn, "
	  "domains, live, country); the national CSIRT comes last" },
	{ "lookup", "rdap", CT_BOOL, OFF(rdap), "false", 0, 1,
	  "ask RDAP (RFC 9083) for the abuse contact" },
	{ "lookup", "rdap_base", CT_STRING, OFF(rdap_base),
	  "https://rdap.db.ripe.net", 0, 0, "RDAP base URL" },
	{ "lookup", "ca_file", CT_PATH, OFF(lookup_ca_file), "", 0, 0,
	  "PEM file of the CAs trusted for https lookups (a private CA); "
	  "empty: the system's trust store" },
	{ "lookup", "rdap_timeout_ms", CT_UINT, OFF(rdap_timeout_ms), "3000",
	  10, 60000, "whole RDAP lookup, redirects included" },
	{ "lookup", "rdap_ttl", CT_DURATION, OFF(rdap_ttl), "1d", 0,
	  90 * 86400, "how long an RDAP answer is cached (per range)" },
	{ "lookup", "whois", CT_BOOL, OFF(whois), "false", 0, 1,
	  "ask whois (RFC 3912)" },
	{ "lookup", "whois_server", CT_STRING, OFF(whois_server),
	  "whois.iana.org:43", 0, 0, "first whois server (host:port)" },
	{ "lookup", "whois_timeout_ms", CT_UINT, OFF(whois_timeout_ms),
	  "3000", 10, 60000, "whole whois lookup, referrals included" },
	{ "lookup", "whois_ttl", CT_DURATION, OFF(whois_ttl), "1d", 0,
	  90 * 86400, "how long a whois answer is cached" },
	{ "lookup", "whois_referrals", CT_UINT, OFF(whois_referrals), "2", 0,
	  2, "whois referrals followed" },
	{ "lookup", "dns", CT_BOOL, OFF(dns), "false", 0, 1,
	  "ask DNS TXT zones (Team Cymru origin ASN, Abusix contacts)" },
	{ "lookup", "dns_server", CT_STRING, OFF(dns_server), "", 0, 0,
	  "resolver host:port; empty: the system's" },
	{ "lookup", "dns_timeout_ms", CT_UINT, OFF(dns_timeout_ms), "2000",
	  10, 60000, "whole DNS lookup" },
	{ "lookup", "dns_ttl", CT_DURATION, OFF(dns_ttl), "1d", 0,
	  90 * 86400, "how long a DNS answer is cached" },
	{ "lookup", "dns_origin_zone", CT_STRING, OFF(dns_origin_zone), NULL,
	  0, 0, "IPv4 origin zone; unset: origin.asn.cymru.com, empty: off" },
	{ "lookup", "dns_origin6_zone", CT_STRING, OFF(dns_origin6_zone),
	  NULL, 0, 0, "IPv6 origin zone; unset: origin6.asn.cymru.com" },
	{ "lookup", "dns_asn_zone", CT_STRING, OFF(dns_asn_zone), NULL, 0, 0,
	  "AS name zone; unset: asn.cymru.com" },
	{ "lookup", "dns_abuse_zone", CT_STRING, OFF(dns_abuse_zone), NULL, 0,
	  0, "abuse contact zone; unset: abuse-contacts.abusix.zone" },
	{ "lookup", "max_response", CT_SIZE, OFF(lookup_max_response), "1M",
	  512, 16 * MB, "bytes of one answer" },
	{ "lookup", "catch_all_emails", CT_STRING, OFF(catch_all_emails),
	  NULL, 0, 0, "registry catch-all addresses, never an owner's "
	  "(comma separated; unset: the built-in list)" },
	{ "lookup", "catch_all_handles", CT_STRING, OFF(catch_all_handles),
	  NULL, 0, 0, "registry RDAP entity handles, likewise" },
	{ "lookup", "cache_max", CT_UINT, OFF(lookup_cache_max), "10000", 1,
	  1000000, "network ranges kept in the lookup cache" },
	/* [limits]: the defaults are those of parse/limits.h (see there why
	 * each limit exists); the ranges keep an admin from disabling one. */
	{ "limits", "max_depth", CT_UINT, OFF(limits.max_depth), NULL, 1, 256,
	  "MIME nesting depth" },
	{ "limits", "max_parts", CT_UINT, OFF(limits.max_parts), NULL, 1,
	  100000, "MIME parts per message" },
	{ "limits", "max_header_bytes", CT_SIZE, OFF(limits.max_header_bytes),
	  NULL, 1024, 16 * MB, "header bytes kept" },
	{ "limits", "max_part_text", CT_SIZE, OFF(limits.max_part_text), NULL,
	  1024, 256 * MB, "decoded text per part given to the rules" },
	{ "limits", "max_message_text", CT_SIZE,
	  OFF(limits.max_message_text), NULL, 1024, 1024 * MB,
	  "decoded text per message given to the rules" },
	{ "limits", "arena_cap", CT_SIZE, OFF(limits.arena_cap), NULL,
	  MB, 4096 * MB, "memory per message" },
	{ "limits", "max_unpack_member", CT_SIZE,
	  OFF(limits.max_unpack_member), NULL, 1024, 1024 * MB,
	  "decompressed bytes per zip/gzip member" },
	{ "limits", "max_unpack_total", CT_SIZE, OFF(limits.max_unpack_total),
	  NULL, 1024, 4096 * MB, "decompressed bytes per message" },
	{ "limits", "max_unpack_ratio", CT_UINT, OFF(limits.max_unpack_ratio),
	  NULL, 2, 100000, "expansion ratio allowed past unpack_ratio_free" },
	{ "limits", "unpack_ratio_free", CT_SIZE,
	  OFF(limits.unpack_ratio_free), NULL, 0, 1024 * MB,
	  "decompressed bytes before the ratio is checked" },
	{ "limits", "max_zip_members", CT_UINT, OFF(limits.max_zip_members),
	  NULL, 1, 100000, "zip entries read per archive" },
	{ "limits", "max_csv_rows", CT_UINT, OFF(limits.max_csv_rows), NULL,
	  1, 10000000, "CSV rows read per message" },
	{ "limits", "max_csv_columns", CT_UINT, OFF(limits.max_csv_columns),
	  NULL, 1, 100000, "CSV columns per row" },
};

static const struct ckey *
find_key(const char *section, const char *key)
{
	guint i;

	for (i = 0; i < G_N_ELEMENTS(keys); i++)
		if (strcmp(keys[i].section, section) == 0 &&
		    strcmp(keys[i].key, key) == 0)
			return &keys[i];
	return NULL;
}

struct scan {
	GHashTable	*lines;		/* "section.key" -> line */
	char		 err[512];
};

static int
scan_cb(void *ctx, const char *section, const char *key, const char *value,
    unsigned line)
{
	struct scan *s = ctx;

	(void)value;
	if (find_key(section, key) == NULL) {
		g_snprintf(s->err, sizeof(s->err),
		    "%u: unknown key '%s' in section [%s]", line, key,
		    section);
		return -1;
	}
	g_hash_table_insert(s->lines, g_strdup_printf("%s.%s", section, key),
	    GUINT_TO_POINTER(line));
	return 0;
}

void
config_locate(const char *home_opt, const char *config_opt, char **home_r,
    char **file_r)
{
	char home[4096], file[4096];

	deliver_locate(home_opt, config_opt, home, sizeof(home), file,
	    sizeof(file));
	*home_r = g_strdup(home);
	*file_r = g_strdup(file);
}

static gboolean
set_value(struct config *c, const struct ckey *k, const char *value,
    const char *file, guint line, GError **error)
{
	gpointer field = (char *)c + k->offset;
	unsigned long long n = 0;
	char *end;

	switch (k->type) {
	case CT_STRING:
		g_free(*(char **)field);
		*(char **)field = g_strdup(value);
		return TRUE;
	case CT_PATH:
		g_free(*(char **)field);
		/* "" stays "" (unset), not the config file's directory */
		if (*value == '\0' || g_path_is_absolute(value) ||
		    file == NULL) {
			*(char **)field = g_strdup(value);
		} else {
			char *dir = g_path_get_dirname(file);

			*(char **)field = g_build_filename(dir, value, NULL);
			g_free(dir);
		}
		return TRUE;
	case CT_BOOL:
		if (g_ascii_strcasecmp(value, "true") == 0 ||
		    g_ascii_strcasecmp(value, "yes") == 0 ||
		    strcmp(value, "1") == 0)
			*(gboolean *)field = TRUE;
		else if (g_ascii_strcasecmp(value, "false") == 0 ||
		    g_ascii_strcasecmp(value, "no") == 0 ||
		    strcmp(value, "0") == 0)
			*(gboolean *)field = FALSE;
		else
			goto bad;
		return TRUE;
	case CT_SIZE:
		if (ini_parse_size(value, &n) != 0)
			goto bad;
		break;
	case CT_DURATION:
		if (ini_parse_duration(value, &n) != 0)
			goto bad;
		break;
	case CT_UINT:
		errno = 0;
		n = g_ascii_strtoull(value, &end, 10);
		if (errno != 0 || end == value || *end != '\0')
			goto bad;
		break;
	}
	if (n < k->min || n > k->max) {
		g_set_error(error, INGEST_ERROR, INGEST_ERROR_CONFIG,
		    "%s:%u: [%s] %s = %s is out of range (%" G_GUINT64_FORMAT
		    "..%" G_GUINT64_FORMAT ")", file ? file : "default", line,
		    k->section, k->key, value, k->min, k->max);
		return FALSE;
	}
	if (k->type == CT_SIZE)
		*(gsize *)field = (gsize)n;
	else
		*(guint *)field = (guint)n;
	return TRUE;
bad:
	g_set_error(error, INGEST_ERROR, INGEST_ERROR_CONFIG,
	    "%s:%u: [%s] %s: bad value '%s'", file ? file : "default", line,
	    k->section, k->key, value);
	return FALSE;
}

static gboolean
apply_defaults(struct config *c, GError **error)
{
	guint i;

	parse_limits_default(&c->limits);

	for (i = 0; i < G_N_ELEMENTS(keys); i++)
		if (keys[i].def != NULL &&
		    !set_value(c, &keys[i], keys[i].def, NULL, 0, error))
			return FALSE;
	return TRUE;
}

static gboolean
read_file(struct config *c, GError **error)
{
	struct scan s;
	GKeyFile *kf = NULL;
	GError *kerr = NULL;
	gboolean ok = FALSE;
	guint i;

	memset(&s, 0, sizeof(s));
	s.lines = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	if (ini_parse_file(c->file, scan_cb, &s, s.err, sizeof(s.err)) != 0) {
		/* ini errors already carry the path; ours carry only
		 * the line. */
		g_set_error(error, INGEST_ERROR, INGEST_ERROR_CONFIG, "%s%s%s",
		    g_str_has_prefix(s.err, c->file) ? "" : c->file,
		    g_str_has_prefix(s.err, c->file) ? "" : ":", s.err);
		goto out;
	}
	kf = g_key_file_new();
	if (!g_key_file_load_from_file(kf, c->file, G_KEY_FILE_NONE, &kerr)) {
		g_set_error(error, INGEST_ERROR, INGEST_ERROR_CONFIG, "%s: %s",
		    c->file, kerr->message);
		g_error_free(kerr);
		goto out;
	}
	for (i = 0; i < G_N_ELEMENTS(keys); i++) {
		const struct ckey *k = &keys[i];
		char *v, *lk;
		guint line;

		if (k->offset == OFF(home))
			continue;	/* resolved by config_locate() */
		v = g_key_file_get_string(kf, k->section, k->key, NULL);
		if (v == NULL)
			continue;
		g_strstrip(v);
		lk = g_strdup_printf("%s.%s", k->section, k->key);
		line = GPOINTER_TO_UINT(g_hash_table_lookup(s.lines, lk));
		g_free(lk);
		ok = set_value(c, k, v, c->file, line, error);
		g_free(v);
		if (!ok)
			goto out;
	}
	ok = TRUE;
out:
	if (kf != NULL)
		g_key_file_free(kf);
	g_hash_table_destroy(s.lines);
	return ok;
}

/* check_policy - the per-category windows and dedups parse (they are
 * read again by the pipeline; checked here so that `abusedesk config`
 * and every command reject a bad entry alike) */
static gboolean
check_policy(const struct config *c, GError **error)
{
	struct batch_policy *pol = batch_policy_new(c, error);

	if (pol == NULL)
		return FALSE;
	batch_policy_free(&pol);
	return TRUE;
}

struct config *
config_load(const char *home_opt, const char *config_opt, GError **error)
{
	struct config *c = g_new0(struct config, 1);

	g_return_val_if_fail(error == NULL || *error == NULL, NULL);
	config_locate(home_opt, config_opt, &c->home, &c->file);
	if (!apply_defaults(c, error) || !read_file(c, error) ||
	    !check_policy(c, error)) {
		config_free(&c);
		return NULL;
	}
	c->db_path = g_build_filename(c->home, "abusedesk.db", NULL);
	c->spool = g_build_filename(c->home, "spool", NULL);
	c->outbox = g_build_filename(c->home, "outbox", NULL);
	if (c->own_country != NULL && c->own_country[0] == '\0')
		g_clear_pointer(&c->own_country, g_free);
	if (c->shadow_rules != NULL && c->shadow_rules[0] == '\0')
		g_clear_pointer(&c->shadow_rules, g_free);
	if (c->geo_mmdb != NULL && c->geo_mmdb[0] == '\0')
		g_clear_pointer(&c->geo_mmdb, g_free);
	if (c->asn_mmdb != NULL && c->asn_mmdb[0] == '\0')
		g_clear_pointer(&c->asn_mmdb, g_free);
	if (c->table_cache != NULL && c->table_cache[0] == '\0')
		g_clear_pointer(&c->table_cache, g_free);
	if (c->table_cache != NULL && !g_path_is_absolute(c->table_cache)) {
		char *abs = g_build_filename(c->home, c->table_cache, NULL);

		g_free(c->table_cache);
		c->table_cache = abs;	/* the default: <home>/cache */
	}
	return c;
}

void
config_free(struct config **cp)
{
	struct config *c;
	guint i;

	if (cp == NULL || (c = *cp) == NULL)
		return;
	for (i = 0; i < G_N_ELEMENTS(keys); i++)
		if (keys[i].type == CT_STRING || keys[i].type == CT_PATH)
			g_free(*(char **)((char *)c + keys[i].offset));
	g_free(c->file);
	g_free(c->db_path);
	g_free(c->spool);
	g_free(c->outbox);
	g_free(c);
	*cp = NULL;
}

static void
dump(const struct config *c, GString *out, gboolean commented)
{
	const char *section = "", *hash = commented ? "#" : "";
	guint i;

	for (i = 0; i < G_N_ELEMENTS(keys); i++) {
		const struct ckey *k = &keys[i];
		gconstpointer field = (const char *)c + k->offset;

		if (strcmp(section, k->section) != 0) {
			g_string_append_printf(out, "%s[%s]\n",
			    i > 0 ? "\n" : "", k->section);
			section = k->section;
		}
		if (commented)
			g_string_append_printf(out, "# %s\n", k->help);
		switch (k->type) {
		case CT_STRING:
		case CT_PATH:
			g_string_append_printf(out, "%s%s = %s\n", hash,
			    k->key, *(char *const *)field ?
			    *(char *const *)field : "");
			break;
		case CT_BOOL:
			g_string_append_printf(out, "%s%s = %s\n", hash,
			    k->key, *(const gboolean *)field ? "true" : "false");
			break;
		case CT_SIZE:
			g_string_append_printf(out, "%s%s = %" G_GSIZE_FORMAT
			    "\n", hash, k->key, *(const gsize *)field);
			break;
		case CT_UINT:
		case CT_DURATION:
			g_string_append_printf(out, "%s%s = %u\n", hash,
			    k->key, *(const guint *)field);
			break;
		}
	}
}

void
config_dump(const struct config *c, GString *out)
{
	dump(c, out, FALSE);
}

char *
config_default_text(void)
{
	GString *s = g_string_new(
	    "# abusedesk.conf: abusedesk configuration (INI, GLib key file).\n"
	    "# Every key is shown with its default, commented out.  Unknown\n"
	    "# keys are errors.  Relative paths are relative to this file.\n"
	    "# See abusedesk(1).\n\n");
	struct config *c = g_new0(struct config, 1);

	if (!apply_defaults(c, NULL))
		g_assert_not_reached();	/* the table's own defaults */
	dump(c, s, TRUE);
	config_free(&c);
	return g_string_free(s, FALSE);
}

/* path, or name next to the file next_to when path is empty and that file
 * exists; NULL otherwise (g_free) */
static char *
path_or_sibling(const char *path, const char *next_to, const char *name)
{
	char *dir, *p;

	if (path != NULL && *path != '\0')
		return g_strdup(path);
	if (next_to == NULL)
		return NULL;
	dir = g_path_get_dirname(next_to);
	p = g_build_filename(dir, name, NULL);
	g_free(dir);
	if (!g_file_test(p, G_FILE_TEST_IS_REGULAR))
		g_clear_pointer(&p, g_free);
	return p;
}

struct route_tables *
ingest_route_open(const struct config *c, GError **error)
{
	struct route_paths rp;
	struct route_tables *t;
	char *asn, *names, *amap, *dmap;

	memset(&rp, 0, sizeof(rp));
	rp.contacts = c->contacts;
	rp.networks = c->networks;
	rp.geo_country = c->geo_country;
	rp.rir_country = c->rir_country;
	rp.csirts = c->csirts;
	rp.own_country = c->own_country;
	rp.geo_mmdb = c->geo_mmdb;
	rp.asn_mmdb = c->asn_mmdb;
	rp.ladder = c->ladder;
	rp.cache_dir = c->table_cache;
	rp.asn = asn = path_or_sibling(c->asn, c->geo_country,
	    "ip-asn.csv.gz");
	rp.asn_names = names = path_or_sibling(c->asn_names, c->geo_country,
	    "asn-names.csv.gz");
	rp.asn_contacts = amap = path_or_sibling(c->asn_contacts, c->contacts,
	    "asn-contacts.csv");
	rp.domain_contacts = dmap = path_or_sibling(c->domain_contacts,
	    c->contacts, "domain-contacts.csv");
	t = route_open(&rp, error);
	g_free(asn);
	g_free(names);
	g_free(amap);
	g_free(dmap);
	return t;
}
