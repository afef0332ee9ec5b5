# tests of route/
