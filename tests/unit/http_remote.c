/*
 * tests/unit/http_remote.c: the read-only HTTP backend (and the transfer
 * engine under it) against Python's http.server serving a folder laid out
 * like a remote: present, missing, zero-byte and corrupt objects, many
 * objects over few connections, refusals of put, del and list, and an
 * unreachable server. Skipped when /usr/bin/python3 cannot run.
 */
#include "buildconf.h"

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/cache.h"
#include "core/config.h"
#include "core/gitutil.h"
#include "core/hash.h"
#include "core/xmalloc.h"
#include "remotes/http.h"
#include "remotes/remote.h"
#include "tests/unit/tap.h"

static char *dir;
static pid_t server;
static int port;

/* Put data at srv/sha256/xx/<62 hex> under the id of name_data (normally data itself). */
static struct oid serve(const char *name_data, size_t nlen, const char *data, size_t len)
{
	char hex[CAIRN_OID_HEXLEN + 1], *p;
	struct oid id;
	int fd;

	hash_buf(&id, name_data, nlen);
	oid_tohex(hex, &id);
	p = xasprintf("%s/srv/sha256/%.2s", dir, hex);
	mkdir(p, 0755);
	free(p);
	p = xasprintf("%s/srv/sha256/%.2s/%s", dir, hex, hex + 2);
	if ((fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0644)) < 0 ||
	    (len && write(fd, data, len) != (ssize_t)len) || close(fd) != 0)
		bail("cannot write %s", p);
	free(p);
	return id;
}

/* Start python3 -m http.server on a free port of 127.0.0.1; false when it cannot. */
static bool start_server(void)
{
	char *srv = xasprintf("%s/srv", dir), line[512];
	int fds[2];
	FILE *f;

	if (access("/usr/bin/python3", X_OK) != 0 || pipe(fds) != 0)
		return false;
	if ((server = fork()) == 0) {
		int null = open("/dev/null", O_WRONLY);

		dup2(null, 2); /* its request log */
		dup2(fds[1], 1);
		close(fds[0]);
		close(fds[1]);
		execl("/usr/bin/python3", "python3", "-u", "-m", "http.server", "--bind",
		      "127.0.0.1", "--directory", srv, "0", (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	free(srv);
	if (server < 0)
		return false;
	f = fdopen(fds[0], "r");
	while (f && fgets(line, sizeof(line), f)) {
		char *p = strstr(line, " port ");

		if (p && (port = atoi(p + 6)) > 0)
			break;
	}
	if (f)
		fclose(f); /* the server's later output goes to a closed pipe: it ignores that */
	return port > 0;
}

static void stop_server(void)
{
	if (server > 0) {
		kill(server, SIGTERM);
		waitpid(server, NULL, 0);
	}
}

static const struct cairn_error *open_http(struct remote **r, struct config **cfg,
					   const char *url)
{
	const struct cairn_error *e;
	char *p = xasprintf("%s/cairn/config", dir), *text, *cd = xasprintf("%s/cairn", dir);
	FILE *f;

	text = xasprintf("[remote \"h\"]\n\turl = %s\n\tjobs = 3\n\tretries = 0\n", url);
	if ((f = fopen(p, "w")) == NULL || fputs(text, f) < 0 || fclose(f) != 0)
		bail("cannot write %s", p);
	free(text);
	free(p);
	e = config_open(cfg, cd);
	free(cd);
	if (e == NULL && (e = http_remote_open(r, "h", url, *cfg, dir)) != NULL) {
		config_close(*cfg);
		*cfg = NULL;
	}
	return e;
}

static void test_http_remote__get_exists(void)
{
	struct remote *r = NULL;
	struct config *cfg = NULL;
	struct cache *c;
	struct remote_item it[40];
	struct remote_batch b = { 0, NULL, NULL, NULL, NULL };
	const struct cairn_error *e;
	char *url = xasprintf("http://127.0.0.1:%d/", port), *cd = xasprintf("%s/cache", dir);
	char buf[32];
	size_t i;
	int all = 1;

	memset(it, 0, sizeof(it));
	it[0].id = serve("", 0, "", 0);
	it[1].id = serve("hello\n", 6, "hello\n", 6);
	hash_buf(&it[2].id, "not served", 10);
	for (i = 3; i < 40; i++) {
		snprintf(buf, sizeof(buf), "object %zu", i);
		it[i].id = serve(buf, strlen(buf), buf, strlen(buf));
	}
	if (!ok_noerr(open_http(&r, &cfg, url), "open an HTTP remote"))
		bail("cannot go on");
	is_str(r->ops->kind, "http", "its kind");
	ok(r->ops->read_only, "it is read-only");
	is_int(r->jobs, 3, "jobs from the configuration");
	if (cache_open(&c, cd))
		bail("cache");
	ok_noerr(r->ops->exists(r, it, 40, &b), "HEAD 40 objects over 3 connections");
	for (i = 0; i < 40; i++)
		all &= it[i].state == (i == 2 ? REMOTE_MISSING : REMOTE_DONE);
	ok(all, "39 present, 1 missing");
	ok_noerr(r->ops->get(r, c, it, 40, &b), "GET them");
	ok_noerr(cache_flush(c), "flush");
	for (i = 0, all = 1; i < 40; i++)
		all &= i == 2 ? it[i].state == REMOTE_MISSING && !cache_has(c, &it[i].id)
			      : it[i].state == REMOTE_DONE && cache_verify(c, &it[i].id) == NULL;
	ok(all, "every present object is in the cache and whole; the 404 page is not");
	ok(cache_has(c, &it[0].id), "the zero-byte object too");

	it[0].id = serve("the name", 8, "other content", 13);
	e = r->ops->get(r, c, it, 1, &b);
	is_err(e, CAIRN_ERR_CORRUPT, "an object that does not match its name");
	ok(e && strstr(e->msg, oid_hex(&it[0].id)) && strstr(e->msg, "corrupt"), "is named");
	cache_flush(c);
	ok(!cache_has(c, &it[0].id), "and never enters the cache");

	e = r->ops->put(r, c, it, 1, &b);
	ok(e && strstr(e->msg, "read-only") && strstr(e->msg, "'h'"), "put refuses: %s",
	   e ? e->msg : "");
	e = r->ops->del(r, it, 1, &b);
	ok(e && strstr(e->msg, "read-only"), "del refuses");
	e = r->ops->list(r, NULL, NULL, &b);
	ok(e && strstr(e->msg, "cannot list"), "list refuses");
	r->ops->close(r);
	config_close(cfg);
	cache_close(c);
	free(url);
	free(cd);
}

static void test_http_remote__errors(void)
{
	struct remote *r = NULL;
	struct config *cfg = NULL;
	struct remote_item it[1];
	struct remote_batch b = { 0, NULL, NULL, NULL, NULL };
	const struct cairn_error *e;
	char *url = xasprintf("http://127.0.0.1:%d/", port);

	memset(it, 0, sizeof(it));
	hash_buf(&it[0].id, "x", 1);
	ok_noerr(open_http(&r, &cfg, "http://127.0.0.1:1/base"), "open an unreachable server");
	e = r->ops->exists(r, it, 1, &b);
	is_err(e, CAIRN_ERR_REMOTE, "one error");
	ok(e && strstr(e->msg, "127.0.0.1") && strstr(e->msg, "HEAD"), "naming the server: %s",
	   e ? e->msg : "");
	r->ops->close(r);
	config_close(cfg);
	is_err(http_remote_open(&r, "h", "ftp://x", NULL, dir), CAIRN_ERR_FORMAT, "not http");
	is_err(http_remote_open(&r, "h", "http://x/a?b", NULL, dir), CAIRN_ERR_FORMAT,
	       "a query in the URL");
	ok_noerr(http_remote_open(&r, url, url, NULL, dir), "opened by URL, with no settings");
	ok(r->jobs > 0, "a default number of jobs");
	r->ops->close(r);
	free(url);
}

int main(void)
{
	char *p;

	gitutil_init();
	signal(SIGPIPE, SIG_IGN);
	dir = tap_tmpdir();
	p = xasprintf("%s/cairn", dir);
	mkdir(p, 0700);
	free(p);
	p = xasprintf("%s/srv", dir);
	mkdir(p, 0755);
	free(p);
	p = xasprintf("%s/srv/sha256", dir);
	mkdir(p, 0755);
	free(p);
	if (!start_server()) {
		stop_server();
		tap_rmtree(dir);
		printf("1..0 # SKIP cannot start python3 -m http.server\n");
		return 0;
	}
	TAP_RUN(test_http_remote__get_exists);
	TAP_RUN(test_http_remote__errors);
	stop_server();
	tap_rmtree(dir);
	return tap_done();
}
