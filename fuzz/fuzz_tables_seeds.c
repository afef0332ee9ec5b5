/*
 * fuzz_tables_seeds.c: the seeds of fuzz/fuzz_tables that are not files
 * of the source tree: MaxMind databases (written with tests/mmdb_writer.c:
 * a GeoLite2-Country and a GeoLite2-ASN layout, IPv4 and IPv6), RDAP
 * answers and whois answers, each prefixed with its selector byte.
 * fuzz/run-fuzz adds the CSV fixtures itself.
 *
 *   fuzz/fuzz_tables_seeds DIR
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/mmdb_writer.h"

/* The selectors of fuzz_tables.c used here. */
#define SEL_MMDB	13
#define SEL_RDAP	14
#define SEL_WHOIS	15

static const char rdap_net[] =
    "{\"objectClassName\":\"ip network\",\"handle\":\"192.0.2.0 - "
    "192.0.2.255\",\"startAddress\":\"192.0.2.0\",\"endAddress\":"
    "\"192.0.2.255\",\"ipVersion\":\"v4\",\"name\":\"HOSTER-NET\","
    "\"country\":\"NL\",\"cidr0_cidrs\":[{\"v4prefix\":\"192.0.2.0\","
    "\"length\":24}],\"entities\":[{\"objectClassName\":\"entity\","
    "\"handle\":\"ORG-HA1\",\"roles\":[\"registrant\"],\"vcardArray\":"
    "[\"vcard\",[[\"version\",{},\"text\",\"4.0\"],[\"fn\",{},\"text\","
    "\"Hoster A\"]]],\"entities\":[{\"objectClassName\":\"entity\","
    "\"handle\":\"AR123-HA\",\"roles\":[\"abuse\"],\"vcardArray\":"
    "[\"vcard\",[[\"version\",{},\"text\",\"4.0\"],[\"email\",{},"
    "\"text\",\"abuse@hoster.example\"]]]}]}]}";

static const char rdap_domain[] =
    "{\"objectClassName\":\"domain\",\"ldhName\":\"example.com\","
    "\"entities\":[{\"objectClassName\":\"entity\",\"handle\":\"292\","
    "\"roles\":[\"registrar\"],\"publicIds\":[{\"type\":"
    "\"IANA Registrar ID\",\"identifier\":\"292\"}],\"vcardArray\":"
    "[\"vcard\",[[\"version\",{},\"text\",\"4.0\"],[\"fn\",{},\"text\","
    "\"Registrar Inc.\"]]],\"entities\":[{\"objectClassName\":"
    "\"entity\",\"roles\":[\"abuse\"],\"vcardArray\":[\"vcard\","
    "[[\"version\",{},\"text\",\"4.0\"],[\"email\",{},\"text\","
    "\"abuse@registrar.example\"],[\"tel\",{\"type\":\"voice\"},"
    "\"uri\",\"tel:+1.5555555555\"]]]}]}],\"events\":[{\"eventAction\":"
    "\"registration\",\"eventDate\":\"1995-08-14T04:00:00Z\"}]}";

static const char rdap_v6[] =
    "{\"objectClassName\":\"ip network\",\"startAddress\":"
    "\"2001:db8::\",\"endAddress\":\"2001:db8:ffff:ffff:ffff:ffff:ffff:"
    "ffff\",\"ipVersion\":\"v6\",\"name\":\"V6-NET\",\"country\":\"DE\","
    "\"arin_originas0_originautnums\":[64500],\"entities\":[{"
    "\"handle\":\"RIPE-NCC-MNT\",\"roles\":[\"abuse\"],\"vcardArray\":"
    "[\"vcard\",[[\"email\",{},\"text\",\"abuse@ripe.net\"]]]}]}";

static const char whois_ripe[] =
    "% This is the RIPE Database query service.\r\n"
    "% Abuse contact for '192.0.2.0 - 192.0.2.255' is "
    "'abuse@hoster.example'\r\n\r\n"
    "inetnum:        192.0.2.0 - 192.0.2.255\r\n"
    "netname:        HOSTER-NET\r\n"
    "country:        NL\r\n"
    "abuse-c:        AR1-RIPE\r\n"
    "\r\n% Information related to '192.0.2.0/24AS64500'\r\n"
    "route:          192.0.2.0/24\r\n"
    "origin:         AS64500\r\n";

static const char whois_arin[] =
    "NetRange:       192.0.0.0 - 192.0.255.255\n"
    "CIDR:           192.0.0.0/16\n"
    "NetName:        BIG-ISP\n"
    "Country:        US\n"
    "OriginAS:       AS64501\n"
    "\n"
    "NetRange:       192.0.2.0 - 192.0.2.127\n"
    "CIDR:           192.0.2.0/25\n"
    "NetName:        CUSTOMER-1\n"
    "OrgAbuseEmail:  abuse@customer.example\n"
    "ReferralServer: whois://whois.ripe.net:43\n";

static const char whois_v6[] =
    "inet6num:       2001:db8::/32\n"
    "netname:        V6-NET\n"
    "country:        DE\n"
    "abuse-mailbox:  abuse@v6.example\n"
    "refer:          whois.apnic.net\n";

static const char *outdir;

/* save - writes sel, then len bytes of data, as outdir/name */
static void
save(const char *name, guint8 sel, const void *data, gsize len)
{
	GByteArray *b = g_byte_array_new();
	GError *err = NULL;
	char *path = g_build_filename(outdir, name, NULL);

	g_byte_array_append(b, &sel, 1);
	g_byte_array_append(b, data, len);
	if (!g_file_set_contents(path, (const char *)b->data, b->len,
	    &err)) {
		fprintf(stderr, "fuzz_tables_seeds: %s\n", err->message);
		exit(1);
	}
	g_byte_array_unref(b);
	g_free(path);
}

/* country - a GeoLite2-Country record */
static GByteArray *
country(const char *cc, const char *reg)
{
	GByteArray *b = g_byte_array_new();

	mmdb_put_map(b, 2);
	mmdb_put_string(b, "country");
	mmdb_put_map(b, 2);
	mmdb_put_string(b, "geoname_id");
	mmdb_put_uint32(b, 1861060);
	mmdb_put_string(b, "iso_code");
	mmdb_put_string(b, cc);
	mmdb_put_string(b, "registered_country");
	mmdb_put_map(b, 2);
	mmdb_put_string(b, "iso_code");
	mmdb_put_string(b, reg);
	mmdb_put_string(b, "names");
	mmdb_put_array(b, 1);
	mmdb_put_string(b, "Japan");
	return b;
}

/* asn - a GeoLite2-ASN record */
static GByteArray *
asn(guint32 n, const char *org, gboolean wide)
{
	GByteArray *b = g_byte_array_new();

	mmdb_put_map(b, 2);
	mmdb_put_string(b, "autonomous_system_number");
	if (wide)
		mmdb_put_uint64(b, n);
	else if (n <= G_MAXUINT16)
		mmdb_put_uint16(b, (guint16)n);
	else
		mmdb_put_uint32(b, n);
	mmdb_put_string(b, "autonomous_system_organization");
	mmdb_put_string(b, org);
	return b;
}

static void
add(struct mmdb_writer *w, const char *cidr, GByteArray *rec)
{
	if (!mmdb_writer_add(w, cidr, rec)) {
		fprintf(stderr, "fuzz_tables_seeds: %s\n", cidr);
		exit(1);
	}
	g_byte_array_unref(rec);
}

static void
save_mmdb(const char *name, struct mmdb_writer *w)
{
	GByteArray *b = mmdb_writer_build(w);

	save(name, SEL_MMDB, b->data, b->len);
	g_byte_array_unref(b);
	mmdb_writer_free(&w);
}

int
main(int argc, char **argv)
{
	struct mmdb_writer *w;

	if (argc != 2) {
		fprintf(stderr, "usage: fuzz_tables_seeds DIR\n");
		return 2;
	}
	outdir = argv[1];
	if (g_mkdir_with_parents(outdir, 0755) != 0) {
		perror(outdir);
		return 1;
	}

	w = mmdb_writer_new("GeoLite2-Country", 1795176000ULL);
	add(w, "1.0.0.0/24", country("JP", "JP"));
	add(w, "1.0.3.0/24", country("DE", "UK"));
	add(w, "8.8.8.0/24", country("US", "US"));
	add(w, "2001:4860::/32", country("US", "EU"));
	save_mmdb("mmdb-country", w);

	w = mmdb_writer_new("GeoLite2-ASN", 1795176000ULL);
	add(w, "1.0.0.0/24", asn(64500, "Example JP Net", FALSE));
	add(w, "20.0.0.0/8", asn(4200000000U, "Big \"ISP\"", FALSE));
	add(w, "20.1.0.0/16", asn(64502, "Wide", TRUE));
	add(w, "2a00:1450::/32", asn(15169, "Google LLC", FALSE));
	save_mmdb("mmdb-asn", w);

	save("rdap-net", SEL_RDAP, rdap_net, strlen(rdap_net));
	save("rdap-domain", SEL_RDAP, rdap_domain, strlen(rdap_domain));
	save("rdap-v6", SEL_RDAP, rdap_v6, strlen(rdap_v6));
	save("whois-ripe", SEL_WHOIS, whois_ripe, strlen(whois_ripe));
	save("whois-arin", SEL_WHOIS, whois_arin, strlen(whois_arin));
	save("whois-v6", SEL_WHOIS, whois_v6, strlen(whois_v6));
	return 0;
}
