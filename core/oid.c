/*
 * oid.c: object id hex conversion and comparison.
 */
#include "buildconf.h"

#include "core/oid.h"

#include <string.h>

static const char oid_digits[] = "0123456789abcdef";

void oid_tohex(char hex[CAIRN_OID_HEXLEN + 1], const struct oid *id)
{
	int i;

	for (i = 0; i < CAIRN_OID_RAWLEN; i++) {
		hex[2 * i] = oid_digits[id->b[i] >> 4];
		hex[2 * i + 1] = oid_digits[id->b[i] & 15];
	}
	hex[CAIRN_OID_HEXLEN] = '\0';
}

static int oid_nibble(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

bool oid_fromhex(struct oid *id, const char *hex)
{
	int i;

	for (i = 0; i < CAIRN_OID_RAWLEN; i++) {
		int hi = oid_nibble(hex[2 * i]), lo;

		if (hi < 0)
			return false;
		lo = oid_nibble(hex[2 * i + 1]);
		if (lo < 0)
			return false;
		id->b[i] = (unsigned char)(hi << 4 | lo);
	}
	return hex[CAIRN_OID_HEXLEN] == '\0';
}

int oid_cmp(const struct oid *a, const struct oid *b)
{
	return memcmp(a->b, b->b, CAIRN_OID_RAWLEN);
}

bool oid_equal(const struct oid *a, const struct oid *b)
{
	return memcmp(a->b, b->b, CAIRN_OID_RAWLEN) == 0;
}

const char *oid_hex(const struct oid *id)
{
	static _Thread_local char ring[4][CAIRN_OID_HEXLEN + 1];
	static _Thread_local unsigned next;
	char *s = ring[next++ % 4];

	oid_tohex(s, id);
	return s;
}
