/*
 * tempfile.h: registry of temporary files to remove if cairn exits early
 * (out of memory, fatal signal). Normal code removes its temp files itself
 * and then forgets them. Thread-safe.
 */
#ifndef CAIRN_CORE_TEMPFILE_H
#define CAIRN_CORE_TEMPFILE_H

#include <stdbool.h>

/* Register an absolute path; returns a slot id for tempfile_forget (or -1). */
int tempfile_register(const char *path);

/* Forget a registered path (it was renamed into place or removed). */
void tempfile_forget(int id);

/*
 * Register a folder whose entries named prefix... are this process's temp
 * files (prefix holds the pid), for callers with more temp files at once
 * than the path table holds. Once per folder and prefix; returns its slot
 * or -1.
 */
int tempfile_register_dir(const char *dir, const char *prefix);

/*
 * Unlink every registered path and folder entry. Safe to call from a signal
 * handler. From then on tempfile_register removes the file it is given,
 * and a thread that made a temp file in a registered folder must check
 * tempfile_is_dying and remove it.
 */
void tempfile_cleanup_all(void);
/* Has tempfile_cleanup_all begun? */
bool tempfile_is_dying(void);

#endif
