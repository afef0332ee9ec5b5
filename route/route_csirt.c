/*
 * route_csirt.c: the national CSIRT directory (national-csirts.csv).
 *
 * Owns route_csirt_load() and route_csirt_override().  For every country
 * one struct csirt is kept: the `national` team if it is usable, else a
 * usable `government` team, else the best unusable row (kept only to
 * explain why nothing is sent).  Usable means a non-empty email and a
 * confidence of seen-here, peer-data or well-known; such a team also
 * becomes contact "csirt-<cc>" (kind national-csirt, language en).
 * Analyst contacts named "csirt-<cc>" override the directory.
 */
#include "config.h"

#include <string.h>

#include "route/route_int.h"

#define CSIRTS_HEADER	"country_code,team,email,url,kind,confidence," \
			"source,source_date,notes"
#define CSIRTS_COLS	9

enum { F_CC, F_TEAM, F_EMAIL, F_URL, F_KIND, F_CONF };

static const char *const usable_conf[] = {
	"seen-here", "peer-data", "well-known", NULL
};
static const char *const unusable_conf[] = {
	"unverified", "unknown", "none", NULL
};

static gboolean
in_list(const char *s, const char *const *list)
{
	for (; *list != NULL; list++)
		if (strcmp(s, *list) == 0)
			return TRUE;
	return FALSE;
}

void
csirt_free(struct csirt *s)
{
	if (s == NULL)
		return;
	g_free(s->team);
	g_free(s->confidence);
	g_free(s->source);
	g_free(s);
}

/* rank - national usable 4, government usable 3, unusable 2 / 1 */
static int
rank(gboolean national, gboolean usable)
{
	return (usable ? 3 : 1) + (national ? 1 : 0);
}

/* check_row - validates one row, NULL when fine */
static const char *
check_row(GPtrArray *f)
{
	const char *cc = f->pdata[F_CC], *kind = f->pdata[F_KIND];
	const char *conf = f->pdata[F_CONF], *email = f->pdata[F_EMAIL];

	if (strlen(cc) != 2 || !g_ascii_isupper(cc[0]) ||
	    !g_ascii_isupper(cc[1]))
		return "bad country_code (two upper-case letters)";
	if (*(const char *)f->pdata[F_TEAM] == '\0')
		return "empty team";
	if (strcmp(kind, "national") != 0 && strcmp(kind, "government") != 0)
		return "bad kind (national or government)";
	if (!in_list(conf, usable_conf) && !in_list(conf, unusable_conf))
		return "bad confidence (seen-here, peer-data, well-known, "
		    "unverified, unknown or none)";
	if (*email != '\0' && (strchr(email, '@') == NULL ||
	    strchr(email, '<') != NULL))
		return "bad email address";
	return NULL;
}

/* add_contact - the contact csirt-<cc> for a usable team */
static void
add_contact(GHashTable *contacts, struct csirt *s, const char *email)
{
	struct contact *ct;
	char *id = g_strdup_printf("csirt-%c%c", g_ascii_tolower(s->cc[0]),
	    g_ascii_tolower(s->cc[1]));

	if (g_hash_table_contains(contacts, id)) {
		/* Defined by the analysts: route_csirt_override() uses it. */
		g_free(id);
		return;
	}
	ct = g_new0(struct contact, 1);
	ct->id = id;
	ct->name = g_strdup(s->team);
	ct->email = g_strdup(email);
	ct->language = g_strdup("en");
	ct->country = g_strdup(s->cc);
	ct->kind = CONTACT_NATIONAL_CSIRT;
	g_hash_table_insert(contacts, ct->id, ct);
	s->contact = ct;
}

gboolean
route_csirt_load(GHashTable *csirts, GHashTable *contacts, const char *path,
    GError **error)
{
	GPtrArray *f = g_ptr_array_new_with_free_func(g_free);
	GHashTable *best = g_hash_table_new_full(g_str_hash, g_str_equal,
	    NULL, NULL);
	GHashTable *emails = g_hash_table_new_full(g_str_hash, g_str_equal,
	    NULL, g_free);
	GHashTableIter it;
	gpointer k, v;
	struct route_csv c;
	struct csirt *s, *old;
	const char *why;
	gboolean usable, national;
	int rc;

	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	if (!route_csv_open(&c, path, error)) {
		rc = -1;
		goto out;
	}
	if (!route_csv_header(&c, CSIRTS_HEADER, error)) {
		rc = -1;
		goto out;
	}
	while ((rc = route_csv_record(&c, CSIRTS_COLS, f, error)) == 1) {
		if ((why = check_row(f)) != NULL) {
			route_csv_error(&c, error, "%s", why);
			rc = -1;
			break;
		}
		usable = *(const char *)f->pdata[F_EMAIL] != '\0' &&
		    in_list(f->pdata[F_CONF], usable_conf);
		national = strcmp(f->pdata[F_KIND], "national") == 0;
		old = g_hash_table_lookup(csirts, f->pdata[F_CC]);
		if (old != NULL && GPOINTER_TO_INT(g_hash_table_lookup(best,
		    old->cc)) >= rank(national, usable))
			continue;
		s = g_new0(struct csirt, 1);
		memcpy(s->cc, f->pdata[F_CC], 2);
		s->team = g_strdup(f->pdata[F_TEAM]);
		s->confidence = g_strdup(f->pdata[F_CONF]);
		s->source = g_strdup(c.name);
		s->has_email = *(const char *)f->pdata[F_EMAIL] != '\0';
		/* old->cc is the key in best and emails: drop those keys
		 * before replacing (and so freeing) old. */
		g_hash_table_remove(best, s->cc);
		g_hash_table_remove(emails, s->cc);
		g_hash_table_replace(csirts, s->cc, s);
		g_hash_table_insert(best, s->cc,
		    GINT_TO_POINTER(rank(national, usable)));
		if (usable)
			g_hash_table_insert(emails, s->cc,
			    g_strdup(f->pdata[F_EMAIL]));
	}
	if (rc == 0) {
		g_hash_table_iter_init(&it, csirts);
		while (g_hash_table_iter_next(&it, &k, &v)) {
			const char *email = g_hash_table_lookup(emails, k);

			if (email != NULL)
				add_contact(contacts, v, email);
		}
	}
out:
	route_csv_close(&c);
	g_hash_table_unref(emails);
	g_hash_table_unref(best);
	g_ptr_array_unref(f);
	return rc == 0;
}

void
route_csirt_override(GHashTable *csirts, GHashTable *contacts,
    const char *source)
{
	GHashTableIter it;
	gpointer v;
	const struct contact *ct;
	struct csirt *s;
	char cc[3];

	g_hash_table_iter_init(&it, contacts);
	while (g_hash_table_iter_next(&it, NULL, &v)) {
		ct = v;
		if (ct->kind != CONTACT_NATIONAL_CSIRT ||
		    strlen(ct->id) != 8 || strncmp(ct->id, "csirt-", 6) != 0 ||
		    !g_ascii_isalpha(ct->id[6]) || !g_ascii_isalpha(ct->id[7]))
			continue;
		cc[0] = g_ascii_toupper(ct->id[6]);
		cc[1] = g_ascii_toupper(ct->id[7]);
		cc[2] = '\0';
		s = g_hash_table_lookup(csirts, cc);
		if (s != NULL && s->contact == ct)
			continue;	/* the directory's own */
		s = g_new0(struct csirt, 1);
		memcpy(s->cc, cc, 3);
		s->team = g_strdup(ct->name);
		s->confidence = g_strdup("analyst");
		s->source = g_strdup(source);
		s->has_email = TRUE;
		s->contact = ct;
		g_hash_table_replace(csirts, s->cc, s);
	}
}
