/*
 * test_deliver.c: end-to-end tests of `abusedesk deliver` and the front
 * binary, run as the MTA runs them.
 *
 * Each test makes a home in a temporary directory (spool/tmp, spool/new,
 * abusedesk.conf), runs $ABUSEDESK_BUILDDIR/abusedesk with fork/exec, an
 * explicit environment and the message on a pipe, and checks the exit
 * status, the spool directories and the spool file byte by byte.  Every
 * run also checks that nothing was printed on stdout.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <glib.h>

#include "tests/helpers.h"

#define EX_TEMPFAIL	75

struct run {
	const char	*args[16];	/* after argv[0]; NULL-terminated */
	const char	*env[16];	/* extra "K=V"; NULL-terminated */
	const char	*input;
	gsize		 inlen;
	int		 keep_open;	/* never close stdin's write end */
	rlim_t		 fsize;		/* RLIMIT_FSIZE in the child, or 0 */
	/* results */
	pid_t		 pid;
	int		 in, out, err;
	int		 status;	/* exit code, or -1 when signalled */
	GString		*stdout_text, *stderr_text;
	double		 seconds;
};

static char *home;

static void
setup(void)
{
	signal(SIGPIPE, SIG_IGN);
	home = test_tmpdir();
}

static void
teardown(void)
{
	test_rm_rf(home);
	g_free(home);
}

TestSuite(deliver, .init = setup, .fini = teardown, .timeout = 10);

/* in_home - home/rel (g_free). */
static char *
in_home(const char *rel)
{
	return g_build_filename(home, rel, NULL);
}

static void
write_file(const char *rel, const char *text)
{
	char *p = in_home(rel);

	cr_assert(g_file_set_contents(p, text, -1, NULL), "%s", p);
	g_free(p);
}

/* make_home - spool/{tmp,new} (0700) and a config with extra lines. */
static void
make_home(const char *conf)
{
	const char *dirs[] = { "spool", "spool/tmp", "spool/new" };
	guint i;

	for (i = 0; i < G_N_ELEMENTS(dirs); i++) {
		char *p = in_home(dirs[i]);

		cr_assert_eq(mkdir(p, 0700), 0, "%s", p);
		g_free(p);
	}
	write_file("abusedesk.conf", conf != NULL ? conf :
	    "[main]\n[deliver]\n");
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* start - forks and execs abusedesk with r->args; feeds r->input. */
static void
start(struct run *r)
{
	char *bin = test_build_path("abusedesk");
	const char *argv[18], *envp[18];
	int in[2], out[2], err[2];
	guint i, n = 0;

	argv[0] = "abusedesk";
	for (i = 0; r->args[i] != NULL; i++)
		argv[i + 1] = r->args[i];
	argv[i + 1] = NULL;
	envp[n++] = "PATH=/usr/bin:/bin";
	for (i = 0; r->env[i] != NULL; i++)
		envp[n++] = r->env[i];
	envp[n] = NULL;
	cr_assert_eq(pipe2(in, O_CLOEXEC), 0);
	cr_assert_eq(pipe2(out, O_CLOEXEC), 0);
	cr_assert_eq(pipe2(err, O_CLOEXEC), 0);
	r->seconds = now();
	r->pid = fork();
	cr_assert_neq(r->pid, -1);
	if (r->pid == 0) {
		struct rlimit rl = { r->fsize, r->fsize };

		dup2(in[0], 0);
		dup2(out[1], 1);
		dup2(err[1], 2);
		if (r->fsize != 0)
			setrlimit(RLIMIT_FSIZE, &rl);
		execve(bin, (char **)argv, (char **)envp);
		_exit(127);
	}
	g_free(bin);
	close(in[0]);
	close(out[1]);
	close(err[1]);
	r->in = in[1];
	r->out = out[0];
	r->err = err[0];
	if (r->input != NULL) {
		const char *p = r->input;
		gsize left = r->inlen;

		while (left > 0) {
			ssize_t w = write(r->in, p, left);

			if (w < 0)
				break;	/* EPIPE: it gave up early */
			p += w;
			left -= (gsize)w;
		}
	}
	if (!r->keep_open) {
		close(r->in);
		r->in = -1;
	}
}

/* finish - collects stdout, stderr and the exit status. */
static void
finish(struct run *r)
{
	struct pollfd pf[2] = { { r->out, POLLIN, 0 }, { r->err, POLLIN, 0 } };
	GString *dst[2];
	char buf[4096];
	int open_fds = 2, ws, i;

	r->stdout_text = dst[0] = g_string_new(NULL);
	r->stderr_text = dst[1] = g_string_new(NULL);
	while (open_fds > 0) {
		if (poll(pf, 2, -1) < 0 && errno != EINTR)
			break;
		for (i = 0; i < 2; i++) {
			ssize_t n;

			if (pf[i].fd < 0 || pf[i].revents == 0)
				continue;
			if ((n = read(pf[i].fd, buf, sizeof(buf))) > 0) {
				g_string_append_len(dst[i], buf, n);
				continue;
			}
			close(pf[i].fd);
			pf[i].fd = -1;
			open_fds--;
		}
	}
	cr_assert_eq(waitpid(r->pid, &ws, 0), r->pid);
	r->seconds = now() - r->seconds;
	if (r->in >= 0)
		close(r->in);
	r->status = WIFEXITED(ws) ? WEXITSTATUS(ws) : -1;
	cr_expect_str_eq(r->stdout_text->str, "", "stdout must stay empty");
}

static void
run(struct run *r)
{
	start(r);
	finish(r);
}

static void
run_free(struct run *r)
{
	g_string_free(r->stdout_text, TRUE);
	g_string_free(r->stderr_text, TRUE);
}

/* entries - the names in home/rel, sorted (g_strfreev); NULL if no dir. */
static char **
entries(const char *rel)
{
	char *p = in_home(rel);
	GDir *d = g_dir_open(p, 0, NULL);
	GPtrArray *a;
	const char *n;

	g_free(p);
	if (d == NULL)
		return NULL;
	a = g_ptr_array_new();
	while ((n = g_dir_read_name(d)) != NULL)
		g_ptr_array_add(a, g_strdup(n));
	g_dir_close(d);
	g_ptr_array_sort(a, (GCompareFunc)g_strcmp0);
	g_ptr_array_add(a, NULL);
	return (char **)g_ptr_array_free(a, FALSE);
}

static guint
count(const char *rel)
{
	char **e = entries(rel);
	guint n = e != NULL ? g_strv_length(e) : 0;

	g_strfreev(e);
	return n;
}

static char *
sha256_hex(const char *data, gsize len)
{
	return g_compute_checksum_for_data(G_CHECKSUM_SHA256,
	    (const guchar *)data, len);
}

/* message - a test message of len bytes (g_free). */
static char *
message(gsize len)
{
	static const char head[] = "From: a@example.net\r\nSubject: t\r\n\r\n";
	char *m = g_malloc(len + 1);
	gsize i;

	for (i = 0; i < len; i++)
		m[i] = i < sizeof(head) - 1 ? head[i] : (char)('a' + i % 26);
	m[len] = '\0';
	return m;
}

/* spooled - the one file in spool/new: header into *hdr, body into
 * *body (both g_free); checks mode 0600 and an empty spool/tmp. */
static void
spooled(char **hdr, char **body, gsize *bodylen)
{
	char **e = entries("spool/new"), *p, *text, *sep;
	gsize len;
	struct stat st;

	cr_assert_not_null(e);
	cr_assert_eq(g_strv_length(e), 1, "files in spool/new");
	cr_expect_eq(count("spool/tmp"), 0, "files left in spool/tmp");
	p = g_build_filename(home, "spool/new", e[0], NULL);
	cr_assert_eq(stat(p, &st), 0);
	cr_expect_eq(st.st_mode & 07777, 0600);
	cr_assert(g_file_get_contents(p, &text, &len, NULL));
	sep = g_strstr_len(text, len, "\n\n");
	cr_assert_not_null(sep);
	*hdr = g_strndup(text, sep - text + 2);
	*bodylen = len - (gsize)(sep + 2 - text);
	*body = g_memdup2(sep + 2, *bodylen);
	g_free(text);
	g_free(p);
	g_strfreev(e);
}

/* expect_header - hdr equals the header built from the other fields,
 * with received-at between before and now. */
static void
expect_header(const char *hdr, time_t before, const char *envelope,
    gsize size, const char *sha, int quarantined)
{
	long long t = 0;
	char *want;

	cr_assert_eq(sscanf(hdr, "ABUSEDESK-SPOOL 1\nreceived-at: %lld\n", &t),
	    1, "%s", hdr);
	cr_expect(t >= before && t <= time(NULL), "received-at %lld", t);
	want = g_strdup_printf("ABUSEDESK-SPOOL 1\nreceived-at: %lld\n%s"
	    "size: %zu\nsha256: %s\n%s\n", t, envelope, size, sha,
	    quarantined ? "quarantine: oversize\n" : "");
	cr_expect_str_eq(hdr, want);
	g_free(want);
}

Test(deliver, message_is_spooled_with_envelope_from_options)
{
	struct run r = { .args = { "deliver", "-f", "rep@example.net", "-r",
	    "abuse@example.jp", "--home", home, NULL } };
	char *msg = message(3000), *sha = sha256_hex(msg, 3000), *hdr, *body;
	time_t before = time(NULL);
	gsize blen;

	make_home(NULL);
	r.env[0] = "SENDER=ignored@example.org";
	r.input = msg;
	r.inlen = 3000;
	run(&r);
	cr_assert_eq(r.status, 0, "stderr: %s", r.stderr_text->str);
	cr_expect_str_eq(r.stderr_text->str, "");
	spooled(&hdr, &body, &blen);
	expect_header(hdr, before, "sender: rep@example.net\n"
	    "recipient: abuse@example.jp\n", 3000, sha, 0);
	cr_assert_eq(blen, 3000);
	cr_expect_arr_eq(body, msg, 3000);
	g_free(hdr);
	g_free(body);
	g_free(sha);
	g_free(msg);
	run_free(&r);
}

Test(deliver, envelope_comes_from_postfix_environment_without_options)
{
	struct run r = { .args = { "deliver", NULL } };
	char *henv = g_strdup_printf("ABUSEDESK_HOME=%s", home);
	char *sha = sha256_hex("x\n", 2), *hdr, *body;
	time_t before = time(NULL);
	gsize blen;

	make_home(NULL);
	r.env[0] = henv;
	r.env[1] = "SENDER=fbl@example.com";
	r.env[2] = "RECIPIENT=report@example.jp";
	r.env[3] = "ORIGINAL_RECIPIENT=Report@Example.JP\r\nX-Evil: 1";
	r.input = "x\n";
	r.inlen = 2;
	run(&r);
	cr_assert_eq(r.status, 0, "stderr: %s", r.stderr_text->str);
	spooled(&hdr, &body, &blen);
	expect_header(hdr, before, "sender: fbl@example.com\n"
	    "recipient: report@example.jp\n"
	    "original-recipient: Report@Example.JP??X-Evil: 1\n", 2, sha, 0);
	cr_expect_eq(blen, 2);
	g_free(hdr);
	g_free(body);
	g_free(sha);
	g_free(henv);
	run_free(&r);
}

Test(deliver, empty_message_without_envelope_is_spooled)
{
	struct run r = { .args = { "--home", home, "deliver", NULL } };
	char *sha = sha256_hex("", 0), *hdr, *body;
	time_t before = time(NULL);
	gsize blen;

	make_home(NULL);
	run(&r);
	cr_assert_eq(r.status, 0, "stderr: %s", r.stderr_text->str);
	spooled(&hdr, &body, &blen);
	expect_header(hdr, before, "", 0, sha, 0);
	cr_expect_eq(blen, 0);
	g_free(hdr);
	g_free(body);
	g_free(sha);
	run_free(&r);
}

Test(deliver, input_larger_than_a_pipe_is_stored_byte_identical)
{
	struct run r = { .args = { "deliver", "--home", home, NULL } };
	gsize len = 700 * 1024 + 17;
	char *msg = message(len), *hdr, *body;
	gsize blen;

	make_home(NULL);
	r.input = msg;
	r.inlen = len;
	run(&r);
	cr_assert_eq(r.status, 0, "stderr: %s", r.stderr_text->str);
	spooled(&hdr, &body, &blen);
	cr_assert_eq(blen, len);
	cr_expect_arr_eq(body, msg, len);
	g_free(hdr);
	g_free(body);
	g_free(msg);
	run_free(&r);
}

Test(deliver, oversize_message_is_cut_hashed_whole_and_quarantined)
{
	struct run r = { .args = { "deliver", "--home", home, NULL } };
	char *msg = message(5120), *sha = sha256_hex(msg, 5120), *hdr, *body;
	time_t before = time(NULL);
	gsize blen;

	make_home("[main]\n[deliver]\nmax_size = 1K\n[run]\nother = 1\n");
	r.input = msg;
	r.inlen = 5120;
	run(&r);
	cr_assert_eq(r.status, 0, "stderr: %s", r.stderr_text->str);
	spooled(&hdr, &body, &blen);
	expect_header(hdr, before, "", 5120, sha, 1);
	cr_assert_eq(blen, 1024);
	cr_expect_arr_eq(body, msg, 1024);
	g_free(hdr);
	g_free(body);
	g_free(sha);
	g_free(msg);
	run_free(&r);
}

Test(deliver, missing_spool_fails_with_tempfail_and_creates_nothing)
{
	struct run r = { .args = { "deliver", "--home", home, NULL } };
	char *p = in_home("spool");

	write_file("abusedesk.conf", "[main]\n");
	r.input = "x\n";
	r.inlen = 2;
	run(&r);
	cr_expect_eq(r.status, EX_TEMPFAIL);
	cr_expect(strstr(r.stderr_text->str, "run abusedesk init") != NULL,
	    "%s", r.stderr_text->str);
	cr_expect(g_str_has_prefix(r.stderr_text->str, "abusedesk deliver: "));
	cr_expect_eq(strchr(r.stderr_text->str, '\n') -
	    r.stderr_text->str + 1, (long)r.stderr_text->len, "one line");
	cr_expect_eq(access(p, F_OK), -1, "spool was created");
	cr_expect_eq(count(""), 1);
	g_free(p);
	run_free(&r);
}

Test(deliver, spool_new_that_is_a_file_fails_with_tempfail)
{
	struct run r = { .args = { "deliver", "--home", home, NULL } };
	char *p = in_home("spool/new"), *text = NULL;

	make_home(NULL);
	cr_assert_eq(rmdir(p), 0);
	write_file("spool/new", "not a directory\n");
	r.input = "x\n";
	r.inlen = 2;
	run(&r);
	cr_expect_eq(r.status, EX_TEMPFAIL);
	cr_expect(strstr(r.stderr_text->str, "not a directory") != NULL,
	    "%s", r.stderr_text->str);
	cr_assert(g_file_get_contents(p, &text, NULL, NULL));
	cr_expect_str_eq(text, "not a directory\n");
	cr_expect_eq(count("spool/tmp"), 0);
	g_free(text);
	g_free(p);
	run_free(&r);
}

Test(deliver, full_disk_fails_with_tempfail_and_leaves_nothing)
{
	struct run r = { .args = { "deliver", "--home", home, NULL } };
	char *msg = message(5120);

	make_home(NULL);
	r.input = msg;
	r.inlen = 5120;
	r.fsize = 2048;
	run(&r);
	cr_expect_eq(r.status, EX_TEMPFAIL, "stderr: %s", r.stderr_text->str);
	cr_expect(strstr(r.stderr_text->str, "File too large") != NULL, "%s",
	    r.stderr_text->str);
	cr_expect_eq(count("spool/new"), 0);
	cr_expect_eq(count("spool/tmp"), 0);
	g_free(msg);
	run_free(&r);
}

struct bad_case {
	const char	*conf;		/* NULL: no file */
	const char	*args[4];	/* after deliver --home H */
	const char	*reason;	/* part of stderr */
};

Test(deliver, bad_config_or_usage_fails_with_tempfail, .timeout = 60)
{
	static const struct bad_case cases[] = {
		{ NULL, { NULL }, "No such file or directory" },
		{ "DIR", { NULL }, "Is a directory" },
		{ "[deliver]\nmax_size = lots\n", { NULL },
		  "abusedesk.conf:2: [deliver] max_size: bad value 'lots'" },
		{ "[deliver]\ndeadline = 0\n", { NULL },
		  "[deliver] deadline: bad value '0'" },
		{ "junk\n", { NULL }, "abusedesk.conf:1: expected" },
		{ "[main]\n", { "-x", NULL }, "unknown option -x" },
		{ "[main]\n", { "--bogus", NULL }, "unknown option --bogus" },
		{ "[main]\n", { "-f", NULL }, "option -f needs a value" },
		{ "[main]\n", { "stray", NULL }, "unexpected argument stray" },
	};
	guint i, j;

	make_home(NULL);
	for (i = 0; i < G_N_ELEMENTS(cases); i++) {
		struct run r = { .args = { "deliver", "--home", home } };
		char *conf = in_home("abusedesk.conf");

		test_rm_rf(conf);
		if (cases[i].conf != NULL && strcmp(cases[i].conf, "DIR") == 0)
			cr_assert_eq(mkdir(conf, 0700), 0);
		else if (cases[i].conf != NULL)
			write_file("abusedesk.conf", cases[i].conf);
		for (j = 0; cases[i].args[j] != NULL; j++)
			r.args[3 + j] = cases[i].args[j];
		r.input = "x\n";
		r.inlen = 2;
		run(&r);
		cr_expect_eq(r.status, EX_TEMPFAIL, "case %u", i);
		cr_expect(strstr(r.stderr_text->str, cases[i].reason) != NULL,
		    "case %u: %s", i, r.stderr_text->str);
		cr_expect_eq(count("spool/new"), 0, "case %u", i);
		cr_expect_eq(count("spool/tmp"), 0, "case %u", i);
		g_free(conf);
		run_free(&r);
	}
}

Test(deliver, deadline_on_a_stalled_pipe_fails_with_tempfail, .timeout = 20)
{
	struct run r = { .args = { "deliver", "--home", home, NULL } };

	make_home("[deliver]\ndeadline = 1\n");
	r.input = "From: a@example.net\n\npartial";
	r.inlen = strlen(r.input);
	r.keep_open = 1;
	run(&r);
	cr_expect_eq(r.status, EX_TEMPFAIL);
	cr_expect_lt(r.seconds, 3.0);
	cr_expect(strstr(r.stderr_text->str, "deadline") != NULL, "%s",
	    r.stderr_text->str);
	cr_expect_eq(count("spool/new"), 0);
	cr_expect_eq(count("spool/tmp"), 0);
	run_free(&r);
}

Test(deliver, concurrent_deliveries_make_distinct_files, .timeout = 120)
{
	struct run r[20];
	char *msg = message(2000);
	guint i;

	make_home(NULL);
	memset(r, 0, sizeof(r));
	for (i = 0; i < G_N_ELEMENTS(r); i++) {
		r[i].args[0] = "deliver";
		r[i].args[1] = "--home";
		r[i].args[2] = home;
		r[i].input = msg;
		r[i].inlen = 2000;
		start(&r[i]);
	}
	for (i = 0; i < G_N_ELEMENTS(r); i++) {
		finish(&r[i]);
		cr_expect_eq(r[i].status, 0, "%s", r[i].stderr_text->str);
		run_free(&r[i]);
	}
	cr_expect_eq(count("spool/new"), 20);
	cr_expect_eq(count("spool/tmp"), 0);
	g_free(msg);
}

Test(deliver, home_comes_from_config_named_by_environment)
{
	struct run r = { .args = { "deliver", NULL } };
	char *conf = g_build_filename(home, "etc.conf", NULL);
	char *cenv = g_strdup_printf("ABUSEDESK_CONFIG=%s", conf);
	char *text = g_strdup_printf("[main]\nhome = %s\n", home);

	make_home(NULL);
	write_file("etc.conf", text);
	r.env[0] = cenv;
	r.input = "x\n";
	r.inlen = 2;
	run(&r);
	cr_expect_eq(r.status, 0, "%s", r.stderr_text->str);
	cr_expect_eq(count("spool/new"), 1);
	g_free(text);
	g_free(cenv);
	g_free(conf);
	run_free(&r);
}

Test(deliver, home_option_wins_over_environment_and_config)
{
	struct run r = { .args = { "--home", "/nonexistent", "deliver",
	    "--home", home, NULL } };

	make_home("[main]\nhome = /also/nonexistent\n");
	r.env[0] = "ABUSEDESK_HOME=/nonexistent/too";
	r.input = "x\n";
	r.inlen = 2;
	run(&r);
	cr_expect_eq(r.status, 0, "%s", r.stderr_text->str);
	cr_expect_eq(count("spool/new"), 1);
	run_free(&r);
}

Test(deliver, other_commands_exec_the_core_with_the_same_arguments)
{
	struct run r = { .args = { "--home", "/h", "rules", "check", "-v",
	    NULL } };
	char *core = in_home("core.sh"), *cenv;

	write_file("core.sh", "#!/bin/sh\necho \"$*\" >&2\nexit 3\n");
	cr_assert_eq(chmod(core, 0700), 0);
	cenv = g_strdup_printf("ABUSEDESK_CORE=%s", core);
	r.env[0] = cenv;
	run(&r);
	cr_expect_eq(r.status, 3);
	cr_expect_str_eq(r.stderr_text->str, "--home /h rules check -v\n");
	g_free(cenv);
	g_free(core);
	run_free(&r);
}

Test(deliver, missing_core_is_reported_with_exit_1)
{
	struct run r = { .args = { "status", NULL } };

	r.env[0] = "ABUSEDESK_CORE=/nonexistent/abusedesk-core";
	run(&r);
	cr_expect_eq(r.status, 1);
	cr_expect_str_eq(r.stderr_text->str, "abusedesk: cannot run "
	    "abusedesk-core: /nonexistent/abusedesk-core: No such file or "
	    "directory\n");
	run_free(&r);
}
