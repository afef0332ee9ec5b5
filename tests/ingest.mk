# tests of ingest/
