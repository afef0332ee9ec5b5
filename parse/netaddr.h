/*
 * netaddr.h: IP addresses and prefixes, parsed and printed in one place.
 *
 * Every module that handles an IP (extraction, routing, the case DB) uses
 * these, so "192.0.2.1", "::ffff:192.0.2.1" and "0:0:0:0:0:ffff:c000:201"
 * are one address everywhere.  Addresses are kept as 16 bytes (IPv4 as
 * IPv4-mapped IPv6) so one trie serves both families.
 */
#ifndef ABUSEDESK_NETADDR_H
#define ABUSEDESK_NETADDR_H

#include <glib.h>

struct netaddr {
	guint8	 b[16];		/* network order; IPv4 is ::ffff:a.b.c.d */
	gboolean v4;		/* printed as dotted quad */
};

/* Parses an IPv4 or IPv6 literal (no port, no brackets, no zone).
 * IPv4-mapped IPv6 becomes IPv4.  Returns FALSE on anything else. */
gboolean	netaddr_parse(const char *s, gsize len, struct netaddr *out);
/* Canonical text: dotted quad, or RFC 5952 IPv6.  buf >= 46 bytes. */
const char	*netaddr_format(const struct netaddr *a, char *buf, gsize size);
/* "a.b.c.d/n" or "v6/n"; host bits must be zero unless lenient. */
gboolean	netaddr_parse_cidr(const char *s, struct netaddr *net,
		    guint *plen_r, gboolean lenient);
/* plen is counted on the 128-bit form: IPv4 /24 is 96 + 24. */
gboolean	netaddr_in_prefix(const struct netaddr *a,
		    const struct netaddr *net, guint plen128);
/* RFC 6890 special-purpose space (private, loopback, link-local,
 * documentation, CGN, multicast, reserved...): never an offender, never
 * routed.  *why_r names the registry entry. */
gboolean	netaddr_is_special(const struct netaddr *a, const char **why_r);

#endif
