/* Fatal errors and internal assertions (see panic.h). */
#include "kernel/panic.h"

#include <stdarg.h>

#include "drivers/hyperv/crash.h"
#include "kernel/cpu.h"
#include "lib/log.h"
#include "lib/report.h"

static int depth;

static __attribute__((noreturn)) void vfatal(const char *id, const char *fmt, va_list ap)
{
	char reason[REPORT_REASON_MAX];

	fmt_vsnprintf(reason, sizeof(reason), fmt, ap);
	/* a fault while reporting a fault: say the least possible and leave */
	if (depth++) {
		log_printf("hvprobe: %s while failing: %s\nhvprobe: verdict FAIL\n", id, reason);
		cpu_power_off(EXIT_FAIL, false);
	}
	check(id, CHECK_FAIL, "%s", reason);
	/* the host learns why too, where it grants the crash MSRs; last: it may stop us */
	report_finish();
	hv_crash_report(HV_CRASH_CODE_HVPROBE | EXIT_FAIL, report_total(), reason);
	cpu_power_off(EXIT_FAIL, false);
}

void fatal(const char *id, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfatal(id, fmt, ap);
}

void panic(const char *fmt, ...)
{
	char msg[REPORT_REASON_MAX];
	va_list ap;

	va_start(ap, fmt);
	fmt_vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	log_printf("hvprobe: PANIC: %s\n", msg);
	if (!depth)
		cpu_dump_registers();
	fatal("kernel.panic", "%s", msg);
}
