/*
 * lookup_servers.h: tiny loopback servers for the live lookup tests.
 *
 * Each listens on 127.0.0.1 on a port the kernel picks, runs in a GThread
 * of the test process, serves a bounded number of exchanges, and gives up
 * on its own after a few seconds, so a test can never hang on it.  The
 * TCP server also speaks TLS (GIO's, glib-networking) when given a
 * certificate: tests/data/tls-*.pem (see tests/data/README).
 */
#ifndef ABUSEDESK_TEST_LOOKUP_SERVERS_H
#define ABUSEDESK_TEST_LOOKUP_SERVERS_H

#include <glib.h>
#include <gio/gio.h>

/* A TCP server: reads one request (to "\r\n\r\n" if http, else to
 * "\r\n"), waits delay_ms (or until the client leaves), sends reply, then
 * flood bytes of junk (or until the client leaves), and closes. */
struct tsrv {
	int		 fd;
	guint16		 port;
	GThread		*thread;
	gboolean	 http;
	char		*reply;
	guint		 delay_ms;
	gsize		 flood;
	guint		 conns;		/* connections to serve */
	GTlsCertificate	*cert;		/* not NULL: TLS */
	gint		 handshakes;	/* TLS handshakes completed */
	gint		 served;
	gint		 stop;
	char		 request[2048];	/* the last request */
};
struct tsrv	*tsrv_start(gboolean http, const char *reply, guint delay_ms,
		    gsize flood, guint conns);
/* The same over TLS: the server's certificate chain and key from PEM
 * files; each connection is a TLS handshake (bounded by the same few
 * seconds), then one HTTP exchange, then close_notify. */
struct tsrv	*tsrv_start_tls(const char *cert_file, const char *key_file,
		    const char *reply, guint conns);
void		 tsrv_stop(struct tsrv **sp);
/* "127.0.0.1:port" (g_free) */
char		*tsrv_hostport(const struct tsrv *s);

enum dsrv_mode {
	DSRV_ANSWER,	/* answers from the table; NXDOMAIN otherwise */
	DSRV_SILENT,	/* never answers */
	DSRV_GARBAGE,	/* our ID, then junk */
	DSRV_TRUNCATED,	/* sets TC, no answers */
};

/* A UDP DNS server answering TXT queries from table: pairs of lower-case
 * name and TXT ("\n" separates records), NULL-terminated. */
struct dsrv {
	int			 fd;
	guint16			 port;
	GThread			*thread;
	enum dsrv_mode		 mode;
	const char *const	*table;
	gint			 queries;
	gint			 stop;
};
struct dsrv	*dsrv_start(enum dsrv_mode mode, const char *const *table);
void		 dsrv_stop(struct dsrv **sp);
char		*dsrv_hostport(const struct dsrv *s);

/* Milliseconds since t0 (g_get_monotonic_time() scale). */
gint64		 elapsed_ms(gint64 t0);

#endif
