/*
 * test_parse_charset.c: parse_to_utf8() on declared, misdeclared and
 * undeclared charsets; output always valid UTF-8 in the arena.
 */
#include "config.h"

#include <string.h>
#include <criterion/criterion.h>

#include "parse/parse.h"

static struct arena *a;

static void
setup(void)
{
	parse_init();
	a = arena_new("test", 4096, 16 * 1024 * 1024);
}

static void
teardown(void)
{
	arena_free(&a);
	parse_shutdown();
}

TestSuite(parse_charset, .init = setup, .fini = teardown, .timeout = 10);

static const char *
conv(const char *cs, const char *in, gsize len)
{
	gsize out_len = 99999;
	char *s = parse_to_utf8(a, cs, (const guint8 *)in, len, &out_len);

	cr_assert_not_null(s);
	cr_assert_eq(out_len, strlen(s));
	cr_assert(g_utf8_validate(s, -1, NULL));
	return s;
}

#define CONV(cs, lit)	conv((cs), (lit), sizeof(lit) - 1)

Test(parse_charset, iso_2022_jp_decodes_to_japanese)
{
	cr_assert_str_eq(CONV("ISO-2022-JP",
	    "\x1b$B%U%#%C%7%s%0\x1b(B site"), "フィッシング site");
}

Test(parse_charset, iso_2022_jp_with_nec_row13_char_decodes)
{
	/* ① is NEC row 13 (0x2D21), not in plain JIS X 0208. */
	cr_assert_str_eq(CONV("iso-2022-jp", "\x1b$B-!\x1b(B"), "①");
}

Test(parse_charset, shift_jis_keeps_tilde_and_5c_trail_byte)
{
	cr_assert_str_eq(CONV("Shift_JIS",
	    "http://5.9.34.17/~user/ \x95\x5c"), "http://5.9.34.17/~user/ 表");
	cr_assert_str_eq(CONV("x-sjis", "~"), "~");
	cr_assert_str_eq(CONV("windows-31j", "\x82\xa0"), "あ");
}

Test(parse_charset, euc_jp_decodes)
{
	cr_assert_str_eq(CONV("EUC-JP", "\xc6\xfc\xcb\xdc"), "日本");
}

Test(parse_charset, unknown_charset_falls_back_to_latin1)
{
	cr_assert_str_eq(CONV("x-no-such-charset", "caf\xe9"), "café");
}

Test(parse_charset, broken_charset_parameter_uses_last_name)
{
	cr_assert_str_eq(CONV("charset=ISO-8859-1; format=flowed",
	    "\xe9t\xe9"), "été");
}

Test(parse_charset, utf8_alias_and_invalid_bytes_become_replacement)
{
	cr_assert_str_eq(CONV("utf8", "Caf\xc3\xa9"), "Café");
	cr_assert_str_eq(CONV("UTF-8", "a\xff" "b"), "a\xef\xbf\xbd" "b");
}

Test(parse_charset, undeclared_charset_guesses_from_bytes)
{
	cr_assert_str_eq(CONV(NULL, "Caf\xc3\xa9"), "Café");
	cr_assert_str_eq(CONV(NULL, "\x1b$B$\"\x1b(B"), "あ");
	cr_assert_str_eq(CONV(NULL, "caf\xe9"), "café");
	cr_assert_str_eq(CONV("us-ascii", "caf\xe9"), "café");
}

Test(parse_charset, cyrillic_windows_1251)
{
	cr_assert_str_eq(CONV("windows-1251", "\xcf\xf0\xe8"), "При");
}

Test(parse_charset, invalid_sequence_in_declared_charset_is_replaced)
{
	/* 0xA0 is not a Shift_JIS lead or single byte in CP932. */
	const char *s = CONV("shift_jis", "a\x82");

	cr_assert_str_eq(s, "a\xef\xbf\xbd");
}

Test(parse_charset, nul_bytes_never_end_the_text)
{
	const char *s = CONV("iso-8859-1", "a\0b");

	cr_assert_str_eq(s, "a b");
}

Test(parse_charset, random_bytes_give_valid_utf8_in_every_charset)
{
	static const char *const sets[] = {
		NULL, "utf-8", "iso-2022-jp", "shift_jis", "euc-jp",
		"windows-1252", "koi8-r", "gb2312", "big5", "utf-16",
		"bogus",
	};
	guint8 buf[512];
	guint i, j;
	GRand *rnd = g_rand_new_with_seed(42);

	for (i = 0; i < 20; i++) {
		for (j = 0; j < sizeof(buf); j++)
			buf[j] = (guint8)g_rand_int_range(rnd, 0, 256);
		for (j = 0; j < G_N_ELEMENTS(sets); j++)
			conv(sets[j], (const char *)buf, sizeof(buf));
	}
	g_rand_free(rnd);
}

Test(parse_charset, empty_input_gives_empty_string)
{
	cr_assert_str_eq(conv("utf-8", "", 0), "");
	cr_assert_str_eq(conv(NULL, NULL, 0), "");
}
