/*
 * docker.c: image digests through the docker client, and the docker run
 * command line. Only the client is called; cairn never talks to the engine.
 */
#include "buildconf.h"

#include "core/docker.h"

#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/runner.h"
#include "core/xmalloc.h"

static int docker_hex64(const char *s)
{
	size_t i;

	for (i = 0; i < 64; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return s[64] == '\0';
}

int docker_ref_pinned(const char *ref)
{
	const char *at = strstr(ref, "@sha256:");

	if (strncmp(ref, "sha256:", 7) == 0)
		return docker_hex64(ref + 7);
	return at && at > ref && docker_hex64(at + 8) && !strpbrk(ref, " \t\n");
}

static void docker_trim(struct buf *b)
{
	while (b->len && (b->s[b->len - 1] == '\n' || b->s[b->len - 1] == '\r' ||
			  b->s[b->len - 1] == ' '))
		b->s[--b->len] = '\0';
}

static const struct cairn_error *docker_inspect(struct buf *out, const char *image,
						const char *format)
{
	const struct cairn_error *e;
	char *argv[] = { (char *)DOCKER_PROGRAM, (char *)"image", (char *)"inspect",
			 (char *)"--format", (char *)format, (char *)image, NULL };
	struct buf err = BUF_INIT;
	int status;

	buf_init(&err);
	e = runner_capture(out, &err, &status, argv, NULL);
	if (e) {
		buf_release(&err);
		return err_hint(err_new(CAIRN_ERR_NOT_FOUND,
					"cannot resolve image '%s': the '%s' client is not installed",
					image, DOCKER_PROGRAM),
				"install docker, or remove 'image' from the stage");
	}
	docker_trim(out);
	if (!runner_status_ok(status)) {
		char *nl;

		docker_trim(&err);
		nl = strchr(err.s, '\n');
		if (nl)
			*nl = '\0';
		e = err_new(CAIRN_ERR_FAILED, "cannot resolve image '%s': %s", image,
			    err.len ? err.s : "docker image inspect failed");
		/* the client's words when it cannot reach the engine: a pull would fail too */
		if (strstr(err.s, "Docker daemon") != NULL)
			e = err_hint(e, "start the Docker daemon, or get access to its socket "
					"(docker info tells which)");
		else
			e = err_hint(e, "pull it first: docker pull %s", image);
	}
	buf_release(&err);
	return e;
}

const struct cairn_error *docker_resolve(char **out, const char *image)
{
	const struct cairn_error *e;
	struct buf b = BUF_INIT;

	*out = NULL;
	if (docker_ref_pinned(image)) {
		*out = xstrdup(image);
		return NULL;
	}
	buf_init(&b);
	if ((e = docker_inspect(&b, image, "{{index .RepoDigests 0}}")) != NULL)
		goto done;
	if (b.len == 0 || strcmp(b.s, "<no value>") == 0 || !docker_ref_pinned(b.s)) {
		/* a local image that was never pushed or pulled has no repo digest: its id */
		buf_reset(&b);
		if ((e = docker_inspect(&b, image, "{{.Id}}")) != NULL)
			goto done;
	}
	if (!docker_ref_pinned(b.s)) {
		e = err_new(CAIRN_ERR_FAILED, "cannot resolve image '%s': docker answered '%.80s'",
			    image, b.s);
		goto done;
	}
	*out = buf_detach(&b);
done:
	buf_release(&b);
	return e;
}

char **docker_argv(const char *ref, const char *root, const char *wdir, const char *script)
{
	char **v = xcalloc(16, sizeof(char *));
	int n = 0;

	v[n++] = xstrdup(DOCKER_PROGRAM);
	v[n++] = xstrdup("run");
	v[n++] = xstrdup("--rm");
	v[n++] = xstrdup("-v");
	v[n++] = xasprintf("%s:%s", root, root);
	v[n++] = xstrdup("-w");
	v[n++] = xstrdup(wdir);
	v[n++] = xstrdup("-u");
	v[n++] = xasprintf("%ld:%ld", (long)getuid(), (long)getgid());
	v[n++] = xstrdup(ref);
	v[n++] = xstrdup("/bin/sh");
	v[n++] = xstrdup("-c");
	v[n++] = xstrdup(script);
	v[n] = NULL;
	return v;
}

void docker_argv_free(char **argv)
{
	size_t i;

	for (i = 0; argv && argv[i]; i++)
		free(argv[i]);
	free(argv);
}
