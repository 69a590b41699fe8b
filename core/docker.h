/*
 * docker.h: stages that run inside a Docker image (DESIGN 9). The image
 * named in cairn.yaml is resolved to a digest with `docker image inspect`
 * ({{index .RepoDigests 0}}, NAME@sha256:...; for an image that exists only
 * locally, its id sha256:...), and the stage runs exactly that digest with
 * `docker run --rm`, the work tree mounted at its own path, the stage's
 * folder as working folder and the caller's uid:gid. Thread-safe.
 */
#ifndef CAIRN_CORE_DOCKER_H
#define CAIRN_CORE_DOCKER_H

#include "core/error.h"

/* The docker client run (looked up in PATH). */
#define DOCKER_PROGRAM "docker"

/*
 * The digest reference to run for image: image itself when it is already
 * pinned (NAME@sha256:<64 hex>), else what docker image inspect says.
 * NOT_FOUND when docker is missing; FAILED when it cannot inspect the image.
 * Caller frees *out.
 */
const struct cairn_error *docker_resolve(char **out, const char *image);

/* True when ref is NAME@sha256:<64 hex> or sha256:<64 hex>. */
int docker_ref_pinned(const char *ref);

/*
 * The argv of `docker run` for script in folder wdir (absolute) of the work
 * tree root (absolute). NULL-terminated; free with docker_argv_free.
 */
char **docker_argv(const char *ref, const char *root, const char *wdir, const char *script);
void docker_argv_free(char **argv);

#endif
