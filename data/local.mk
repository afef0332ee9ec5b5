# data/: shipped routing datasets (see data/README.md for provenance and
# licences) and example analyst tables.  Installed under
# $(pkgdatadir)/data; the CC BY-SA geo table stays a separate file.
datafilesdir = $(pkgdatadir)/data
dist_datafiles_DATA = \
	data/ip-country-geo.csv.gz \
	data/ip-country-rir.csv.gz \
	data/ip-asn.csv.gz \
	data/asn-names.csv.gz \
	data/national-csirts.csv \
	data/lookup-vectors.csv \
	data/contacts.csv \
	data/networks.csv \
	data/asn-contacts.csv \
	data/domain-contacts.csv
EXTRA_DIST += data/README.md
