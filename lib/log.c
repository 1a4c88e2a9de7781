/* Console logging through the CPU seam's console. */
#include "lib/log.h"

#include "kernel/cpu.h"

static bool verbose;

void log_vprintf(const char *fmt, va_list ap)
{
	char buf[512];
	int n = fmt_vsnprintf(buf, sizeof(buf), fmt, ap);

	if (n >= (int)sizeof(buf))
		n = sizeof(buf) - 1;
	cpu_console_write(buf, (size_t)n);
}

void log_printf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vprintf(fmt, ap);
	va_end(ap);
}

void log_debug(const char *fmt, ...)
{
	va_list ap;

	if (!verbose)
		return;
	va_start(ap, fmt);
	log_vprintf(fmt, ap);
	va_end(ap);
}

void log_set_verbose(bool on)
{
	verbose = on;
}
