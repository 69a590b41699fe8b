/*
 * state.c: SQLite-backed stat cache. Lookups come from in-memory hash
 * tables filled by one range query (state_preload, state_preload_dirs) or
 * from a prepared point query kept for the handle's lifetime; records are
 * buffered and written in one transaction on close. synchronous=OFF and a
 * schema version in user_version: losing or outgrowing the file only costs
 * rehashing.
 */
#include "buildconf.h"

#include "core/state.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "core/xmalloc.h"

/* A trusted entry's mtime and ctime are at least this much older than its stat. */
#define STATE_RACY_NS 20000000LL         /* fine-grained timestamps (a few jiffies) */
#define STATE_RACY_COARSE_NS 2000000000LL /* file systems with whole-second stamps */
#define STATE_SCHEMA_VERSION 2 /* PRAGMA user_version; another value: start over */

struct state_row {
	char *path;
	int64_t dev, ino, size, mtime, ctime, recorded;
	struct oid id;
	struct state_row *next; /* hash chain */
};

struct state_dirrow {
	char *path;
	struct state_dir d;
	struct state_dirrow *next;
};

enum state_op_kind { STATE_OP_FORGET, STATE_OP_MOVE };

struct state_op {
	enum state_op_kind kind;
	char *a, *b;
};

struct state_table {
	void **v; /* buckets of chains (struct state_row or state_dirrow) */
	size_t nbuckets, n;
};

struct state {
	sqlite3 *db;
	sqlite3_stmt *q_file; /* point lookups */
	sqlite3_stmt *q_dir;
	struct state_table files, dirs; /* preloaded rows */
	char *files_prefix, *dirs_prefix; /* what was preloaded: the tables are complete there */
	struct state_row *pending;      /* records to write */
	struct state_dirrow *pending_dirs;
	struct state_op *ops;           /* forgets and moves, in order */
	size_t nops, capops;
};

static const char state_schema[] =
	"PRAGMA journal_mode=WAL;"
	"PRAGMA synchronous=OFF;"
	"CREATE TABLE IF NOT EXISTS state(path TEXT PRIMARY KEY, dev INTEGER, ino INTEGER,"
	" size INTEGER, mtime INTEGER, ctime INTEGER, recorded INTEGER, sha256 BLOB)"
	" WITHOUT ROWID;"
	"CREATE TABLE IF NOT EXISTS dirs(path TEXT PRIMARY KEY, fp BLOB, sha256 BLOB,"
	" size INTEGER, nfiles INTEGER) WITHOUT ROWID;";

static int state_user_version(sqlite3 *db)
{
	sqlite3_stmt *st = NULL;
	int v = -1;

	if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return v;
}

static sqlite3 *state_try_open(const char *path)
{
	sqlite3 *db = NULL;
	int v;

	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
	    SQLITE_OK) {
		sqlite3_close(db);
		return NULL;
	}
	sqlite3_busy_timeout(db, 250);
	v = state_user_version(db);
	if (v < 0)
		goto fail;
	if (v != STATE_SCHEMA_VERSION) {
		/* older or newer layout: it is only a cache, start over */
		if (sqlite3_exec(db, "DROP TABLE IF EXISTS state; DROP TABLE IF EXISTS dirs;", NULL,
				 NULL, NULL) != SQLITE_OK)
			goto fail;
	}
	if (sqlite3_exec(db, state_schema, NULL, NULL, NULL) != SQLITE_OK)
		goto fail;
	if (v != STATE_SCHEMA_VERSION) {
		char *sql = xasprintf("PRAGMA user_version=%d", STATE_SCHEMA_VERSION);
		int rc = sqlite3_exec(db, sql, NULL, NULL, NULL);

		free(sql);
		if (rc != SQLITE_OK)
			goto fail;
	}
	return db;
fail:
	sqlite3_close(db);
	return NULL;
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

bool state_racy(const struct stat *st, int64_t statted_ns)
{
	int64_t mt = (int64_t)st->st_mtim.tv_sec * 1000000000 + st->st_mtim.tv_nsec;
	int64_t ct = (int64_t)st->st_ctim.tv_sec * 1000000000 + st->st_ctim.tv_nsec;
	int64_t margin = (st->st_mtim.tv_nsec == 0 && st->st_ctim.tv_nsec == 0)
				 ? STATE_RACY_COARSE_NS
				 : STATE_RACY_NS;

	/* changed too close to the moment it was looked at to be sure */
	return mt + margin > statted_ns || ct + margin > statted_ns;
}

static uint64_t state_hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 1099511628211ULL;
	return h;
}

/* Chains link through the struct's last member, so rows of both kinds share this code. */
#define STATE_NEXT(t, x) (*(void **)((char *)(x) + (t)))

static void state_table_put(struct state_table *t, void *row, const char *path, size_t next_off,
			    const char *(*path_of)(const void *))
{
	size_t b;

	if (t->n + 1 > t->nbuckets) {
		size_t nb = t->nbuckets ? t->nbuckets * 2 : 1024, i;
		void **v = xcalloc(nb, sizeof(*v));

		for (i = 0; i < t->nbuckets; i++) {
			void *x = t->v[i], *next;

			for (; x; x = next) {
				next = STATE_NEXT(next_off, x);
				b = state_hash(path_of(x)) & (nb - 1);
				STATE_NEXT(next_off, x) = v[b];
				v[b] = x;
			}
		}
		free(t->v);
		t->v = v;
		t->nbuckets = nb;
	}
	b = state_hash(path) & (t->nbuckets - 1);
	STATE_NEXT(next_off, row) = t->v[b];
	t->v[b] = row;
	t->n++;
}

static const char *state_row_path(const void *x)
{
	return ((const struct state_row *)x)->path;
}

static const char *state_dirrow_path(const void *x)
{
	return ((const struct state_dirrow *)x)->path;
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

static bool state_dir_from_stmt(struct state_dir *d, sqlite3_stmt *st)
{
	const void *fp = sqlite3_column_blob(st, 1), *id = sqlite3_column_blob(st, 2);

	if (!fp || !id || sqlite3_column_bytes(st, 1) != CAIRN_OID_RAWLEN ||
	    sqlite3_column_bytes(st, 2) != CAIRN_OID_RAWLEN)
		return false;
	memcpy(d->fp.b, fp, CAIRN_OID_RAWLEN);
	memcpy(d->id.b, id, CAIRN_OID_RAWLEN);
	d->size = (uint64_t)sqlite3_column_int64(st, 3);
	d->nfiles = (uint64_t)sqlite3_column_int64(st, 4);
	return true;
}

/* Prepare "SELECT * FROM table" for every path at or under prefix ("" for all). */
static sqlite3_stmt *state_range(struct state *s, const char *table, const char *prefix)
{
	sqlite3_stmt *st = NULL;
	char *sql, *hi;
	size_t n = strlen(prefix);
	int rc;

	if (n == 0) {
		sql = xasprintf("SELECT * FROM %s", table);
		rc = sqlite3_prepare_v2(s->db, sql, -1, &st, NULL);
		free(sql);
		return rc == SQLITE_OK ? st : NULL;
	}
	/* [prefix, prefix with last byte + 1): every path starting with prefix */
	sql = xasprintf("SELECT * FROM %s WHERE path >= ?1 AND path < ?2", table);
	rc = sqlite3_prepare_v2(s->db, sql, -1, &st, NULL);
	free(sql);
	if (rc != SQLITE_OK)
		return NULL;
	hi = xstrdup(prefix);
	hi[n - 1]++;
	sqlite3_bind_text(st, 1, prefix, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, hi, -1, SQLITE_TRANSIENT);
	free(hi);
	return st;
}

void state_preload(struct state *s, const char *prefix)
{
	sqlite3_stmt *st;

	if (s == NULL || s->db == NULL)
		return;
	if (s->files_prefix && strncmp(prefix, s->files_prefix, strlen(s->files_prefix)) == 0)
		return; /* loaded already */
	if ((st = state_range(s, "state", prefix)) == NULL)
		return;
	free(s->files_prefix);
	s->files_prefix = xstrdup(prefix);
	while (sqlite3_step(st) == SQLITE_ROW) {
		struct state_row *r = xcalloc(1, sizeof(*r));

		r->path = xstrdup((const char *)sqlite3_column_text(st, 0));
		state_row_from_stmt(r, st);
		state_table_put(&s->files, r, r->path, offsetof(struct state_row, next),
				state_row_path);
	}
	sqlite3_finalize(st);
}

void state_preload_dirs(struct state *s, const char *prefix)
{
	sqlite3_stmt *st;

	if (s == NULL || s->db == NULL)
		return;
	if (s->dirs_prefix && strncmp(prefix, s->dirs_prefix, strlen(s->dirs_prefix)) == 0)
		return; /* loaded already */
	if ((st = state_range(s, "dirs", prefix)) == NULL)
		return;
	free(s->dirs_prefix);
	s->dirs_prefix = xstrdup(prefix);
	while (sqlite3_step(st) == SQLITE_ROW) {
		struct state_dirrow *r = xcalloc(1, sizeof(*r));

		if (!state_dir_from_stmt(&r->d, st)) {
			free(r);
			continue;
		}
		r->path = xstrdup((const char *)sqlite3_column_text(st, 0));
		state_table_put(&s->dirs, r, r->path, offsetof(struct state_dirrow, next),
				state_dirrow_path);
	}
	sqlite3_finalize(st);
}

static bool state_row_matches(const struct state_row *r, const struct stat *st)
{
	int64_t mt = (int64_t)st->st_mtim.tv_sec * 1000000000 + st->st_mtim.tv_nsec;
	int64_t ct = (int64_t)st->st_ctim.tv_sec * 1000000000 + st->st_ctim.tv_nsec;

	if (r->recorded == 0 || r->dev != (int64_t)st->st_dev || r->ino != (int64_t)st->st_ino ||
	    r->size != (int64_t)st->st_size || r->mtime != mt || r->ctime != ct)
		return false;
	return !state_racy(st, r->recorded);
}

/* Find path in a preloaded table; NULL when absent. */
static void *state_table_get(const struct state_table *t, const char *path, size_t next_off,
			     const char *(*path_of)(const void *))
{
	void *x;

	if (t->nbuckets == 0)
		return NULL;
	for (x = t->v[state_hash(path) & (t->nbuckets - 1)]; x; x = STATE_NEXT(next_off, x))
		if (strcmp(path_of(x), path) == 0)
			return x;
	return NULL;
}

/* Bind path to a kept point query of table; true with a row to read. */
static bool state_point(struct state *s, sqlite3_stmt **q, const char *table, const char *path)
{
	if (*q == NULL) {
		char *sql = xasprintf("SELECT * FROM %s WHERE path = ?1", table);
		int rc = sqlite3_prepare_v2(s->db, sql, -1, q, NULL);

		free(sql);
		if (rc != SQLITE_OK) {
			*q = NULL;
			return false;
		}
	}
	sqlite3_reset(*q);
	sqlite3_bind_text(*q, 1, path, -1, SQLITE_TRANSIENT);
	return sqlite3_step(*q) == SQLITE_ROW;
}

bool state_lookup(struct state *s, const char *relpath, const struct stat *st, struct oid *id)
{
	struct state_row r, *x;

	if (s == NULL || s->db == NULL)
		return false;
	if (s->files_prefix && strncmp(relpath, s->files_prefix, strlen(s->files_prefix)) == 0) {
		/* preloaded here: the table has every row, no query needed */
		x = state_table_get(&s->files, relpath, offsetof(struct state_row, next),
				    state_row_path);
		if (x == NULL || !state_row_matches(x, st))
			return false;
		*id = x->id;
		return true;
	}
	if (!state_point(s, &s->q_file, "state", relpath))
		return false;
	state_row_from_stmt(&r, s->q_file);
	if (!state_row_matches(&r, st))
		return false;
	*id = r.id;
	return true;
}

bool state_dir_lookup(struct state *s, const char *relpath, const struct oid *fp,
		      struct state_dir *out)
{
	struct state_dirrow *x;
	struct state_dir d;

	if (s == NULL || s->db == NULL)
		return false;
	if (s->dirs_prefix && strncmp(relpath, s->dirs_prefix, strlen(s->dirs_prefix)) == 0) {
		x = state_table_get(&s->dirs, relpath, offsetof(struct state_dirrow, next),
				    state_dirrow_path);
		if (x == NULL || !oid_equal(&x->d.fp, fp))
			return false;
		*out = x->d;
		return true;
	}
	if (!state_point(s, &s->q_dir, "dirs", relpath) || !state_dir_from_stmt(&d, s->q_dir) ||
	    !oid_equal(&d.fp, fp))
		return false;
	*out = d;
	return true;
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

void state_dir_record(struct state *s, const char *relpath, const struct state_dir *d)
{
	struct state_dirrow *r;

	if (s == NULL || s->db == NULL)
		return;
	r = xcalloc(1, sizeof(*r));
	r->path = xstrdup(relpath);
	r->d = *d;
	r->next = s->pending_dirs;
	s->pending_dirs = r;
}

static void state_add_op(struct state *s, enum state_op_kind kind, const char *a, const char *b)
{
	if (s == NULL || s->db == NULL)
		return;
	XGROW(s->ops, s->nops + 1, s->capops);
	s->ops[s->nops].kind = kind;
	s->ops[s->nops].a = xstrdup(a);
	s->ops[s->nops].b = b ? xstrdup(b) : NULL;
	s->nops++;
}

void state_forget(struct state *s, const char *relpath)
{
	state_add_op(s, STATE_OP_FORGET, relpath, NULL);
}

void state_move(struct state *s, const char *from, const char *to)
{
	state_add_op(s, STATE_OP_MOVE, from, to);
}

/* Run one statement with ?1 (and ?2) bound; errors are ignored: it is a cache. */
static void state_exec2(sqlite3 *db, const char *sql, const char *a, const char *b)
{
	sqlite3_stmt *st = NULL;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return;
	sqlite3_bind_text(st, 1, a, -1, SQLITE_STATIC);
	if (b)
		sqlite3_bind_text(st, 2, b, -1, SQLITE_STATIC);
	sqlite3_step(st);
	sqlite3_finalize(st);
}

/* every row at or under ?1 */
#define STATE_UNDER "(path = ?1 OR (path > ?1 || '/' AND path < ?1 || '0'))"

static void state_apply_ops(struct state *s)
{
	static const char *const tables[] = { "state", "dirs" };
	size_t i, t;

	for (i = 0; i < s->nops; i++)
		for (t = 0; t < 2; t++) {
			char *sql;

			if (s->ops[i].kind == STATE_OP_FORGET) {
				sql = xasprintf("DELETE FROM %s WHERE " STATE_UNDER, tables[t]);
				state_exec2(s->db, sql, s->ops[i].a, NULL);
			} else {
				/* rows already at the destination are stale: replaced */
				sql = xasprintf("UPDATE OR REPLACE %s SET path = ?2 || substr(path, "
						"length(?1) + 1) WHERE " STATE_UNDER,
						tables[t]);
				state_exec2(s->db, sql, s->ops[i].a, s->ops[i].b);
			}
			free(sql);
		}
}

static void state_flush(struct state *s)
{
	sqlite3_stmt *ins = NULL;
	struct state_row *r;
	struct state_dirrow *d;

	if ((s->pending == NULL && s->pending_dirs == NULL && s->nops == 0) ||
	    sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
		return; /* busy: another process writes; our records are only a cache */
	state_apply_ops(s);
	if (s->pending &&
	    sqlite3_prepare_v2(s->db, "INSERT OR REPLACE INTO state VALUES(?1,?2,?3,?4,?5,?6,?7,?8)",
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
	ins = NULL;
	if (s->pending_dirs &&
	    sqlite3_prepare_v2(s->db, "INSERT OR REPLACE INTO dirs VALUES(?1,?2,?3,?4,?5)", -1, &ins,
			       NULL) == SQLITE_OK) {
		for (d = s->pending_dirs; d; d = d->next) {
			sqlite3_bind_text(ins, 1, d->path, -1, SQLITE_STATIC);
			sqlite3_bind_blob(ins, 2, d->d.fp.b, CAIRN_OID_RAWLEN, SQLITE_STATIC);
			sqlite3_bind_blob(ins, 3, d->d.id.b, CAIRN_OID_RAWLEN, SQLITE_STATIC);
			sqlite3_bind_int64(ins, 4, (sqlite3_int64)d->d.size);
			sqlite3_bind_int64(ins, 5, (sqlite3_int64)d->d.nfiles);
			sqlite3_step(ins);
			sqlite3_reset(ins);
		}
		sqlite3_finalize(ins);
	}
	sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL);
}

static void state_table_free(struct state_table *t, size_t next_off)
{
	size_t i;

	for (i = 0; i < t->nbuckets; i++) {
		void *x = t->v[i], *next;

		for (; x; x = next) {
			next = STATE_NEXT(next_off, x);
			/* both row kinds start with their path */
			free(*(char **)x);
			free(x);
		}
	}
	free(t->v);
}

void state_close(struct state *s)
{
	struct state_row *r, *next;
	struct state_dirrow *d, *dnext;
	size_t i;

	if (s == NULL)
		return;
	if (s->db) {
		sqlite3_finalize(s->q_file);
		sqlite3_finalize(s->q_dir);
		state_flush(s);
		sqlite3_close(s->db);
	}
	for (r = s->pending; r; r = next) {
		next = r->next;
		free(r->path);
		free(r);
	}
	for (d = s->pending_dirs; d; d = dnext) {
		dnext = d->next;
		free(d->path);
		free(d);
	}
	state_table_free(&s->files, offsetof(struct state_row, next));
	state_table_free(&s->dirs, offsetof(struct state_dirrow, next));
	free(s->files_prefix);
	free(s->dirs_prefix);
	for (i = 0; i < s->nops; i++) {
		free(s->ops[i].a);
		free(s->ops[i].b);
	}
	free(s->ops);
	free(s);
}
