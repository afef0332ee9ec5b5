/*
 * lookup_dns.c: DNS TXT lookups: Team Cymru origin ASN and Abusix abuse
 * contacts.
 *
 * Owns lookup_dns_ip(), lookup_dns_txt() and lookup_dns_reverse_name().
 * <reversed-ip>.origin.asn.cymru.com (origin6 and nibbles for IPv6) TXT
 * "ASN | prefix | CC | registry | date" gives the ASN, the routed prefix
 * (the cached range) and the country; AS<n>.asn.cymru.com the AS name;
 * <reversed-ip>.abuse-contacts.abusix.zone TXT "abuse@example" the
 * contact (cached for the address alone: the zone gives no range).
 *
 * Why two resolvers: GResolver (used when dns_server is unset, so the
 * host's resolver and its caching apply) cannot be pointed at another
 * server, and the tests must not depend on the host's resolver.  With
 * dns_server set ("addr:port", an address), a minimal UDP client asks
 * that server directly: one query, one retransmission at half time, the
 * answer matched on ID and question, parsed with bounds on every length;
 * a truncated answer is an error (no TCP fallback: TXT answers of these
 * zones are short).  Both run to the one deadline.
 */
#include "config.h"

#include <string.h>
#include <gio/gio.h>

#include "route/lookup.h"

#define DNS_PACKET_MAX	4096
#define DNS_TXT_MAX	16	/* TXT records kept of one answer */
#define DNS_T_TXT	16

char *
lookup_dns_reverse_name(const struct netaddr *a, const char *zone)
{
	GString *s = g_string_new(NULL);
	int i;

	if (a->v4)
		g_string_printf(s, "%u.%u.%u.%u", a->b[15], a->b[14],
		    a->b[13], a->b[12]);
	else
		for (i = 15; i >= 0; i--)
			g_string_append_printf(s, "%s%x.%x", i < 15 ? "." : "",
			    a->b[i] & 0xf, a->b[i] >> 4);
	g_string_append_printf(s, ".%s", zone);
	return g_string_free(s, FALSE);
}

/* encode_query - header + question for name; its length, 0 if bad */
static gsize
encode_query(guint8 *p, gsize size, guint16 id, const char *name)
{
	const char *l = name, *dot;
	gsize n = 12, len;

	memset(p, 0, 12);
	p[0] = id >> 8;
	p[1] = id & 0xff;
	p[2] = 0x01;		/* RD */
	p[5] = 1;		/* QDCOUNT */
	while (*l != '\0') {
		dot = strchr(l, '.');
		len = dot != NULL ? (gsize)(dot - l) : strlen(l);
		if (len == 0 || len > 63 || n + len + 1 + 5 > size || n > 255)
			return 0;
		p[n++] = len;
		memcpy(p + n, l, len);
		n += len;
		l += len + (dot != NULL);
	}
	p[n++] = 0;
	p[n++] = 0;
	p[n++] = DNS_T_TXT;
	p[n++] = 0;
	p[n++] = 1;		/* IN */
	return n;
}

/* skip_name - offset after the (possibly compressed) name at off */
static gsize
skip_name(const guint8 *p, gsize len, gsize off)
{
	guint labels = 0;

	while (off < len && labels++ < 128) {
		if ((p[off] & 0xc0) == 0xc0)
			return off + 2 <= len ? off + 2 : 0;
		if (p[off] & 0xc0)
			return 0;
		if (p[off] == 0)
			return off + 1;
		off += 1 + p[off];
	}
	return 0;
}

/* parse_answer - -1 protocol error, 0 NXDOMAIN / none, 1 txt added */
static int
parse_answer(const guint8 *p, gsize len, gsize qlen, GPtrArray *txt,
    GError **error)
{
	guint an, i, rcode;
	gsize off = qlen, rdlen, end, k;
	guint16 type;
	GString *s;

	rcode = p[3] & 0x0f;
	if (rcode == 3)
		return 0;
	if (rcode != 0 || (p[2] & 0x02)) {
		g_set_error(error, LOOKUP_ERROR, LOOKUP_ERROR_PROTOCOL,
		    "dns: %s", rcode != 0 ? "server failure" : "truncated");
		return -1;
	}
	an = p[6] << 8 | p[7];
	for (i = 0; i < an && txt->len < DNS_TXT_MAX; i++) {
		if ((off = skip_name(p, len, off)) == 0 || off + 10 > len)
			goto bad;
		type = p[off] << 8 | p[off + 1];
		rdlen = p[off + 8] << 8 | p[off + 9];
		off += 10;
		if (off + rdlen > len)
			goto bad;
		end = off + rdlen;
		if (type == DNS_T_TXT) {
			s = g_string_new(NULL);
			for (k = off; k < end; k += 1 + p[k]) {
				if (k + 1 + p[k] > end) {
					g_string_free(s, TRUE);
					goto bad;
				}
				g_string_append_len(s, (const char *)p + k + 1,
				    p[k]);
			}
			if (g_utf8_validate(s->str, s->len, NULL) &&
			    strlen(s->str) == s->len)
				g_ptr_array_add(txt, g_string_free(s, FALSE));
			else
				g_string_free(s, TRUE);
		}
		off = end;
	}
	return txt->len > 0 ? 1 : 0;
bad:
	g_set_error(error, LOOKUP_ERROR, LOOKUP_ERROR_PROTOCOL,
	    "dns: malformed answer");
	return -1;
}

/* matches - our ID, a response, and our question (0x20 case aside) */
static gboolean
matches(const guint8 *p, gsize len, const guint8 *q, gsize qlen)
{
	return len >= qlen && p[0] == q[0] && p[1] == q[1] &&
	    (p[2] & 0x80) && p[4] == 0 && p[5] == 1 &&
	    g_ascii_strncasecmp((const char *)p + 12, (const char *)q + 12,
	    qlen - 12 - 4) == 0 && memcmp(p + qlen - 4, q + qlen - 4, 4) == 0;
}

static int
udp_txt(const char *server, const char *name, gint64 deadline,
    GPtrArray *txt, GError **error)
{
	GSocketConnectable *na;
	GInetAddress *ia = NULL;
	GSocketAddress *sa = NULL;
	GSocket *sock = NULL;
	GError *e = NULL;
	guint8 q[512], r[DNS_PACKET_MAX];
	gsize qlen;
	gssize n;
	gint64 now, half;
	gboolean resent = FALSE;
	int rv = -1;

	na = g_network_address_parse(server, 53, NULL);
	if (na != NULL)
		ia = g_inet_address_new_from_string(
		    g_network_address_get_hostname(G_NETWORK_ADDRESS(na)));
	qlen = encode_query(q, sizeof(q), g_random_int_range(0, 65536), name);
	if (ia == NULL || qlen == 0) {
		g_set_error(error, LOOKUP_ERROR, LOOKUP_ERROR_CONFIG,
		    "dns: bad server %s or name %s", server, name);
		goto out;
	}
	sa = g_inet_socket_address_new(ia,
	    g_network_address_get_port(G_NETWORK_ADDRESS(na)));
	sock = g_socket_new(g_inet_address_get_family(ia),
	    G_SOCKET_TYPE_DATAGRAM, G_SOCKET_PROTOCOL_UDP, &e);
	if (sock == NULL || !g_socket_connect(sock, sa, NULL, &e) ||
	    g_socket_send(sock, (const char *)q, qlen, NULL, &e) < 0)
		goto io;
	g_socket_set_blocking(sock, FALSE);
	half = g_get_monotonic_time() + (deadline - g_get_monotonic_time()) / 2;
	for (;;) {
		now = g_get_monotonic_time();
		if (now >= deadline) {
			g_set_error(error, LOOKUP_ERROR, LOOKUP_ERROR_TIMEOUT,
			    "dns %s: no answer in time for %s", server, name);
			goto out;
		}
		if (!g_socket_condition_timed_wait(sock, G_IO_IN,
		    (resent ? deadline : half) - now, NULL, &e)) {
			if (!g_error_matches(e, G_IO_ERROR,
			    G_IO_ERROR_TIMED_OUT))
				goto io;
			g_clear_error(&e);
			if (!resent && g_socket_send(sock, (const char *)q,
			    qlen, NULL, NULL) >= 0)
				resent = TRUE;
			continue;
		}
		n = g_socket_receive(sock, (char *)r, sizeof(r), NULL, &e);
		if (n < 0) {
			if (g_error_matches(e, G_IO_ERROR,
			    G_IO_ERROR_WOULD_BLOCK)) {
				g_clear_error(&e);
				continue;
			}
			goto io;
		}
		/* a stray or spoofed datagram is ignored, not an answer */
		if (n >= 12 && matches(r, n, q, qlen))
			break;
	}
	rv = parse_answer(r, n, qlen, txt, error);
	if (rv < 0)
		g_prefix_error(error, "%s %s: ", server, name);
	goto out;
io:
	g_set_error(error, LOOKUP_ERROR, LOOKUP_ERROR_IO, "dns %s: %s",
	    server, e != NULL ? e->message : "error");
	g_clear_error(&e);
out:
	g_clear_object(&sock);
	g_clear_object(&sa);
	g_clear_object(&ia);
	g_clear_object(&na);
	return rv;
}

struct res_wait {
	GList		*records;
	GError		*error;
	gboolean	 done, timed_out;
	GCancellable	*cancel;
};

static gboolean
res_timeout(gpointer data)
{
	struct res_wait *w = data;

	w->timed_out = TRUE;
	g_cancellable_cancel(w->cancel);
	return G_SOURCE_REMOVE;
}

static void
res_cb(GObject *src, GAsyncResult *res, gpointer data)
{
	struct res_wait *w = data;

	w->records = g_resolver_lookup_records_finish(G_RESOLVER(src), res,
	    &w->error);
	w->done = TRUE;
}

/* resolver_txt - the same through the host's resolver (GResolver) */
static int
resolver_txt(const char *name, gint64 deadline, GPtrArray *txt,
    GError **error)
{
	GMainContext *ctx = g_main_context_new();
	GResolver *res;
	GSource *timer;
	struct res_wait w = { NULL, NULL, FALSE, FALSE, NULL };
	GList *l;
	GVariant *v;
	gchar **strs;
	int rv = 0;

	w.cancel = g_cancellable_new();
	g_main_context_push_thread_default(ctx);
	timer = g_timeout_source_new(MAX(deadline - g_get_monotonic_time(),
	    0) / 1000 + 1);
	g_source_set_callback(timer, res_timeout, &w, NULL);
	g_source_attach(timer, ctx);
	res = g_resolver_get_default();
	g_resolver_lookup_records_async(res, name, G_RESOLVER_RECORD_TXT,
	    w.cancel, res_cb, &w);
	while (!w.done)
		g_main_context_iteration(ctx, TRUE);
	g_source_destroy(timer);
	g_source_unref(timer);
	g_object_unref(res);
	g_main_context_pop_thread_default(ctx);
	g_main_context_unref(ctx);
	g_object_unref(w.cancel);
	if (w.timed_out) {
		g_clear_error(&w.error);
		g_set_error(error, LOOKUP_ERROR, LOOKUP_ERROR_TIMEOUT,
		    "dns: no answer in time for %s", name);
		return -1;
	}
	if (w.error != NULL) {
		rv = g_error_matches(w.error, G_RESOLVER_ERROR,
		    G_RESOLVER_ERROR_NOT_FOUND) ? 0 : -1;
		if (rv < 0)
			g_set_error(error, LOOKUP_ERROR, LOOKUP_ERROR_IO,
			    "dns %s: %s", name, w.error->message);
		g_clear_error(&w.error);
		return rv;
	}
	for (l = w.records; l != NULL && txt->len < DNS_TXT_MAX; l = l->next) {
		v = l->data;
		g_variant_get(v, "(^as)", &strs);
		g_ptr_array_add(txt, g_strjoinv("", strs));
		g_strfreev(strs);
		rv = 1;
	}
	g_list_free_full(w.records, (GDestroyNotify)g_variant_unref);
	return rv;
}

int
lookup_dns_txt(const struct lookup_config *cfg, const char *name,
    gint64 deadline, GPtrArray *txt, GError **error)
{
	g_return_val_if_fail(error == NULL || *error == NULL, -1);
	if (cfg->dns_server != NULL && *cfg->dns_server != '\0')
		return udp_txt(cfg->dns_server, name, deadline, txt, error);
	return resolver_txt(name, deadline, txt, error);
}

/* zone - the configured zone, its default when NULL, NULL when "" */
static const char *
zone(const char *z, const char *def)
{
	if (z == NULL)
		return def;
	return *z != '\0' ? z : NULL;
}

/* cymru - "64500 | 192.0.2.0/24 | NL | ripencc | date": the most
 * specific prefix holding q */
static gboolean
cymru(GPtrArray *txt, const struct netaddr *q, struct lookup_answer *ans,
    guint *plen_r)
{
	struct netaddr net;
	char **f;
	guint i, j, plen;
	gboolean any = FALSE;

	for (i = 0; i < txt->len; i++) {
		f = g_strsplit(g_ptr_array_index(txt, i), "|", 6);
		for (j = 0; f[j] != NULL; j++)
			g_strstrip(f[j]);
		if (j >= 3 && netaddr_parse_cidr(f[1], &net, &plen, TRUE) &&
		    net.v4 == q->v4 && netaddr_in_prefix(q, &net, plen) &&
		    (!any || plen > *plen_r) && f[0][0] != '\0') {
			g_free(ans->asn);
			g_free(ans->network);
			g_free(ans->country);
			ans->asn = g_strndup(f[0], strcspn(f[0], " "));
			ans->network = g_strdup(f[1]);
			ans->country = f[2][0] != '\0' ? g_strdup(f[2]) : NULL;
			ans->first = ans->last = net;
			for (j = plen; j < 128; j++)
				ans->last.b[j / 8] |= 0x80 >> (j % 8);
			ans->has_range = TRUE;
			*plen_r = plen;
			any = TRUE;
		}
		g_strfreev(f);
	}
	return any;
}

/* as_name - AS<n>.asn.cymru.com: "64500 | NL | ripencc | date | NAME" */
static void
as_name(const struct lookup_config *cfg, gint64 deadline,
    struct lookup_answer *ans)
{
	const char *z = zone(cfg->dns_asn_zone, "asn.cymru.com");
	GPtrArray *txt;
	char *name, **f;

	if (z == NULL || ans->asn == NULL)
		return;
	txt = g_ptr_array_new_with_free_func(g_free);
	name = g_strdup_printf("AS%s.%s", ans->asn, z);
	if (lookup_dns_txt(cfg, name, deadline, txt, NULL) == 1) {
		f = g_strsplit(g_ptr_array_index(txt, 0), "|", 6);
		if (g_strv_length(f) >= 5)
			ans->as_name = g_strdup(g_strstrip(f[4]));
		g_strfreev(f);
	}
	g_free(name);
	g_ptr_array_unref(txt);
}

/* one_query - TXT of the reversed address in z: -1/0/1 */
static int
one_query(const struct lookup_config *cfg, const struct netaddr *a,
    const char *z, gint64 deadline, GPtrArray *txt, GError **error)
{
	char *name = lookup_dns_reverse_name(a, z);
	int rv = lookup_dns_txt(cfg, name, deadline, txt, error);

	g_free(name);
	return rv;
}

int
lookup_dns_ip(const struct lookup_config *cfg, const char *ip,
    struct lookup_answer *ans, GError **error)
{
	struct netaddr a;
	GPtrArray *txt;
	GError *e1 = NULL, *e2 = NULL;
	GString *why;
	const char *oz, *az;
	gint64 deadline;
	guint plen = 0, i;
	int rv1 = 0, rv2 = 0;

	g_return_val_if_fail(error == NULL || *error == NULL, -1);
	memset(ans, 0, sizeof(*ans));
	if (!netaddr_parse(ip, strlen(ip), &a)) {
		g_set_error(error, LOOKUP_ERROR, LOOKUP_ERROR_CONFIG,
		    "dns: %s is not an address", ip);
		return -1;
	}
	deadline = g_get_monotonic_time() + (gint64)cfg->dns_timeout_ms * 1000;
	oz = a.v4 ? zone(cfg->dns_origin_zone, "origin.asn.cymru.com") :
	    zone(cfg->dns_origin6_zone, "origin6.asn.cymru.com");
	az = zone(cfg->dns_abuse_zone, "abuse-contacts.abusix.zone");
	why = g_string_new("dns");
	txt = g_ptr_array_new_with_free_func(g_free);
	if (oz != NULL && (rv1 = one_query(cfg, &a, oz, deadline, txt,
	    &e1)) == 1 && (rv1 = cymru(txt, &a, ans, &plen)) == 1) {
		g_string_append_printf(why, " %s: AS%s %s %s", oz, ans->asn,
		    ans->network, ans->country != NULL ? ans->country : "");
		as_name(cfg, deadline, ans);
	}
	g_ptr_array_set_size(txt, 0);
	if (az != NULL && (rv2 = one_query(cfg, &a, az, deadline, txt,
	    &e2)) == 1) {
		rv2 = 0;
		for (i = 0; i < txt->len && rv2 == 0; i++)
			if (strchr(g_ptr_array_index(txt, i), '@') != NULL) {
				ans->abuse_email = g_strdup(
				    g_strstrip(g_ptr_array_index(txt, i)));
				rv2 = 1;
			}
		if (rv2 == 1) {
			ans->catch_all = lookup_is_catch_all(cfg,
			    ans->abuse_email, NULL);
			g_string_append_printf(why, " %s: %s%s", az,
			    ans->abuse_email, ans->catch_all ?
			    " (registry catch-all)" : "");
			/* the contact is known for this address only */
			ans->first = ans->last = a;
			ans->has_range = TRUE;
		}
	}
	g_ptr_array_unref(txt);
	if (rv1 == 1 || rv2 == 1) {
		ans->source = g_strdup("dns");
		if (e1 != NULL || e2 != NULL)
			g_string_append_printf(why, " (%s)",
			    (e1 != NULL ? e1 : e2)->message);
		ans->detail = g_string_free(why, FALSE);
		g_clear_error(&e1);
		g_clear_error(&e2);
		return 1;
	}
	g_string_free(why, TRUE);
	lookup_answer_clear(ans);
	if (e1 != NULL || e2 != NULL) {
		g_propagate_error(error, e1 != NULL ? e1 : e2);
		if (e1 != NULL)
			g_clear_error(&e2);
		return -1;
	}
	return 0;
}
