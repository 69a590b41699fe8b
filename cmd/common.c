/*
 * common.c: what several commands share on the terminal side: SIGINT as a
 * cancel flag, human sizes, warnings, and the throttled progress line.
 */
#include "buildconf.h"

#include "cmd/cmd.h"

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "cmd/opt.h"
#include "core/buf.h"
#include "core/config.h"
#include "core/fsutil.h"
#include "core/lock.h"
#include "core/name.h"
#include "core/par.h"
#include "core/repo.h"
#include "core/tempfile.h"
#include "core/work.h"
#include "core/xmalloc.h"

static volatile sig_atomic_t cmd_signal;

static void cmd_on_signal(int sig)
{
	if (cmd_signal) {
		/* second interrupt: stop now, leaving no temp file behind */
		tempfile_cleanup_all();
		signal(sig, SIG_DFL);
		raise(sig);
	}
	cmd_signal = sig;
}

void cmd_signals_init(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = cmd_on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

int cmd_signal_received(void)
{
	return cmd_signal;
}

const struct cairn_error *cmd_cancelled(void *arg)
{
	(void)arg;
	if (cmd_signal)
		return err_new(CAIRN_ERR_CANCELLED, "interrupted");
	return NULL;
}

const char *cmd_size(uint64_t bytes)
{
	static _Thread_local char ring[4][32];
	static _Thread_local unsigned next;
	static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB", "PiB" };
	char *s = ring[next++ % 4];
	double v = (double)bytes;
	int u = 0;

	while (v >= 1024 && u < 5) {
		v /= 1024;
		u++;
	}
	if (u == 0)
		snprintf(s, 32, "%llu B", (unsigned long long)bytes);
	else
		snprintf(s, 32, "%.1f %s", v, units[u]);
	return s;
}

void cmd_hint_git_add(const char *const *paths, size_t n)
{
	size_t i;

	fflush(stdout);
	fputs("cairn: hint: record the change in git: git add -A --", stderr);
	for (i = 0; i < n && i < 6; i++)
		fprintf(stderr, " '%s'", paths[i]);
	fputs(i < n ? " ...\n" : "\n", stderr);
}

char *cmd_escape(const char *text)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t i = 0, n = strlen(text);
	struct buf b = BUF_INIT;

	buf_init(&b);
	while (i < n) {
		size_t len = s[i] < 0x80 ? 1 : s[i] >= 0xf0 ? 4 : s[i] >= 0xe0 ? 3 : 2;

		if (s[i] >= 0x80 && i + len <= n && name_utf8_valid(text + i, len)) {
			buf_add(&b, s + i, len);
			i += len;
			continue;
		}
		if (s[i] < 0x20 || s[i] >= 0x7f)
			buf_addf(&b, "\\x%02x", s[i]);
		else
			buf_addch(&b, (char)s[i]);
		i++;
	}
	return buf_detach(&b);
}

void cmd_print_line(FILE *f, const char *prefix, const char *text)
{
	char *t = cmd_escape(text);

	fprintf(f, "%s%s\n", prefix, t);
	free(t);
}

static char *cmd_base64(const unsigned char *s, size_t n)
{
	static const char digits[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	struct buf b = BUF_INIT;
	size_t i;

	buf_init(&b);
	for (i = 0; i < n; i += 3) {
		unsigned long v = (unsigned long)s[i] << 16;

		if (i + 1 < n)
			v |= (unsigned long)s[i + 1] << 8;
		if (i + 2 < n)
			v |= s[i + 2];
		buf_addch(&b, digits[(v >> 18) & 63]);
		buf_addch(&b, digits[(v >> 12) & 63]);
		buf_addch(&b, i + 1 < n ? digits[(v >> 6) & 63] : '=');
		buf_addch(&b, i + 2 < n ? digits[v & 63] : '=');
	}
	return buf_detach(&b);
}

const struct cairn_error *cmd_setting_value(char **out, const char *key, const char *value)
{
	struct buf b = BUF_INIT;
	int ch;

	*out = NULL;
	if (strcmp(value, "-") != 0 || !config_key_is_secret(key)) {
		*out = xstrdup(value);
		return NULL;
	}
	buf_init(&b);
	while ((ch = getchar()) != EOF && ch != '\n') {
		if (b.len >= 4096) {
			buf_release(&b);
			return err_new(CAIRN_ERR_FAILED, "the value of '%s' on standard input is too long",
				       key);
		}
		buf_addch(&b, (char)ch);
	}
	if (b.len && b.s[b.len - 1] == '\r')
		b.s[--b.len] = '\0';
	if (b.len == 0) {
		buf_release(&b);
		return err_new(CAIRN_ERR_FAILED, "'-' reads the value of '%s' from standard input, "
						"which gave none", key);
	}
	*out = buf_detach(&b);
	return NULL;
}

json_t *cmd_json_count(uint64_t v)
{
	return json_integer(v > (uint64_t)INT64_MAX ? INT64_MAX : (json_int_t)v);
}

void cmd_json_path(json_t *obj, const char *key, const char *path)
{
	char *shown, *raw, *rawkey;

	if (name_utf8_valid(path, strlen(path))) {
		json_object_set_new(obj, key, json_string(path));
		return;
	}
	shown = cmd_escape(path);
	raw = cmd_base64((const unsigned char *)path, strlen(path));
	rawkey = xasprintf("%s_base64", key);
	json_object_set_new(obj, key, json_string(shown));
	json_object_set_new(obj, rawkey, json_string(raw));
	free(shown);
	free(raw);
	free(rawkey);
}

void cmd_report(const struct cairn_error *e)
{
	fflush(stdout);
	cmd_print_line(stderr, "cairn: error: ", e->msg);
	if (e->hint)
		cmd_print_line(stderr, "cairn: hint: ", e->hint);
}

/* Flush stdout, then print prefix and the formatted text as one line on stderr. */
static void cmd_vline(const char *prefix, const char *fmt, va_list ap)
{
	va_list aq;
	int n;

	fflush(stdout); /* results already printed come first in a shared log */
	va_copy(aq, ap);
	n = vsnprintf(NULL, 0, fmt, aq);
	va_end(aq);
	if (n > 0) {
		char *text = xmalloc((size_t)n + 1);

		vsnprintf(text, (size_t)n + 1, fmt, ap);
		cmd_print_line(stderr, prefix, text);
		free(text);
	}
}

void cmd_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cmd_vline("cairn: warning: ", fmt, ap);
	va_end(ap);
}

void cmd_hint(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cmd_vline("cairn: hint: ", fmt, ap);
	va_end(ap);
}

void cmd_note(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cmd_vline("cairn: ", fmt, ap);
	va_end(ap);
}

struct progress {
	const char *what;
	const char *unit; /* "files" */
	int64_t last_ns;
	int64_t start_ns;
	bool drawn;
	int width;
};

struct progress *progress_new(const struct cmd_ctx *c, const char *what)
{
	struct progress *p;
	const char *ci = getenv("CI"), *cols = getenv("COLUMNS");
	struct winsize ws;

	if (c->quiet || !isatty(2) || (ci && *ci))
		return NULL;
	p = xcalloc(1, sizeof(*p));
	p->what = what;
	p->unit = "files";
	p->start_ns = fs_now_ns();
	p->width = 80;
	if (cols && atoi(cols) > 20)
		p->width = atoi(cols);
	else if (ioctl(2, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 20)
		p->width = ws.ws_col;
	return p;
}

static void progress_draw(struct progress *p, uint64_t done, uint64_t total, uint64_t bytes,
			  uint64_t bytes_total)
{
	char line[256];
	double secs = (double)(fs_now_ns() - p->start_ns) / 1e9;
	int n;

	n = snprintf(line, sizeof(line), "%s: %llu/%llu %s", p->what, (unsigned long long)done,
		     (unsigned long long)total, p->unit);
	if (bytes_total && n > 0 && (size_t)n < sizeof(line))
		n += snprintf(line + n, sizeof(line) - (size_t)n, ", %s/%s, %s/s", cmd_size(bytes),
			      cmd_size(bytes_total), cmd_size(secs > 0 ? (uint64_t)(bytes / secs) : 0));
	if (n >= p->width)
		line[p->width - 1] = '\0';
	fprintf(stderr, "\r%-*s", p->width - 1, line);
	fflush(stderr);
	p->drawn = true;
}

void progress_update(struct progress *p, uint64_t done, uint64_t total, uint64_t bytes,
		     uint64_t bytes_total)
{
	int64_t now;

	if (p == NULL)
		return;
	now = fs_now_ns();
	if (now - p->last_ns < 100000000) /* 10 Hz */
		return;
	if (!p->drawn && now - p->start_ns < 500000000)
		return; /* quick jobs draw nothing */
	p->last_ns = now;
	progress_draw(p, done, total, bytes, bytes_total);
}

void progress_unit(struct progress *p, const char *unit)
{
	if (p)
		p->unit = unit;
}

void progress_clear(struct progress *p)
{
	if (p == NULL || !p->drawn)
		return;
	fprintf(stderr, "\r%-*s\r", p->width - 1, "");
	fflush(stderr);
	p->drawn = false;
	p->last_ns = 0;
}

void progress_done(struct progress *p)
{
	if (p == NULL)
		return;
	if (p->drawn)
		fprintf(stderr, "\r%-*s\r", p->width - 1, "");
	free(p);
}

void cmd_digest_progress(uint64_t files, uint64_t files_total, uint64_t bytes,
			 uint64_t bytes_total, void *arg)
{
	progress_update(arg, files, files_total, bytes, bytes_total);
}

const struct cairn_error *cmd_work_open(struct work *w, struct cmd_ctx *c)
{
	const struct cairn_error *e = work_open(w, c->repo);

	if (e)
		return e;
	w->digest.cancel = cmd_cancelled;
	return NULL;
}

const struct cairn_error *cmd_subcommand(struct cmd_ctx *c, const struct cmd_entry *const *subs)
{
	const struct cmd_entry *sub = NULL;
	const struct cairn_error *e;
	struct opt_values vals;
	struct cmd_ctx sc = *c;
	struct buf b = BUF_INIT;
	bool help;
	int i;

	/* the error and the command's usage line, which names every subcommand */
	if (c->argc == 0)
		return err_new(CAIRN_ERR_USAGE, "a subcommand is needed");
	if (strcmp(c->argv[0], "-h") == 0 || strcmp(c->argv[0], "--help") == 0) {
		buf_init(&b);
		for (i = 0; subs[i]; i++) {
			if (i)
				buf_adds(&b, "\n");
			opt_help(&b, subs[i]);
		}
		fputs(b.s, stdout);
		buf_release(&b);
		return NULL;
	}
	for (i = 0; subs[i]; i++)
		if (strcmp(strchr(subs[i]->name, ' ') + 1, c->argv[0]) == 0)
			sub = subs[i];
	if (sub == NULL)
		return err_new(CAIRN_ERR_USAGE, "unknown subcommand '%s'", c->argv[0]);
	if ((e = opt_parse(&vals, &sc.argc, &sc.argv, sub, &help)) != NULL) {
		opt_values_release(&vals);
		return err_hint(e, "usage: see 'cairn %s --help'", sub->name);
	}
	sc.opt = &vals;
	sc.quiet |= vals.quiet;
	if (help) {
		buf_init(&b);
		opt_help(&b, sub);
		fputs(b.s, stdout);
		buf_release(&b);
	} else if (sc.argc < sub->min_args || (sub->max_args >= 0 && sc.argc > sub->max_args)) {
		e = err_hint(err_new(CAIRN_ERR_USAGE, "too %s arguments",
				     sc.argc < sub->min_args ? "few" : "many"),
			     "usage: see 'cairn %s --help'", sub->name);
	} else {
		e = cmd_run(&sc, sub);
	}
	c->exit_code = sc.exit_code;
	c->repo = sc.repo; /* closed by the dispatcher */
	opt_values_release(&vals);
	return e;
}

void cmd_table(char **cells, size_t ncols, size_t nrows)
{
	size_t *w = xcalloc(ncols, sizeof(size_t)), r, k;

	for (r = 0; r < nrows; r++)
		for (k = 0; k < ncols; k++)
			if (strlen(cells[r * ncols + k]) > w[k])
				w[k] = strlen(cells[r * ncols + k]);
	for (r = 0; r < nrows; r++) {
		for (k = 0; k < ncols; k++) {
			if (k + 1 < ncols)
				printf("%-*s  ", (int)w[k], cells[r * ncols + k]);
			else
				printf("%s", cells[r * ncols + k]);
		}
		printf("\n");
	}
	free(w);
}

static void cmd_on_lock_wait(pid_t holder, void *arg)
{
	const struct cmd_ctx *c = arg;

	if (c->quiet)
		return;
	if (holder > 0)
		fprintf(stderr, "cairn: waiting for the lock held by pid %ld\n", (long)holder);
	else
		fprintf(stderr, "cairn: waiting for the lock held by another cairn process\n");
}

static void cmd_on_cache_wait(pid_t holder, void *arg)
{
	const struct cmd_ctx *c = arg;

	if (c->quiet)
		return;
	if (holder > 0)
		fprintf(stderr, "cairn: waiting for the cache lock held by pid %ld (cairn gc)\n",
			(long)holder);
	else
		fprintf(stderr, "cairn: waiting for the cache lock held by other cairn processes\n");
}

static const struct cairn_error *cmd_lock_timeout(int *ms, struct cmd_ctx *c)
{
	const struct cairn_error *e;
	int64_t timeout;

	if ((e = config_get_int(&timeout, c->repo->cfg, "core.lockTimeout", 5)) != NULL)
		return e;
	if (timeout < 0)
		timeout = 0;
	if (timeout > 24 * 3600)
		timeout = 24 * 3600;
	*ms = (int)(timeout * 1000);
	return NULL;
}

const struct cairn_error *cmd_lock(struct lock **out, struct cmd_ctx *c)
{
	const struct cairn_error *e;
	char *path;
	int ms;

	*out = NULL;
	if ((e = cmd_lock_timeout(&ms, c)) != NULL)
		return e;
	if ((e = fs_mkdirs(c->repo->tmp_dir, 0777)) != NULL)
		return e;
	path = fs_join(c->repo->tmp_dir, "lock");
	e = lock_acquire(out, path, LOCK_F_INHERIT, ms, cmd_on_lock_wait, cmd_cancelled, c);
	free(path);
	return e;
}

const struct cairn_error *cmd_cache_lock(struct lock **out, struct cmd_ctx *c, bool exclusive)
{
	const struct cairn_error *e;
	char *dir, *path;
	int ms;

	*out = NULL;
	if ((e = cmd_lock_timeout(&ms, c)) != NULL)
		return e;
	dir = repo_cache_dir(c->repo);
	path = fs_join(dir, "lock");
	e = fs_mkdirs(dir, 0777);
	if (e == NULL)
		e = lock_acquire(out, path, exclusive ? 0 : LOCK_F_SHARED, ms, cmd_on_cache_wait,
				 cmd_cancelled, c);
	if (err_is(e, CAIRN_ERR_LOCKED))
		e = err_hint(err_wrap(e, "cache '%s'", dir),
			     exclusive ? "other cairn commands are adding objects to it; wait for "
					 "them to finish, or raise core.lockTimeout"
				       : "cairn gc is collecting it; wait for it to finish, or raise "
					 "core.lockTimeout");
	else if (e && !exclusive && (e->sys_errno == EACCES || e->sys_errno == EROFS))
		e = NULL; /* a cache this process cannot write: it adds nothing there */
	free(path);
	free(dir);
	return e;
}

const struct cairn_error *cmd_jobs(int *out, const char *text)
{
	return par_jobs_parse(out, "--jobs", text, PAR_JOBS_MAX);
}
