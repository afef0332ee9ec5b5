/*
 * ini.h: a small, bounded reader for abusedesk.conf (libc only).
 *
 * The syntax is the subset of GKeyFile that abusedesk.conf uses:
 * "[section]" lines, "key = value" lines, comment lines starting with '#',
 * blank lines (GKeyFile rejects ';' comments, so this reader does too);
 * whitespace around names and values is trimmed and the GKeyFile escapes
 * \s \t \n \r \\ in values are decoded.  Used by
 * `deliver` (which must not link GLib) and by the full config loader,
 * which needs the line numbers GKeyFile does not keep.
 */
#ifndef ABUSEDESK_INI_H
#define ABUSEDESK_INI_H

#include <stddef.h>

/* Longest line accepted, without its newline. */
#define INI_LINE_MAX	4096
/* Largest file accepted. */
#define INI_FILE_MAX	(1024u * 1024)

/* Called once per key, in file order; section is never NULL.  A non-zero
 * return stops the parse: ini_parse_file() then returns -1, and err holds
 * whatever the callback wrote there (it gets the same buffer through its
 * ctx if it wants to), or "path:line: stopped by the caller". */
typedef int (*ini_cb)(void *ctx, const char *section, const char *key,
    const char *value, unsigned line);

/* ini_parse_file - reads path and calls cb for every key.  Returns 0, or
 * -1 with "path:line: message" in err ("path: strerror" when the file
 * cannot be opened or read).  err may be NULL. */
int	ini_parse_file(const char *path, ini_cb cb, void *ctx, char *err,
	    size_t errlen);

/* ini_parse_size - "123", "10K", "50M", "1G" (binary multiples, suffix
 * in either case) into *out.  Returns 0, or -1 for anything else
 * (empty, sign, garbage, overflow). */
int	ini_parse_size(const char *s, unsigned long long *out);

/* ini_parse_duration - "90", "90s", "10m", "1h", "2d", "1w" (suffix in
 * either case) into seconds in *out.  0 and -1 as ini_parse_size(). */
int	ini_parse_duration(const char *s, unsigned long long *out);

#endif
