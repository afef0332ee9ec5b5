/*
 * ini.c: the bounded INI reader behind abusedesk.conf (libc only).
 *
 * Defines ini_parse_file(), ini_parse_size() and ini_parse_duration().  The file is read line
 * by line with a fixed buffer: a line longer than INI_LINE_MAX or a file
 * larger than INI_FILE_MAX is an error naming the line, never a large
 * allocation.  Errors are "path:line: message" in the caller's buffer;
 * nothing is logged here.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ingest/ini.h"

struct ini_state {
	const char	*path;
	char		*err;
	size_t		 errlen;
	unsigned	 line;
	char		 section[INI_LINE_MAX + 1];
	int		 have_section;
};

static void ini_error(struct ini_state *, const char *, ...)
    __attribute__((format(printf, 2, 3)));

/* ini_error - "path:line: message" into the caller's buffer. */
static void
ini_error(struct ini_state *st, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (st->err == NULL || st->errlen == 0)
		return;
	n = snprintf(st->err, st->errlen, "%s:%u: ", st->path, st->line);
	if (n < 0 || (size_t)n >= st->errlen)
		return;
	va_start(ap, fmt);
	vsnprintf(st->err + n, st->errlen - n, fmt, ap);
	va_end(ap);
}

/* trim - strips leading and trailing white space in place. */
static char *
trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		e--;
	*e = '\0';
	return s;
}

/* unescape - decodes the GKeyFile escapes in place; -1 on a bad one. */
static int
unescape(char *s)
{
	char *w = s;

	for (; *s != '\0'; s++) {
		if (*s != '\\') {
			*w++ = *s;
			continue;
		}
		switch (*++s) {
		case 's':
			*w++ = ' ';
			break;
		case 't':
			*w++ = '\t';
			break;
		case 'n':
			*w++ = '\n';
			break;
		case 'r':
			*w++ = '\r';
			break;
		case '\\':
			*w++ = '\\';
			break;
		default:
			return -1;
		}
	}
	*w = '\0';
	return 0;
}

/* parse_line - one line without its newline; -1 with err set. */
static int
parse_line(struct ini_state *st, char *raw, ini_cb cb, void *ctx)
{
	char *s = trim(raw), *eq, *key, *value, *end;

	if (*s == '\0' || *s == '#')
		return 0;
	if (*s == '[') {
		end = strchr(s, ']');
		if (end == NULL) {
			ini_error(st, "unterminated section header");
			return -1;
		}
		if (end[1] != '\0') {
			ini_error(st, "text after section header");
			return -1;
		}
		*end = '\0';
		s = trim(s + 1);
		if (*s == '\0' || strchr(s, '[') != NULL) {
			ini_error(st, "bad section name");
			return -1;
		}
		memcpy(st->section, s, strlen(s) + 1);
		st->have_section = 1;
		return 0;
	}
	if ((eq = strchr(s, '=')) == NULL) {
		ini_error(st, "expected 'key = value' or '[section]'");
		return -1;
	}
	*eq = '\0';
	key = trim(s);
	value = trim(eq + 1);
	if (*key == '\0') {
		ini_error(st, "empty key");
		return -1;
	}
	if (!st->have_section) {
		ini_error(st, "key '%s' outside of any [section]", key);
		return -1;
	}
	if (unescape(value) != 0) {
		ini_error(st, "invalid escape sequence in value of '%s'", key);
		return -1;
	}
	if (st->err != NULL && st->errlen > 0)
		st->err[0] = '\0';
	if (cb(ctx, st->section, key, value, st->line) != 0) {
		if (st->err != NULL && st->errlen > 0 && st->err[0] == '\0')
			ini_error(st, "stopped by the caller");
		return -1;
	}
	return 0;
}

/* read_line - the next line without its newline into buf (INI_LINE_MAX + 1
 * bytes); 1 read, 0 end of file, -1 error with err set. */
static int
read_line(struct ini_state *st, FILE *f, char *buf, size_t *total)
{
	size_t n = 0;
	int c;

	while ((c = getc(f)) != EOF) {
		if (++*total > INI_FILE_MAX) {
			st->line++;
			ini_error(st, "file too large (more than %u bytes)",
			    INI_FILE_MAX);
			return -1;
		}
		if (c == '\n')
			break;
		if (c == '\0' || n == INI_LINE_MAX) {
			st->line++;
			if (c == '\0')
				ini_error(st, "NUL byte in line");
			else
				ini_error(st, "line too long (more than %u "
				    "bytes)", INI_LINE_MAX);
			return -1;
		}
		buf[n++] = (char)c;
	}
	if (c == EOF && ferror(f)) {
		if (st->err != NULL && st->errlen > 0)
			snprintf(st->err, st->errlen, "%s: %s", st->path,
			    strerror(errno));
		return -1;
	}
	if (c == EOF && n == 0)
		return 0;
	buf[n] = '\0';
	st->line++;
	return 1;
}

int
ini_parse_file(const char *path, ini_cb cb, void *ctx, char *err,
    size_t errlen)
{
	struct ini_state st;
	char buf[INI_LINE_MAX + 1];
	size_t total = 0;
	FILE *f;
	int r;

	memset(&st, 0, sizeof(st));
	st.path = path;
	st.err = err;
	st.errlen = errlen;
	if (err != NULL && errlen > 0)
		err[0] = '\0';
	if ((f = fopen(path, "re")) == NULL) {
		if (err != NULL && errlen > 0)
			snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	while ((r = read_line(&st, f, buf, &total)) == 1)
		if ((r = parse_line(&st, buf, cb, ctx)) != 0)
			break;
	fclose(f);
	return r == 0 ? 0 : -1;
}

/* parse_scaled - digits, then at most one suffix from units (a letter
 * and its multiplier; letters match in either case) */
struct unit {
	char			letter;
	unsigned long long	mult;
};

static int
parse_scaled(const char *s, const struct unit *units, size_t nunits,
    unsigned long long *out)
{
	unsigned long long n = 0, mult = 1;
	const char *p = s;
	size_t i;

	if (s == NULL || !isdigit((unsigned char)*p))
		return -1;
	for (; isdigit((unsigned char)*p); p++) {
		if (n > (~0ULL - (unsigned)(*p - '0')) / 10)
			return -1;
		n = n * 10 + (unsigned)(*p - '0');
	}
	if (*p != '\0') {
		for (i = 0; i < nunits; i++)
			if (tolower((unsigned char)*p) == units[i].letter)
				break;
		if (i == nunits)
			return -1;
		mult = units[i].mult;
		p++;
	}
	if (*p != '\0' || n > ~0ULL / mult)
		return -1;
	*out = n * mult;
	return 0;
}

int
ini_parse_size(const char *s, unsigned long long *out)
{
	static const struct unit units[] = {
		{ 'k', 1024ULL }, { 'm', 1024ULL * 1024 },
		{ 'g', 1024ULL * 1024 * 1024 },
	};

	return parse_scaled(s, units, sizeof(units) / sizeof(units[0]), out);
}

int
ini_parse_duration(const char *s, unsigned long long *out)
{
	static const struct unit units[] = {
		{ 's', 1 }, { 'm', 60 }, { 'h', 3600 }, { 'd', 86400 },
		{ 'w', 7 * 86400 },
	};

	return parse_scaled(s, units, sizeof(units) / sizeof(units[0]), out);
}
