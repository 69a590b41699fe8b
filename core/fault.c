/*
 * fault.c: the CAIRN_TEST_FAULT parser and trigger. The variable is read
 * once; a counter shared by all threads picks the N-th pass.
 */
#include "buildconf.h"

#include "core/fault.h"

#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum fault_action { FAULT_KILL, FAULT_INT, FAULT_INT2, FAULT_TERM, FAULT_SLEEP };

static pthread_once_t fault_once = PTHREAD_ONCE_INIT;
static bool fault_armed;
static char fault_name[64];
static long fault_nth = 1;
static enum fault_action fault_action;
static long fault_sleep_ms;
static atomic_long fault_hits;

static void fault_init(void)
{
	const char *spec = getenv("CAIRN_TEST_FAULT"), *colon, *act;
	size_t n;

	if (spec == NULL || *spec == '\0')
		return;
	colon = strchr(spec, ':');
	n = colon ? (size_t)(colon - spec) : strlen(spec);
	if (n == 0 || n >= sizeof(fault_name))
		return;
	memcpy(fault_name, spec, n);
	fault_name[n] = '\0';
	if (colon) {
		fault_nth = strtol(colon + 1, NULL, 10);
		if (fault_nth < 1)
			fault_nth = 1;
		act = strchr(colon + 1, ':');
		if (act && strcmp(act + 1, "int") == 0) {
			fault_action = FAULT_INT;
		} else if (act && strcmp(act + 1, "int2") == 0) {
			fault_action = FAULT_INT2;
		} else if (act && strcmp(act + 1, "term") == 0) {
			fault_action = FAULT_TERM;
		} else if (act && strncmp(act + 1, "sleep=", 6) == 0) {
			fault_action = FAULT_SLEEP;
			fault_sleep_ms = strtol(act + 7, NULL, 10);
		}
	}
	fault_armed = true;
}

void fault_point(const char *name)
{
	struct timespec ts;

	pthread_once(&fault_once, fault_init);
	if (!fault_armed || strcmp(name, fault_name) != 0)
		return;
	if (atomic_fetch_add(&fault_hits, 1) + 1 != fault_nth)
		return;
	switch (fault_action) {
	case FAULT_KILL:
		raise(SIGKILL);
		break;
	case FAULT_INT:
		raise(SIGINT);
		break;
	case FAULT_INT2: /* a second Ctrl-C: stop at once */
		raise(SIGINT);
		raise(SIGINT);
		break;
	case FAULT_TERM:
		raise(SIGTERM);
		break;
	case FAULT_SLEEP:
		ts.tv_sec = fault_sleep_ms / 1000;
		ts.tv_nsec = (fault_sleep_ms % 1000) * 1000000L;
		while (nanosleep(&ts, &ts) != 0)
			;
		break;
	}
}
