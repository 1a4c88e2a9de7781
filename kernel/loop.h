/*
 * The event loop: one virtual processor, one loop.  Pollers do the work
 * (SynIC messages, channel rings, housekeeping of offers and rescinds,
 * timed work); waits name what they wait for and have a deadline; the
 * global deadline guarantees a verdict.
 *
 * The rules (enforced here; a violation ends the run with the failed check
 * "kernel.loop" naming the wait):
 *  - Who may wait (call loop_wait): the main flow (kernel/main.c and what it
 *    calls) and a device's bring-up (a driver's open, and the requests of
 *    its negotiation: netvsc's NVSP and RNDIS, storvsc's LUN scan), which
 *    may run from a poller (housekeeping opens a late offer) and so inside
 *    another wait.
 *  - Who may never wait: a packet callback (a driver's on-packet, which
 *    drivers/vmbus runs between loop_callback_enter() and
 *    loop_callback_leave()) and a SynIC message handler (VMBus control
 *    messages included; drivers/hyperv/synic.c marks them the same way).
 *    They record what arrived and return; the waiter's done() sees it.
 *  - Nesting: at most LOOP_MAX_DEPTH waits at once, counting the outermost:
 *    the main flow's wait, a bring-up run by a poller inside it, and one
 *    request of that bring-up.  Deeper means a bring-up started another
 *    bring-up, which nothing needs.
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

/* How many loop_wait calls may be active at once (see the rules above). */
#define LOOP_MAX_DEPTH 3

/*
 * Run the loop until @done(@ctx) is true (true returned) or @deadline_ns
 * passes (false returned).  @done may be NULL to just run until the
 * deadline.  Passing the global deadline ends the run with the failed
 * check "kernel.deadline" naming @what; a wait from a packet callback or
 * message handler, or deeper than LOOP_MAX_DEPTH, ends it with the failed
 * check "kernel.loop" naming @what.
 */
bool loop_wait(const char *what, bool (*done)(void *ctx), void *ctx, uint64_t deadline_ns);

/*
 * Around a packet callback or a message handler: no loop_wait between
 * enter and leave.  They nest (a message handler may run a callback).
 */
void loop_callback_enter(void);
void loop_callback_leave(void);

/* From a poller: poll again by @at_ns (timed work); the loop sleeps no longer. */
void loop_wake_by(uint64_t at_ns);

#endif
