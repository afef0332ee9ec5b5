/*
 * helpers.h: small helpers shared by the criterion tests.
 */
#ifndef ABUSEDESK_TEST_HELPERS_H
#define ABUSEDESK_TEST_HELPERS_H

#include <glib.h>

/* $ABUSEDESK_TEST_DATA/name (g_free); the fixtures directory. */
static inline char *
test_data_path(const char *name)
{
	const char *d = g_getenv("ABUSEDESK_TEST_DATA");

	return g_build_filename(d != NULL ? d : "tests/data", name, NULL);
}

/* $ABUSEDESK_SRCDIR/rel (g_free): shipped files (rules, data, templates). */
static inline char *
test_src_path(const char *rel)
{
	const char *d = g_getenv("ABUSEDESK_SRCDIR");

	return g_build_filename(d != NULL ? d : ".", rel, NULL);
}

/* $ABUSEDESK_BUILDDIR/rel (g_free): built programs. */
static inline char *
test_build_path(const char *rel)
{
	const char *d = g_getenv("ABUSEDESK_BUILDDIR");

	return g_build_filename(d != NULL ? d : ".", rel, NULL);
}

/* Reads a fixture into a GBytes, or aborts the test. */
static inline GBytes *
test_read_fixture(const char *name)
{
	char *path = test_data_path(name), *buf = NULL;
	gsize len = 0;
	GError *err = NULL;

	if (!g_file_get_contents(path, &buf, &len, &err))
		g_error("fixture %s: %s", path, err->message);
	g_free(path);
	return g_bytes_new_take(buf, len);
}

/* A fresh temporary directory (g_free; removed by test_rm_rf). */
static inline char *
test_tmpdir(void)
{
	GError *err = NULL;
	char *d = g_dir_make_tmp("abusedesk-test-XXXXXX", &err);

	if (d == NULL)
		g_error("tmpdir: %s", err->message);
	return d;
}

static inline void
test_rm_rf(const char *dir)
{
	char *cmd;

	if (dir == NULL || dir[0] != '/')
		return;
	cmd = g_strdup_printf("rm -rf '%s'", dir);
	if (system(cmd) != 0)
		g_warning("could not remove %s", dir);
	g_free(cmd);
}

/* The temporary directory of the running test, for suites whose only
 * fixture it is: TestSuite(x, .init = test_tmp_setup, .fini =
 * test_tmp_teardown). */
static char *test_tmp G_GNUC_UNUSED;

static inline void
test_tmp_setup(void)
{
	test_tmp = test_tmpdir();
}

static inline void
test_tmp_teardown(void)
{
	test_rm_rf(test_tmp);
	g_free(test_tmp);
	test_tmp = NULL;
}

#endif
