/*
 * defang.c: refanging of indicators written safely by reporters
 * ("hxxps[:]//evil[.]example/") and defanging of URLs we write into
 * outgoing mail.  See parse.h.
 */
#include "config.h"

#include <string.h>

#include "parse/parse.h"

/* A bracketed token and what it stands for.  Longest first where one
 * is a prefix of another. */
struct fang {
	const char	*from;
	const char	*to;
};

static const struct fang fangs[] = {
	{ "[://]", "://" },
	{ "[:]//", "://" },
	{ "[dot]", "." },
	{ "(dot)", "." },
	{ "{dot}", "." },
	{ "[.]", "." },
	{ "(.)", "." },
	{ "{.}", "." },
	{ "[:]", ":" },
	{ "[at]", "@" },
	{ "[@]", "@" },
	{ "[/]", "/" },
};

/* Case-insensitive prefix test within the remaining len bytes. */
static gboolean
has_prefix(const char *s, gsize len, const char *p)
{
	gsize n = strlen(p);

	return len >= n && g_ascii_strncasecmp(s, p, n) == 0;
}

/* "hxxp", "hXXps", "fxp" at a word start, followed by "s"? and a colon
 * or bracket: returns the length of the defanged scheme word consumed and
 * the replacement. */
static gsize
scheme_fang(const char *s, gsize len, gsize i, const char **to)
{
	static const struct fang schemes[] = {
		{ "hxxps", "https" },
		{ "hxxp", "http" },
		{ "hxtps", "https" },
		{ "hxtp", "http" },
		{ "fxp", "ftp" },
	};
	guint k;

	if (i > 0 && (g_ascii_isalnum(s[i - 1]) || s[i - 1] == '_'))
		return 0;
	for (k = 0; k < G_N_ELEMENTS(schemes); k++) {
		gsize n = strlen(schemes[k].from);

		if (!has_prefix(s + i, len - i, schemes[k].from))
			continue;
		if (i + n >= len || (s[i + n] != ':' && s[i + n] != '['))
			continue;
		*to = schemes[k].to;
		return n;
	}
	return 0;
}

char *
parse_refang(struct arena *a, const char *s, gsize len)
{
	GString *out;
	gsize i = 0;
	char *res;

	g_return_val_if_fail(s != NULL, NULL);
	out = g_string_sized_new(len + 1);
	while (i < len) {
		const char *to = NULL;
		gsize n;
		guint k;

		if ((s[i] == 'h' || s[i] == 'H' || s[i] == 'f' ||
		    s[i] == 'F') && (n = scheme_fang(s, len, i, &to)) > 0) {
			g_string_append(out, to);
			i += n;
			continue;
		}
		if (s[i] == '[' || s[i] == '(' || s[i] == '{') {
			for (k = 0; k < G_N_ELEMENTS(fangs); k++) {
				if (has_prefix(s + i, len - i, fangs[k].from))
					break;
			}
			if (k < G_N_ELEMENTS(fangs)) {
				g_string_append(out, fangs[k].to);
				i += strlen(fangs[k].from);
				continue;
			}
		}
		g_string_append_c(out, s[i]);
		i++;
	}
	res = arena_strndup(a, out->str, out->len);
	g_string_free(out, TRUE);
	return res;
}

char *
parse_defang_url(const char *s)
{
	GString *out;
	const char *host, *end, *p;

	g_return_val_if_fail(s != NULL, NULL);
	out = g_string_sized_new(strlen(s) + 16);
	host = s;
	if ((p = strstr(s, "://")) != NULL) {
		gsize slen = p - s;

		if (slen >= 4 && g_ascii_strncasecmp(s, "http", 4) == 0) {
			g_string_append_c(out, s[0]);
			g_string_append(out, s[1] == 'T' ? "XX" : "xx");
			g_string_append_len(out, s + 3, slen - 3);
		} else if (slen == 3 && g_ascii_strncasecmp(s, "ftp", 3) == 0) {
			g_string_append_c(out, s[0]);
			g_string_append_c(out, s[1] == 'T' ? 'X' : 'x');
			g_string_append_c(out, s[2]);
		} else
			g_string_append_len(out, s, slen);
		g_string_append(out, "://");
		host = p + 3;
	}
	/* The authority ends at the first '/', '?' or '#'. */
	end = host + strcspn(host, "/?#");
	for (p = host; p < end; p++) {
		if (*p == '.')
			g_string_append(out, "[.]");
		else
			g_string_append_c(out, *p);
	}
	g_string_append(out, end);
	return g_string_free(out, FALSE);
}
