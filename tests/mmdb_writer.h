/*
 * mmdb_writer.h: a small MaxMind DB (.mmdb) writer for the tests.
 *
 * Written from the public MaxMind DB format specification (version 2.0):
 * an IPv6 tree (IPv4 at ::/96) of 24-bit records, the 16-byte separator,
 * the data section and the metadata map.  Enough for a handful of
 * networks; not a general-purpose writer (no pointers, no merging).
 */
#ifndef ABUSEDESK_TEST_MMDB_WRITER_H
#define ABUSEDESK_TEST_MMDB_WRITER_H

#include <glib.h>

struct mmdb_writer;

struct mmdb_writer	*mmdb_writer_new(const char *database_type,
			    guint64 build_epoch);
void			 mmdb_writer_free(struct mmdb_writer **wp);
/* The network cidr ("192.0.2.0/24", "2001:db8::/32") gets the data
 * record data (one encoded value, usually a map; copied).  A more
 * specific network may follow a less specific one.  FALSE on a bad
 * cidr. */
gboolean		 mmdb_writer_add(struct mmdb_writer *w,
			    const char *cidr, const GByteArray *data);
/* The whole file (g_byte_array_unref). */
GByteArray		*mmdb_writer_build(struct mmdb_writer *w);
/* Builds and writes path; FALSE on error. */
gboolean		 mmdb_writer_save(struct mmdb_writer *w,
			    const char *path);

/* Data section encoders: each appends one value to b. */
void	mmdb_put_map(GByteArray *b, guint pairs);
void	mmdb_put_array(GByteArray *b, guint items);
void	mmdb_put_string(GByteArray *b, const char *s);
void	mmdb_put_uint16(GByteArray *b, guint16 v);
void	mmdb_put_uint32(GByteArray *b, guint32 v);
void	mmdb_put_uint64(GByteArray *b, guint64 v);

#endif
