/*
 * The local APIC: end-of-interrupt, and its timer in one-shot mode so that
 * cpu_wait can halt instead of spin.  x2APIC through MSRs when the firmware
 * left it in x2APIC mode, xAPIC through its MMIO page otherwise (identity
 * mapped by UEFI).  Intel SDM vol. 3 ch. 11 (11.5.4 the timer).
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
#define APIC_REG_LVT_TIMER 0x320
#define APIC_REG_TIMER_INIT 0x380
#define APIC_REG_TIMER_CUR 0x390
#define APIC_REG_TIMER_DIV 0x3e0
#define APIC_LVT_MASKED (1u << 16)
#define APIC_TIMER_DIV_16 0x3
#define APIC_TIMER_VECTOR 0xfd
#define APIC_CALIBRATE_NS 2000000ull

/* Timer ticks per millisecond (divide by 16); 0: no usable timer, waits spin. */
static uint64_t ticks_per_ms;

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
		apic_write(APIC_REG_SVR, (svr & ~0xffu) | APIC_SVR_ENABLE | X86_APIC_SPURIOUS_VECTOR);
	log_debug("hvprobe: local APIC in %s mode, base 0x%llx\n",
		  mode == APIC_X2APIC ? "x2APIC" : "xAPIC", (unsigned long long)base);
}

void x86_apic_eoi(void)
{
	if (mode != APIC_NONE)
		apic_write(APIC_REG_EOI, 0);
}

/* The timer's input clock: ticks at divide-by-16, times 16. */
uint64_t cpu_apic_timer_hz(void)
{
	return ticks_per_ms * 1000 * 16;
}

/* The timer's interrupt only has to end a halt: x86_irqs_taken moves. */
static void apic_timer_isr(void *ctx)
{
	(void)ctx;
}

/* One-shot in @ns (at least one tick, at most the 32-bit counter). */
static void apic_timer_start(uint64_t ns)
{
	uint64_t ticks = ns / 1000 * ticks_per_ms / 1000 + 1;

	apic_write(APIC_REG_TIMER_INIT, ticks > 0xffffffffull ? 0xffffffffu : (uint32_t)ticks);
}

/*
 * Measure the timer against the TSC clock, then prove it interrupts: a timer
 * that counts but never fires would turn every halt into a hang, so only a
 * timer seen firing is used.  Why calibrate rather than read Hyper-V's
 * HV_X64_MSR_APIC_FREQUENCY: the same kernel runs on hosts without it.
 */
void x86_apic_timer_init(void)
{
	uint64_t t0, left;
	uint32_t seen;

	if (mode == APIC_NONE || cpu_irq_install(APIC_TIMER_VECTOR, apic_timer_isr, NULL, false))
		return;
	apic_write(APIC_REG_TIMER_DIV, APIC_TIMER_DIV_16);
	apic_write(APIC_REG_LVT_TIMER, APIC_LVT_MASKED | APIC_TIMER_VECTOR);
	apic_write(APIC_REG_TIMER_INIT, 0xffffffffu);
	t0 = cpu_now_ns();
	while (cpu_now_ns() - t0 < APIC_CALIBRATE_NS)
		x86_pause();
	left = apic_read(APIC_REG_TIMER_CUR);
	apic_write(APIC_REG_TIMER_INIT, 0);
	ticks_per_ms = (0xffffffffull - left) * 1000000ull / (cpu_now_ns() - t0);
	if (!ticks_per_ms) {
		log_printf("hvprobe: the local APIC timer does not count: waits spin\n");
		return;
	}
	apic_write(APIC_REG_LVT_TIMER, APIC_TIMER_VECTOR); /* unmasked, one-shot */
	seen = x86_irqs_taken;
	apic_timer_start(100000);
	t0 = cpu_now_ns();
	x86_sti();
	while (x86_irqs_taken == seen && cpu_now_ns() - t0 < 20 * APIC_CALIBRATE_NS)
		x86_pause();
	x86_cli();
	if (x86_irqs_taken == seen) {
		apic_write(APIC_REG_LVT_TIMER, APIC_LVT_MASKED | APIC_TIMER_VECTOR);
		log_printf("hvprobe: the local APIC timer counts (%llu ticks/ms) but did not interrupt: waits spin\n",
			   (unsigned long long)ticks_per_ms);
		ticks_per_ms = 0;
		return;
	}
	log_printf("hvprobe: local APIC timer %llu ticks/ms: waits halt\n",
		  (unsigned long long)ticks_per_ms);
}

/*
 * Halt until an interrupt, at most @max_ns (the timer bounds it); false when
 * there is no usable timer and the caller must spin.  Interrupts are masked
 * on entry and on return.
 */
bool x86_apic_halt(uint64_t max_ns)
{
	if (!ticks_per_ms)
		return false;
	apic_timer_start(max_ns);
	/* sti's one-instruction shadow: an interrupt pending now still ends the hlt */
	__asm__ volatile("sti; hlt; cli" ::: "memory");
	apic_write(APIC_REG_TIMER_INIT, 0);
	return true;
}

/* ---- smp: identity, inter-processor interrupts, start-up of an AP ---- */

#define APIC_REG_ID 0x20
#define APIC_REG_ICR_LO 0x300
#define APIC_REG_ICR_HI 0x310
#define APIC_ICR_PENDING (1u << 12)

/* This processor's local APIC id (x2APIC: 32 bits; xAPIC: bits 31:24). */
uint32_t x86_apic_id(void)
{
	uint32_t id = apic_read(APIC_REG_ID);

	return mode == APIC_X2APIC ? id : id >> 24;
}

/* Write the ICR (SDM vol. 3 §11.6.1): @dest the APIC id, @lo vector and mode. */
void x86_apic_send(uint32_t dest, uint32_t lo)
{
	uint64_t t0 = cpu_now_ns();

	if (mode == APIC_X2APIC) {
		cpu_wrmsr(X2APIC_MSR(APIC_REG_ICR_LO), ((uint64_t)dest << 32) | lo);
		return;
	}
	if (mode == APIC_NONE)
		return;
	mmio[APIC_REG_ICR_HI / 4] = dest << 24;
	mmio[APIC_REG_ICR_LO / 4] = lo;
	/* xAPIC: the send is done when the delivery status clears (bounded) */
	while ((mmio[APIC_REG_ICR_LO / 4] & APIC_ICR_PENDING) && cpu_now_ns() - t0 < 1000000)
		x86_pause();
}

/*
 * An AP's own local APIC: the BSP's mode (x2APIC when the firmware chose
 * it), software-enabled, its timer as the BSP's (one-shot, divide by 16).
 */
void x86_apic_ap_init(void)
{
	uint64_t base;

	if (mode == APIC_X2APIC && !cpu_rdmsr(MSR_APIC_BASE, &base) && !(base & APIC_BASE_X2APIC))
		cpu_wrmsr(MSR_APIC_BASE, base | APIC_BASE_ENABLE | APIC_BASE_X2APIC);
	apic_write(APIC_REG_SVR, APIC_SVR_ENABLE | X86_APIC_SPURIOUS_VECTOR);
	apic_write(APIC_REG_TIMER_DIV, APIC_TIMER_DIV_16);
	apic_write(APIC_REG_LVT_TIMER, (ticks_per_ms ? 0 : APIC_LVT_MASKED) | APIC_TIMER_VECTOR);
}
