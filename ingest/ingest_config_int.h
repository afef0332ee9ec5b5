/*
 * ingest_config_int.h: the key table of abusedesk.conf, shared by
 * ingest_config.c (reading, dumping) and ingest_config_keys.c (the table
 * itself: every key with its section, type, default, range and help).
 */
#ifndef ABUSEDESK_INGEST_CONFIG_INT_H
#define ABUSEDESK_INGEST_CONFIG_INT_H

#include <stddef.h>
#include <glib.h>

#include "ingest/ingest_config.h"

enum ctype { CT_STRING, CT_PATH, CT_SIZE, CT_UINT, CT_BOOL, CT_DURATION };

struct ckey {
	const char	*section;
	const char	*key;
	enum ctype	 type;
	gsize		 offset;
	const char	*def;	/* NULL: none (the field stays as set) */
	guint64		 min, max;
	const char	*help;
};

#define OFF(f)	offsetof(struct config, f)

extern const struct ckey config_keys[];
extern const guint config_nkeys;

#endif
