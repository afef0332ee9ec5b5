/*
 * lookup_whois.c: whois (RFC 3912) lookups, and the bounded TCP exchange
 * that whois and RDAP share.
 *
 * Owns lookup_tcp_exchange(), lookup_whois_ip() and lookup_whois_parse().
 * The exchange runs GIO's asynchronous calls on a private GMainContext
 * with one timer that cancels everything at the deadline, so name
 * resolution, connect, TLS handshake, the write and every read share one
 * time budget, and the answer is cut at max bytes.  TLS (GSocketClient's,
 * with GIO's full certificate validation) trusts either the system's store
 * or, for a private CA, a PEM file set on the connection as the client
 * starts its handshake.  whois answers are read
 * line by line: RIPE's "% Abuse contact for" comment, abuse-mailbox: and
 * ARIN's OrgAbuseEmail: give the contact; inetnum:/inet6num:/NetRange:/
 * CIDR: the range; a ReferralServer:/refer: line is followed at most
 * cfg->whois_referrals times.  Errors are LOOKUP_ERROR_*.
 */
#include "config.h"

#include <string.h>
#include <gio/gio.h>

#include "route/lookup.h"

#define WHOIS_PORT	43
#define WHOIS_LINE_MAX	1024

struct xfer {
	GCancellable		*cancel;
	GSocketConnection	*conn;
	const char		*req;
	GByteArray		*buf;
	gsize			 max;
	GError			*error;
	gboolean		 done, timed_out, too_large;
	guint8			 chunk[16384];
};

static gboolean
xfer_timeout(gpointer data)
{
	struct xfer *x = data;

	x->timed_out = TRUE;
	g_cancellable_cancel(x->cancel);
	return G_SOURCE_REMOVE;
}

static void
xfer_fail(struct xfer *x, GError *e)
{
	if (x->error == NULL)
		x->error = e;
	else
		g_error_free(e);
	x->done = TRUE;
}

static void	read_cb(GObject *, GAsyncResult *, gpointer);

static void
read_next(struct xfer *x)
{
	GInputStream *in = g_io_stream_get_input_stream(G_IO_STREAM(x->conn));

	g_input_stream_read_async(in, x->chunk, sizeof(x->chunk),
	    G_PRIORITY_DEFAULT, x->cancel, read_cb, x);
}

static void
read_cb(GObject *src, GAsyncResult *res, gpointer data)
{
	struct xfer *x = data;
	GError *e = NULL;
	gssize n;

	n = g_input_stream_read_finish(G_INPUT_STREAM(src), res, &e);
	if (n < 0) {
		xfer_fail(x, e);
		return;
	}
	if (n == 0) {
		x->done = TRUE;
		return;
	}
	if (x->buf->len + (gsize)n > x->max) {
		x->too_large = TRUE;
		x->done = TRUE;
		return;
	}
	g_byte_array_append(x->buf, x->chunk, n);
	read_next(x);
}

static void
write_cb(GObject *src, GAsyncResult *res, gpointer data)
{
	struct xfer *x = data;
	GError *e = NULL;

	if (!g_output_stream_write_all_finish(G_OUTPUT_STREAM(src), res, NULL,
	    &e)) {
		xfer_fail(x, e);
		return;
	}
	read_next(x);
}

static void
connect_cb(GObject *src, GAsyncResult *res, gpointer data)
{
	struct xfer *x = data;
	GOutputStream *out;
	GError *e = NULL;

	x->conn = g_socket_client_connect_to_host_finish(G_SOCKET_CLIENT(src),
	    res, &e);
	if (x->conn == NULL) {
		xfer_fail(x, e);
		return;
	}
	out = g_io_stream_get_output_stream(G_IO_STREAM(x->conn));
	g_output_stream_write_all_async(out, x->req, strlen(x->req),
	    G_PRIORITY_DEFAULT, x->cancel, write_cb, x);
}

/* client_event - the private CA on the TLS connection, before its
 * handshake (GSocketClient makes the connection, then says so here) */
static void
client_event(GSocketClient *client, GSocketClientEvent event,
    GSocketConnectable *connectable, GIOStream *conn, gpointer data)
{
	GTlsDatabase *db = data;

	(void)client;
	(void)connectable;
	if (event == G_SOCKET_CLIENT_TLS_HANDSHAKING &&
	    G_IS_TLS_CONNECTION(conn))
		g_tls_connection_set_database(G_TLS_CONNECTION(conn), db);
}

/* db_unref - the event handler's reference to the CA database */
static void
db_unref(gpointer data, GClosure *closure)
{
	(void)closure;
	g_object_unref(data);
}

gboolean
lookup_tcp_exchange(const char *hostport, guint16 default_port,
    gboolean tls, const char *ca_file, const char *req, gsize max,
    gint64 deadline, GByteArray **resp_r, GError **error)
{
	GMainContext *ctx;
	GSocketClient *client;
	GTlsDatabase *db = NULL;
	GSource *timer;
	GError *e = NULL;
	struct xfer x;
	gint64 left;

	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);
	*resp_r = NULL;
	if (tls && !g_tls_backend_supports_tls(g_tls_backend_get_default())) {
		g_set_error(error, LOOKUP_ERROR, LOOKUP_ERROR_CONFIG,
		    "%s: no TLS in GIO (install glib-networking)", hostport);
		return FALSE;
	}
	if (tls && ca_file != NULL && *ca_file != '\0' &&
	    (db = g_tls_file_database_new(ca_file, &e)) == NULL) {
		g_set_error(error, LOOKUP_ERROR, LOOKUP_ERROR_CONFIG,
		    "%s: CA file %s: %s", hostport, ca_file, e->message);
		g_error_free(e);
		return FALSE;
	}
	left = deadline - g_get_monotonic_time();
	if (left <= 0) {
		g_clear_object(&db);
		g_set_error(error, LOOKUP_ERROR, LOOKUP_ERROR_TIMEOUT,
		    "%s: no time left", hostport);
		return FALSE;
	}
	memset(&x, 0, sizeof(x));
	x.cancel = g_cancellable_new();
	x.req = req;
	x.max = max;
	x.buf = g_byte_array_new();

	ctx = g_main_context_new();
	g_main_context_push_thread_default(ctx);
	timer = g_timeout_source_new(left / 1000 + 1);
	g_source_set_callback(timer, xfer_timeout, &x, NULL);
	g_source_attach(timer, ctx);

	client = g_socket_client_new();
	/* a whois or RDAP server is never reached through an HTTP proxy */
	g_socket_client_set_enable_proxy(client, FALSE);
	/* certificate validation stays GIO's default: everything checked */
	g_socket_client_set_tls(client, tls);
	if (db != NULL)
		g_signal_connect_data(client, "event",
		    G_CALLBACK(client_event), g_object_ref(db),
		    db_unref, 0);
	g_socket_client_connect_to_host_async(client, hostport, default_port,
	    x.cancel, connect_cb, &x);
	/* callbacks always run, also when cancelled: x lives until then */
	while (!x.done)
		g_main_context_iteration(ctx, TRUE);

	g_source_destroy(timer);
	g_source_unref(timer);
	g_clear_object(&x.conn);
	g_object_unref(client);
	/* let cancelled operations drop their references */
	while (g_main_context_iteration(ctx, FALSE))
		;
	g_main_context_pop_thread_default(ctx);
	g_main_context_unref(ctx);
	g_object_unref(x.cancel);
	g_clear_object(&db);

	if (x.timed_out) {
		g_clear_error(&x.error);
		g_set_error(error, LOOKUP_ERROR, LOOKUP_ERROR_TIMEOUT,
		    "%s: no answer in time", hostport);
	} else if (x.too_large) {
		g_set_error(error, LOOKUP_ERROR, LOOKUP_ERROR_TOO_LARGE,
		    "%s: answer over %" G_GSIZE_FORMAT " bytes", hostport, max);
	} else if (x.error != NULL) {
		g_set_error(error, LOOKUP_ERROR, LOOKUP_ERROR_IO, "%s: %s",
		    hostport, x.error->message);
		g_clear_error(&x.error);
	} else {
		g_byte_array_append(x.buf, (const guint8 *)"", 1);
		*resp_r = x.buf;
		return TRUE;
	}
	g_byte_array_unref(x.buf);
	return FALSE;
}

/* set_once - keeps the first value seen of a field */
static void
set_once(char **field, const char *v)
{
	if (*field == NULL && *v != '\0')
		*field = g_strdup(v);
}

/* parse_range - "a - b" or "a/n" (the first of a list) into ans */
static void
parse_range(const char *v, const struct netaddr *q,
    struct lookup_answer *ans)
{
	struct netaddr first, last;
	char **parts, *first_s;
	guint plen, i;
	gboolean ok = FALSE;

	if ((parts = g_strsplit(v, " - ", 2)) != NULL && parts[0] != NULL &&
	    parts[1] != NULL) {
		g_strstrip(parts[0]);
		g_strstrip(parts[1]);
		ok = netaddr_parse(parts[0], strlen(parts[0]), &first) &&
		    netaddr_parse(parts[1], strlen(parts[1]), &last);
	} else {
		first_s = g_strndup(v, strcspn(v, ", "));
		if (netaddr_parse_cidr(first_s, &first, &plen, TRUE) &&
		    plen <= 128) {
			last = first;
			for (i = plen; i < 128; i++)
				last.b[i / 8] |= 0x80 >> (i % 8);
			ok = TRUE;
		}
		g_free(first_s);
	}
	g_strfreev(parts);
	if (!ok || first.v4 != last.v4 ||
	    memcmp(first.b, q->b, 16) > 0 || memcmp(q->b, last.b, 16) > 0)
		return;
	/* the most specific range seen wins (RIPE lists inetnum first,
	 * ARIN lists the parent NetRange before the customer's) */
	if (ans->has_range && memcmp(first.b, ans->first.b, 16) <= 0 &&
	    memcmp(last.b, ans->last.b, 16) >= 0)
		return;
	ans->first = first;
	ans->last = last;
	ans->has_range = TRUE;
	g_free(ans->network);
	ans->network = g_strdup(v);
}

/* referral - "whois://host:port", "host" -> "host:port"; NULL if odd */
static char *
referral(const char *v)
{
	const char *p = v;
	gsize i;

	if (g_str_has_prefix(p, "rwhois://") || g_str_has_prefix(p, "http"))
		return NULL;
	if (g_str_has_prefix(p, "whois://"))
		p += 8;
	for (i = 0; p[i] != '\0' && p[i] != '/'; i++)
		if (!g_ascii_isalnum(p[i]) && strchr(".-:[]", p[i]) == NULL)
			return NULL;
	if (i == 0 || i > 260)
		return NULL;
	return g_strndup(p, i);
}

/* abuse_comment - RIPE: "% Abuse contact for 'x' is 'a@b'" */
static void
abuse_comment(const char *line, struct lookup_answer *ans)
{
	const char *p = strstr(line, "' is '"), *end;

	if (!g_str_has_prefix(line, "% Abuse contact for") || p == NULL)
		return;
	p += 6;
	if ((end = strchr(p, '\'')) == NULL || end == p)
		return;
	g_free(ans->abuse_email);
	ans->abuse_email = g_strndup(p, end - p);
}

int
lookup_whois_parse(const struct lookup_config *cfg, const char *ip,
    const char *text, gsize len, struct lookup_answer *ans,
    char **referral_r)
{
	struct netaddr q;
	const char *p = text, *end = text + len, *nl;
	char line[WHOIS_LINE_MAX], *colon, *k, *v;
	gsize n;

	*referral_r = NULL;
	if (!netaddr_parse(ip, strlen(ip), &q))
		return 0;
	for (; p < end; p = nl + 1) {
		if ((nl = memchr(p, '\n', end - p)) == NULL)
			nl = end;
		n = MIN((gsize)(nl - p), sizeof(line) - 1);
		memcpy(line, p, n);
		line[n] = '\0';
		g_strchomp(line);
		if (line[0] == '%' || line[0] == '#') {
			abuse_comment(line, ans);
			continue;
		}
		if ((colon = strchr(line, ':')) == NULL)
			continue;
		*colon = '\0';
		k = g_strstrip(line);
		v = g_strstrip(colon + 1);
		if (*v == '\0' || !g_utf8_validate(v, -1, NULL))
			continue;
		if (g_ascii_strcasecmp(k, "abuse-mailbox") == 0 ||
		    g_ascii_strcasecmp(k, "OrgAbuseEmail") == 0)
			set_once(&ans->abuse_email, v);
		else if (g_ascii_strcasecmp(k, "inetnum") == 0 ||
		    g_ascii_strcasecmp(k, "inet6num") == 0 ||
		    g_ascii_strcasecmp(k, "NetRange") == 0 ||
		    g_ascii_strcasecmp(k, "CIDR") == 0)
			parse_range(v, &q, ans);
		else if (g_ascii_strcasecmp(k, "country") == 0)
			set_once(&ans->country, v);
		else if (g_ascii_strcasecmp(k, "netname") == 0)
			set_once(&ans->name, v);
		else if (g_ascii_strcasecmp(k, "OriginAS") == 0 ||
		    g_ascii_strcasecmp(k, "origin") == 0)
			set_once(&ans->asn, v + (g_ascii_strncasecmp(v, "AS",
			    2) == 0 ? 2 : 0));
		else if ((g_ascii_strcasecmp(k, "ReferralServer") == 0 ||
		    g_ascii_strcasecmp(k, "refer") == 0) && *referral_r == NULL)
			*referral_r = referral(v);
	}
	if (ans->abuse_email != NULL)
		ans->catch_all = lookup_is_catch_all(cfg, ans->abuse_email,
		    NULL);
	return ans->abuse_email != NULL || ans->has_range ||
	    ans->country != NULL ? 1 : 0;
}

/* whois_one - one query to one server: -1/0/1 */
static int
whois_one(const struct lookup_config *cfg, const char *server,
    const char *ip, gint64 deadline, struct lookup_answer *ans,
    char **referral_r, GError **error)
{
	GByteArray *resp;
	char *req = g_strdup_printf("%s\r\n", ip);
	gboolean ok;
	int rv;

	ok = lookup_tcp_exchange(server, WHOIS_PORT, FALSE, NULL, req,
	    cfg->max_response > 0 ? cfg->max_response : LOOKUP_RESPONSE_MAX,
	    deadline, &resp, error);
	g_free(req);
	if (!ok)
		return -1;
	rv = lookup_whois_parse(cfg, ip, (const char *)resp->data,
	    resp->len - 1, ans, referral_r);
	g_byte_array_unref(resp);
	return rv;
}

int
lookup_whois_ip(const struct lookup_config *cfg, const char *ip,
    struct lookup_answer *ans, GError **error)
{
	struct lookup_answer next;
	struct netaddr q;
	GString *chain;
	char *server, *ref = NULL;
	gint64 deadline;
	guint hops = 0;
	int rv, rv2;

	g_return_val_if_fail(error == NULL || *error == NULL, -1);
	memset(ans, 0, sizeof(*ans));
	if (!netaddr_parse(ip, strlen(ip), &q) || cfg->whois_server == NULL ||
	    *cfg->whois_server == '\0') {
		g_set_error(error, LOOKUP_ERROR, LOOKUP_ERROR_CONFIG,
		    "whois: no server, or %s is not an address", ip);
		return -1;
	}
	deadline = g_get_monotonic_time() +
	    (gint64)cfg->whois_timeout_ms * 1000;
	server = g_strdup(cfg->whois_server);
	chain = g_string_new(NULL);
	g_string_append_printf(chain, "whois %s", server);
	rv = whois_one(cfg, server, ip, deadline, ans, &ref, error);
	while (rv >= 0 && ref != NULL &&
	    hops++ < MIN(cfg->whois_referrals, LOOKUP_REFERRAL_MAX) &&
	    strcmp(ref, server) != 0) {
		g_free(server);
		server = ref;
		ref = NULL;
		memset(&next, 0, sizeof(next));
		rv2 = whois_one(cfg, server, ip, deadline, &next, &ref, NULL);
		g_string_append_printf(chain, " -> %s", server);
		if (rv2 == 1) {
			/* the referred registry is the one that knows */
			lookup_answer_clear(ans);
			*ans = next;
			rv = 1;
		} else {
			lookup_answer_clear(&next);
			g_string_append(chain, " (no answer)");
			break;
		}
	}
	g_free(ref);
	g_free(server);
	if (rv == 1) {
		if (!ans->has_range) {
			ans->first = ans->last = q;
			ans->has_range = TRUE;
		}
		if (ans->abuse_email != NULL)
			g_string_append_printf(chain, ": %s%s",
			    ans->abuse_email,
			    ans->catch_all ? " (registry catch-all)" : "");
		if (ans->network != NULL)
			g_string_append_printf(chain, " for %s", ans->network);
		ans->source = g_strdup("whois");
		ans->detail = g_string_free(chain, FALSE);
	} else {
		g_string_free(chain, TRUE);
		if (rv == 0)
			lookup_answer_clear(ans);
	}
	return rv;
}
