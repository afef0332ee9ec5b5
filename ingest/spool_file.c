/*
 * spool_file.c: format and parse the header of a spool file (libc only).
 *
 * Defines spool_value_set(), spool_file_header(), spool_file_parse() and
 * spool_file_body_ok().  The format is described in spool_file.h.  The
 * writer is `deliver`, the reader the daemon; both go through this file
 * so the two cannot drift apart.  The parser looks at no more than
 * SPOOL_HEADER_MAX bytes and never allocates.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/spool_file.h"

static void spool_error(char *, size_t, const char *, ...)
    __attribute__((format(printf, 3, 4)));

static void
spool_error(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL || errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

/* is_ctl - the bytes an envelope value may not hold. */
static int
is_ctl(unsigned char c)
{
	return c < 0x20 || c == 0x7f;
}

void
spool_value_set(char *dst, const char *src)
{
	size_t i;

	for (i = 0; src != NULL && src[i] != '\0' && i < SPOOL_VALUE_MAX; i++)
		dst[i] = is_ctl((unsigned char)src[i]) ? '?' : src[i];
	dst[i] = '\0';
}

/* put - appends len bytes to buf at *off; -1 when they do not fit. */
static int
put(char *buf, size_t bufsize, size_t *off, const char *s, size_t len)
{
	if (len > bufsize - *off)
		return -1;
	memcpy(buf + *off, s, len);
	*off += len;
	return 0;
}

/* put_value - "key: value\n" with value sanitised; nothing when empty. */
static int
put_value(char *buf, size_t bufsize, size_t *off, const char *key,
    const char *value)
{
	char clean[SPOOL_VALUE_MAX + 2];

	if (value[0] == '\0')
		return 0;
	spool_value_set(clean, value);
	if (put(buf, bufsize, off, key, strlen(key)) != 0 ||
	    put(buf, bufsize, off, ": ", 2) != 0 ||
	    put(buf, bufsize, off, clean, strlen(clean)) != 0 ||
	    put(buf, bufsize, off, "\n", 1) != 0)
		return -1;
	return 0;
}

size_t
spool_file_header(const struct spool_envelope *env, char *buf,
    size_t bufsize)
{
	char line[128], sha[65];
	size_t off = 0;
	int n;

	spool_value_set(sha, env->sha256);
	n = snprintf(line, sizeof(line), SPOOL_MAGIC "\nreceived-at: %lld\n",
	    env->received_at);
	if (n < 0 || (size_t)n >= sizeof(line) ||
	    put(buf, bufsize, &off, line, (size_t)n) != 0 ||
	    put_value(buf, bufsize, &off, "sender", env->sender) != 0 ||
	    put_value(buf, bufsize, &off, "recipient", env->recipient) != 0 ||
	    put_value(buf, bufsize, &off, "original-recipient",
	    env->orig_recipient) != 0)
		return 0;
	n = snprintf(line, sizeof(line), "size: %llu\nsha256: %s\n%s\n",
	    env->size, sha, env->quarantined ? "quarantine: oversize\n" : "");
	if (n < 0 || (size_t)n >= sizeof(line) ||
	    put(buf, bufsize, &off, line, (size_t)n) != 0)
		return 0;
	return off;
}

/* parse_number - all digits, no sign, no overflow. */
static int
parse_number(const char *s, unsigned long long *out)
{
	char *end;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	*out = strtoull(s, &end, 10);
	return errno != 0 || *end != '\0' ? -1 : 0;
}

/* parse_sha256 - exactly 64 lower-case hex digits. */
static int
parse_sha256(const char *s, char *out)
{
	size_t i;

	for (i = 0; i < 64; i++)
		if (!((s[i] >= '0' && s[i] <= '9') ||
		    (s[i] >= 'a' && s[i] <= 'f')))
			return -1;
	if (s[64] != '\0')
		return -1;
	memcpy(out, s, 65);
	return 0;
}

/* parse_field - one "key: value" line (NUL-terminated, without LF). */
static int
parse_field(char *line, struct spool_envelope *env, unsigned *seen,
    char *err, size_t errlen)
{
	unsigned long long n;
	char *value, *colon = strstr(line, ": ");

	if (colon == NULL || colon == line) {
		spool_error(err, errlen, "bad header line '%.40s'", line);
		return -1;
	}
	*colon = '\0';
	value = colon + 2;
	if (strlen(value) > SPOOL_VALUE_MAX) {
		spool_error(err, errlen, "value of '%s' too long", line);
		return -1;
	}
	if (strcmp(line, "received-at") == 0) {
		if (parse_number(value, &n) != 0 || n > (1ULL << 62))
			goto bad;
		env->received_at = (long long)n;
		*seen |= 1;
	} else if (strcmp(line, "size") == 0) {
		if (parse_number(value, &env->size) != 0)
			goto bad;
		*seen |= 2;
	} else if (strcmp(line, "sha256") == 0) {
		if (parse_sha256(value, env->sha256) != 0)
			goto bad;
		*seen |= 4;
	} else if (strcmp(line, "sender") == 0)
		spool_value_set(env->sender, value);
	else if (strcmp(line, "recipient") == 0)
		spool_value_set(env->recipient, value);
	else if (strcmp(line, "original-recipient") == 0)
		spool_value_set(env->orig_recipient, value);
	else if (strcmp(line, "quarantine") == 0)
		env->quarantined = 1;	/* any reason quarantines */
	return 0;
bad:
	spool_error(err, errlen, "bad value for '%s': '%.80s'", line, value);
	return -1;
}

int
spool_file_parse(const char *buf, size_t len, struct spool_envelope *env,
    size_t *body_offset, char *err, size_t errlen)
{
	static const char magic[] = SPOOL_MAGIC "\n";
	char line[SPOOL_HEADER_MAX];
	size_t off, max = len < SPOOL_HEADER_MAX ? len : SPOOL_HEADER_MAX;
	const char *nl;
	unsigned seen = 0;

	memset(env, 0, sizeof(*env));
	if (len < sizeof(magic) - 1 ||
	    memcmp(buf, magic, sizeof(magic) - 1) != 0) {
		spool_error(err, errlen, "not a spool file (no '%s' line)",
		    SPOOL_MAGIC);
		return -1;
	}
	for (off = sizeof(magic) - 1;; off = (size_t)(nl - buf) + 1) {
		nl = off < max ? memchr(buf + off, '\n', max - off) : NULL;
		if (nl == NULL) {
			if (len > SPOOL_HEADER_MAX)
				spool_error(err, errlen, "header longer than "
				    "%u bytes", SPOOL_HEADER_MAX);
			else
				spool_error(err, errlen, "header not "
				    "terminated by an empty line");
			return -1;
		}
		if (nl == buf + off)
			break;
		if (memchr(buf + off, '\0', (size_t)(nl - buf) - off) != NULL) {
			spool_error(err, errlen, "NUL byte in header");
			return -1;
		}
		memcpy(line, buf + off, (size_t)(nl - buf) - off);
		line[(size_t)(nl - buf) - off] = '\0';
		if (parse_field(line, env, &seen, err, errlen) != 0)
			return -1;
	}
	if (seen != 7) {
		spool_error(err, errlen, "header lacks %s",
		    !(seen & 1) ? "received-at" : !(seen & 2) ? "size" :
		    "sha256");
		return -1;
	}
	*body_offset = (size_t)(nl - buf) + 1;
	return 0;
}

int
spool_file_body_ok(const struct spool_envelope *env,
    unsigned long long body_len)
{
	if (env->quarantined)
		return body_len <= env->size;
	return body_len == env->size;
}
