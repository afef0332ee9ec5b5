/*
 * mmdb_writer.c: a small MaxMind DB writer for the tests of route_mmdb.c.
 *
 * Implemented from the public MaxMind DB File Format Specification 2.0:
 *
 *   - the search tree: node_count nodes of two 24-bit big-endian records
 *     (bit 0 left, bit 1 right); a record < node_count is a node, ==
 *     node_count is "no data", > node_count points into the data section
 *     at (record - node_count - 16);
 *   - a 16-byte zero separator, then the data section;
 *   - "\xAB\xCD\xEFMaxMind.com" and the metadata map.
 *
 * Values start with a control byte: type in the top 3 bits (0: extended,
 * the next byte is type - 7), size in the low 5 bits (29, 30, 31: one,
 * two or three more bytes).  The tree is IPv6; IPv4 networks live at
 * ::/96, where readers look for them.
 */
#include "config.h"

#include <string.h>

#include "parse/netaddr.h"
#include "tests/mmdb_writer.h"

enum { REC_EMPTY, REC_NODE, REC_DATA };

struct wnode {
	int	 kind[2];
	guint32	 val[2];	/* node index or data index */
};

struct mmdb_writer {
	GArray		*nodes;		/* struct wnode; 0 is the root */
	GPtrArray	*data;		/* GByteArray * */
	char		*type;
	guint64		 epoch;
};

struct mmdb_writer *
mmdb_writer_new(const char *database_type, guint64 build_epoch)
{
	struct mmdb_writer *w = g_new0(struct mmdb_writer, 1);
	struct wnode root = { { REC_EMPTY, REC_EMPTY }, { 0, 0 } };

	w->nodes = g_array_new(FALSE, TRUE, sizeof(struct wnode));
	g_array_append_val(w->nodes, root);
	w->data = g_ptr_array_new_with_free_func(
	    (GDestroyNotify)g_byte_array_unref);
	w->type = g_strdup(database_type);
	w->epoch = build_epoch;
	return w;
}

void
mmdb_writer_free(struct mmdb_writer **wp)
{
	if (wp == NULL || *wp == NULL)
		return;
	g_array_free((*wp)->nodes, TRUE);
	g_ptr_array_unref((*wp)->data);
	g_free((*wp)->type);
	g_free(*wp);
	*wp = NULL;
}

#define NODE(w, i)	(&g_array_index((w)->nodes, struct wnode, (i)))

/* fill - every empty record under node n gets data index d */
static void
fill(struct mmdb_writer *w, guint32 n, guint32 d)
{
	int b;

	for (b = 0; b < 2; b++) {
		if (NODE(w, n)->kind[b] == REC_NODE)
			fill(w, NODE(w, n)->val[b], d);
		else if (NODE(w, n)->kind[b] == REC_EMPTY) {
			NODE(w, n)->kind[b] = REC_DATA;
			NODE(w, n)->val[b] = d;
		}
	}
}

gboolean
mmdb_writer_add(struct mmdb_writer *w, const char *cidr,
    const GByteArray *data)
{
	struct netaddr a;
	guint plen, depth, n = 0, d;
	guint8 key[16];
	struct wnode fresh;
	int bit;

	if (!netaddr_parse_cidr(cidr, &a, &plen, FALSE) || plen == 0)
		return FALSE;
	memcpy(key, a.b, 16);
	if (a.v4)	/* ::a.b.c.d, not ::ffff:a.b.c.d */
		memset(key, 0, 12);
	d = w->data->len;
	g_ptr_array_add(w->data, g_byte_array_append(g_byte_array_new(),
	    data->data, data->len));
	for (depth = 0; depth < plen; depth++) {
		bit = (key[depth / 8] >> (7 - depth % 8)) & 1;
		if (depth == plen - 1) {
			if (NODE(w, n)->kind[bit] == REC_NODE)
				fill(w, NODE(w, n)->val[bit], d);
			else {
				NODE(w, n)->kind[bit] = REC_DATA;
				NODE(w, n)->val[bit] = d;
			}
			break;
		}
		if (NODE(w, n)->kind[bit] != REC_NODE) {
			/* Split: both halves keep what the record held. */
			fresh.kind[0] = fresh.kind[1] = NODE(w, n)->kind[bit];
			fresh.val[0] = fresh.val[1] = NODE(w, n)->val[bit];
			g_array_append_val(w->nodes, fresh);
			NODE(w, n)->kind[bit] = REC_NODE;
			NODE(w, n)->val[bit] = w->nodes->len - 1;
		}
		n = NODE(w, n)->val[bit];
	}
	return TRUE;
}

/* put_ctrl - the control byte(s) of a value of type and size */
static void
put_ctrl(GByteArray *b, guint type, guint32 size)
{
	guint8 c[6];
	guint n = 0, ext;

	c[n++] = (type <= 7 ? type : 0) << 5;
	if (type > 7)
		c[n++] = type - 7;
	if (size < 29)
		c[0] |= size;
	else if (size < 29 + 256) {
		c[0] |= 29;
		c[n++] = size - 29;
	} else if (size < 285 + 65536) {
		c[0] |= 30;
		ext = size - 285;
		c[n++] = ext >> 8;
		c[n++] = ext & 0xff;
	} else {
		c[0] |= 31;
		ext = size - 65821;
		c[n++] = ext >> 16;
		c[n++] = (ext >> 8) & 0xff;
		c[n++] = ext & 0xff;
	}
	g_byte_array_append(b, c, n);
}

void
mmdb_put_map(GByteArray *b, guint pairs)
{
	put_ctrl(b, 7, pairs);
}

void
mmdb_put_array(GByteArray *b, guint items)
{
	put_ctrl(b, 11, items);
}

void
mmdb_put_string(GByteArray *b, const char *s)
{
	put_ctrl(b, 2, strlen(s));
	g_byte_array_append(b, (const guint8 *)s, strlen(s));
}

/* put_uint - v in the fewest big-endian bytes (none for 0) */
static void
put_uint(GByteArray *b, guint type, guint64 v)
{
	guint8 be[8];
	guint n = 0, i;

	for (i = 0; i < 8; i++)
		be[i] = v >> (56 - 8 * i);
	while (n < 8 && be[n] == 0)
		n++;
	put_ctrl(b, type, 8 - n);
	g_byte_array_append(b, be + n, 8 - n);
}

void
mmdb_put_uint16(GByteArray *b, guint16 v)
{
	put_uint(b, 5, v);
}

void
mmdb_put_uint32(GByteArray *b, guint32 v)
{
	put_uint(b, 6, v);
}

void
mmdb_put_uint64(GByteArray *b, guint64 v)
{
	put_uint(b, 9, v);
}

/* put_record - one 24-bit record */
static void
put_record(GByteArray *f, guint32 v)
{
	guint8 r[3] = { v >> 16, (v >> 8) & 0xff, v & 0xff };

	g_byte_array_append(f, r, 3);
}

/* put_metadata - the marker and the metadata map */
static void
put_metadata(GByteArray *f, const struct mmdb_writer *w)
{
	g_byte_array_append(f, (const guint8 *)"\xAB\xCD\xEFMaxMind.com",
	    14);
	mmdb_put_map(f, 9);
	mmdb_put_string(f, "node_count");
	mmdb_put_uint32(f, w->nodes->len);
	mmdb_put_string(f, "record_size");
	mmdb_put_uint16(f, 24);
	mmdb_put_string(f, "ip_version");
	mmdb_put_uint16(f, 6);
	mmdb_put_string(f, "database_type");
	mmdb_put_string(f, w->type);
	mmdb_put_string(f, "languages");
	mmdb_put_array(f, 1);
	mmdb_put_string(f, "en");
	mmdb_put_string(f, "binary_format_major_version");
	mmdb_put_uint16(f, 2);
	mmdb_put_string(f, "binary_format_minor_version");
	mmdb_put_uint16(f, 0);
	mmdb_put_string(f, "build_epoch");
	mmdb_put_uint64(f, w->epoch);
	mmdb_put_string(f, "description");
	mmdb_put_map(f, 1);
	mmdb_put_string(f, "en");
	mmdb_put_string(f, "abusedesk test database");
}

GByteArray *
mmdb_writer_build(struct mmdb_writer *w)
{
	GByteArray *f = g_byte_array_new();
	guint32 *offset = g_new0(guint32, w->data->len + 1);
	guint32 count = w->nodes->len, off = 0;
	static const guint8 zero[16];
	guint i;
	int b;

	for (i = 0; i < w->data->len; i++) {
		offset[i] = off;
		off += ((GByteArray *)w->data->pdata[i])->len;
	}
	for (i = 0; i < count; i++)
		for (b = 0; b < 2; b++)
			switch (NODE(w, i)->kind[b]) {
			case REC_NODE:
				put_record(f, NODE(w, i)->val[b]);
				break;
			case REC_DATA:
				put_record(f, count + 16 +
				    offset[NODE(w, i)->val[b]]);
				break;
			default:
				put_record(f, count);
				break;
			}
	g_byte_array_append(f, zero, 16);
	for (i = 0; i < w->data->len; i++)
		g_byte_array_append(f, ((GByteArray *)w->data->pdata[i])->data,
		    ((GByteArray *)w->data->pdata[i])->len);
	put_metadata(f, w);
	g_free(offset);
	return f;
}

gboolean
mmdb_writer_save(struct mmdb_writer *w, const char *path)
{
	GByteArray *f = mmdb_writer_build(w);
	gboolean ok = g_file_set_contents(path, (const char *)f->data,
	    f->len, NULL);

	g_byte_array_unref(f);
	return ok;
}
