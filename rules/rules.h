/*
 * rules.h: the analysts' rules: load, check, evaluate.
 *
 * A ruleset is built completely by rules_load() and is read-only
 * afterwards; reloading builds a new one and swaps only on success.
 * rules_eval() adds findings to the report (in its arena) and fills a
 * verdict.  A rule that hits a pcre2 limit is a rule error for that
 * message (counted, warned), never a failure of the message.
 */
#ifndef ABUSEDESK_RULES_H
#define ABUSEDESK_RULES_H

#include <glib.h>
#include "parse/report.h"

#define RULES_ERROR (rules_error_quark())
GQuark rules_error_quark(void);
enum rules_error_code {
	RULES_ERROR_IO,
	RULES_ERROR_SYNTAX,
	RULES_ERROR_REGEX,
	RULES_ERROR_LIMIT,
};

struct ruleset;

/* One problem found while loading: file:line:col: message. */
struct rules_diag {
	char		*file;
	guint		 line;
	guint		 col;
	gboolean	 is_error;	/* else a warning */
	char		*message;
};

/* Bounds of a ruleset, fixed at load; rules_options_init() gives the
 * defaults of parse/limits.h.  0 in a field also means the default. */
struct rules_options {
	guint32		 match_limit;	/* pcre2 match limit per call */
	guint32		 depth_limit;	/* pcre2 depth limit per call */
	guint32		 heap_limit_kib;	/* pcre2 heap limit per call */
	gsize		 part_text_cap;	/* bytes of a part body rules see */
	gint64		 cpu_budget_us;	/* thread CPU per message; <0: none */
};

/* A rule that fired on a message. */
struct rule_hit {
	const char	*rule_id;	/* arena copy */
	const char	*part;		/* "0": headers or message-level */
	gsize		 offset;
	guint		 count;		/* matches in this message */
	/* Named groups of the first match, "name=value name=value", each
	 * value cut at 64 bytes, the whole at 256 (arena), or NULL. */
	const char	*captures;
};

struct verdict {
	const char	*rules_version;	/* hash of the rule set (arena copy) */
	const char	*category;	/* set by a rule, else the report's */
	const char	*type;		/* IntelMQ classification.type: `set
					 * type`, else the category's type */
	const char	*tlp;		/* `set tlp` (also sets r->tlp) */
	const char	*route_to;	/* `route to CONTACT-ID` override */
	GPtrArray	*tags;		/* const char * (arena), unique */
	GPtrArray	*hits;		/* struct rule_hit * (arena) */
	guint		 rule_errors;	/* pcre2 limits hit, CPU budget */
	guint		 rules_run;	/* rules evaluated (all unless the
					 * budget ran out) */
	gint64		 cpu_us;	/* thread CPU time of the rules stage */
	gboolean	 cpu_exhausted;	/* stopped by the CPU budget */
	gboolean	 ignore;	/* a rule said: do not open a case */
	gboolean	 trusted;	/* `trust reporter` of an authenticated
					 * reporter */
};

/* Called for each rule in evaluation order. */
typedef void	(*rules_foreach_fn)(const char *id, const char *description,
		    const char *file, guint line, gpointer data);

/* rules_load.c */
/* path is a rules file or a directory of *.rules files (name order).
 * On failure returns NULL with the first error in *error; every
 * diagnostic (errors and warnings) is appended to diags (may be NULL;
 * elements are struct rules_diag *, free with rules_diag_free). */
struct ruleset	*rules_load(const char *path, GPtrArray *diags,
		    GError **error);
/* The same with explicit bounds (opt NULL: the defaults). */
struct ruleset	*rules_load_with(const char *path,
		    const struct rules_options *opt, GPtrArray *diags,
		    GError **error);
void		 rules_options_init(struct rules_options *opt);
void		 rules_foreach(const struct ruleset *rs, rules_foreach_fn fn,
		    gpointer data);
void		 rules_free(struct ruleset **rsp);
void		 rules_diag_free(gpointer d);
guint		 rules_count(const struct ruleset *rs);
const char	*rules_version(const struct ruleset *rs);

/* rules_diag.c */
/* Appends "file:line:col: error: message" (or "warning:") to out,
 * without a newline. */
void		 rules_diag_format(const struct rules_diag *d, GString *out);

/* rules_eval.c */
/* Runs every rule over the report: adds findings (refanged, normalised,
 * special-purpose IPs marked suppressed), fills *v.  Returns FALSE only
 * when the arena is exhausted (the report then carries a warning). */
gboolean	 rules_eval(const struct ruleset *rs, struct report *r,
		    struct verdict *v);

#endif
