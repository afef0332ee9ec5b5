/*
 * rules_int.h: the compiled form of a rules file, shared by the files of
 * rules/ only.  Other modules see struct ruleset as opaque (rules.h).
 */
#ifndef ABUSEDESK_RULES_INT_H
#define ABUSEDESK_RULES_INT_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "parse/netaddr.h"
#include "rules/rules.h"

/* Matches of one rule in one part before we stop and warn. */
#define RULES_MAX_MATCHES_PER_PART	10000

enum rule_target {
	RULE_TARGET_BODY,		/* every decoded text part */
	RULE_TARGET_HEADER,		/* every top-level header NAME */
	RULE_TARGET_PART_TYPE,		/* the part's content type */
	RULE_TARGET_PART_FILENAME,	/* the part's file name */
	RULE_TARGET_FIELD,		/* a report field (finding source
					 * "fmt:NAME") or header NAME */
	RULE_TARGET_REPORTER,		/* r->reporter, else r->from */
	RULE_TARGET_FINDING,		/* `finding KIND in /re/` values */
};

/* A regex clause: where, and the compiled regex. */
struct rule_match {
	enum rule_target	 target;
	char			*header;	/* HEADER, FIELD: the name */
	char			*pattern;	/* as written, for messages */
	guint32			 options;	/* pcre2 compile options */
	pcre2_code		*code;
	guint			 line;
	guint			 col;
	gboolean		 negated;	/* under `not`: no extract */
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

/* Values a finding is tested against: CIDRs and domain suffixes (from
 * the clause or a list file), or a regex. */
struct rule_net {
	struct netaddr		 net;
	guint			 plen;		/* on the 128-bit form */
};
struct valueset {
	GArray			*nets;		/* struct rule_net */
	GPtrArray		*suffixes;	/* char *, lower case */
	struct rule_match	*re;		/* owned by rule->matches */
	char			*label;		/* as written, for reasons */
};

enum cond_kind {
	COND_ALL,			/* every child (the rule's root) */
	COND_ANY,			/* at least one child */
	COND_MATCH,			/* a regex clause (struct rule_match) */
	COND_FORMAT,			/* `format is a|b` */
	COND_REPORTER_DOMAIN,		/* `reporter domain SUFFIX` */
	COND_AUTH,			/* `authenticated dkim|spf|dmarc` */
	COND_FINDING,			/* `finding KIND in SET` */
	COND_ALWAYS,			/* `always` */
};

#define RULE_AUTH_DKIM		0x1
#define RULE_AUTH_SPF		0x2
#define RULE_AUTH_DMARC		0x4

struct rule_cond {
	enum cond_kind		 kind;
	gboolean		 negate;	/* `not ...` */
	gboolean		 per_part;	/* depends on the part */
	guint			 leaf;		/* index in the eval cache */
	struct rule_match	*m;		/* COND_MATCH */
	char			*text;		/* "|a|b|", or a domain */
	guint			 auth;		/* COND_AUTH: RULE_AUTH_* */
	int			 fkind;		/* COND_FINDING */
	struct valueset		*vs;		/* COND_FINDING */
	GPtrArray		*children;	/* struct rule_cond * */
	struct rule_cond	*up;		/* while parsing */
	guint			 line;
	guint			 col;
};

enum action_kind {
	ACTION_SUPPRESS,		/* `suppress [KIND] in SET` */
	ACTION_ROLE,			/* `role ROLE for KIND in SET` */
};

struct rule_action {
	enum action_kind	 kind;
	int			 fkind;		/* -1: any kind */
	enum finding_role	 role;
	struct valueset		*vs;
	char			*why;		/* `because "..."`, or NULL */
};

struct rule {
	char		*id;
	char		*description;
	char		*file;
	guint		 line;
	GPtrArray	*matches;	/* struct rule_match *, every regex */
	struct rule_cond *cond;		/* COND_ALL root */
	guint		 nleaves;
	gboolean	 per_part;	/* some condition looks at a part */
	GArray		*extracts;	/* struct rule_extract */
	GPtrArray	*actions;	/* struct rule_action * */
	GPtrArray	*tags;		/* char * */
	char		*category;	/* `set category`, or NULL */
	char		*type;		/* `set type` */
	char		*tlp;		/* `set tlp` */
	char		*route_to;	/* `route to` */
	gboolean	 ignore;
	gboolean	 trust;		/* `trust reporter` */
	guint32		 match_limit;	/* `limit match N`, 0: the set's */
	guint32		 depth_limit;	/* `limit depth N` */
	guint32		 max_groups;	/* capture groups of the widest regex */
};

struct ruleset {
	GPtrArray		*rules;		/* struct rule *, load order */
	GHashTable		*by_id;		/* id -> struct rule * */
	char			*version;	/* hex SHA-256 of the files */
	pcre2_match_context	*mctx;		/* limits from limits.h */
	guint32			 max_groups;
	guint			 max_leaves;
	struct rules_options	 opt;
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

/* rules_parse.c: the lexer, blocks and the core clauses. */
struct cursor {
	struct rules_loader	*l;
	const char		*file;
	const char		*line;
	const char		*p;
	guint			 lineno;
};
/* Parses one file's text; adds rules to l->rs, includes through
 * rules_load_include(). */
void		 rules_parse_text(struct rules_loader *l, const char *file,
		    const char *text, gsize len);
void		 rules_perr(struct cursor *c, const char *at, const char *fmt,
		    const char *arg);
void		 rules_skip_ws(struct cursor *c);
char		*rules_read_token(struct cursor *c);
char		*rules_read_string(struct cursor *c, gboolean *unterminated);
gboolean	 rules_end_of_line(struct cursor *c);
gboolean	 rules_valid_word(const char *s, gboolean dots);
/* /pattern/flags, compiled, added to ru->matches; NULL on error. */
struct rule_match *rules_read_match(struct cursor *c, struct rule *ru,
		    enum rule_target target, char *name);

/* rules_clause.c: conditions beyond `match` and the newer actions.
 * Each returns TRUE when it knew the keyword. */
gboolean	 rules_clause_cond(struct cursor *c, struct rule *ru,
		    struct rule_cond *group, const char *kw, gboolean negate,
		    const char *at);
gboolean	 rules_clause_action(struct cursor *c, struct rule *ru,
		    const char *kw, const char *at);
void		 rules_cond_free(struct rule_cond *cd);
void		 rules_action_free(struct rule_action *a);
/* Does the condition tree contain a positive `authenticated`? */
gboolean	 rules_cond_has_auth(const struct rule_cond *cd);

/* rules_set.c: value sets (CIDR, suffix, list file). */
/* Reads `SET` at c->p: "file", CIDR, IP, /re/ (when re_ok) or a domain
 * suffix.  NULL with a diagnostic on error. */
struct valueset	*rules_valueset_read(struct cursor *c, struct rule *ru,
		    gboolean re_ok);
void		 rules_valueset_free(struct valueset *vs);
/* Is value (of kind) in the CIDRs or suffixes of vs? (not the regex) */
gboolean	 rules_valueset_has(const struct valueset *vs,
		    enum finding_kind kind, const char *value);
/* Is name (lower case) equal to suffix or below it, on a label
 * boundary? */
gboolean	 rules_suffix_match(const char *name, const char *suffix);

/* rules_cond.c: message-level conditions and the set actions. */
gboolean	 rules_auth_pass(const struct report *r, guint what);
gboolean	 rules_format_is(const struct report *r, const char *list);
gboolean	 rules_reporter_in(const struct report *r, const char *suffix);
/* Applies the suppress and role actions of the rules (const struct
 * rule *) that fired, in order, to every finding of r. */
void		 rules_apply_actions(struct report *r, GPtrArray *fired);

/* rules_check.c: warnings over a whole rule and the loaded set. */
void		 rules_check_rule(struct rules_loader *l, struct rule *ru);
void		 rules_check_set(struct rules_loader *l);

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
pcre2_match_context *rules_regex_match_context(
		    const struct rules_options *opt);

#endif
