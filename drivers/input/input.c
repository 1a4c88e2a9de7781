/* What the input drivers share: one failed check per kind of host error, one warning per kind of tolerated habit. */
#include "drivers/input/input.h"

#include <stdarg.h>

#include "lib/fmt.h"
#include "lib/report.h"

static void input_report(unsigned *seen, enum check_result r, const char *dev, const char *what,
			 const char *fmt, va_list ap)
{
	char id[64], reason[REPORT_REASON_MAX];

	fmt_vsnprintf(reason, sizeof(reason), fmt, ap);
	fmt_snprintf(id, sizeof(id), "input.%s.%s", dev, what);
	report_finding(id, r, seen, "%s", reason);
}

/* Fail once (later ones are logged). */
void input_finding(struct input_seen *seen, const char *dev, const char *what, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	input_report(&seen->failed, CHECK_FAIL, dev, what, fmt, ap);
	va_end(ap);
}

/* Warn once, and not after the kind failed (later ones are logged). */
void input_notice(struct input_seen *seen, const char *dev, const char *what, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (seen->failed)
		seen->warned++;
	input_report(&seen->warned, CHECK_WARN, dev, what, fmt, ap);
	va_end(ap);
}
