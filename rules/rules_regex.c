/*
 * rules_regex.c: pcre2 for the rules: compiling a `match` clause's regex
 * (UTF, invalid-UTF safe, JIT when available), checking its groups, and
 * the match context that bounds every match (limits.h).
 */
#include "config.h"

#include <string.h>

#include "parse/limits.h"
#include "rules/rules_int.h"

gboolean
rules_regex_compile(struct rules_loader *l, const char *file, const char *id,
    struct rule_match *m)
{
	PCRE2_UCHAR msg[256];
	PCRE2_SIZE erroff = 0;
	pcre2_match_data *md;
	int errcode = 0, rc;

	m->code = pcre2_compile((PCRE2_SPTR)m->pattern, PCRE2_ZERO_TERMINATED,
	    m->options | PCRE2_UTF | PCRE2_MATCH_INVALID_UTF, &errcode,
	    &erroff, NULL);
	if (m->code == NULL) {
		pcre2_get_error_message(errcode, msg, sizeof(msg));
		rules_diag_add(l, RULES_ERROR_REGEX, file, m->line,
		    m->col + rules_col(m->pattern, erroff) - 1,
		    "bad regex in rule '%s': %s", id, (const char *)msg);
		return FALSE;
	}
	/* Without JIT the interpreter runs the same pattern, slower. */
	if ((rc = pcre2_jit_compile(m->code, PCRE2_JIT_COMPLETE)) != 0)
		g_debug("%s:%u: rule %s: no JIT (%d)", file, m->line, id, rc);
	md = pcre2_match_data_create_from_pattern(m->code, NULL);
	rc = pcre2_match(m->code, (PCRE2_SPTR)"", 0, 0, 0, md, NULL);
	pcre2_match_data_free(md);
	if (rc >= 0)
		rules_diag_add(l, RULES_WARNING, file, m->line, m->col,
		    "regex of rule '%s' matches the empty string", id);
	return TRUE;
}

gboolean
rules_regex_has_group(const pcre2_code *code, const char *name)
{
	int n = pcre2_substring_number_from_name(code, (PCRE2_SPTR)name);

	return n >= 0 || n == PCRE2_ERROR_NOUNIQUESUBSTRING;
}

int
rules_regex_group(const pcre2_code *code, pcre2_match_data *md,
    const char *name)
{
	PCRE2_SPTR first, last, e;
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
	guint32 count = pcre2_get_ovector_count(md), esize;
	int rc;

	rc = pcre2_substring_nametable_scan(code, (PCRE2_SPTR)name, &first,
	    &last);
	if (rc < 0)
		return -1;
	pcre2_pattern_info(code, PCRE2_INFO_NAMEENTRYSIZE, &esize);
	/* Duplicate names (?J): the first group of that name that is set. */
	for (e = first; e <= last; e += esize) {
		guint n = (e[0] << 8) | e[1];

		if (n < count && ov[2 * n] != PCRE2_UNSET)
			return (int)n;
	}
	return -1;
}

pcre2_match_context *
rules_regex_match_context(const struct rules_options *opt)
{
	pcre2_match_context *mctx = pcre2_match_context_create(NULL);

	pcre2_set_match_limit(mctx, opt->match_limit);
	pcre2_set_depth_limit(mctx, opt->depth_limit);
	pcre2_set_heap_limit(mctx, opt->heap_limit_kib);
	return mctx;
}
