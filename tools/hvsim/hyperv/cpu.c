/*
 * The CPU seam (kernel/cpu.h) in user space.  Time is virtual: it moves
 * only when the guest waits (to the next host event) or spins (a little per
 * call), so runs are deterministic and minutes pass in milliseconds.
 */
#include "kernel/cpu.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <string.h>

#include "drivers/hyperv/hv_cpuid.h"
#include "kernel/panic.h"
#include "lib/pagealloc.h"
#include "tools/hvsim/hvsim.h"

#define TSC_PER_NS_X10 25          /* a 2.5 GHz TSC */
#define SPIN_NS 1000               /* what one cpu_relax() costs */
#define READ_NS 10                 /* what one clock read costs */
#define IRQ_NS 1000                /* what one interrupt costs */

struct sim sim;
static struct page_alloc pages;
static struct pa_range arena_range;
static uint8_t *hypercall_page;
static struct {
	void (*fn)(void *ctx);
	void *ctx;
} handlers[256];

void *sim_gpa(uint64_t gpa, uint64_t len)
{
	if (gpa < sim.arena_gpa || len > sim.arena_size || gpa - sim.arena_gpa > sim.arena_size - len)
		return NULL;
	return sim.arena + (gpa - sim.arena_gpa);
}

/* Called by main(): the arena and its allocator; one page is the hypercall page. */

void sim_memory_init(uint64_t gpa, uint64_t size)
{
	static uint8_t *bitmap;

	/*
	 * Anonymous memory is zero already and is only faulted in where the
	 * guest touches it: zeroing 64 MiB up front cost every scenario ~16k
	 * page faults it mostly never used.
	 */
	sim.arena = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (sim.arena == MAP_FAILED) {
		perror("hvsim: arena");
		exit(2);
	}
	sim.arena_gpa = gpa;
	sim.arena_size = size;
	hypercall_page = sim.arena;   /* first page: the guest's "code" page */
	arena_range.base = gpa + PAGE_SIZE;
	arena_range.pages = size / PAGE_SIZE - 1;
	bitmap = calloc(1, pa_bitmap_bytes(&arena_range, 1));
	pa_init(&pages, &arena_range, 1, bitmap);
}

void cpu_cpuid(uint32_t leaf, uint32_t subleaf, struct cpuid_regs *r)
{
	const struct sim_profile *p = sim.profile;

	memset(r, 0, sizeof(*r));
	if (leaf == CPUID_FEATURES) {
		r->ecx = p->hypervisor_bit ? CPUID1_ECX_HYPERVISOR : 0;
		return;
	}
	if (!p->hypervisor_bit || leaf < HV_CPUID_VENDOR || leaf > p->max_leaf)
		return;
	switch (leaf) {
	case HV_CPUID_VENDOR:
		r->eax = p->max_leaf;
		memcpy(&r->ebx, p->vendor, 4);
		memcpy(&r->ecx, p->vendor + 4, 4);
		memcpy(&r->edx, p->vendor + 8, 4);
		break;
	case HV_CPUID_INTERFACE:
		r->eax = p->interface;
		break;
	case HV_CPUID_VERSION:
		/* TLFS §2.4: zero until a guest OS ID is written */
		if (sim.guest_os_id && !sim_mb_fire(MB_VERSION_ZERO)) {
			r->eax = p->version[0];
			r->ebx = p->version[1];
			r->ecx = p->version[2];
			r->edx = p->version[3];
		}
		break;
	case HV_CPUID_FEATURES:
		r->eax = (uint32_t)p->privileges;
		r->ebx = (uint32_t)(p->privileges >> 32);
		r->edx = p->features_edx;
		break;
	case HV_CPUID_RECOMMENDATIONS:
		r->eax = p->recommendations;
		r->ebx = sim_spin_retries;
		r->ecx = p->phys_addr_bits;
		break;
	case HV_CPUID_LIMITS:
		r->eax = p->max_vps;
		r->ebx = p->max_lps;
		break;
	}
}

int cpu_rdmsr(uint32_t msr, uint64_t *val)
{
	*val = 0;
	return sim_rdmsr(msr, val);
}

int cpu_wrmsr(uint32_t msr, uint64_t val)
{
	return sim_wrmsr(msr, val);
}

/* No legacy devices: no UART, no isa-debug-exit. */
void cpu_outb(uint16_t port, uint8_t val) {}
uint8_t cpu_inb(uint16_t port) { return 0xff; }
void cpu_outl(uint16_t port, uint32_t val) {}
uint32_t cpu_inl(uint16_t port) { return 0xffffffffu; }

void cpu_irq_enable(void) {}
void cpu_irq_disable(void) {}

int cpu_irq_install(uint8_t vector, void (*fn)(void *ctx), void *ctx, bool auto_eoi)
{
	if (vector < 32)
		return -1;
	handlers[vector].fn = fn;
	handlers[vector].ctx = ctx;
	return 0;
}

void sim_vp_interrupt(unsigned vp, unsigned vector)
{
	unsigned was = sim_cur_vp;

	if (!vp) {
		sim.irq_pending[vector] = true;
		return;
	}
	sim_cur_vp = vp;
	sim.now_ns += IRQ_NS;
	if (handlers[vector].fn)
		handlers[vector].fn(handlers[vector].ctx);
	sim_cur_vp = was;
}

/* Deliver every pending interrupt; return how many were taken. */
static unsigned take_interrupts(void)
{
	unsigned n = 0;

	for (unsigned v = 32; v < 256; v++) {
		if (!sim.irq_pending[v])
			continue;
		sim.irq_pending[v] = false;
		sim.now_ns += IRQ_NS;
		if (handlers[v].fn)
			handlers[v].fn(handlers[v].ctx);
		else
			fprintf(stderr, "hvsim: interrupt on vector %u with no handler\n", v);
		n++;
	}
	return n;
}

/* vpbus: an AP's interrupt handler woke VP 0 (like a pending IPI: the next wait there returns) */
static bool bsp_woken;

void cpu_wake_bsp(void)
{
	if (sim_cur_vp)
		bsp_woken = true;
}

void cpu_wait(uint64_t max_ns)
{
	uint64_t end = sim.now_ns + max_ns, next;

	/* an interrupt storm: one spurious SINT interrupt per wait until it is spent */
	if (sim.storm_left) {
		sim.storm_left--;
		sim_raise_sint(2);
	}
	for (;;) {
		next = sim_run_events();
		if (take_interrupts() || bsp_woken) {
			bsp_woken = false;
			return;
		}
		if (sim.now_ns >= end)
			return;
		sim.now_ns = next < end ? next : end;
	}
}

void cpu_relax(void)
{
	sim.now_ns += SPIN_NS;
	sim_run_events();
}

uint64_t cpu_virt_to_phys(const void *p)
{
	const uint8_t *b = p;

	if (b < sim.arena || b >= sim.arena + sim.arena_size) {
		fprintf(stderr, "hvsim: virt_to_phys of %p outside guest memory\n", p);
		abort();
	}
	return sim.arena_gpa + (uint64_t)(b - sim.arena);
}

void *cpu_phys_to_virt(uint64_t pa)
{
	return sim_gpa(pa, 1);
}

void *cpu_alloc_pages(size_t n)
{
	uint64_t pa = pa_alloc(&pages, n);
	void *p;

	if (!pa)
		return NULL;
	p = sim_gpa(pa, n * PAGE_SIZE);
	memset(p, 0, n * PAGE_SIZE);
	return p;
}

void cpu_free_pages(void *p, size_t n)
{
	if (pa_free(&pages, cpu_virt_to_phys(p), n)) {
		fprintf(stderr, "hvsim: guest error: freed %zu pages at %p that it does not own\n", n, p);
		sim.guest_errors++;
	}
}

void cpu_page_counts(uint64_t *free_pages, uint64_t *total_pages)
{
	*free_pages = pages.free;
	*total_pages = pages.total;
}

uint64_t cpu_now_ns(void)
{
	sim.now_ns += READ_NS;
	return sim.now_ns;
}

uint64_t cpu_rdtsc(void)
{
	sim.now_ns += READ_NS;
	return sim.now_ns * TSC_PER_NS_X10 / 10;
}

/* The simulated TSC's rate and the APIC timer clock the host reports. */
uint64_t cpu_tsc_hz(void)
{
	return TSC_PER_NS_X10 * 100000000ull;
}

uint64_t cpu_apic_timer_hz(void)
{
	return SIM_APIC_HZ;
}

/* Virtual time is already the partition's time: nothing to switch. */
void cpu_clock_use_reference(uint64_t (*read_100ns)(void)) {}

void *cpu_hypercall_page(void)
{
	return hypercall_page;
}

uint64_t cpu_hypercall(uint64_t control, uint64_t input, uint64_t output)
{
	/* a real CPU would execute whatever the page holds: zeros crash */
	if (!(sim.hypercall & HV_MSR_ENABLE) || !hypercall_page[0])
		fatal("kernel.exception", "hvsim: the guest called a hypercall page the host never filled");
	return sim_hypercall(control, input, output);
}

void cpu_console_write(const char *s, size_t n)
{
	fwrite(s, 1, n, stdout);
}

void cpu_dump_registers(void)
{
	printf("  (hvsim: no CPU registers to show; the failed check names the cause)\n");
}

void cpu_raise_fault(const char *kind)
{
	printf("hvprobe: EXCEPTION %s (simulated by hvsim)\n", kind);
	fatal("kernel.exception", "%s (simulated by hvsim)", kind);
}

void cpu_power_off(enum exit_status st, bool reboot)
{
	fflush(stdout);
	fprintf(stderr, "hvsim: guest %s at %llu.%03llu s virtual time; %llu hypercalls, %llu messages, %llu EOMs, %llu interrupts\n",
		reboot ? "rebooted" : "powered off", (unsigned long long)(sim.now_ns / 1000000000),
		(unsigned long long)(sim.now_ns / 1000000 % 1000), (unsigned long long)sim.hypercalls,
		(unsigned long long)sim.messages_posted, (unsigned long long)sim.eoms,
		(unsigned long long)sim.irqs_injected);
	sim_vmbus_report();
	/* last, in a fixed form: tests/sim/run fails a scenario on any */
	fprintf(stderr, "hvsim: guest errors: %llu\n", (unsigned long long)sim.guest_errors);
	/* the isa-debug-exit convention, so run.sh reads sim and QEMU alike */
	exit(((int)st << 1) | 1);
}

/* ---- xmm: XMM fast hypercall input (kernel/cpu.h) ---- */
const uint64_t *sim_xmm;

/* The hypercall with in[2..13] as the XMM registers the host reads (hyperv/vp.c). */
uint64_t cpu_hypercall_xmm(uint64_t control, const uint64_t in[14])
{
	uint64_t r;

	sim_xmm = in + 2;
	r = cpu_hypercall(control, in[0], in[1]);
	sim_xmm = NULL;
	return r;
}
