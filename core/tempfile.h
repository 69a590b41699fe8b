/*
 * tempfile.h: registry of temporary files to remove if cairn exits early
 * (out of memory, fatal signal). Normal code removes its temp files itself
 * and then forgets them. Thread-safe.
 */
#ifndef CAIRN_CORE_TEMPFILE_H
#define CAIRN_CORE_TEMPFILE_H

/* Register an absolute path; returns a slot id for tempfile_forget (or -1). */
int tempfile_register(const char *path);

/* Forget a registered path (it was renamed into place or removed). */
void tempfile_forget(int id);

/* Unlink every registered path. Safe to call from a signal handler. */
void tempfile_cleanup_all(void);

#endif
