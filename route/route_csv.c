/*
 * route_csv.c: the CSV reader shared by every routing table.
 *
 * Owns route_csv_open/next/close (a line reader over zlib, which reads
 * plain and gzip files alike), route_csv_split (one RFC 4180 line into
 * fields: quoted fields may hold commas and doubled quotes, but not line
 * breaks) and route_csv_header/record, which skip blank and `#` comment
 * lines and check the column count.  Every error is ROUTE_ERROR_SYNTAX
 * (ROUTE_ERROR_IO for read errors) with a "file:line: message" text.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <string.h>

#include "route/route_int.h"

gboolean
route_csv_open(struct route_csv *c, const char *path, GError **error)
{
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	memset(c, 0, sizeof(*c));
	errno = 0;
	c->gz = gzopen(path, "rb");
	if (c->gz == NULL) {
		int e = errno;

		g_set_error(error, ROUTE_ERROR, ROUTE_ERROR_IO, "%s: %s", path,
		    e != 0 ? g_strerror(e) : "cannot open");
		return FALSE;
	}
	gzbuffer(c->gz, 128 * 1024);
	c->path = g_strdup(path);
	c->name = g_path_get_basename(path);
	return TRUE;
}

void
route_csv_close(struct route_csv *c)
{
	if (c->gz != NULL)
		gzclose(c->gz);
	c->gz = NULL;
	g_clear_pointer(&c->path, g_free);
	g_clear_pointer(&c->name, g_free);
}

void
route_csv_error(struct route_csv *c, GError **error, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	msg = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	g_set_error(error, ROUTE_ERROR, ROUTE_ERROR_SYNTAX, "%s:%u: %s",
	    c->path, c->line, msg);
	g_free(msg);
}

int
route_csv_next(struct route_csv *c, char **line_r, GError **error)
{
	gsize len;
	int errnum;

	if (gzgets(c->gz, c->buf, sizeof(c->buf)) == NULL) {
		const char *msg = gzerror(c->gz, &errnum);

		if (errnum != Z_OK && errnum != Z_BUF_ERROR) {
			g_set_error(error, ROUTE_ERROR, ROUTE_ERROR_IO,
			    "%s:%u: %s", c->path, c->line + 1, msg);
			return -1;
		}
		return 0;
	}
	c->line++;
	len = strlen(c->buf);
	if (len > 0 && c->buf[len - 1] == '\n')
		c->buf[--len] = '\0';
	else if (!gzeof(c->gz)) {
		route_csv_error(c, error, "line longer than %d bytes",
		    ROUTE_CSV_LINE_MAX);
		return -1;
	}
	if (len > ROUTE_CSV_LINE_MAX) {
		route_csv_error(c, error, "line longer than %d bytes",
		    ROUTE_CSV_LINE_MAX);
		return -1;
	}
	if (len > 0 && c->buf[len - 1] == '\r')
		c->buf[--len] = '\0';
	*line_r = c->buf;
	return 1;
}

/* skippable - blank line or `#` comment */
static gboolean
skippable(const char *line)
{
	while (*line == ' ' || *line == '\t')
		line++;
	return *line == '\0' || *line == '#';
}

/* unquoted - one unquoted field from p to the next comma, trimmed */
static const char *
unquoted(const char *p, GPtrArray *fields, const char **why_r)
{
	const char *end = p, *s = p, *e;

	while (*end != '\0' && *end != ',')
		end++;
	if (memchr(p, '"', end - p) != NULL) {
		*why_r = "quote inside an unquoted field";
		return NULL;
	}
	while (s < end && g_ascii_isspace(*s))
		s++;
	e = end;
	while (e > s && g_ascii_isspace(e[-1]))
		e--;
	g_ptr_array_add(fields, g_strndup(s, e - s));
	return end;
}

/* quoted - one quoted field starting at the opening quote p */
static const char *
quoted(const char *p, GPtrArray *fields, const char **why_r)
{
	GString *f = g_string_new(NULL);

	for (p++;; p++) {
		if (*p == '\0') {
			g_string_free(f, TRUE);
			*why_r = "unterminated quoted field";
			return NULL;
		}
		if (*p == '"') {
			if (p[1] != '"')
				break;
			p++;
		}
		g_string_append_c(f, *p);
	}
	p++;
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p != '\0' && *p != ',') {
		g_string_free(f, TRUE);
		*why_r = "text after the closing quote of a field";
		return NULL;
	}
	g_ptr_array_add(fields, g_string_free(f, FALSE));
	return p;
}

gboolean
route_csv_split(const char *line, GPtrArray *fields, const char **why_r)
{
	const char *p = line;

	for (;;) {
		const char *s = p;

		if (fields->len >= ROUTE_CSV_FIELDS_MAX) {
			*why_r = "too many fields";
			return FALSE;
		}
		while (*s == ' ' || *s == '\t')
			s++;
		if (*s == '"')
			p = quoted(s, fields, why_r);
		else
			p = unquoted(p, fields, why_r);
		if (p == NULL)
			return FALSE;
		if (*p == '\0')
			return TRUE;
		p++;			/* the comma */
	}
}

int
route_csv_header_of(struct route_csv *c, const char *const *headers,
    guint n, GError **error)
{
	char *line;
	guint i;
	int rc;

	while ((rc = route_csv_next(c, &line, error)) == 1) {
		if (skippable(line))
			continue;
		for (i = 0; i < n; i++)
			if (strcmp(line, headers[i]) == 0)
				return (int)i;
		route_csv_error(c, error, "expected the header line \"%s\"",
		    headers[n - 1]);
		return -1;
	}
	if (rc == 0) {
		g_set_error(error, ROUTE_ERROR, ROUTE_ERROR_SYNTAX,
		    "%s: empty file, expected the header line \"%s\"",
		    c->path, headers[n - 1]);
	}
	return -1;
}

gboolean
route_csv_header(struct route_csv *c, const char *expected, GError **error)
{
	return route_csv_header_of(c, &expected, 1, error) == 0;
}

int
route_csv_record(struct route_csv *c, guint ncols, GPtrArray *fields,
    GError **error)
{
	const char *why = NULL;
	char *line;
	int rc;

	while ((rc = route_csv_next(c, &line, error)) == 1) {
		if (skippable(line))
			continue;
		g_ptr_array_set_size(fields, 0);
		if (!route_csv_split(line, fields, &why)) {
			route_csv_error(c, error, "%s", why);
			return -1;
		}
		if (fields->len != ncols) {
			route_csv_error(c, error, "expected %u fields, got %u",
			    ncols, fields->len);
			return -1;
		}
		return 1;
	}
	return rc;
}
