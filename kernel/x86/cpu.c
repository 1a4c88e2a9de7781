/*
 * The CPU seam (kernel/cpu.h) on real x86-64: instructions, the identity
 * mapping UEFI left us, the TSC clock, the page allocator and power off.
 */
#include "kernel/cpu.h"

#include "kernel/x86/uart16550.h"
#include "kernel/bootinfo.h"
#include "kernel/x86/x86.h"
#include "lib/log.h"
#include "lib/pagealloc.h"
#include "lib/str.h"

/* QEMU's isa-debug-exit device (run.sh adds it); absent on Hyper-V. */
#define DEBUG_EXIT_PORT 0xf4

void cpu_cpuid(uint32_t leaf, uint32_t subleaf, struct cpuid_regs *r)
{
	uint32_t v[4];

	x86_cpuid(leaf, subleaf, v);
	r->eax = v[0];
	r->ebx = v[1];
	r->ecx = v[2];
	r->edx = v[3];
}

int cpu_rdmsr(uint32_t msr, uint64_t *val)
{
	*val = 0;
	return x86_rdmsr_safe(msr, val);
}

int cpu_wrmsr(uint32_t msr, uint64_t val)
{
	return x86_wrmsr_safe(msr, val);
}

void cpu_outb(uint16_t port, uint8_t val)
{
	x86_outb(port, val);
}

uint8_t cpu_inb(uint16_t port)
{
	return x86_inb(port);
}

void cpu_outl(uint16_t port, uint32_t val)
{
	x86_outl(port, val);
}

uint32_t cpu_inl(uint16_t port)
{
	return x86_inl(port);
}

void cpu_irq_enable(void)
{
	x86_sti();
}

void cpu_irq_disable(void)
{
	x86_cli();
}

void cpu_relax(void)
{
	x86_pause();
}

/*
 * Interrupts are enabled only here, so handlers never interleave with the
 * loop's work.  We halt with the local APIC timer bounding the wait: an idle
 * guest then costs its host nothing (under the nested chain's instruction-
 * counted TCG a spinning guest second costs 3-4 wall seconds, a halted one
 * almost none).  Without a timer proven to fire we spin with PAUSE instead.
 */
void cpu_wait(uint64_t max_ns)
{
	uint64_t end = cpu_now_ns() + max_ns, now;
	uint32_t seen = x86_irqs_taken;

	while (x86_irqs_taken == seen && (now = cpu_now_ns()) < end) {
		if (x86_apic_halt(end - now))
			continue;
		x86_sti();
		while (cpu_now_ns() < end && x86_irqs_taken == seen)
			x86_pause();
		x86_cli();
	}
}

static void *hypercall_page;

void x86_hypercall_init(const struct boot_info *bi)
{
	hypercall_page = cpu_phys_to_virt(bi->hypercall_page);
}

void *cpu_hypercall_page(void)
{
	return hypercall_page;
}

uint64_t cpu_hypercall(uint64_t control, uint64_t input, uint64_t output)
{
	return x86_hypercall(control, input, output, hypercall_page);
}

/* ---- memory: UEFI identity-maps all RAM, and we keep its page tables ---- */

static struct page_alloc allocator;
static struct pa_range ranges[BOOT_MAX_RANGES];

uint64_t cpu_virt_to_phys(const void *p)
{
	return (uint64_t)(uintptr_t)p;
}

void *cpu_phys_to_virt(uint64_t pa)
{
	return (void *)(uintptr_t)pa;
}

void x86_mem_init(const struct boot_info *bi)
{
	size_t bytes, pages;
	uint32_t n = bi->nram, i;

	memcpy(ranges, bi->ram, n * sizeof(ranges[0]));
	bytes = pa_bitmap_bytes(ranges, n);
	pages = (bytes + PAGE_SIZE - 1) / PAGE_SIZE;
	/* the bitmap lives at the start of the first range large enough for it */
	for (i = 0; i < n; i++)
		if (ranges[i].pages > pages)
			break;
	if (i == n) {
		log_printf("hvprobe: no RAM range can hold the %zu-byte page bitmap\n", bytes);
		return;
	}
	uint8_t *bitmap = cpu_phys_to_virt(ranges[i].base);

	ranges[i].base += pages * PAGE_SIZE;
	ranges[i].pages -= pages;
	pa_init(&allocator, ranges, n, bitmap);
}

void *cpu_alloc_pages(size_t n)
{
	uint64_t pa = allocator.bitmap ? pa_alloc(&allocator, n) : 0;
	void *p;

	if (!pa)
		return NULL;
	p = cpu_phys_to_virt(pa);
	memset(p, 0, n * PAGE_SIZE);
	return p;
}

void cpu_free_pages(void *p, size_t n)
{
	if (pa_free(&allocator, cpu_virt_to_phys(p), n))
		log_printf("hvprobe: refused to free %zu pages at %p: not allocated\n", n, p);
}

void cpu_page_counts(uint64_t *free_pages, uint64_t *total_pages)
{
	*free_pages = allocator.bitmap ? allocator.free : 0;
	*total_pages = allocator.bitmap ? allocator.total : 0;
}

/* ---- clock: the TSC, calibrated by boot/ against UEFI Stall() ---- */

static uint64_t tsc_origin, tsc_rate;
static uint64_t ns_mult; /* ns per TSC tick, 32.32 fixed point */
static uint64_t (*ref_read)(void);
static uint64_t ref_base, ref_base_ns;

void x86_clock_init(uint64_t tsc_hz, uint64_t origin)
{
	tsc_origin = origin;
	tsc_rate = tsc_hz;
	ns_mult = tsc_hz ? (1000000000ull << 32) / tsc_hz : 0;
}

uint64_t cpu_tsc_hz(void)
{
	return tsc_rate;
}

static uint64_t tsc_now_ns(void)
{
	uint64_t d = x86_rdtsc() - tsc_origin;

	return (uint64_t)(((unsigned __int128)d * ns_mult) >> 32);
}

/*
 * A clock that stops (a host with a frozen TSC or reference counter) would
 * turn every deadline into a hang.  After a million reads without progress
 * the clock moves 1 us per read on its own: deadlines then still expire,
 * slowly, and the run ends with a verdict instead of silence.
 */
#define CLOCK_STUCK_READS 1000000u

uint64_t cpu_now_ns(void)
{
	static uint64_t last_raw, stuck, synthetic;
	uint64_t t;

	if (ref_read) {
		uint64_t r = ref_read();

		t = ref_base_ns + (r > ref_base ? (r - ref_base) * 100 : 0);
	} else {
		t = tsc_now_ns();
	}
	if (t != last_raw) {
		last_raw = t;
		stuck = 0;
	} else if (++stuck > CLOCK_STUCK_READS) {
		synthetic += 1000;
	}
	return t + synthetic;
}

uint64_t cpu_rdtsc(void)
{
	return x86_rdtsc();
}

void cpu_clock_use_reference(uint64_t (*read_100ns)(void))
{
	ref_base_ns = cpu_now_ns();
	ref_base = read_100ns();
	ref_read = read_100ns;
}

/* ---- console ---- */

static void (*console_mirror)(const char *s, size_t n);

/* While boot services run, boot/ may mirror the console to the UEFI screen. */

void x86_console_set_mirror(void (*fn)(const char *s, size_t n))
{
	console_mirror = fn;
}

void cpu_console_write(const char *s, size_t n)
{
	uart_write(s, n);
	if (console_mirror)
		console_mirror(s, n);
}

/* ---- power ---- */

static void (*boot_reset)(enum boot_reset_kind kind);

void x86_power_init(const struct boot_info *bi)
{
	boot_reset = bi->reset;
}

void cpu_power_off(enum exit_status st, bool reboot)
{
	x86_cli();
	/*
	 * QEMU's isa-debug-exit turns a write of v into the process exit status
	 * (v << 1) | 1, which is how run.sh tells the verdicts apart.  The
	 * device reads as 0; an unassigned port reads as all ones.
	 */
	if (!reboot && x86_inl(DEBUG_EXIT_PORT) != 0xffffffffu)
		x86_outl(DEBUG_EXIT_PORT, (uint32_t)st);
	if (boot_reset)
		boot_reset(reboot ? BOOT_RESET_COLD : BOOT_RESET_SHUTDOWN);
	log_printf("hvprobe: power off failed; halting\n");
	for (;;)
		__asm__ volatile("cli; hlt");
}
