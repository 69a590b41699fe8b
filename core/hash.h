/*
 * hash.h: streaming SHA-256 through OpenSSL EVP (DESIGN 3: raw bytes, no
 * normalisation). A hash_ctx belongs to one thread at a time.
 */
#ifndef CAIRN_CORE_HASH_H
#define CAIRN_CORE_HASH_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "core/oid.h"

struct hash_ctx {
	void *evp; /* EVP_MD_CTX */
};

/* Start a hash; release with hash_release. Exits on OOM only. */
void hash_init(struct hash_ctx *h);
void hash_update(struct hash_ctx *h, const void *data, size_t len);
/* Finish into id; the context may be reused after hash_reset. */
void hash_final(struct hash_ctx *h, struct oid *id);
void hash_reset(struct hash_ctx *h);
void hash_release(struct hash_ctx *h);

/* Hash a memory buffer. */
void hash_buf(struct oid *id, const void *data, size_t len);

/* Hash an open file from its current offset to EOF; *size gets the byte count. */
const struct cairn_error *hash_fd(struct oid *id, uint64_t *size, int fd);

#endif
