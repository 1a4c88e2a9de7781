/* What the fuzz targets' stub machine (stub_cpu.c) offers beyond the CPU seam. */
#ifndef HVPROBE_FUZZ_STUB_CPU_H
#define HVPROBE_FUZZ_STUB_CPU_H

#include <stdint.h>

/* Forget every page handed out and every MSR written: a fresh machine per input. */
void fuzz_reset_memory(void);
/* Deliver interrupt @vector to the handler the guest installed, if any. */
void fuzz_interrupt(uint8_t vector);

#endif
