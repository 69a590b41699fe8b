/*
 * tests/unit/oidset.c: membership, duplicates, insertion order across
 * growth, and merge.
 */
#include "buildconf.h"

#include <string.h>

#include "core/hash.h"
#include "core/oidset.h"
#include "tests/unit/tap.h"

static void mkid(struct oid *id, unsigned i)
{
	hash_buf(id, &i, sizeof(i));
}

static void test_oidset__add_has(void)
{
	struct oidset s = OIDSET_INIT;
	struct oid a, b;

	mkid(&a, 1);
	mkid(&b, 2);
	ok(!oidset_has(&s, &a), "an empty set has nothing");
	ok(oidset_add(&s, &a), "a new member is added");
	ok(!oidset_add(&s, &a), "a duplicate is not added again");
	ok(oidset_has(&s, &a) && !oidset_has(&s, &b), "membership");
	is_int(s.n, 1, "one member");
	oidset_release(&s);
	ok(s.n == 0 && !oidset_has(&s, &a), "release empties the set");
}

static void test_oidset__order_and_growth(void)
{
	struct oidset s = OIDSET_INIT, t = OIDSET_INIT;
	struct oid id;
	unsigned i, bad = 0;

	for (i = 0; i < 10000; i++) {
		mkid(&id, i);
		oidset_add(&s, &id);
		mkid(&id, i / 2);
		oidset_add(&s, &id);
	}
	is_int(s.n, 10000, "10000 distinct members after 20000 adds");
	for (i = 0; i < 10000; i++) {
		mkid(&id, i);
		bad += !oid_equal(&s.v[i], &id) || !oidset_has(&s, &id);
	}
	is_int(bad, 0, "insertion order is kept across growth");
	mkid(&id, 20000);
	oidset_add(&t, &id);
	mkid(&id, 5);
	oidset_add(&t, &id);
	oidset_merge(&s, &t);
	is_int(s.n, 10001, "merge adds only new members");
	oidset_release(&s);
	oidset_release(&t);
}

static void test_oidset__index(void)
{
	struct oidset s = OIDSET_INIT;
	struct oid id;
	size_t at = 99;
	unsigned i, bad = 0;

	mkid(&id, 1);
	ok(!oidset_index(&s, &id, &at) && at == 99, "an empty set has no index");
	for (i = 0; i < 1000; i++) {
		mkid(&id, i);
		oidset_add(&s, &id);
	}
	for (i = 0; i < 1000; i++) {
		mkid(&id, i);
		bad += !oidset_index(&s, &id, &at) || at != i;
	}
	is_int(bad, 0, "each member's index is its insertion position");
	mkid(&id, 5000);
	ok(!oidset_index(&s, &id, &at), "a non-member has no index");
	oidset_release(&s);
}

int main(void)
{
	TAP_RUN(test_oidset__add_has);
	TAP_RUN(test_oidset__order_and_growth);
	TAP_RUN(test_oidset__index);
	return tap_done();
}
