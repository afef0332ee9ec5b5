/*
 * cmd_rules_corpus.c: `abusedesk rules test --corpus DIR [--update]`: a
 * regression run of the rules over a corpus of messages.
 *
 * Every DIR/NAME.eml has a sibling DIR/NAME.expect: one fact a line, in
 * the order `rules test` finds them, and read as a set:
 *
 *	format plain
 *	kind abuse
 *	category phishing
 *	ignore					(a rule said: no case)
 *	finding ipv4 offender 5.9.34.17
 *	finding ipv4 context 192.0.2.1 suppressed
 *	route 5.9.34.17 hoster-de		(or "unrouted")
 *	takedown hoster-de
 *
 * Blank lines and lines starting with # are ignored.  A difference is
 * printed as "NAME.eml: - LINE" (expected, missing) or "+ LINE" (found,
 * not expected); the exit status is 1 when any file differs or has no
 * .expect.  --update writes what was found into every .expect instead.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "cli/cli_rules.h"

/* The meaningful lines of an .expect file, or NULL when unreadable. */
static GPtrArray *
read_expect(const char *path)
{
	GPtrArray *a;
	char *text = NULL, **lines;
	guint i;

	if (!g_file_get_contents(path, &text, NULL, NULL))
		return NULL;
	a = g_ptr_array_new_with_free_func(g_free);
	lines = g_strsplit(text, "\n", -1);
	for (i = 0; lines[i] != NULL; i++) {
		char *l = g_strstrip(lines[i]);

		if (*l == '\0' || *l == '#')
			continue;
		g_ptr_array_add(a, g_strdup(l));
	}
	g_strfreev(lines);
	g_free(text);
	return a;
}

static gboolean
has_line(const GPtrArray *a, const char *s)
{
	guint i;

	for (i = 0; i < a->len; i++)
		if (strcmp(g_ptr_array_index(a, i), s) == 0)
			return TRUE;
	return FALSE;
}

/* Prints the differences; returns their number. */
static guint
compare(const char *name, const GPtrArray *want, const GPtrArray *got)
{
	guint i, n = 0;

	for (i = 0; i < want->len; i++)
		if (!has_line(got, g_ptr_array_index(want, i))) {
			printf("%s: - %s\n", name,
			    (const char *)g_ptr_array_index(want, i));
			n++;
		}
	for (i = 0; i < got->len; i++)
		if (!has_line(want, g_ptr_array_index(got, i))) {
			printf("%s: + %s\n", name,
			    (const char *)g_ptr_array_index(got, i));
			n++;
		}
	return n;
}

static gboolean
write_expect(const char *path, const GPtrArray *got)
{
	GString *s = g_string_new(NULL);
	GError *err = NULL;
	gboolean ok;
	guint i;

	for (i = 0; i < got->len; i++)
		g_string_append_printf(s, "%s\n",
		    (const char *)g_ptr_array_index(got, i));
	if (!(ok = g_file_set_contents(path, s->str, s->len, &err))) {
		fprintf(stderr, "abusedesk: %s\n", err->message);
		g_error_free(err);
	}
	g_string_free(s, TRUE);
	return ok;
}

/* One message: 0 same, 1 different or broken. */
static int
one(struct dry *d, const char *dir, const char *name, gboolean update)
{
	char *path = g_build_filename(dir, name, NULL);
	char *base = g_strndup(name, strlen(name) - strlen(".eml"));
	char *xname = g_strconcat(base, ".expect", NULL);
	char *xpath = g_build_filename(dir, xname, NULL);
	GPtrArray *got, *want = NULL;
	struct dry_result res;
	GError *err = NULL;
	char *buf = NULL;
	gsize len = 0;
	int rc = 0;

	if (!g_file_get_contents(path, &buf, &len, &err)) {
		fprintf(stderr, "abusedesk: %s\n", err->message);
		g_error_free(err);
		rc = 1;
		goto out;
	}
	dry_process(d, (const guint8 *)buf, len, TRUE, &res);
	got = rules_expect_lines(&res);
	dry_result_clear(&res);
	if (update) {
		rc = write_expect(xpath, got) ? 0 : 1;
	} else if ((want = read_expect(xpath)) == NULL) {
		printf("%s: no %s\n", name, xname);
		rc = 1;
	} else if (compare(name, want, got) > 0) {
		rc = 1;
	}
	g_ptr_array_unref(got);
	if (want != NULL)
		g_ptr_array_unref(want);
out:
	g_free(buf);
	g_free(xpath);
	g_free(xname);
	g_free(base);
	g_free(path);
	return rc;
}

/* g_ptr_array_sort passes pointers to the elements. */
static gint
by_name(gconstpointer a, gconstpointer b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int
rules_corpus(struct dry *d, const char *dir, gboolean update)
{
	GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
	GError *err = NULL;
	const char *name;
	guint i, bad = 0;
	GDir *gd;

	if ((gd = g_dir_open(dir, 0, &err)) == NULL) {
		fprintf(stderr, "abusedesk: %s\n", err->message);
		g_error_free(err);
		g_ptr_array_unref(names);
		return 1;
	}
	while ((name = g_dir_read_name(gd)) != NULL)
		if (g_str_has_suffix(name, ".eml"))
			g_ptr_array_add(names, g_strdup(name));
	g_dir_close(gd);
	g_ptr_array_sort(names, by_name);
	for (i = 0; i < names->len; i++)
		bad += one(d, dir, g_ptr_array_index(names, i), update);
	if (update)
		printf("%s: %u expect file(s) written\n", dir,
		    names->len - bad);
	else
		printf("%s: %u message(s), %u differ\n", dir, names->len, bad);
	if (names->len == 0)
		bad++;
	g_ptr_array_unref(names);
	return bad > 0 ? 1 : 0;
}
