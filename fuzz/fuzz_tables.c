/*
 * fuzz_tables.c: libFuzzer target for the routing data parsers of route/:
 * the importers of `abusedesk data import`, every table route_open()
 * reads (CSV, plain or gzip, and MaxMind .mmdb) and the parsers of live
 * RDAP and whois answers.  Built only with configure --enable-fuzz
 * CC=clang; see fuzz/README.md.
 *
 * The first input byte chooses the parser (modulo SEL_COUNT, table
 * below); the rest is the file, written to a scratch directory under the
 * name the parser expects, or handed to the in-memory parser.  The other
 * tables route_open() needs (the contacts a networks file names) are
 * small valid files written once.  Every call must end in a result or a
 * GError: a crash, a hang, a leak, a g_critical or a temporary file left
 * behind by an importer is a bug.
 *
 * The scratch directory is $FUZZ_TMPDIR, else /dev/shm (the importers
 * fsync every file they write), else the system's temporary directory.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <glib/gstdio.h>

#include "route/route.h"
#include "route/lookup.h"

int	LLVMFuzzerInitialize(int *argc, char ***argv);
int	LLVMFuzzerTestOneInput(const guint8 *data, size_t size);

/* What the first byte selects. */
enum sel {
	SEL_IMPORT_RIR = 0,	/* delegated-extended; '\f' splits two files */
	SEL_IMPORT_PFX2AS,
	SEL_IMPORT_IP2ASN,
	SEL_IMPORT_CONTACTS,
	SEL_CONTACTS,		/* route_open() with the input as ... */
	SEL_NETWORKS,
	SEL_CSIRTS,
	SEL_ASN_CONTACTS,
	SEL_DOMAIN_CONTACTS,
	SEL_GEO_COUNTRY,
	SEL_RIR_COUNTRY,
	SEL_ASN,
	SEL_ASN_NAMES,
	SEL_MMDB,		/* geo_mmdb and asn_mmdb, then lookups */
	SEL_RDAP,		/* lookup_rdap_parse() */
	SEL_WHOIS,		/* lookup_whois_parse() */
	SEL_COUNT
};

/* The contacts every seed's networks, ASN and domain tables name: those
 * of tests/data/route-contacts.csv and data/contacts.csv. */
static const char companion_contacts[] =
    "id,name,email,language,country,kind,format,notes\n"
    "big-isp,Big ISP,abuse@big.example,en,US,network-owner,,\n"
    "small-customer,Small Customer,abuse@small.example,en,us,hosting,,\n"
    "v6-host,V6 Host,abuse@v6.example,de,DE,hosting,,\n"
    "csirt-fr,Analyst FR desk,cert@fr.example,fr,FR,national-csirt,,\n"
    "jp-constituent,JP Constituent,abuse@c.example.jp,ja,JP,"
    "constituency,,\n"
    "hoster-de,Hosting GmbH,abuse@hoster-de.example,en,DE,hosting,xarf,\n"
    "isp-jp,Internet K.K.,abuse@isp-jp.example,ja,JP,hosting,text,\n"
    "vps-nl,VPS B.V.,abuse@vps-nl.example,en,NL,hosting,csv,\n"
    "reseller-nl,Reseller,abuse@reseller-nl.example,en,NL,hosting,,\n";

/* Addresses looked up in an .mmdb (public ones: special-purpose
 * addresses are never looked up), IPv4 and IPv6. */
static const char *const probe_ips[] = {
	"1.0.0.1", "1.0.3.7", "8.8.8.8", "20.1.2.3", "81.2.69.160",
	"223.255.255.1", "2001:4860:4860::8888", "2a00:1450::1",
	"2400:cb00::1", "::ffff:1.0.0.1",
};

static char	*dir;		/* scratch directory */
static char	*contacts_path;	/* companion contacts.csv */

static void
quiet_log(const char *domain, GLogLevelFlags level, const char *msg,
    gpointer data)
{
	if (level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL))
		g_log_default_handler(domain, level, msg, data);
}

/* cleanup - removes the scratch directory at exit */
static void
cleanup(void)
{
	GDir *d;
	const char *name;
	char *p;

	if (dir == NULL || (d = g_dir_open(dir, 0, NULL)) == NULL)
		return;
	while ((name = g_dir_read_name(d)) != NULL) {
		p = g_build_filename(dir, name, NULL);
		(void)g_unlink(p);
		g_free(p);
	}
	g_dir_close(d);
	(void)g_rmdir(dir);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *base = g_getenv("FUZZ_TMPDIR");
	char *tmpl;

	(void)argc;
	(void)argv;
	if (base == NULL)
		base = g_file_test("/dev/shm", G_FILE_TEST_IS_DIR) ?
		    "/dev/shm" : g_get_tmp_dir();
	tmpl = g_build_filename(base, "fuzz_tables.XXXXXX", NULL);
	if ((dir = g_mkdtemp(tmpl)) == NULL) {
		fprintf(stderr, "fuzz_tables: %s: cannot create\n", tmpl);
		exit(1);
	}
	atexit(cleanup);
	contacts_path = g_build_filename(dir, "companion-contacts.csv", NULL);
	if (!g_file_set_contents(contacts_path, companion_contacts, -1,
	    NULL)) {
		fprintf(stderr, "fuzz_tables: cannot write %s\n",
		    contacts_path);
		exit(1);
	}
	/* A g_critical is a failed g_return_if_fail: a bug, so a crash.
	 * Warnings about hostile input are expected: keep them quiet. */
	g_log_set_always_fatal(G_LOG_LEVEL_CRITICAL | G_LOG_FATAL_MASK);
	g_log_set_default_handler(quiet_log, NULL);
	return 0;
}

/* put - writes len bytes of data as dir/name; the path (g_free) */
static char *
put(const char *name, const guint8 *data, gsize len)
{
	char *path = g_build_filename(dir, name, NULL);

	if (!g_file_set_contents(path, (const char *)data, len, NULL))
		abort();
	return path;
}

/* drop - removes a file put() or an importer wrote, frees path */
static void
drop(char *path)
{
	(void)g_unlink(path);
	g_free(path);
}

/* no_leftovers - aborts when an importer left a temporary file behind */
static void
no_leftovers(void)
{
	GDir *d;
	const char *name;

	if ((d = g_dir_open(dir, 0, NULL)) == NULL)
		abort();
	while ((name = g_dir_read_name(d)) != NULL)
		if (g_str_has_suffix(name, ".tmp")) {
			fprintf(stderr, "fuzz_tables: %s left behind\n",
			    name);
			abort();
		}
	g_dir_close(d);
}

/* check_error - a failed call must say why, with the right domain */
static void
check_error(gboolean ok, GError *err, GQuark domain)
{
	if (ok != (err == NULL) || (err != NULL && (err->domain != domain ||
	    err->message == NULL || *err->message == '\0')))
		abort();
}

static void
run_import(enum sel s, const guint8 *data, gsize len)
{
	struct route_import_stats st;
	GError *err = NULL;
	const guint8 *ff;
	char *in[2] = { NULL, NULL }, *out, *names = NULL;
	guint n = 1;
	gboolean ok = FALSE;

	out = g_build_filename(dir, "out.csv", NULL);
	switch (s) {
	case SEL_IMPORT_RIR:
		if ((ff = memchr(data, '\f', len)) != NULL) {
			in[0] = put("delegated-a-extended", data, ff - data);
			in[1] = put("delegated-b-extended", ff + 1,
			    len - (ff - data) - 1);
			n = 2;
		} else
			in[0] = put("delegated-a-extended", data, len);
		ok = route_import_rir((const char *const *)in, n, out, &st,
		    &err);
		break;
	case SEL_IMPORT_PFX2AS:
		in[0] = put("routeviews.pfx2as", data, len);
		ok = route_import_pfx2as(in[0], out, &st, &err);
		break;
	case SEL_IMPORT_IP2ASN:
		in[0] = put("ip2asn-combined.tsv", data, len);
		names = g_build_filename(dir, "names.csv", NULL);
		ok = route_import_ip2asn(in[0], out, names, &st, &err);
		break;
	default:
		in[0] = put("contacts-new.csv", data, len);
		ok = route_import_contacts(in[0], out, &st, &err);
		break;
	}
	check_error(ok, err, ROUTE_ERROR);
	g_clear_error(&err);
	no_leftovers();
	drop(in[0]);
	if (in[1] != NULL)
		drop(in[1]);
	if (names != NULL)
		drop(names);
	drop(out);
}

static void
run_open(enum sel s, const guint8 *data, gsize len)
{
	struct route_paths p;
	struct route_tables *t;
	struct route_ip_info info;
	const char *geo, *rir;
	GError *err = NULL;
	char *in;
	guint i;

	memset(&p, 0, sizeof(p));
	p.own_country = "JP";
	switch (s) {
	case SEL_CONTACTS:
		p.contacts = in = put("contacts.csv", data, len);
		break;
	case SEL_NETWORKS:
		p.contacts = contacts_path;
		p.networks = in = put("networks.csv", data, len);
		break;
	case SEL_CSIRTS:
		p.contacts = contacts_path;
		p.csirts = in = put("national-csirts.csv", data, len);
		break;
	case SEL_ASN_CONTACTS:
		p.contacts = contacts_path;
		p.asn_contacts = in = put("asn-contacts.csv", data, len);
		break;
	case SEL_DOMAIN_CONTACTS:
		p.contacts = contacts_path;
		p.domain_contacts = in = put("domain-contacts.csv", data,
		    len);
		break;
	case SEL_GEO_COUNTRY:
		p.geo_country = in = put("ip-country-geo.csv", data, len);
		break;
	case SEL_RIR_COUNTRY:
		p.rir_country = in = put("ip-country-rir.csv", data, len);
		break;
	case SEL_ASN:
		p.asn = in = put("ip-asn.csv", data, len);
		break;
	case SEL_ASN_NAMES:
		p.asn_names = in = put("asn-names.csv", data, len);
		break;
	default:
		p.geo_mmdb = p.asn_mmdb = in = put("fuzz.mmdb", data, len);
		break;
	}
	t = route_open(&p, &err);
	check_error(t != NULL, err, ROUTE_ERROR);
	g_clear_error(&err);
	if (t != NULL) {
		/* Walk the tree and the data section (mmdb), or the ranges
		 * just loaded, for a few addresses. */
		for (i = 0; i < G_N_ELEMENTS(probe_ips); i++) {
			(void)route_ip_info(t, probe_ips[i], &info);
			(void)route_ip_country(t, probe_ips[i], &geo, &rir);
		}
		(void)route_as_name(t, 64500);
		(void)route_contact(t, "csirt-jp");
		(void)route_tables_bytes(t);
	}
	route_close(&t);
	drop(in);
}

static void
run_lookup(enum sel s, const guint8 *data, gsize len)
{
	static const char *const queries[] = {
		"192.0.2.1", "2001:db8::1", "example.com",
	};
	struct lookup_config cfg;
	struct lookup_answer ans;
	GError *err = NULL;
	char *text, *referral;
	guint i;
	int rc;

	lookup_config_defaults(&cfg);
	/* NUL-terminated, as lookup_tcp_exchange() hands answers over. */
	text = g_malloc(len + 1);
	memcpy(text, data, len);
	text[len] = '\0';
	for (i = 0; i < G_N_ELEMENTS(queries); i++) {
		memset(&ans, 0, sizeof(ans));
		if (s == SEL_RDAP) {
			rc = lookup_rdap_parse(&cfg, queries[i], text, len,
			    &ans, &err);
			check_error(rc != -1, err, LOOKUP_ERROR);
			g_clear_error(&err);
		} else if (i < 2) {
			rc = lookup_whois_parse(&cfg, queries[i], text, len,
			    &ans, &referral);
			if (rc == -1)
				abort();
			g_free(referral);
		}
		lookup_answer_clear(&ans);
	}
	g_free(text);
}

int
LLVMFuzzerTestOneInput(const guint8 *data, size_t size)
{
	enum sel s;

	if (size == 0)
		return 0;
	s = (enum sel)(data[0] % SEL_COUNT);
	data++;
	size--;
	if (s <= SEL_IMPORT_CONTACTS)
		run_import(s, data, size);
	else if (s <= SEL_MMDB)
		run_open(s, data, size);
	else
		run_lookup(s, data, size);
	return 0;
}
