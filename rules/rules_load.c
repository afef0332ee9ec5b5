/*
 * rules_load.c: building a ruleset from files: a file or a directory of
 * *.rules files in name order, bounded includes, replacement of a rule
 * by a later one with the same id, the version hash, and freeing.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <glib/gstdio.h>

#include "parse/limits.h"
#include "rules/rules_int.h"

void
rule_free(struct rule *ru)
{
	guint i;

	if (ru == NULL)
		return;
	for (i = 0; i < ru->matches->len; i++) {
		struct rule_match *m = g_ptr_array_index(ru->matches, i);

		pcre2_code_free(m->code);
		g_free(m->header);
		g_free(m->pattern);
		g_free(m);
	}
	g_ptr_array_free(ru->matches, TRUE);
	for (i = 0; i < ru->extracts->len; i++)
		g_free(g_array_index(ru->extracts, struct rule_extract,
		    i).group);
	g_array_free(ru->extracts, TRUE);
	g_ptr_array_free(ru->actions, TRUE);
	g_ptr_array_free(ru->tags, TRUE);
	rules_cond_free(ru->cond);
	g_free(ru->type);
	g_free(ru->tlp);
	g_free(ru->route_to);
	g_free(ru->id);
	g_free(ru->description);
	g_free(ru->file);
	g_free(ru->category);
	g_free(ru);
}

void
rules_free(struct ruleset **rsp)
{
	struct ruleset *rs;

	if (rsp == NULL || (rs = *rsp) == NULL)
		return;
	*rsp = NULL;
	g_ptr_array_free(rs->rules, TRUE);	/* frees through rule_free */
	g_hash_table_destroy(rs->by_id);
	pcre2_match_context_free(rs->mctx);
	g_free(rs->version);
	g_free(rs);
}

guint
rules_count(const struct ruleset *rs)
{
	return rs->rules->len;
}

const char *
rules_version(const struct ruleset *rs)
{
	return rs->version;
}

void
rules_foreach(const struct ruleset *rs, rules_foreach_fn fn, gpointer data)
{
	guint i;

	for (i = 0; i < rs->rules->len; i++) {
		const struct rule *ru = g_ptr_array_index(rs->rules, i);

		fn(ru->id, ru->description, ru->file, ru->line, data);
	}
}

void
rules_options_init(struct rules_options *opt)
{
	opt->match_limit = LIMIT_PCRE2_MATCH;
	opt->depth_limit = LIMIT_PCRE2_DEPTH;
	opt->heap_limit_kib = LIMIT_PCRE2_HEAP_KIB;
	opt->part_text_cap = LIMIT_RULES_PART_TEXT;
	opt->cpu_budget_us = LIMIT_RULES_CPU_US;
}

void
rules_add_rule(struct rules_loader *l, struct rule *ru)
{
	struct ruleset *rs = l->rs;
	struct rule *old;
	guint i;
	guint32 groups;

	for (i = 0; i < ru->matches->len; i++) {
		struct rule_match *m = g_ptr_array_index(ru->matches, i);

		pcre2_pattern_info(m->code, PCRE2_INFO_CAPTURECOUNT, &groups);
		ru->max_groups = MAX(ru->max_groups, groups);
	}
	if ((old = g_hash_table_lookup(rs->by_id, ru->id)) != NULL) {
		rules_diag_add(l, RULES_WARNING, ru->file, ru->line, 1,
		    "rule '%s' replaces the one at %s:%u", ru->id, old->file,
		    old->line);
		for (i = 0; i < rs->rules->len; i++)
			if (g_ptr_array_index(rs->rules, i) == old)
				break;
		g_hash_table_replace(rs->by_id, ru->id, ru);
		/* In place: evaluation order stays that of the first. */
		g_ptr_array_index(rs->rules, i) = ru;
		rule_free(old);
	} else if (rs->rules->len >= LIMIT_RULES_COUNT) {
		if (l->errors == 0 || l->first_code != RULES_ERROR_LIMIT)
			rules_diag_add(l, RULES_ERROR_LIMIT, ru->file, ru->line,
			    1, "too many rules (limit %u)", LIMIT_RULES_COUNT);
		rule_free(ru);
		return;
	} else {
		g_ptr_array_add(rs->rules, ru);
		g_hash_table_insert(rs->by_id, ru->id, ru);
	}
	rs->max_groups = MAX(rs->max_groups, ru->max_groups);
	rs->max_leaves = MAX(rs->max_leaves, ru->nleaves);
}

static void
load_file(struct rules_loader *l, const char *path, const char *from,
    guint line, guint col)
{
	const char *at = from != NULL ? from : path;
	guint aline = from != NULL ? line : 0, acol = from != NULL ? col : 0;
	GError *err = NULL;
	GStatBuf st;
	char *real, *text = NULL;
	gsize len = 0;
	guint i;

	if ((real = realpath(path, NULL)) == NULL || g_stat(real, &st) != 0) {
		rules_diag_add(l, RULES_ERROR_IO, at, aline, acol,
		    "cannot read '%s': %s", path, g_strerror(errno));
		free(real);
		return;
	}
	for (i = 0; i < l->stack->len; i++) {
		if (strcmp(g_ptr_array_index(l->stack, i), real) == 0) {
			rules_diag_add(l, RULES_ERROR_SYNTAX, at, aline, acol,
			    "include loop: '%s' is already being loaded",
			    path);
			free(real);
			return;
		}
	}
	if (l->stack->len > LIMIT_RULES_INCLUDE_DEPTH) {
		rules_diag_add(l, RULES_ERROR_LIMIT, at, aline, acol,
		    "includes nested deeper than %u",
		    LIMIT_RULES_INCLUDE_DEPTH);
		free(real);
		return;
	}
	if (st.st_size > (goffset)LIMIT_RULES_FILE_BYTES) {
		rules_diag_add(l, RULES_ERROR_LIMIT, path, 1, 1,
		    "file too large (%lld bytes, limit %u)",
		    (long long)st.st_size, LIMIT_RULES_FILE_BYTES);
		free(real);
		return;
	}
	if (!g_file_get_contents(real, &text, &len, &err)) {
		rules_diag_add(l, RULES_ERROR_IO, at, aline, acol, "%s",
		    err->message);
		g_clear_error(&err);
		free(real);
		return;
	}
	g_checksum_update(l->sum, (const guchar *)text, len);
	g_ptr_array_add(l->stack, real);
	rules_parse_text(l, path, text, len);
	g_ptr_array_remove_index(l->stack, l->stack->len - 1);
	free(real);
	g_free(text);
}

static gint
cmp_names(gconstpointer a, gconstpointer b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
load_path(struct rules_loader *l, const char *path, const char *from,
    guint line, guint col)
{
	GPtrArray *names;
	GError *err = NULL;
	const char *name;
	GDir *dir;
	guint i;

	if (!g_file_test(path, G_FILE_TEST_IS_DIR)) {
		load_file(l, path, from, line, col);
		return;
	}
	if ((dir = g_dir_open(path, 0, &err)) == NULL) {
		rules_diag_add(l, RULES_ERROR_IO, from != NULL ? from : path,
		    line, col, "%s", err->message);
		g_clear_error(&err);
		return;
	}
	names = g_ptr_array_new_with_free_func(g_free);
	while ((name = g_dir_read_name(dir)) != NULL)
		if (g_str_has_suffix(name, ".rules") && name[0] != '.')
			g_ptr_array_add(names, g_strdup(name));
	g_dir_close(dir);
	g_ptr_array_sort(names, cmp_names);
	for (i = 0; i < names->len; i++) {
		char *p = g_build_filename(path, g_ptr_array_index(names, i),
		    NULL);

		load_file(l, p, from, line, col);
		g_free(p);
	}
	g_ptr_array_free(names, TRUE);
}

void
rules_load_include(struct rules_loader *l, const char *from, guint line,
    guint col, const char *name)
{
	char *dir, *path;

	if (g_path_is_absolute(name))
		path = g_strdup(name);
	else {
		dir = g_path_get_dirname(from);
		path = g_build_filename(dir, name, NULL);
		g_free(dir);
	}
	load_path(l, path, from, line, col);
	g_free(path);
}

struct ruleset *
rules_load(const char *path, GPtrArray *diags, GError **error)
{
	return rules_load_with(path, NULL, diags, error);
}

struct ruleset *
rules_load_with(const char *path, const struct rules_options *opt,
    GPtrArray *diags, GError **error)
{
	struct rules_loader l = { 0 };
	struct ruleset *rs;
	guint i;

	g_return_val_if_fail(path != NULL, NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);
	rs = g_new0(struct ruleset, 1);
	rs->rules = g_ptr_array_new_with_free_func((GDestroyNotify)rule_free);
	rs->by_id = g_hash_table_new(g_str_hash, g_str_equal);
	rules_options_init(&rs->opt);
	if (opt != NULL) {
		if (opt->match_limit != 0)
			rs->opt.match_limit = opt->match_limit;
		if (opt->depth_limit != 0)
			rs->opt.depth_limit = opt->depth_limit;
		if (opt->heap_limit_kib != 0)
			rs->opt.heap_limit_kib = opt->heap_limit_kib;
		if (opt->part_text_cap != 0)
			rs->opt.part_text_cap = opt->part_text_cap;
		if (opt->cpu_budget_us != 0)
			rs->opt.cpu_budget_us = opt->cpu_budget_us;
	}
	rs->mctx = rules_regex_match_context(&rs->opt);
	l.rs = rs;
	l.diags = g_ptr_array_new();
	l.sum = g_checksum_new(G_CHECKSUM_SHA256);
	l.stack = g_ptr_array_new();
	load_path(&l, path, NULL, 0, 0);
	if (l.errors == 0)	/* shadowing in a broken set is noise */
		rules_check_set(&l);
	rs->version = g_strdup(g_checksum_get_string(l.sum));
	g_checksum_free(l.sum);
	g_ptr_array_free(l.stack, TRUE);
	for (i = 0; i < l.diags->len; i++) {
		struct rules_diag *d = g_ptr_array_index(l.diags, i);

		if (d->is_error && l.errors > 0) {
			g_set_error(error, RULES_ERROR, l.first_code,
			    "%s:%u:%u: %s", d->file, d->line, d->col,
			    d->message);
			l.errors = 0;	/* only the first */
			rules_free(&rs);
		}
		if (diags != NULL)
			g_ptr_array_add(diags, d);
		else
			rules_diag_free(d);
	}
	g_ptr_array_free(l.diags, TRUE);
	return rs;
}
