# rules/: the analysts' rules language: load, check, evaluate (rules.h).
noinst_LIBRARIES += rules/librules.a
rules_librules_a_CPPFLAGS = $(AM_CPPFLAGS) -DG_LOG_DOMAIN=\"abusedesk-rules\"
rules_librules_a_CFLAGS = $(AM_CFLAGS) $(PCRE2_CFLAGS)
rules_librules_a_SOURCES = \
	rules/rules.h rules/rules_int.h \
	rules/rules_diag.c \
	rules/rules_regex.c \
	rules/rules_parse.c \
	rules/rules_clause.c \
	rules/rules_set.c \
	rules/rules_check.c \
	rules/rules_load.c \
	rules/rules_eval.c \
	rules/rules_cond.c

# The default rules, installed for `abusedesk run` and `rules check`.
rulesdir = $(pkgdatadir)/rules
dist_rules_DATA = \
	rules/default/00-extract.rules \
	rules/default/05-roles.rules \
	rules/default/10-category.rules \
	rules/default/90-allowlist.rules \
	rules/default/allowlist-own.txt
