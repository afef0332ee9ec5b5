/*
 * rules_clause.c: the clauses beyond `match`, `extract` and `ignore`.
 *
 * Conditions: `format is a|b`, `field NAME /re/`, `reporter /re/`,
 * `reporter domain SUFFIX`, `authenticated dkim|spf|dmarc`,
 * `finding KIND in SET`, `always`.  Actions: `set category|type|tlp X`,
 * `tag WORD`, `suppress [KIND] in SET [because "why"]`,
 * `role ROLE for KIND in SET`, `route to CONTACT`, `trust reporter`,
 * `limit match|depth N`.  Each clause checks its own words and reports
 * at the column of the word that is wrong.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "parse/limits.h"
#include "parse/parse.h"
#include "rules/rules_int.h"

/* What parse/ sets in r->format (parse/detect.c and the fmt_*.c). */
static const char *const formats[] = {
	"arf", "bounce", "cert-notice", "dmarc", "dsn", "forward", "gsb",
	"jmrp", "jpcert", "netcraft", "plain", "shadowserver", "spamcop",
	"unparsed", "xarf", "xarf-json", NULL
};

static const char *const tlps[] = {
	"CLEAR", "GREEN", "AMBER", "AMBER+STRICT", "RED", NULL
};

void
rules_cond_free(struct rule_cond *cd)
{
	if (cd == NULL)
		return;
	if (cd->children != NULL)
		g_ptr_array_free(cd->children, TRUE);
	rules_valueset_free(cd->vs);
	g_free(cd->text);
	g_free(cd);
}

void
rules_action_free(struct rule_action *a)
{
	if (a == NULL)
		return;
	rules_valueset_free(a->vs);
	g_free(a->why);
	g_free(a);
}

gboolean
rules_cond_has_auth(const struct rule_cond *cd)
{
	guint i;

	for (i = 0; i < cd->children->len; i++) {
		const struct rule_cond *ch = g_ptr_array_index(cd->children,
		    i);

		if (ch->negate)
			continue;
		if (ch->kind == COND_AUTH ||
		    (ch->kind == COND_ALL && rules_cond_has_auth(ch)))
			return TRUE;
	}
	return FALSE;
}

static gboolean
in_list(const char *const *list, const char *s)
{
	for (; *list != NULL; list++)
		if (strcmp(*list, s) == 0)
			return TRUE;
	return FALSE;
}

/* A word, or an error naming what was expected (g_free). */
static char *
word(struct cursor *c, const char **at_r)
{
	rules_skip_ws(c);
	*at_r = c->p;
	return rules_read_token(c);
}

static struct rule_cond *
new_cond(struct cursor *c, enum cond_kind kind, gboolean negate,
    const char *at)
{
	struct rule_cond *cd = g_new0(struct rule_cond, 1);

	cd->kind = kind;
	cd->negate = negate;
	cd->line = c->lineno;
	cd->col = rules_col(c->line, at - c->line);
	return cd;
}

static struct rule_cond *
cond_format(struct cursor *c, gboolean negate, const char *at0)
{
	struct rule_cond *cd = NULL;
	const char *at;
	char *is = word(c, &at), *list = NULL, **names = NULL;
	guint i;

	if (g_strcmp0(is, "is") != 0) {
		rules_perr(c, at, "expected 'format is NAME[|NAME...]', got "
		    "'%s'", is != NULL ? is : "");
		goto out;
	}
	list = word(c, &at);
	names = g_strsplit(list != NULL ? list : "", "|", -1);
	for (i = 0; names[i] != NULL; i++) {
		if (!in_list(formats, names[i])) {
			rules_perr(c, at, "unknown format '%s' (expected arf, "
			    "bounce, cert-notice, dmarc, dsn, forward, gsb, "
			    "jmrp, jpcert, netcraft, plain, shadowserver, "
			    "spamcop, unparsed, xarf, xarf-json)", names[i]);
			goto out;
		}
	}
	if (i == 0 || !rules_end_of_line(c)) {
		if (i == 0)
			rules_perr(c, at, "%sexpected a format name after "
			    "'format is'", "");
		goto out;
	}
	cd = new_cond(c, COND_FORMAT, negate, at0);
	cd->text = g_strdup_printf("|%s|", list);
out:
	g_strfreev(names);
	g_free(is);
	g_free(list);
	return cd;
}

static struct rule_cond *
cond_reporter(struct cursor *c, struct rule *ru, gboolean negate,
    const char *at0)
{
	struct rule_cond *cd;
	struct rule_match *m;
	const char *at;
	char *dom;

	rules_skip_ws(c);
	if (*c->p == '/') {
		if ((m = rules_read_match(c, ru, RULE_TARGET_REPORTER,
		    NULL)) == NULL)
			return NULL;
		cd = new_cond(c, COND_MATCH, negate, at0);
		cd->m = m;
		return cd;
	}
	dom = word(c, &at);
	if (g_strcmp0(dom, "domain") != 0) {
		rules_perr(c, at, "expected 'reporter /regex/' or 'reporter "
		    "domain SUFFIX', got '%s'", dom != NULL ? dom : "");
		g_free(dom);
		return NULL;
	}
	g_free(dom);
	dom = word(c, &at);
	for (char *q = dom; q != NULL && *q != '\0'; q++)
		*q = g_ascii_tolower(*q);
	if (dom == NULL || dom[0] == '.' || !rules_valid_word(dom, TRUE)) {
		rules_perr(c, at, "bad domain '%s' (write a name like "
		    "example.net)", dom != NULL ? dom : "");
		g_free(dom);
		return NULL;
	}
	if (!rules_end_of_line(c)) {
		g_free(dom);
		return NULL;
	}
	cd = new_cond(c, COND_REPORTER_DOMAIN, negate, at0);
	cd->text = dom;
	return cd;
}

static struct rule_cond *
cond_auth(struct cursor *c, gboolean negate, const char *at0)
{
	struct rule_cond *cd;
	const char *at;
	char *what = word(c, &at);
	guint bit;

	if (g_strcmp0(what, "dkim") == 0)
		bit = RULE_AUTH_DKIM;
	else if (g_strcmp0(what, "spf") == 0)
		bit = RULE_AUTH_SPF;
	else if (g_strcmp0(what, "dmarc") == 0)
		bit = RULE_AUTH_DMARC;
	else {
		rules_perr(c, at, "expected dkim, spf or dmarc after "
		    "'authenticated', got '%s'", what != NULL ? what : "");
		g_free(what);
		return NULL;
	}
	g_free(what);
	if (!rules_end_of_line(c))
		return NULL;
	cd = new_cond(c, COND_AUTH, negate, at0);
	cd->auth = bit;
	return cd;
}

static int
read_kind(struct cursor *c)
{
	const char *at;
	char *kind = word(c, &at);
	int k = finding_kind_from_name(kind != NULL ? kind : "");

	if (k < 0)
		rules_perr(c, at, "unknown kind '%s' (expected ipv4, ipv6, "
		    "cidr, url, domain, email, asn, cve, hash)",
		    kind != NULL ? kind : "");
	g_free(kind);
	return k;
}

static gboolean
expect_word(struct cursor *c, const char *want, const char *usage)
{
	const char *at;
	char *w = word(c, &at);
	gboolean ok = g_strcmp0(w, want) == 0;

	if (!ok)
		rules_perr(c, at, usage, w != NULL ? w : "");
	g_free(w);
	return ok;
}

static struct rule_cond *
cond_finding(struct cursor *c, struct rule *ru, gboolean negate,
    const char *at0)
{
	struct rule_cond *cd;
	struct valueset *vs;
	int k;

	if ((k = read_kind(c)) < 0 || !expect_word(c, "in", "expected "
	    "'finding KIND in CIDR|SUFFIX|\"file\"|/regex/', got '%s'"))
		return NULL;
	if ((vs = rules_valueset_read(c, ru, TRUE)) == NULL)
		return NULL;
	if (vs->re == NULL && !rules_end_of_line(c)) {
		rules_valueset_free(vs);
		return NULL;
	}
	cd = new_cond(c, COND_FINDING, negate, at0);
	cd->fkind = k;
	cd->vs = vs;
	return cd;
}

gboolean
rules_clause_cond(struct cursor *c, struct rule *ru, struct rule_cond *group,
    const char *kw, gboolean negate, const char *at)
{
	struct rule_cond *cd = NULL;
	struct rule_match *m;
	char *name;

	if (strcmp(kw, "format") == 0)
		cd = cond_format(c, negate, at);
	else if (strcmp(kw, "field") == 0) {
		const char *nat;

		name = word(c, &nat);
		if (name == NULL || name[0] == '/')
			rules_perr(c, nat, "expected a field name after "
			    "'field' in rule '%s'", ru->id);
		else if ((m = rules_read_match(c, ru, RULE_TARGET_FIELD,
		    g_steal_pointer(&name))) != NULL) {
			cd = new_cond(c, COND_MATCH, negate, at);
			cd->m = m;
		}
		g_free(name);
	} else if (strcmp(kw, "reporter") == 0)
		cd = cond_reporter(c, ru, negate, at);
	else if (strcmp(kw, "authenticated") == 0)
		cd = cond_auth(c, negate, at);
	else if (strcmp(kw, "finding") == 0)
		cd = cond_finding(c, ru, negate, at);
	else if (strcmp(kw, "always") == 0) {
		if (rules_end_of_line(c))
			cd = new_cond(c, COND_ALWAYS, negate, at);
	} else
		return FALSE;
	if (cd != NULL) {
		cd->up = group;
		g_ptr_array_add(group->children, cd);
	}
	return TRUE;
}

static void
action_set(struct cursor *c, struct rule *ru)
{
	const char *at;
	char *what = word(c, &at), *val = NULL, **slot;
	const char *tax = NULL, *vat;

	if (g_strcmp0(what, "category") == 0)
		slot = &ru->category;
	else if (g_strcmp0(what, "type") == 0)
		slot = &ru->type;
	else if (g_strcmp0(what, "tlp") == 0)
		slot = &ru->tlp;
	else {
		rules_perr(c, at, "unknown setting '%s' (expected category, "
		    "type, tlp)", what != NULL ? what : "");
		goto out;
	}
	val = word(c, &vat);
	if (slot == &ru->tlp) {
		if (val == NULL || !in_list(tlps, val)) {
			rules_perr(c, vat, "bad tlp '%s' (expected CLEAR, "
			    "GREEN, AMBER, AMBER+STRICT, RED)",
			    val != NULL ? val : "");
			goto out;
		}
	} else if (!rules_valid_word(val, FALSE)) {
		rules_perr(c, vat, "bad category '%s' (use a-z, 0-9, '-', "
		    "'_')", val != NULL ? val : "");
		goto out;
	} else if (slot == &ru->type &&
	    g_strcmp0(taxonomy_lookup(val, &tax), val) != 0) {
		rules_perr(c, vat, "unknown type '%s' (an IntelMQ "
		    "classification.type: phishing, scanner, spam, ...)", val);
		goto out;
	}
	if (!rules_end_of_line(c))
		goto out;
	g_free(*slot);
	*slot = g_steal_pointer(&val);
out:
	g_free(what);
	g_free(val);
}

static void
action_suppress(struct cursor *c, struct rule *ru, enum action_kind kind)
{
	struct rule_action *a = g_new0(struct rule_action, 1);
	const char *at;
	char *w = NULL;
	gboolean unterminated;
	int r;

	a->kind = kind;
	a->fkind = -1;
	if (kind == ACTION_ROLE) {
		w = word(c, &at);
		if ((r = finding_role_from_name(w != NULL ? w : "")) < 0) {
			rules_perr(c, at, "unknown role '%s' (expected "
			    "offender, victim, reporter, context)",
			    w != NULL ? w : "");
			goto fail;
		}
		a->role = r;
		if (!expect_word(c, "for", "expected 'role ROLE for KIND in "
		    "SET', got '%s'") || (a->fkind = read_kind(c)) < 0)
			goto fail;
	} else {
		rules_skip_ws(c);
		if (strncmp(c->p, "in", 2) != 0 || (c->p[2] != ' ' &&
		    c->p[2] != '\t'))
			if ((a->fkind = read_kind(c)) < 0)
				goto fail;
	}
	if (!expect_word(c, "in", kind == ACTION_ROLE ? "expected 'in SET' "
	    "after the kind, got '%s'" : "expected 'suppress [KIND] in "
	    "SET', got '%s'"))
		goto fail;
	if ((a->vs = rules_valueset_read(c, ru, FALSE)) == NULL)
		goto fail;
	rules_skip_ws(c);
	if (kind == ACTION_SUPPRESS && strncmp(c->p, "because", 7) == 0) {
		c->p += 7;
		rules_skip_ws(c);
		at = c->p;
		a->why = rules_read_string(c, &unterminated);
		if (a->why == NULL || a->why[0] == '\0') {
			rules_perr(c, at, "%sexpected because \"reason\"", "");
			goto fail;
		}
	}
	if (!rules_end_of_line(c))
		goto fail;
	g_ptr_array_add(ru->actions, a);
	g_free(w);
	return;
fail:
	g_free(w);
	rules_action_free(a);
}

/* `limit match N` / `limit depth N`, up to the ceilings of limits.h. */
static void
action_limit(struct cursor *c, struct rule *ru)
{
	const char *at, *nat;
	char *what = word(c, &at), *num = NULL, *end = NULL;
	guint64 n, ceiling;

	if (g_strcmp0(what, "match") == 0)
		ceiling = LIMIT_PCRE2_MATCH_CEILING;
	else if (g_strcmp0(what, "depth") == 0)
		ceiling = LIMIT_PCRE2_DEPTH_CEILING;
	else {
		rules_perr(c, at, "expected 'limit match N' or 'limit depth "
		    "N', got '%s'", what != NULL ? what : "");
		goto out;
	}
	num = word(c, &nat);
	n = num != NULL ? g_ascii_strtoull(num, &end, 10) : 0;
	if (num == NULL || *end != '\0' || n == 0) {
		rules_perr(c, nat, "bad limit '%s' (a positive number)",
		    num != NULL ? num : "");
		goto out;
	}
	if (n > ceiling) {
		rules_diag_add(c->l, RULES_ERROR_LIMIT, c->file, c->lineno,
		    rules_col(c->line, nat - c->line), "limit %s %s of rule "
		    "'%s' is over the ceiling %" G_GUINT64_FORMAT, what, num,
		    ru->id, ceiling);
		goto out;
	}
	if (!rules_end_of_line(c))
		goto out;
	if (ceiling == LIMIT_PCRE2_MATCH_CEILING)
		ru->match_limit = n;
	else
		ru->depth_limit = n;
out:
	g_free(what);
	g_free(num);
}

gboolean
rules_clause_action(struct cursor *c, struct rule *ru, const char *kw,
    const char *at)
{
	const char *wat;
	char *w;

	(void)at;
	if (strcmp(kw, "set") == 0)
		action_set(c, ru);
	else if (strcmp(kw, "tag") == 0) {
		w = word(c, &wat);
		if (!rules_valid_word(w, TRUE))
			rules_perr(c, wat, "bad tag '%s' (use a-z, 0-9, '.', "
			    "'_', '-')", w != NULL ? w : "");
		else if (rules_end_of_line(c))
			g_ptr_array_add(ru->tags, g_steal_pointer(&w));
		g_free(w);
	} else if (strcmp(kw, "suppress") == 0)
		action_suppress(c, ru, ACTION_SUPPRESS);
	else if (strcmp(kw, "role") == 0)
		action_suppress(c, ru, ACTION_ROLE);
	else if (strcmp(kw, "route") == 0) {
		if (!expect_word(c, "to", "expected 'route to CONTACT-ID', "
		    "got '%s'"))
			return TRUE;
		w = word(c, &wat);
		if (w == NULL || strlen(w) > 128)
			rules_perr(c, wat, "%sexpected a contact id after "
			    "'route to'", "");
		else if (rules_end_of_line(c)) {
			g_free(ru->route_to);
			ru->route_to = g_steal_pointer(&w);
		}
		g_free(w);
	} else if (strcmp(kw, "trust") == 0) {
		if (expect_word(c, "reporter", "expected 'trust reporter', "
		    "got '%s'") && rules_end_of_line(c))
			ru->trust = TRUE;
	} else if (strcmp(kw, "limit") == 0)
		action_limit(c, ru);
	else
		return FALSE;
	return TRUE;
}
