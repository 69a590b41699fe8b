/*
 * scan.c: workspace folder scans through directory descriptors that never
 * follow a symlink. Folders are scanned as tasks on all cores (a shared
 * stack; each task fills its own folder's entries and pushes its
 * subfolders), so the result does not depend on the number of threads.
 */
#include "buildconf.h"

#include "core/scan.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/fsutil.h"
#include "core/name.h"
#include "core/par.h"
#include "core/ptr.h"
#include "core/xmalloc.h"

/* One folder to read: its entries go to t. */
struct scan_task {
	struct tree *t;
	char *path; /* relative to rootfd */
	int depth;
};

struct scan {
	const struct scan_opts *o;
	int rootfd;
	pthread_mutex_t lock; /* guards the fields below */
	pthread_cond_t more;
	struct scan_task *stack;
	size_t n, cap;
	int busy;        /* tasks being worked on */
	bool failed;
	struct err_copy err;
};
bool scan_cache_link(struct oid *id, const char *target, const char *cache_dir)
{
	size_t n;
	char hex[CAIRN_OID_HEXLEN + 1];

	if (cache_dir == NULL || target[0] != '/')
		return false;
	n = strlen(cache_dir);
	if (strncmp(target, cache_dir, n) != 0 || strncmp(target + n, "/sha256/", 8) != 0)
		return false;
	target += n + 8;
	if (strlen(target) != CAIRN_OID_HEXLEN + 1 || target[2] != '/')
		return false;
	memcpy(hex, target, 2);
	memcpy(hex + 2, target + 3, CAIRN_OID_HEXLEN - 2);
	hex[CAIRN_OID_HEXLEN] = '\0';
	return oid_fromhex(id, hex);
}

static const struct cairn_error *scan_refuse(const char *path, const char *why)
{
	return err_new(CAIRN_ERR_FAILED, "cannot track '%s': %s", path, why);
}

static void scan_push(struct scan *s, struct tree *t, const char *path, int depth)
{
	pthread_mutex_lock(&s->lock);
	XGROW(s->stack, s->n + 1, s->cap);
	s->stack[s->n].t = t;
	s->stack[s->n].path = xstrdup(path);
	s->stack[s->n].depth = depth;
	s->n++;
	pthread_cond_signal(&s->more);
	pthread_mutex_unlock(&s->lock);
}

static int scan_cmp(const void *a, const void *b)
{
	return strcmp(((const struct tree_entry *)a)->name, ((const struct tree_entry *)b)->name);
}

/* Read one folder into its tree; subfolders become new tasks. */
static const struct cairn_error *scan_one(struct scan *s, struct scan_task *task)
{
	const struct cairn_error *e = NULL;
	struct tree *t = task->t;
	struct buf path = BUF_INIT;
	struct dirent *de;
	size_t len, i;
	int64_t start = fs_now_ns(); /* every stat of this folder is taken after this */
	int fd;
	DIR *d;

	if (task->depth > TREE_MAX_DEPTH)
		return err_new(CAIRN_ERR_FAILED, "'%s': folders nested too deeply", task->path);
	if ((e = fs_open_dir_beneath(&fd, s->rootfd, task->path, false)) != NULL)
		return e;
	d = fdopendir(fd);
	if (d == NULL) {
		close(fd);
		return err_errno("open folder '%s'", task->path);
	}
	buf_init(&path);
	buf_adds(&path, task->path);
	len = path.len;
	while ((de = readdir(d)) != NULL) {
		const char *name = de->d_name, *why;
		struct tree_entry *te;
		struct stat st;
		size_t nlen;

		if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
			continue;
		path.len = len;
		path.s[len] = '\0';
		if (len)
			buf_addch(&path, '/');
		buf_adds(&path, name);
		nlen = strlen(name);
		why = name_check(name);
		if (why == NULL && nlen > strlen(PTR_SUFFIX) &&
		    strcmp(name + nlen - strlen(PTR_SUFFIX), PTR_SUFFIX) == 0)
			why = "it holds a cairn pointer file; a tracked output cannot contain another";
		if (fstatat(dirfd(d), name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
			if (errno == ENOENT)
				continue; /* vanished while scanning */
			e = err_errno("stat '%s'", path.s);
			break;
		}
		if (why == NULL && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode) && !S_ISLNK(st.st_mode))
			why = "not a regular file, folder or symlink";
		if (why) {
			if (s->o->strict) {
				e = scan_refuse(path.s, why);
				break;
			}
			te = tree_add(t, name, TREE_OTHER);
			te->st = st;
			continue;
		}
		if (S_ISDIR(st.st_mode)) {
			te = tree_add(t, name, TREE_DIR);
			te->st = st;
			te->sub = tree_new();
			/* te may move when t grows; the subtree does not */
			scan_push(s, te->sub, path.s, task->depth + 1);
		} else if (S_ISLNK(st.st_mode)) {
			char target[PATH_MAX + 1];
			ssize_t n = readlinkat(dirfd(d), name, target, PATH_MAX);
			struct oid id;

			if (n < 0) {
				e = err_errno("read symlink '%s'", path.s);
				break;
			}
			target[n] = '\0';
			if (scan_cache_link(&id, target, s->o->cache_dir)) {
				struct stat ost;

				te = tree_add(t, name, TREE_FILE);
				te->st = st;
				te->id = id;
				te->known = true;
				te->cache_link = true;
				te->size = stat(target, &ost) == 0 ? (uint64_t)ost.st_size : 0;
				continue;
			}
			/* lexically; chains through other symlinks: tree_check_links */
			why = name_check_link_target(target, task->depth);
			if (why) {
				if (s->o->strict) {
					e = scan_refuse(path.s, why);
					break;
				}
				te = tree_add(t, name, TREE_OTHER);
				te->st = st;
				continue;
			}
			te = tree_add(t, name, TREE_SYMLINK);
			te->st = st;
			te->target = xstrdup(target);
		} else {
			te = tree_add(t, name, TREE_FILE);
			te->st = st;
			te->size = (uint64_t)st.st_size;
			te->exec = (st.st_mode & S_IXUSR) != 0;
		}
	}
	closedir(d);
	buf_release(&path);
	for (i = 0; i < t->n; i++)
		t->e[i].statted_ns = start;
	if (t->n > 1)
		qsort(t->e, t->n, sizeof(*t->e), scan_cmp);
	return e;
}

static void *scan_worker(void *arg)
{
	struct scan *s = arg;
	struct scan_task task;

	pthread_mutex_lock(&s->lock);
	for (;;) {
		const struct cairn_error *e;

		while (s->n == 0 && s->busy > 0 && !s->failed)
			pthread_cond_wait(&s->more, &s->lock);
		if (s->failed || (s->n == 0 && s->busy == 0))
			break;
		task = s->stack[--s->n];
		s->busy++;
		pthread_mutex_unlock(&s->lock);
		e = scan_one(s, &task);
		free(task.path);
		pthread_mutex_lock(&s->lock);
		s->busy--;
		if (e && !s->failed) {
			s->failed = true;
			err_save(&s->err, e);
		}
		if (s->n > 0 || s->busy == 0 || s->failed)
			pthread_cond_broadcast(&s->more);
	}
	pthread_cond_broadcast(&s->more);
	pthread_mutex_unlock(&s->lock);
	return NULL;
}

const struct cairn_error *scan_dir(struct tree **out, int rootfd, const char *rel,
				   const struct scan_opts *o)
{
	const struct cairn_error *e = NULL;
	struct scan s;
	struct tree *t;
	pthread_t *tids;
	int jobs = par_ncpu(), started = 0, i, fd;
	size_t k;

	/* a missing folder or a symlink is the caller's error, named plainly */
	if ((e = fs_open_dir_beneath(&fd, rootfd, rel, false)) != NULL)
		return e;
	close(fd);
	memset(&s, 0, sizeof(s));
	s.o = o;
	s.rootfd = rootfd;
	pthread_mutex_init(&s.lock, NULL);
	pthread_cond_init(&s.more, NULL);
	t = tree_new();
	scan_push(&s, t, rel, 0);
	tids = xcalloc((size_t)jobs, sizeof(*tids));
	for (i = 1; i < jobs; i++)
		if (pthread_create(&tids[i], NULL, scan_worker, &s) == 0)
			started = i;
		else
			break;
	scan_worker(&s);
	for (i = 1; i <= started; i++)
		pthread_join(tids[i], NULL);
	free(tids);
	for (k = 0; k < s.n; k++)
		free(s.stack[k].path);
	free(s.stack);
	pthread_cond_destroy(&s.more);
	pthread_mutex_destroy(&s.lock);
	e = s.failed ? err_load(&s.err) : NULL;
	/* what is stored must stay inside when followed, also through other links */
	if (e == NULL && o->strict && (e = tree_check_links(t, rel)) != NULL)
		e = err_new(CAIRN_ERR_FAILED, "cannot track '%s': %s", rel, e->msg);
	if (e) {
		tree_free(t);
		return e;
	}
	*out = t;
	return NULL;
}
