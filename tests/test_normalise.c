/*
 * test_normalise.c: parse_refang(), parse_defang_url() and
 * parse_normalise() over tables of raw text and the exact canonical
 * value (or NULL) expected.
 */
#include "config.h"

#include <string.h>
#include <criterion/criterion.h>

#include "parse/parse.h"

struct ncase {
	enum finding_kind	 kind;
	const char		*raw;
	const char		*want;	/* NULL: invalid */
};

static const struct ncase cases[] = {
	/* IPv4 */
	{ FINDING_IPV4, "192.0.2.1", "192.0.2.1" },
	{ FINDING_IPV4, "203.0.113[.]7", "203.0.113.7" },
	{ FINDING_IPV4, "203(.)0(.)113(.)7", "203.0.113.7" },
	{ FINDING_IPV4, "198[dot]51[dot]100[dot]9", "198.51.100.9" },
	{ FINDING_IPV4, " 8.8.8.8 ", "8.8.8.8" },
	{ FINDING_IPV4, "999.1.1.1", NULL },
	{ FINDING_IPV4, "1.3.6.1.2.1.1.5.0", NULL },
	{ FINDING_IPV4, "10.1", NULL },
	{ FINDING_IPV4, "010.1.1.1", NULL },
	{ FINDING_IPV4, "::1", NULL },
	/* IPv6 */
	{ FINDING_IPV6, "2001:DB8:0:0:0:0:0:1", "2001:db8::1" },
	{ FINDING_IPV6, "2400:CB00:2048:0001:0000:0000:6CA2:C665",
	    "2400:cb00:2048:1::6ca2:c665" },
	{ FINDING_IPV6, "2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1" },
	{ FINDING_IPV6, "::ffff:1.2.3.4", "1.2.3.4" },
	{ FINDING_IPV6, "0:0:0:0:0:ffff:c000:201", "192.0.2.1" },
	{ FINDING_IPV6, "fe80::1%eth0", "fe80::1" },
	{ FINDING_IPV6, "12:34:56", NULL },
	{ FINDING_IPV6, "1.2.3.4", NULL },
	{ FINDING_IPV6, "2001:db8::1::2", NULL },
	/* URL */
	{ FINDING_URL, "http://Example.COM/Path?Q=A",
	    "http://example.com/Path?Q=A" },
	{ FINDING_URL, "HTTPS://example.com", "https://example.com/" },
	{ FINDING_URL, "hxxps[:]//evil[.]example[.]com/login.php",
	    "https://evil.example.com/login.php" },
	{ FINDING_URL, "hXXp://bad[.]example/a", "http://bad.example/a" },
	{ FINDING_URL, "https[:]//phish[.]example[.]jp/",
	    "https://phish.example.jp/" },
	{ FINDING_URL, "hxxp[://]x[.]example[.]net/p",
	    "http://x.example.net/p" },
	{ FINDING_URL, "fxp://files.example.org/x",
	    "ftp://files.example.org/x" },
	{ FINDING_URL, "http://example.com/a.", "http://example.com/a" },
	{ FINDING_URL, "http://example.com/a),", "http://example.com/a" },
	{ FINDING_URL, "http://example.com/wiki/Foo_(bar)",
	    "http://example.com/wiki/Foo_(bar)" },
	{ FINDING_URL, "http://example.com/x?a=1&amp;b=2",
	    "http://example.com/x?a=1&b=2" },
	{ FINDING_URL, "http://example.com/'>", "http://example.com/" },
	{ FINDING_URL, "https://example.jp/index.htmlをご確認ください",
	    "https://example.jp/index.html" },
	{ FINDING_URL, "https://example.jpをご確認ください",
	    "https://example.jp/" },
	{ FINDING_URL, "https://example.jp:8443をご確認",
	    "https://example.jp:8443/" },
	{ FINDING_URL, "https://example.jp/a\xe3\x80\x82",
	    "https://example.jp/a" },
	{ FINDING_URL, "https://例え.jp/", "https://xn--r8jz45g.jp/" },
	{ FINDING_URL, "http://[2400:CB00:0:0::1]:8080/x",
	    "http://[2400:cb00::1]:8080/x" },
	{ FINDING_URL, "http://192.0.2.5:8080/", "http://192.0.2.5:8080/" },
	{ FINDING_URL, "http://user@Example.com/", "http://user@example.com/" },
	{ FINDING_URL, "www.example.com/x", "http://www.example.com/x" },
	{ FINDING_URL, "http://999.1.1.1/", NULL },
	{ FINDING_URL, "http://example.com:99999/", NULL },
	{ FINDING_URL, "http://localhost/", NULL },
	{ FINDING_URL, "example.com/x", NULL },
	/* domain */
	{ FINDING_DOMAIN, "Example.COM.", "example.com" },
	{ FINDING_DOMAIN, "evil[.]example[.]org", "evil.example.org" },
	{ FINDING_DOMAIN, "bücher.example", "xn--bcher-kva.example" },
	{ FINDING_DOMAIN, "例え.テスト", "xn--r8jz45g.xn--zckzah" },
	{ FINDING_DOMAIN, "xn--r8jz45g.jp", "xn--r8jz45g.jp" },
	{ FINDING_DOMAIN, "localhost", NULL },
	{ FINDING_DOMAIN, "1.2.3.4", NULL },
	{ FINDING_DOMAIN, "index.html5", NULL },
	{ FINDING_DOMAIN, "a..example.com", NULL },
	{ FINDING_DOMAIN, "-bad.example.com", NULL },
	/* email */
	{ FINDING_EMAIL, "Abuse@Example.COM", "Abuse@example.com" },
	{ FINDING_EMAIL, "abuse[at]example[.]net", "abuse@example.net" },
	{ FINDING_EMAIL, "abuse[@]example[.]net", "abuse@example.net" },
	{ FINDING_EMAIL, "@example.net", NULL },
	{ FINDING_EMAIL, "abuse@localhost", NULL },
	/* cidr */
	{ FINDING_CIDR, "192.0.2.0/24", "192.0.2.0/24" },
	{ FINDING_CIDR, "192.0.2.77/24", "192.0.2.0/24" },
	{ FINDING_CIDR, "2001:DB8:0:0::/32", "2001:db8::/32" },
	{ FINDING_CIDR, "192.0.2.0/33", NULL },
	/* asn */
	{ FINDING_ASN, "AS64500", "AS64500" },
	{ FINDING_ASN, "as64500", "AS64500" },
	{ FINDING_ASN, "64500", "AS64500" },
	{ FINDING_ASN, "ASN 2914", "AS2914" },
	{ FINDING_ASN, "AS0", NULL },
	{ FINDING_ASN, "AS4294967296", NULL },
	{ FINDING_ASN, "ASx", NULL },
	/* cve */
	{ FINDING_CVE, "cve-2021-44228", "CVE-2021-44228" },
	{ FINDING_CVE, "CVE-2024-123456", "CVE-2024-123456" },
	{ FINDING_CVE, "CVE-2021-442", NULL },
	{ FINDING_CVE, "CVE-21-44228", NULL },
	/* hash */
	{ FINDING_HASH, "D41D8CD98F00B204E9800998ECF8427E",
	    "d41d8cd98f00b204e9800998ecf8427e" },
	{ FINDING_HASH, "da39a3ee5e6b4b0d3255bfef95601890afd80709",
	    "da39a3ee5e6b4b0d3255bfef95601890afd80709" },
	{ FINDING_HASH, "d41d8cd98f00b204e9800998ecf8427", NULL },
	{ FINDING_HASH, "g41d8cd98f00b204e9800998ecf8427e", NULL },
};

TestSuite(normalise, .timeout = 10);

Test(normalise, every_kind_gives_the_canonical_value_or_null)
{
	struct arena *a = arena_new("t", 4096, 1024 * 1024);
	guint i;

	for (i = 0; i < G_N_ELEMENTS(cases); i++) {
		const struct ncase *c = &cases[i];
		char *got = parse_normalise(a, c->kind, c->raw,
		    strlen(c->raw));

		if (c->want == NULL)
			cr_expect_null(got, "%s \"%s\" -> \"%s\", want NULL",
			    finding_kind_name(c->kind), c->raw, got);
		else
			cr_expect_str_eq(got != NULL ? got : "(null)",
			    c->want, "%s \"%s\"", finding_kind_name(c->kind),
			    c->raw);
	}
	arena_free(&a);
}

Test(normalise, refang_rewrites_every_bracket_form)
{
	static const char *const pairs[][2] = {
		{ "hxxps://a[.]b(.)c{.}d[dot]e(dot)f/",
		    "https://a.b.c.d.e.f/" },
		{ "hXXp[:]//x[.]jp", "http://x.jp" },
		{ "HXXPS[://]x.jp", "https://x.jp" },
		{ "fxp://x.jp", "ftp://x.jp" },
		{ "user[at]example[.]com user[@]ex[DOT]com",
		    "user@example.com user@ex.com" },
		{ "[2400::1]:80 (text) [note]", "[2400::1]:80 (text) [note]" },
		{ "thxxp://x", "thxxp://x" },
	};
	struct arena *a = arena_new("t", 4096, 1024 * 1024);
	guint i;

	for (i = 0; i < G_N_ELEMENTS(pairs); i++)
		cr_expect_str_eq(parse_refang(a, pairs[i][0],
		    strlen(pairs[i][0])), pairs[i][1]);
	arena_free(&a);
}

Test(normalise, refang_honours_the_length)
{
	struct arena *a = arena_new("t", 4096, 1024 * 1024);

	cr_expect_str_eq(parse_refang(a, "a[.]b[.]c", 6), "a.b[");
	arena_free(&a);
}

Test(normalise, defang_url_makes_outgoing_links_unclickable)
{
	static const char *const pairs[][2] = {
		{ "http://evil.example.com/a.php?x=1.2",
		    "hxxp://evil[.]example[.]com/a.php?x=1.2" },
		{ "https://192.0.2.1:8080/", "hxxps://192[.]0[.]2[.]1:8080/" },
		{ "ftp://f.example/", "fxp://f[.]example/" },
		{ "evil.example.com", "evil[.]example[.]com" },
	};
	guint i;

	for (i = 0; i < G_N_ELEMENTS(pairs); i++) {
		char *got = parse_defang_url(pairs[i][0]);

		cr_expect_str_eq(got, pairs[i][1]);
		g_free(got);
	}
}

Test(normalise, defanged_url_refangs_back_to_the_same_value)
{
	struct arena *a = arena_new("t", 4096, 1024 * 1024);
	const char *url = "https://evil.example.com/x/y.html";
	char *d = parse_defang_url(url);

	cr_expect_str_eq(parse_normalise(a, FINDING_URL, d, strlen(d)), url);
	g_free(d);
	arena_free(&a);
}

Test(normalise, overlong_input_is_rejected)
{
	struct arena *a = arena_new("t", 4096, 1024 * 1024);
	char *big = g_strnfill(10000, 'a');

	memcpy(big, "http://x.example/", 17);
	cr_expect_null(parse_normalise(a, FINDING_URL, big, strlen(big)));
	g_free(big);
	arena_free(&a);
}

Test(normalise, registered_domain_by_the_public_suffix_list)
{
	struct arena *a = arena_new("t", 0, 0);

	cr_expect_str_eq(parse_registered_domain(a, "www.shop.example.co.jp"),
	    "example.co.jp");
	cr_expect_str_eq(parse_registered_domain(a, "login.bank.com"),
	    "bank.com");
	cr_expect_str_eq(parse_registered_domain(a, "xn--wgv71a119e.jp"),
	    "xn--wgv71a119e.jp");
	cr_expect_null(parse_registered_domain(a, "co.jp"));
	arena_free(&a);
}
