# tests of parse/
