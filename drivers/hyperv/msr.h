/* Synthetic MSR access that never trusts the host (see msr.c). */
#ifndef HVPROBE_HV_MSR_H
#define HVPROBE_HV_MSR_H

#include <stdint.h>

/* Read @msr; 0, or -1 when the read raised #GP. */
int hv_msr_read(uint32_t msr, uint64_t *val);

/*
 * Write @val to @msr and read it back; the bits in @mask must match.  On
 * any failure, report check @id as failed with what happened and return -1.
 * @got receives what was read back.
 */
int hv_msr_write_verify(const char *id, uint32_t msr, uint64_t val, uint64_t mask, uint64_t *got);

#endif
