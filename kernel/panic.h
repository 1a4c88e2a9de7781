/*
 * The end of a run that cannot go on: a failed check naming what happened,
 * the summary and a FAIL verdict, then power off with a non-zero status.
 */
#ifndef HVPROBE_PANIC_H
#define HVPROBE_PANIC_H

#include "lib/fmt.h"

/* Record check @id as failed with the reason, finish the report, power off. */
__attribute__((noreturn)) void fatal(const char *id, const char *fmt, ...) FMT_PRINTF(2, 3);

/* An internal error: message, register dump, then fatal("kernel.panic"). */
__attribute__((noreturn)) void panic(const char *fmt, ...) FMT_PRINTF(1, 2);

#define ASSERT(cond)                                                              \
	do {                                                                      \
		if (!(cond))                                                      \
			panic("assertion failed: %s (%s:%d)", #cond, __FILE__, __LINE__); \
	} while (0)

#endif
