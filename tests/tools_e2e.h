/*
 * tools_e2e.h: helpers of the end-to-end tests (test_e2e.c,
 * test_rules_tools.c, test_shadow.c): a state directory with a config on
 * the shipped data (max_size 64K so over-size mail is cheap to make), the
 * built `abusedesk` run through sh, and reads of the case database.
 * Include after criterion.h and helpers.h.
 */
#ifndef ABUSEDESK_TOOLS_E2E_H
#define ABUSEDESK_TOOLS_E2E_H

#include <sqlite3.h>
#include <sys/wait.h>

static char *home;

static G_GNUC_UNUSED void
write_config(const char *extra)
{
	char *src = test_src_path("");
	char *conf = g_build_filename(home, "abusedesk.conf", NULL);
	char *text = g_strdup_printf(
	    "[deliver]\nmax_size = 64K\ndeadline = 20\n"
	    "[run]\nrescan = 1\n"
	    "[paths]\nrules = %1$s/rules/default\n"
	    "templates = %1$s/templates\n"
	    "contacts = %1$s/data/contacts.csv\n"
	    "networks = %1$s/data/networks.csv\n"
	    "geo_country = %1$s/data/ip-country-geo.csv.gz\n"
	    "rir_country = %1$s/data/ip-country-rir.csv.gz\n"
	    "csirts = %1$s/data/national-csirts.csv\n"
	    "[notify]\nfrom = Test CSIRT <abuse@csirt.example>\n"
	    "domain = csirt.example\n"
	    /* one takedown per message, at once; tests of aggregation and
	     * dedup set their own [notify] window/dedup in extra */
	    "window = 0\ndedup = 0\n%2$s", src, extra);

	cr_assert(g_file_set_contents(conf, text, -1, NULL));
	g_free(text);
	g_free(conf);
	g_free(src);
}

/* `abusedesk --home HOME ARGS` through sh with env prefix envs (may be
 * ""); returns the exit status; out/err may be NULL. */
static G_GNUC_UNUSED int
ad_env(const char *envs, const char *args, const char *stdin_file,
    char **out, char **err)
{
	char *bin = test_build_path("abusedesk");
	char *cmd = g_strdup_printf("%s exec '%s' --home '%s' %s < '%s'",
	    envs, bin, home, args, stdin_file != NULL ? stdin_file :
	    "/dev/null");
	char *argv[] = { (char *)"/bin/sh", (char *)"-c", cmd, NULL };
	char *o = NULL, *e = NULL;
	int status = -1;
	GError *gerr = NULL;

	cr_assert(g_spawn_sync(NULL, argv, NULL, 0, NULL, NULL, &o, &e,
	    &status, &gerr), "spawn: %s", gerr ? gerr->message : "?");
	if (out != NULL)
		*out = o;
	else
		g_free(o);
	if (err != NULL)
		*err = e;
	else
		g_free(e);
	g_free(cmd);
	g_free(bin);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static G_GNUC_UNUSED int
ad(const char *args, const char *stdin_file, char **out, char **err)
{
	return ad_env("", args, stdin_file, out, err);
}

static G_GNUC_UNUSED sqlite3 *
db_open(void)
{
	char *path = g_build_filename(home, "abusedesk.db", NULL);
	sqlite3 *db = NULL;

	cr_assert_eq(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL),
	    SQLITE_OK);
	/* the daemon may be writing: wait for it like any reader would */
	sqlite3_busy_timeout(db, 5000);
	g_free(path);
	return db;
}

static G_GNUC_UNUSED gint64
db_int(const char *sql)
{
	sqlite3 *db = db_open();
	sqlite3_stmt *st = NULL;
	gint64 v = -1;

	cr_assert_eq(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK,
	    "%s: %s", sql, sqlite3_errmsg(db));
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}

static G_GNUC_UNUSED char *
db_text(const char *sql)
{
	sqlite3 *db = db_open();
	sqlite3_stmt *st = NULL;
	char *v = NULL;

	cr_assert_eq(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK,
	    "%s: %s", sql, sqlite3_errmsg(db));
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		v = g_strdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}

static G_GNUC_UNUSED guint
count_dir(const char *sub)
{
	char *dir = g_build_filename(home, sub, NULL);
	GDir *d = g_dir_open(dir, 0, NULL);
	guint n = 0;

	if (d != NULL) {
		while (g_dir_read_name(d) != NULL)
			n++;
		g_dir_close(d);
	}
	g_free(dir);
	return n;
}

static G_GNUC_UNUSED gboolean
exists(const char *rel)
{
	char *p = g_build_filename(home, rel, NULL);
	gboolean e = g_file_test(p, G_FILE_TEST_EXISTS);

	g_free(p);
	return e;
}

#endif
