/* Reporting the guest's crash to the host through the crash MSRs (crash.c). */
#ifndef HVPROBE_HV_CRASH_H
#define HVPROBE_HV_CRASH_H

#include <stdint.h>

#include "drivers/hyperv/hv_cpuid.h"

/* P0 of hvprobe's crash report: "HVPR" and the exit status in the low half. */
#define HV_CRASH_CODE_HVPROBE 0x4856505200000000ull

/* hv.crash.msrs: where the host grants the crash MSRs, are they usable? */
void hv_crash_setup(const struct hv_info *hv);

/*
 * The run cannot go on: when hv.crash.msrs passed, write P0 @code, P1 the
 * guest OS ID, P2 @check (the failed check's number), P3/P4 the address and
 * length of @reason, then CRASH_CTL with CrashNotify.  Logs the values
 * first; the MSR writes come last, as the host may stop the guest on them.
 */
void hv_crash_report(uint64_t code, uint64_t check, const char *reason);

#endif
