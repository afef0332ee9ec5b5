bin_PROGRAMS += abusedesk
abusedesk_SOURCES = cli/main.c
