/*
 * hash.c: SHA-256 via OpenSSL EVP, streamed in 1 MiB reads. The digest is
 * fetched from the provider once (OpenSSL 3 would look it up, under a lock,
 * at every init otherwise).
 */
#include "buildconf.h"

#include "core/hash.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/opensslv.h>

#include "core/xmalloc.h"

#define HASH_CHUNK (1024 * 1024)

static const EVP_MD *hash_md;
static pthread_once_t hash_once = PTHREAD_ONCE_INIT;

static void hash_fetch(void)
{
#if OPENSSL_VERSION_NUMBER >= 0x30000000L
	hash_md = EVP_MD_fetch(NULL, "SHA256", NULL); /* kept for the process's life */
#endif
	if (hash_md == NULL)
		hash_md = EVP_sha256();
}

static const EVP_MD *hash_sha256(void)
{
	pthread_once(&hash_once, hash_fetch);
	return hash_md;
}

void hash_init(struct hash_ctx *h)
{
	EVP_MD_CTX *c = EVP_MD_CTX_new();

	if (c == NULL || EVP_DigestInit_ex(c, hash_sha256(), NULL) != 1)
		abort(); /* only on allocation failure inside OpenSSL */
	h->evp = c;
}

void hash_update(struct hash_ctx *h, const void *data, size_t len)
{
	if (EVP_DigestUpdate(h->evp, data, len) != 1)
		abort();
}

void hash_final(struct hash_ctx *h, struct oid *id)
{
	unsigned int n = 0;

	if (EVP_DigestFinal_ex(h->evp, id->b, &n) != 1 || n != CAIRN_OID_RAWLEN)
		abort();
}

void hash_reset(struct hash_ctx *h)
{
	if (EVP_DigestInit_ex(h->evp, hash_sha256(), NULL) != 1)
		abort();
}

void hash_release(struct hash_ctx *h)
{
	if (h->evp)
		EVP_MD_CTX_free(h->evp);
	h->evp = NULL;
}

void hash_buf(struct oid *id, const void *data, size_t len)
{
	unsigned int n = 0;

	if (EVP_Digest(data, len, id->b, &n, hash_sha256(), NULL) != 1)
		abort();
}

const struct cairn_error *hash_fd(struct oid *id, uint64_t *size, int fd)
{
	struct hash_ctx h;
	unsigned char *chunk = xmalloc(HASH_CHUNK);
	uint64_t total = 0;
	ssize_t n;

	hash_init(&h);
	for (;;) {
		n = read(fd, chunk, HASH_CHUNK);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		hash_update(&h, chunk, (size_t)n);
		total += (uint64_t)n;
	}
	free(chunk);
	if (n < 0) {
		int e = errno;

		hash_release(&h);
		return err_sys(e, "read");
	}
	hash_final(&h, id);
	hash_release(&h);
	if (size)
		*size = total;
	return NULL;
}
