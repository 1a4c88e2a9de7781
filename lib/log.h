/*
 * Console logging: formatted lines written to the console the program gives
 * with log_attach() (lib/ knows nothing of the machine below it).
 */
#ifndef HVPROBE_LOG_H
#define HVPROBE_LOG_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/fmt.h"

/*
 * The machine's console writer and monotonic clock, given once by the
 * program's entry (the UEFI entry, hvsim, a test's stub) before anything is
 * logged; lines logged before are dropped.
 */
void log_attach(void (*write)(const char *s, size_t n), uint64_t (*now_ns)(void));
/* The clock given to log_attach (0 without one): the report's timestamps. */
uint64_t log_now_ns(void);

/* Print a formatted message on the console (no newline added). */
void log_printf(const char *fmt, ...) FMT_PRINTF(1, 2);
void log_vprintf(const char *fmt, va_list ap);

/* Write @n bytes at @s to the console as they are. */
void log_write(const char *s, size_t n);

/* Like log_printf, but only when verbose logging is on. */
void log_debug(const char *fmt, ...) FMT_PRINTF(1, 2);
void log_set_verbose(bool on);

#endif
