/*
 * test_spool_file.c: the spool file header (ingest/spool_file.c).
 *
 * Round trips through spool_file_header() and spool_file_parse(), the
 * sanitising of envelope values, and the parser's refusals.
 */
#include "config.h"

#include <string.h>

#include <criterion/criterion.h>
#include <glib.h>

#include "ingest/spool_file.h"

#define SHA_A	"e3b0c44298fc1c149afbf4c8996fb924" \
		"27ae41e4649b934ca495991b7852b855"

TestSuite(spool_file, .timeout = 10);

static void
sample(struct spool_envelope *env)
{
	memset(env, 0, sizeof(*env));
	env->received_at = 1700000000;
	spool_value_set(env->sender, "reporter@example.net");
	spool_value_set(env->recipient, "abuse@example.jp");
	spool_value_set(env->orig_recipient, "Abuse@Example.JP");
	env->size = 5120;
	memcpy(env->sha256, SHA_A, 65);
}

Test(spool_file, header_has_the_documented_layout)
{
	struct spool_envelope env;
	char buf[SPOOL_HEADER_MAX];
	size_t n;

	sample(&env);
	n = spool_file_header(&env, buf, sizeof(buf));
	cr_assert_gt(n, 0);
	cr_expect_eq(n, strlen("ABUSEDESK-SPOOL 1\n"
	    "received-at: 1700000000\n"
	    "sender: reporter@example.net\n"
	    "recipient: abuse@example.jp\n"
	    "original-recipient: Abuse@Example.JP\n"
	    "size: 5120\n"
	    "sha256: " SHA_A "\n"
	    "\n"));
	cr_expect_arr_eq(buf, "ABUSEDESK-SPOOL 1\n"
	    "received-at: 1700000000\n"
	    "sender: reporter@example.net\n"
	    "recipient: abuse@example.jp\n"
	    "original-recipient: Abuse@Example.JP\n"
	    "size: 5120\n"
	    "sha256: " SHA_A "\n"
	    "\n", n);
}

Test(spool_file, header_round_trips_with_the_body_offset)
{
	struct spool_envelope env, back;
	char buf[SPOOL_HEADER_MAX + 16], err[128] = "";
	size_t n, off = 0;

	sample(&env);
	n = spool_file_header(&env, buf, SPOOL_HEADER_MAX);
	cr_assert_gt(n, 0);
	memcpy(buf + n, "Subject: x\n", 11);
	cr_assert_eq(spool_file_parse(buf, n + 11, &back, &off, err,
	    sizeof(err)), 0, "%s", err);
	cr_expect_eq(off, n);
	cr_expect_eq(back.received_at, 1700000000LL);
	cr_expect_str_eq(back.sender, "reporter@example.net");
	cr_expect_str_eq(back.recipient, "abuse@example.jp");
	cr_expect_str_eq(back.orig_recipient, "Abuse@Example.JP");
	cr_expect_eq(back.size, 5120ULL);
	cr_expect_str_eq(back.sha256, SHA_A);
	cr_expect_eq(back.quarantined, 0);
	cr_expect_eq(spool_file_body_ok(&back, 5120), 1);
	cr_expect_eq(spool_file_body_ok(&back, 1024), 0);
}

Test(spool_file, empty_values_omit_their_lines)
{
	struct spool_envelope env, back;
	char buf[SPOOL_HEADER_MAX];
	size_t n, off;

	sample(&env);
	env.sender[0] = env.orig_recipient[0] = '\0';
	n = spool_file_header(&env, buf, sizeof(buf));
	cr_assert_gt(n, 0);
	cr_expect_null(memmem(buf, n, "sender", 6));
	cr_expect_null(memmem(buf, n, "original-recipient", 18));
	cr_assert_eq(spool_file_parse(buf, n, &back, &off, NULL, 0), 0);
	cr_expect_str_eq(back.sender, "");
	cr_expect_str_eq(back.recipient, "abuse@example.jp");
}

Test(spool_file, control_characters_become_question_marks)
{
	struct spool_envelope env, back;
	char buf[SPOOL_HEADER_MAX];
	size_t n, off;

	sample(&env);
	spool_value_set(env.sender, "evil@x\r\nX-Injected: 1\t\x7f\x01");
	cr_expect_str_eq(env.sender, "evil@x??X-Injected: 1???");
	/* values set behind the API's back are cleaned when written */
	strcpy(env.recipient, "a\nquarantine: oversize");
	n = spool_file_header(&env, buf, sizeof(buf));
	cr_assert_gt(n, 0);
	cr_expect_null(memmem(buf, n, "\nX-Injected", 11));
	cr_assert_eq(spool_file_parse(buf, n, &back, &off, NULL, 0), 0);
	cr_expect_str_eq(back.sender, "evil@x??X-Injected: 1???");
	cr_expect_str_eq(back.recipient, "a?quarantine: oversize");
	cr_expect_eq(back.quarantined, 0);
}

Test(spool_file, values_are_cut_at_998_bytes)
{
	char big[2000], dst[1000];

	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	spool_value_set(dst, big);
	cr_expect_eq(strlen(dst), 998);
	spool_value_set(dst, NULL);
	cr_expect_str_eq(dst, "");
}

Test(spool_file, quarantine_flag_round_trips)
{
	struct spool_envelope env, back;
	char buf[SPOOL_HEADER_MAX];
	size_t n, off;

	sample(&env);
	env.quarantined = 1;
	n = spool_file_header(&env, buf, sizeof(buf));
	cr_assert_gt(n, 0);
	cr_expect_not_null(memmem(buf, n, "\nquarantine: oversize\n\n", 23));
	cr_assert_eq(spool_file_parse(buf, n, &back, &off, NULL, 0), 0);
	cr_expect_eq(back.quarantined, 1);
	cr_expect_eq(spool_file_body_ok(&back, 1024), 1);
	cr_expect_eq(spool_file_body_ok(&back, 5121), 0);
}

Test(spool_file, header_that_does_not_fit_gives_zero)
{
	struct spool_envelope env;
	char buf[64];

	sample(&env);
	cr_expect_eq(spool_file_header(&env, buf, sizeof(buf)), 0);
	cr_expect_eq(spool_file_header(&env, buf, 0), 0);
}

Test(spool_file, unknown_keys_are_ignored)
{
	static const char text[] = "ABUSEDESK-SPOOL 1\n"
	    "received-at: 5\nx-future: whatever\nsize: 0\n"
	    "sha256: " SHA_A "\n\n";
	struct spool_envelope env;
	size_t off;

	cr_assert_eq(spool_file_parse(text, sizeof(text) - 1, &env, &off,
	    NULL, 0), 0);
	cr_expect_eq(off, sizeof(text) - 1);
	cr_expect_eq(env.received_at, 5LL);
}

static void
expect_refused(const char *text, size_t len, const char *reason)
{
	struct spool_envelope env;
	char err[256] = "";
	size_t off = 12345;

	cr_assert_eq(spool_file_parse(text, len, &env, &off, err, sizeof(err)),
	    -1);
	cr_expect_str_eq(err, reason);
	cr_expect_eq(off, 12345);
}

Test(spool_file, bad_magic_is_refused)
{
	expect_refused("ABUSEDESK-SPOOL 2\nsize: 1\n\n", 27,
	    "not a spool file (no 'ABUSEDESK-SPOOL 1' line)");
	expect_refused("From x\n", 7,
	    "not a spool file (no 'ABUSEDESK-SPOOL 1' line)");
	expect_refused("", 0, "not a spool file (no 'ABUSEDESK-SPOOL 1' line)");
}

Test(spool_file, missing_blank_line_is_refused)
{
	static const char text[] = "ABUSEDESK-SPOOL 1\nreceived-at: 5\n"
	    "size: 0\n";

	expect_refused(text, sizeof(text) - 1,
	    "header not terminated by an empty line");
}

Test(spool_file, huge_header_is_refused)
{
	GString *t = g_string_new("ABUSEDESK-SPOOL 1\n");

	while (t->len < 3 * SPOOL_HEADER_MAX)
		g_string_append(t, "x-padding: 0123456789\n");
	g_string_append(t, "\nbody\n");
	expect_refused(t->str, t->len, "header longer than 8192 bytes");
	g_string_free(t, TRUE);
}

Test(spool_file, bad_fields_are_refused)
{
	static const char nocolon[] = "ABUSEDESK-SPOOL 1\njunk\n\n";
	static const char badsize[] = "ABUSEDESK-SPOOL 1\nreceived-at: 1\n"
	    "size: -3\n\n";
	static const char badsha[] = "ABUSEDESK-SPOOL 1\nreceived-at: 1\n"
	    "size: 3\nsha256: ABC\n\n";
	static const char nosha[] = "ABUSEDESK-SPOOL 1\nreceived-at: 1\n"
	    "size: 3\n\n";

	expect_refused(nocolon, sizeof(nocolon) - 1, "bad header line 'junk'");
	expect_refused(badsize, sizeof(badsize) - 1,
	    "bad value for 'size': '-3'");
	expect_refused(badsha, sizeof(badsha) - 1,
	    "bad value for 'sha256': 'ABC'");
	expect_refused(nosha, sizeof(nosha) - 1, "header lacks sha256");
}
