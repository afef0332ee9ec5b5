/*
 * rules_set.c: the value sets of `finding KIND in SET`, `suppress ...
 * in SET` and `role ROLE for KIND in SET`.
 *
 * A SET is a CIDR or an IP ("192.0.2.0/24", "2001:db8::/32"), a domain
 * suffix ("example.net": the name and every name below it, on a label
 * boundary, so "badexample.net" is not in it), a /regex/ (conditions
 * only) or a "quoted" list file: one CIDR, IP or domain a line, '#'
 * comments, relative to the rules file, read once at load with
 * file:line diagnostics.
 */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "parse/limits.h"
#include "rules/rules_int.h"

void
rules_valueset_free(struct valueset *vs)
{
	if (vs == NULL)
		return;
	g_array_free(vs->nets, TRUE);
	g_ptr_array_free(vs->suffixes, TRUE);
	g_free(vs->label);
	g_free(vs);
}

/* One entry: a CIDR, an IP or a domain; FALSE when it is none. */
static gboolean
add_entry(struct valueset *vs, const char *s)
{
	struct rule_net n;
	char *low;

	if (strchr(s, '/') != NULL || strchr(s, ':') != NULL ||
	    g_ascii_isdigit(s[strlen(s) - 1])) {
		if (!netaddr_parse_cidr(s, &n.net, &n.plen, FALSE))
			return FALSE;
		g_array_append_val(vs->nets, n);
		return TRUE;
	}
	if (s[0] == '.')
		s++;
	low = g_ascii_strdown(s, -1);
	if (strchr(low, '.') == NULL || !rules_valid_word(low, TRUE) ||
	    strstr(low, "..") != NULL || g_str_has_suffix(low, ".")) {
		g_free(low);
		return FALSE;
	}
	g_ptr_array_add(vs->suffixes, low);
	return TRUE;
}

static gboolean
read_list(struct cursor *c, struct valueset *vs, const char *name,
    const char *at)
{
	GError *err = NULL;
	char *dir, *path, *text = NULL, **lines;
	gboolean ok = TRUE;
	guint i;

	dir = g_path_get_dirname(c->file);
	path = g_path_is_absolute(name) ? g_strdup(name) :
	    g_build_filename(dir, name, NULL);
	g_free(dir);
	if (!g_file_get_contents(path, &text, NULL, &err)) {
		rules_diag_add(c->l, RULES_ERROR_IO, c->file, c->lineno,
		    rules_col(c->line, at - c->line), "cannot read list "
		    "'%s': %s", path, err->message);
		g_clear_error(&err);
		g_free(path);
		return FALSE;
	}
	g_checksum_update(c->l->sum, (const guchar *)text, strlen(text));
	lines = g_strsplit(text, "\n", -1);
	for (i = 0; lines[i] != NULL; i++) {
		char *hash = strchr(lines[i], '#');

		if (hash != NULL)
			*hash = '\0';
		g_strstrip(lines[i]);
		if (lines[i][0] == '\0')
			continue;
		if (vs->nets->len + vs->suffixes->len >=
		    LIMIT_RULES_LIST_ENTRIES) {
			rules_diag_add(c->l, RULES_ERROR_LIMIT, path, i + 1, 1,
			    "too many entries (limit %u)",
			    LIMIT_RULES_LIST_ENTRIES);
			ok = FALSE;
			break;
		}
		if (!add_entry(vs, lines[i])) {
			rules_diag_add(c->l, RULES_ERROR_SYNTAX, path, i + 1,
			    1, "bad entry '%s' (expected a CIDR, an IP "
			    "address or a domain)", lines[i]);
			ok = FALSE;
		}
	}
	g_strfreev(lines);
	g_free(text);
	g_free(path);
	return ok;
}

struct valueset *
rules_valueset_read(struct cursor *c, struct rule *ru, gboolean re_ok)
{
	struct valueset *vs = g_new0(struct valueset, 1);
	gboolean unterminated, ok;
	const char *at;
	char *w;

	vs->nets = g_array_new(FALSE, FALSE, sizeof(struct rule_net));
	vs->suffixes = g_ptr_array_new_with_free_func(g_free);
	rules_skip_ws(c);
	at = c->p;
	if (*c->p == '/' && re_ok) {
		vs->re = rules_read_match(c, ru, RULE_TARGET_FINDING, NULL);
		ok = vs->re != NULL;
		if (ok)
			vs->label = g_strdup_printf("/%s/", vs->re->pattern);
	} else if (*c->p == '"') {
		w = rules_read_string(c, &unterminated);
		ok = w != NULL && *w != '\0';
		if (!ok)
			rules_perr(c, at, "%sexpected a \"file\" name", "");
		else
			ok = read_list(c, vs, w, at);
		vs->label = w;
	} else {
		w = rules_read_token(c);
		ok = w != NULL && add_entry(vs, w);
		if (!ok)
			rules_perr(c, at, re_ok ? "bad set '%s' (expected a "
			    "CIDR, an IP, a domain, a \"file\" or a /regex/)" :
			    "bad set '%s' (expected a CIDR, an IP, a domain "
			    "or a \"file\")", w != NULL ? w : "");
		vs->label = w;
	}
	if (!ok) {
		rules_valueset_free(vs);
		return NULL;
	}
	return vs;
}

gboolean
rules_suffix_match(const char *name, const char *suffix)
{
	gsize n = strlen(name), s = strlen(suffix);

	if (n < s || g_ascii_strcasecmp(name + n - s, suffix) != 0)
		return FALSE;
	return n == s || name[n - s - 1] == '.';
}

static gboolean
in_nets(const struct valueset *vs, const struct netaddr *a, guint plen)
{
	guint i;

	for (i = 0; i < vs->nets->len; i++) {
		const struct rule_net *n = &g_array_index(vs->nets,
		    struct rule_net, i);

		if (plen >= n->plen && netaddr_in_prefix(a, &n->net, n->plen))
			return TRUE;
	}
	return FALSE;
}

static gboolean
in_suffixes(const struct valueset *vs, const char *name, gsize len)
{
	char *low = g_ascii_strdown(name, len);
	gboolean hit = FALSE;
	guint i;

	if (len > 0 && low[len - 1] == '.')
		low[len - 1] = '\0';
	for (i = 0; i < vs->suffixes->len && !hit; i++)
		hit = rules_suffix_match(low, g_ptr_array_index(vs->suffixes,
		    i));
	g_free(low);
	return hit;
}

gboolean
rules_valueset_has(const struct valueset *vs, enum finding_kind kind,
    const char *value)
{
	struct netaddr a;
	const char *h;
	gsize len;
	guint plen;

	switch (kind) {
	case FINDING_IPV4:
	case FINDING_IPV6:
	case FINDING_CIDR:
		return netaddr_parse_cidr(value, &a, &plen, TRUE) &&
		    in_nets(vs, &a, plen);
	case FINDING_URL:
		if ((len = report_url_host(value, &h)) == 0)
			return FALSE;
		if (netaddr_parse(h, len, &a))
			return in_nets(vs, &a, 128);
		return in_suffixes(vs, h, len);
	case FINDING_DOMAIN:
		return in_suffixes(vs, value, strlen(value));
	case FINDING_EMAIL:
		if ((h = strrchr(value, '@')) == NULL)
			return FALSE;
		return in_suffixes(vs, h + 1, strlen(h + 1));
	default:
		return FALSE;
	}
}
