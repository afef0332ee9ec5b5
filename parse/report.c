/*
 * report.c: the report object: creation, findings, warnings, names.
 * See report.h for the ownership rules.
 */
#include "config.h"

#include <string.h>
#include <stdarg.h>

#include "parse/report.h"
#include "parse/limits.h"

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
	return f;
full:
	if (!arena_exhausted(r->arena) || r->warnings->len == 0)
		report_warn(r, "memory budget of the message exhausted");
	return NULL;
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
