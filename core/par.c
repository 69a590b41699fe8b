/*
 * par.c: a fixed pool of threads pulling indexes from an atomic counter.
 */
#include "buildconf.h"

#include "core/par.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <unistd.h>

#include "core/xmalloc.h"

struct par_run {
	size_t n;
	atomic_size_t next;
	atomic_bool stop;
	par_item_cb fn;
	void *arg;
	par_cancel_cb cancel;
	void *cancel_arg;
	pthread_mutex_t lock;
	bool failed;
	struct err_copy err; /* first error */
};

struct par_thread {
	struct par_run *run;
	int index;
};

const struct cairn_error *par_jobs_parse(int *out, const char *what, const char *text, int max)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(text, &end, 10);
	if (errno || end == text || *end || v < 1 || v > max)
		return err_new(CAIRN_ERR_USAGE, "%s: '%s' is not a number from 1 to %d", what, text,
			       max);
	*out = (int)v;
	return NULL;
}

int par_ncpu(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n < 1 ? 1 : (int)n;
}

static void par_fail(struct par_run *r, const struct cairn_error *e)
{
	pthread_mutex_lock(&r->lock);
	if (!r->failed) {
		r->failed = true;
		err_save(&r->err, e);
	}
	pthread_mutex_unlock(&r->lock);
	atomic_store(&r->stop, true);
}

/* set from a signal handler: every run stops taking items */
static atomic_bool par_aborted;

void par_abort_all(void)
{
	atomic_store(&par_aborted, true);
}

static void *par_worker(void *p)
{
	struct par_thread *t = p;
	struct par_run *r = t->run;

	while (!atomic_load(&r->stop) && !atomic_load(&par_aborted)) {
		size_t i = atomic_fetch_add(&r->next, 1);
		const struct cairn_error *e;

		if (i >= r->n)
			break;
		if (t->index == 0 && r->cancel && (e = r->cancel(r->cancel_arg)) != NULL) {
			par_fail(r, e);
			break;
		}
		if ((e = r->fn(r->arg, i, t->index)) != NULL) {
			par_fail(r, e);
			break;
		}
	}
	return NULL;
}

const struct cairn_error *par_run(size_t n, int jobs, par_item_cb fn, void *arg,
				  par_cancel_cb cancel, void *cancel_arg)
{
	struct par_run r;
	struct par_thread *ts;
	pthread_t *tids;
	int i, started = 0;

	if (n == 0)
		return NULL;
	if (jobs <= 0)
		jobs = par_ncpu();
	if ((size_t)jobs > n)
		jobs = (int)n;
	r.n = n;
	atomic_init(&r.next, 0);
	atomic_init(&r.stop, false);
	r.fn = fn;
	r.arg = arg;
	r.cancel = cancel;
	r.cancel_arg = cancel_arg;
	r.failed = false;
	pthread_mutex_init(&r.lock, NULL);
	ts = xcalloc((size_t)jobs, sizeof(*ts));
	tids = xcalloc((size_t)jobs, sizeof(*tids));
	for (i = 1; i < jobs; i++) {
		ts[i].run = &r;
		ts[i].index = i;
		if (pthread_create(&tids[i], NULL, par_worker, &ts[i]) != 0)
			break;
		started++;
	}
	ts[0].run = &r;
	ts[0].index = 0;
	par_worker(&ts[0]); /* the calling thread works too */
	for (i = 1; i <= started; i++)
		pthread_join(tids[i], NULL);
	free(ts);
	free(tids);
	pthread_mutex_destroy(&r.lock);
	if (r.failed)
		return err_load(&r.err);
	/* a cancel that came while the other threads finished still counts */
	return cancel ? cancel(cancel_arg) : NULL;
}
