/*
 * taxonomy.c: every category word abusedesk meets, mapped to the IntelMQ
 * classification.type and classification.taxonomy names.
 *
 * Defines taxonomy_lookup() and report_set_taxonomy().  Sources of words:
 * the rules' `set category` values, X-ARF 0.2 Report-Type, XARF v4
 * category/type, Abusix XARF ReportType, ARF Feedback-Type, Shadowserver
 * report names and the Japanese keywords of JPCERT/CC style notices.
 * Words compare case-insensitively with '-', '_', '/' and blanks
 * ignored, so "login_attack", "LoginAttack" and "login-attack" are one.
 * A table entry whose word ends in '*' matches every word with that
 * prefix (Shadowserver "scan_*" report names).
 */
#include "config.h"

#include <string.h>

#include "parse/parse.h"

struct taxon {
	const char	*word;
	const char	*type;
};

/* IntelMQ classification.type -> classification.taxonomy. */
static const struct taxon types[] = {
	{ "spam", "abusive-content" },
	{ "harmful-speech", "abusive-content" },
	{ "violence", "abusive-content" },
	{ "infected-system", "malicious-code" },
	{ "c2-server", "malicious-code" },
	{ "malware-distribution", "malicious-code" },
	{ "malware-configuration", "malicious-code" },
	{ "scanner", "information-gathering" },
	{ "sniffing", "information-gathering" },
	{ "social-engineering", "information-gathering" },
	{ "ids-alert", "intrusion-attempts" },
	{ "brute-force", "intrusion-attempts" },
	{ "exploit", "intrusion-attempts" },
	{ "privileged-account-compromise", "intrusions" },
	{ "unprivileged-account-compromise", "intrusions" },
	{ "application-compromise", "intrusions" },
	{ "system-compromise", "intrusions" },
	{ "burglary", "intrusions" },
	{ "ddos", "availability" },
	{ "dos", "availability" },
	{ "outage", "availability" },
	{ "sabotage", "availability" },
	{ "unauthorised-information-access", "information-content-security" },
	{ "unauthorised-information-modification",
	    "information-content-security" },
	{ "data-loss", "information-content-security" },
	{ "data-leak", "information-content-security" },
	{ "unauthorized-use-of-resources", "fraud" },
	{ "copyright", "fraud" },
	{ "masquerade", "fraud" },
	{ "phishing", "fraud" },
	{ "weak-crypto", "vulnerable" },
	{ "potentially-unwanted-accessible", "vulnerable" },
	{ "vulnerable-system", "vulnerable" },
	{ "information-disclosure", "vulnerable" },
	{ "blocklist", "other" },
	{ "undetermined", "other" },
	{ "other", "other" },
	{ "test", "test" },
};

/* Other words -> an IntelMQ type. */
static const struct taxon words[] = {
	/* abusedesk rules (older names) */
	{ "vulnerable-service", "vulnerable-system" },
	{ "malware", "malware-distribution" },
	{ "c2", "c2-server" },
	{ "defacement", "application-compromise" },
	/* X-ARF 0.2 Report-Type */
	{ "login-attack", "brute-force" },
	{ "harvesting", "scanner" },
	{ "regbot", "unauthorized-use-of-resources" },
	{ "malware-attack", "malware-distribution" },
	{ "scam", "masquerade" },
	{ "dnsbl-listing", "blocklist" },
	{ "port-probe", "scanner" },
	{ "bot-infection", "infected-system" },
	{ "info", "other" },
	/* XARF v4 types and Abusix ReportType */
	{ "port-scan", "scanner" },
	{ "infected-host", "infected-system" },
	{ "reconnaissance", "scanner" },
	{ "scraping", "unauthorized-use-of-resources" },
	{ "sql-injection", "exploit" },
	{ "vulnerability-scan", "scanner" },
	{ "fraud", "masquerade" },
	{ "csam", "violence" },
	{ "csem", "violence" },
	{ "child-abuse", "violence" },
	{ "exposed-data", "data-leak" },
	{ "brand-infringement", "masquerade" },
	{ "trademark", "masquerade" },
	{ "remote-compromise", "system-compromise" },
	{ "compromised-server", "system-compromise" },
	{ "suspicious-registration", "masquerade" },
	{ "cyberlocker", "copyright" },
	{ "link-site", "copyright" },
	{ "p2p", "copyright" },
	{ "ugc-platform", "copyright" },
	{ "usenet", "copyright" },
	{ "botnet", "c2-server" },
	{ "bulk-messaging", "spam" },
	{ "threat-intelligence", "undetermined" },
	{ "cve", "vulnerable-system" },
	{ "misconfiguration", "vulnerable-system" },
	{ "open-service", "potentially-unwanted-accessible" },
	{ "harassment", "harmful-speech" },
	{ "potentially-compromised-account",
	    "unprivileged-account-compromise" },
	{ "web-crawler", "unauthorized-use-of-resources" },
	/* ARF Feedback-Type */
	{ "abuse", "spam" },
	{ "virus", "malware-distribution" },
	/* Shadowserver report names */
	{ "dns-open-resolvers", "vulnerable-system" },
	{ "scan-*", "potentially-unwanted-accessible" },
	{ "scan6-*", "potentially-unwanted-accessible" },
	{ "event4-honeypot-brute-force", "brute-force" },
	{ "event6-honeypot-brute-force", "brute-force" },
	{ "event4-sinkhole*", "infected-system" },
	{ "event6-sinkhole*", "infected-system" },
	{ "botnet-drone", "infected-system" },
	{ "phish-url", "phishing" },
	{ "malware-url", "malware-distribution" },
	{ "compromised-website", "application-compromise" },
	/* Japanese keywords */
	{ "フィッシング", "phishing" },
	{ "不正ログイン", "brute-force" },
	{ "ブルートフォース", "brute-force" },
	{ "スキャン", "scanner" },
	{ "迷惑メール", "spam" },
	{ "スパム", "spam" },
	{ "マルウェア", "malware-distribution" },
	{ "改ざん", "application-compromise" },
	{ "サービス妨害", "ddos" },
	{ "脆弱性", "vulnerable-system" },
};

static gboolean
is_sep(char c)
{
	return c == '-' || c == '_' || c == ' ' || c == '/' || c == '\t';
}

/* word_eq - entry (maybe ending in '*') names s, separators ignored. */
static gboolean
word_eq(const char *entry, const char *s)
{
	for (;;) {
		while (is_sep(*entry))
			entry++;
		while (is_sep(*s))
			s++;
		if (*entry == '*')
			return TRUE;
		if (*entry == '\0' || *s == '\0')
			return *entry == *s;
		if (g_ascii_tolower(*entry) != g_ascii_tolower(*s))
			return FALSE;
		entry++;
		s++;
	}
}

const char *
taxonomy_lookup(const char *word, const char **taxonomy_r)
{
	const char *type = NULL;
	gsize i;

	if (taxonomy_r != NULL)
		*taxonomy_r = NULL;
	if (word == NULL || strlen(word) > 128)
		return NULL;
	for (i = 0; i < G_N_ELEMENTS(types) && type == NULL; i++)
		if (word_eq(types[i].word, word))
			type = types[i].word;
	for (i = 0; i < G_N_ELEMENTS(words) && type == NULL; i++)
		if (word_eq(words[i].word, word))
			type = words[i].type;
	if (type == NULL)
		return NULL;
	for (i = 0; i < G_N_ELEMENTS(types); i++)
		if (strcmp(types[i].word, type) == 0) {
			if (taxonomy_r != NULL)
				*taxonomy_r = types[i].type;
			break;
		}
	return type;
}

void
report_set_taxonomy(struct report *r)
{
	const char *type, *tax;

	g_return_if_fail(r != NULL);
	if ((type = taxonomy_lookup(r->category, &tax)) == NULL)
		return;
	r->category = type;
	r->taxonomy = tax;
}
