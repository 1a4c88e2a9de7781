/*
 * The event loop: one virtual processor, one loop.  Pollers do the work
 * (later: SynIC messages, channel rings); waits name what they wait for and
 * have a deadline; the global deadline guarantees a verdict.
 */
#ifndef HVPROBE_LOOP_H
#define HVPROBE_LOOP_H

#include <stdbool.h>
#include <stdint.h>

/* A poller does pending work and returns true when it did any. */
typedef bool (*loop_poll_fn)(void *ctx);

/* Register a poller (at most LOOP_MAX_POLLERS); false when the table is full. */
#define LOOP_MAX_POLLERS 16
bool loop_add_poller(loop_poll_fn fn, void *ctx);

/* Set the absolute global deadline (ns on the cpu_now_ns() clock). */
void loop_set_global_deadline(uint64_t at_ns);

/*
 * Run the loop until @done(@ctx) is true (true returned) or @deadline_ns
 * passes (false returned).  @done may be NULL to just run until the
 * deadline.  Passing the global deadline ends the run with the failed
 * check "kernel.deadline" naming @what.
 */
bool loop_wait(const char *what, bool (*done)(void *ctx), void *ctx, uint64_t deadline_ns);

/* From a poller: poll again by @at_ns (timed work); the loop sleeps no longer. */
void loop_wake_by(uint64_t at_ns);

#endif
