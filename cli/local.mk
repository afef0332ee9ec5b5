# cli/: the two programs.  `abusedesk` is small (libc + nettle): it runs
# `deliver` itself, fast, and execs abusedesk-core for every other command.
bin_PROGRAMS += abusedesk
abusedesk_SOURCES = cli/main.c
abusedesk_LDADD = ingest/libdeliver.a $(NETTLE_LIBS)

pkglibexec_PROGRAMS += abusedesk-core
abusedesk_core_SOURCES = cli/core.c cli/cli.h cli/cli_util.c \
	cli/cmd_init.c cli/cmd_run.c cli/cmd_reprocess.c cli/cmd_case.c \
	cli/cmd_rules.c cli/cmd_config.c \
	cli/cli_rules.h cli/cmd_rules_test.c cli/cmd_rules_corpus.c \
	cli/cmd_rules_stats.c cli/cmd_hold.c
abusedesk_core_CFLAGS = $(AM_CFLAGS) $(PKG_CFLAGS)
abusedesk_core_LDADD = $(CORE_LIBS) $(PKG_LIBS)

# The default configuration (every key commented out, with its default),
# generated from the one table in ingest/ingest_config.c.
abusedeskconfdir = $(sysconfdir)/abusedesk
abusedeskconf_DATA = abusedesk.conf
abusedesk.conf: abusedesk-core$(EXEEXT)
	$(AM_V_GEN)./abusedesk-core config --default > $@.tmp && mv $@.tmp $@
CLEANFILES += abusedesk.conf
# route explain (route/)
abusedesk_core_SOURCES += cli/cmd_route.c
# takedown batches: notify pending, notify flush
abusedesk_core_SOURCES += cli/cmd_notify.c
# data import (route/route_import.c)
abusedesk_core_SOURCES += cli/cmd_data.c
