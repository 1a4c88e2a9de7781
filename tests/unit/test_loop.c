/*
 * Unit tests of kernel/loop.c's rules (loop.h): the main flow and a bring-up
 * may wait, nested up to LOOP_MAX_DEPTH; a packet callback or message
 * handler may not.  A violation ends the run through fatal("kernel.loop"):
 * here fatal() records its check and jumps back to the test.
 */
#include <setjmp.h>
#include <stdarg.h>

#include "kernel/loop.c"
#include "kernel/panic.h"

#include "tests/unit/unit.h"

static jmp_buf fatal_jump;
static char fatal_id[64], fatal_reason[256];

void fatal(const char *id, const char *fmt, ...)
{
	va_list ap;

	snprintf(fatal_id, sizeof(fatal_id), "%s", id);
	va_start(ap, fmt);
	vsnprintf(fatal_reason, sizeof(fatal_reason), fmt, ap);
	va_end(ap);
	longjmp(fatal_jump, 1);
}

void cpu_wait(uint64_t max_ns)
{
	unit_now_ns += max_ns ? max_ns : 1;
}

static bool always(void *ctx)
{
	return true;
}

/* The poller's work: wait once more from inside a wait, @ctx levels deep. */
static unsigned nest_left, deepest;

static bool nest(void *ctx)
{
	if (nest_left) {
		nest_left--;
		if (depth > deepest)
			deepest = depth;
		loop_wait("a nested wait", always, NULL, UINT64_MAX);
	}
	return false;
}

/* A packet callback that waits: what the rule forbids. */
static bool callback_waits(void *ctx)
{
	loop_callback_enter();
	loop_wait("a reply, from a packet callback", always, NULL, UINT64_MAX);
	loop_callback_leave();
	return false;
}

static void reset(void)
{
	npollers = 0;
	depth = 0;
	in_callback = 0;
	global_deadline = UINT64_MAX;
	fatal_id[0] = fatal_reason[0] = '\0';
}

static void test_wait_returns(void)
{
	reset();
	EXPECT(loop_wait("nothing", always, NULL, UINT64_MAX));
	EXPECT(!loop_wait("a deadline", NULL, NULL, unit_now_ns + 1000));
	EXPECT(depth == 0);
}

static void test_nesting_allowed(void)
{
	reset();
	loop_add_poller(nest, NULL);
	nest_left = LOOP_MAX_DEPTH - 1; /* the main flow's wait plus LOOP_MAX_DEPTH - 1 nested */
	deepest = 0;
	if (setjmp(fatal_jump) == 0) {
		EXPECT(loop_wait("the main flow", always, NULL, UINT64_MAX));
		EXPECT(deepest == LOOP_MAX_DEPTH - 1);
		EXPECT(depth == 0);
	} else {
		EXPECT(!"fatal() at the allowed depth");
	}
}

static void test_nesting_too_deep(void)
{
	reset();
	loop_add_poller(nest, NULL);
	nest_left = LOOP_MAX_DEPTH;
	if (setjmp(fatal_jump) == 0) {
		loop_wait("the main flow", always, NULL, UINT64_MAX);
		EXPECT(!"no fatal() past the allowed depth");
	} else {
		EXPECT_STR(fatal_id, "kernel.loop");
		EXPECT(strstr(fatal_reason, "a nested wait") != NULL);
		EXPECT(strstr(fatal_reason, "deep") != NULL);
	}
}

static void test_callback_may_not_wait(void)
{
	reset();
	loop_add_poller(callback_waits, NULL);
	if (setjmp(fatal_jump) == 0) {
		loop_wait("the main flow", always, NULL, UINT64_MAX);
		EXPECT(!"no fatal() for a wait in a packet callback");
	} else {
		EXPECT_STR(fatal_id, "kernel.loop");
		EXPECT(strstr(fatal_reason, "from a packet callback") != NULL);
		EXPECT(strstr(fatal_reason, "callback") != NULL);
	}
}

struct unit_test unit_tests[] = {
	{ "loop.wait_returns", test_wait_returns },
	{ "loop.nesting_allowed", test_nesting_allowed },
	{ "loop.nesting_too_deep", test_nesting_too_deep },
	{ "loop.callback_may_not_wait", test_callback_may_not_wait },
	{ NULL, NULL },
};

UNIT_MAIN
