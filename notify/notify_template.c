/*
 * notify_template.c: the takedown templates, <dir>/<lang>/takedown.txt.
 *
 * A template is a "Subject: ..." line, a blank line and the body.  The
 * only syntax inside is {{name}}, name one of the placeholders in the
 * table below.  notify_template_load() reads a template and checks every
 * placeholder so that an analyst's typo is an error naming file:line when
 * the template is first used, never a half-expanded mail; expansion then
 * cannot fail.  Errors: NOTIFY_ERROR_IO when the file cannot be read
 * (temporary), NOTIFY_ERROR_TEMPLATE for a bad template.
 */
#include "config.h"

#include <string.h>

#include "notify/notify_int.h"

static const char *const var_names[NOTIFY_VAR_COUNT] = {
	[NOTIFY_VAR_CASE_TAG] = "case_tag",
	[NOTIFY_VAR_CONTACT_NAME] = "contact_name",
	[NOTIFY_VAR_CATEGORY] = "category",
	[NOTIFY_VAR_FINDINGS] = "findings",
	[NOTIFY_VAR_REPORTER] = "reporter",
	[NOTIFY_VAR_REPORT_SUBJECT] = "report_subject",
	[NOTIFY_VAR_REPORT_DATE] = "report_date",
	[NOTIFY_VAR_MESSAGE_ID] = "message_id",
	[NOTIFY_VAR_FROM_NAME] = "from_name",
};

/* var_lookup - index of placeholder name[0..len), or -1 */
static int
var_lookup(const char *name, gsize len)
{
	int i;

	for (i = 0; i < NOTIFY_VAR_COUNT; i++)
		if (strlen(var_names[i]) == len &&
		    memcmp(var_names[i], name, len) == 0)
			return i;
	return -1;
}

/*
 * scan - walks text (starting at line `line` of path) and, when out is
 * not NULL, appends it with placeholders replaced by vars.  Returns FALSE
 * with NOTIFY_ERROR_TEMPLATE at an unknown or unterminated placeholder.
 */
static gboolean
scan(const char *path, guint line, const char *text,
    const struct notify_vars *vars, GString *out, GError **error)
{
	const char *p = text, *open, *close, *name;
	gsize len;
	int v;

	while ((open = strstr(p, "{{")) != NULL) {
		for (; p < open; p++)
			if (*p == '\n')
				line++;
		if (out != NULL)
			g_string_append_len(out, text, open - text);
		close = strstr(open + 2, "}}");
		if (close == NULL || memchr(open, '\n', close - open)) {
			g_set_error(error, NOTIFY_ERROR, NOTIFY_ERROR_TEMPLATE,
			    "%s:%u: unterminated placeholder", path, line);
			return FALSE;
		}
		name = open + 2;
		len = close - name;
		while (len > 0 && name[0] == ' ')
			name++, len--;
		while (len > 0 && name[len - 1] == ' ')
			len--;
		if ((v = var_lookup(name, len)) == -1) {
			g_set_error(error, NOTIFY_ERROR, NOTIFY_ERROR_TEMPLATE,
			    "%s:%u: unknown placeholder {{%.*s}}", path, line,
			    (int)MIN(len, 64), name);
			return FALSE;
		}
		if (out != NULL && vars->v[v] != NULL)
			g_string_append(out, vars->v[v]);
		text = p = close + 2;
	}
	if (out != NULL)
		g_string_append(out, text);
	return TRUE;
}

/* parse - splits the file's contents into subject and body, checked */
static gboolean
parse(struct notify_template *t, char *buf, GError **error)
{
	char *line, *next, *end;
	guint n = 1;

	for (line = buf; line != NULL; line = next, n++) {
		next = strchr(line, '\n');
		if (next != NULL)
			*next++ = '\0';
		end = line + strlen(line);
		if (end > line && end[-1] == '\r')
			*--end = '\0';
		if (*line == '\0')
			break;
		if (g_ascii_strncasecmp(line, "Subject:", 8) != 0) {
			g_set_error(error, NOTIFY_ERROR, NOTIFY_ERROR_TEMPLATE,
			    "%s:%u: expected \"Subject:\" or a blank line "
			    "before the body", t->path, n);
			return FALSE;
		}
		g_free(t->subject);
		t->subject = g_strstrip(g_strdup(line + 8));
		t->subject_line = n;
	}
	if (t->subject == NULL || line == NULL) {
		g_set_error(error, NOTIFY_ERROR, NOTIFY_ERROR_TEMPLATE,
		    "%s:%u: a template starts with \"Subject:\" and a blank "
		    "line", t->path, t->subject == NULL ? 1 : n - 1);
		return FALSE;
	}
	t->body_line = n + 1;
	t->body = g_strdup(next != NULL ? next : "");
	return scan(t->path, t->subject_line, t->subject, NULL, NULL,
	    error) && scan(t->path, t->body_line, t->body, NULL, NULL, error);
}

/* lang_ok - a plain language tag ("en", "ja", "pt-br"): never a path */
static gboolean
lang_ok(const char *lang)
{
	gsize i, len;

	if (lang == NULL || (len = strlen(lang)) == 0 || len > 16)
		return FALSE;
	for (i = 0; i < len; i++)
		if (!g_ascii_isalnum(lang[i]) &&
		    !(i > 0 && (lang[i] == '-' || lang[i] == '_')))
			return FALSE;
	return TRUE;
}

/* read_file - contents of path, bounded; errno-style ENOENT reported */
static char *
read_file(const char *path, gboolean *missing, GError **error)
{
	char *buf = NULL;
	gsize len = 0;
	GError *e = NULL;

	*missing = FALSE;
	if (!g_file_get_contents(path, &buf, &len, &e)) {
		*missing = g_error_matches(e, G_FILE_ERROR,
		    G_FILE_ERROR_NOENT);
		g_set_error(error, NOTIFY_ERROR, NOTIFY_ERROR_IO,
		    "template %s: %s", path, e->message);
		g_error_free(e);
		return NULL;
	}
	if (len > NOTIFY_TEMPLATE_BYTES || memchr(buf, '\0', len) != NULL ||
	    !g_utf8_validate(buf, len, NULL)) {
		g_set_error(error, NOTIFY_ERROR, NOTIFY_ERROR_TEMPLATE,
		    "template %s: not UTF-8 text of at most %u bytes", path,
		    NOTIFY_TEMPLATE_BYTES);
		g_free(buf);
		return NULL;
	}
	return buf;
}

struct notify_template *
notify_template_load(const char *dir, const char *lang, GError **error)
{
	struct notify_template *t;
	char *path = NULL, *lower, *buf = NULL;
	gboolean missing = FALSE;
	GError *e = NULL;

	g_return_val_if_fail(error == NULL || *error == NULL, NULL);
	g_return_val_if_fail(dir != NULL, NULL);

	if (lang_ok(lang) && g_ascii_strcasecmp(lang, "en") != 0) {
		lower = g_ascii_strdown(lang, -1);
		path = g_build_filename(dir, lower, "takedown.txt", NULL);
		g_free(lower);
		buf = read_file(path, &missing, &e);
		if (buf == NULL && !missing) {
			g_propagate_error(error, e);
			g_free(path);
			return NULL;
		}
		g_clear_error(&e);
	}
	if (buf == NULL) {
		g_free(path);
		path = g_build_filename(dir, "en", "takedown.txt", NULL);
		if ((buf = read_file(path, &missing, error)) == NULL) {
			g_free(path);
			return NULL;
		}
	}
	t = g_new0(struct notify_template, 1);
	t->path = path;
	if (!parse(t, buf, error)) {
		g_free(buf);
		notify_template_free(&t);
		return NULL;
	}
	g_free(buf);
	return t;
}

void
notify_template_free(struct notify_template **tp)
{
	struct notify_template *t;

	if (tp == NULL || (t = *tp) == NULL)
		return;
	g_free(t->path);
	g_free(t->subject);
	g_free(t->body);
	g_free(t);
	*tp = NULL;
}

void
notify_template_expand(const struct notify_template *t, gboolean header,
    const struct notify_vars *vars, GString *out)
{
	gboolean ok;

	if (header)
		ok = scan(t->path, t->subject_line, t->subject, vars, out,
		    NULL);
	else
		ok = scan(t->path, t->body_line, t->body, vars, out, NULL);
	/* notify_template_load() checked every placeholder. */
	g_assert(ok);
}
