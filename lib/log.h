/* Console logging: formatted lines written through the CPU seam. */
#ifndef HVPROBE_LOG_H
#define HVPROBE_LOG_H

#include <stdarg.h>
#include <stdbool.h>

#include "lib/fmt.h"

/* Print a formatted message on the console (no newline added). */
void log_printf(const char *fmt, ...) FMT_PRINTF(1, 2);
void log_vprintf(const char *fmt, va_list ap);

/* Like log_printf, but only when verbose logging is on. */
void log_debug(const char *fmt, ...) FMT_PRINTF(1, 2);
void log_set_verbose(bool on);

#endif
