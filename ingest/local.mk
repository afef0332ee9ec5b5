# ingest/ (see ingest/ingest.h)
