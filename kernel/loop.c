/* The single-threaded event loop (see loop.h). */
#include "kernel/loop.h"

#include "kernel/cpu.h"
#include "kernel/panic.h"

/*
 * Longest sleep between polls when nothing is pending.  Host messages and
 * channel signals interrupt the sleep, timed work says when it is due
 * (loop_wake_by), so this only bounds how late we notice a host that
 * writes without interrupting.  Why not 1 ms: on the nested host every
 * wake-up is a VM exit through an emulated CPU; 10 ms halves what a second
 * of waiting costs there (bench/idle.sh).
 */
#define LOOP_IDLE_NS 10000000ull

static struct {
	loop_poll_fn fn;
	void *ctx;
} pollers[LOOP_MAX_POLLERS];
static unsigned npollers;
static uint64_t global_deadline = UINT64_MAX;
static uint64_t wake_at = UINT64_MAX;
/* loop.h's rules: waits active now; packet callbacks and message handlers running now */
static unsigned depth, in_callback;

bool loop_add_poller(loop_poll_fn fn, void *ctx)
{
	if (npollers == LOOP_MAX_POLLERS)
		return false;
	pollers[npollers].fn = fn;
	pollers[npollers].ctx = ctx;
	npollers++;
	return true;
}

void loop_set_global_deadline(uint64_t at_ns)
{
	global_deadline = at_ns;
}

void loop_wake_by(uint64_t at_ns)
{
	if (at_ns < wake_at)
		wake_at = at_ns;
}

void loop_callback_enter(void)
{
	in_callback++;
}

void loop_callback_leave(void)
{
	in_callback--;
}

static bool wait_once(const char *what, bool (*done)(void *ctx), void *ctx, uint64_t deadline_ns)
{
	for (;;) {
		bool busy = false;
		uint64_t now, until;

		wake_at = UINT64_MAX;
		for (unsigned i = 0; i < npollers; i++)
			busy |= pollers[i].fn(pollers[i].ctx);
		if (done && done(ctx))
			return true;
		now = cpu_now_ns();
		if (now >= global_deadline)
			fatal("kernel.deadline", "global deadline passed while waiting for %s", what);
		if (now >= deadline_ns)
			return false;
		if (busy)
			continue;
		until = deadline_ns < global_deadline ? deadline_ns : global_deadline;
		if (wake_at < until)
			until = wake_at > now ? wake_at : now;
		cpu_wait(until - now < LOOP_IDLE_NS ? until - now : LOOP_IDLE_NS);
	}
}

bool loop_wait(const char *what, bool (*done)(void *ctx), void *ctx, uint64_t deadline_ns)
{
	bool r;

	if (in_callback)
		fatal("kernel.loop", "waiting for %s from a packet callback or message handler: callbacks may not wait (kernel/loop.h)",
		      what);
	if (depth >= LOOP_MAX_DEPTH)
		fatal("kernel.loop", "waiting for %s nested %u deep: at most %u waits at once (kernel/loop.h)", what,
		      depth + 1, LOOP_MAX_DEPTH);
	depth++;
	r = wait_once(what, done, ctx, deadline_ns);
	depth--;
	return r;
}
