/*
 * The CPU seam for host-compiled unit tests: the console is captured in a
 * buffer the tests inspect, time is a counter they set, power off exits.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/cpu.h"
#include "tests/unit/unit.h"
#include "lib/log.h"

char unit_console[65536];
size_t unit_console_len;
uint64_t unit_now_ns;


void unit_console_reset(void)
{
	unit_console_len = 0;
	unit_console[0] = '\0';
}

void cpu_console_write(const char *s, size_t n)
{
	if (unit_console_len + n >= sizeof(unit_console))
		n = sizeof(unit_console) - 1 - unit_console_len;
	memcpy(unit_console + unit_console_len, s, n);
	unit_console_len += n;
	unit_console[unit_console_len] = '\0';
}

uint64_t cpu_now_ns(void)
{
	return unit_now_ns;
}

/* No page allocator here: nothing is free. */
void cpu_page_counts(uint64_t *free_pages, uint64_t *total_pages)
{
	*free_pages = *total_pages = 0;
}

void cpu_power_off(enum exit_status st, bool reboot)
{
	exit(100 + (int)st);
}

/* A test has no entry of the kernel's: attach the stub console and clock before main. */
__attribute__((constructor)) static void unit_log_attach(void)
{
	log_attach(cpu_console_write, cpu_now_ns);
}
