# tests of case/
