/*
 * state.c: SQLite-backed stat cache. Lookups come from an in-memory hash
 * table filled by state_preload (one range query) or from a prepared point
 * query; records are buffered and written in one transaction on close.
 * synchronous=OFF: losing the file only costs rehashing.
 */
#include "buildconf.h"

#include "core/state.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "core/xmalloc.h"

/* A trusted entry's mtime and ctime are at least this much older than its record. */
#define STATE_RACY_NS 20000000LL         /* fine-grained timestamps */
#define STATE_RACY_COARSE_NS 2000000000LL /* file systems with whole-second stamps */

struct state_row {
	char *path;
	int64_t dev, ino, size, mtime, ctime, recorded;
	struct oid id;
	struct state_row *next; /* hash chain */
};

struct state {
	sqlite3 *db;
	struct state_row **table; /* preloaded rows */
	size_t nbuckets, nrows;
	struct state_row *pending; /* records to write */
	char **forget;
	size_t nforget, capforget;
};

static const char state_schema[] =
	"PRAGMA journal_mode=WAL;"
	"PRAGMA synchronous=OFF;"
	"CREATE TABLE IF NOT EXISTS state(path TEXT PRIMARY KEY, dev INTEGER, ino INTEGER,"
	" size INTEGER, mtime INTEGER, ctime INTEGER, recorded INTEGER, sha256 BLOB)"
	" WITHOUT ROWID;";

static sqlite3 *state_try_open(const char *path)
{
	sqlite3 *db = NULL;

	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
	    SQLITE_OK) {
		sqlite3_close(db);
		return NULL;
	}
	sqlite3_busy_timeout(db, 250);
	if (sqlite3_exec(db, state_schema, NULL, NULL, NULL) != SQLITE_OK) {
		sqlite3_close(db);
		return NULL;
	}
	return db;
}

struct state *state_open(const char *path)
{
	struct state *s = xcalloc(1, sizeof(*s));

	s->db = state_try_open(path);
	if (s->db == NULL) {
		/* damaged: it is only a cache, start over */
		char *wal = xasprintf("%s-wal", path), *shm = xasprintf("%s-shm", path);

		unlink(path);
		unlink(wal);
		unlink(shm);
		free(wal);
		free(shm);
		s->db = state_try_open(path);
	}
	return s;
}

static uint64_t state_hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 1099511628211ULL;
	return h;
}

static void state_table_put(struct state *s, struct state_row *r)
{
	size_t b;

	if (s->nrows + 1 > s->nbuckets) {
		size_t nb = s->nbuckets ? s->nbuckets * 2 : 1024, i;
		struct state_row **t = xcalloc(nb, sizeof(*t));

		for (i = 0; i < s->nbuckets; i++) {
			struct state_row *x = s->table[i], *next;

			for (; x; x = next) {
				next = x->next;
				b = state_hash(x->path) & (nb - 1);
				x->next = t[b];
				t[b] = x;
			}
		}
		free(s->table);
		s->table = t;
		s->nbuckets = nb;
	}
	b = state_hash(r->path) & (s->nbuckets - 1);
	r->next = s->table[b];
	s->table[b] = r;
	s->nrows++;
}

static void state_row_from_stmt(struct state_row *r, sqlite3_stmt *st)
{
	const void *blob;

	r->dev = sqlite3_column_int64(st, 1);
	r->ino = sqlite3_column_int64(st, 2);
	r->size = sqlite3_column_int64(st, 3);
	r->mtime = sqlite3_column_int64(st, 4);
	r->ctime = sqlite3_column_int64(st, 5);
	r->recorded = sqlite3_column_int64(st, 6);
	blob = sqlite3_column_blob(st, 7);
	if (blob && sqlite3_column_bytes(st, 7) == CAIRN_OID_RAWLEN)
		memcpy(r->id.b, blob, CAIRN_OID_RAWLEN);
	else
		r->recorded = 0; /* unusable */
}

void state_preload(struct state *s, const char *prefix)
{
	sqlite3_stmt *st = NULL;
	char *hi;
	size_t n;

	if (s == NULL || s->db == NULL)
		return;
	n = strlen(prefix);
	if (n == 0) {
		if (sqlite3_prepare_v2(s->db, "SELECT * FROM state", -1, &st, NULL) != SQLITE_OK)
			return;
	} else {
		/* [prefix, prefix with last byte + 1): every path starting with prefix */
		hi = xstrdup(prefix);
		hi[n - 1]++;
		if (sqlite3_prepare_v2(s->db, "SELECT * FROM state WHERE path >= ?1 AND path < ?2",
				       -1, &st, NULL) != SQLITE_OK) {
			free(hi);
			return;
		}
		sqlite3_bind_text(st, 1, prefix, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 2, hi, -1, SQLITE_TRANSIENT);
		free(hi);
	}
	while (sqlite3_step(st) == SQLITE_ROW) {
		struct state_row *r = xcalloc(1, sizeof(*r));

		r->path = xstrdup((const char *)sqlite3_column_text(st, 0));
		state_row_from_stmt(r, st);
		state_table_put(s, r);
	}
	sqlite3_finalize(st);
}

static bool state_row_matches(const struct state_row *r, const struct stat *st)
{
	int64_t mt = (int64_t)st->st_mtim.tv_sec * 1000000000 + st->st_mtim.tv_nsec;
	int64_t ct = (int64_t)st->st_ctim.tv_sec * 1000000000 + st->st_ctim.tv_nsec;
	int64_t margin = (st->st_mtim.tv_nsec == 0 && st->st_ctim.tv_nsec == 0)
				 ? STATE_RACY_COARSE_NS
				 : STATE_RACY_NS;

	if (r->recorded == 0 || r->dev != (int64_t)st->st_dev || r->ino != (int64_t)st->st_ino ||
	    r->size != (int64_t)st->st_size || r->mtime != mt || r->ctime != ct)
		return false;
	/* racy: changed too close to the moment it was read to be sure */
	return mt + margin <= r->recorded && ct + margin <= r->recorded;
}

bool state_lookup(struct state *s, const char *relpath, const struct stat *st, struct oid *id)
{
	sqlite3_stmt *q = NULL;
	struct state_row r;
	bool ok = false;

	if (s == NULL || s->db == NULL)
		return false;
	if (s->nbuckets) {
		struct state_row *x = s->table[state_hash(relpath) & (s->nbuckets - 1)];

		for (; x; x = x->next)
			if (strcmp(x->path, relpath) == 0) {
				if (!state_row_matches(x, st))
					return false;
				*id = x->id;
				return true;
			}
		return false;
	}
	if (sqlite3_prepare_v2(s->db, "SELECT * FROM state WHERE path = ?1", -1, &q, NULL) !=
	    SQLITE_OK)
		return false;
	sqlite3_bind_text(q, 1, relpath, -1, SQLITE_STATIC);
	if (sqlite3_step(q) == SQLITE_ROW) {
		state_row_from_stmt(&r, q);
		if (state_row_matches(&r, st)) {
			*id = r.id;
			ok = true;
		}
	}
	sqlite3_finalize(q);
	return ok;
}

void state_record(struct state *s, const char *relpath, const struct stat *st,
		  const struct oid *id, int64_t statted_ns)
{
	struct state_row *r;

	if (s == NULL || s->db == NULL)
		return;
	r = xcalloc(1, sizeof(*r));
	r->path = xstrdup(relpath);
	r->dev = (int64_t)st->st_dev;
	r->ino = (int64_t)st->st_ino;
	r->size = (int64_t)st->st_size;
	r->mtime = (int64_t)st->st_mtim.tv_sec * 1000000000 + st->st_mtim.tv_nsec;
	r->ctime = (int64_t)st->st_ctim.tv_sec * 1000000000 + st->st_ctim.tv_nsec;
	r->recorded = statted_ns;
	r->id = *id;
	r->next = s->pending;
	s->pending = r;
}

void state_forget(struct state *s, const char *relpath)
{
	if (s == NULL || s->db == NULL)
		return;
	XGROW(s->forget, s->nforget + 1, s->capforget);
	s->forget[s->nforget++] = xstrdup(relpath);
}

static void state_flush(struct state *s)
{
	sqlite3_stmt *ins = NULL, *del = NULL;
	struct state_row *r;
	size_t i;

	if ((s->pending == NULL && s->nforget == 0) ||
	    sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
		return; /* busy: another process writes; our records are only a cache */
	if (sqlite3_prepare_v2(s->db, "DELETE FROM state WHERE path = ?1 OR "
				      "(path > ?1 || '/' AND path < ?1 || '0')",
			       -1, &del, NULL) == SQLITE_OK) {
		for (i = 0; i < s->nforget; i++) {
			sqlite3_bind_text(del, 1, s->forget[i], -1, SQLITE_STATIC);
			sqlite3_step(del);
			sqlite3_reset(del);
		}
		sqlite3_finalize(del);
	}
	if (sqlite3_prepare_v2(s->db, "INSERT OR REPLACE INTO state VALUES(?1,?2,?3,?4,?5,?6,?7,?8)",
			       -1, &ins, NULL) == SQLITE_OK) {
		for (r = s->pending; r; r = r->next) {
			sqlite3_bind_text(ins, 1, r->path, -1, SQLITE_STATIC);
			sqlite3_bind_int64(ins, 2, r->dev);
			sqlite3_bind_int64(ins, 3, r->ino);
			sqlite3_bind_int64(ins, 4, r->size);
			sqlite3_bind_int64(ins, 5, r->mtime);
			sqlite3_bind_int64(ins, 6, r->ctime);
			sqlite3_bind_int64(ins, 7, r->recorded);
			sqlite3_bind_blob(ins, 8, r->id.b, CAIRN_OID_RAWLEN, SQLITE_STATIC);
			sqlite3_step(ins);
			sqlite3_reset(ins);
		}
		sqlite3_finalize(ins);
	}
	sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL);
}

void state_close(struct state *s)
{
	struct state_row *r, *next;
	size_t i;

	if (s == NULL)
		return;
	if (s->db) {
		state_flush(s);
		sqlite3_close(s->db);
	}
	for (r = s->pending; r; r = next) {
		next = r->next;
		free(r->path);
		free(r);
	}
	for (i = 0; i < s->nbuckets; i++)
		for (r = s->table[i]; r; r = next) {
			next = r->next;
			free(r->path);
			free(r);
		}
	free(s->table);
	for (i = 0; i < s->nforget; i++)
		free(s->forget[i]);
	free(s->forget);
	free(s);
}
