/*
 * A minimal unit-test harness: TEST(name) defines a test, EXPECT(cond)
 * records a failure with file and line, and main() (UNIT_MAIN) runs every
 * test and ends with "N passed, N failed".
 */
#ifndef HVPROBE_UNIT_H
#define HVPROBE_UNIT_H

#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>

struct unit_test {
	const char *name;
	void (*fn)(void);
};

extern struct unit_test unit_tests[];
extern int unit_failed_now;

#define EXPECT(cond)                                                               \
	do {                                                                       \
		if (!(cond)) {                                                     \
			fprintf(stderr, "  %s:%d: EXPECT(%s) failed\n", __FILE__, __LINE__, #cond); \
			unit_failed_now = 1;                                       \
		}                                                                  \
	} while (0)

#define EXPECT_STR(a, b)                                                           \
	do {                                                                       \
		const char *a_ = (a), *b_ = (b);                                   \
		if (strcmp(a_, b_)) {                                              \
			fprintf(stderr, "  %s:%d: \"%s\" != \"%s\"\n", __FILE__, __LINE__, a_, b_); \
			unit_failed_now = 1;                                       \
		}                                                                  \
	} while (0)

#define UNIT_MAIN                                                                  \
	int unit_failed_now;                                                       \
	int main(void)                                                             \
	{                                                                          \
		int passed = 0, failed = 0;                                        \
		for (struct unit_test *t = unit_tests; t->name; t++) {             \
			unit_failed_now = 0;                                       \
			t->fn();                                                   \
			printf("%s %s\n", unit_failed_now ? "FAIL" : "ok  ", t->name); \
			if (unit_failed_now)                                       \
				failed++;                                          \
			else                                                       \
				passed++;                                          \
		}                                                                  \
		printf("%d passed, %d failed\n", passed, failed);                  \
		return failed ? 1 : 0;                                             \
	}

/* The stub machine (stub_cpu.c): the console text so far, and the clock. */
extern char unit_console[];
extern uint64_t unit_now_ns;
void unit_console_reset(void);

/* lib/str.c built freestanding, its symbols renamed fs_* (Makefile FS_SYMS). */
void *fs_memmove(void *dst, const void *src, size_t n);
int fs_memcmp(const void *a, const void *b, size_t n);
size_t fs_strlen(const char *s);
int fs_strcmp(const char *a, const char *b);
int fs_strncmp(const char *a, const char *b, size_t n);

#endif
