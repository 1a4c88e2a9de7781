/*
 * The machine side of the hand-off from boot/: after ExitBootServices the
 * kernel takes the CPU (own GDT/TSS and IDT), its clock, its memory and its
 * way out, then runs the portable conformance run.
 */
#include "kernel/bootinfo.h"
#include "kernel/cpu.h"
#include "kernel/x86/x86.h"


void kernel_start(const struct boot_info *bi)
{
	cpu_irq_disable();
	x86_gdt_init();
	x86_idt_init();
	x86_clock_init(bi->tsc_hz, bi->tsc_origin);
	x86_power_init(bi);
	x86_mem_init(bi);
	x86_hypercall_init(bi);
	x86_apic_init();
	x86_apic_timer_init();
	x86_smp_init(bi);
	hvprobe_main(bi);
}
