/*
 * spool_file.h: the header of a spool file (libc only).
 *
 * `deliver` writes each message as one file: this header, then the raw
 * bytes as received (possibly cut at max_size), and the daemon reads it
 * back with the same code:
 *
 *	ABUSEDESK-SPOOL 1
 *	received-at: <unix seconds>
 *	sender: <value>			(omitted when empty)
 *	recipient: <value>		(omitted when empty)
 *	original-recipient: <value>	(omitted when empty)
 *	size: <bytes of the full input>
 *	sha256: <hex of the full input>
 *	quarantine: oversize		(only when the body was cut)
 *	<empty line>
 *	<raw message bytes>
 *
 * Lines end with LF.  Envelope values never hold control characters: CR,
 * LF and the others become '?', and values are cut at SPOOL_VALUE_MAX.
 */
#ifndef ABUSEDESK_SPOOL_FILE_H
#define ABUSEDESK_SPOOL_FILE_H

#include <stddef.h>

#define SPOOL_MAGIC		"ABUSEDESK-SPOOL 1"
/* Longest envelope value kept (RFC 5321's line length less CRLF). */
#define SPOOL_VALUE_MAX		998
/* Largest header spool_file_parse() looks at: three values at their
 * maximum plus the fixed lines fit with room to spare. */
#define SPOOL_HEADER_MAX	8192

struct spool_envelope {
	long long		 received_at;	/* unix seconds */
	char			 sender[1000];	/* "" when unknown */
	char			 recipient[1000];
	char			 orig_recipient[1000];
	unsigned long long	 size;		/* bytes of the full input */
	char			 sha256[65];	/* lower-case hex */
	int			 quarantined;	/* body cut at max_size */
};

/* spool_value_set - copies src into dst (SPOOL_VALUE_MAX + 2 bytes, as
 * the envelope fields are) with control characters replaced by '?' and
 * cut at SPOOL_VALUE_MAX bytes; NULL src gives "". */
void	spool_value_set(char *dst, const char *src);

/* spool_file_header - formats the header of env, the empty line
 * included, into buf (values are sanitised again on the way).  Returns
 * its length, or 0 when it does not fit in bufsize (no NUL is added). */
size_t	spool_file_header(const struct spool_envelope *env, char *buf,
	    size_t bufsize);

/* spool_file_parse - reads the header at the start of buf (len bytes, at
 * most SPOOL_HEADER_MAX are looked at) into env and sets *body_offset to
 * where the message starts.  Unknown keys are ignored; the magic line,
 * received-at, size and sha256 are required.  Returns 0, or -1 with a
 * reason in err (err may be NULL). */
int	spool_file_parse(const char *buf, size_t len,
	    struct spool_envelope *env, size_t *body_offset, char *err,
	    size_t errlen);

/* spool_file_body_ok - 1 when body_len bytes of body agree with env
 * (equal to size, or at most size when quarantined), else 0: a spool
 * file cut short by a crash is caught here. */
int	spool_file_body_ok(const struct spool_envelope *env,
	    unsigned long long body_len);

#endif
