/* Console logging to the console the program attached. */
#include "lib/log.h"

static bool verbose;
static void (*console_write)(const char *s, size_t n);
static uint64_t (*clock_ns)(void);

void log_attach(void (*write)(const char *s, size_t n), uint64_t (*now_ns)(void))
{
	console_write = write;
	clock_ns = now_ns;
}

uint64_t log_now_ns(void)
{
	return clock_ns ? clock_ns() : 0;
}

void log_vprintf(const char *fmt, va_list ap)
{
	char buf[512];
	int n = fmt_vsnprintf(buf, sizeof(buf), fmt, ap);

	if (n >= (int)sizeof(buf))
		n = sizeof(buf) - 1;
	if (console_write)
		console_write(buf, (size_t)n);
}

void log_write(const char *s, size_t n)
{
	if (console_write)
		console_write(s, n);
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
