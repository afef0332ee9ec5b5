/*
 * case_text.c: making stored text safe to print on a terminal.
 *
 * Defines case_text_append_safe() and case_text_append_time().  Every
 * string that came from a mail (subjects, values, reasons, origins) goes
 * through case_text_append_safe() before the CLI prints it: control
 * characters (C0, DEL, C1), bidirectional overrides and invalid UTF-8 are
 * escaped so a hostile subject cannot move the cursor or hide text.
 */
#include "config.h"

#include <string.h>

#include "case/case_int.h"

/* is_unsafe - characters a terminal would interpret or reorder. */
static gboolean
is_unsafe(gunichar c)
{
	if (c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f))
		return TRUE;
	if ((c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) ||
	    c == 0x200e || c == 0x200f || c == 0x061c)
		return TRUE;
	return c == 0x2028 || c == 0x2029;
}

static void
append_escape(GString *out, gunichar c)
{
	switch (c) {
	case '\n':
		g_string_append(out, "\\n");
		break;
	case '\r':
		g_string_append(out, "\\r");
		break;
	case '\t':
		g_string_append(out, "\\t");
		break;
	default:
		if (c < 0x100)
			g_string_append_printf(out, "\\x%02x", c);
		else
			g_string_append_printf(out, "\\u%04x", c);
		break;
	}
}

void
case_text_append_safe(GString *out, const char *s, guint max_chars)
{
	const char *p, *end;
	guint n = 0;
	gunichar c;

	if (s == NULL) {
		g_string_append_c(out, '-');
		return;
	}
	end = s + strlen(s);
	for (p = s; p < end && (max_chars == 0 || n < max_chars); n++) {
		c = g_utf8_get_char_validated(p, end - p);
		if (c == (gunichar)-1 || c == (gunichar)-2) {
			/* One byte of invalid UTF-8, shown as its value. */
			g_string_append_printf(out, "\\x%02x",
			    (guchar)*p);
			p++;
			continue;
		}
		if (c == '\\')
			g_string_append(out, "\\\\");
		else if (is_unsafe(c))
			append_escape(out, c);
		else
			g_string_append_unichar(out, c);
		p = g_utf8_next_char(p);
	}
}

void
case_text_append_time(GString *out, gint64 t)
{
	GDateTime *dt;
	char *s;

	if ((dt = g_date_time_new_from_unix_utc(t)) == NULL) {
		g_string_append(out, "-");
		return;
	}
	s = g_date_time_format(dt, "%Y-%m-%d %H:%M");
	g_string_append(out, s != NULL ? s : "-");
	g_free(s);
	g_date_time_unref(dt);
}
