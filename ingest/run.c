/*
 * run.c: the daemon.  Foreground (systemd runs it), one process, the only
 * writer of the case database.
 *
 * At start: recover spool/work (files claimed before a crash) and
 * outbox/tmp (takedowns rendered before a crash).  Then: claim files from
 * spool/new one at a time, oldest first.  New files are noticed through
 * inotify; a rescan every [run] rescan seconds is the fallback (and the
 * retry of temporary failures).  SIGTERM/SIGINT: finish the current
 * message, then exit.  SIGHUP: reload config, rules and tables; keep the
 * old ones if the new fail.  SIGUSR1: rescan now (sent by `release`).
 *
 * <home>/run.pid holds the daemon's pid while it runs (`rules reload` and
 * `release` signal it).  While <home>/hold exists nothing is claimed: the
 * spool keeps filling, the flag is looked at before each claim.  With a
 * shadow rule set (shadow.h), every stored message is evaluated by it too
 * and the differences recorded, never acted on.
 *
 * Takedown batches ([notify] window) are flushed when due, once per
 * loop; the wait is cut short for the next due batch.  SIGTERM leaves
 * pending batches in the database for the next start; `run --once`
 * flushes only the due ones.
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#ifdef HAVE_SYS_INOTIFY_H
#include <sys/inotify.h>
#endif

#include "ingest/ingest_int.h"
#include "ingest/shadow.h"
#include "case/case.h"

static volatile sig_atomic_t stop_requested;
static volatile sig_atomic_t reload_requested;
static struct shadow *shadow;	/* the candidate rules, or NULL */
static gboolean work_pending;	/* spool/work not yet recovered */
static gboolean backoff;	/* a temporary failure: wait, don't retry */

static void
on_signal(int sig)
{
	if (sig == SIGHUP)
		reload_requested = 1;
	else if (sig != SIGUSR1)	/* SIGUSR1 only interrupts poll() */
		stop_requested = 1;
}

static void
install_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0;	/* no SA_RESTART: poll() returns EINTR */
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGUSR1, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

/* One claimed file: process, then remove / archive / retry / fail. */
static gboolean
handle_one(struct pipeline *p, const struct config *cfg, const char *name)
{
	struct pipeline_outcome o;
	GError *err = NULL;
	gboolean temporary;

	if (spool_process(p, cfg, name, &o, &err)) {
		g_message("%s", o.summary);
		if (shadow != NULL && !o.duplicate)
			shadow_check(shadow, pipeline_db(p), cfg, name,
			    o.msg_id);
		pipeline_outcome_clear(&o);
		if (!spool_move(cfg->spool, name,
		    cfg->archive ? "archive" : NULL, &err)) {
			g_warning("%s: %s", name, err->message);
			g_error_free(err);
		}
		return TRUE;
	}
	temporary = ingest_error_is_temporary(err);
	g_warning("%s: %s failure: %s", name,
	    temporary ? "temporary" : "permanent", err->message);
	g_clear_error(&err);
	if (!spool_move(cfg->spool, name, temporary ? "new" : "failed",
	    &err)) {
		g_warning("%s: %s", name, err->message);
		g_error_free(err);
	}
	return !temporary;	/* FALSE: back off until the next rescan */
}

/* Is <home>/hold there (abusedesk hold)? */
static gboolean
held(const struct config *cfg)
{
	char *path = g_build_filename(cfg->home, "hold", NULL);
	gboolean h = g_file_test(path, G_FILE_TEST_EXISTS);

	g_free(path);
	return h;
}

/* Processes spool/<sub>; claims from new/ first when sub is "new".
 * Stops when the hold flag appears. */
static guint
drain(struct pipeline *p, const struct config *cfg, const char *sub)
{
	GPtrArray *names = spool_list(cfg->spool, sub);
	guint i, n = 0;

	for (i = 0; i < names->len && !stop_requested; i++) {
		const char *name = g_ptr_array_index(names, i);
		GError *err = NULL;

		if (held(cfg))
			break;

		if (strcmp(sub, "new") == 0) {
			int rc = spool_claim(cfg->spool, name, &err);

			if (rc < 0) {
				g_warning("claim %s: %s", name, err->message);
				g_error_free(err);
				break;
			}
			if (rc == 0)
				continue;
		}
		n++;
		if (!handle_one(p, cfg, name)) {
			backoff = TRUE;	/* temporary failure: wait */
			break;
		}
	}
	g_ptr_array_unref(names);
	return n;
}

static void
reload(struct pipeline *p, struct config **cfgp,
    const struct run_options *opt)
{
	GError *err = NULL;
	struct config *nc = config_load(opt->home_opt, opt->config_opt, &err);

	if (nc == NULL || !pipeline_reload(p, nc, &err)) {
		g_warning("reload failed, keeping the running configuration: "
		    "%s", err->message);
		g_error_free(err);
		config_free(&nc);
		return;
	}
	config_free(cfgp);
	*cfgp = nc;
	shadow_close(&shadow);
	if ((shadow = shadow_open(nc, &err)) == NULL && err != NULL) {
		g_warning("shadow mode off: %s", err->message);
		g_clear_error(&err);
	}
	g_message("reloaded configuration, rules and tables");
}

static int
watch_open(const struct config *cfg)
{
#ifdef HAVE_SYS_INOTIFY_H
	char *dir = g_build_filename(cfg->spool, "new", NULL);
	int fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);

	if (fd >= 0 && inotify_add_watch(fd, dir, IN_MOVED_TO |
	    IN_CLOSE_WRITE) < 0) {
		g_warning("inotify on %s: %s (rescan only)", dir,
		    g_strerror(errno));
		close(fd);
		fd = -1;
	}
	g_free(dir);
	return fd;
#else
	(void)cfg;
	return -1;
#endif
}

/* wait_for_mail - until a file arrives or seconds pass; after a
 * temporary failure (backoff) the events queued so far are dropped
 * first: moving the message back into spool/new made one */
static void
wait_for_mail(int fd, guint seconds)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	char buf[4096];

	if (backoff && fd >= 0)
		while (read(fd, buf, sizeof(buf)) > 0)
			;
	if (poll(fd >= 0 ? &pfd : NULL, fd >= 0 ? 1 : 0,
	    (int)seconds * 1000) > 0 && fd >= 0)
		while (read(fd, buf, sizeof(buf)) > 0)
			;	/* drain: one scan handles every event */
}

/* <home>/run.pid: written at start, removed at exit if still ours. */
static char *
pid_write(const struct config *cfg)
{
	char *path = g_build_filename(cfg->home, "run.pid", NULL);
	char *text = g_strdup_printf("%ld\n", (long)getpid());
	GError *err = NULL;

	if (!g_file_set_contents(path, text, -1, &err)) {
		g_warning("%s", err->message);
		g_error_free(err);
	}
	g_free(text);
	return path;
}

static void
pid_remove(char *path)
{
	char *text = NULL;

	if (g_file_get_contents(path, &text, NULL, NULL) &&
	    strtol(text, NULL, 10) == (long)getpid())
		unlink(path);
	g_free(text);
	g_free(path);
}

/* After a failed flush (disk full, outbox gone, database busy) the
 * batches wait for the next rescan, not for the next second: one warning
 * per rescan interval, no busy retries. */
static gint64 flush_hold_until;

/* flush_due - renders the batches due now; logs a failure and goes on
 * (the batch stays pending and is tried again after a rescan interval) */
static void
flush_due(struct pipeline *p, guint rescan)
{
	GError *err = NULL;
	gint64 now = g_get_real_time() / G_USEC_PER_SEC;
	gint n;

	if (now < flush_hold_until)
		return;
	if ((n = pipeline_flush(p, now, FALSE, &err)) < 0) {
		g_warning("flushing takedown batches (again in %us): %s",
		    rescan, err->message);
		g_error_free(err);
		flush_hold_until = now + rescan;
	} else if (n > 0)
		g_message("flushed %d takedown batch(es) into the outbox", n);
}

/* wait_seconds - the rescan interval, or less when a batch is due
 * sooner (at least 1 s) */
static guint
wait_seconds(struct pipeline *p, guint rescan)
{
	GError *err = NULL;
	gint64 due, now = g_get_real_time() / G_USEC_PER_SEC;
	int rc = pipeline_next_due(p, &due, &err);

	if (rc < 0) {
		g_warning("%s", err->message);
		g_error_free(err);
		return rescan;
	}
	if (due < flush_hold_until)
		due = flush_hold_until;
	if (rc == 0 || due - now >= (gint64)rescan)
		return rescan;
	return due - now < 1 ? 1 : (guint)(due - now);
}

/* One pass: spool/work left by a crash first, then spool/new. */
static guint
drain_all(struct pipeline *p, const struct config *cfg)
{
	guint n;

	if (work_pending && !held(cfg)) {
		if ((n = drain(p, cfg, "work")) > 0)
			g_message("recovered %u message(s) left in "
			    "spool/work", n);
		work_pending = held(cfg);
	}
	return drain(p, cfg, "new");
}

int
ingest_run(struct config **cfgp, const struct run_options *opt)
{
	struct pipeline *p;
	GError *err = NULL;
	char *pidfile;
	guint n;
	int fd;

	install_signals();
	if ((p = pipeline_open(*cfgp, &err)) == NULL) {
		int rc = ingest_error_is_temporary(err) ? 75 : 1;

		g_critical("cannot start: %s", err->message);
		g_error_free(err);
		return rc;
	}
	if ((shadow = shadow_open(*cfgp, &err)) == NULL && err != NULL) {
		g_warning("shadow mode off: %s", err->message);
		g_clear_error(&err);
	}
	pidfile = pid_write(*cfgp);
	if ((n = pipeline_recover_outbox(p, &err)) > 0)
		g_message("recovered %u takedown(s) into the outbox", n);
	g_clear_error(&err);
	work_pending = TRUE;
	fd = opt->once ? -1 : watch_open(*cfgp);
	while (!stop_requested) {
		if (reload_requested) {
			reload_requested = 0;
			reload(p, cfgp, opt);
		}
		backoff = FALSE;
		n = drain_all(p, *cfgp);
		if (!stop_requested)
			flush_due(p, (*cfgp)->rescan);
		/* after a temporary failure the message is back in
		 * spool/new: retrying at once would spin on it */
		if (opt->once && (n == 0 || backoff || stop_requested))
			break;
		if (n == 0 || backoff)
			wait_for_mail(fd, wait_seconds(p, (*cfgp)->rescan));
	}
	if (fd >= 0)
		close(fd);
	pid_remove(pidfile);
	shadow_close(&shadow);
	pipeline_close(&p);
	return 0;
}
