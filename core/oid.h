/*
 * oid.h: object ids, the SHA-256 of an object's raw bytes (DESIGN 3), and
 * their lowercase hex spelling. Thread-safe.
 */
#ifndef CAIRN_CORE_OID_H
#define CAIRN_CORE_OID_H

#include <stdbool.h>

#define CAIRN_OID_RAWLEN 32
#define CAIRN_OID_HEXLEN 64
/* Id of the empty object (zero bytes). */
#define CAIRN_OID_EMPTY_HEX "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

struct oid {
	unsigned char b[CAIRN_OID_RAWLEN];
};

/* Write the 64 lowercase hex digits and a NUL into hex. */
void oid_tohex(char hex[CAIRN_OID_HEXLEN + 1], const struct oid *id);

/* Parse exactly 64 lowercase hex digits; false for anything else. */
bool oid_fromhex(struct oid *id, const char *hex);

int oid_cmp(const struct oid *a, const struct oid *b);
bool oid_equal(const struct oid *a, const struct oid *b);

/* Hex of an id in a thread-local rotating buffer, for messages only. */
const char *oid_hex(const struct oid *id);

#endif
