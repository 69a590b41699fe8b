/*
 * fault.h: fault injection points for the tests (the kill -9 and Ctrl-C
 * cases of issue 3). CAIRN_TEST_FAULT="POINT[:N[:ACTION]]" makes the N-th
 * pass (default 1) through the named point act: "kill" (the default,
 * SIGKILL, like a power cut), "int" (SIGINT, like Ctrl-C), "int2" (two
 * SIGINTs, like pressing Ctrl-C twice), "term" (SIGTERM, as from kill or
 * a CI runner's timeout) or "sleep=MS"
 * (pause, e.g. to hold the repository lock). Without the variable a point
 * costs one test of a cached flag. Thread-safe.
 */
#ifndef CAIRN_CORE_FAULT_H
#define CAIRN_CORE_FAULT_H

/* Pass through the named point. */
void fault_point(const char *name);

#endif
