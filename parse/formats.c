/*
 * formats.c: the table of report format handlers.
 *
 * parse_detect() decides the kind of mail and its container format (dsn,
 * xarf, arf, dmarc, bounce, forward, plain).  Then every handler whose
 * probe accepts the report runs its extract: structured findings with
 * their roles (offender, victim, reporter, context) and provenance, and
 * report fields (category, event time, tickets, TLP).  A handler may
 * refine r->format.  Structured findings come before the text rules run,
 * so the role a format field gives a value is the one that counts.
 * One small file per format, one line per handler here (fdm's
 * fetch and match file families).
 */
#include "config.h"

#include <string.h>

#include "parse/parse_int.h"

struct format_handler {
	const char	*name;
	gboolean	(*probe)(const struct report *, const struct parse_hints *);
	void		(*extract)(struct report *, const struct parse_hints *);
};

static const struct format_handler handlers[] = {
	{ "xarf-json", fmt_xarf_json_probe, fmt_xarf_json_extract },
	{ "xarf", fmt_xarf_probe, fmt_xarf_extract },
	{ "arf", fmt_arf_probe, fmt_arf_extract },
	{ "csv", fmt_csv_probe, fmt_csv_extract },
	{ "spamcop", fmt_spamcop_probe, fmt_spamcop_extract },
	{ "gsb", fmt_gsb_probe, fmt_gsb_extract },
	{ "notice", parse_notice_probe, parse_notice_extract },
};

void
parse_formats_extract(struct report *r, const struct parse_hints *h)
{
	guint i;

	for (i = 0; i < G_N_ELEMENTS(handlers); i++)
		if (handlers[i].probe(r, h))
			handlers[i].extract(r, h);
}
