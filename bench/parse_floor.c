/*
 * parse_floor.c: the floor for reprocess throughput: read every file of
 * a Maildir and let gmime parse it, nothing else.  bench/reprocess-bench
 * runs it in the same run as `abusedesk reprocess` and prints the ratio.
 */
#include "config.h"

#include <stdio.h>
#include <gmime/gmime.h>

static guint
parse_dir(const char *dir)
{
	GDir *d = g_dir_open(dir, 0, NULL);
	const char *name;
	guint n = 0;

	if (d == NULL)
		return 0;
	while ((name = g_dir_read_name(d)) != NULL) {
		char *path = g_build_filename(dir, name, NULL), *buf;
		gsize len;

		if (g_file_get_contents(path, &buf, &len, NULL)) {
			GMimeStream *s = g_mime_stream_mem_new_with_buffer(
			    buf, len);
			GMimeParser *p = g_mime_parser_new_with_stream(s);
			GMimeMessage *m = g_mime_parser_construct_message(p,
			    NULL);

			if (m != NULL)
				g_object_unref(m);
			g_object_unref(p);
			g_object_unref(s);
			g_free(buf);
			n++;
		}
		g_free(path);
	}
	g_dir_close(d);
	return n;
}

int
main(int argc, char **argv)
{
	gint64 t0;
	guint n = 0;
	int i;
	double secs;

	g_mime_init();
	t0 = g_get_monotonic_time();
	for (i = 1; i < argc; i++) {
		char *cur = g_build_filename(argv[i], "cur", NULL);
		char *new = g_build_filename(argv[i], "new", NULL);

		n += parse_dir(new) + parse_dir(cur);
		g_free(cur);
		g_free(new);
	}
	secs = (g_get_monotonic_time() - t0) / 1e6;
	printf("parse-floor: %u messages in %.2fs: %.0f msgs/s\n", n, secs,
	    secs > 0 ? n / secs : 0.0);
	g_mime_shutdown();
	return 0;
}
