/* Bring-up of the Hyper-V platform after detection: identity, hypercalls, SynIC, clock. */
#ifndef HVPROBE_PLATFORM_H
#define HVPROBE_PLATFORM_H

#include <stdbool.h>
#include <stdint.h>

#include "drivers/hyperv/hv_cpuid.h"

/*
 * Write the guest OS ID, check the version leaf and VP index, enable and
 * test hypercalls, the SynIC and the reference clock, each a named check.
 * Returns true when hypercalls and the SynIC work (what VMBus needs).
 */
bool hv_platform_setup(struct hv_info *hv, uint64_t guest_os_id);

/* hv.clock.reference and hv.clock.reference_tsc (refclock.c). */
void hv_clock_setup(const struct hv_info *hv);

#endif
