/*
 * Synthetic MSR access.  QEMU TCG silently drops writes to MSRs it does
 * not know and reads them as 0, and a host may advertise an MSR it does not
 * implement: every write is read back before the guest relies on it, and a
 * #GP is a failed check rather than a crash (the seam catches it).
 */
#include "drivers/hyperv/msr.h"

#include "kernel/cpu.h"
#include "lib/report.h"

int hv_msr_read(uint32_t msr, uint64_t *val)
{
	return cpu_rdmsr(msr, val);
}

int hv_msr_write_verify(const char *id, uint32_t msr, uint64_t val, uint64_t mask, uint64_t *got)
{
	*got = 0;
	if (cpu_wrmsr(msr, val)) {
		check(id, CHECK_FAIL, "wrmsr 0x%x <- 0x%llx raised #GP", msr, (unsigned long long)val);
		return -1;
	}
	if (cpu_rdmsr(msr, got)) {
		check(id, CHECK_FAIL, "rdmsr 0x%x raised #GP after a successful write", msr);
		return -1;
	}
	if ((*got & mask) != (val & mask)) {
		check(id, CHECK_FAIL, "wrote 0x%llx to MSR 0x%x, read back 0x%llx",
		      (unsigned long long)val, msr, (unsigned long long)*got);
		return -1;
	}
	return 0;
}
