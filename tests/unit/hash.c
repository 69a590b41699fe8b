/*
 * tests/unit/hash.c: SHA-256 of known vectors (FIPS 180-2 examples), in one
 * piece and streamed in uneven chunks, and hash_fd over a file.
 */
#include "buildconf.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/error.h"
#include "core/hash.h"
#include "core/oid.h"
#include "tests/unit/tap.h"

static const struct {
	const char *in;
	const char *hex;
} vectors[] = {
	{ "", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" },
	{ "abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" },
	{ "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
	  "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1" },
};

static void test_hash__vectors(void)
{
	size_t i;

	for (i = 0; i < sizeof(vectors) / sizeof(vectors[0]); i++) {
		struct oid id;
		char hex[CAIRN_OID_HEXLEN + 1];

		hash_buf(&id, vectors[i].in, strlen(vectors[i].in));
		oid_tohex(hex, &id);
		is_str(hex, vectors[i].hex, "known vector");
	}
}

static void test_hash__streamed(void)
{
	/* one million 'a': the FIPS long vector, fed in chunks of odd sizes */
	static const char want[] = "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0";
	char chunk[7919], hex[CAIRN_OID_HEXLEN + 1];
	struct hash_ctx h;
	struct oid id;
	size_t left = 1000000;

	memset(chunk, 'a', sizeof(chunk));
	hash_init(&h);
	while (left) {
		size_t n = left < sizeof(chunk) ? left : (left % 3) + 1 + (left % 5000);

		if (n > left)
			n = left;
		hash_update(&h, chunk, n);
		left -= n;
	}
	hash_final(&h, &id);
	hash_release(&h);
	oid_tohex(hex, &id);
	is_str(hex, want, "a million 'a' in uneven chunks");
}

static void test_hash__fd(void)
{
	char *dir = tap_tmpdir(), path[4096], hex[CAIRN_OID_HEXLEN + 1];
	struct oid id;
	uint64_t size = 0;
	int fd;

	snprintf(path, sizeof(path), "%s/f", dir);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	ok(fd >= 0 && write(fd, "abc", 3) == 3, "write a file");
	lseek(fd, 0, SEEK_SET);
	ok_noerr(hash_fd(&id, &size, fd), "hash_fd");
	close(fd);
	oid_tohex(hex, &id);
	is_str(hex, vectors[1].hex, "hash_fd matches the vector");
	is_int(size, 3, "hash_fd counts the bytes");
	is_err(hash_fd(&id, &size, -1), CAIRN_ERR_ERRNO, "a bad descriptor is an error");
	tap_rmtree(dir);
}

int main(void)
{
	TAP_RUN(test_hash__vectors);
	TAP_RUN(test_hash__streamed);
	TAP_RUN(test_hash__fd);
	return tap_done();
}
