/*
 * oidset.c: the id set. Slots hold indexes into the member array, so the
 * members stay in insertion order and the table only needs rebuilding when
 * it grows. Ids from a cloned repository are untrusted (a manifest may
 * list any 64 hex digits), so the slot comes from all of an id's bytes
 * mixed with a key drawn once per process: crafted ids that share their
 * first bytes do not pile into one probe run (quadratic time).
 */
#include "buildconf.h"

#include "core/oidset.h"

#include <ctype.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "core/xmalloc.h"

static uint64_t oidset_key[4];
static pthread_once_t oidset_key_once = PTHREAD_ONCE_INIT;

static uint64_t oidset_mix(uint64_t x) /* splitmix64's finaliser */
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

static void oidset_key_init(void)
{
	struct timespec ts;
	int i;

	if (getrandom(oidset_key, sizeof(oidset_key), GRND_NONBLOCK) != (ssize_t)sizeof(oidset_key)) {
		clock_gettime(CLOCK_MONOTONIC, &ts);
		oidset_key[0] = (uint64_t)ts.tv_nsec ^ ((uint64_t)getpid() << 32) ^ (uint64_t)ts.tv_sec;
		for (i = 1; i < 4; i++)
			oidset_key[i] = oidset_mix(oidset_key[i - 1] + 0x9e3779b97f4a7c15ULL);
	}
}

void oidset_init(struct oidset *s)
{
	memset(s, 0, sizeof(*s));
}

void oidset_release(struct oidset *s)
{
	free(s->v);
	free(s->slot);
	oidset_init(s);
}

static size_t oidset_hash(const struct oid *id)
{
	uint64_t w, h = 0;
	int i;

	pthread_once(&oidset_key_once, oidset_key_init); /* sets made with OIDSET_INIT too */
	for (i = 0; i < 4; i++) {
		memcpy(&w, id->b + 8 * i, sizeof(w));
		h = oidset_mix(h ^ w ^ oidset_key[i]);
	}
	return (size_t)h;
}

/* The slot holding id, or the empty slot where it would go. */
static size_t oidset_find(const struct oidset *s, const struct oid *id)
{
	size_t mask = s->nslot - 1, i = oidset_hash(id) & mask;

	while (s->slot[i] && !oid_equal(&s->v[s->slot[i] - 1], id))
		i = (i + 1) & mask;
	return i;
}

static void oidset_rehash(struct oidset *s, size_t nslot)
{
	size_t i;

	free(s->slot);
	s->slot = xcalloc(nslot, sizeof(*s->slot));
	s->nslot = nslot;
	for (i = 0; i < s->n; i++)
		s->slot[oidset_find(s, &s->v[i])] = i + 1;
}

bool oidset_add(struct oidset *s, const struct oid *id)
{
	size_t i;

	if (s->nslot == 0 || (s->n + 1) * 2 > s->nslot)
		oidset_rehash(s, s->nslot ? s->nslot * 2 : 64);
	i = oidset_find(s, id);
	if (s->slot[i])
		return false;
	XGROW(s->v, s->n + 1, s->cap);
	s->v[s->n++] = *id;
	s->slot[i] = s->n;
	return true;
}

bool oidset_has(const struct oidset *s, const struct oid *id)
{
	return s->nslot && s->slot[oidset_find(s, id)] != 0;
}

bool oidset_index(const struct oidset *s, const struct oid *id, size_t *index)
{
	size_t i;

	if (s->nslot == 0 || (i = s->slot[oidset_find(s, id)]) == 0)
		return false;
	*index = i - 1;
	return true;
}

void oidset_merge(struct oidset *dst, const struct oidset *src)
{
	size_t i;

	for (i = 0; i < src->n; i++)
		oidset_add(dst, &src->v[i]);
}

void oidset_add_text(struct oidset *s, const char *text, size_t len)
{
	char hex[CAIRN_OID_HEXLEN + 1];
	size_t i = 0, run, k;
	struct oid id;

	while (i < len) {
		for (run = 0; i + run < len && isxdigit((unsigned char)text[i + run]); run++)
			;
		if (run == CAIRN_OID_HEXLEN) {
			for (k = 0; k < run; k++)
				hex[k] = (char)tolower((unsigned char)text[i + k]);
			hex[run] = '\0';
			if (oid_fromhex(&id, hex))
				oidset_add(s, &id);
		}
		i += run ? run : 1;
	}
}
