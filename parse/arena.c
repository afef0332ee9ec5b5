/*
 * arena.c: bump allocator over chunks with a byte cap and destructors.
 * See arena.h.  Freed chunks are poisoned (0xaa) to catch use after free.
 */
#include "config.h"

#include <string.h>
#include <stdarg.h>

#include "parse/arena.h"

struct chunk {
	struct chunk	*next;
	gsize		 size;
	gsize		 used;
	/* data follows, aligned */
	guint8		 data[] G_GNUC_MAY_ALIAS;
};

struct destructor {
	struct destructor	*next;
	GDestroyNotify		 fn;
	gpointer		 data;
};

struct arena {
	char			*name;
	struct chunk		*chunks;
	struct destructor	*dtors;
	gsize			 chunk;
	gsize			 cap;
	gsize			 total;		/* bytes of chunks allocated */
	gboolean		 exhausted;
};

#define ALIGN(n)	(((n) + 15) & ~(gsize)15)

struct arena *
arena_new(const char *name, gsize chunk, gsize cap)
{
	struct arena *a = g_new0(struct arena, 1);

	a->name = g_strdup(name != NULL ? name : "arena");
	a->chunk = chunk < 1024 ? 1024 : chunk;
	a->cap = cap;
	return a;
}

void
arena_free(struct arena **ap)
{
	struct arena *a;
	struct chunk *c, *cn;
	struct destructor *d, *dn;

	if (ap == NULL || (a = *ap) == NULL)
		return;
	for (d = a->dtors; d != NULL; d = dn) {
		dn = d->next;
		d->fn(d->data);
		g_free(d);
	}
	for (c = a->chunks; c != NULL; c = cn) {
		cn = c->next;
		memset(c->data, 0xaa, c->size);
		g_free(c);
	}
	g_free(a->name);
	g_free(a);
	*ap = NULL;
}

gpointer
arena_alloc(struct arena *a, gsize size)
{
	struct chunk *c = a->chunks;
	gsize need = ALIGN(size == 0 ? 1 : size), csize;
	gpointer p;

	if (need < size)
		return NULL;	/* overflow */
	if (c == NULL || c->size - c->used < need) {
		csize = need > a->chunk ? need : a->chunk;
		if (a->cap != 0 && (a->total + csize > a->cap ||
		    a->total + csize < a->total)) {
			a->exhausted = TRUE;
			return NULL;
		}
		c = g_malloc(sizeof(*c) + csize);
		c->size = csize;
		c->used = 0;
		a->total += csize;
		/* A big one-off allocation goes behind the current chunk so
		 * the current chunk's free space is not wasted. */
		if (need > a->chunk && a->chunks != NULL) {
			c->next = a->chunks->next;
			a->chunks->next = c;
		} else {
			c->next = a->chunks;
			a->chunks = c;
		}
	}
	p = c->data + c->used;
	c->used += need;
	memset(p, 0, need);
	return p;
}

char *
arena_strndup(struct arena *a, const char *s, gsize n)
{
	char *p;

	if (s == NULL)
		return NULL;
	if ((p = arena_alloc(a, n + 1)) == NULL)
		return NULL;
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
arena_strdup(struct arena *a, const char *s)
{
	return s == NULL ? NULL : arena_strndup(a, s, strlen(s));
}

char *
arena_printf(struct arena *a, const char *fmt, ...)
{
	va_list ap;
	char *tmp, *p;

	va_start(ap, fmt);
	tmp = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	p = arena_strdup(a, tmp);
	g_free(tmp);
	return p;
}

void
arena_add_destructor(struct arena *a, GDestroyNotify fn, gpointer data)
{
	/* Outside the cap: a destructor must never be lost. */
	struct destructor *d = g_new0(struct destructor, 1);

	d->fn = fn;
	d->data = data;
	d->next = a->dtors;
	a->dtors = d;
}

gsize
arena_used(const struct arena *a)
{
	return a->total;
}

gboolean
arena_exhausted(const struct arena *a)
{
	return a->exhausted;
}
