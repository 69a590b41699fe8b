/*
 * oidset.h: a set of object ids (open addressing on the id's own bytes,
 * which are uniformly distributed), for the objects a command must keep,
 * send or fetch: gc roots, push and fetch plans, fsck. Insertion order is
 * kept, so a set built leaves-first is sent leaves-first. Not thread-safe.
 */
#ifndef CAIRN_CORE_OIDSET_H
#define CAIRN_CORE_OIDSET_H

#include <stdbool.h>
#include <stddef.h>

#include "core/oid.h"

struct oidset {
	struct oid *v;   /* members in insertion order */
	size_t n, cap;   /* members, allocated members */
	size_t *slot;    /* hash table of indexes + 1 into v (0 = empty) */
	size_t nslot;    /* a power of two, at least twice n */
};

#define OIDSET_INIT { NULL, 0, 0, NULL, 0 }

void oidset_init(struct oidset *s);
void oidset_release(struct oidset *s);

/* Add id; true when it was not a member yet. */
bool oidset_add(struct oidset *s, const struct oid *id);
bool oidset_has(const struct oidset *s, const struct oid *id);
/* The position of id in insertion order (s->v[*index]); false when absent. */
bool oidset_index(const struct oidset *s, const struct oid *id, size_t *index);
/* Add every member of src. */
void oidset_merge(struct oidset *dst, const struct oidset *src);
/*
 * Add every id spelt in text: each run of exactly 64 hex digits (either
 * case), such as the ids a pointer file that no longer parses still names.
 */
void oidset_add_text(struct oidset *s, const char *text, size_t len);

#endif
