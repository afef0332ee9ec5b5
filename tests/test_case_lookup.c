/*
 * test_case_lookup.c: the live lookups' answer cache in the case DB
 * (case/case_lookup.c): rows saved only when fetched since the given
 * time, a round trip back into a struct lookup_cache, a bad row skipped
 * without stopping the load, expired rows neither loaded nor kept.
 */
#include "config.h"

#include "tests/test_case_fixture.h"
#include "route/lookup.h"

#define NOW	1800000000

TestSuite(case_lookup, .init = fx_setup, .fini = fx_teardown,
    .timeout = 10);

static const char json[] = "{\"abuse_email\":\"abuse@a.example\","
    "\"network\":\"45.33.10.0/24\",\"source\":\"rdap\"}";

/* add - one cached answer for first..last, fetched at f, expiring at e */
static void
add(struct lookup_cache *c, const char *first, const char *last,
    gint64 f, gint64 e)
{
	struct lookup_cache_row row = { "rdap", first, last, json, f, e };
	GError *err = NULL;

	cr_assert(lookup_cache_import(c, &row, NOW - 1000, &err), "%s",
	    err != NULL ? err->message : "");
}

static gint64
count(const char *sql)
{
	sqlite3_stmt *st;
	gint64 n = -1;

	cr_assert_eq(sqlite3_prepare_v2(fx_db->db, sql, -1, &st, NULL),
	    SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

Test(case_lookup, saves_what_was_fetched_since_and_loads_it_back)
{
	struct lookup_cache *c = lookup_cache_new(0), *back;
	struct lookup_answer a;
	struct netaddr na;
	GError *err = NULL;

	add(c, "45.33.10.0", "45.33.10.255", NOW - 500, NOW + 3600);
	add(c, "45.33.11.0", "45.33.11.255", NOW - 10, NOW + 3600);
	cr_assert(casedb_begin(fx_db, NULL));
	/* only the answer fetched since NOW - 100 */
	cr_expect_eq(casedb_lookup_save(fx_db, c, NOW - 100, NOW, &err), 1);
	cr_assert(casedb_commit(fx_db, NULL));
	cr_expect_eq(count("SELECT count(*) FROM lookup_cache WHERE "
	    "first_ip = '45.33.11.0' AND last_ip = '45.33.11.255' AND "
	    "source = 'rdap'"), 1);
	/* saving again replaces, never duplicates */
	cr_assert(casedb_begin(fx_db, NULL));
	cr_expect_eq(casedb_lookup_save(fx_db, c, 0, NOW, &err), 2);
	cr_expect_eq(casedb_lookup_save(fx_db, c, 0, NOW, &err), 2);
	cr_assert(casedb_commit(fx_db, NULL));
	cr_expect_eq(count("SELECT count(*) FROM lookup_cache"), 2);

	back = lookup_cache_new(0);
	cr_expect_eq(casedb_lookup_load(fx_db, back, NOW, &err), 2);
	cr_assert(netaddr_parse("45.33.10.99", 11, &na));
	cr_assert_eq(lookup_cache_get(back, "rdap", &na, NOW, &a), 1);
	cr_expect_str_eq(a.abuse_email, "abuse@a.example");
	lookup_answer_clear(&a);
	lookup_cache_free(&back);
	lookup_cache_free(&c);
}

Test(case_lookup, bad_row_is_skipped_and_expired_rows_are_purged)
{
	struct lookup_cache *c = lookup_cache_new(0);
	GError *err = NULL;

	cr_assert_eq(sqlite3_exec(fx_db->db, "INSERT INTO lookup_cache VALUES"
	    "('rdap', 'not-an-ip', '1.2.3.4', '{}', 1, 1900000000),"
	    "('rdap', '5.6.7.0', '5.6.7.255', 'not json', 1, 1900000000),"
	    "('rdap', '9.9.9.0', '9.9.9.255', '{\"abuse_email\":"
	    "\"a@b.example\"}', 1, 1900000000),"
	    "('rdap', '8.8.8.0', '8.8.8.255', '{}', 1, 1700000000)",
	    NULL, NULL, NULL), SQLITE_OK);
	/* two bad rows, one expired: one loaded, no error */
	cr_expect_eq(casedb_lookup_load(fx_db, c, NOW, &err), 1);
	cr_expect_null(err);
	cr_expect_eq(lookup_cache_size(c), 1);
	cr_expect_eq(casedb_lookup_purge(fx_db, NOW, &err), 1);
	cr_expect_eq(count("SELECT count(*) FROM lookup_cache WHERE "
	    "first_ip = '8.8.8.0'"), 0);
	cr_expect_eq(count("SELECT count(*) FROM lookup_cache"), 3);
	lookup_cache_free(&c);
}
