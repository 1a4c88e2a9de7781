/*
 * The local APIC, just enough for end-of-interrupt: x2APIC through MSRs
 * when the firmware left it in x2APIC mode, xAPIC through its MMIO page
 * otherwise (identity mapped by UEFI).  Intel SDM vol. 3 ch. 11.
 */
#include <stdint.h>

#include "kernel/cpu.h"
#include "kernel/x86/x86.h"
#include "lib/log.h"

#define MSR_APIC_BASE 0x1b
#define APIC_BASE_ENABLE (1ull << 11)
#define APIC_BASE_X2APIC (1ull << 10)
#define APIC_BASE_ADDR_MASK 0x000ffffffffff000ull
#define X2APIC_MSR(reg) (0x800u + ((reg) >> 4))
#define APIC_REG_EOI 0xb0
#define APIC_REG_SVR 0xf0
#define APIC_SVR_ENABLE (1u << 8)
#define APIC_SPURIOUS_VECTOR 0xff

static enum { APIC_NONE, APIC_XAPIC, APIC_X2APIC } mode;
static volatile uint32_t *mmio;

static uint32_t apic_read(unsigned reg)
{
	uint64_t v = 0;

	if (mode == APIC_X2APIC) {
		cpu_rdmsr(X2APIC_MSR(reg), &v);
		return (uint32_t)v;
	}
	return mmio[reg / 4];
}

static void apic_write(unsigned reg, uint32_t v)
{
	if (mode == APIC_X2APIC)
		cpu_wrmsr(X2APIC_MSR(reg), v);
	else
		mmio[reg / 4] = v;
}

void x86_apic_init(void)
{
	uint64_t base;
	uint32_t svr;

	if (cpu_rdmsr(MSR_APIC_BASE, &base) || !(base & APIC_BASE_ENABLE)) {
		log_printf("hvprobe: no enabled local APIC: interrupts cannot be acknowledged\n");
		return;
	}
	if (base & APIC_BASE_X2APIC) {
		mode = APIC_X2APIC;
	} else {
		mode = APIC_XAPIC;
		mmio = cpu_phys_to_virt(base & APIC_BASE_ADDR_MASK);
	}
	/* software-enable the APIC if the firmware left it disabled */
	svr = apic_read(APIC_REG_SVR);
	if (!(svr & APIC_SVR_ENABLE))
		apic_write(APIC_REG_SVR, (svr & ~0xffu) | APIC_SVR_ENABLE | APIC_SPURIOUS_VECTOR);
	log_debug("hvprobe: local APIC in %s mode, base 0x%llx\n",
		  mode == APIC_X2APIC ? "x2APIC" : "xAPIC", (unsigned long long)base);
}

void x86_apic_eoi(void)
{
	if (mode != APIC_NONE)
		apic_write(APIC_REG_EOI, 0);
}
