# templates/: takedown request templates, one folder per language
# (notify/ falls back to en).  Installed under $(pkgdatadir)/templates.
templatesendir = $(pkgdatadir)/templates/en
dist_templatesen_DATA = templates/en/takedown.txt
templatesjadir = $(pkgdatadir)/templates/ja
dist_templatesja_DATA = templates/ja/takedown.txt
