/*
 * tempfile.c: fixed tables of temp paths, and of folders whose entries
 * with a given prefix are temp files, to unlink on an abnormal exit. Slots
 * are claimed with atomics so the cleanup can run from a signal handler
 * without taking a lock; folders are read with the getdents64 system call
 * into a static buffer (no malloc, as opendir would).
 */
#include "buildconf.h"

#include "core/tempfile.h"

#include <fcntl.h>
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define TEMPFILE_SLOTS 256
#define TEMPFILE_PATH_MAX 4096

struct tempfile_slot {
	atomic_int state; /* 0 free, 1 being written, 2 live */
	char path[TEMPFILE_PATH_MAX];
};

static struct tempfile_slot tempfile_table[TEMPFILE_SLOTS];

#define TEMPFILE_DIRS 64
#define TEMPFILE_PREFIX_MAX 64
#define TEMPFILE_SWEEPS 8

struct tempfile_dir {
	atomic_int state; /* 0 free, 1 being written, 2 live */
	char path[TEMPFILE_PATH_MAX];
	char prefix[TEMPFILE_PREFIX_MAX];
};

static struct tempfile_dir tempfile_dirs[TEMPFILE_DIRS];
static atomic_int tempfile_used; /* live or claimed file slots */
static atomic_int tempfile_ndirs; /* folder slots ever claimed (never freed) */
static atomic_int tempfile_dying;  /* the cleanup has begun: no new temp file may stay */

bool tempfile_is_dying(void)
{
	return atomic_load(&tempfile_dying) != 0;
}

int tempfile_register(const char *path)
{
	size_t len = strlen(path);
	int i;

	if (atomic_load(&tempfile_dying)) { /* made after the cleanup began: it goes now */
		unlink(path);
		return -1;
	}
	if (len >= TEMPFILE_PATH_MAX || atomic_load(&tempfile_used) >= TEMPFILE_SLOTS)
		return -1; /* table full: the file is still removed by its owner */
	for (i = 0; i < TEMPFILE_SLOTS; i++) {
		int expect = 0;

		if (atomic_compare_exchange_strong(&tempfile_table[i].state, &expect, 1)) {
			atomic_fetch_add(&tempfile_used, 1);
			memcpy(tempfile_table[i].path, path, len + 1);
			atomic_store(&tempfile_table[i].state, 2);
			return i;
		}
	}
	return -1;
}

void tempfile_forget(int id)
{
	if (id >= 0 && id < TEMPFILE_SLOTS && atomic_exchange(&tempfile_table[id].state, 0) != 0)
		atomic_fetch_sub(&tempfile_used, 1);
}

int tempfile_register_dir(const char *dir, const char *prefix)
{
	size_t len = strlen(dir), plen = strlen(prefix);
	int i;

	if (len >= TEMPFILE_PATH_MAX || plen == 0 || plen >= TEMPFILE_PREFIX_MAX)
		return -1;
	for (i = 0; i < TEMPFILE_DIRS; i++) /* once per folder and prefix */
		if (atomic_load(&tempfile_dirs[i].state) == 2 &&
		    strcmp(tempfile_dirs[i].path, dir) == 0 &&
		    strcmp(tempfile_dirs[i].prefix, prefix) == 0)
			return i;
	for (i = 0; i < TEMPFILE_DIRS; i++) {
		int expect = 0;

		if (atomic_compare_exchange_strong(&tempfile_dirs[i].state, &expect, 1)) {
			atomic_fetch_add(&tempfile_ndirs, 1);
			memcpy(tempfile_dirs[i].path, dir, len + 1);
			memcpy(tempfile_dirs[i].prefix, prefix, plen + 1);
			atomic_store(&tempfile_dirs[i].state, 2);
			return i;
		}
	}
	return -1;
}

/* Unlink the entries of dir whose name starts with prefix, without malloc; how many went. */
static int tempfile_sweep_dir(const char *dir, const char *prefix)
{
	static _Alignas(8) char buf[16384];
	static atomic_flag busy = ATOMIC_FLAG_INIT;
	size_t plen = strlen(prefix);
	long n, off;
	int fd, gone = 0;

	if (atomic_flag_test_and_set(&busy))
		return 0; /* another thread is sweeping: the buffer is in use */
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	while (fd >= 0 && (n = syscall(SYS_getdents64, fd, buf, sizeof(buf))) > 0) {
		for (off = 0; off < n;) {
			/* struct linux_dirent64: ino 8, off 8, reclen 2, type 1, name */
			uint16_t reclen;
			const char *name = buf + off + 19;

			memcpy(&reclen, buf + off + 16, sizeof(reclen));
			if (strncmp(name, prefix, plen) == 0 && unlinkat(fd, name, 0) == 0)
				gone++;
			off += reclen;
		}
	}
	if (fd >= 0)
		close(fd);
	atomic_flag_clear(&busy);
	return gone;
}

/* One sweep of every registered folder; the number of files removed. */
static int tempfile_sweep_all(void)
{
	int i, gone = 0;

	for (i = 0; i < TEMPFILE_DIRS; i++)
		if (atomic_load(&tempfile_dirs[i].state) == 2)
			gone += tempfile_sweep_dir(tempfile_dirs[i].path, tempfile_dirs[i].prefix);
	return gone;
}

void tempfile_cleanup_all(void)
{
	struct timespec pause = { 0, 5000000 };
	int i, pass;

	atomic_store(&tempfile_dying, 1);
	/* the slots are 4 KiB apart: reading them all would fault in every page */
	for (i = 0; i < TEMPFILE_SLOTS && atomic_load(&tempfile_used) > 0; i++)
		if (atomic_load(&tempfile_table[i].state) == 2)
			unlink(tempfile_table[i].path);
	if (atomic_load(&tempfile_ndirs) == 0)
		return;
	/*
	 * Other threads may still be making the file of the item they are on:
	 * sweep again until a pass finds nothing (a few passes at most).
	 */
	for (pass = 0; pass < TEMPFILE_SWEEPS; pass++)
		if (tempfile_sweep_all() == 0)
			break;
	/*
	 * A thread whose file appeared during the last pass removes it itself
	 * (tempfile_is_dying); give it the moment to, and look once more.
	 */
	nanosleep(&pause, NULL);
	tempfile_sweep_all();
}
