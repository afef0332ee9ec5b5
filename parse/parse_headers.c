/*
 * parse_headers.c: the top-level header fields of a report.
 *
 * Defines parse_headers_fill(), parse_header_value() and
 * parse_case_tag_scan().  Headers are kept unfolded and RFC 2047-decoded
 * to valid UTF-8, in order, up to max_header_bytes; the rest is dropped
 * with a warning.  From is reduced to a lower-case address, Message-ID and
 * In-Reply-To lose their <>, and the case tag (CASE-%06u) is looked for in
 * the Subject, then In-Reply-To and References (our Message-IDs look like
 * <case-42.1@csirt.example>).
 */
#include "config.h"

#include <string.h>

#include "parse/parse_int.h"

#define CASE_DIGITS_MAX	9

char *
parse_header_value(GMimeHeader *h)
{
	const char *raw = g_mime_header_get_raw_value(h);
	char *unfolded, *decoded, *valid, *p;

	if (raw == NULL)
		return g_strdup("");
	unfolded = g_mime_utils_header_unfold(raw);
	decoded = g_mime_utils_header_decode_text(NULL, unfolded);
	valid = g_utf8_make_valid(decoded != NULL ? decoded : unfolded, -1);
	g_free(unfolded);
	g_free(decoded);
	/* Tabs of the folding and stray controls would break one-line
	 * consumers (logs, templates, the dump). */
	for (p = valid; *p != '\0'; p++)
		if ((guchar)*p < 0x20 || *p == 0x7f)
			*p = ' ';
	return g_strstrip(valid);
}

int
parse_case_tag_scan(const char *s, gboolean msgid_form, guint64 *num_r)
{
	gsize i, j;

	if (s == NULL)
		return 0;
	for (i = 0; s[i] != '\0'; i++) {
		if (g_ascii_strncasecmp(s + i, "case-", 5) != 0 ||
		    (i > 0 && g_ascii_isalnum(s[i - 1])))
			continue;
		for (j = i + 5; g_ascii_isdigit(s[j]); j++)
			;
		if (j == i + 5 || j - i - 5 > CASE_DIGITS_MAX)
			continue;
		if (msgid_form ? (s[j] != '.' && s[j] != '@') :
		    (g_ascii_isalpha(s[j]) || s[j] == '_'))
			continue;
		if (num_r != NULL)
			*num_r = g_ascii_strtoull(s + i + 5, NULL, 10);
		return 1;
	}
	return 0;
}

static void
keep_headers(struct report *r, GMimeMessage *msg,
    const struct parse_limits *l)
{
	GMimeHeaderList *hl = g_mime_object_get_header_list(GMIME_OBJECT(msg));
	int i, n = g_mime_header_list_get_count(hl);
	gsize used = 0;

	for (i = 0; i < n; i++) {
		GMimeHeader *gh = g_mime_header_list_get_header_at(hl, i);
		const char *name = g_mime_header_get_name(gh);
		struct report_header *h;
		char *v;
		gsize sz;

		if (name == NULL)
			continue;
		v = parse_header_value(gh);
		sz = strlen(name) + strlen(v) + 2;
		if (used + sz > l->max_header_bytes) {
			report_warn(r, "headers: header limit (%zu bytes) "
			    "reached at header %d (%s): %d header(s) dropped",
			    (gsize)l->max_header_bytes, i + 1, name, n - i);
			g_free(v);
			return;
		}
		used += sz;
		h = arena_alloc(r->arena, sizeof(*h));
		if (h != NULL) {
			char *nm = g_utf8_make_valid(name, -1);

			h->name = arena_strdup(r->arena, nm);
			h->value = arena_strdup(r->arena, v);
			g_free(nm);
		}
		g_free(v);
		if (h == NULL || h->name == NULL || h->value == NULL) {
			report_warn(r, "headers: memory budget exhausted");
			return;
		}
		g_ptr_array_add(r->headers, h);
	}
}

static const char *
from_address(struct report *r, GMimeMessage *msg)
{
	InternetAddressList *list = g_mime_message_get_from(msg);
	int i, n = list != NULL ? internet_address_list_length(list) : 0;

	for (i = 0; i < n; i++) {
		InternetAddress *ia =
		    internet_address_list_get_address(list, i);
		const char *addr;
		char *low, *res;

		if (!INTERNET_ADDRESS_IS_MAILBOX(ia))
			continue;
		addr = internet_address_mailbox_get_addr(
		    INTERNET_ADDRESS_MAILBOX(ia));
		if (addr == NULL || *addr == '\0')
			continue;
		low = g_utf8_make_valid(addr, MIN(strlen(addr), 320));
		res = g_utf8_strdown(low, -1);
		g_free(low);
		low = arena_strdup(r->arena, res);
		g_free(res);
		return low;
	}
	return NULL;
}

static const char *
strip_id(struct report *r, const char *v)
{
	char *id, *valid;
	const char *res;

	if (v == NULL)
		return NULL;
	if ((id = g_mime_utils_decode_message_id(v)) == NULL) {
		id = g_strdup(v);
		g_strstrip(g_strdelimit(id, "<>", ' '));
	}
	valid = g_utf8_make_valid(id, -1);
	res = *valid != '\0' ? arena_strdup(r->arena, valid) : NULL;
	g_free(id);
	g_free(valid);
	return res;
}

void
parse_headers_fill(struct report *r, GMimeMessage *msg,
    const struct parse_limits *l)
{
	guint64 num = 0;
	int found;

	keep_headers(r, msg, l);
	r->subject = report_header(r, "Subject");
	r->date = report_header(r, "Date");
	r->references = report_header(r, "References");
	r->from = from_address(r, msg);
	r->reporter = r->from;
	r->message_id = strip_id(r, g_mime_message_get_message_id(msg));
	r->in_reply_to = strip_id(r, report_header(r, "In-Reply-To"));

	found = parse_case_tag_scan(r->subject, FALSE, &num);
	if (!found)
		found = parse_case_tag_scan(r->in_reply_to, TRUE, &num);
	if (!found)
		found = parse_case_tag_scan(r->references, TRUE, &num);
	if (found)
		r->case_tag = arena_printf(r->arena,
		    "CASE-%06" G_GUINT64_FORMAT, num);
}
