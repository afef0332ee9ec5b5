# rules/ (see rules/rules.h)
