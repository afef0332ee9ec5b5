/*
 * deliver.c: `abusedesk deliver`, one message from the MTA into the spool.
 *
 * Defines deliver_locate() and deliver_main().  The model is OpenSMTPD's
 * mail.maildir: read everything, write <home>/spool/tmp/<unique> with
 * O_EXCL, fsync, rename into spool/new, fsync the directory.  Every
 * failure goes through tempfail(): unlink what we created, one line on
 * stderr, one syslog line, EX_TEMPFAIL.  The deadline is a SIGALRM that
 * interrupts the blocking read; a second one (should the first be missed)
 * cleans up and _exit()s from the handler with only async-signal-safe
 * calls.  Beyond max_size the input is still read, counted and hashed,
 * but not kept, and the message is marked quarantined.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include <nettle/sha2.h>

#include "ingest/deliver.h"
#include "ingest/ini.h"
#include "ingest/spool_file.h"
#include "parse/limits.h"

/* The range [deliver] max_size and deadline must be in (same as the
 * full config loader's table). */
#define MAX_SIZE_MIN	1024ULL
#define MAX_SIZE_MAX	(1024ULL * 1024 * 1024)
#define DEADLINE_MAX	3600ULL
#define READ_CHUNK	65536
#define OPEN_TRIES	5

struct deliver {
	char			 home[PATH_MAX];
	char			 file[PATH_MAX];
	char			 conf_home[PATH_MAX];	/* [main] home */
	unsigned long long	 max_size;
	unsigned		 deadline;
	int			 check_values;	/* 0: locate only */
	char			 err[1024];
	struct spool_envelope	 env;
	char			*buf;		/* the kept bytes */
	size_t			 len, cap;
	char			 name[256];
	char			 tmp_path[PATH_MAX + 300];
	char			 new_path[PATH_MAX + 300];
};

/* Shared with the SIGALRM handler. */
static volatile sig_atomic_t timed_out;
static volatile sig_atomic_t cleanup_armed;
static char cleanup_path[PATH_MAX + 300];

static int tempfail(struct deliver *, const char *, ...)
    __attribute__((format(printf, 2, 3)));

/* on_alarm - first time: flag and interrupt; second time: give up here. */
static void
on_alarm(int sig)
{
	static const char msg[] = "abusedesk deliver: deadline passed\n";
	int saved = errno;

	(void)sig;
	if (!timed_out) {
		timed_out = 1;
		alarm(1);
		errno = saved;
		return;
	}
	if (cleanup_armed)
		unlink(cleanup_path);
	if (write(STDERR_FILENO, msg, sizeof(msg) - 1) < 0)
		_exit(DELIVER_EX_TEMPFAIL);
	_exit(DELIVER_EX_TEMPFAIL);
}

/* arm - the file the handler must remove, or none (path NULL). */
static void
arm(const char *path)
{
	sigset_t set, old;

	sigemptyset(&set);
	sigaddset(&set, SIGALRM);
	sigprocmask(SIG_BLOCK, &set, &old);
	cleanup_armed = 0;
	if (path != NULL) {
		memcpy(cleanup_path, path, strlen(path) + 1);
		cleanup_armed = 1;
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
}

static int
tempfail(struct deliver *d, const char *fmt, ...)
{
	char reason[1024];
	va_list ap;

	(void)d;
	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	if (cleanup_armed) {
		unlink(cleanup_path);
		arm(NULL);
	}
	fprintf(stderr, "abusedesk deliver: %.300s\n", reason);
	syslog(LOG_ERR, "deliver: %.300s (exit 75, the MTA will retry)",
	    reason);
	return DELIVER_EX_TEMPFAIL;
}

/* conf_cb - [main] home, [deliver] max_size and deadline; nothing else. */
static int
conf_cb(void *ctx, const char *section, const char *key, const char *value,
    unsigned line)
{
	struct deliver *d = ctx;
	unsigned long long n;
	char *end;

	if (strcmp(section, "main") == 0 && strcmp(key, "home") == 0) {
		if (strlen(value) >= sizeof(d->conf_home)) {
			snprintf(d->err, sizeof(d->err), "%.300s:%u: [main] "
			    "home too long", d->file, line);
			return -1;
		}
		memcpy(d->conf_home, value, strlen(value) + 1);
		return 0;
	}
	if (!d->check_values || strcmp(section, "deliver") != 0)
		return 0;
	if (strcmp(key, "max_size") == 0) {
		if (ini_parse_size(value, &n) != 0 || n < MAX_SIZE_MIN ||
		    n > MAX_SIZE_MAX)
			goto bad;
		d->max_size = n;
	} else if (strcmp(key, "deadline") == 0) {
		errno = 0;
		n = strtoull(value, &end, 10);
		if (value[0] < '0' || value[0] > '9' || *end != '\0' ||
		    errno != 0 || n < 1 || n > DEADLINE_MAX)
			goto bad;
		d->deadline = (unsigned)n;
	}
	return 0;
bad:
	snprintf(d->err, sizeof(d->err), "%.300s:%u: [deliver] %s: bad value "
	    "'%.100s'", d->file, line, key, value);
	return -1;
}

/* override - the home named by option or environment, else NULL. */
static const char *
override(const char *home_opt)
{
	const char *h = getenv("ABUSEDESK_HOME");

	if (home_opt != NULL && home_opt[0] != '\0')
		return home_opt;
	return h != NULL && h[0] != '\0' ? h : NULL;
}

/* locate - fills d->file and d->home; reads the file when needed or
 * asked (must_read).  -1 with d->err set. */
static int
locate(struct deliver *d, const char *home_opt, const char *config_opt,
    int must_read)
{
	const char *h = override(home_opt), *c = getenv("ABUSEDESK_CONFIG");
	const char *slash;
	int n;

	if (config_opt != NULL && config_opt[0] != '\0')
		c = config_opt;
	if (c != NULL && c[0] != '\0')
		n = snprintf(d->file, sizeof(d->file), "%s", c);
	else
		n = snprintf(d->file, sizeof(d->file), "%s/%s",
		    h != NULL ? h : DELIVER_DEFAULT_HOME, DELIVER_CONFIG_NAME);
	if (n < 0 || (size_t)n >= sizeof(d->file)) {
		snprintf(d->err, sizeof(d->err), "configuration path too long");
		return -1;
	}
	d->conf_home[0] = '\0';
	if ((must_read || h == NULL) && ini_parse_file(d->file, conf_cb, d,
	    d->err, sizeof(d->err)) != 0 && must_read)
		return -1;
	if (h == NULL && d->conf_home[0] == '/')
		h = d->conf_home;
	else if (h == NULL && d->conf_home[0] != '\0') {
		/* relative to the directory of the configuration file */
		slash = strrchr(d->file, '/');
		n = snprintf(d->home, sizeof(d->home), "%.*s%s",
		    slash != NULL ? (int)(slash - d->file + 1) : 0, d->file,
		    d->conf_home);
		goto check;
	}
	n = snprintf(d->home, sizeof(d->home), "%s",
	    h != NULL ? h : DELIVER_DEFAULT_HOME);
check:
	if (n < 0 || (size_t)n >= sizeof(d->home)) {
		snprintf(d->err, sizeof(d->err), "state directory path too "
		    "long");
		return -1;
	}
	return 0;
}

int
deliver_locate(const char *home_opt, const char *config_opt, char *home,
    size_t homelen, char *file, size_t filelen)
{
	struct deliver *d = calloc(1, sizeof(*d));
	int rc = -1;

	if (homelen > 0)
		home[0] = '\0';
	if (filelen > 0)
		file[0] = '\0';
	if (d == NULL)
		return -1;
	if (locate(d, home_opt, config_opt, 0) == 0 &&
	    strlen(d->home) < homelen && strlen(d->file) < filelen) {
		memcpy(home, d->home, strlen(d->home) + 1);
		memcpy(file, d->file, strlen(d->file) + 1);
		rc = 0;
	}
	free(d);
	return rc;
}

/* check_dir - the spool directory exists and is one; never created. */
static int
check_dir(struct deliver *d, const char *sub)
{
	char path[PATH_MAX + 32];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s", d->home, sub);
	if (stat(path, &st) != 0) {
		if (errno == ENOENT || errno == ENOTDIR)
			return tempfail(d, "spool directory %s missing: run "
			    "abusedesk init", path);
		return tempfail(d, "spool directory %s: %s", path,
		    strerror(errno));
	}
	if (!S_ISDIR(st.st_mode))
		return tempfail(d, "spool directory %s is not a directory",
		    path);
	return 0;
}

/* options - deliver's own options into d->env and the locations. */
static int
options(struct deliver *d, int argc, char **argv, const char **home_opt,
    const char **config_opt)
{
	static const struct option longopts[] = {
		{ "home", required_argument, NULL, 'H' },
		{ "config", required_argument, NULL, 'C' },
		{ NULL, 0, NULL, 0 }
	};
	const char *sender = getenv("SENDER"), *rcpt = getenv("RECIPIENT");
	int ch;

	opterr = 0;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "+:f:r:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'f':
			sender = optarg;
			break;
		case 'r':
			rcpt = optarg;
			break;
		case 'H':
			*home_opt = optarg;
			break;
		case 'C':
			*config_opt = optarg;
			break;
		case ':':
			return tempfail(d, "option %.100s needs a value",
			    argv[optind - 1]);
		default:
			return tempfail(d, "unknown option %.100s (usage: "
			    "deliver [-f sender] [-r recipient] [--home dir] "
			    "[--config file])", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return tempfail(d, "unexpected argument %.100s", argv[optind]);
	spool_value_set(d->env.sender, sender);
	spool_value_set(d->env.recipient, rcpt);
	spool_value_set(d->env.orig_recipient, getenv("ORIGINAL_RECIPIENT"));
	return 0;
}

/* read_input - standard input to its end: keep max_size, hash it all. */
static int
read_input(struct deliver *d)
{
	struct sha256_ctx sha;
	uint8_t digest[SHA256_DIGEST_SIZE];
	char scratch[READ_CHUNK], *dst, *p;
	size_t want, i;
	struct stat st;
	ssize_t n;

	d->cap = READ_CHUNK;
	if (fstat(STDIN_FILENO, &st) == 0 && S_ISREG(st.st_mode) &&
	    st.st_size > 0)
		d->cap = (size_t)st.st_size + 1;
	if (d->cap > d->max_size)
		d->cap = (size_t)d->max_size;
	if ((d->buf = malloc(d->cap)) == NULL)
		return tempfail(d, "out of memory");
	sha256_init(&sha);
	for (;;) {
		if (timed_out)
			return tempfail(d, "deadline passed while reading the "
			    "message (%u s)", d->deadline);
		if (d->len < d->max_size) {
			if (d->len == d->cap) {
				d->cap = d->cap * 2 > d->max_size ?
				    (size_t)d->max_size : d->cap * 2;
				if ((p = realloc(d->buf, d->cap)) == NULL)
					return tempfail(d, "out of memory");
				d->buf = p;
			}
			dst = d->buf + d->len;
			want = d->cap - d->len;
		} else {
			dst = scratch;
			want = sizeof(scratch);
		}
		if ((n = read(STDIN_FILENO, dst, want)) < 0) {
			if (errno == EINTR)
				continue;
			return tempfail(d, "reading the message: %s",
			    strerror(errno));
		}
		if (n == 0)
			break;
		sha256_update(&sha, (size_t)n, (const uint8_t *)dst);
		d->env.size += (unsigned long long)n;
		if (dst != scratch)
			d->len += (size_t)n;
	}
	d->env.quarantined = d->env.size > d->len;
	sha256_digest(&sha, sizeof(digest), digest);
	for (i = 0; i < sizeof(digest); i++)
		snprintf(d->env.sha256 + 2 * i, 3, "%02x", digest[i]);
	return 0;
}

/* write_all - all of buf, or -1 with errno. */
static int
write_all(int fd, const char *buf, size_t len)
{
	ssize_t n;

	while (len > 0) {
		if (timed_out) {
			errno = ETIMEDOUT;
			return -1;
		}
		if ((n = write(fd, buf, len)) < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/* create_tmp - a new, unique file in spool/tmp (Maildir naming). */
static int
create_tmp(struct deliver *d, int *fdp)
{
	char host[256], safe[80];
	struct timeval tv;
	static unsigned counter;
	size_t i, j;
	int try, fd = -1;

	if (gethostname(host, sizeof(host)) != 0)
		snprintf(host, sizeof(host), "localhost");
	host[sizeof(host) - 1] = '\0';
	for (i = j = 0; host[i] != '\0' && j + 5 < sizeof(safe); i++) {
		if (host[i] == '/' || host[i] == ':' || host[i] <= ' ' ||
		    host[i] == 0x7f)
			j += (size_t)snprintf(safe + j, sizeof(safe) - j,
			    "\\%03o", (unsigned char)host[i]);
		else
			safe[j++] = host[i];
	}
	safe[j] = '\0';
	for (try = 0; try < OPEN_TRIES && fd == -1; try++) {
		gettimeofday(&tv, NULL);
		snprintf(d->name, sizeof(d->name), "%lld.M%06ldP%ldQ%u.%s",
		    (long long)tv.tv_sec, (long)tv.tv_usec, (long)getpid(),
		    ++counter, safe);
		snprintf(d->tmp_path, sizeof(d->tmp_path), "%s/spool/tmp/%s",
		    d->home, d->name);
		snprintf(d->new_path, sizeof(d->new_path), "%s/spool/new/%s",
		    d->home, d->name);
		arm(NULL);
		fd = open(d->tmp_path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
		    0600);
		if (fd == -1 && errno != EEXIST)
			break;
	}
	if (fd == -1)
		return tempfail(d, "cannot create %s: %s", d->tmp_path,
		    strerror(errno));
	arm(d->tmp_path);
	*fdp = fd;
	return 0;
}

/* store - header and body into tmp/, fsync, rename into new/, fsync new/. */
static int
store(struct deliver *d)
{
	char hdr[SPOOL_HEADER_MAX], dir[PATH_MAX + 32];
	size_t hlen;
	int fd = -1, dfd;

	if ((hlen = spool_file_header(&d->env, hdr, sizeof(hdr))) == 0)
		return tempfail(d, "spool header does not fit");
	if (create_tmp(d, &fd) != 0)
		return DELIVER_EX_TEMPFAIL;
	if (fchmod(fd, 0600) != 0 || write_all(fd, hdr, hlen) != 0 ||
	    write_all(fd, d->buf, d->len) != 0 || fsync(fd) != 0) {
		close(fd);
		return tempfail(d, "writing %s: %s", d->tmp_path,
		    errno == ETIMEDOUT ? "deadline passed" : strerror(errno));
	}
	if (close(fd) != 0)
		return tempfail(d, "writing %s: %s", d->tmp_path,
		    strerror(errno));
	if (timed_out)
		return tempfail(d, "deadline passed (%u s)", d->deadline);
	if (rename(d->tmp_path, d->new_path) != 0)
		return tempfail(d, "rename into %s: %s", d->new_path,
		    strerror(errno));
	/* Until new/ is on disk the message is not safe: failing now takes
	 * it out again, and the MTA's retry brings it back. */
	arm(d->new_path);
	snprintf(dir, sizeof(dir), "%s/spool/new", d->home);
	if ((dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
		return tempfail(d, "opening %s: %s", dir, strerror(errno));
	if (fsync(dfd) != 0) {
		close(dfd);
		return tempfail(d, "fsync %s: %s", dir, strerror(errno));
	}
	close(dfd);
	arm(NULL);
	return 0;
}

/* setup - descriptors 0-2, signals, syslog, the first deadline. */
static int
setup(struct deliver *d)
{
	struct sigaction sa;
	int fd;

	openlog("abusedesk", LOG_PID, LOG_MAIL);
	/* A closed stderr must not become the spool file. */
	for (fd = STDOUT_FILENO; fd <= STDERR_FILENO; fd++)
		if (fcntl(fd, F_GETFD) == -1 &&
		    open("/dev/null", O_RDWR) != fd)
			return tempfail(d, "cannot open /dev/null");
	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
	sigaction(SIGXFSZ, &sa, NULL);
	sa.sa_handler = on_alarm;	/* no SA_RESTART: read() returns */
	sigaction(SIGALRM, &sa, NULL);
	alarm(LIMIT_DELIVER_SECONDS);
	if (fcntl(STDIN_FILENO, F_GETFD) == -1)
		return tempfail(d, "no standard input");
	return 0;
}

int
deliver_main(int argc, char **argv, const char *home_opt,
    const char *config_opt)
{
	struct deliver *d;
	int rc;

	if ((d = calloc(1, sizeof(*d))) == NULL) {
		fprintf(stderr, "abusedesk deliver: out of memory\n");
		return DELIVER_EX_TEMPFAIL;
	}
	d->env.received_at = (long long)time(NULL);
	d->max_size = LIMIT_MESSAGE_SIZE;
	d->deadline = LIMIT_DELIVER_SECONDS;
	d->check_values = 1;
	if ((rc = setup(d)) != 0 ||
	    (rc = options(d, argc, argv, &home_opt, &config_opt)) != 0)
		goto out;
	if (locate(d, home_opt, config_opt, 1) != 0) {
		rc = tempfail(d, "configuration: %s", d->err);
		goto out;
	}
	alarm(d->deadline);
	if ((rc = check_dir(d, "spool/tmp")) != 0 ||
	    (rc = check_dir(d, "spool/new")) != 0 ||
	    (rc = read_input(d)) != 0 || (rc = store(d)) != 0)
		goto out;
	syslog(LOG_INFO, "%s: origin=pipe size=%llu sha256=%s "
	    "sender=<%.200s> recipient=<%.200s>%s disposition=spooled",
	    d->name, d->env.size, d->env.sha256, d->env.sender,
	    d->env.recipient, d->env.quarantined ? " quarantine=oversize" : "");
out:
	alarm(0);
	closelog();
	free(d->buf);
	free(d);
	return rc;
}
