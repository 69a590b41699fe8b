/*
 * tests/unit/oid.c: object ids: hex round trip, strict parsing (exactly 64
 * lowercase hex digits), ordering, and the thread-local message buffers.
 */
#include "buildconf.h"

#include <string.h>

#include "core/hash.h"
#include "core/oid.h"
#include "tests/unit/tap.h"

#define HEX_ABC "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"

static void test_oid__round_trip(void)
{
	char hex[CAIRN_OID_HEXLEN + 1];
	struct oid id, e;
	int i;

	ok(oid_fromhex(&id, HEX_ABC), "parse 64 lowercase hex digits");
	oid_tohex(hex, &id);
	is_str(hex, HEX_ABC, "and write them back");
	ok(id.b[0] == 0xba && id.b[31] == 0xad, "the bytes in order");
	for (i = 0; i < CAIRN_OID_RAWLEN; i++)
		id.b[i] = (unsigned char)(i * 8 + 1);
	oid_tohex(hex, &id);
	ok(oid_fromhex(&e, hex) && oid_equal(&id, &e), "any bytes survive tohex/fromhex");
	hash_buf(&id, "", 0);
	is_str(oid_hex(&id), CAIRN_OID_EMPTY_HEX, "CAIRN_OID_EMPTY_HEX is the id of zero bytes");
}

static void test_oid__strict_parse(void)
{
	static const struct {
		const char *hex;
		const char *what;
	} bad[] = {
		{ "", "empty" },
		{ "ba7816bf", "short" },
		{ HEX_ABC "0", "65 digits" },
		{ "BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD", "uppercase" },
		{ "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015aD", "one uppercase" },
		{ "ga7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", "a 'g'" },
		{ " a7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", "a space" },
		{ "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015a", "63 digits" },
		{ "0xba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f200", "a 0x prefix" },
	};
	size_t i;
	struct oid id;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ok(!oid_fromhex(&id, bad[i].hex), "refused: %s", bad[i].what);
}

static void test_oid__compare(void)
{
	struct oid a, b;

	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	ok(oid_equal(&a, &b) && oid_cmp(&a, &b) == 0, "equal ids");
	b.b[31] = 1;
	ok(!oid_equal(&a, &b) && oid_cmp(&a, &b) < 0 && oid_cmp(&b, &a) > 0,
	   "the last byte counts");
	a.b[0] = 1;
	ok(oid_cmp(&a, &b) > 0, "the first byte counts most");
}

static void test_oid__hex_ring(void)
{
	struct oid a, b;
	const char *ha, *hb;

	memset(&a, 0x11, sizeof(a));
	memset(&b, 0x22, sizeof(b));
	ha = oid_hex(&a);
	hb = oid_hex(&b);
	ok(ha != hb && strncmp(ha, "1111", 4) == 0 && strncmp(hb, "2222", 4) == 0,
	   "two oid_hex results can be used in one message");
}

int main(void)
{
	TAP_RUN(test_oid__round_trip);
	TAP_RUN(test_oid__strict_parse);
	TAP_RUN(test_oid__compare);
	TAP_RUN(test_oid__hex_ring);
	return tap_done();
}
