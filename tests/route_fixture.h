/*
 * route_fixture.h: the hand-made routing tables of tests/data (route-*)
 * opened for a test, shared by the route/ tests.
 *
 * rfx_open() fills every file field of a struct route_paths the caller
 * left NULL, among the tables named in a mask, with its tests/data
 * file; the other fields (own_country, ladder, mmdb, replacements) are
 * the caller's.
 */
#ifndef ABUSEDESK_TEST_ROUTE_FIXTURE_H
#define ABUSEDESK_TEST_ROUTE_FIXTURE_H

#include <stddef.h>

#include "route/route.h"
#include "tests/helpers.h"

enum rfx_table {
	RFX_CONTACTS = 1 << 0,
	RFX_NETWORKS = 1 << 1,
	RFX_GEO = 1 << 2,
	RFX_RIR = 1 << 3,
	RFX_CSIRTS = 1 << 4,
	RFX_ASN = 1 << 5,
	RFX_ASN_NAMES = 1 << 6,
	RFX_ASN_CONTACTS = 1 << 7,
	RFX_DOMAIN_CONTACTS = 1 << 8,
};
/* contacts, networks, the two country tables and the CSIRTs */
#define RFX_BASIC	(RFX_CONTACTS | RFX_NETWORKS | RFX_GEO | RFX_RIR | \
			 RFX_CSIRTS)
#define RFX_ALL		(RFX_BASIC | RFX_ASN | RFX_ASN_NAMES | \
			 RFX_ASN_CONTACTS | RFX_DOMAIN_CONTACTS)

static const struct {
	const char	*file;
	size_t		 field;
} rfx_files[] = {
	{ "route-contacts.csv", offsetof(struct route_paths, contacts) },
	{ "route-networks.csv", offsetof(struct route_paths, networks) },
	{ "route-geo.csv", offsetof(struct route_paths, geo_country) },
	{ "route-rir.csv", offsetof(struct route_paths, rir_country) },
	{ "route-csirts.csv", offsetof(struct route_paths, csirts) },
	{ "route-asn.csv", offsetof(struct route_paths, asn) },
	{ "route-asn-names.csv", offsetof(struct route_paths, asn_names) },
	{ "route-asn-contacts.csv",
	    offsetof(struct route_paths, asn_contacts) },
	{ "route-domain-contacts.csv",
	    offsetof(struct route_paths, domain_contacts) },
};

/* rfx_open - route_open() on given, its NULL file fields among the
 * tables of mask set to tests/data; NULL with *err on error */
static inline struct route_tables *
rfx_open(const struct route_paths *given, unsigned mask, GError **err)
{
	struct route_paths p = *given;
	char *owned[G_N_ELEMENTS(rfx_files)] = { NULL };
	struct route_tables *t;
	unsigned i;

	for (i = 0; i < G_N_ELEMENTS(rfx_files); i++) {
		const char **f = (const char **)(void *)((char *)&p +
		    rfx_files[i].field);

		if ((mask & (1u << i)) != 0 && *f == NULL)
			*f = owned[i] = test_data_path(rfx_files[i].file);
	}
	t = route_open(&p, err);
	for (i = 0; i < G_N_ELEMENTS(rfx_files); i++)
		g_free(owned[i]);
	return t;
}

/* rfx_open_ok - the same, asserting it opens */
static inline struct route_tables *
rfx_open_ok(const struct route_paths *given, unsigned mask)
{
	GError *err = NULL;
	struct route_tables *t = rfx_open(given, mask, &err);

	cr_assert_not_null(t, "%s", err != NULL ? err->message : "");
	return t;
}

#endif
