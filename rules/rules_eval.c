/*
 * rules_eval.c: running a ruleset over one report: each rule's condition
 * tree over the message (and, when it looks at parts, over every part),
 * every match of the firing rule's regexes, each extracted value
 * normalised and added as a finding, and the verdict (hits, category,
 * type, tlp, tags, route, trust, ignore, rule errors).  Work is bounded
 * by pcre2 limits per rule, a cap on the text of a part and a thread
 * CPU budget for the whole stage (checked between rules and parts).
 */
#include "config.h"

#include <string.h>
#include <time.h>

#include "parse/parse.h"
#include "rules/rules_int.h"

/* Bytes of one hit's captures, and of one value in them. */
#define CAPTURES_MAX	256
#define CAPTURE_VALUE_MAX	64

struct evalctx {
	const struct ruleset	*rs;
	struct report		*r;
	struct verdict		*v;
	pcre2_match_data	*md;
	pcre2_match_context	*mctx;
	struct rule_hit		*hit;	/* of the rule being run, or NULL */
	gint8			*cache;	/* message-level leaves: 2 unknown */
	gsize			*lens;	/* text of each part the rules see */
	GPtrArray		*fired;	/* rules with suppress/role actions */
	gint64			 cpu0;
	gboolean		 stop;	/* CPU budget exhausted */
};

static gint64
cpu_now(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) != 0)
		return g_get_monotonic_time();
	return (gint64)ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

/* Past the budget: stop, warn once, count it as a rule error. */
static gboolean
over_budget(struct evalctx *e)
{
	gint64 budget = e->rs->opt.cpu_budget_us;

	if (e->stop)
		return TRUE;
	if (budget <= 0 || cpu_now() - e->cpu0 <= budget)
		return FALSE;
	e->stop = TRUE;
	e->v->cpu_exhausted = TRUE;
	e->v->rule_errors++;
	report_warn(e->r, "rules: CPU budget of %lld ms used up after %u of "
	    "%u rules: the rest is skipped", (long long)(budget / 1000),
	    e->v->rules_run, e->rs->rules->len);
	return TRUE;
}

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

/* "name=value ..." of the named groups of the match in e->md. */
static void
captures(struct evalctx *e, const struct rule_match *m, const char *subj)
{
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(e->md);
	guint32 count = pcre2_get_ovector_count(e->md), n, esize, i;
	PCRE2_SPTR table;
	GString *s;

	pcre2_pattern_info(m->code, PCRE2_INFO_NAMECOUNT, &n);
	if (n == 0)
		return;
	pcre2_pattern_info(m->code, PCRE2_INFO_NAMEENTRYSIZE, &esize);
	pcre2_pattern_info(m->code, PCRE2_INFO_NAMETABLE, &table);
	s = g_string_new(NULL);
	for (i = 0; i < n; i++) {
		const guint8 *ent = table + i * esize;
		guint g = (ent[0] << 8) | ent[1];
		gsize len, room;

		if (g >= count || ov[2 * g] == PCRE2_UNSET)
			continue;
		len = MIN(ov[2 * g + 1] - ov[2 * g], CAPTURE_VALUE_MAX);
		while (len > 0 && len < ov[2 * g + 1] - ov[2 * g] &&
		    ((guchar)subj[ov[2 * g] + len] & 0xc0) == 0x80)
			len--;
		room = strlen((const char *)ent + 2) + len + 2;
		if (s->len + room > CAPTURES_MAX)
			break;
		g_string_append_printf(s, "%s%s=%.*s", s->len > 0 ? " " : "",
		    (const char *)ent + 2, (int)len, subj + ov[2 * g]);
	}
	if (s->len > 0)
		e->hit->captures = arena_strdup(e->r->arena, s->str);
	g_string_free(s, TRUE);
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
				captures(e, m, subj);
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

struct subj {
	const char	*s;
	gsize		 len;
	const char	*part;
};

/* The texts regex clause m looks at in part p (NULL: message-level). */
static GArray *
subjects(struct evalctx *e, const struct rule_match *m,
    const struct report_part *p, guint pi)
{
	GArray *a = g_array_new(FALSE, FALSE, sizeof(struct subj));
	struct subj s = { .part = "0" };
	const char *src, *c;
	guint i;

	switch (m->target) {
	case RULE_TARGET_BODY:
	case RULE_TARGET_PART_TYPE:
	case RULE_TARGET_PART_FILENAME:
		if (p == NULL)
			break;
		s.part = p->path;
		s.s = m->target == RULE_TARGET_BODY ? p->text :
		    m->target == RULE_TARGET_PART_TYPE ? p->content_type :
		    p->filename;
		s.len = m->target == RULE_TARGET_BODY ? e->lens[pi] :
		    s.s != NULL ? strlen(s.s) : 0;
		if (s.s != NULL)
			g_array_append_val(a, s);
		break;
	case RULE_TARGET_REPORTER:
		s.s = e->r->reporter != NULL ? e->r->reporter : e->r->from;
		if (s.s != NULL) {
			s.len = strlen(s.s);
			g_array_append_val(a, s);
		}
		break;
	case RULE_TARGET_FIELD:
		for (i = 0; i < e->r->findings->len; i++) {
			const struct finding *f = g_ptr_array_index(
			    e->r->findings, i);

			src = f->source;
			if (src == NULL || (c = strchr(src, ':')) == NULL ||
			    g_ascii_strcasecmp(c + 1, m->header) != 0)
				continue;
			s.s = f->value;
			s.len = strlen(f->value);
			s.part = f->part != NULL ? f->part : "0";
			g_array_append_val(a, s);
		}
		/* FALLTHROUGH */
	case RULE_TARGET_HEADER:
		s.part = "0";
		for (i = 0; i < e->r->headers->len; i++) {
			const struct report_header *h = g_ptr_array_index(
			    e->r->headers, i);

			if (h->value == NULL ||
			    g_ascii_strcasecmp(h->name, m->header) != 0)
				continue;
			s.s = h->value;
			s.len = strlen(h->value);
			g_array_append_val(a, s);
		}
		break;
	case RULE_TARGET_FINDING:
		break;
	}
	return a;
}

/* 1: some subject matches, 0: none, -1: a limit was hit. */
static int
regex_holds(struct evalctx *e, const struct rule *ru,
    const struct rule_match *m, const struct report_part *p, guint pi)
{
	GArray *a = subjects(e, m, p, pi);
	int rc = 0;
	guint i;

	for (i = 0; i < a->len && rc == 0; i++) {
		const struct subj *s = &g_array_index(a, struct subj, i);

		rc = match_at(e, ru, m, s->s, s->len, 0, s->part);
	}
	g_array_free(a, TRUE);
	return rc;
}

static int
finding_holds(struct evalctx *e, const struct rule *ru,
    const struct rule_cond *cd)
{
	guint i;
	int rc;

	for (i = 0; i < e->r->findings->len; i++) {
		const struct finding *f = g_ptr_array_index(e->r->findings,
		    i);

		if ((int)f->kind != cd->fkind)
			continue;
		if (cd->vs->re != NULL) {
			rc = match_at(e, ru, cd->vs->re, f->value,
			    strlen(f->value), 0, "0");
			if (rc != 0)
				return rc;
		} else if (rules_valueset_has(cd->vs, f->kind, f->value))
			return 1;
	}
	return 0;
}

static int
leaf_holds(struct evalctx *e, const struct rule *ru,
    const struct rule_cond *cd, const struct report_part *p, guint pi)
{
	switch (cd->kind) {
	case COND_MATCH:
		return regex_holds(e, ru, cd->m, p, pi);
	case COND_FORMAT:
		return rules_format_is(e->r, cd->text);
	case COND_REPORTER_DOMAIN:
		return rules_reporter_in(e->r, cd->text);
	case COND_AUTH:
		return rules_auth_pass(e->r, cd->auth);
	case COND_FINDING:
		return finding_holds(e, ru, cd);
	default:
		return 1;	/* COND_ALWAYS */
	}
}

/* 1: holds, 0: does not, -1: a limit was hit below it. */
static int
cond_holds(struct evalctx *e, const struct rule *ru,
    const struct rule_cond *cd, const struct report_part *p, guint pi)
{
	int rc, any;
	guint i;

	if (cd->kind == COND_ALL || cd->kind == COND_ANY) {
		any = 0;
		rc = cd->kind == COND_ALL ? 1 : 0;
		for (i = 0; i < cd->children->len; i++) {
			int c = cond_holds(e, ru, g_ptr_array_index(
			    cd->children, i), p, pi);

			if (c < 0)
				any = -1;
			else if (cd->kind == COND_ALL && c == 0) {
				rc = 0;
				break;
			} else if (cd->kind == COND_ANY && c == 1) {
				rc = 1;
				break;
			}
		}
		if (any < 0 && !(cd->kind == COND_ANY && rc == 1) &&
		    !(cd->kind == COND_ALL && rc == 0))
			return -1;
	} else if (!cd->per_part && e->cache[cd->leaf] != 2)
		rc = e->cache[cd->leaf];
	else {
		rc = leaf_holds(e, ru, cd, p, pi);
		if (!cd->per_part)
			e->cache[cd->leaf] = rc;
	}
	if (rc < 0)
		return -1;
	return cd->negate ? !rc : rc;
}

/* The rule holds for part p (NULL: message-level rule): record it. */
static void
fire(struct evalctx *e, const struct rule *ru, const struct report_part *p,
    guint pi)
{
	guint mi, i, primary = G_MAXUINT;
	const char *t;
	GArray *a;

	if (e->hit == NULL) {
		e->hit = arena_alloc(e->r->arena, sizeof(*e->hit));
		if (e->hit == NULL)
			return;
		e->hit->rule_id = arena_strdup(e->r->arena, ru->id);
		g_ptr_array_add(e->v->hits, e->hit);
		if (ru->actions->len > 0)
			g_ptr_array_add(e->fired, (gpointer)ru);
	}
	for (mi = 0; mi < ru->matches->len; mi++) {
		const struct rule_match *m = g_ptr_array_index(ru->matches,
		    mi);

		if (!m->negated && m->target != RULE_TARGET_FINDING &&
		    (primary == G_MAXUINT || (m->target == RULE_TARGET_BODY &&
		    ((const struct rule_match *)g_ptr_array_index(
		    ru->matches, primary))->target != RULE_TARGET_BODY)))
			primary = mi;
	}
	if (primary == G_MAXUINT && e->hit->count++ == 0)
		e->hit->part = p != NULL ? p->path : "0";
	for (mi = 0; mi < ru->matches->len; mi++) {
		const struct rule_match *m = g_ptr_array_index(ru->matches,
		    mi);

		if (mi != primary && !has_extracts(ru, mi))
			continue;
		a = subjects(e, m, p, pi);
		for (i = 0; i < a->len; i++) {
			const struct subj *s = &g_array_index(a, struct subj,
			    i);

			all_matches(e, ru, mi, mi == primary, s->s, s->len,
			    s->part);
		}
		g_array_free(a, TRUE);
	}
	if (ru->category != NULL)
		e->v->category = arena_strdup(e->r->arena, ru->category);
	if (ru->type != NULL)
		e->v->type = arena_strdup(e->r->arena, ru->type);
	if (ru->tlp != NULL)
		e->v->tlp = arena_strdup(e->r->arena, ru->tlp);
	if (ru->route_to != NULL)
		e->v->route_to = arena_strdup(e->r->arena, ru->route_to);
	for (i = 0; i < ru->tags->len; i++) {
		guint j;

		t = g_ptr_array_index(ru->tags, i);
		for (j = 0; j < e->v->tags->len; j++)
			if (strcmp(g_ptr_array_index(e->v->tags, j), t) == 0)
				break;
		if (j == e->v->tags->len)
			g_ptr_array_add(e->v->tags, arena_strdup(e->r->arena,
			    t));
	}
	if (ru->ignore)
		e->v->ignore = TRUE;
	if (ru->trust)
		e->v->trusted = TRUE;
}

static void
eval_rule(struct evalctx *e, const struct rule *ru)
{
	const struct rules_options *o = &e->rs->opt;
	guint pi;

	e->hit = NULL;
	memset(e->cache, 2, ru->nleaves);
	if (ru->match_limit != 0)
		pcre2_set_match_limit(e->mctx, ru->match_limit);
	if (ru->depth_limit != 0)
		pcre2_set_depth_limit(e->mctx, ru->depth_limit);
	if (!ru->per_part) {
		if (cond_holds(e, ru, ru->cond, NULL, 0) == 1)
			fire(e, ru, NULL, 0);
	} else {
		for (pi = 0; pi < e->r->parts->len && !over_budget(e); pi++) {
			const struct report_part *p = g_ptr_array_index(
			    e->r->parts, pi);

			if (cond_holds(e, ru, ru->cond, p, pi) == 1)
				fire(e, ru, p, pi);
		}
	}
	pcre2_set_match_limit(e->mctx, o->match_limit);
	pcre2_set_depth_limit(e->mctx, o->depth_limit);
}

/* What the body rules see of each part: at most part_text_cap bytes,
 * cut on a character boundary. */
static void
cap_parts(struct evalctx *e)
{
	gsize cap = e->rs->opt.part_text_cap, len;
	guint i;

	e->lens = g_new0(gsize, e->r->parts->len + 1);
	for (i = 0; i < e->r->parts->len; i++) {
		const struct report_part *p = g_ptr_array_index(e->r->parts,
		    i);

		if (p->text == NULL)
			continue;
		len = p->text_len;
		if (len > cap) {
			len = cap;
			while (len > 0 && ((guchar)p->text[len] & 0xc0) == 0x80)
				len--;
			report_warn(e->r, "rules: part %s: only the first %zu "
			    "of %zu bytes are matched", p->path, len,
			    p->text_len);
		}
		e->lens[i] = len;
	}
}

/* One JIT stack per thread, kept across messages: creating one maps and
 * unmaps its whole size every time. */
static pcre2_jit_stack *
jit_stack(void)
{
	static GPrivate key = G_PRIVATE_INIT(
	    (GDestroyNotify)pcre2_jit_stack_free);
	pcre2_jit_stack *j = g_private_get(&key);

	if (j == NULL) {
		j = pcre2_jit_stack_create(32 * 1024, 1024 * 1024, NULL);
		g_private_set(&key, j);
	}
	return j;
}

gboolean
rules_eval(const struct ruleset *rs, struct report *r, struct verdict *v)
{
	struct evalctx e = { .rs = rs, .r = r, .v = v };
	pcre2_jit_stack *jit;
	const char *cat;
	guint i;

	g_return_val_if_fail(rs != NULL && r != NULL && v != NULL, FALSE);
	e.cpu0 = cpu_now();
	memset(v, 0, sizeof(*v));
	v->rules_version = arena_strdup(r->arena, rs->version);
	v->category = r->category;
	v->hits = g_ptr_array_new();
	arena_add_destructor(r->arena, ptr_array_unref, v->hits);
	v->tags = g_ptr_array_new();
	arena_add_destructor(r->arena, ptr_array_unref, v->tags);
	/* Per call: the ruleset stays read-only and shareable. */
	e.mctx = pcre2_match_context_copy(rs->mctx);
	jit = jit_stack();
	if (jit != NULL)
		pcre2_jit_stack_assign(e.mctx, NULL, jit);
	e.md = pcre2_match_data_create(rs->max_groups + 1, NULL);
	e.cache = g_malloc(rs->max_leaves + 1);
	e.fired = g_ptr_array_new();
	cap_parts(&e);
	for (i = 0; i < rs->rules->len && !arena_exhausted(r->arena) &&
	    !over_budget(&e); i++) {
		v->rules_run++;
		eval_rule(&e, g_ptr_array_index(rs->rules, i));
	}
	rules_apply_actions(r, e.fired);
	g_ptr_array_free(e.fired, TRUE);
	g_free(e.cache);
	g_free(e.lens);
	pcre2_match_data_free(e.md);
	pcre2_match_context_free(e.mctx);
	/* The category in IntelMQ terms, and its taxonomy; an explicit
	 * `set type` wins. */
	if (v->category != NULL &&
	    (cat = taxonomy_lookup(v->category, NULL)) != NULL)
		v->category = cat;
	if (v->type == NULL)
		v->type = v->category;
	if (r->category == NULL)
		r->category = v->type;
	if (v->tlp != NULL)
		r->tlp = v->tlp;
	report_set_taxonomy(r);
	/* The reporter's own hosts; then special-purpose IPs and domains
	 * (from rules and from format fields alike) are kept for the
	 * record and never routed. */
	report_roles_reporter(r);
	report_suppress_special(r);
	report_mark_registered_domains(r);
	v->cpu_us = cpu_now() - e.cpu0;
	return !arena_exhausted(r->arena);
}
