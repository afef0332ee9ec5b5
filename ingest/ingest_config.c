/*
 * ingest_config.c: load abusedesk.conf (GKeyFile) into struct config.
 *
 * One table declares every key (ingest_config_keys.c).  The file is
 * scanned once by
 * ini_parse_file() to reject unknown keys with file:line (GKeyFile keeps
 * no line numbers), then read through GKeyFile.
 */
#include "config.h"

#include <stddef.h>
#include <string.h>
#include <errno.h>

#include "ingest/ingest.h"
#include "ingest/ingest_config.h"
#include "ingest/ingest_config_int.h"
#include "ingest/ini.h"
#include "ingest/deliver.h"
#include "ingest/pipeline_batch.h"
#include "route/route.h"

static const struct ckey *
find_key(const char *section, const char *key)
{
	guint i;

	for (i = 0; i < config_nkeys; i++)
		if (strcmp(config_keys[i].section, section) == 0 &&
		    strcmp(config_keys[i].key, key) == 0)
			return &config_keys[i];
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

	for (i = 0; i < config_nkeys; i++)
		if (config_keys[i].def != NULL &&
		    !set_value(c, &config_keys[i], config_keys[i].def, NULL,
		    0, error))
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
	for (i = 0; i < config_nkeys; i++) {
		const struct ckey *k = &config_keys[i];
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
	for (i = 0; i < config_nkeys; i++)
		if (config_keys[i].type == CT_STRING ||
		    config_keys[i].type == CT_PATH)
			g_free(*(char **)((char *)c + config_keys[i].offset));
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

	for (i = 0; i < config_nkeys; i++) {
		const struct ckey *k = &config_keys[i];
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
