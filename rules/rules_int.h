/*
 * rules_int.h: the compiled form of a rules file, shared by the files of
 * rules/ only.  Other modules see struct ruleset as opaque (rules.h).
 */
#ifndef ABUSEDESK_RULES_INT_H
#define ABUSEDESK_RULES_INT_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "rules/rules.h"

/* Matches of one rule in one part before we stop and warn. */
#define RULES_MAX_MATCHES_PER_PART	10000

enum rule_target {
	RULE_TARGET_BODY,		/* every decoded text part */
	RULE_TARGET_HEADER,		/* every top-level header NAME */
};

/* One `match` clause: where, and the compiled regex. */
struct rule_match {
	enum rule_target	 target;
	char			*header;	/* RULE_TARGET_HEADER */
	char			*pattern;	/* as written, for messages */
	guint32			 options;	/* pcre2 compile options */
	pcre2_code		*code;
	guint			 line;
	guint			 col;
};

/* One `extract KIND [as ROLE]` clause. */
struct rule_extract {
	enum finding_kind	 kind;
	enum finding_role	 role;
	guint			 match;		/* index in rule->matches */
	char			*group;		/* the kind's name or "value" */
	guint			 line;
	guint			 col;
};

struct rule {
	char		*id;
	char		*description;
	char		*file;
	guint		 line;
	GPtrArray	*matches;	/* struct rule_match * */
	GArray		*extracts;	/* struct rule_extract */
	char		*category;	/* `set category`, or NULL */
	gboolean	 ignore;
	guint32		 max_groups;	/* capture groups of the widest regex */
};

struct ruleset {
	GPtrArray		*rules;		/* struct rule *, load order */
	GHashTable		*by_id;		/* id -> struct rule * */
	char			*version;	/* hex SHA-256 of the files */
	pcre2_match_context	*mctx;		/* limits from limits.h */
	guint32			 max_groups;
};

/* The state of one load: where we are and what we found. */
struct rules_loader {
	struct ruleset	*rs;
	GPtrArray	*diags;		/* struct rules_diag * (ours) */
	GChecksum	*sum;
	GPtrArray	*stack;		/* canonical paths being loaded */
	guint		 errors;
	int		 first_code;	/* of the first error */
};

/* rules_diag.c */
/* code is an enum rules_error_code, or RULES_WARNING. */
#define RULES_WARNING	(-1)
void		 rules_diag_add(struct rules_loader *l, int code,
		    const char *file, guint line, guint col, const char *fmt,
		    ...) G_GNUC_PRINTF(6, 7);
/* 1-based column of byte offset off in line (counted in characters). */
guint		 rules_col(const char *line, gsize off);

/* rules_parse.c */
/* Parses one file's text; adds rules to l->rs, includes through
 * rules_load_include(). */
void		 rules_parse_text(struct rules_loader *l, const char *file,
		    const char *text, gsize len);

/* rules_load.c */
void		 rules_load_include(struct rules_loader *l, const char *from,
		    guint line, guint col, const char *name);
void		 rules_add_rule(struct rules_loader *l, struct rule *ru);
void		 rule_free(struct rule *ru);

/* rules_regex.c */
/* Compiles the pattern of m (already set: pattern, options, line, col);
 * FALSE with a diagnostic on failure. */
gboolean	 rules_regex_compile(struct rules_loader *l, const char *file,
		    const char *id, struct rule_match *m);
/* Number of the first group called name that is set in md, or -1. */
int		 rules_regex_group(const pcre2_code *code,
		    pcre2_match_data *md, const char *name);
gboolean	 rules_regex_has_group(const pcre2_code *code,
		    const char *name);
pcre2_match_context *rules_regex_match_context(void);

#endif
