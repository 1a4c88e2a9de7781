/* What the input drivers share: one failed check per kind of host error, one warning per kind of tolerated habit. */
#include "drivers/input/input.h"

#include <stdarg.h>

#include "lib/fmt.h"
#include "lib/report.h"

/* Report once per @kind; later ones of the kind are silent. */
void input_finding(unsigned *reported, unsigned kind, const char *dev, const char *what,
		   const char *fmt, ...)
{
	char id[64], reason[REPORT_REASON_MAX];
	va_list ap;

	if (kind < 32 && (*reported & (1u << kind)))
		return;
	if (kind < 32)
		*reported |= 1u << kind;
	va_start(ap, fmt);
	fmt_vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	fmt_snprintf(id, sizeof(id), "input.%s.%s", dev, what);
	check(id, CHECK_FAIL, "%s", reason);
}

/* Warn once per @kind (bit @kind + 16), and not after the kind failed. */
void input_notice(unsigned *reported, unsigned kind, const char *dev, const char *what,
		  const char *fmt, ...)
{
	char id[64], reason[REPORT_REASON_MAX];
	va_list ap;

	if (kind >= 16 || (*reported & (1u << kind | 1u << (kind + 16))))
		return;
	*reported |= 1u << (kind + 16);
	va_start(ap, fmt);
	fmt_vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	fmt_snprintf(id, sizeof(id), "input.%s.%s", dev, what);
	check_warn(id, "%s", reason);
}
