/*
 * arena.h: the per-message memory arena.
 *
 * Everything reachable from one message's report, verdict and route result
 * lives in one arena and is freed at once by arena_free().  A byte cap set
 * at creation makes a hostile message run out of budget, not of memory:
 * arena_alloc() returns NULL once the cap is reached, and callers treat that
 * as "limit hit" (a warning on the report), never as a crash.
 */
#ifndef ABUSEDESK_ARENA_H
#define ABUSEDESK_ARENA_H

#include <glib.h>

struct arena;

struct arena	*arena_new(const char *name, gsize chunk, gsize cap);
void		 arena_free(struct arena **ap);
/* Zeroed memory, or NULL when the cap would be exceeded. */
gpointer	 arena_alloc(struct arena *a, gsize size);
char		*arena_strdup(struct arena *a, const char *s);
char		*arena_strndup(struct arena *a, const char *s, gsize n);
char		*arena_printf(struct arena *a, const char *fmt, ...)
		    G_GNUC_PRINTF(2, 3);
/* Runs fn(data) at arena_free(), in reverse order of registration. */
void		 arena_add_destructor(struct arena *a, GDestroyNotify fn,
		    gpointer data);
gsize		 arena_used(const struct arena *a);
gboolean	 arena_exhausted(const struct arena *a);

#endif
