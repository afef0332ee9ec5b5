/*
 * route_override.c: a rule's `route to CONTACT` replaces the decision of
 * the ladder for every routed finding of the message, keeping the
 * ladder's reason chain and saying why it was overridden.
 */
#include "config.h"

#include <string.h>

#include "route/route.h"

gboolean
route_override(const struct route_tables *t, struct report *r,
    struct route_result *res, const char *contact_id)
{
	const struct contact *c;
	guint i;

	if (contact_id == NULL || res->routes == NULL)
		return FALSE;
	if ((c = route_contact(t, contact_id)) == NULL) {
		report_warn(r, "rule override: no contact '%.64s': the routes "
		    "of the ladder stand", contact_id);
		return FALSE;
	}
	for (i = 0; i < res->routes->len;) {
		struct route *rt = g_ptr_array_index(res->routes, i);

		if (rt->cc) {		/* one route per finding: the override */
			g_ptr_array_remove_index(res->routes, i);
			continue;
		}
		rt->reason = arena_printf(r->arena, "%s -> overridden by a "
		    "rule: route to %s", rt->reason != NULL ? rt->reason : "",
		    contact_id);
		rt->contact = c;
		i++;
	}
	res->unrouted = 0;
	return TRUE;
}
