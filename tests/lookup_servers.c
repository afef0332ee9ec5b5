/*
 * lookup_servers.c: loopback TCP and UDP servers for the lookup tests.
 *
 * Plain POSIX sockets bound to 127.0.0.1 port 0; every wait is a poll()
 * of at most 100 ms that checks the stop flag, and a server gives up
 * after SERVER_LIFE_MS whatever happens.  The TLS variant hands the
 * accepted socket to GIO (GTlsServerConnection, blocking calls bounded by
 * the socket's timeout).  See lookup_servers.h.
 */
#include "config.h"

#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>

#include "tests/lookup_servers.h"

#define SERVER_LIFE_MS	8000
#define TICK_MS		100
#define TLS_IO_S	2	/* seconds of one blocking TLS call */

gint64
elapsed_ms(gint64 t0)
{
	return (g_get_monotonic_time() - t0) / 1000;
}

/* listen_on - a socket on 127.0.0.1:0; the kernel's port in *port_r */
static int
listen_on(int type, guint16 *port_r)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);
	int fd = socket(AF_INET, type, 0);

	g_assert(fd >= 0);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	g_assert(bind(fd, (struct sockaddr *)&sin, sizeof(sin)) == 0);
	if (type == SOCK_STREAM)
		g_assert(listen(fd, 8) == 0);
	g_assert(getsockname(fd, (struct sockaddr *)&sin, &len) == 0);
	*port_r = ntohs(sin.sin_port);
	return fd;
}

/* wait_in - poll fd for input up to ms, in ticks; FALSE on stop/timeout */
static gboolean
wait_in(int fd, gint *stop, gint64 ms)
{
	struct pollfd p = { fd, POLLIN, 0 };
	gint64 t0 = g_get_monotonic_time();

	while (!g_atomic_int_get(stop) && elapsed_ms(t0) < ms) {
		if (poll(&p, 1, TICK_MS) > 0)
			return TRUE;
	}
	return FALSE;
}

static void
serve_one(struct tsrv *s, int c)
{
	const char *end = s->http ? "\r\n\r\n" : "\r\n";
	char junk[65536];
	gsize n = 0, sent = 0;
	ssize_t r;

	memset(s->request, 0, sizeof(s->request));
	while (n < sizeof(s->request) - 1 && strstr(s->request, end) == NULL &&
	    wait_in(c, &s->stop, 2000)) {
		r = read(c, s->request + n, sizeof(s->request) - 1 - n);
		if (r <= 0)
			return;
		n += r;
	}
	/* slow: returns early when the client gives up and closes */
	if (s->delay_ms > 0 && wait_in(c, &s->stop, s->delay_ms) &&
	    recv(c, junk, 1, MSG_PEEK | MSG_DONTWAIT) == 0)
		return;
	if (s->reply != NULL && send(c, s->reply, strlen(s->reply),
	    MSG_NOSIGNAL) < 0)
		return;
	memset(junk, 'x', sizeof(junk));
	while (sent < s->flood && !g_atomic_int_get(&s->stop)) {
		if ((r = send(c, junk, MIN(sizeof(junk), s->flood - sent),
		    MSG_NOSIGNAL)) <= 0)
			break;
		sent += r;
	}
}

/* serve_tls - one exchange over TLS on c (closed here) */
static void
serve_tls(struct tsrv *s, int c)
{
	GSocket *sock;
	GSocketConnection *base;
	GIOStream *tls;
	GInputStream *in;
	GOutputStream *out;
	gsize n = 0;
	gssize r;

	if ((sock = g_socket_new_from_fd(c, NULL)) == NULL) {
		close(c);
		return;
	}
	g_socket_set_timeout(sock, TLS_IO_S);
	base = g_socket_connection_factory_create_connection(sock);
	tls = g_tls_server_connection_new(G_IO_STREAM(base), s->cert, NULL);
	memset(s->request, 0, sizeof(s->request));
	if (tls != NULL &&
	    g_tls_connection_handshake(G_TLS_CONNECTION(tls), NULL, NULL)) {
		g_atomic_int_inc(&s->handshakes);
		in = g_io_stream_get_input_stream(tls);
		out = g_io_stream_get_output_stream(tls);
		while (n < sizeof(s->request) - 1 &&
		    strstr(s->request, "\r\n\r\n") == NULL &&
		    (r = g_input_stream_read(in, s->request + n,
		    sizeof(s->request) - 1 - n, NULL, NULL)) > 0)
			n += r;
		if (s->reply != NULL)
			g_output_stream_write_all(out, s->reply,
			    strlen(s->reply), NULL, NULL, NULL);
		/* close_notify: the client reads to a clean end */
		g_io_stream_close(tls, NULL, NULL);
	}
	if (tls != NULL)
		g_object_unref(tls);
	g_io_stream_close(G_IO_STREAM(base), NULL, NULL);
	g_object_unref(base);
	g_object_unref(sock);
}

static gpointer
tsrv_main(gpointer data)
{
	struct tsrv *s = data;
	gint64 t0 = g_get_monotonic_time();
	int c;

	while ((guint)g_atomic_int_get(&s->served) < s->conns &&
	    wait_in(s->fd, &s->stop, SERVER_LIFE_MS - elapsed_ms(t0))) {
		if ((c = accept(s->fd, NULL, NULL)) < 0)
			continue;
		if (s->cert != NULL) {
			serve_tls(s, c);
		} else {
			serve_one(s, c);
			close(c);
		}
		g_atomic_int_inc(&s->served);
	}
	return NULL;
}

struct tsrv *
tsrv_start(gboolean http, const char *reply, guint delay_ms, gsize flood,
    guint conns)
{
	struct tsrv *s = g_new0(struct tsrv, 1);

	s->fd = listen_on(SOCK_STREAM, &s->port);
	s->http = http;
	s->reply = g_strdup(reply);
	s->delay_ms = delay_ms;
	s->flood = flood;
	s->conns = conns > 0 ? conns : 1;
	s->thread = g_thread_new("tsrv", tsrv_main, s);
	return s;
}

struct tsrv *
tsrv_start_tls(const char *cert_file, const char *key_file,
    const char *reply, guint conns)
{
	struct tsrv *s = g_new0(struct tsrv, 1);
	GError *e = NULL;

	s->cert = g_tls_certificate_new_from_files(cert_file, key_file, &e);
	g_assert_no_error(e);
	s->fd = listen_on(SOCK_STREAM, &s->port);
	s->http = TRUE;
	s->reply = g_strdup(reply);
	s->conns = conns > 0 ? conns : 1;
	s->thread = g_thread_new("tsrv-tls", tsrv_main, s);
	return s;
}

void
tsrv_stop(struct tsrv **sp)
{
	struct tsrv *s = *sp;

	if (s == NULL)
		return;
	g_atomic_int_set(&s->stop, 1);
	g_thread_join(s->thread);
	close(s->fd);
	g_clear_object(&s->cert);
	g_free(s->reply);
	g_free(s);
	*sp = NULL;
}

char *
tsrv_hostport(const struct tsrv *s)
{
	return g_strdup_printf("127.0.0.1:%u", s->port);
}

/* qname - the question's name, lower case; its end offset, 0 if bad */
static gsize
qname(const guint8 *p, gsize len, char *buf, gsize size)
{
	gsize off = 12, n = 0, k;

	while (off < len && p[off] != 0) {
		if (p[off] > 63 || off + 1 + p[off] > len ||
		    n + p[off] + 2 > size)
			return 0;
		if (n > 0)
			buf[n++] = '.';
		memcpy(buf + n, p + off + 1, p[off]);
		n += p[off];
		off += 1 + p[off];
	}
	buf[n] = '\0';
	for (k = 0; k < n; k++)
		buf[k] = g_ascii_tolower(buf[k]);
	return off < len ? off + 1 + 4 : 0;
}

/* answer - the response to query q into r: its length */
static gsize
answer(struct dsrv *s, const guint8 *q, gsize qlen, guint8 *r, gsize size)
{
	char name[300], **recs;
	const char *txt = NULL;
	gsize qend = qname(q, qlen, name, sizeof(name)), n, k, len, chunks;
	guint i, an = 0;

	if (qend == 0 || qend > size)
		return 0;
	memcpy(r, q, qend);
	r[2] = 0x81;
	r[3] = 0x80;
	r[6] = r[7] = r[8] = r[9] = r[10] = r[11] = 0;
	if (s->mode == DSRV_TRUNCATED) {
		r[2] |= 0x02;
		return qend;
	}
	if (s->mode == DSRV_GARBAGE) {
		r[7] = 5;
		memset(r + qend, 0xc0, 40);
		return qend + 40;
	}
	for (i = 0; s->table[i] != NULL; i += 2)
		if (strcmp(s->table[i], name) == 0)
			txt = s->table[i + 1];
	if (txt == NULL) {
		r[3] |= 3;	/* NXDOMAIN */
		return qend;
	}
	recs = g_strsplit(txt, "\n", 16);
	n = qend;
	for (i = 0; recs[i] != NULL; i++) {
		len = strlen(recs[i]);
		chunks = len == 0 ? 1 : (len + 254) / 255;
		if (n + 12 + len + chunks > size)
			break;
		r[n++] = 0xc0;
		r[n++] = 12;
		r[n++] = 0, r[n++] = 16, r[n++] = 0, r[n++] = 1;
		r[n++] = 0, r[n++] = 0, r[n++] = 0, r[n++] = 60;
		r[n++] = (len + chunks) >> 8;
		r[n++] = (len + chunks) & 0xff;
		for (k = 0; k < chunks; k++) {
			r[n] = MIN(255, len - k * 255);
			memcpy(r + n + 1, recs[i] + k * 255, r[n]);
			n += 1 + r[n];
		}
		an++;
	}
	g_strfreev(recs);
	r[7] = an;
	return n;
}

static gpointer
dsrv_main(gpointer data)
{
	struct dsrv *s = data;
	struct sockaddr_storage from;
	socklen_t flen;
	guint8 q[512], r[4096];
	gint64 t0 = g_get_monotonic_time();
	ssize_t n;
	gsize rlen;

	while (wait_in(s->fd, &s->stop, SERVER_LIFE_MS - elapsed_ms(t0))) {
		flen = sizeof(from);
		n = recvfrom(s->fd, q, sizeof(q), 0, (struct sockaddr *)&from,
		    &flen);
		if (n < 12)
			continue;
		g_atomic_int_inc(&s->queries);
		if (s->mode == DSRV_SILENT)
			continue;
		if ((rlen = answer(s, q, n, r, sizeof(r))) > 0)
			sendto(s->fd, r, rlen, 0, (struct sockaddr *)&from,
			    flen);
	}
	return NULL;
}

struct dsrv *
dsrv_start(enum dsrv_mode mode, const char *const *table)
{
	static const char *const none[] = { NULL };
	struct dsrv *s = g_new0(struct dsrv, 1);

	s->fd = listen_on(SOCK_DGRAM, &s->port);
	s->mode = mode;
	s->table = table != NULL ? table : none;
	s->thread = g_thread_new("dsrv", dsrv_main, s);
	return s;
}

void
dsrv_stop(struct dsrv **sp)
{
	struct dsrv *s = *sp;

	if (s == NULL)
		return;
	g_atomic_int_set(&s->stop, 1);
	g_thread_join(s->thread);
	close(s->fd);
	g_free(s);
	*sp = NULL;
}

char *
dsrv_hostport(const struct dsrv *s)
{
	return g_strdup_printf("127.0.0.1:%u", s->port);
}
