/*
 * log.c: the one log writer (g_log_set_writer_func).  stderr for the
 * foreground and batch commands, syslog (LOG_MAIL) with --syslog.  Debug
 * only with -v.  Control characters from untrusted text are escaped and
 * lines are cut, so a report cannot forge log lines.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <syslog.h>

#include "ingest/ingest_int.h"

static gboolean log_verbose;
static gboolean log_syslog;

static void
escape(const char *s, GString *out)
{
	for (; *s != '\0' && out->len < 2000; s++) {
		guchar c = (guchar)*s;

		if (c < 0x20 || c == 0x7f)
			g_string_append_printf(out, "\\x%02x", c);
		else
			g_string_append_c(out, (char)c);
	}
}

static GLogWriterOutput
writer(GLogLevelFlags level, const GLogField *fields, gsize n,
    gpointer data)
{
	const char *msg = NULL, *what;
	GString *line;
	int saved = errno, prio;
	gsize i;

	(void)data;
	if ((level & G_LOG_LEVEL_DEBUG) && !log_verbose)
		return G_LOG_WRITER_HANDLED;
	for (i = 0; i < n; i++)
		if (g_strcmp0(fields[i].key, "MESSAGE") == 0)
			msg = fields[i].value;
	if (msg == NULL)
		msg = "";
	if (level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL)) {
		prio = LOG_ERR;
		what = "error: ";
	} else if (level & G_LOG_LEVEL_WARNING) {
		prio = LOG_WARNING;
		what = "warning: ";
	} else if (level & G_LOG_LEVEL_DEBUG) {
		prio = LOG_DEBUG;
		what = "debug: ";
	} else {
		prio = LOG_INFO;
		what = "";
	}
	line = g_string_new(NULL);
	escape(msg, line);
	if (log_syslog)
		syslog(prio, "%s%s", what, line->str);
	else
		fprintf(stderr, "abusedesk: %s%s\n", what, line->str);
	g_string_free(line, TRUE);
	errno = saved;
	return G_LOG_WRITER_HANDLED;
}

void
ingest_log_init(gboolean verbose, gboolean use_syslog)
{
	log_verbose = verbose;
	log_syslog = use_syslog;
	if (use_syslog)
		openlog("abusedesk", LOG_PID, LOG_MAIL);
	g_log_set_writer_func(writer, NULL, NULL);
}
