/*
 * case_schema.c: the schema of the case database and its migrations.
 *
 * The version lives in PRAGMA user_version.  migrations[i] takes a file
 * from version i to i + 1; each runs in its own BEGIN IMMEDIATE
 * transaction together with the version bump, so a crash leaves the file
 * at a whole version.  A file newer than CASE_SCHEMA_VERSION is refused
 * with CASE_ERROR_SCHEMA (permanent: an older program must not write it).
 * Times are unix seconds (INTEGER); kinds and roles are their names;
 * times taken from a report (event_time, observed_at) are kept as the
 * ISO 8601 text parse/ wrote.  Defines case_schema_migrate(),
 * case_schema_read_version() and case_schema_ddl().
 */
#include "config.h"

#include "case/case_int.h"

static const char *const migrations[CASE_SCHEMA_VERSION] = {
	/* 0 -> 1: the first schema. */
	"CREATE TABLE messages ("
	"  id INTEGER PRIMARY KEY,"
	"  sha256 TEXT UNIQUE NOT NULL,"
	"  raw BLOB NOT NULL,"
	"  size INTEGER NOT NULL,"
	"  origin TEXT,"
	"  env_sender TEXT,"
	"  env_recipient TEXT,"
	"  env_orig_recipient TEXT,"
	"  received_at INTEGER,"
	"  status TEXT NOT NULL"
	"    CHECK (status IN ('parsed', 'unparsed', 'quarantined')),"
	"  orig_size INTEGER,"
	"  orig_sha256 TEXT,"
	"  seen_count INTEGER NOT NULL DEFAULT 1,"
	"  first_seen INTEGER NOT NULL,"
	"  last_seen INTEGER NOT NULL,"
	"  kind TEXT,"
	"  format TEXT,"
	"  subject TEXT,"
	"  message_id_hdr TEXT"
	");"
	"CREATE INDEX messages_message_id_hdr ON messages(message_id_hdr);"
	"CREATE TABLE reports ("
	"  id INTEGER PRIMARY KEY,"
	"  message_id INTEGER NOT NULL REFERENCES messages(id),"
	"  kind TEXT NOT NULL,"
	"  format TEXT,"
	"  subject TEXT,"
	"  reporter TEXT,"
	"  from_addr TEXT,"
	"  category TEXT,"
	"  case_tag_seen TEXT,"
	"  in_reply_to TEXT,"
	"  rules_version TEXT,"
	"  rule_errors INTEGER NOT NULL DEFAULT 0,"
	"  ignore_case INTEGER NOT NULL DEFAULT 0,"
	"  warnings TEXT,"
	"  created_at INTEGER NOT NULL"
	");"
	"CREATE INDEX reports_message ON reports(message_id);"
	"CREATE TABLE findings ("
	"  id INTEGER PRIMARY KEY,"
	"  report_id INTEGER NOT NULL REFERENCES reports(id),"
	"  kind TEXT NOT NULL,"
	"  value TEXT NOT NULL,"
	"  raw TEXT,"
	"  role TEXT NOT NULL,"
	"  part TEXT,"
	"  \"offset\" INTEGER,"
	"  source TEXT,"
	"  suppressed INTEGER NOT NULL DEFAULT 0 CHECK (suppressed IN (0, 1)),"
	"  suppress_why TEXT"
	");"
	"CREATE INDEX findings_value ON findings(value);"
	"CREATE INDEX findings_report ON findings(report_id);"
	"CREATE TABLE rule_hits ("
	"  id INTEGER PRIMARY KEY,"
	"  report_id INTEGER NOT NULL REFERENCES reports(id),"
	"  rule_id TEXT NOT NULL,"
	"  part TEXT,"
	"  \"offset\" INTEGER,"
	"  count INTEGER NOT NULL DEFAULT 1"
	");"
	"CREATE INDEX rule_hits_report ON rule_hits(report_id);"
	"CREATE INDEX rule_hits_rule ON rule_hits(rule_id);"
	"CREATE TABLE cases ("
	"  id INTEGER PRIMARY KEY,"
	"  tag TEXT UNIQUE COLLATE NOCASE,"
	"  status TEXT NOT NULL DEFAULT 'open',"
	"  category TEXT,"
	"  opened_at INTEGER NOT NULL,"
	"  closed_at INTEGER,"
	"  message_id INTEGER REFERENCES messages(id)"
	");"
	"CREATE INDEX cases_message ON cases(message_id);"
	"CREATE TABLE case_messages ("
	"  case_id INTEGER NOT NULL REFERENCES cases(id),"
	"  message_id INTEGER NOT NULL REFERENCES messages(id),"
	"  kind TEXT NOT NULL,"
	"  linked_at INTEGER,"
	"  PRIMARY KEY (case_id, message_id)"
	");"
	"CREATE INDEX case_messages_message ON case_messages(message_id);"
	"CREATE TABLE routes ("
	"  id INTEGER PRIMARY KEY,"
	"  case_id INTEGER NOT NULL REFERENCES cases(id),"
	"  finding_id INTEGER REFERENCES findings(id),"
	"  contact_id TEXT,"
	"  contact_address TEXT,"
	"  country TEXT,"
	"  reason TEXT,"
	"  unrouted INTEGER NOT NULL DEFAULT 0 CHECK (unrouted IN (0, 1))"
	");"
	"CREATE INDEX routes_case ON routes(case_id);"
	"CREATE TABLE notifications ("
	"  id INTEGER PRIMARY KEY,"
	"  case_id INTEGER NOT NULL REFERENCES cases(id),"
	"  contact_id TEXT,"
	"  address TEXT NOT NULL,"
	"  subject TEXT,"
	"  message_id_hdr TEXT UNIQUE NOT NULL,"
	"  file TEXT NOT NULL,"
	"  status TEXT NOT NULL DEFAULT 'outbox',"
	"  created_at INTEGER NOT NULL"
	");"
	"CREATE INDEX notifications_case ON notifications(case_id);"
	"CREATE INDEX notifications_file ON notifications(file);"
	"CREATE TABLE notification_findings ("
	"  notification_id INTEGER NOT NULL REFERENCES notifications(id),"
	"  finding_id INTEGER NOT NULL REFERENCES findings(id),"
	"  PRIMARY KEY (notification_id, finding_id)"
	") WITHOUT ROWID;"
	"CREATE TABLE events ("
	"  id INTEGER PRIMARY KEY,"
	"  at INTEGER NOT NULL,"
	"  message_id INTEGER REFERENCES messages(id),"
	"  case_id INTEGER REFERENCES cases(id),"
	"  kind TEXT NOT NULL,"
	"  detail TEXT"
	");"
	"CREATE INDEX events_case ON events(case_id);"
	"CREATE INDEX events_message ON events(message_id);",

	/* 1 -> 2: what structured formats say (IntelMQ taxonomy, event
	 * time, TLP, partner ticket ids; a finding's port, time and
	 * attributes).  Columns only added, so old rows read NULL. */
	"ALTER TABLE reports ADD COLUMN taxonomy TEXT;"
	"ALTER TABLE reports ADD COLUMN event_time TEXT;"
	"ALTER TABLE reports ADD COLUMN tlp TEXT;"
	"CREATE TABLE report_tickets ("
	"  report_id INTEGER NOT NULL REFERENCES reports(id),"
	"  ticket TEXT NOT NULL,"
	"  PRIMARY KEY (report_id, ticket)"
	") WITHOUT ROWID;"
	"CREATE INDEX report_tickets_ticket ON report_tickets(ticket);"
	"ALTER TABLE findings ADD COLUMN port INTEGER"
	"  CHECK (port IS NULL OR port BETWEEN 1 AND 65535);"
	"ALTER TABLE findings ADD COLUMN observed_at TEXT;"
	"ALTER TABLE findings ADD COLUMN attrs TEXT;",

	/* 2 -> 3: shadow rules (what a candidate rule set would have done
	 * differently, never acted on) and rule statistics by time. */
	"CREATE TABLE shadow_diffs ("
	"  id INTEGER PRIMARY KEY,"
	"  at INTEGER NOT NULL,"
	"  message_id INTEGER REFERENCES messages(id),"
	"  live_version TEXT,"
	"  shadow_version TEXT,"
	"  kind TEXT NOT NULL,"
	"  live TEXT,"
	"  shadow TEXT"
	");"
	"CREATE INDEX shadow_diffs_at ON shadow_diffs(at);"
	"CREATE INDEX reports_created ON reports(created_at);",

	/* 3 -> 4: live lookup answers cached per network range
	 * (route/lookup.h), and aggregation of takedowns per contact. */
	"CREATE TABLE lookup_cache ("
	"  source TEXT NOT NULL,"
	"  first_ip TEXT NOT NULL,"
	"  last_ip TEXT NOT NULL,"
	"  answer_json TEXT NOT NULL,"
	"  fetched_at INTEGER NOT NULL,"
	"  expires_at INTEGER NOT NULL,"
	"  PRIMARY KEY (source, first_ip, last_ip)"
	");"
	"CREATE INDEX lookup_cache_expiry ON lookup_cache(expires_at);"
	/* Takedown batches (case_batch.c): one row per takedown request a
	 * contact gets or will get; notification_id stays NULL while the
	 * batch waits for its due time.  Immediate requests (window 0) get
	 * a row too, sent at once, so dedup looks in one place. */
	"CREATE TABLE batches ("
	"  id INTEGER PRIMARY KEY,"
	"  contact_id TEXT NOT NULL,"
	"  contact_name TEXT,"
	"  contact_language TEXT,"
	"  address TEXT NOT NULL,"
	"  category TEXT NOT NULL DEFAULT '',"
	"  opened_at INTEGER NOT NULL,"
	"  due_at INTEGER NOT NULL,"
	"  notification_id INTEGER REFERENCES notifications(id),"
	"  sent_at INTEGER,"
	"  contact_format TEXT,"
	"  failed_at INTEGER,"
	"  error TEXT"
	");"
	"CREATE INDEX batches_pending ON batches(contact_id, category)"
	"  WHERE notification_id IS NULL;"
	"CREATE INDEX batches_due ON batches(due_at)"
	"  WHERE notification_id IS NULL;"
	"CREATE TABLE batch_findings ("
	"  batch_id INTEGER NOT NULL REFERENCES batches(id),"
	"  finding_id INTEGER NOT NULL REFERENCES findings(id),"
	"  case_id INTEGER NOT NULL REFERENCES cases(id),"
	"  cc TEXT,"
	"  PRIMARY KEY (batch_id, finding_id)"
	") WITHOUT ROWID;"
	"CREATE INDEX batch_findings_finding ON batch_findings(finding_id);"
	"CREATE TABLE finding_links ("
	"  id INTEGER PRIMARY KEY,"
	"  finding_id INTEGER NOT NULL REFERENCES findings(id),"
	"  case_id INTEGER REFERENCES cases(id),"
	"  contact_id TEXT,"
	"  batch_id INTEGER NOT NULL REFERENCES batches(id),"
	"  kind TEXT NOT NULL DEFAULT 'duplicate',"
	"  at INTEGER NOT NULL"
	");"
	"CREATE INDEX finding_links_finding ON finding_links(finding_id);",
};

const char *
case_schema_ddl(int from)
{
	g_return_val_if_fail(from >= 0 && from < CASE_SCHEMA_VERSION, NULL);
	return migrations[from];
}

int
case_schema_read_version(struct casedb *db, GError **error)
{
	sqlite3_stmt *st = NULL;
	int rc, v = -1;

	rc = sqlite3_prepare_v2(db->db, "PRAGMA user_version", -1, &st, NULL);
	if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		v = sqlite3_column_int(st, 0);
		rc = SQLITE_OK;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_OK) {
		case_sqlite_error(db, rc, "reading the schema version", error);
		return -1;
	}
	return v;
}

/* migrate_one - from version *v to *v + 1 in one transaction.  The
 * version is read again under the write lock: another process may have
 * migrated the file while we waited for it. */
static gboolean
migrate_one(struct casedb *db, int *v, GError **error)
{
	char *sql = NULL, *what;
	int rc;

	rc = sqlite3_exec(db->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		return case_sqlite_error(db, rc, "locking for migration",
		    error);
	if ((*v = case_schema_read_version(db, error)) < 0)
		goto fail;
	if (*v >= CASE_SCHEMA_VERSION) {
		sqlite3_exec(db->db, "ROLLBACK", NULL, NULL, NULL);
		return TRUE;
	}
	sql = g_strdup_printf("%s PRAGMA user_version = %d; COMMIT;",
	    migrations[*v], *v + 1);
	rc = sqlite3_exec(db->db, sql, NULL, NULL, NULL);
	g_free(sql);
	if (rc != SQLITE_OK) {
		what = g_strdup_printf("migrating the schema to version %d",
		    *v + 1);
		case_sqlite_error(db, rc, what, error);
		g_free(what);
		goto fail;
	}
	(*v)++;
	return TRUE;
fail:
	if (!sqlite3_get_autocommit(db->db))
		sqlite3_exec(db->db, "ROLLBACK", NULL, NULL, NULL);
	return FALSE;
}

gboolean
case_schema_migrate(struct casedb *db, GError **error)
{
	int v;

	if ((v = case_schema_read_version(db, error)) < 0)
		return FALSE;
	while (v < CASE_SCHEMA_VERSION)
		if (!migrate_one(db, &v, error))
			return FALSE;
	if (v > CASE_SCHEMA_VERSION) {
		g_set_error(error, CASE_ERROR, CASE_ERROR_SCHEMA,
		    "%s: schema version %d is newer than this program's (%d)",
		    db->path, v, CASE_SCHEMA_VERSION);
		return FALSE;
	}
	return TRUE;
}
