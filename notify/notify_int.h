/*
 * notify_int.h: internals shared by the files of notify/ only.
 *
 * notify_template.c owns the takedown templates (loading, checking,
 * expanding placeholders), notify_text.c the sanitiser for untrusted
 * values and the findings list, notify_outbox.c the Maildir files, and
 * notify_render.c ties them together with gmime.
 */
#ifndef ABUSEDESK_NOTIFY_INT_H
#define ABUSEDESK_NOTIFY_INT_H

#include <glib.h>
#include "notify/notify.h"

/* Characters kept of one untrusted value inserted into a template. */
#define NOTIFY_VALUE_CAP	200
/* Characters kept of a whole Subject after expansion. */
#define NOTIFY_SUBJECT_CAP	400
/* Characters kept of one finding's value in the findings list. */
#define NOTIFY_FINDING_CAP	500
/* Bytes of a template file. */
#define NOTIFY_TEMPLATE_BYTES	(256u * 1024)
/* Longest Message-ID we copy into In-Reply-To / References. */
#define NOTIFY_MSGID_CAP	250

/* The placeholders a template may use, in the order of struct notify_vars. */
enum notify_var {
	NOTIFY_VAR_CASE_TAG = 0,
	NOTIFY_VAR_CONTACT_NAME,
	NOTIFY_VAR_CATEGORY,
	NOTIFY_VAR_FINDINGS,
	NOTIFY_VAR_REPORTER,
	NOTIFY_VAR_REPORT_SUBJECT,
	NOTIFY_VAR_REPORT_DATE,
	NOTIFY_VAR_MESSAGE_ID,
	NOTIFY_VAR_FROM_NAME,
	NOTIFY_VAR_COUNT
};

/* Values for one expansion; all UTF-8 and already sanitised. */
struct notify_vars {
	const char	*v[NOTIFY_VAR_COUNT];
};

struct notify_template {
	char	*path;		/* the file actually read */
	char	*subject;	/* text after "Subject:" */
	guint	 subject_line;
	char	*body;
	guint	 body_line;	/* line of the body's first line */
};

/* notify_template.c */
/* Loads <dir>/<lang>/takedown.txt, or <dir>/en/takedown.txt when lang is
 * NULL, not a plain language tag, or has no template.  NULL with
 * NOTIFY_ERROR_IO (unreadable) or NOTIFY_ERROR_TEMPLATE (bad syntax or
 * unknown placeholder, "file:line: ..."). */
struct notify_template	*notify_template_load(const char *dir,
			    const char *lang, GError **error);
void			 notify_template_free(struct notify_template **tp);
/* Appends subject (header = TRUE) or body expanded with vars to out. */
void			 notify_template_expand(
			    const struct notify_template *t, gboolean header,
			    const struct notify_vars *vars, GString *out);

/* notify_text.c */
/* One line of at most cap characters: valid UTF-8, CR/LF and tabs become
 * one space, other control characters are dropped, blanks collapse and
 * are trimmed.  NULL gives "".  g_free() the result. */
char	*notify_sanitise(const char *s, gsize cap);
/* TRUE when s is a Message-ID (without <>) safe to copy into a header. */
gboolean notify_msgid_ok(const char *s);
/* The findings block: one "- kind  value  (seen in ...)" line each, at
 * most LIMIT_NOTIFY_FINDINGS, then "and N more". */
void	 notify_findings_text(const GPtrArray *findings, GString *out);

/* notify_attach.c: the findings attached in the contact's format. */
struct notify_part {
	const char	*type, *subtype;	/* "text", "csv" */
	char		*filename;
	GString		*data;
};
struct notify_attach {
	enum contact_format	 format;
	GPtrArray		*parts;		/* struct notify_part * */
	guint			 count;		/* findings attached */
	/* who sends the XARF reports: the From of the config */
	char			*org, *contact, *domain;
};
void	 notify_attach_init(struct notify_attach *a,
	    const struct notify_config *cfg, const struct contact *c);
/* Adds the findings of one case (nothing for the text format). */
void	 notify_attach_add(struct notify_attach *a, const GPtrArray *findings,
	    const char *case_tag, const char *category);
void	 notify_attach_clear(struct notify_attach *a);
void	 notify_part_free(gpointer p);

/* One takedown mail, all strings UTF-8 and safe for their header. */
struct notify_mail {
	const char	*from;		/* config: "Name <addr>" */
	const char	*to;		/* contact: "a@x, b@y" */
	const char	*cc;		/* copies: "a@x, b@y", or NULL */
	const char	*subject;	/* sanitised */
	const char	*message_id;	/* without <> */
	const char	*case_tag;
	const char	*in_reply_to;	/* notify_msgid_ok(), or NULL */
	const char	*body;
	const GPtrArray	*parts;		/* struct notify_part *, or NULL */
};

/* notify_message.c */
/* Builds m with gmime and writes it to a new file in outbox/tmp.  Returns
 * the file name, its path and the To list as written (all g_free).  On
 * error nothing is left behind: NOTIFY_ERROR_ADDRESS (unusable From/To)
 * or NOTIFY_ERROR_IO. */
gboolean notify_message_write(const struct notify_mail *m,
	    const char *outbox, gboolean sync, char **name_r, char **path_r,
	    char **to_r, GError **error);
/* The display name of a "Name <addr>" list, else its address (g_free). */
char	*notify_display_name(const char *from);
/* The address of the first mailbox of from, or "" (g_free). */
char	*notify_first_address(const char *from);

/* notify_render.c */
/* What notify_render_mail() wrote (all g_free; notify_written_clear). */
struct notify_written {
	char	*name, *path, *to, *subject;
};
/* Expands t for contact c (vars v plus the contact name and the findings
 * text given), tags the Subject with [case_tag], writes the mail to
 * outbox/tmp.  in_reply_to is used only if notify_msgid_ok().  FALSE
 * with the errors of notify_message_write(). */
gboolean notify_render_mail(const struct notify_config *cfg,
	    const struct notify_template *t, struct notify_vars *v,
	    const struct contact *c, const char *findings, const char *cc,
	    const char *case_tag, const char *msgid, const char *in_reply_to,
	    const struct notify_attach *att, struct notify_written *w,
	    GError **error);
void	 notify_written_clear(struct notify_written *w);
/* 42 from "CASE-000042"; FALSE when tag is not of that form. */
gboolean notify_case_number(const char *tag, guint64 *n);

/* notify_outbox.c */
/* Creates outbox/tmp/<time>.<pid>_<counter>.<host> (O_EXCL, 0600).
 * Returns the fd and the new file name (g_free), or -1 and
 * NOTIFY_ERROR_IO. */
int	 notify_outbox_create(const char *outbox, char **name_r,
	    char **path_r, GError **error);
/* fsync()s and closes fd; FALSE with NOTIFY_ERROR_IO naming path. */
gboolean notify_outbox_close(int fd, const char *path, gboolean sync,
	    GError **error);

#endif
