# doc/: the manual page and the design notes.
dist_man_MANS += doc/abusedesk.1
EXTRA_DIST += doc/ARCHITECTURE.md doc/abusedesk.service
dist_man_MANS += doc/abusedesk-rules.5
