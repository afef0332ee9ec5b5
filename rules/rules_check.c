/*
 * rules_check.c: the checker's warnings that look at a whole rule or at
 * the whole set: named groups no extract uses, regexes that compile too
 * large, and rules shadowed by an earlier rule with the same conditions
 * (one that ignores the message, or one with the same actions).
 * Errors are found while parsing (rules_parse.c, rules_clause.c).
 */
#include "config.h"

#include <string.h>

#include "parse/limits.h"
#include "rules/rules_int.h"

static gboolean
group_used(const struct rule *ru, const char *name)
{
	guint i;

	if (name[0] == '_')
		return TRUE;
	for (i = 0; i < ru->extracts->len; i++)
		if (g_strcmp0(g_array_index(ru->extracts, struct rule_extract,
		    i).group, name) == 0)
			return TRUE;
	return FALSE;
}

void
rules_check_rule(struct rules_loader *l, struct rule *ru)
{
	PCRE2_SPTR table;
	guint32 count, esize, i, j;
	size_t size;

	for (i = 0; i < ru->matches->len; i++) {
		struct rule_match *m = g_ptr_array_index(ru->matches, i);

		pcre2_pattern_info(m->code, PCRE2_INFO_SIZE, &size);
		if (size > LIMIT_RULES_REGEX_BYTES)
			rules_diag_add(l, RULES_WARNING, ru->file, m->line,
			    m->col, "regex of rule '%s' compiles to %zu "
			    "bytes (limit %u): put long lists in a list file",
			    ru->id, size, LIMIT_RULES_REGEX_BYTES);
		pcre2_pattern_info(m->code, PCRE2_INFO_NAMECOUNT, &count);
		pcre2_pattern_info(m->code, PCRE2_INFO_NAMEENTRYSIZE, &esize);
		pcre2_pattern_info(m->code, PCRE2_INFO_NAMETABLE, &table);
		for (j = 0; j < count; j++) {
			const char *name = (const char *)table + j * esize + 2;

			if (j > 0 && strcmp(name, (const char *)table +
			    (j - 1) * esize + 2) == 0)
				continue;	/* (?J) duplicates */
			if (!group_used(ru, name))
				rules_diag_add(l, RULES_WARNING, ru->file,
				    m->line, m->col, "named group '%s' of "
				    "rule '%s' is not extracted (call it "
				    "'_%s' to keep it for the hit's "
				    "captures only)", name, ru->id, name);
		}
	}
}

static void
sig_cond(GString *s, const struct rule_cond *cd)
{
	guint i;

	g_string_append_printf(s, "(%d%c", cd->kind, cd->negate ? '!' : ' ');
	if (cd->m != NULL)
		g_string_append_printf(s, "%d %s /%s/%x", cd->m->target,
		    cd->m->header != NULL ? cd->m->header : "",
		    cd->m->pattern, cd->m->options);
	if (cd->text != NULL)
		g_string_append_printf(s, " %s", cd->text);
	if (cd->kind == COND_AUTH || cd->kind == COND_FINDING)
		g_string_append_printf(s, " %u %d", cd->auth, cd->fkind);
	if (cd->vs != NULL)
		g_string_append_printf(s, " %s", cd->vs->label);
	for (i = 0; cd->children != NULL && i < cd->children->len; i++)
		sig_cond(s, g_ptr_array_index(cd->children, i));
	g_string_append_c(s, ')');
}

static void
sig_actions(GString *s, const struct rule *ru)
{
	guint i;

	g_string_append_printf(s, "|%s|%s|%s|%s|%d%d|",
	    ru->category != NULL ? ru->category : "",
	    ru->type != NULL ? ru->type : "", ru->tlp != NULL ? ru->tlp : "",
	    ru->route_to != NULL ? ru->route_to : "", ru->ignore, ru->trust);
	for (i = 0; i < ru->tags->len; i++)
		g_string_append_printf(s, "t%s ",
		    (char *)g_ptr_array_index(ru->tags, i));
	for (i = 0; i < ru->extracts->len; i++) {
		const struct rule_extract *e = &g_array_index(ru->extracts,
		    struct rule_extract, i);

		g_string_append_printf(s, "x%d/%d/%s ", e->kind, e->role,
		    e->group);
	}
	for (i = 0; i < ru->actions->len; i++) {
		const struct rule_action *a = g_ptr_array_index(ru->actions,
		    i);

		g_string_append_printf(s, "a%d/%d/%d/%s/%s ", a->kind,
		    a->fkind, a->role, a->vs->label,
		    a->why != NULL ? a->why : "");
	}
}

void
rules_check_set(struct rules_loader *l)
{
	GHashTable *ignoring, *same;
	struct rule *ru, *old;
	GString *s = g_string_new(NULL);
	guint i;

	ignoring = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
	    NULL);
	same = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	for (i = 0; i < l->rs->rules->len; i++) {
		ru = g_ptr_array_index(l->rs->rules, i);
		g_string_truncate(s, 0);
		sig_cond(s, ru->cond);
		if ((old = g_hash_table_lookup(ignoring, s->str)) != NULL) {
			rules_diag_add(l, RULES_WARNING, ru->file, ru->line, 1,
			    "rule '%s' is shadowed by rule '%s' at %s:%u "
			    "(same conditions, and it ignores the message)",
			    ru->id, old->id, old->file, old->line);
			continue;
		}
		if (ru->ignore)
			g_hash_table_insert(ignoring, g_strdup(s->str), ru);
		sig_actions(s, ru);
		if ((old = g_hash_table_lookup(same, s->str)) != NULL) {
			rules_diag_add(l, RULES_WARNING, ru->file, ru->line, 1,
			    "rule '%s' is shadowed by rule '%s' at %s:%u "
			    "(same conditions and actions)", ru->id, old->id,
			    old->file, old->line);
			continue;
		}
		g_hash_table_insert(same, g_strdup(s->str), ru);
	}
	g_hash_table_destroy(ignoring);
	g_hash_table_destroy(same);
	g_string_free(s, TRUE);
}
