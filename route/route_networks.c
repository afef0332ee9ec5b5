/*
 * route_networks.c: the analysts' CIDR -> contact table (networks.csv).
 *
 * Owns struct net_table: for every prefix length in use (counted on the
 * 128-bit form, IPv4 /24 = 96 + 24) a sorted array of networks, searched
 * from the longest length down, so the most specific prefix wins.  A
 * prefix with host bits set, a contact id not in the contacts table and a
 * duplicate prefix are ROUTE_ERROR_SYNTAX "file:line" errors.
 *
 * Two layouts are read: the analysts' "cidr,contact,notes", and the
 * routing-table export "cidr,contact,asn,cc,org" (as written by the
 * benchmark corpus generator), in which a contact that is not an id of
 * the contacts table but an email address becomes a contact of its own
 * (id = the address, kind network-owner, name org, country cc).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "route/route_int.h"

#define NETWORKS_HEADER	"cidr,contact,notes"
#define NETWORKS_COLS	3
#define EXPORT_HEADER	"cidr,contact,asn,cc,org"
#define EXPORT_COLS	5

struct net_entry {
	guint8			 net[16];
	guint			 line;
	const struct contact	*contact;
	char			*cidr;
};

struct net_table {
	char	*name;
	GArray	*bylen[129];	/* struct net_entry, sorted by net */
	guint8	 lens[129];	/* prefix lengths in use, longest first */
	guint	 nlens;
	guint	 size;
};

static void
mask(guint8 out[16], const guint8 in[16], guint plen)
{
	guint i;

	memcpy(out, in, 16);
	for (i = plen; i < 128; i++)
		out[i / 8] &= ~(0x80 >> (i % 8));
}

static int
entry_cmp(gconstpointer a, gconstpointer b)
{
	return memcmp(((const struct net_entry *)a)->net,
	    ((const struct net_entry *)b)->net, 16);
}

/* implicit_contact - the contact an export row names by address */
static const struct contact *
implicit_contact(GHashTable *contacts, GPtrArray *f)
{
	const char *email = f->pdata[1], *cc = f->pdata[3];
	struct contact *ct;

	if (strchr(email, '@') == NULL || strchr(email, '<') != NULL ||
	    strlen(email) > 254)
		return NULL;
	ct = g_new0(struct contact, 1);
	ct->id = g_strdup(email);
	ct->name = g_strdup(*(const char *)f->pdata[4] != '\0' ?
	    f->pdata[4] : email);
	ct->email = g_strdup(email);
	ct->language = g_strdup("en");
	if (strlen(cc) == 2 && g_ascii_isalpha(cc[0]) &&
	    g_ascii_isalpha(cc[1]))
		ct->country = g_ascii_strup(cc, -1);
	ct->kind = CONTACT_NETWORK_OWNER;
	g_hash_table_insert(contacts, ct->id, ct);
	return ct;
}

/* add_entry - parses one record into the table */
static gboolean
add_entry(struct net_table *t, struct route_csv *c, GPtrArray *f,
    GHashTable *contacts, GError **error)
{
	const char *cidr = f->pdata[0], *id = f->pdata[1];
	struct netaddr net;
	struct net_entry e;
	char buf[64];
	guint plen;

	if (!netaddr_parse_cidr(cidr, &net, &plen, FALSE)) {
		if (netaddr_parse_cidr(cidr, &net, &plen, TRUE)) {
			route_csv_error(c, error, "host bits set in %.60s "
			    "(the network is %s/%u)", cidr,
			    netaddr_format(&net, buf, sizeof(buf)),
			    net.v4 ? plen - 96 : plen);
		} else
			route_csv_error(c, error, "bad CIDR \"%.60s\"", cidr);
		return FALSE;
	}
	memset(&e, 0, sizeof(e));
	if ((e.contact = g_hash_table_lookup(contacts, id)) == NULL &&
	    (f->len != EXPORT_COLS ||
	    (e.contact = implicit_contact(contacts, f)) == NULL)) {
		route_csv_error(c, error, "unknown contact \"%.60s\" (not "
		    "defined in the contacts table)", id);
		return FALSE;
	}
	memcpy(e.net, net.b, 16);
	e.line = c->line;
	e.cidr = g_strdup_printf("%s/%u", netaddr_format(&net, buf,
	    sizeof(buf)), net.v4 ? plen - 96 : plen);
	if (t->bylen[plen] == NULL)
		t->bylen[plen] = g_array_new(FALSE, FALSE,
		    sizeof(struct net_entry));
	g_array_append_val(t->bylen[plen], e);
	t->size++;
	return TRUE;
}

/* finish - sorts each length, finds duplicates, lists lengths */
static gboolean
finish(struct net_table *t, const char *path, GError **error)
{
	struct net_entry *a, *b;
	int plen;
	guint i;

	for (plen = 128; plen >= 0; plen--) {
		if (t->bylen[plen] == NULL)
			continue;
		g_array_sort(t->bylen[plen], entry_cmp);
		for (i = 1; i < t->bylen[plen]->len; i++) {
			a = &g_array_index(t->bylen[plen], struct net_entry,
			    i - 1);
			b = &g_array_index(t->bylen[plen], struct net_entry, i);
			if (memcmp(a->net, b->net, 16) == 0) {
				g_set_error(error, ROUTE_ERROR,
				    ROUTE_ERROR_SYNTAX, "%s:%u: duplicate "
				    "prefix %s (also on line %u)", path,
				    MAX(a->line, b->line), a->cidr,
				    MIN(a->line, b->line));
				return FALSE;
			}
		}
		t->lens[t->nlens++] = (guint8)plen;
	}
	return TRUE;
}

/* read_header - the number of columns of the layout, 0 on error */
static guint
read_header(struct route_csv *c, GError **error)
{
	char *line, *p;
	int rc;

	while ((rc = route_csv_next(c, &line, error)) == 1) {
		for (p = line; *p == ' ' || *p == '\t'; p++)
			;
		if (*p == '\0' || *p == '#')
			continue;
		if (strcmp(line, NETWORKS_HEADER) == 0)
			return NETWORKS_COLS;
		if (strcmp(line, EXPORT_HEADER) == 0)
			return EXPORT_COLS;
		route_csv_error(c, error, "expected the header line \"%s\" "
		    "(or \"%s\")", NETWORKS_HEADER, EXPORT_HEADER);
		return 0;
	}
	if (rc == 0)
		g_set_error(error, ROUTE_ERROR, ROUTE_ERROR_SYNTAX, "%s: empty "
		    "file, expected the header line \"%s\"", c->path,
		    NETWORKS_HEADER);
	return 0;
}

struct net_table *
net_table_load(const char *path, GHashTable *contacts, GError **error)
{
	GPtrArray *f;
	struct net_table *t;
	struct route_csv c;
	guint ncols;
	int rc;

	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	if (!route_csv_open(&c, path, error))
		return NULL;
	f = g_ptr_array_new_with_free_func(g_free);
	t = g_new0(struct net_table, 1);
	t->name = g_strdup(c.name);
	if ((ncols = read_header(&c, error)) == 0)
		rc = -1;
	else {
		while ((rc = route_csv_record(&c, ncols, f, error)) == 1) {
			if (!add_entry(t, &c, f, contacts, error)) {
				rc = -1;
				break;
			}
		}
	}
	if (rc == 0 && !finish(t, c.path, error))
		rc = -1;
	route_csv_close(&c);
	g_ptr_array_unref(f);
	if (rc < 0)
		net_table_free(&t);
	return t;
}

void
net_table_free(struct net_table **tp)
{
	struct net_table *t;
	guint plen, i;

	if (tp == NULL || (t = *tp) == NULL)
		return;
	for (plen = 0; plen <= 128; plen++) {
		if (t->bylen[plen] == NULL)
			continue;
		for (i = 0; i < t->bylen[plen]->len; i++)
			g_free(g_array_index(t->bylen[plen],
			    struct net_entry, i).cidr);
		g_array_free(t->bylen[plen], TRUE);
	}
	g_free(t->name);
	g_free(t);
	*tp = NULL;
}

int
net_table_lookup(const struct net_table *t, const struct netaddr *a,
    struct net_match *m)
{
	struct net_entry key;
	const struct net_entry *e;
	GArray *arr;
	guint i;

	if (t == NULL)
		return 0;
	for (i = 0; i < t->nlens; i++) {
		/* IPv4 is ::ffff:a.b.c.d here, so only an IPv6 prefix
		 * holding ::ffff:0:0/96 (such as ::/0) can match it. */
		arr = t->bylen[t->lens[i]];
		mask(key.net, a->b, t->lens[i]);
		e = bsearch(&key, arr->data, arr->len,
		    sizeof(struct net_entry), entry_cmp);
		if (e != NULL) {
			m->contact = e->contact;
			m->cidr = e->cidr;
			m->file = t->name;
			m->line = e->line;
			return 1;
		}
	}
	return 0;
}

guint
net_table_size(const struct net_table *t)
{
	return t != NULL ? t->size : 0;
}
