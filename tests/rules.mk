# tests of rules/
