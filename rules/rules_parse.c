/*
 * rules_parse.c: the text of a rules file into struct rule.
 *
 * The language is line based.  A line in column 0 starts a block
 * (`rule ID "description"`) or is a directive (`include "file"`); the
 * indented lines after a block header are its clauses, each starting
 * with a keyword (`match`, `extract`, `set`, `ignore`).  New conditions
 * and actions are new keywords, so the syntax grows without breaking old
 * files.  Every problem becomes a diagnostic and parsing goes on, so one
 * run shows them all.
 */
#include "config.h"

#include <string.h>

#include "rules/rules_int.h"

struct cursor {
	struct rules_loader	*l;
	const char		*file;
	const char		*line;
	const char		*p;
	guint			 lineno;
};

/* The block being parsed. */
struct pstate {
	struct rule	*cur;
	gboolean	 bad;		/* header had an error: drop the rule */
	gboolean	 skipping;	/* clauses of a rejected block */
	guint		 errors;	/* loader errors when the block began */
	guint		 nmatch;	/* match clauses written, good or not */
};

static void
perr(struct cursor *c, const char *at, const char *fmt, const char *arg)
{
	rules_diag_add(c->l, RULES_ERROR_SYNTAX, c->file, c->lineno,
	    rules_col(c->line, at - c->line), fmt, arg);
}

static void
skip_ws(struct cursor *c)
{
	while (*c->p == ' ' || *c->p == '\t')
		c->p++;
}

/* A run of non-blank characters other than '"' and '#' (g_free). */
static char *
read_token(struct cursor *c)
{
	const char *s;

	skip_ws(c);
	s = c->p;
	while (*c->p != '\0' && *c->p != ' ' && *c->p != '\t' &&
	    *c->p != '"' && *c->p != '#')
		c->p++;
	return c->p > s ? g_strndup(s, c->p - s) : NULL;
}

/* "text" with \" and \\ escapes (g_free), or NULL. */
static char *
read_string(struct cursor *c, gboolean *unterminated)
{
	GString *s;

	skip_ws(c);
	*unterminated = FALSE;
	if (*c->p != '"')
		return NULL;
	s = g_string_new(NULL);
	for (c->p++; *c->p != '"'; c->p++) {
		if (*c->p == '\0') {
			*unterminated = TRUE;
			g_string_free(s, TRUE);
			return NULL;
		}
		if (*c->p == '\\' && (c->p[1] == '"' || c->p[1] == '\\'))
			c->p++;
		g_string_append_c(s, *c->p);
	}
	c->p++;
	return g_string_free(s, FALSE);
}

static gboolean
end_of_line(struct cursor *c)
{
	skip_ws(c);
	if (*c->p == '\0' || *c->p == '#')
		return TRUE;
	perr(c, c->p, "unexpected text '%s'", c->p);
	return FALSE;
}

static gboolean
valid_word(const char *s, gboolean dots)
{
	if (s == NULL || *s == '\0' || strlen(s) > 128)
		return FALSE;
	for (; *s != '\0'; s++)
		if (!g_ascii_islower(*s) && !g_ascii_isdigit(*s) &&
		    *s != '-' && *s != '_' && (!dots || *s != '.'))
			return FALSE;
	return TRUE;
}

/* /pattern/flags into m; the pattern is kept as written (pcre2 reads
 * "\/" as '/'). */
static gboolean
read_regex(struct cursor *c, const char *id, struct rule_match *m)
{
	const char *s;

	skip_ws(c);
	if (*c->p != '/') {
		perr(c, c->p, "expected a /regex/ in rule '%s'", id);
		return FALSE;
	}
	s = ++c->p;
	while (*c->p != '/') {
		if (*c->p == '\0') {
			perr(c, s - 1, "unterminated regex in rule '%s' "
			    "(missing closing '/')", id);
			return FALSE;
		}
		if (*c->p == '\\' && c->p[1] != '\0')
			c->p++;
		c->p++;
	}
	m->pattern = g_strndup(s, c->p - s);
	m->line = c->lineno;
	m->col = rules_col(c->line, s - c->line);
	for (c->p++; g_ascii_isalpha(*c->p); c->p++) {
		switch (*c->p) {
		case 'i': m->options |= PCRE2_CASELESS; break;
		case 'm': m->options |= PCRE2_MULTILINE; break;
		case 's': m->options |= PCRE2_DOTALL; break;
		case 'x': m->options |= PCRE2_EXTENDED; break;
		case 'u': m->options |= PCRE2_UCP; break;
		default: {
			char f[2] = { *c->p, '\0' };

			perr(c, c->p, "unknown regex flag '%s' "
			    "(expected i, m, s, x, u)", f);
			return FALSE;
		}
		}
	}
	return TRUE;
}

static void
clause_match(struct cursor *c, struct rule *ru)
{
	struct rule_match *m = g_new0(struct rule_match, 1);
	const char *at;
	char *where;

	skip_ws(c);
	at = c->p;
	where = read_token(c);
	if (g_strcmp0(where, "body") == 0)
		m->target = RULE_TARGET_BODY;
	else if (g_strcmp0(where, "header") == 0) {
		m->target = RULE_TARGET_HEADER;
		skip_ws(c);
		at = c->p;
		m->header = read_token(c);
		if (m->header == NULL || m->header[0] == '/') {
			perr(c, at, "expected a header name after 'match "
			    "header' in rule '%s'", ru->id);
			goto fail;
		}
	} else {
		perr(c, at, "expected 'body' or 'header' after 'match', "
		    "got '%s'", where != NULL ? where : "");
		goto fail;
	}
	if (!read_regex(c, ru->id, m) || !end_of_line(c))
		goto fail;
	if (!rules_regex_compile(c->l, c->file, ru->id, m))
		goto fail;
	g_free(where);
	g_ptr_array_add(ru->matches, m);
	return;
fail:
	g_free(where);
	g_free(m->header);
	g_free(m->pattern);
	g_free(m);
}

static void
clause_extract(struct cursor *c, struct rule *ru)
{
	struct rule_extract e = { 0 };
	const char *at;
	char *kind, *as = NULL, *role = NULL;
	int k, r = FINDING_ROLE_OFFENDER;

	skip_ws(c);
	at = c->p;
	kind = read_token(c);
	if ((k = finding_kind_from_name(kind != NULL ? kind : "")) < 0) {
		perr(c, at, "unknown kind '%s' (expected ipv4, ipv6, cidr, "
		    "url, domain, email, asn, cve, hash)",
		    kind != NULL ? kind : "");
		goto out;
	}
	skip_ws(c);
	at = c->p;
	if ((as = read_token(c)) != NULL) {
		if (strcmp(as, "as") != 0) {
			perr(c, at, "expected 'as ROLE' after the kind, got "
			    "'%s'", as);
			goto out;
		}
		skip_ws(c);
		at = c->p;
		role = read_token(c);
		r = finding_role_from_name(role != NULL ? role : "");
		if (r < 0) {
			perr(c, at, "unknown role '%s' (expected offender, "
			    "victim, reporter, context)",
			    role != NULL ? role : "");
			goto out;
		}
	}
	if (!end_of_line(c))
		goto out;
	e.kind = k;
	e.role = r;
	e.line = c->lineno;
	e.col = rules_col(c->line, strstr(c->line, "extract") - c->line);
	g_array_append_val(ru->extracts, e);
out:
	g_free(kind);
	g_free(as);
	g_free(role);
}

static void
clause_set(struct cursor *c, struct rule *ru)
{
	const char *at;
	char *what, *val = NULL;

	skip_ws(c);
	at = c->p;
	what = read_token(c);
	if (g_strcmp0(what, "category") != 0) {
		perr(c, at, "unknown setting '%s' (expected 'category')",
		    what != NULL ? what : "");
		goto out;
	}
	skip_ws(c);
	at = c->p;
	val = read_token(c);
	if (!valid_word(val, FALSE)) {
		perr(c, at, "bad category '%s' (use a-z, 0-9, '-', '_')",
		    val != NULL ? val : "");
		goto out;
	}
	if (!end_of_line(c))
		goto out;
	g_free(ru->category);
	ru->category = g_steal_pointer(&val);
out:
	g_free(what);
	g_free(val);
}

static void
clause(struct cursor *c, struct pstate *ps)
{
	const char *at = c->p;
	char *kw = read_token(c);
	struct rule *ru = ps->cur;

	if (ru == NULL) {
		if (!ps->skipping)
			perr(c, at, "'%s' outside a rule (clauses are "
			    "indented under 'rule ID \"description\"')",
			    kw != NULL ? kw : "");
		ps->skipping = TRUE;
	} else if (g_strcmp0(kw, "match") == 0) {
		ps->nmatch++;
		clause_match(c, ru);
	}
	else if (g_strcmp0(kw, "extract") == 0)
		clause_extract(c, ru);
	else if (g_strcmp0(kw, "set") == 0)
		clause_set(c, ru);
	else if (g_strcmp0(kw, "ignore") == 0) {
		if (end_of_line(c))
			ru->ignore = TRUE;
	} else
		perr(c, at, "unknown clause '%s' (expected match, extract, "
		    "set, ignore)", kw != NULL ? kw : "");
	g_free(kw);
}

/* The block is complete: check what needs all its clauses, keep it. */
static void
finish(struct cursor *c, struct pstate *ps)
{
	struct rule *ru = ps->cur;
	guint i, j;

	ps->cur = NULL;
	if (ru == NULL)
		return;
	if (ps->nmatch == 0 && !ps->bad)
		rules_diag_add(c->l, RULES_ERROR_SYNTAX, c->file, ru->line, 1,
		    "rule '%s' has no match clause", ru->id);
	for (i = 0; i < ru->extracts->len; i++) {
		struct rule_extract *e = &g_array_index(ru->extracts,
		    struct rule_extract, i);
		const char *kn = finding_kind_name(e->kind);

		for (j = 0; j < ru->matches->len; j++) {
			struct rule_match *m = g_ptr_array_index(ru->matches,
			    j);

			if (rules_regex_has_group(m->code, kn)) {
				e->group = g_strdup(kn);
				break;
			}
			if (rules_regex_has_group(m->code, "value")) {
				e->group = g_strdup("value");
				break;
			}
		}
		e->match = j;
		/* A regex that did not compile may have had the group. */
		if (e->group == NULL && ru->matches->len == ps->nmatch &&
		    ps->nmatch > 0)
			rules_diag_add(c->l, RULES_ERROR_SYNTAX, c->file,
			    e->line, e->col, "extract %s: no regex of rule "
			    "'%s' has a group named '%s' or 'value'", kn,
			    ru->id, kn);
	}
	if (ps->bad || c->l->errors > ps->errors)
		rule_free(ru);
	else
		rules_add_rule(c->l, ru);
}

static void
block_rule(struct cursor *c, struct pstate *ps)
{
	struct rule *ru = g_new0(struct rule, 1);
	gboolean unterminated;
	const char *at;

	ru->matches = g_ptr_array_new();
	ru->extracts = g_array_new(FALSE, TRUE, sizeof(struct rule_extract));
	ru->file = g_strdup(c->file);
	ru->line = c->lineno;
	ps->cur = ru;
	ps->bad = FALSE;
	ps->errors = c->l->errors;
	ps->nmatch = 0;
	skip_ws(c);
	at = c->p;
	ru->id = read_token(c);
	if (ru->id == NULL) {
		perr(c, at, "%srule without an id", "");
		ru->id = g_strdup("?");
		ps->bad = TRUE;
		return;
	}
	if (!valid_word(ru->id, TRUE)) {
		perr(c, at, "bad rule id '%s' (use a-z, 0-9, '.', '_', '-')",
		    ru->id);
		ps->bad = TRUE;
	}
	skip_ws(c);
	at = c->p;
	ru->description = read_string(c, &unterminated);
	if (unterminated) {
		perr(c, at, "unterminated description of rule '%s'", ru->id);
		ps->bad = TRUE;
	} else if (ru->description == NULL || ru->description[0] == '\0') {
		perr(c, at, "rule '%s' has no description (write "
		    "rule ID \"what it finds\")", ru->id);
		ps->bad = TRUE;
	} else if (!end_of_line(c))
		ps->bad = TRUE;
}

static void
block_include(struct cursor *c)
{
	gboolean unterminated;
	const char *at;
	char *name;

	skip_ws(c);
	at = c->p;
	name = read_string(c, &unterminated);
	if (name == NULL || *name == '\0')
		perr(c, at, "%sexpected include \"file\"", "");
	else if (end_of_line(c))
		rules_load_include(c->l, c->file, c->lineno,
		    rules_col(c->line, at - c->line), name);
	g_free(name);
}

static void
line(struct cursor *c, struct pstate *ps)
{
	const char *at;
	char *kw;

	if (*c->p == ' ' || *c->p == '\t') {
		skip_ws(c);
		if (*c->p != '\0' && *c->p != '#')
			clause(c, ps);
		return;
	}
	if (*c->p == '\0' || *c->p == '#')
		return;
	finish(c, ps);
	ps->skipping = FALSE;
	at = c->p;
	kw = read_token(c);
	if (g_strcmp0(kw, "rule") == 0)
		block_rule(c, ps);
	else if (g_strcmp0(kw, "include") == 0)
		block_include(c);
	else {
		perr(c, at, "unknown keyword '%s' (expected 'rule' or "
		    "'include')", kw != NULL ? kw : c->p);
		ps->skipping = TRUE;
	}
	g_free(kw);
}

void
rules_parse_text(struct rules_loader *l, const char *file, const char *text,
    gsize len)
{
	struct cursor c = { .l = l, .file = file };
	struct pstate ps = { 0 };
	const char *p = text, *end = text + len, *nl;
	char *buf;

	while (p < end) {
		nl = memchr(p, '\n', end - p);
		if (nl == NULL)
			nl = end;
		buf = g_strndup(p, nl - p);	/* stops at a NUL byte */
		g_strchomp(buf);		/* "\r", trailing blanks */
		c.lineno++;
		c.line = c.p = buf;
		line(&c, &ps);
		c.p = c.line = "";
		g_free(buf);
		p = nl + 1;
	}
	finish(&c, &ps);
}
