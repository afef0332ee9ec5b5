/*
 * rules_parse.c: the text of a rules file into struct rule.
 *
 * The language is line based.  A line in column 0 starts a block
 * (`rule ID "description"`) or is a directive (`include "file"`); the
 * indented lines after a block header are its clauses, each starting
 * with a keyword: conditions (`match`, and those of rules_clause.c),
 * optionally after `not`, grouped by `any {` / `all {` ... `}` lines,
 * and actions (`extract`, `ignore`, `set`, ...).  New conditions and
 * actions are new keywords, so the syntax grows without breaking old
 * files.  Every problem becomes a diagnostic and parsing goes on, so one
 * run shows them all.  This file has the lexer shared with
 * rules_clause.c and rules_set.c.
 */
#include "config.h"

#include <string.h>

#include "rules/rules_int.h"

/* The block being parsed. */
struct pstate {
	struct rule	*cur;
	gboolean	 bad;		/* header had an error: drop the rule */
	gboolean	 skipping;	/* clauses of a rejected block */
	guint		 errors;	/* loader errors when the block began */
	guint		 nmatch;	/* match clauses written, good or not */
	guint		 nconds;	/* conditions written, good or not */
	struct rule_cond *group;	/* the open `any {` / `all {` */
};

void
rules_perr(struct cursor *c, const char *at, const char *fmt, const char *arg)
{
	rules_diag_add(c->l, RULES_ERROR_SYNTAX, c->file, c->lineno,
	    rules_col(c->line, at - c->line), fmt, arg);
}

void
rules_skip_ws(struct cursor *c)
{
	while (*c->p == ' ' || *c->p == '\t')
		c->p++;
}

/* A run of non-blank characters other than '"' and '#' (g_free). */
char *
rules_read_token(struct cursor *c)
{
	const char *s;

	rules_skip_ws(c);
	s = c->p;
	while (*c->p != '\0' && *c->p != ' ' && *c->p != '\t' &&
	    *c->p != '"' && *c->p != '#')
		c->p++;
	return c->p > s ? g_strndup(s, c->p - s) : NULL;
}

/* "text" with \" and \\ escapes (g_free), or NULL. */
char *
rules_read_string(struct cursor *c, gboolean *unterminated)
{
	GString *s;

	rules_skip_ws(c);
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

gboolean
rules_end_of_line(struct cursor *c)
{
	rules_skip_ws(c);
	if (*c->p == '\0' || *c->p == '#')
		return TRUE;
	rules_perr(c, c->p, "unexpected text '%s'", c->p);
	return FALSE;
}

gboolean
rules_valid_word(const char *s, gboolean dots)
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

	rules_skip_ws(c);
	if (*c->p != '/') {
		rules_perr(c, c->p, "expected a /regex/ in rule '%s'", id);
		return FALSE;
	}
	s = ++c->p;
	while (*c->p != '/') {
		if (*c->p == '\0') {
			rules_perr(c, s - 1, "unterminated regex in rule '%s' "
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

			rules_perr(c, c->p, "unknown regex flag '%s' "
			    "(expected i, m, s, x, u)", f);
			return FALSE;
		}
		}
	}
	return TRUE;
}

struct rule_match *
rules_read_match(struct cursor *c, struct rule *ru, enum rule_target target,
    char *name)
{
	struct rule_match *m = g_new0(struct rule_match, 1);

	m->target = target;
	m->header = name;
	if (!read_regex(c, ru->id, m) || !rules_end_of_line(c) ||
	    !rules_regex_compile(c->l, c->file, ru->id, m)) {
		g_free(m->header);
		g_free(m->pattern);
		g_free(m);
		return NULL;
	}
	g_ptr_array_add(ru->matches, m);
	return m;
}

/* match body|header NAME|part type|part filename /re/flags */
static struct rule_match *
clause_match(struct cursor *c, struct rule *ru)
{
	enum rule_target target = RULE_TARGET_BODY;
	const char *at;
	char *where, *name = NULL;

	rules_skip_ws(c);
	at = c->p;
	where = rules_read_token(c);
	if (g_strcmp0(where, "body") == 0)
		target = RULE_TARGET_BODY;
	else if (g_strcmp0(where, "header") == 0) {
		target = RULE_TARGET_HEADER;
		rules_skip_ws(c);
		at = c->p;
		name = rules_read_token(c);
		if (name == NULL || name[0] == '/') {
			rules_perr(c, at, "expected a header name after "
			    "'match header' in rule '%s'", ru->id);
			goto fail;
		}
	} else if (g_strcmp0(where, "part") == 0) {
		rules_skip_ws(c);
		at = c->p;
		name = rules_read_token(c);
		if (g_strcmp0(name, "type") == 0)
			target = RULE_TARGET_PART_TYPE;
		else if (g_strcmp0(name, "filename") == 0)
			target = RULE_TARGET_PART_FILENAME;
		else {
			rules_perr(c, at, "expected 'type' or 'filename' "
			    "after 'match part', got '%s'",
			    name != NULL ? name : "");
			goto fail;
		}
		g_clear_pointer(&name, g_free);
	} else {
		rules_perr(c, at, "expected 'body', 'header' or 'part' after "
		    "'match', got '%s'", where != NULL ? where : "");
		goto fail;
	}
	g_free(where);
	return rules_read_match(c, ru, target, name);
fail:
	g_free(where);
	g_free(name);
	return NULL;
}

static void
clause_extract(struct cursor *c, struct rule *ru)
{
	struct rule_extract e = { 0 };
	const char *at;
	char *kind, *as = NULL, *role = NULL;
	int k, r = FINDING_ROLE_OFFENDER;

	rules_skip_ws(c);
	at = c->p;
	kind = rules_read_token(c);
	if ((k = finding_kind_from_name(kind != NULL ? kind : "")) < 0) {
		rules_perr(c, at, "unknown kind '%s' (expected ipv4, ipv6, "
		    "cidr, "
		    "url, domain, email, asn, cve, hash)",
		    kind != NULL ? kind : "");
		goto out;
	}
	rules_skip_ws(c);
	at = c->p;
	if ((as = rules_read_token(c)) != NULL) {
		if (strcmp(as, "as") != 0) {
			rules_perr(c, at, "expected 'as ROLE' after the kind, "
			    "got "
			    "'%s'", as);
			goto out;
		}
		rules_skip_ws(c);
		at = c->p;
		role = rules_read_token(c);
		r = finding_role_from_name(role != NULL ? role : "");
		if (r < 0) {
			rules_perr(c, at, "unknown role '%s' (expected "
			    "offender, "
			    "victim, reporter, context)",
			    role != NULL ? role : "");
			goto out;
		}
	}
	if (!rules_end_of_line(c))
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
add_cond(struct pstate *ps, struct rule_cond *cd)
{
	cd->up = ps->group;
	g_ptr_array_add(ps->group->children, cd);
}

/* `any {` / `all {`: opens a group under the current one. */
static void
open_group(struct cursor *c, struct pstate *ps, const char *kw,
    gboolean negate, const char *at)
{
	struct rule_cond *g;
	char *brace;

	rules_skip_ws(c);
	brace = rules_read_token(c);
	if (g_strcmp0(brace, "{") != 0) {
		rules_perr(c, at, "expected '{' after '%s'", kw);
		g_free(brace);
		return;
	}
	g_free(brace);
	if (!rules_end_of_line(c))
		return;
	g = g_new0(struct rule_cond, 1);
	g->kind = strcmp(kw, "any") == 0 ? COND_ANY : COND_ALL;
	g->negate = negate;
	g->children = g_ptr_array_new_with_free_func(
	    (GDestroyNotify)rules_cond_free);
	g->line = c->lineno;
	g->col = rules_col(c->line, at - c->line);
	add_cond(ps, g);
	ps->group = g;
}

static void
clause(struct cursor *c, struct pstate *ps)
{
	const char *at = c->p;
	char *kw = rules_read_token(c);
	struct rule *ru = ps->cur;
	struct rule_match *m;
	gboolean negate = FALSE;

	if (ru == NULL) {
		if (!ps->skipping)
			rules_perr(c, at, "'%s' outside a rule (clauses are "
			    "indented under 'rule ID \"description\"')",
			    kw != NULL ? kw : "");
		ps->skipping = TRUE;
		goto out;
	}
	if (g_strcmp0(kw, "}") == 0) {
		if (ps->group == ru->cond)
			rules_perr(c, at, "%s'}' without an open 'any {' or "
			    "'all {'", "");
		else if (rules_end_of_line(c))
			ps->group = ps->group->up;
		goto out;
	}
	if (g_strcmp0(kw, "not") == 0) {
		negate = TRUE;
		g_free(kw);
		rules_skip_ws(c);
		at = c->p;
		kw = rules_read_token(c);
	}
	if (g_strcmp0(kw, "any") == 0 || g_strcmp0(kw, "all") == 0) {
		ps->nconds++;
		open_group(c, ps, kw, negate, at);
	} else if (g_strcmp0(kw, "match") == 0) {
		ps->nmatch++;
		ps->nconds++;
		if ((m = clause_match(c, ru)) != NULL) {
			struct rule_cond *cd = g_new0(struct rule_cond, 1);

			cd->kind = COND_MATCH;
			cd->m = m;
			cd->negate = negate;
			cd->line = m->line;
			cd->col = rules_col(c->line, at - c->line);
			add_cond(ps, cd);
		}
	} else if (kw != NULL && rules_clause_cond(c, ru, ps->group, kw,
	    negate, at))
		ps->nconds++;
	else if (negate)
		rules_perr(c, at, "'not' goes before a condition, not '%s'",
		    kw != NULL ? kw : "");
	else if (ps->group != ru->cond && kw != NULL)
		rules_perr(c, at, "action '%s' inside 'any {' or 'all {' "
		    "(actions go after the conditions, outside blocks)", kw);
	else if (g_strcmp0(kw, "extract") == 0)
		clause_extract(c, ru);
	else if (g_strcmp0(kw, "ignore") == 0) {
		if (rules_end_of_line(c))
			ru->ignore = TRUE;
	} else if (kw == NULL || !rules_clause_action(c, ru, kw, at))
		rules_perr(c, at, "unknown clause '%s' (expected match, "
		    "format, field, reporter, authenticated, finding, always, "
		    "not, any, all, extract, set, tag, suppress, role, route, "
		    "trust, limit, ignore)", kw != NULL ? kw : "");
out:
	g_free(kw);
}

/* Marks the conditions that look at a part; numbers the leaves. */
static gboolean
cond_index(struct rule *ru, struct rule_cond *cd)
{
	guint i;

	if (cd->kind == COND_ALL || cd->kind == COND_ANY) {
		for (i = 0; i < cd->children->len; i++)
			if (cond_index(ru, g_ptr_array_index(cd->children,
			    i)))
				cd->per_part = TRUE;
		return cd->per_part;
	}
	cd->leaf = ru->nleaves++;
	cd->per_part = cd->kind == COND_MATCH &&
	    (cd->m->target == RULE_TARGET_BODY ||
	    cd->m->target == RULE_TARGET_PART_TYPE ||
	    cd->m->target == RULE_TARGET_PART_FILENAME);
	if (cd->kind == COND_MATCH && cd->negate)
		cd->m->negated = TRUE;
	return cd->per_part;
}

/* The block is complete: check what needs all its clauses, keep it. */
static void
finish(struct cursor *c, struct pstate *ps)
{
	struct rule *ru = ps->cur;
	struct rule_cond *g;
	guint i, j;

	ps->cur = NULL;
	if (ru == NULL)
		return;
	for (g = ps->group; g != NULL && g != ru->cond; g = g->up)
		rules_diag_add(c->l, RULES_ERROR_SYNTAX, c->file, g->line,
		    g->col, "'%s {' of rule '%s' is not closed with '}'",
		    g->kind == COND_ANY ? "any" : "all", ru->id);
	ps->group = NULL;
	if (ps->nconds == 0 && !ps->bad)
		rules_diag_add(c->l, RULES_ERROR_SYNTAX, c->file, ru->line, 1,
		    "rule '%s' has no condition (match, format, field, "
		    "reporter, authenticated, finding or always)", ru->id);
	if (ru->trust && !rules_cond_has_auth(ru->cond))
		rules_diag_add(c->l, RULES_ERROR_SYNTAX, c->file, ru->line, 1,
		    "rule '%s': 'trust reporter' needs an 'authenticated' "
		    "condition (not under 'not' or 'any')", ru->id);
	ru->per_part = cond_index(ru, ru->cond);
	for (i = 0; i < ru->extracts->len; i++) {
		struct rule_extract *e = &g_array_index(ru->extracts,
		    struct rule_extract, i);
		const char *kn = finding_kind_name(e->kind);

		for (j = 0; j < ru->matches->len; j++) {
			struct rule_match *m = g_ptr_array_index(ru->matches,
			    j);

			if (m->negated || m->target == RULE_TARGET_FINDING)
				continue;
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
		if (e->group == NULL && c->l->errors == ps->errors)
			rules_diag_add(c->l, RULES_ERROR_SYNTAX, c->file,
			    e->line, e->col, "extract %s: no regex of rule "
			    "'%s' has a group named '%s' or 'value'", kn,
			    ru->id, kn);
	}
	if (ps->bad || c->l->errors > ps->errors)
		rule_free(ru);
	else {
		rules_check_rule(c->l, ru);
		rules_add_rule(c->l, ru);
	}
}

static void
block_rule(struct cursor *c, struct pstate *ps)
{
	struct rule *ru = g_new0(struct rule, 1);
	gboolean unterminated;
	const char *at;

	ru->matches = g_ptr_array_new();
	ru->extracts = g_array_new(FALSE, TRUE, sizeof(struct rule_extract));
	ru->actions = g_ptr_array_new_with_free_func(
	    (GDestroyNotify)rules_action_free);
	ru->tags = g_ptr_array_new_with_free_func(g_free);
	ru->cond = g_new0(struct rule_cond, 1);
	ru->cond->kind = COND_ALL;
	ru->cond->children = g_ptr_array_new_with_free_func(
	    (GDestroyNotify)rules_cond_free);
	ru->file = g_strdup(c->file);
	ru->line = c->lineno;
	ps->cur = ru;
	ps->bad = FALSE;
	ps->errors = c->l->errors;
	ps->nmatch = 0;
	ps->nconds = 0;
	ps->group = ru->cond;
	rules_skip_ws(c);
	at = c->p;
	ru->id = rules_read_token(c);
	if (ru->id == NULL) {
		rules_perr(c, at, "%srule without an id", "");
		ru->id = g_strdup("?");
		ps->bad = TRUE;
		return;
	}
	if (!rules_valid_word(ru->id, TRUE)) {
		rules_perr(c, at, "bad rule id '%s' (use a-z, 0-9, '.', '_', "
		    "'-')",
		    ru->id);
		ps->bad = TRUE;
	}
	rules_skip_ws(c);
	at = c->p;
	ru->description = rules_read_string(c, &unterminated);
	if (unterminated) {
		rules_perr(c, at, "unterminated description of rule '%s'",
		    ru->id);
		ps->bad = TRUE;
	} else if (ru->description == NULL || ru->description[0] == '\0') {
		rules_perr(c, at, "rule '%s' has no description (write "
		    "rule ID \"what it finds\")", ru->id);
		ps->bad = TRUE;
	} else if (!rules_end_of_line(c))
		ps->bad = TRUE;
}

static void
block_include(struct cursor *c)
{
	gboolean unterminated;
	const char *at;
	char *name;

	rules_skip_ws(c);
	at = c->p;
	name = rules_read_string(c, &unterminated);
	if (name == NULL || *name == '\0')
		rules_perr(c, at, "%sexpected include \"file\"", "");
	else if (rules_end_of_line(c))
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
		rules_skip_ws(c);
		if (*c->p != '\0' && *c->p != '#')
			clause(c, ps);
		return;
	}
	if (*c->p == '\0' || *c->p == '#')
		return;
	finish(c, ps);
	ps->skipping = FALSE;
	at = c->p;
	kw = rules_read_token(c);
	if (g_strcmp0(kw, "rule") == 0)
		block_rule(c, ps);
	else if (g_strcmp0(kw, "include") == 0)
		block_include(c);
	else {
		rules_perr(c, at, "unknown keyword '%s' (expected 'rule' or "
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
