/*
 * rules_diag.c: the diagnostics of a rules load (file:line:col: message)
 * and the rules error domain.
 */
#include "config.h"

#include <stdarg.h>

#include "rules/rules_int.h"

G_DEFINE_QUARK(abusedesk-rules-error-quark, rules_error)

void
rules_diag_add(struct rules_loader *l, int code, const char *file,
    guint line, guint col, const char *fmt, ...)
{
	struct rules_diag *d = g_new0(struct rules_diag, 1);
	va_list ap;

	d->file = g_strdup(file != NULL ? file : "-");
	d->line = line;
	d->col = col;
	d->is_error = code != RULES_WARNING;
	va_start(ap, fmt);
	d->message = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	if (d->is_error && l->errors++ == 0)
		l->first_code = code;
	g_ptr_array_add(l->diags, d);
}

void
rules_diag_free(gpointer p)
{
	struct rules_diag *d = p;

	if (d == NULL)
		return;
	g_free(d->file);
	g_free(d->message);
	g_free(d);
}

void
rules_diag_format(const struct rules_diag *d, GString *out)
{
	g_string_append_printf(out, "%s:%u:%u: %s: %s", d->file, d->line,
	    d->col, d->is_error ? "error" : "warning", d->message);
}

guint
rules_col(const char *line, gsize off)
{
	const char *p = line, *end = line + off;
	guint col = 1;

	while (p < end && *p != '\0') {
		p = g_utf8_next_char(p);
		col++;
	}
	return col;
}
