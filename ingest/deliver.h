/*
 * deliver.h: `abusedesk deliver`, the MTA pipe (libc + nettle only).
 *
 * deliver reads one message from standard input and puts it into
 * <home>/spool/new atomically (Maildir style: tmp/, fsync, rename), or
 * fails with EX_TEMPFAIL so the MTA keeps the message and retries.  It
 * never exits with any other status and never opens the database.  The
 * rules that find the state directory and the configuration file live
 * here too, because the front binary must apply them without GLib and
 * the full program must apply exactly the same ones.
 */
#ifndef ABUSEDESK_DELIVER_H
#define ABUSEDESK_DELIVER_H

#include <stddef.h>

/* The state directory when nothing names one. */
#define DELIVER_DEFAULT_HOME	"/var/lib/abusedesk"
/* The configuration file's name inside the state directory. */
#define DELIVER_CONFIG_NAME	"abusedesk.conf"
/* sysexits.h EX_TEMPFAIL: the MTA will try again later. */
#define DELIVER_EX_TEMPFAIL	75

/* deliver_locate - the state directory and configuration file to use.
 *
 * file: config_opt (--config) > $ABUSEDESK_CONFIG >
 *	 <h>/abusedesk.conf, where h = home_opt > $ABUSEDESK_HOME >
 *	 DELIVER_DEFAULT_HOME.
 * home: home_opt (--home) > $ABUSEDESK_HOME > "home" in section [main]
 *	 of that file (relative to the file's directory when relative) >
 *	 DELIVER_DEFAULT_HOME.
 *
 * home_opt and config_opt may be NULL; empty strings count as unset.
 * The file is read only for [main] home, and only when neither option
 * nor environment names the home; a file that cannot be read is not an
 * error here (the caller reports it when it loads the file).  Returns 0,
 * or -1 when a path does not fit the buffers (which then hold "").
 */
int	deliver_locate(const char *home_opt, const char *config_opt,
	    char *home, size_t homelen, char *file, size_t filelen);

/* deliver_main - runs `deliver`; argv[0] is "deliver", the options
 * [-f SENDER] [-r RECIPIENT] [--home DIR] [--config FILE] follow and win
 * over home_opt/config_opt (the global options, may be NULL).  Reads
 * standard input to its end and returns the exit status: 0 when the
 * message is in spool/new, DELIVER_EX_TEMPFAIL otherwise (after one
 * "abusedesk deliver: <reason>" line on stderr and a syslog entry).
 * Installs handlers for SIGALRM, SIGPIPE and SIGXFSZ: call it from a
 * program's main(), once. */
int	deliver_main(int argc, char **argv, const char *home_opt,
	    const char *config_opt);

#endif
