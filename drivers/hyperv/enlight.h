/* The single-VP enlightenments: synthetic timers, the access matrix, and the optional MSRs and calls. */
#ifndef HVPROBE_ENLIGHT_H
#define HVPROBE_ENLIGHT_H

#include <stdbool.h>
#include <stdint.h>

#include "drivers/hyperv/hv_cpuid.h"

/* hv.stimer.*: timers 0-3 one-shot, periodic, AutoEnable, direct (stimer.c); needs the SynIC. */
void hv_stimer_checks(const struct hv_info *hv);

/*
 * hv.access.msr / hv.access.hypercall: every synthetic MSR and hypercall we
 * know against its CPUID bit (access.c).  @enforced: the host claims to
 * hold access to the bits (Hyper-V does; KVM only with hv-enforce-cpuid).
 */
void hv_access_checks(const struct hv_info *hv, bool enforced);

/* Bit @bit granted: 0-63 in CPUID 0x40000003 EAX:EBX, HV_GRANT_EDX + n in its EDX (access.c). */
#define HV_GRANT_EDX 64
bool hv_granted(const struct hv_info *hv, unsigned bit);

/* hv.vapic, hv.reenlightenment, hv.extcall.query where granted (extras.c). */
void hv_extras_checks(const struct hv_info *hv);

/*
 * One group's MSRs on this processor (HV_EXTRAS_VAPIC: hv.vapic's; vp.c runs
 * it as a body on each AP): 0, or the first that failed; *@n counts those
 * tried.  @page: a page for the VP assist page; no allocation, no log.
 */
#define HV_EXTRAS_VAPIC 0
uint32_t hv_extras_probe(unsigned g, void *page, unsigned *n);

#endif
