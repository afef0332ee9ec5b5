/*
 * notify_text.c: turning untrusted report text into safe takedown text.
 *
 * notify_sanitise() is the only way report content reaches a template
 * value, and so the Subject header: one line, no control or format
 * characters, valid UTF-8, capped.  notify_msgid_ok() decides whether
 * the report's Message-ID may be copied into In-Reply-To/References.
 * notify_findings_text() writes the findings list with every URL, domain,
 * address and IPv4 address defanged, so that the mail itself is not a
 * clickable (or auto-fetched) link to the bad site.
 */
#include "config.h"

#include <string.h>

#include "notify/notify_int.h"
#include "parse/parse.h"

char *
notify_sanitise(const char *s, gsize cap)
{
	GString *out;
	char *valid;
	const char *p;
	gunichar c;
	gsize n = 0;
	gboolean blank = FALSE;

	if (s == NULL)
		return g_strdup("");
	valid = g_utf8_make_valid(s, -1);
	out = g_string_sized_new(MIN(strlen(valid), cap * 4) + 1);
	for (p = valid; *p != '\0' && n < cap; p = g_utf8_next_char(p)) {
		c = g_utf8_get_char(p);
		switch (g_unichar_type(c)) {
		case G_UNICODE_CONTROL:
			if (c == '\r' || c == '\n' || c == '\t')
				blank = TRUE;
			continue;
		case G_UNICODE_FORMAT:	/* bidi overrides, ZW chars */
		case G_UNICODE_UNASSIGNED:
		case G_UNICODE_PRIVATE_USE:
		case G_UNICODE_SURROGATE:
			continue;
		case G_UNICODE_SPACE_SEPARATOR:
		case G_UNICODE_LINE_SEPARATOR:
		case G_UNICODE_PARAGRAPH_SEPARATOR:
			blank = TRUE;
			continue;
		default:
			break;
		}
		if (blank && out->len > 0 && n + 1 < cap) {
			g_string_append_c(out, ' ');
			n++;
		}
		blank = FALSE;
		g_string_append_unichar(out, c);
		n++;
	}
	g_free(valid);
	return g_string_free(out, FALSE);
}

gboolean
notify_msgid_ok(const char *s)
{
	const char *p;

	if (s == NULL || *s == '\0' || strlen(s) > NOTIFY_MSGID_CAP)
		return FALSE;
	/* RFC 5322 msg-id without the brackets: printable ASCII, no
	 * brackets, blanks or quotes that could end the header field. */
	for (p = s; *p != '\0'; p++)
		if (*p <= ' ' || *p >= 0x7f || strchr("<>\"\\()[],;", *p))
			return FALSE;
	return strchr(s, '@') != NULL;
}

/* defang_dots - "192.0.2.1" -> "192[.]0[.]2[.]1" (g_free) */
static char *
defang_dots(const char *s)
{
	GString *out = g_string_new(NULL);

	for (; *s != '\0'; s++) {
		if (*s == '.')
			g_string_append(out, "[.]");
		else
			g_string_append_c(out, *s);
	}
	return g_string_free(out, FALSE);
}

/* finding_line - one line of the findings block */
static void
finding_line(const struct finding *f, GString *out)
{
	char *defanged, *value, *part;

	switch (f->kind) {
	case FINDING_URL:
	case FINDING_DOMAIN:
	case FINDING_EMAIL:
		defanged = parse_defang_url(f->value);
		break;
	case FINDING_IPV4:
	case FINDING_CIDR:
		defanged = defang_dots(f->value);
		break;
	default:
		defanged = g_strdup(f->value);
		break;
	}
	value = notify_sanitise(defanged, NOTIFY_FINDING_CAP);
	g_string_append_printf(out, "- %s  %s  ", finding_kind_name(f->kind),
	    value);
	if (f->part == NULL || strcmp(f->part, "0") == 0)
		g_string_append(out, "(seen in the headers)\n");
	else {
		part = notify_sanitise(f->part, 32);
		g_string_append_printf(out, "(seen in part %s)\n", part);
		g_free(part);
	}
	g_free(value);
	g_free(defanged);
}

void
notify_findings_text(const GPtrArray *findings, GString *out)
{
	guint i, n;

	n = MIN(findings->len, LIMIT_NOTIFY_FINDINGS);
	for (i = 0; i < n; i++)
		finding_line(g_ptr_array_index(findings, i), out);
	if (findings->len > n)
		g_string_append_printf(out, "- and %u more\n",
		    findings->len - n);
}
