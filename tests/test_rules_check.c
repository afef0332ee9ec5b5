/*
 * test_rules_check.c: the checker's diagnostics of the newer clauses
 * (conditions, blocks, actions, value sets, list files, limits) and its
 * warnings (unused named groups, compiled size, shadowed rules), each
 * message with its exact file:line:col.
 */
#include "config.h"

#include <string.h>
#include <criterion/criterion.h>

#include "parse/limits.h"
#include "rules/rules.h"
#include "tests/helpers.h"

TestSuite(rules_check, .init = test_tmp_setup, .fini = test_tmp_teardown,
    .timeout = 10);

static char *
put(const char *name, const char *text)
{
	char *path = g_build_filename(test_tmp, name, NULL);

	cr_assert(g_file_set_contents(path, text, -1, NULL));
	return path;
}

/* Loads t.rules; checks every diagnostic ("$T" is the directory) and
 * that the set loads exactly when there is no error. */
static void
expect_diags(const char *text, const char *want)
{
	GPtrArray *diags = g_ptr_array_new_with_free_func(rules_diag_free);
	char *path = put("t.rules", text), **bits, *got;
	GString *out = g_string_new(NULL);
	struct ruleset *rs;
	GError *err = NULL;
	guint i;

	rs = rules_load(path, diags, &err);
	for (i = 0; i < diags->len; i++) {
		rules_diag_format(g_ptr_array_index(diags, i), out);
		g_string_append_c(out, '\n');
	}
	bits = g_strsplit(out->str, test_tmp, -1);
	got = g_strjoinv("$T", bits);
	cr_expect_str_eq(got, want);
	if (strstr(want, ": error: ") != NULL)
		cr_expect_null(rs);
	else
		cr_expect_not_null(rs);
	rules_free(&rs);
	g_clear_error(&err);
	g_strfreev(bits);
	g_free(got);
	g_string_free(out, TRUE);
	g_ptr_array_free(diags, TRUE);
	g_free(path);
}

Test(rules_check, every_error_of_the_newer_clauses)
{
	expect_diags(
	    "rule a \"d\"\n"
	    "\tmatch part size /x/\n"
	    "\tany\n"
	    "\t}\n"
	    "\tnot ignore\n"
	    "\tany {\n"
	    "\t\tset category spam\n"
	    "\t}\n"
	    "\ttrust reporter\n"
	    "\tformat arf\n"
	    "\tformat is nope\n"
	    "\tformat is\n"
	    "\treporter frob\n"
	    "\treporter domain Bad!\n"
	    "\tauthenticated dane\n"
	    "\tfinding ipv4 at 10.0.0.0/8\n"
	    "\tfinding ipv9 in 10.0.0.0/8\n"
	    "\tfinding ipv4 in 10.0.0.1/8\n"
	    "\tfield /x/\n"
	    "\tset tlp amber\n"
	    "\tset type phish\n"
	    "\ttag Bad!\n"
	    "\tsuppress ipv4 at x\n"
	    "\tsuppress in 10.0.0.0/8 because\n"
	    "\tsuppress in \"\"\n"
	    "\tsuppress in \"nofile.txt\"\n"
	    "\tsuppress in /x/\n"
	    "\trole villain for ipv4 in 10.0.0.0/8\n"
	    "\trole victim to ipv4 in 10.0.0.0/8\n"
	    "\trole victim for ipv4 at 10.0.0.0/8\n"
	    "\troute via x\n"
	    "\troute to\n"
	    "\ttrust me\n"
	    "\tlimit cpu 5\n"
	    "\tlimit match lots\n"
	    "\tlimit match 99999999999\n"
	    "\tall {\n",
	    "$T/t.rules:2:13: error: expected 'type' or 'filename' after 'm"
	    "atch part', got 'size'\n"
	    "$T/t.rules:3:2: error: expected '{' after 'any'\n"
	    "$T/t.rules:4:2: error: '}' without an open 'any {' or 'all {'"
	    "\n"
	    "$T/t.rules:5:6: error: 'not' goes before a condition, not 'ign"
	    "ore'\n"
	    "$T/t.rules:7:3: error: action 'set' inside 'any {' or 'all {' "
	    "(actions go after the conditions, outside blocks)\n"
	    "$T/t.rules:10:9: error: expected 'format is NAME[|NAME...]', g"
	    "ot 'arf'\n"
	    "$T/t.rules:11:12: error: unknown format 'nope' (expected arf, "
	    "bounce, cert-notice, dmarc, dsn, forward, gsb, jmrp, jpcert, n"
	    "etcraft, plain, shadowserver, spamcop, unparsed, xarf, xarf-js"
	    "on)\n"
	    "$T/t.rules:12:11: error: expected a format name after 'format "
	    "is'\n"
	    "$T/t.rules:13:11: error: expected 'reporter /regex/' or 'repor"
	    "ter domain SUFFIX', got 'frob'\n"
	    "$T/t.rules:14:18: error: bad domain 'bad!' (write a name like "
	    "example.net)\n"
	    "$T/t.rules:15:16: error: expected dkim, spf or dmarc after 'au"
	    "thenticated', got 'dane'\n"
	    "$T/t.rules:16:15: error: expected 'finding KIND in CIDR|SUFFIX"
	    "|\"file\"|/regex/', got 'at'\n"
	    "$T/t.rules:17:10: error: unknown kind 'ipv9' (expected ipv4, i"
	    "pv6, cidr, url, domain, email, asn, cve, hash)\n"
	    "$T/t.rules:18:18: error: bad set '10.0.0.1/8' (expected a CIDR"
	    ", an IP, a domain, a \"file\" or a /regex/)\n"
	    "$T/t.rules:19:8: error: expected a field name after 'field' in"
	    " rule 'a'\n"
	    "$T/t.rules:20:10: error: bad tlp 'amber' (expected CLEAR, GREE"
	    "N, AMBER, AMBER+STRICT, RED)\n"
	    "$T/t.rules:21:11: error: unknown type 'phish' (an IntelMQ clas"
	    "sification.type: phishing, scanner, spam, ...)\n"
	    "$T/t.rules:22:6: error: bad tag 'Bad!' (use a-z, 0-9, '.', '_'"
	    ", '-')\n"
	    "$T/t.rules:23:16: error: expected 'suppress [KIND] in SET', go"
	    "t 'at'\n"
	    "$T/t.rules:24:32: error: expected because \"reason\"\n"
	    "$T/t.rules:25:14: error: expected a \"file\" name\n"
	    "$T/t.rules:26:14: error: cannot read list '$T/nofile.txt': Fai"
	    "led to open file “$T/nofile.txt”: No such file or directory\n"
	    "$T/t.rules:27:14: error: bad set '/x/' (expected a CIDR, an IP"
	    ", a domain or a \"file\")\n"
	    "$T/t.rules:28:7: error: unknown role 'villain' (expected offen"
	    "der, victim, reporter, context)\n"
	    "$T/t.rules:29:14: error: expected 'role ROLE for KIND in SET',"
	    " got 'to'\n"
	    "$T/t.rules:30:23: error: expected 'in SET' after the kind, got"
	    " 'at'\n"
	    "$T/t.rules:31:8: error: expected 'route to CONTACT-ID', got 'v"
	    "ia'\n"
	    "$T/t.rules:32:10: error: expected a contact id after 'route to"
	    "'\n"
	    "$T/t.rules:33:8: error: expected 'trust reporter', got 'me'\n"
	    "$T/t.rules:34:8: error: expected 'limit match N' or 'limit dep"
	    "th N', got 'cpu'\n"
	    "$T/t.rules:35:14: error: bad limit 'lots' (a positive number)"
	    "\n"
	    "$T/t.rules:36:14: error: limit match 99999999999 of rule 'a' i"
	    "s over the ceiling 10000000\n"
	    "$T/t.rules:37:2: error: 'all {' of rule 'a' is not closed with"
	    " '}'\n"
	    "$T/t.rules:1:1: error: rule 'a': 'trust reporter' needs an 'au"
	    "thenticated' condition (not under 'not' or 'any')\n");
}

Test(rules_check, unused_group_and_shadowed_rules_are_warnings)
{
	expect_diags("rule b \"d\"\n"
	    "\tmatch body /(?<ipv4>1)(?<junk>2)(?<_note>3)/\n"
	    "\textract ipv4\n"
	    "rule c \"dmarc\"\n\tformat is dmarc\n\tignore\n"
	    "rule d \"d\"\n\tformat is dmarc\n\ttag x\n"
	    "rule e \"e\"\n\tformat is arf\n\ttag x\n"
	    "rule f \"f\"\n\tformat is arf\n\ttag x\n"
	    "rule g \"g\"\n\tformat is arf\n\ttag y\n",
	    "$T/t.rules:2:14: warning: named group 'junk' of rule 'b' is "
	    "not extracted (call it '_junk' to keep it for the hit's "
	    "captures only)\n"
	    "$T/t.rules:7:1: warning: rule 'd' is shadowed by rule 'c' at "
	    "$T/t.rules:4 (same conditions, and it ignores the message)\n"
	    "$T/t.rules:13:1: warning: rule 'f' is shadowed by rule 'e' at "
	    "$T/t.rules:10 (same conditions and actions)\n");
}

Test(rules_check, oversized_regex_is_a_warning)
{
	GString *t = g_string_new("rule big \"long list\"\n\tmatch body /(?:");
	char *want;
	guint i;

	for (i = 0; i < 3000; i++)
		g_string_append_printf(t, "%sw%u", i > 0 ? "|" : "", i);
	g_string_append(t, ")/\n");
	want = g_strdup_printf("$T/t.rules:2:14: warning: regex of rule "
	    "'big' compiles to 36926 bytes (limit %u): put long lists in a "
	    "list file\n", LIMIT_RULES_REGEX_BYTES);
	expect_diags(t->str, want);
	g_free(want);
	g_string_free(t, TRUE);
}

Test(rules_check, list_file_entries_are_checked_at_their_line)
{
	g_free(put("own.txt", "# our networks\n192.0.2.0/24\n\n"
	    "example.net  # web\n2001:db8::/32\nnot a thing\n10.1.1.1/8\n"));
	expect_diags("rule own \"d\"\n\talways\n"
	    "\tsuppress in \"own.txt\" because \"ours\"\n",
	    "$T/own.txt:6:1: error: bad entry 'not a thing' (expected a "
	    "CIDR, an IP address or a domain)\n"
	    "$T/own.txt:7:1: error: bad entry '10.1.1.1/8' (expected a "
	    "CIDR, an IP address or a domain)\n");
}

Test(rules_check, list_file_size_is_bounded)
{
	GString *t = g_string_new(NULL);
	char *want;
	guint i;

	for (i = 0; i <= LIMIT_RULES_LIST_ENTRIES; i++)
		g_string_append_printf(t, "10.%u.%u.0/24\n", i / 256 % 256,
		    i % 256);
	g_free(put("big.txt", t->str));
	want = g_strdup_printf("$T/big.txt:%u:1: error: too many entries "
	    "(limit %u)\n", LIMIT_RULES_LIST_ENTRIES + 1,
	    LIMIT_RULES_LIST_ENTRIES);
	expect_diags("rule own \"d\"\n\talways\n\tsuppress in \"big.txt\"\n",
	    want);
	g_free(want);
	g_string_free(t, TRUE);
}

Test(rules_check, limit_over_the_ceiling_is_a_limit_error)
{
	char *path = put("t.rules", "rule a \"d\"\n\tmatch body /a/\n"
	    "\tlimit depth 100001\n");
	GError *err = NULL;
	struct ruleset *rs = rules_load(path, NULL, &err);

	cr_assert_null(rs);
	cr_assert_not_null(err);
	cr_expect_eq(err->code, RULES_ERROR_LIMIT);
	cr_expect(g_str_has_suffix(err->message, ":3:14: limit depth 100001 "
	    "of rule 'a' is over the ceiling 100000"), "%s", err->message);
	g_clear_error(&err);
	g_free(path);
}

Test(rules_check, valid_new_clauses_load_clean)
{
	g_free(put("own.txt", "192.0.2.0/24\n"));
	expect_diags("rule x.all \"every clause\"\n"
	    "\tnot format is dmarc|dsn\n"
	    "\tany {\n"
	    "\t\tmatch part type /^text\\/plain$/\n"
	    "\t\tmatch part filename /\\.txt$/i\n"
	    "\t\tall {\n"
	    "\t\t\tfield Source-IP /^203\\./\n"
	    "\t\t\treporter /@cert\\.example$/\n"
	    "\t\t}\n"
	    "\t}\n"
	    "\treporter domain CERT.example\n"
	    "\tauthenticated dkim\n"
	    "\tfinding ipv4 in 203.0.113.0/24\n"
	    "\tnot finding domain in /^ok\\./\n"
	    "\tmatch body /(?<ipv4>\\d+\\.\\d+\\.\\d+\\.\\d+)/\n"
	    "\textract ipv4 as offender\n"
	    "\tset category phishing\n\tset type phishing\n"
	    "\tset tlp AMBER+STRICT\n\ttag reviewed\n"
	    "\tsuppress ipv4 in \"own.txt\" because \"our network\"\n"
	    "\tsuppress in sinkhole.example\n"
	    "\trole victim for ipv6 in 2001:db8::/32\n"
	    "\troute to cert-jp\n\ttrust reporter\n"
	    "\tlimit match 5000\n\tlimit depth 500\n", "");
}
