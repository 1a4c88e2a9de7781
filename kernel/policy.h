/*
 * The expectation profile's policy, in one place (policy.c): which devices
 * the host must offer, and whether a missing thing is a failure or a skip.
 * Drivers say what is missing and read no option: the kernel decides.
 */
#ifndef HVPROBE_POLICY_H
#define HVPROBE_POLICY_H

#include <stdbool.h>

#include "lib/report.h"

/* True when the run needs a Hyper-V interface (its absence fails hv.cpuid.*). */
bool policy_requires_hyperv(void);

/*
 * True when the host must deny what CPUID does not grant (expect=hyperv, or
 * enforce=1 for QEMU's hv-enforce-cpuid): the access matrix then fails,
 * rather than warns about, an ungated MSR or hypercall.
 */
bool policy_enforces_cpuid(void);

/* True when the run needs the host to offer device @name (require=, else the profile's list). */
bool policy_requires_device(const char *name);

/*
 * Check @id's subject is missing (a device not offered, no VMBus, no time
 * SYNC): a failure when the run needs it, else a skip; the reason from @fmt.
 */
void check_missing(const char *id, const char *fmt, ...) FMT_PRINTF(2, 3);

#endif
