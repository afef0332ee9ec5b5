/*
 * netaddr.c: IP literal parsing, canonical printing, prefixes and the
 * RFC 6890 special-purpose registries.  See netaddr.h.
 */
#include "config.h"

#include <string.h>
#include <stdio.h>
#include <arpa/inet.h>

#include "parse/netaddr.h"

static const guint8 v4mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };

gboolean
netaddr_parse(const char *s, gsize len, struct netaddr *out)
{
	char buf[64];
	struct in_addr a4;
	struct in6_addr a6;

	if (s == NULL || len == 0 || len >= sizeof(buf))
		return FALSE;
	memcpy(buf, s, len);
	buf[len] = '\0';
	memset(out, 0, sizeof(*out));
	if (memchr(buf, ':', len) == NULL) {
		/* inet_pton takes only strict dotted quads: no leading
		 * zeros' octal, no short forms like "10.1". */
		if (inet_pton(AF_INET, buf, &a4) != 1)
			return FALSE;
		memcpy(out->b, v4mapped, 12);
		memcpy(out->b + 12, &a4, 4);
		out->v4 = TRUE;
		return TRUE;
	}
	if (inet_pton(AF_INET6, buf, &a6) != 1)
		return FALSE;
	memcpy(out->b, &a6, 16);
	out->v4 = memcmp(out->b, v4mapped, 12) == 0;
	return TRUE;
}

const char *
netaddr_format(const struct netaddr *a, char *buf, gsize size)
{
	/* glibc's inet_ntop prints RFC 5952 form (lower case, longest run
	 * of zero groups compressed, leftmost on a tie). */
	if (a->v4)
		return inet_ntop(AF_INET, a->b + 12, buf, size);
	return inet_ntop(AF_INET6, a->b, buf, size);
}

gboolean
netaddr_parse_cidr(const char *s, struct netaddr *net, guint *plen_r,
    gboolean lenient)
{
	const char *slash = strchr(s, '/');
	char *end;
	unsigned long plen;
	guint plen128, i;

	if (slash == NULL) {
		if (!netaddr_parse(s, strlen(s), net))
			return FALSE;
		*plen_r = 128;
		return TRUE;
	}
	if (!netaddr_parse(s, slash - s, net))
		return FALSE;
	if (!g_ascii_isdigit(slash[1]))
		return FALSE;
	plen = strtoul(slash + 1, &end, 10);
	if (*end != '\0' || plen > (net->v4 ? 32u : 128u))
		return FALSE;
	plen128 = net->v4 ? 96 + (guint)plen : (guint)plen;
	/* host bits */
	for (i = plen128; i < 128; i++) {
		guint8 bit = 0x80 >> (i % 8);

		if (net->b[i / 8] & bit) {
			if (!lenient)
				return FALSE;
			net->b[i / 8] &= ~bit;
		}
	}
	*plen_r = plen128;
	return TRUE;
}

gboolean
netaddr_in_prefix(const struct netaddr *a, const struct netaddr *net,
    guint plen128)
{
	guint full = plen128 / 8, rest = plen128 % 8;

	if (plen128 > 128)
		return FALSE;
	if (memcmp(a->b, net->b, full) != 0)
		return FALSE;
	if (rest == 0)
		return TRUE;
	return ((a->b[full] ^ net->b[full]) & (0xff << (8 - rest))) == 0;
}

struct special {
	const char	*cidr;
	const char	*why;
};

/* IANA IPv4 and IPv6 Special-Purpose Address Registries (RFC 6890 and
 * updates), plus multicast and the reserved class E space. */
static const struct special specials[] = {
	{ "0.0.0.0/8", "this network (RFC 791)" },
	{ "10.0.0.0/8", "private use (RFC 1918)" },
	{ "100.64.0.0/10", "shared address space (RFC 6598)" },
	{ "127.0.0.0/8", "loopback (RFC 1122)" },
	{ "169.254.0.0/16", "link local (RFC 3927)" },
	{ "172.16.0.0/12", "private use (RFC 1918)" },
	{ "192.0.0.0/24", "IETF protocol assignments (RFC 6890)" },
	{ "192.0.2.0/24", "documentation TEST-NET-1 (RFC 5737)" },
	{ "192.31.196.0/24", "AS112-v4 (RFC 7535)" },
	{ "192.52.193.0/24", "AMT (RFC 7450)" },
	{ "192.88.99.0/24", "deprecated 6to4 relay anycast (RFC 7526)" },
	{ "192.168.0.0/16", "private use (RFC 1918)" },
	{ "192.175.48.0/24", "direct delegation AS112 service (RFC 7534)" },
	{ "198.18.0.0/15", "benchmarking (RFC 2544)" },
	{ "198.51.100.0/24", "documentation TEST-NET-2 (RFC 5737)" },
	{ "203.0.113.0/24", "documentation TEST-NET-3 (RFC 5737)" },
	{ "224.0.0.0/4", "multicast (RFC 5771)" },
	{ "240.0.0.0/4", "reserved (RFC 1112)" },
	{ "255.255.255.255/32", "limited broadcast (RFC 919)" },
	{ "::/128", "unspecified address (RFC 4291)" },
	{ "::1/128", "loopback (RFC 4291)" },
	{ "64:ff9b::/96", "IPv4-IPv6 translation (RFC 6052)" },
	{ "64:ff9b:1::/48", "local-use IPv4/IPv6 translation (RFC 8215)" },
	{ "100::/64", "discard-only (RFC 6666)" },
	{ "2001::/23", "IETF protocol assignments (RFC 2928)" },
	{ "2001:db8::/32", "documentation (RFC 3849)" },
	{ "2002::/16", "6to4 (RFC 3056)" },
	{ "3fff::/20", "documentation (RFC 9637)" },
	{ "5f00::/16", "segment routing SIDs (RFC 9602)" },
	{ "fc00::/7", "unique local (RFC 4193)" },
	{ "fe80::/10", "link local unicast (RFC 4291)" },
	{ "ff00::/8", "multicast (RFC 4291)" },
};

gboolean
netaddr_is_special(const struct netaddr *a, const char **why_r)
{
	static struct netaddr nets[G_N_ELEMENTS(specials)];
	static guint plens[G_N_ELEMENTS(specials)];
	static gsize once;
	guint i;

	if (g_once_init_enter(&once)) {
		for (i = 0; i < G_N_ELEMENTS(specials); i++)
			if (!netaddr_parse_cidr(specials[i].cidr, &nets[i],
			    &plens[i], FALSE))
				g_assert_not_reached();
		g_once_init_leave(&once, 1);
	}
	for (i = 0; i < G_N_ELEMENTS(specials); i++) {
		if (nets[i].v4 != a->v4)
			continue;
		if (netaddr_in_prefix(a, &nets[i], plens[i])) {
			if (why_r != NULL)
				*why_r = specials[i].why;
			return TRUE;
		}
	}
	return FALSE;
}
