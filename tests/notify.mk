# tests of notify/
