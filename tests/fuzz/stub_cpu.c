/*
 * The CPU seam for the fuzz targets: a static guest-memory arena, MSRs
 * that read back what was written, hypercalls that succeed, a clock that
 * moves on every read, interrupts raised only by a target
 * (fuzz_interrupt), and a console that discards everything.  Enough for
 * the parsers to run at full speed under ASan and UBSan.
 */
#include <stdlib.h>
#include <string.h>

#include "kernel/cpu.h"
#include "tests/fuzz/stub_cpu.h"
#include "lib/log.h"

#define ARENA_PAGES 512

static uint8_t arena[ARENA_PAGES * PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));
static unsigned next_page;
static uint64_t now;
static uint64_t msrs[64][2];
static unsigned nmsrs;

static struct {
	void (*fn)(void *ctx);
	void *ctx;
} irqs[256];

void fuzz_reset_memory(void)
{
	next_page = 0;
}

void cpu_cpuid(uint32_t leaf, uint32_t subleaf, struct cpuid_regs *r)
{
	memset(r, 0, sizeof(*r));
}

int cpu_rdmsr(uint32_t msr, uint64_t *val)
{
	for (unsigned i = 0; i < nmsrs; i++)
		if (msrs[i][0] == msr) {
			*val = msrs[i][1];
			return 0;
		}
	*val = 0;
	return 0;
}

int cpu_wrmsr(uint32_t msr, uint64_t val)
{
	for (unsigned i = 0; i < nmsrs; i++)
		if (msrs[i][0] == msr) {
			msrs[i][1] = val;
			return 0;
		}
	if (nmsrs < 64) {
		msrs[nmsrs][0] = msr;
		msrs[nmsrs++][1] = val;
	}
	return 0;
}

void cpu_outb(uint16_t port, uint8_t val) {}
uint8_t cpu_inb(uint16_t port) { return 0xff; }
void cpu_outl(uint16_t port, uint32_t val) {}
uint32_t cpu_inl(uint16_t port) { return 0xffffffffu; }
void cpu_irq_enable(void) {}
void cpu_irq_disable(void) {}

int cpu_irq_install(uint8_t vector, void (*fn)(void *ctx), void *ctx, bool auto_eoi)
{
	irqs[vector].fn = fn;
	irqs[vector].ctx = ctx;
	return 0;
}

/* The interrupt on @vector arrives now (its handler, if one was installed). */
void fuzz_interrupt(uint8_t vector)
{
	if (irqs[vector].fn)
		irqs[vector].fn(irqs[vector].ctx);
}

void cpu_wait(uint64_t max_ns)
{
	now += max_ns;
}

void cpu_relax(void)
{
	now += 1000;
}

uint64_t cpu_virt_to_phys(const void *p)
{
	return (uint64_t)(uintptr_t)p;
}

void *cpu_phys_to_virt(uint64_t pa)
{
	return (void *)(uintptr_t)pa;
}

void *cpu_alloc_pages(size_t n)
{
	void *p;

	if (n > ARENA_PAGES - next_page)
		return NULL;
	p = arena + (size_t)next_page * PAGE_SIZE;
	next_page += (unsigned)n;
	memset(p, 0, n * PAGE_SIZE);
	return p;
}

void cpu_free_pages(void *p, size_t n) {}

void cpu_page_counts(uint64_t *free_pages, uint64_t *total_pages)
{
	*free_pages = ARENA_PAGES - next_page;
	*total_pages = ARENA_PAGES;
}

uint64_t cpu_now_ns(void)
{
	return now += 10;
}

uint64_t cpu_rdtsc(void)
{
	return now;
}

void cpu_clock_use_reference(uint64_t (*read_100ns)(void)) {}

uint64_t cpu_tsc_hz(void)
{
	return 2500000000ull;
}

uint64_t cpu_apic_timer_hz(void)
{
	return 0;
}

static uint8_t hcpage[PAGE_SIZE] = { 0x0f, 0x01, 0xc1, 0xc3 };

void *cpu_hypercall_page(void)
{
	return hcpage;
}

uint64_t cpu_hypercall(uint64_t control, uint64_t input, uint64_t output)
{
	return 0; /* HV_STATUS_SUCCESS */
}

void cpu_console_write(const char *s, size_t n) {}
void cpu_dump_registers(void) {}
void cpu_raise_fault(const char *kind) {}

void cpu_power_off(enum exit_status st, bool reboot)
{
	/* only a deadline or an assertion gets here: both are findings */
	abort();
}

/* smp: one processor, no test mapping (the fuzzed drivers run on the BSP only). */
unsigned cpu_vp_count(void) { return 1; }
bool cpu_vp_online(unsigned cpu) { return cpu == 0; }
uint32_t cpu_vp_apic_id(unsigned cpu) { return 0; }
unsigned cpu_current_vp(void) { return 0; }

int cpu_on_vp(unsigned cpu, void (*fn)(void *), void *arg, uint64_t deadline_ns)
{
	if (cpu)
		return -1;
	fn(arg);
	return 0;
}

uint64_t cpu_tlb_test_map(uint64_t pa) { return 0; }
uint64_t cpu_tlb_test_read(void) { return 0; }

/* xmm: XMM fast hypercall input, answered as every hypercall here */
uint64_t cpu_hypercall_xmm(uint64_t control, const uint64_t in[14]) { return 0; }
/* vpbus: one processor, nobody to wake */
void cpu_wake_bsp(void) {}

/* A test has no entry of the kernel's: attach the stub console and clock before main. */
__attribute__((constructor)) static void fuzz_log_attach(void)
{
	log_attach(cpu_console_write, cpu_now_ns);
}
