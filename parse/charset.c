/*
 * charset.c: any declared (or undeclared) charset to UTF-8.
 *
 * Defines parse_to_utf8() and parse_charset_name().  Conversion never
 * fails: a broken charset parameter is cleaned up, an unknown charset falls
 * back to UTF-8 when the bytes are valid UTF-8 and to latin-1 otherwise,
 * and bytes a decoder rejects become U+FFFD.  Japanese charsets go to the
 * vendor supersets glibc iconv has (CP932 for Shift_JIS so 0x7E stays '~',
 * ISO-2022-JP-3 for ISO-2022-JP, EUC-JP-MS for EUC-JP).  The result is
 * allocated in the caller's arena; NULL only when the arena is exhausted.
 */
#include "config.h"

#include <errno.h>
#include <string.h>

#include <gmime/gmime.h>

#include "parse/parse_int.h"

#define REPLACEMENT	"\xef\xbf\xbd"

/* Declared names (lower case) mapped to what glibc iconv decodes best. */
static const struct {
	const char	*name;
	const char	*iconv;
} aliases[] = {
	{ "utf8", "UTF-8" },
	{ "utf-8", "UTF-8" },
	{ "unicode-1-1-utf-8", "UTF-8" },
	{ "shift_jis", "CP932" },
	{ "shift-jis", "CP932" },
	{ "sjis", "CP932" },
	{ "x-sjis", "CP932" },
	{ "ms_kanji", "CP932" },
	{ "csshiftjis", "CP932" },
	{ "windows-31j", "CP932" },
	{ "cp932", "CP932" },
	{ "iso-2022-jp", "ISO-2022-JP" },
	{ "csiso2022jp", "ISO-2022-JP" },
	{ "iso-2022-jp-1", "ISO-2022-JP" },
	{ "iso-2022-jp-2", "ISO-2022-JP" },
	{ "iso-2022-jp-3", "ISO-2022-JP" },
	{ "euc-jp", "EUC-JP" },
	{ "x-euc-jp", "EUC-JP" },
	{ "eucjp", "EUC-JP" },
	{ "cseucpkdfmtjapanese", "EUC-JP" },
	/* Labels that say nothing: decide from the bytes. */
	{ "us-ascii", NULL },
	{ "ascii", NULL },
	{ "ansi_x3.4-1968", NULL },
	{ "binary", NULL },
	{ "8bit", NULL },
	{ "7bit", NULL },
	{ "unknown", NULL },
	{ "unknown-8bit", NULL },
	{ "x-unknown", NULL },
	{ "default", NULL },
};

/* Decoders tried in order for a family; the first that takes all bytes
 * wins, the first of the list decodes lossily when none does. */
static const char *const jis_chain[] = {
	"ISO-2022-JP-3", "ISO-2022-JP-2", "ISO-2022-JP", NULL
};
static const char *const euc_chain[] = { "EUC-JP-MS", "EUC-JP", NULL };

/*
 * convert - bytes in charset from to UTF-8 in a GString.  Strict mode
 * returns NULL at the first sequence the decoder rejects; lossy mode puts
 * U+FFFD for it and skips one byte.  NULL when iconv lacks the charset.
 */
static GString *
convert(const char *from, const guint8 *in, gsize len, gboolean lossy)
{
	GIConv cd;
	GString *out;
	gchar *ip = (gchar *)in, *op;
	gsize il = len, ol;
	char buf[4096];

	if ((cd = g_iconv_open("UTF-8", from)) == (GIConv)-1)
		return NULL;
	out = g_string_sized_new(len + 16);
	for (;;) {
		gsize rc;

		op = buf;
		ol = sizeof(buf);
		rc = g_iconv(cd, il > 0 ? &ip : NULL, &il, &op, &ol);
		g_string_append_len(out, buf, op - buf);
		if (rc != (gsize)-1) {
			if (il == 0)
				break;
			continue;
		}
		if (errno == E2BIG)
			continue;
		if (!lossy || il == 0) {
			if (lossy)
				break;
			g_string_free(out, TRUE);
			out = NULL;
			break;
		}
		/* EILSEQ or a sequence cut at the end: replace one byte. */
		g_string_append(out, REPLACEMENT);
		ip++;
		il--;
		g_iconv(cd, NULL, NULL, NULL, NULL);
	}
	g_iconv_close(cd);
	return out;
}

/*
 * jis_to_euc - ISO-2022-JP as EUC-JP bytes, so that EUC-JP-MS decodes the
 * vendor rows (NEC row 13, IBM extensions) that mail from Windows puts in
 * ISO-2022-JP (what CP50220 accepts) and glibc's ISO-2022-JP decoders
 * reject.  NULL on an escape sequence this does not know.
 */
static GByteArray *
jis_to_euc(const guint8 *in, gsize len)
{
	enum { ASCII, KANJI, KANA, SUPP } mode = ASCII;
	GByteArray *out = g_byte_array_sized_new(len);
	gsize i;
	guint8 b[3];

	for (i = 0; i < len; i++) {
		if (in[i] == 0x1b) {
			const guint8 *e = in + i + 1;
			gsize left = len - i - 1;

			if (left >= 2 && e[0] == '(' &&
			    (e[1] == 'B' || e[1] == 'J'))
				mode = ASCII;
			else if (left >= 2 && e[0] == '(' && e[1] == 'I')
				mode = KANA;
			else if (left >= 2 && e[0] == '$' &&
			    (e[1] == 'B' || e[1] == '@'))
				mode = KANJI;
			else if (left >= 3 && e[0] == '$' && e[1] == '(' &&
			    e[2] == 'D') {
				mode = SUPP;
				i++;
			} else {
				g_byte_array_unref(out);
				return NULL;
			}
			i += 2;
			continue;
		}
		if (in[i] < 0x21 || in[i] > 0x7e || mode == ASCII) {
			g_byte_array_append(out, in + i, 1);
			continue;
		}
		if (mode == KANA) {
			b[0] = 0x8e;
			b[1] = in[i] | 0x80;
			g_byte_array_append(out, b, 2);
			continue;
		}
		if (i + 1 >= len || in[i + 1] < 0x21 || in[i + 1] > 0x7e) {
			/* a lone byte: the decoder replaces it */
			g_byte_array_append(out, in + i, 1);
			continue;
		}
		if (mode == SUPP) {
			b[0] = 0x8f;
			b[1] = in[i] | 0x80;
			b[2] = in[i + 1] | 0x80;
			g_byte_array_append(out, b, 3);
		} else {
			b[0] = in[i] | 0x80;
			b[1] = in[i + 1] | 0x80;
			g_byte_array_append(out, b, 2);
		}
		i++;
	}
	return out;
}

static GString *
convert_chain(const char *const *chain, const guint8 *in, gsize len)
{
	GString *s;
	guint i;

	for (i = 0; chain[i] != NULL; i++)
		if ((s = convert(chain[i], in, len, FALSE)) != NULL)
			return s;
	for (i = 0; chain[i] != NULL; i++)
		if ((s = convert(chain[i], in, len, TRUE)) != NULL)
			return s;
	return NULL;
}

const char *
parse_charset_name(const char *declared, char *buf, gsize size)
{
	char low[256];
	const char *p, *q, *name;
	gsize n;
	guint i;

	if (declared == NULL)
		return NULL;
	for (n = 0; declared[n] != '\0' && n + 1 < sizeof(low); n++)
		low[n] = g_ascii_tolower(declared[n]);
	low[n] = '\0';
	/* `charset="charset=ISO-8859-1; format=flowed"`: the last name. */
	p = low;
	while ((q = strstr(p, "charset=")) != NULL)
		p = q + 8;
	while (*p == ' ' || *p == '\t' || *p == '"' || *p == '\'')
		p++;
	n = strcspn(p, " \t\"';,");
	if (n == 0 || n >= size)
		return NULL;
	memcpy(buf, p, n);
	buf[n] = '\0';
	for (i = 0; i < G_N_ELEMENTS(aliases); i++)
		if (strcmp(aliases[i].name, buf) == 0)
			return aliases[i].iconv;
	name = g_mime_charset_iconv_name(buf);
	return name != NULL ? name : buf;
}

static gboolean
has_jis_escape(const guint8 *in, gsize len)
{
	gsize i;

	for (i = 0; i + 2 < len; i++)
		if (in[i] == 0x1b && in[i + 1] == '$' &&
		    (in[i + 2] == 'B' || in[i + 2] == '@'))
			return TRUE;
	return FALSE;
}

/* decode_jis - ISO-2022-JP: via EUC-JP-MS, then glibc's own decoders,
 * then EUC-JP-MS again with bad bytes replaced. */
static GString *
decode_jis(const guint8 *in, gsize len)
{
	GByteArray *euc = jis_to_euc(in, len);
	GString *s = NULL;
	guint i;

	if (euc != NULL)
		s = convert(euc_chain[0], euc->data, euc->len, FALSE);
	for (i = 0; s == NULL && jis_chain[i] != NULL; i++)
		s = convert(jis_chain[i], in, len, FALSE);
	if (s == NULL && euc != NULL)
		s = convert(euc_chain[0], euc->data, euc->len, TRUE);
	if (euc != NULL)
		g_byte_array_unref(euc);
	return s != NULL ? s : convert_chain(jis_chain, in, len);
}

/* decode - the conversion proper; always returns a GString. */
static GString *
decode(const char *charset, const guint8 *in, gsize len)
{
	char buf[64];
	const char *name = parse_charset_name(charset, buf, sizeof(buf));
	GString *s = NULL;

	if (name == NULL) {
		if (has_jis_escape(in, len))
			s = decode_jis(in, len);
		else if (g_utf8_validate((const char *)in, len, NULL))
			return g_string_new_len((const char *)in, len);
		return s != NULL ? s : convert("ISO-8859-1", in, len, TRUE);
	}
	if (g_ascii_strcasecmp(name, "UTF-8") == 0) {
		char *v = g_utf8_make_valid((const char *)in, len);

		s = g_string_new(v);
		g_free(v);
		return s;
	}
	if (strcmp(name, "ISO-2022-JP") == 0)
		s = decode_jis(in, len);
	else if (strcmp(name, "EUC-JP") == 0)
		s = convert_chain(euc_chain, in, len);
	else if ((s = convert(name, in, len, FALSE)) == NULL) {
		/* Mislabelled UTF-8 is more common than broken bytes. */
		if (g_utf8_validate((const char *)in, len, NULL))
			return g_string_new_len((const char *)in, len);
		s = convert(name, in, len, TRUE);
	}
	return s != NULL ? s : convert("ISO-8859-1", in, len, TRUE);
}

char *
parse_to_utf8(struct arena *a, const char *charset, const guint8 *in,
    gsize len, gsize *out_len)
{
	GString *s;
	char *res;
	gsize i;

	if (out_len != NULL)
		*out_len = 0;
	if (in == NULL)
		len = 0;
	s = len > 0 ? decode(charset, in, len) : g_string_new("");
	if (s == NULL)		/* latin-1 never fails; belt and braces */
		s = g_string_new("");
	/* A NUL would end the text for every C-string consumer. */
	for (i = 0; i < s->len; i++)
		if (s->str[i] == '\0')
			s->str[i] = ' ';
	if (!g_utf8_validate(s->str, s->len, NULL)) {
		char *v = g_utf8_make_valid(s->str, s->len);

		g_string_assign(s, v);
		g_free(v);
	}
	res = arena_strndup(a, s->str, s->len);
	if (res != NULL && out_len != NULL)
		*out_len = s->len;
	g_string_free(s, TRUE);
	return res;
}
