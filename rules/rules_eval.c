/*
 * rules_eval.c: running a ruleset over one report: every rule over every
 * decoded text part (and the top-level headers for header clauses),
 * every match, each extracted value normalised and added as a finding,
 * and the verdict (hits, category, ignore, rule errors).
 */
#include "config.h"

#include <string.h>

#include "parse/parse.h"
#include "rules/rules_int.h"

struct evalctx {
	const struct ruleset	*rs;
	struct report		*r;
	struct verdict		*v;
	pcre2_match_data	*md;
	pcre2_match_context	*mctx;
	struct rule_hit		*hit;	/* of the rule being run, or NULL */
};

static void
ptr_array_unref(gpointer p)
{
	g_ptr_array_unref(p);
}

/* 1: matched (ovector in e->md), 0: no match, -1: limit or error
 * (counted and warned: the rule stops on this subject). */
static int
match_at(struct evalctx *e, const struct rule *ru, const struct rule_match *m,
    const char *subj, gsize len, gsize off, const char *part)
{
	PCRE2_UCHAR msg[128];
	int rc;

	rc = pcre2_match(m->code, (PCRE2_SPTR)subj, len, off, 0, e->md,
	    e->mctx);
	if (rc >= 0)
		return 1;
	if (rc == PCRE2_ERROR_NOMATCH || rc == PCRE2_ERROR_PARTIAL)
		return 0;
	pcre2_get_error_message(rc, msg, sizeof(msg));
	e->v->rule_errors++;
	report_warn(e->r, "rule %s: %s in part %s (line %u of %s): matching "
	    "stopped", ru->id, (const char *)msg, part, m->line, ru->file);
	return -1;
}

static struct finding *add_value(struct evalctx *, enum finding_kind,
    enum finding_role, const char *, gsize, const char *, gsize,
    const char *);

/* The host of a normalised URL becomes a finding of its own: a domain or
 * an IP. */
static void
add_url_host(struct evalctx *e, struct finding *url, const char *part,
    gsize off)
{
	const char *h;
	gsize len = report_url_host(url->value, &h);
	struct netaddr na;

	if (len == 0)
		return;
	if (netaddr_parse(h, len, &na))
		add_value(e, na.v4 ? FINDING_IPV4 : FINDING_IPV6, url->role,
		    h, len, part, off, url->source);
	else
		add_value(e, FINDING_DOMAIN, url->role, h, len, part, off,
		    url->source);
}

static struct finding *
add_value(struct evalctx *e, enum finding_kind kind, enum finding_role role,
    const char *raw, gsize len, const char *part, gsize off,
    const char *source)
{
	struct finding *f;
	char *value, *rawz;

	value = parse_normalise(e->r->arena, kind, raw, len);
	if (value == NULL)
		return NULL;
	/* "::ffff:192.0.2.1" is an IPv4 address. */
	if (kind == FINDING_IPV6 && strchr(value, ':') == NULL)
		kind = FINDING_IPV4;
	/* A structured source (a format field: "arf:Source-IP", "csv:dst_ip")
	 * knows better what the value is than a text rule does; among text
	 * rules, the one that names a role other than offender (a victim
	 * DST=, a relay in a quoted Received line) knows better than the
	 * extraction of every address, whichever runs first. */
	if ((f = report_find_value(e->r, kind, value)) != NULL &&
	    f->role != role) {
		if (strchr(f->source, ':') != NULL ||
		    role == FINDING_ROLE_OFFENDER)
			return f;
		if (f->role == FINDING_ROLE_OFFENDER) {
			f->role = role;
			f->source = arena_strdup(e->r->arena, source);
			if (kind == FINDING_URL)
				add_url_host(e, f, part, off);
			return f;
		}
	}
	rawz = arena_strndup(e->r->arena, raw, len);
	f = report_add_finding(e->r, kind, role, value, rawz, part, off,
	    source);
	if (f == NULL)
		return NULL;
	if (kind == FINDING_URL)
		add_url_host(e, f, part, off);
	return f;
}

static void
extract(struct evalctx *e, const struct rule *ru, const struct rule_extract *x,
    const struct rule_match *m, const char *subj, const char *part)
{
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(e->md);
	int n = rules_regex_group(m->code, e->md, x->group);

	if (n < 0 || ov[2 * n + 1] <= ov[2 * n])
		return;
	add_value(e, x->kind, x->role, subj + ov[2 * n],
	    ov[2 * n + 1] - ov[2 * n], part, ov[2 * n], ru->id);
}

/* Every match of clause mi in one subject; extracts, and counts the
 * matches of the primary clause into the hit. */
static void
all_matches(struct evalctx *e, const struct rule *ru, guint mi,
    gboolean primary, const char *subj, gsize len, const char *part)
{
	const struct rule_match *m = g_ptr_array_index(ru->matches, mi);
	PCRE2_SIZE *ov;
	gsize off = 0;
	guint n = 0, i;

	while (off <= len && match_at(e, ru, m, subj, len, off, part) == 1) {
		ov = pcre2_get_ovector_pointer(e->md);
		if (primary) {
			if (e->hit->count++ == 0) {
				e->hit->part = arena_strdup(e->r->arena, part);
				e->hit->offset = ov[0];
			}
		}
		for (i = 0; i < ru->extracts->len; i++) {
			const struct rule_extract *x = &g_array_index(
			    ru->extracts, struct rule_extract, i);

			if (x->match == mi)
				extract(e, ru, x, m, subj, part);
		}
		if (++n >= RULES_MAX_MATCHES_PER_PART) {
			report_warn(e->r, "rule %s: more than %u matches in "
			    "part %s: the rest is skipped", ru->id,
			    RULES_MAX_MATCHES_PER_PART, part);
			break;
		}
		if (ov[1] > off && ov[1] > ov[0])
			off = ov[1];
		else {
			/* Empty match: step over one character. */
			off = MAX(off, ov[1]) + 1;
			while (off < len && ((guchar)subj[off] & 0xc0) == 0x80)
				off++;
		}
	}
}

static gboolean
has_extracts(const struct rule *ru, guint mi)
{
	guint i;

	for (i = 0; i < ru->extracts->len; i++)
		if (g_array_index(ru->extracts, struct rule_extract,
		    i).match == mi)
			return TRUE;
	return FALSE;
}

/* Does clause m match anywhere in its subject (part text or headers)? */
static int
clause_matches(struct evalctx *e, const struct rule *ru,
    const struct rule_match *m, const struct report_part *p)
{
	guint i;
	int rc;

	if (m->target == RULE_TARGET_BODY)
		return match_at(e, ru, m, p->text, p->text_len, 0, p->path);
	for (i = 0; i < e->r->headers->len; i++) {
		const struct report_header *h = g_ptr_array_index(
		    e->r->headers, i);

		if (h->value == NULL ||
		    g_ascii_strcasecmp(h->name, m->header) != 0)
			continue;
		if ((rc = match_at(e, ru, m, h->value, strlen(h->value), 0,
		    "0")) != 0)
			return rc;
	}
	return 0;
}

/* The rule holds for part p (NULL: header-only rule): record it. */
static void
fire(struct evalctx *e, const struct rule *ru, const struct report_part *p,
    guint primary)
{
	guint mi, i;

	if (e->hit == NULL) {
		e->hit = arena_alloc(e->r->arena, sizeof(*e->hit));
		if (e->hit == NULL)
			return;
		e->hit->rule_id = arena_strdup(e->r->arena, ru->id);
		g_ptr_array_add(e->v->hits, e->hit);
	}
	for (mi = 0; mi < ru->matches->len; mi++) {
		const struct rule_match *m = g_ptr_array_index(ru->matches,
		    mi);

		if (mi != primary && !has_extracts(ru, mi))
			continue;
		if (m->target == RULE_TARGET_BODY) {
			all_matches(e, ru, mi, mi == primary, p->text,
			    p->text_len, p->path);
			continue;
		}
		for (i = 0; i < e->r->headers->len; i++) {
			const struct report_header *h = g_ptr_array_index(
			    e->r->headers, i);

			if (h->value != NULL &&
			    g_ascii_strcasecmp(h->name, m->header) == 0)
				all_matches(e, ru, mi, mi == primary,
				    h->value, strlen(h->value), "0");
		}
	}
	if (ru->category != NULL)
		e->v->category = arena_strdup(e->r->arena, ru->category);
	if (ru->ignore)
		e->v->ignore = TRUE;
}

static void
eval_rule(struct evalctx *e, const struct rule *ru)
{
	guint mi, pi, primary = G_MAXUINT;
	gboolean body = FALSE;

	e->hit = NULL;
	/* Header clauses hold for the whole message. */
	for (mi = 0; mi < ru->matches->len; mi++) {
		const struct rule_match *m = g_ptr_array_index(ru->matches,
		    mi);

		if (m->target == RULE_TARGET_BODY) {
			if (!body)
				primary = mi;
			body = TRUE;
		} else if (clause_matches(e, ru, m, NULL) != 1)
			return;
	}
	if (!body) {
		fire(e, ru, NULL, 0);
		return;
	}
	for (pi = 0; pi < e->r->parts->len; pi++) {
		const struct report_part *p = g_ptr_array_index(e->r->parts,
		    pi);

		if (p->text == NULL)
			continue;
		for (mi = 0; mi < ru->matches->len; mi++) {
			const struct rule_match *m = g_ptr_array_index(
			    ru->matches, mi);

			if (m->target == RULE_TARGET_BODY &&
			    clause_matches(e, ru, m, p) != 1)
				break;
		}
		if (mi == ru->matches->len)
			fire(e, ru, p, primary);
	}
}

gboolean
rules_eval(const struct ruleset *rs, struct report *r, struct verdict *v)
{
	struct evalctx e = { .rs = rs, .r = r, .v = v };
	pcre2_jit_stack *jit;
	const char *cat;
	guint i;

	g_return_val_if_fail(rs != NULL && r != NULL && v != NULL, FALSE);
	memset(v, 0, sizeof(*v));
	v->rules_version = arena_strdup(r->arena, rs->version);
	v->category = r->category;
	v->hits = g_ptr_array_new();
	arena_add_destructor(r->arena, ptr_array_unref, v->hits);
	/* Per call: the ruleset stays read-only and shareable. */
	e.mctx = pcre2_match_context_copy(rs->mctx);
	jit = pcre2_jit_stack_create(32 * 1024, 1024 * 1024, NULL);
	pcre2_jit_stack_assign(e.mctx, NULL, jit);
	e.md = pcre2_match_data_create(rs->max_groups + 1, NULL);
	for (i = 0; i < rs->rules->len && !arena_exhausted(r->arena); i++)
		eval_rule(&e, g_ptr_array_index(rs->rules, i));
	pcre2_match_data_free(e.md);
	pcre2_jit_stack_free(jit);
	pcre2_match_context_free(e.mctx);
	/* The category in IntelMQ terms, and its taxonomy. */
	if (v->category != NULL &&
	    (cat = taxonomy_lookup(v->category, NULL)) != NULL)
		v->category = cat;
	if (r->category == NULL)
		r->category = v->category;
	report_set_taxonomy(r);
	/* The reporter's own hosts; then special-purpose IPs and domains
	 * (from rules and from format fields alike) are kept for the
	 * record and never routed. */
	report_roles_reporter(r);
	report_suppress_special(r);
	return !arena_exhausted(r->arena);
}
