/*
 * route_contacts.c: the analysts' contacts table (contacts.csv).
 *
 * Owns route_contacts_load(), contact_free() and the names of contact
 * kinds (contact_kind_name / contact_kind_from_name).  Each line becomes a
 * long-lived struct contact (g_malloc'd, owned by the contacts hash table
 * of struct route_tables).  Errors are ROUTE_ERROR_SYNTAX "file:line".
 */
#include "config.h"

#include <string.h>

#include "route/route_int.h"

/* The first layout had no format column (text then). */
static const char *const headers[] = {
	"id,name,email,language,country,kind,notes",
	"id,name,email,language,country,kind,format,notes",
};

static const char *const format_names[] = {
	[CONTACT_FORMAT_TEXT] = "text",
	[CONTACT_FORMAT_CSV] = "csv",
	[CONTACT_FORMAT_XARF] = "xarf",
};

const char *
contact_format_name(enum contact_format f)
{
	if ((guint)f >= G_N_ELEMENTS(format_names))
		return "text";
	return format_names[f];
}

int
contact_format_from_name(const char *s)
{
	guint i;

	if (s == NULL || *s == '\0')
		return CONTACT_FORMAT_TEXT;
	for (i = 0; i < G_N_ELEMENTS(format_names); i++)
		if (g_ascii_strcasecmp(s, format_names[i]) == 0)
			return (int)i;
	return -1;
}

static const char *const kind_names[] = {
	[CONTACT_HOSTING] = "hosting",
	[CONTACT_NETWORK_OWNER] = "network-owner",
	[CONTACT_REGISTRAR] = "registrar",
	[CONTACT_NATIONAL_CSIRT] = "national-csirt",
	[CONTACT_VENDOR_PSIRT] = "vendor-psirt",
	[CONTACT_CONSTITUENCY] = "constituency",
};

const char *
contact_kind_name(enum contact_kind k)
{
	if ((guint)k >= G_N_ELEMENTS(kind_names))
		return "unknown";
	return kind_names[k];
}

int
contact_kind_from_name(const char *s)
{
	guint i;

	for (i = 0; i < G_N_ELEMENTS(kind_names); i++)
		if (strcmp(s, kind_names[i]) == 0)
			return (int)i;
	return -1;
}

void
contact_free(struct contact *c)
{
	if (c == NULL)
		return;
	g_free(c->id);
	g_free(c->name);
	g_free(c->email);
	g_free(c->language);
	g_free(c->country);
	g_free(c);
}

/* valid_id - letters, digits, '.', '_', '-' */
static gboolean
valid_id(const char *s)
{
	if (*s == '\0' || strlen(s) > 64)
		return FALSE;
	for (; *s != '\0'; s++)
		if (!g_ascii_isalnum(*s) && strchr("._-", *s) == NULL)
			return FALSE;
	return TRUE;
}

/* check_contact - validates one record's fields; NULL when fine */
static const char *
check_contact(GPtrArray *f)
{
	const char *id = f->pdata[0], *email = f->pdata[2];
	const char *lang = f->pdata[3], *cc = f->pdata[4];

	if (!valid_id(id))
		return "bad id (letters, digits, '.', '_', '-')";
	if (*(const char *)f->pdata[1] == '\0')
		return "empty name";
	if (strchr(email, '@') == NULL || strchr(email, '<') != NULL ||
	    strchr(email, '\n') != NULL)
		return "bad email address";
	if (strlen(lang) < 2 || strlen(lang) > 8)
		return "bad language (\"en\", \"ja\", ...)";
	if (*cc != '\0' && (strlen(cc) != 2 || !g_ascii_isalpha(cc[0]) ||
	    !g_ascii_isalpha(cc[1])))
		return "bad country (ISO 3166 alpha-2 or empty)";
	return NULL;
}

gboolean
route_contacts_load(GHashTable *contacts, const char *path, GError **error)
{
	GPtrArray *f = g_ptr_array_new_with_free_func(g_free);
	struct route_csv c;
	struct contact *ct;
	const char *why;
	int rc, kind, layout, format = CONTACT_FORMAT_TEXT;

	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	if (!route_csv_open(&c, path, error)) {
		g_ptr_array_unref(f);
		return FALSE;
	}
	if ((layout = route_csv_header_of(&c, headers, G_N_ELEMENTS(headers),
	    error)) < 0) {
		rc = -1;
		goto out;
	}
	while ((rc = route_csv_record(&c, layout == 0 ? 7 : 8, f,
	    error)) == 1) {
		if ((why = check_contact(f)) != NULL) {
			route_csv_error(&c, error, "%s", why);
			rc = -1;
			break;
		}
		if ((kind = contact_kind_from_name(f->pdata[5])) < 0) {
			route_csv_error(&c, error, "unknown kind \"%.40s\" "
			    "(hosting, network-owner, registrar, "
			    "national-csirt, vendor-psirt, constituency)",
			    (const char *)f->pdata[5]);
			rc = -1;
			break;
		}
		if (layout > 0 &&
		    (format = contact_format_from_name(f->pdata[6])) < 0) {
			route_csv_error(&c, error, "unknown format \"%.40s\" "
			    "(text, csv, xarf)", (const char *)f->pdata[6]);
			rc = -1;
			break;
		}
		if (g_hash_table_contains(contacts, f->pdata[0])) {
			route_csv_error(&c, error, "duplicate contact id "
			    "\"%s\"", (const char *)f->pdata[0]);
			rc = -1;
			break;
		}
		ct = g_new0(struct contact, 1);
		ct->id = g_strdup(f->pdata[0]);
		ct->name = g_strdup(f->pdata[1]);
		ct->email = g_strdup(f->pdata[2]);
		ct->language = g_ascii_strdown(f->pdata[3], -1);
		if (*(const char *)f->pdata[4] != '\0')
			ct->country = g_ascii_strup(f->pdata[4], -1);
		ct->kind = kind;
		ct->format = format;
		g_hash_table_insert(contacts, ct->id, ct);
	}
out:
	route_csv_close(&c);
	g_ptr_array_unref(f);
	return rc == 0;
}
