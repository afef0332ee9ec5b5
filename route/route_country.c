/*
 * route_country.c: IP -> country range tables (ip-country-*.csv[.gz]).
 *
 * Owns struct country_table: a range_table (route_ranges.c) whose values
 * are country codes, stored as a number 0..675 ("AA".."ZZ") and turned
 * back into the strings of the table's own name list.  "UK" is stored as
 * "GB".  country_is_real() knows the codes that are not countries.
 */
#include "config.h"

#include <string.h>

#include "route/route_int.h"

struct country_table {
	struct range_table	*ranges;
	char			 names[26 * 26][3];
};

/* Codes in the tables that do not name one country. */
static const char *const not_countries[] = {
	"EU", "AP", "ZZ", "CS", "AN", "SU", "AB", "OS", "UN", NULL
};

gboolean
country_is_real(const char *cc)
{
	guint i;

	if (cc == NULL || !g_ascii_isupper(cc[0]) || !g_ascii_isupper(cc[1]) ||
	    cc[2] != '\0')
		return FALSE;
	for (i = 0; not_countries[i] != NULL; i++)
		if (strcmp(cc, not_countries[i]) == 0)
			return FALSE;
	return TRUE;
}

/* parse_cc - "jp" -> JP's number, "UK" -> GB's; FALSE unless two letters */
static gboolean
parse_cc(const char *s, guint32 *v, const char **why_r)
{
	char a, b;

	if (!g_ascii_isalpha(s[0]) || !g_ascii_isalpha(s[1]) || s[2] != '\0') {
		*why_r = "bad country code";
		return FALSE;
	}
	a = g_ascii_toupper(s[0]);
	b = g_ascii_toupper(s[1]);
	if (a == 'U' && b == 'K') {
		a = 'G';
		b = 'B';
	}
	*v = (guint32)(a - 'A') * 26 + (guint32)(b - 'A');
	return TRUE;
}

struct country_table *
country_table_load(const char *path, const char *cache_dir, GError **error)
{
	struct country_table *t;
	struct range_table *r;
	guint i;

	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	if ((r = range_table_load(path, parse_cc, "first_ip,last_ip,CC",
	    26 * 26 - 1, cache_dir, error)) == NULL)
		return NULL;
	t = g_new0(struct country_table, 1);
	t->ranges = r;
	for (i = 0; i < 26 * 26; i++) {
		t->names[i][0] = 'A' + i / 26;
		t->names[i][1] = 'A' + i % 26;
	}
	return t;
}

void
country_table_free(struct country_table **tp)
{
	struct country_table *t;

	if (tp == NULL || (t = *tp) == NULL)
		return;
	range_table_free(&t->ranges);
	g_free(t);
	*tp = NULL;
}

const char *
country_table_lookup(const struct country_table *t, const struct netaddr *a)
{
	guint32 v;

	if (t == NULL || range_table_lookup(t->ranges, a, &v, NULL) != 1)
		return NULL;
	return t->names[v];
}

const char *
country_table_name(const struct country_table *t)
{
	return range_table_name(t->ranges);
}

const char *
country_table_date(const struct country_table *t)
{
	return range_table_date(t->ranges);
}

guint
country_table_size(const struct country_table *t)
{
	return range_table_size(t->ranges, FALSE) +
	    range_table_size(t->ranges, TRUE);
}

gsize
country_table_bytes(const struct country_table *t)
{
	return t != NULL ? sizeof(*t) + range_table_bytes(t->ranges) : 0;
}
