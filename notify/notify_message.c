/*
 * notify_message.c: one takedown request as an RFC 5322 message (gmime).
 *
 * notify_message_write() is the only place in notify/ that touches gmime.
 * Addresses are parsed by gmime and checked to be plain mailboxes before
 * anything is written; the Subject goes through g_mime_message_set_subject
 * (RFC 2047 for non-ASCII), the body is text/plain; charset=utf-8 with the
 * transfer encoding gmime finds best for 7-bit transport, followed in a
 * multipart/mixed by the findings attachments when the contact wants them
 * (notify_attach.c).  Headers carry
 * only our own values and values notify_text.c has sanitised or checked.
 * Errors: NOTIFY_ERROR_ADDRESS, NOTIFY_ERROR_IO; no file is left behind.
 */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <gmime/gmime.h>

#include "notify/notify_int.h"

/* mailboxes - parses s into a list of plain mailboxes, or NULL */
static InternetAddressList *
mailboxes(const char *s)
{
	InternetAddressList *l;
	InternetAddress *ia;
	const char *addr;
	int i, n;

	if (s == NULL || strpbrk(s, "\r\n") != NULL ||
	    (l = internet_address_list_parse(NULL, s)) == NULL)
		return NULL;
	n = internet_address_list_length(l);
	for (i = 0; i < n; i++) {
		ia = internet_address_list_get_address(l, i);
		if (!INTERNET_ADDRESS_IS_MAILBOX(ia))
			break;
		addr = internet_address_mailbox_get_addr(
		    INTERNET_ADDRESS_MAILBOX(ia));
		if (addr == NULL || addr[0] == '@' ||
		    strchr(addr, '@') == NULL || addr[strlen(addr) - 1] == '@')
			break;
	}
	if (n == 0 || i < n) {
		g_object_unref(l);
		return NULL;
	}
	return l;
}

char *
notify_display_name(const char *from)
{
	InternetAddressList *l;
	InternetAddress *ia;
	const char *name;
	char *s;

	if ((l = mailboxes(from)) == NULL)
		return notify_sanitise(from, NOTIFY_VALUE_CAP);
	ia = internet_address_list_get_address(l, 0);
	name = internet_address_get_name(ia);
	if (name == NULL || *name == '\0')
		name = internet_address_mailbox_get_addr(
		    INTERNET_ADDRESS_MAILBOX(ia));
	s = notify_sanitise(name, NOTIFY_VALUE_CAP);
	g_object_unref(l);
	return s;
}

char *
notify_first_address(const char *from)
{
	InternetAddressList *l;
	char *s;

	if ((l = mailboxes(from)) == NULL)
		return g_strdup("");
	s = g_strdup(internet_address_mailbox_get_addr(
	    INTERNET_ADDRESS_MAILBOX(internet_address_list_get_address(l,
	    0))));
	g_object_unref(l);
	return s;
}

/* body_part - text/plain; charset=utf-8 holding body */
static GMimeObject *
body_part(const char *body)
{
	GMimeTextPart *part;
	GMimeStream *ms;
	GMimeDataWrapper *dw;
	GMimeContentEncoding enc;

	part = g_mime_text_part_new_with_subtype("plain");
	g_mime_text_part_set_charset(part, "utf-8");
	ms = g_mime_stream_mem_new_with_buffer(body, strlen(body));
	dw = g_mime_data_wrapper_new_with_stream(ms,
	    GMIME_CONTENT_ENCODING_DEFAULT);
	g_mime_part_set_content(GMIME_PART(part), dw);
	g_object_unref(dw);
	g_object_unref(ms);
	enc = g_mime_part_get_best_content_encoding(GMIME_PART(part),
	    GMIME_ENCODING_CONSTRAINT_7BIT);
	g_mime_part_set_content_encoding(GMIME_PART(part), enc);
	return GMIME_OBJECT(part);
}

/* attachment - one findings attachment (notify_attach.c) */
static GMimeObject *
attachment(const struct notify_part *p)
{
	GMimePart *part = g_mime_part_new_with_type(p->type, p->subtype);
	GMimeStream *ms;
	GMimeDataWrapper *dw;

	g_mime_object_set_content_type_parameter(GMIME_OBJECT(part),
	    "charset", "utf-8");
	g_mime_part_set_filename(part, p->filename);
	ms = g_mime_stream_mem_new_with_buffer(p->data->str, p->data->len);
	dw = g_mime_data_wrapper_new_with_stream(ms,
	    GMIME_CONTENT_ENCODING_DEFAULT);
	g_mime_part_set_content(part, dw);
	g_object_unref(dw);
	g_object_unref(ms);
	g_mime_part_set_content_encoding(part,
	    g_mime_part_get_best_content_encoding(part,
	    GMIME_ENCODING_CONSTRAINT_7BIT));
	return GMIME_OBJECT(part);
}

/* content - the body alone, or multipart/mixed with the attachments */
static GMimeObject *
content(const struct notify_mail *m)
{
	GMimeMultipart *mixed;
	GMimeObject *part;
	guint i;

	if (m->parts == NULL || m->parts->len == 0)
		return body_part(m->body);
	mixed = g_mime_multipart_new_with_subtype("mixed");
	part = body_part(m->body);
	g_mime_multipart_add(mixed, part);
	g_object_unref(part);
	for (i = 0; i < m->parts->len; i++) {
		part = attachment(g_ptr_array_index(m->parts, i));
		g_mime_multipart_add(mixed, part);
		g_object_unref(part);
	}
	return GMIME_OBJECT(mixed);
}

/* build - the message, or NULL with NOTIFY_ERROR_ADDRESS */
static GMimeMessage *
build(const struct notify_mail *m, GError **error)
{
	GMimeMessage *msg;
	GMimeObject *obj, *part;
	InternetAddressList *from, *to, *cc = NULL;
	GDateTime *now;
	char *ref;

	if ((from = mailboxes(m->from)) == NULL) {
		g_set_error(error, NOTIFY_ERROR, NOTIFY_ERROR_ADDRESS,
		    "From \"%.200s\" is not a list of mailboxes", m->from);
		return NULL;
	}
	if ((to = mailboxes(m->to)) == NULL) {
		g_set_error(error, NOTIFY_ERROR, NOTIFY_ERROR_ADDRESS,
		    "contact address \"%.200s\" is not a list of mailboxes",
		    m->to != NULL ? m->to : "");
		g_object_unref(from);
		return NULL;
	}
	if (m->cc != NULL && (cc = mailboxes(m->cc)) == NULL) {
		g_set_error(error, NOTIFY_ERROR, NOTIFY_ERROR_ADDRESS,
		    "copy address \"%.200s\" is not a list of mailboxes",
		    m->cc);
		g_object_unref(from);
		g_object_unref(to);
		return NULL;
	}
	msg = g_mime_message_new(TRUE);
	obj = GMIME_OBJECT(msg);
	internet_address_list_append(g_mime_message_get_from(msg), from);
	internet_address_list_append(g_mime_message_get_addresses(msg,
	    GMIME_ADDRESS_TYPE_TO), to);
	if (cc != NULL) {
		internet_address_list_append(g_mime_message_get_addresses(msg,
		    GMIME_ADDRESS_TYPE_CC), cc);
		g_object_unref(cc);
	}
	g_object_unref(from);
	g_object_unref(to);
	g_mime_message_set_subject(msg, m->subject, "utf-8");
	now = g_date_time_new_now_local();
	g_mime_message_set_date(msg, now);
	g_date_time_unref(now);
	g_mime_message_set_message_id(msg, m->message_id);
	if (m->in_reply_to != NULL) {
		ref = g_strdup_printf("<%s>", m->in_reply_to);
		g_mime_object_set_header(obj, "In-Reply-To", ref, NULL);
		g_mime_object_set_header(obj, "References", ref, NULL);
		g_free(ref);
	}
	g_mime_object_set_header(obj, "Auto-Submitted", "auto-generated",
	    NULL);
	g_mime_object_set_header(obj, "X-Abusedesk-Case", m->case_tag, NULL);
	part = content(m);
	g_mime_message_set_mime_part(msg, part);
	g_object_unref(part);
	return msg;
}

/* put - writes msg to fd (not closed here) */
static gboolean
put(GMimeMessage *msg, int fd, const char *path, GError **error)
{
	GMimeStream *st;
	gboolean ok = TRUE;
	int saved;

	st = g_mime_stream_fs_new(fd);
	g_mime_stream_fs_set_owner(GMIME_STREAM_FS(st), FALSE);
	errno = 0;
	if (g_mime_object_write_to_stream(GMIME_OBJECT(msg), NULL, st) == -1 ||
	    g_mime_stream_flush(st) == -1) {
		saved = errno != 0 ? errno : EIO;
		g_set_error(error, NOTIFY_ERROR, NOTIFY_ERROR_IO,
		    "write %s: %s", path, g_strerror(saved));
		ok = FALSE;
	}
	g_object_unref(st);
	return ok;
}

gboolean
notify_message_write(const struct notify_mail *m, const char *outbox,
    gboolean sync, char **name_r, char **path_r, char **to_r, GError **error)
{
	GMimeMessage *msg;
	char *name = NULL, *path = NULL;
	int fd;

	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	if ((msg = build(m, error)) == NULL)
		return FALSE;
	if ((fd = notify_outbox_create(outbox, &name, &path, error)) == -1) {
		g_object_unref(msg);
		return FALSE;
	}
	if (!put(msg, fd, path, error)) {
		close(fd);
		goto fail;
	}
	if (!notify_outbox_close(fd, path, sync, error))
		goto fail;
	*to_r = internet_address_list_to_string(g_mime_message_get_addresses(
	    msg, GMIME_ADDRESS_TYPE_TO), NULL, FALSE);
	g_object_unref(msg);
	*name_r = name;
	*path_r = path;
	return TRUE;
fail:
	unlink(path);
	g_free(name);
	g_free(path);
	g_object_unref(msg);
	return FALSE;
}
