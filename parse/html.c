/*
 * html.c: HTML (already UTF-8) to plain text for the rules.
 *
 * Defines parse_html_to_text().  Tags, comments, <script> and <style> are
 * dropped, character references are decoded, whitespace is collapsed and
 * block tags become line breaks.  The URL of every href and src is kept
 * visible as " <URL> " (after the link text for <a>) because in phishing
 * reports the href, not the text, is the indicator.  One linear pass; an
 * unterminated tag or comment ends the text.  Result in the arena.
 */
#include "config.h"

#include <string.h>

#include "parse/parse_int.h"

static const struct {
	const char	*name;
	gunichar	 c;
} entities[] = {
	{ "amp", '&' }, { "lt", '<' }, { "gt", '>' }, { "quot", '"' },
	{ "apos", '\'' }, { "nbsp", ' ' }, { "copy", 0xa9 }, { "reg", 0xae },
	{ "hellip", 0x2026 }, { "mdash", 0x2014 }, { "ndash", 0x2013 },
	{ "laquo", 0xab }, { "raquo", 0xbb }, { "euro", 0x20ac },
	{ "lsquo", 0x2018 }, { "rsquo", 0x2019 }, { "ldquo", 0x201c },
	{ "rdquo", 0x201d }, { "bull", 0x2022 }, { "middot", 0xb7 },
	{ "shy", 0 }, { "zwnj", 0 }, { "zwj", 0 },
};

static const char *const block_tags[] = {
	"br", "p", "div", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6",
	"table", "hr", "ul", "ol", "blockquote", "pre", "title", "dd", "dt",
};

/* entity - decodes "&...;" at s (len bytes left); returns bytes used or
 * 0 when it is not a reference we know (the '&' is then kept). */
static gsize
entity(const char *s, gsize len, GString *out)
{
	gsize n, i;
	gunichar c = 0;
	char tmp[6];

	for (n = 1; n < len && n < 12 && s[n] != ';'; n++)
		;
	if (n >= len || s[n] != ';' || n < 2)
		return 0;
	if (s[1] == '#') {
		gboolean hex = n > 2 && (s[2] == 'x' || s[2] == 'X');

		for (i = hex ? 3 : 2; i < n; i++) {
			int d = hex ? g_ascii_xdigit_value(s[i]) :
			    g_ascii_digit_value(s[i]);

			if (d < 0)
				return 0;
			c = c * (hex ? 16 : 10) + (gunichar)d;
			if (c > 0x10ffff)
				c = 0x110000;	/* stays invalid */
		}
		if (c == 0 || !g_unichar_validate(c))
			c = 0xfffd;
		g_string_append_len(out, tmp, g_unichar_to_utf8(c, tmp));
		return n + 1;
	}
	for (i = 0; i < G_N_ELEMENTS(entities); i++) {
		if (strlen(entities[i].name) == n - 1 &&
		    strncmp(entities[i].name, s + 1, n - 1) == 0) {
			if (entities[i].c != 0)
				g_string_append_len(out, tmp,
				    g_unichar_to_utf8(entities[i].c, tmp));
			return n + 1;
		}
	}
	return 0;
}

static void
append_decoded(GString *out, const char *s, gsize len)
{
	gsize i = 0, used;

	while (i < len) {
		if (s[i] == '&' && (used = entity(s + i, len - i, out)) > 0)
			i += used;
		else
			g_string_append_c(out, s[i++]);
	}
}

/* attr - value of attribute name in the tag body, entity-decoded, or
 * NULL (g_free it). */
static char *
attr(const char *t, gsize len, const char *name)
{
	gsize nl = strlen(name), i, start, end;
	GString *v;

	for (i = 0; i + nl < len; i++) {
		if (g_ascii_strncasecmp(t + i, name, nl) != 0 ||
		    (i > 0 && !g_ascii_isspace(t[i - 1])))
			continue;
		start = i + nl;
		while (start < len && g_ascii_isspace(t[start]))
			start++;
		if (start >= len || t[start] != '=')
			continue;
		start++;
		while (start < len && g_ascii_isspace(t[start]))
			start++;
		if (start < len && (t[start] == '"' || t[start] == '\'')) {
			char q = t[start++];

			for (end = start; end < len && t[end] != q; end++)
				;
		} else {
			for (end = start; end < len &&
			    !g_ascii_isspace(t[end]) && t[end] != '>'; end++)
				;
		}
		v = g_string_new(NULL);
		append_decoded(v, t + start, end - start);
		g_strstrip(v->str);
		if (v->str[0] == '\0' || v->str[0] == '#') {
			g_string_free(v, TRUE);
			return NULL;
		}
		return g_string_free(v, FALSE);
	}
	return NULL;
}

static gboolean
is_block(const char *name)
{
	guint i;

	for (i = 0; i < G_N_ELEMENTS(block_tags); i++)
		if (g_ascii_strcasecmp(name, block_tags[i]) == 0)
			return TRUE;
	return FALSE;
}

/* skip_until - offset just past the case-insensitive needle, or len. */
static gsize
skip_until(const char *s, gsize len, gsize i, const char *needle)
{
	gsize nl = strlen(needle);

	for (; i + nl <= len; i++)
		if (g_ascii_strncasecmp(s + i, needle, nl) == 0)
			return i + nl;
	return len;
}

static void
space(GString *out)
{
	if (out->len > 0 && out->str[out->len - 1] != ' ' &&
	    out->str[out->len - 1] != '\n')
		g_string_append_c(out, ' ');
}

/* tag - handles the tag body t (between < and >); updates *href. */
static void
tag(GString *out, const char *t, gsize len, char **href)
{
	char name[16], *u;
	gsize n = 0, i = 0;
	gboolean closing = FALSE;

	if (i < len && t[i] == '/') {
		closing = TRUE;
		i++;
	}
	while (i < len && n + 1 < sizeof(name) && g_ascii_isalnum(t[i]))
		name[n++] = t[i++];
	name[n] = '\0';
	if (g_ascii_strcasecmp(name, "a") == 0 && (closing ||
	    (u = attr(t, len, "href")) != NULL)) {
		if (*href != NULL) {
			space(out);
			g_string_append_printf(out, "<%s> ", *href);
			g_clear_pointer(href, g_free);
		}
		if (!closing)
			*href = u;
		return;
	}
	if (!closing && (u = attr(t, len, "src")) != NULL) {
		space(out);
		g_string_append_printf(out, "<%s> ", u);
		g_free(u);
	}
	if (is_block(name)) {
		while (out->len > 0 && out->str[out->len - 1] == ' ')
			g_string_truncate(out, out->len - 1);
		if (out->len > 0 && out->str[out->len - 1] != '\n')
			g_string_append_c(out, '\n');
	} else if (g_ascii_strcasecmp(name, "td") == 0 ||
	    g_ascii_strcasecmp(name, "th") == 0)
		space(out);
}

char *
parse_html_to_text(struct arena *a, const char *in, gsize len,
    gsize *out_len)
{
	GString *out = g_string_sized_new(len / 2 + 16);
	char *href = NULL, *res;
	gsize i = 0, end, used;

	while (i < len) {
		char c = in[i];

		if (c == '<') {
			if (i + 3 < len && strncmp(in + i, "<!--", 4) == 0) {
				i = skip_until(in, len, i + 4, "-->");
				continue;
			}
			if (i + 1 >= len || (!g_ascii_isalpha(in[i + 1]) &&
			    in[i + 1] != '/' && in[i + 1] != '!')) {
				g_string_append_c(out, c);	/* "a < b" */
				i++;
				continue;
			}
			for (end = i + 1; end < len && in[end] != '>'; end++)
				;
			tag(out, in + i + 1, end - i - 1, &href);
			if (g_ascii_strncasecmp(in + i, "<script", 7) == 0)
				end = skip_until(in, len, end, "</script");
			else if (g_ascii_strncasecmp(in + i, "<style", 6) == 0)
				end = skip_until(in, len, end, "</style");
			while (end < len && in[end] != '>')
				end++;
			i = end + 1;
		} else if (c == '&' && (used = entity(in + i, len - i,
		    out)) > 0) {
			i += used;
		} else if (g_ascii_isspace(c)) {
			space(out);
			i++;
		} else {
			g_string_append_c(out, c);
			i++;
		}
	}
	if (href != NULL) {
		space(out);
		g_string_append_printf(out, "<%s> ", href);
		g_free(href);
	}
	while (out->len > 0 && g_ascii_isspace(out->str[out->len - 1]))
		g_string_truncate(out, out->len - 1);
	if (!g_utf8_validate(out->str, out->len, NULL)) {
		char *v = g_utf8_make_valid(out->str, out->len);

		g_string_assign(out, v);
		g_free(v);
	}
	res = arena_strndup(a, out->str, out->len);
	if (out_len != NULL)
		*out_len = res != NULL ? out->len : 0;
	g_string_free(out, TRUE);
	return res;
}
