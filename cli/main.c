/*
 * main.c: the small front binary `abusedesk` (libc + nettle only).
 *
 * Parses the global options (--home, --config, -h/--help, --version) up
 * to the command.  `deliver` runs here, in-process, because the MTA
 * starts it once per message and it must start fast; every other
 * command, no command and --help exec the full program abusedesk-core
 * with the same arguments (argv[0] stays "abusedesk").  abusedesk-core is
 * $ABUSEDESK_CORE, else the one next to this executable (a build tree),
 * else PKGLIBEXECDIR/abusedesk-core.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ingest/deliver.h"

#ifndef PKGLIBEXECDIR
#define PKGLIBEXECDIR	"/usr/local/libexec/abusedesk"
#endif
#define CORE_NAME	"abusedesk-core"

/* core_path - where abusedesk-core is; path has PATH_MAX bytes. */
static const char *
core_path(char *path)
{
	const char *env = getenv("ABUSEDESK_CORE");
	char self[PATH_MAX];
	ssize_t n;
	char *slash;

	if (env != NULL && env[0] != '\0')
		return env;
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n > 0) {
		self[n] = '\0';
		if ((slash = strrchr(self, '/')) != NULL &&
		    (size_t)(slash - self) + sizeof("/" CORE_NAME) <=
		    PATH_MAX) {
			memcpy(slash + 1, CORE_NAME, sizeof(CORE_NAME));
			if (access(self, X_OK) == 0) {
				memcpy(path, self, strlen(self) + 1);
				return path;
			}
		}
	}
	return PKGLIBEXECDIR "/" CORE_NAME;
}

/* run_core - execs abusedesk-core with our arguments; returns 1 if that
 * fails. */
static int
run_core(char **argv)
{
	char buf[PATH_MAX];
	const char *path = core_path(buf);

	argv[0] = (char *)"abusedesk";
	execv(path, argv);
	fprintf(stderr, "abusedesk: cannot run abusedesk-core: %s: %s\n", path,
	    strerror(errno));
	return 1;
}

/* option_value - "--name VALUE" or "--name=VALUE" at argv[*i]; NULL when
 * argv[*i] is another option.  *missing is set when VALUE is absent. */
static const char *
option_value(char **argv, int argc, int *i, const char *name, int *missing)
{
	size_t len = strlen(name);

	if (strncmp(argv[*i], name, len) != 0)
		return NULL;
	if (argv[*i][len] == '=')
		return argv[*i] + len + 1;
	if (argv[*i][len] != '\0')
		return NULL;
	if (*i + 1 >= argc) {
		*missing = 1;
		return NULL;
	}
	return argv[++*i];
}

int
main(int argc, char **argv)
{
	const char *home = NULL, *config = NULL, *v;
	int i, missing = 0;

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if ((v = option_value(argv, argc, &i, "--home", &missing)))
			home = v;
		else if ((v = option_value(argv, argc, &i, "--config",
		    &missing)))
			config = v;
		else if (strcmp(argv[i], "--version") == 0) {
			printf("abusedesk %s\n", PACKAGE_VERSION);
			return 0;
		} else	/* --help, -v, --, a missing value, ... */
			return run_core(argv);
		if (missing)
			return run_core(argv);
	}
	if (i < argc && strcmp(argv[i], "deliver") == 0)
		return deliver_main(argc - i, argv + i, home, config);
	return run_core(argv);
}
