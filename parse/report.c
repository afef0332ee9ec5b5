/*
 * report.c: the report object: creation, findings, warnings, names.
 * See report.h for the ownership rules.
 */
#include "config.h"

#include <string.h>
#include <stdarg.h>

#include "parse/report.h"
#include "parse/limits.h"
#include "parse/netaddr.h"

static const char *const kind_names[] = {
	[REPORT_KIND_UNPARSED] = "unparsed",
	[REPORT_KIND_ABUSE] = "abuse",
	[REPORT_KIND_REPLY] = "reply",
	[REPORT_KIND_BOUNCE] = "bounce",
	[REPORT_KIND_AUTOREPLY] = "autoreply",
	[REPORT_KIND_NOTICE] = "notice",
};

static const char *const finding_kind_names[FINDING_KIND_COUNT] = {
	[FINDING_IPV4] = "ipv4",
	[FINDING_IPV6] = "ipv6",
	[FINDING_CIDR] = "cidr",
	[FINDING_URL] = "url",
	[FINDING_DOMAIN] = "domain",
	[FINDING_EMAIL] = "email",
	[FINDING_ASN] = "asn",
	[FINDING_CVE] = "cve",
	[FINDING_HASH] = "hash",
};

static const char *const finding_role_names[FINDING_ROLE_COUNT] = {
	[FINDING_ROLE_OFFENDER] = "offender",
	[FINDING_ROLE_VICTIM] = "victim",
	[FINDING_ROLE_REPORTER] = "reporter",
	[FINDING_ROLE_CONTEXT] = "context",
};

static void
ptr_array_unref(gpointer p)
{
	g_ptr_array_unref(p);
}

struct report *
report_new(gsize arena_cap)
{
	struct arena *a = arena_new("report", 64 * 1024,
	    arena_cap != 0 ? arena_cap : LIMIT_ARENA_BYTES);
	struct report *r = arena_alloc(a, sizeof(*r));

	r->arena = a;
	r->kind = REPORT_KIND_UNPARSED;
	r->format = "unparsed";
	r->headers = g_ptr_array_new();
	r->parts = g_ptr_array_new();
	r->findings = g_ptr_array_new();
	r->warnings = g_ptr_array_new();
	r->tickets = g_ptr_array_new();
	arena_add_destructor(a, ptr_array_unref, r->tickets);
	r->finding_index = g_hash_table_new(g_str_hash, g_str_equal);
	arena_add_destructor(a, (GDestroyNotify)g_hash_table_destroy,
	    r->finding_index);
	arena_add_destructor(a, ptr_array_unref, r->headers);
	arena_add_destructor(a, ptr_array_unref, r->parts);
	arena_add_destructor(a, ptr_array_unref, r->findings);
	arena_add_destructor(a, ptr_array_unref, r->warnings);
	return r;
}

void
report_free(struct report **rp)
{
	struct arena *a;

	if (rp == NULL || *rp == NULL)
		return;
	a = (*rp)->arena;
	*rp = NULL;
	arena_free(&a);
}

void
report_warn(struct report *r, const char *fmt, ...)
{
	va_list ap;
	char *tmp, *p;

	if (r->warnings->len >= 1000)
		return;		/* a hostile message cannot flood the record */
	va_start(ap, fmt);
	tmp = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	p = arena_strdup(r->arena, tmp);
	g_free(tmp);
	if (p != NULL)
		g_ptr_array_add(r->warnings, p);
}

struct finding *
report_add_finding(struct report *r, enum finding_kind kind,
    enum finding_role role, const char *value, const char *raw,
    const char *part, gsize offset, const char *source)
{
	struct finding *f;
	char *key;

	g_return_val_if_fail(kind < FINDING_KIND_COUNT, NULL);
	g_return_val_if_fail(role < FINDING_ROLE_COUNT, NULL);
	g_return_val_if_fail(value != NULL, NULL);

	key = arena_printf(r->arena, "%d/%d/%s", kind, role, value);
	if (key == NULL)
		goto full;
	if ((f = g_hash_table_lookup(r->finding_index, key)) != NULL)
		return f;
	if (r->findings->len >= LIMIT_FINDINGS) {
		/* Warn once: the index remembers that it did. */
		if (!g_hash_table_contains(r->finding_index, "!limit")) {
			report_warn(r, "findings limit (%u) reached: the rest "
			    "of the message is not extracted", LIMIT_FINDINGS);
			g_hash_table_insert(r->finding_index, (char *)"!limit",
			    r);
		}
		return NULL;
	}
	if ((f = arena_alloc(r->arena, sizeof(*f))) == NULL)
		goto full;
	f->kind = kind;
	f->role = role;
	f->value = arena_strdup(r->arena, value);
	f->raw = arena_strdup(r->arena, raw != NULL ? raw : value);
	f->part = arena_strdup(r->arena, part != NULL ? part : "0");
	f->offset = offset;
	f->source = arena_strdup(r->arena, source != NULL ? source : "");
	if (f->value == NULL || f->raw == NULL || f->part == NULL ||
	    f->source == NULL)
		goto full;
	g_ptr_array_add(r->findings, f);
	g_hash_table_insert(r->finding_index, key, f);
	/* and by kind/value alone, for report_find_value() */
	key = arena_printf(r->arena, "%d//%s", kind, value);
	if (key != NULL && !g_hash_table_contains(r->finding_index, key))
		g_hash_table_insert(r->finding_index, key, f);
	return f;
full:
	if (!arena_exhausted(r->arena) || r->warnings->len == 0)
		report_warn(r, "memory budget of the message exhausted");
	return NULL;
}

static const struct {
	const char	*name;		/* the name itself or any name under it */
	const char	*why;
} special_domains[] = {
	{ "example", "special-use domain (RFC 2606)" },
	{ "test", "special-use domain (RFC 2606)" },
	{ "invalid", "special-use domain (RFC 2606)" },
	{ "localhost", "special-use domain (RFC 6761)" },
	{ "local", "multicast DNS domain (RFC 6762)" },
	{ "onion", "onion service name (RFC 7686)" },
	{ "example.com", "example domain (RFC 2606)" },
	{ "example.net", "example domain (RFC 2606)" },
	{ "example.org", "example domain (RFC 2606)" },
	{ "home.arpa", "residential network domain (RFC 8375)" },
};

static gboolean
domain_is_special(const char *d, const char **why_r)
{
	gsize dl = strlen(d), i;

	for (i = 0; i < G_N_ELEMENTS(special_domains); i++) {
		const char *n = special_domains[i].name;
		gsize nl = strlen(n);

		if (dl < nl || g_ascii_strcasecmp(d + dl - nl, n) != 0)
			continue;
		if (dl == nl || d[dl - nl - 1] == '.') {
			*why_r = special_domains[i].why;
			return TRUE;
		}
	}
	return FALSE;
}

gsize
report_url_host(const char *url, const char **host_r)
{
	const char *h = strstr(url, "://"), *end, *at;

	if (h == NULL)
		return 0;
	h += 3;
	end = h + strcspn(h, "/?#");
	for (at = h; at < end; at++)
		if (*at == '@')
			h = at + 1;
	if (*h == '[') {
		h++;
		end = h + strcspn(h, "]/?#");
		if (*end != ']')
			return 0;
	} else {
		end = h + strcspn(h, ":/?#");
	}
	*host_r = h;
	return end - h;
}

gboolean
finding_value_is_special(enum finding_kind kind, const char *value,
    const char **why_r)
{
	struct netaddr na;
	const char *why = NULL;
	gboolean special = FALSE;
	char host[256];
	const char *h;
	gsize hl;

	switch (kind) {
	case FINDING_URL:
		if ((hl = report_url_host(value, &h)) == 0 ||
		    hl >= sizeof(host))
			break;
		memcpy(host, h, hl);
		host[hl] = '\0';
		if (netaddr_parse(host, strlen(host), &na))
			special = netaddr_is_special(&na, &why);
		else
			special = domain_is_special(host, &why);
		break;
	case FINDING_IPV4:
	case FINDING_IPV6:
		special = netaddr_parse(value, strlen(value), &na) &&
		    netaddr_is_special(&na, &why);
		break;
	case FINDING_DOMAIN:
		special = domain_is_special(value, &why);
		break;
	default:
		break;
	}
	if (special && why_r != NULL)
		*why_r = why != NULL ? why : "special-purpose";
	return special;
}

struct finding *
report_find_value(const struct report *r, enum finding_kind kind,
    const char *value)
{
	char *key = g_strdup_printf("%d//%s", kind, value);
	struct finding *f = g_hash_table_lookup(r->finding_index, key);

	g_free(key);
	return f;
}

void
report_add_ticket(struct report *r, const char *ticket)
{
	guint i;
	char *t;

	for (i = 0; i < r->tickets->len; i++)
		if (strcmp(g_ptr_array_index(r->tickets, i), ticket) == 0)
			return;
	if (r->tickets->len < 64 &&
	    (t = arena_strdup(r->arena, ticket)) != NULL)
		g_ptr_array_add(r->tickets, t);
}

void
report_suppress_special(struct report *r)
{
	guint i;

	for (i = 0; i < r->findings->len; i++) {
		struct finding *f = g_ptr_array_index(r->findings, i);
		const char *why = NULL;

		if (!f->suppressed &&
		    finding_value_is_special(f->kind, f->value, &why)) {
			f->suppressed = TRUE;
			f->suppress_why = why;
		}
	}
}

const char *
report_header(const struct report *r, const char *name)
{
	guint i;

	for (i = 0; i < r->headers->len; i++) {
		const struct report_header *h = g_ptr_array_index(r->headers, i);

		if (g_ascii_strcasecmp(h->name, name) == 0)
			return h->value;
	}
	return NULL;
}

const char *
report_kind_name(enum report_kind k)
{
	return (guint)k < G_N_ELEMENTS(kind_names) ? kind_names[k] : "?";
}

const char *
finding_kind_name(enum finding_kind k)
{
	return (guint)k < FINDING_KIND_COUNT ? finding_kind_names[k] : "?";
}

const char *
finding_role_name(enum finding_role r)
{
	return (guint)r < FINDING_ROLE_COUNT ? finding_role_names[r] : "?";
}

static int
name_index(const char *const *names, guint n, const char *s)
{
	guint i;

	for (i = 0; s != NULL && i < n; i++)
		if (names[i] != NULL && g_ascii_strcasecmp(names[i], s) == 0)
			return (int)i;
	return -1;
}

int
finding_kind_from_name(const char *s)
{
	return name_index(finding_kind_names, FINDING_KIND_COUNT, s);
}

int
finding_role_from_name(const char *s)
{
	return name_index(finding_role_names, FINDING_ROLE_COUNT, s);
}
