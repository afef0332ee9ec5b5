/*
 * limits.h: every bound abusedesk puts on untrusted input, in one place.
 *
 * Each limit says what it bounds and why.  Defaults are overridable in the
 * config's [limits] section within the ceiling given here.
 */
#ifndef ABUSEDESK_LIMITS_H
#define ABUSEDESK_LIMITS_H

/* Raw message size kept by deliver; the rest is counted and hashed but
 * not stored (the message is quarantined).  Abuse reports with evidence
 * rarely pass 10 MB; Postfix's default message_size_limit is 10 MB. */
#define LIMIT_MESSAGE_SIZE		(50u * 1024 * 1024)
/* Seconds deliver may take before it gives up with EX_TEMPFAIL: the MTA
 * retries, which is better than a pipe that hangs its delivery agent. */
#define LIMIT_DELIVER_SECONDS		300
/* MIME nesting (multipart and message/rfc822 levels).  Dovecot uses 100,
 * rspamd 64; real reports nest at most 5-6 levels. */
#define LIMIT_MIME_DEPTH		32
/* MIME parts walked per message (Dovecot: 10000). */
#define LIMIT_MIME_PARTS		2000
/* Header bytes of the top-level message kept for reports. */
#define LIMIT_HEADER_BYTES		(256u * 1024)
/* Decoded text per part handed to the rules (regex work is linear in it). */
#define LIMIT_PART_TEXT			(4u * 1024 * 1024)
/* Decoded text per message handed to the rules. */
#define LIMIT_MESSAGE_TEXT		(16u * 1024 * 1024)
/* Findings per message: a 4000-row CSV feed is normal, 100k is an attack. */
#define LIMIT_FINDINGS			50000
/* Bytes of the per-message arena (report, findings, routes). */
#define LIMIT_ARENA_BYTES		(128u * 1024 * 1024)
/* pcre2 limits per match call (Dovecot regex.c sets the same two). */
#define LIMIT_PCRE2_MATCH		1000000
#define LIMIT_PCRE2_DEPTH		10000
#define LIMIT_PCRE2_HEAP_KIB		(20u * 1024)
/* Rules files: bytes per file, include nesting, rules in a set. */
#define LIMIT_RULES_FILE_BYTES		(4u * 1024 * 1024)
#define LIMIT_RULES_INCLUDE_DEPTH	8
#define LIMIT_RULES_COUNT		20000
/* Ceilings of the per-rule `limit match N` / `limit depth N` clauses: a
 * rule that needs more than 10x the defaults is a rule to rewrite. */
#define LIMIT_PCRE2_MATCH_CEILING	10000000
#define LIMIT_PCRE2_DEPTH_CEILING	100000
/* Compiled size of one regex (PCRE2_INFO_SIZE): the default rules are
 * under 8 KiB each (pcre2 itself stops near 64 KiB); a pattern past
 * this is usually a pasted list that belongs in a list file (warning). */
#define LIMIT_RULES_REGEX_BYTES		(32u * 1024)
/* Decoded text of one part that body rules see: the same as parse's cap
 * today, kept separate so a rules set can be run tighter (rules test). */
#define LIMIT_RULES_PART_TEXT		(4u * 1024 * 1024)
/* Thread CPU time of the whole rules stage for one message: the default
 * set takes about a millisecond per message; 2 s means a rule set gone
 * wrong, and the message goes on with what the rules found so far. */
#define LIMIT_RULES_CPU_US		(2 * G_USEC_PER_SEC)
/* Entries of one allowlist file (`suppress in "file"`). */
#define LIMIT_RULES_LIST_ENTRIES	100000
/* Takedown requests written per message (one per contact). */
#define LIMIT_NOTIFICATIONS		200
/* Findings listed in one takedown mail. */
#define LIMIT_NOTIFY_FINDINGS		500

/* Decompressed bytes per zip member or gzip stream: a live Shadowserver
 * CSV of 200 000 rows is about 60 MB; anything past this is cut (partial
 * result, warning), so a bomb costs bounded memory and time. */
#define LIMIT_UNPACK_MEMBER_BYTES	(64u * 1024 * 1024)
/* Decompressed bytes per message, all attachments together. */
#define LIMIT_UNPACK_TOTAL_BYTES	(128u * 1024 * 1024)
/* Expansion ratio (output / compressed input) allowed once a member has
 * produced LIMIT_UNPACK_RATIO_FREE bytes: CSV and XML compress 10-30:1,
 * a zip bomb 1000:1 and more (zlib's maximum is about 1032:1). */
#define LIMIT_UNPACK_RATIO		100
#define LIMIT_UNPACK_RATIO_FREE		(4u * 1024 * 1024)
/* Members read per zip archive (reports carry one; bombs carry many). */
#define LIMIT_ZIP_MEMBERS		64
/* CSV rows read per message: 200 000 is a large daily feed; each row
 * costs a normalise and a finding. */
#define LIMIT_CSV_ROWS			200000
/* CSV columns per row (Shadowserver's widest report has about 120). */
#define LIMIT_CSV_COLUMNS		512

#endif
