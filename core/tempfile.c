/*
 * tempfile.c: fixed table of temp paths to unlink on an abnormal exit.
 * Slots are claimed with atomics so the cleanup can run from a signal
 * handler without taking a lock.
 */
#include "buildconf.h"

#include "core/tempfile.h"

#include <stdatomic.h>
#include <string.h>
#include <unistd.h>

#define TEMPFILE_SLOTS 256
#define TEMPFILE_PATH_MAX 4096

struct tempfile_slot {
	atomic_int state; /* 0 free, 1 being written, 2 live */
	char path[TEMPFILE_PATH_MAX];
};

static struct tempfile_slot tempfile_table[TEMPFILE_SLOTS];

int tempfile_register(const char *path)
{
	size_t len = strlen(path);
	int i;

	if (len >= TEMPFILE_PATH_MAX)
		return -1;
	for (i = 0; i < TEMPFILE_SLOTS; i++) {
		int expect = 0;

		if (atomic_compare_exchange_strong(&tempfile_table[i].state, &expect, 1)) {
			memcpy(tempfile_table[i].path, path, len + 1);
			atomic_store(&tempfile_table[i].state, 2);
			return i;
		}
	}
	return -1; /* table full: the file is still removed by its owner */
}

void tempfile_forget(int id)
{
	if (id >= 0 && id < TEMPFILE_SLOTS)
		atomic_store(&tempfile_table[id].state, 0);
}

void tempfile_cleanup_all(void)
{
	int i;

	for (i = 0; i < TEMPFILE_SLOTS; i++)
		if (atomic_load(&tempfile_table[i].state) == 2)
			unlink(tempfile_table[i].path);
}
