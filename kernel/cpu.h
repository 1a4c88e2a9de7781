/*
 * The CPU seam: the only way drivers/ reach the machine (lib/ includes
 * nothing from kernel/: it gets what it needs from its caller, log_attach).
 *
 * The x86_64 build implements it with real instructions (kernel/x86/cpu.c,
 * kernel/x86/entry.asm); the sim build implements it in tools/hvsim
 * (hyperv/cpu.c) against a simulated Hyper-V host.  Nothing above this header uses inline assembly,
 * so the same driver code runs unchanged in both builds.
 */
#ifndef HVPROBE_CPU_H
#define HVPROBE_CPU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/exit_status.h"

#define PAGE_SIZE 4096u

/* Registers returned by CPUID. */
struct cpuid_regs {
	uint32_t eax, ebx, ecx, edx;
};

/* Execute CPUID for @leaf / @subleaf. */
void cpu_cpuid(uint32_t leaf, uint32_t subleaf, struct cpuid_regs *r);

/*
 * Read / write an MSR.  Return 0, or -1 when the access raised #GP (the
 * fault is caught and turned into an error: a host may advertise an MSR
 * it does not implement, and that must be a failed check, not a crash).
 */
int cpu_rdmsr(uint32_t msr, uint64_t *val);
int cpu_wrmsr(uint32_t msr, uint64_t val);

/* Legacy I/O ports (16550 console, isa-debug-exit). */
void cpu_outb(uint16_t port, uint8_t val);
uint8_t cpu_inb(uint16_t port);
void cpu_outl(uint16_t port, uint32_t val);
uint32_t cpu_inl(uint16_t port);

/* Interrupt flag control and waiting. */
void cpu_irq_enable(void);
void cpu_irq_disable(void);
/* Take interrupts for up to @max_ns; return early once one was handled. */
void cpu_wait(uint64_t max_ns);
/* Spin-wait hint. */
void cpu_relax(void);

/* Physical memory: pages are identity mapped. */
uint64_t cpu_virt_to_phys(const void *p);
void *cpu_phys_to_virt(uint64_t pa);
/* Allocate @n zeroed contiguous pages; NULL when memory is exhausted. */
void *cpu_alloc_pages(size_t n);
void cpu_free_pages(void *p, size_t n);
/*
 * The page allocator's counts: pages free now (*@free_pages) and pages it
 * managed when it started (*@total_pages).  Dynamic Memory reports them.
 */
void cpu_page_counts(uint64_t *free_pages, uint64_t *total_pages);

/* Monotonic time in nanoseconds since boot. */
uint64_t cpu_now_ns(void);

/* The time-stamp counter (for the reference TSC page). */
uint64_t cpu_rdtsc(void);

/*
 * Rates measured at boot, in Hz, to hold what a host claims against: the
 * TSC's, and the local APIC timer's input clock (before its divider).
 * 0 when unknown.
 */
uint64_t cpu_tsc_hz(void);
uint64_t cpu_apic_timer_hz(void);

/*
 * From now on derive cpu_now_ns() from @read_100ns (the partition reference
 * counter), continuing from the current time without a jump.
 */
void cpu_clock_use_reference(uint64_t (*read_100ns)(void));

/*
 * Hypercalls.  The page is an executable page the host overlays with its
 * calling sequence once the HYPERCALL MSR points at it.  cpu_hypercall()
 * calls it with RCX = @control, RDX = @input, R8 = @output; returns RAX.
 */
void *cpu_hypercall_page(void);
uint64_t cpu_hypercall(uint64_t control, uint64_t input, uint64_t output);

/*
 * Route interrupt @vector (32..255) to @fn(@ctx).  Interrupts are taken
 * only inside cpu_wait().  After @fn the seam signals end of interrupt to
 * the local APIC, unless @auto_eoi (the SynIC did it already).
 */
int cpu_irq_install(uint8_t vector, void (*fn)(void *ctx), void *ctx, bool auto_eoi);

/* Write raw bytes to the console (serial, or stdout in the sim build). */
void cpu_console_write(const char *s, size_t n);

/* Print the register state of the caller (the panic path's dump). */
void cpu_dump_registers(void);

/*
 * Deliberately raise the CPU exception named @kind ("page_fault", "gp",
 * "ud", "divide"), to prove the exception path works.  Returns only for an
 * unknown @kind.
 */
void cpu_raise_fault(const char *kind);

/* Leave the machine: power off, or cold reboot when @reboot.  Never returns. */
__attribute__((noreturn)) void cpu_power_off(enum exit_status st, bool reboot);

/* ---- smp: every virtual processor (kernel/x86/smp.c; hvsim: hyperv/vp.c) ---- */

/* The most processors hvprobe starts; more are left parked by the firmware. */
#define CPU_MAX_VPS 16

/* Processors the firmware describes (ACPI MADT), the BSP included; at least 1. */
unsigned cpu_vp_count(void);
/* Whether processor @cpu (0 = the BSP) answered its start-up in time. */
bool cpu_vp_online(unsigned cpu);
/* Local APIC id of processor @cpu, as the firmware described it. */
uint32_t cpu_vp_apic_id(unsigned cpu);
/* The processor running the caller (0 = the BSP); usable in interrupt handlers. */
unsigned cpu_current_vp(void);
/*
 * Run @fn(@arg) on processor @cpu and wait for it to return, at most until
 * cpu_now_ns() reaches @deadline_ns.  0, or -1 when the processor is not
 * online or the body did not finish in time (the processor is then given up).
 * @cpu 0 runs inline.  Parked processors take interrupts (cpu_irq_install
 * handlers run on the processor the interrupt came to).
 */
int cpu_on_vp(unsigned cpu, void (*fn)(void *), void *arg, uint64_t deadline_ns);

/*
 * A virtual page for the TLB-flush checks, shared by every processor: map
 * it to physical page @pa, invalidating only the caller's translation (the
 * others keep theirs until flushed).  Returns its address, 0 when the
 * machine has none.  cpu_tlb_test_read() reads its first 8 bytes through
 * the caller's translation.  The first map must be made on processor 0.
 */
uint64_t cpu_tlb_test_map(uint64_t pa);
uint64_t cpu_tlb_test_read(void);

/* ---- xmm: XMM fast hypercall input (kernel/x86/entry.asm; hvsim: hyperv/cpu.c) ---- */

/* What cpu_hypercall_xmm() returns when the call raised #UD instead of returning. */
#define CPU_HYPERCALL_UD (~0ull)
/*
 * A fast hypercall with XMM input (TLFS: XMM fast hypercalls, CPUID
 * 0x40000003 EDX bit 4): RCX = @control, RDX = in[0], R8 = in[1], XMM0..XMM5
 * = in[2..13] (each register's low half first: the 112 bytes lie as in
 * memory).  Returns RAX, or CPU_HYPERCALL_UD.
 */
uint64_t cpu_hypercall_xmm(uint64_t control, const uint64_t in[14]);

/* ---- vpbus: VMBus channels bound to an AP (kernel/x86/smp.c; hvsim: hyperv/cpu.c) ---- */

/*
 * From an AP's interrupt handler: interrupt processor 0, so that a
 * cpu_wait() there returns now and its loop does the work the interrupt
 * announced.  Nothing when called on processor 0.
 */
void cpu_wake_bsp(void);

#endif
