/*
 * rules_cond.c: the conditions that look at the message as a whole
 * without a regex (`format is`, `reporter domain`, `authenticated`),
 * and the actions on findings (`suppress`, `role`) applied once every
 * rule has run, so an allowlist covers findings of later rules and of
 * format fields alike.
 *
 * `authenticated` reads only the first (topmost) Authentication-Results
 * header: the one our receiving MTA adds.  Lower ones were written by
 * whoever sent the mail and prove nothing.  A method counts when it is
 * "pass" for the From domain: dkim header.d, spf smtp.mailfrom's domain
 * or dmarc header.from equal to the From domain or a parent of it
 * (relaxed alignment, RFC 7489 3.1).
 */
#include "config.h"

#include <string.h>

#include "rules/rules_int.h"

static const char *
from_domain(const struct report *r)
{
	const char *at;

	if (r->from == NULL || (at = strrchr(r->from, '@')) == NULL)
		return NULL;
	return at + 1;
}

/* In one resinfo "dkim=pass (comment) header.d=example.com ...": is
 * method passing with property prop aligned with dom? */
static gboolean
resinfo_pass(const char *ri, const char *method, const char *prop,
    const char *dom)
{
	gsize ml = strlen(method), pl = strlen(prop);
	const char *p, *v, *e;
	char *val;
	gboolean ok;

	while (*ri == ' ' || *ri == '\t' || *ri == '\r' || *ri == '\n')
		ri++;
	if (g_ascii_strncasecmp(ri, method, ml) != 0 ||
	    g_ascii_strncasecmp(ri + ml, "=pass", 5) != 0 ||
	    (ri[ml + 5] != '\0' && !g_ascii_isspace(ri[ml + 5])))
		return FALSE;
	for (p = ri + ml + 5; (p = strstr(p, prop)) != NULL; p += pl) {
		if (p[-1] != ' ' && p[-1] != '\t' && p[-1] != ')')
			continue;
		v = p + pl;
		for (e = v; *e != '\0' && !g_ascii_isspace(*e) && *e != ';' &&
		    *e != ')'; e++)
			;
		if (memchr(v, '@', e - v) != NULL)
			v = (const char *)memchr(v, '@', e - v) + 1;
		if (e == v)
			continue;
		val = g_ascii_strdown(v, e - v);
		ok = rules_suffix_match(dom, val);
		g_free(val);
		if (ok)
			return TRUE;
	}
	return FALSE;
}

gboolean
rules_auth_pass(const struct report *r, guint what)
{
	const char *ar = report_header(r, "Authentication-Results");
	const char *dom = from_domain(r);
	char **ri, *low;
	gboolean ok = FALSE;
	guint i;

	if (ar == NULL || dom == NULL)
		return FALSE;
	low = g_ascii_strdown(ar, -1);
	ri = g_strsplit(low, ";", -1);
	/* ri[0] is the authserv-id. */
	for (i = 1; ri[0] != NULL && ri[i] != NULL && !ok; i++) {
		if (what == RULE_AUTH_DKIM)
			ok = resinfo_pass(ri[i], "dkim", "header.d=", dom) ||
			    resinfo_pass(ri[i], "dkim", "header.i=", dom);
		else if (what == RULE_AUTH_SPF)
			ok = resinfo_pass(ri[i], "spf", "smtp.mailfrom=", dom);
		else
			ok = resinfo_pass(ri[i], "dmarc", "header.from=", dom);
	}
	g_strfreev(ri);
	g_free(low);
	return ok;
}

gboolean
rules_format_is(const struct report *r, const char *list)
{
	char *want;
	gboolean ok;

	if (r->format == NULL)
		return FALSE;
	want = g_strdup_printf("|%s|", r->format);
	ok = strstr(list, want) != NULL;
	g_free(want);
	return ok;
}

gboolean
rules_reporter_in(const struct report *r, const char *suffix)
{
	const char *who = r->reporter != NULL ? r->reporter : r->from;
	const char *at;

	if (who == NULL)
		return FALSE;
	if ((at = strrchr(who, '@')) != NULL)
		who = at + 1;
	return rules_suffix_match(who, suffix);
}

static void
apply(struct report *r, const struct rule *ru, const struct rule_action *a)
{
	guint i;

	for (i = 0; i < r->findings->len; i++) {
		struct finding *f = g_ptr_array_index(r->findings, i);

		if ((a->fkind >= 0 && (int)f->kind != a->fkind) ||
		    !rules_valueset_has(a->vs, f->kind, f->value))
			continue;
		if (a->kind == ACTION_ROLE) {
			f->role = a->role;
			continue;
		}
		if (f->suppressed)
			continue;
		f->suppressed = TRUE;
		f->suppress_why = a->why != NULL ?
		    arena_strdup(r->arena, a->why) :
		    arena_printf(r->arena, "in %s (rule %s)", a->vs->label,
		    ru->id);
	}
}

void
rules_apply_actions(struct report *r, GPtrArray *fired)
{
	guint i, j;

	for (i = 0; i < fired->len; i++) {
		const struct rule *ru = g_ptr_array_index(fired, i);

		for (j = 0; j < ru->actions->len; j++)
			apply(r, ru, g_ptr_array_index(ru->actions, j));
	}
}
