/*
 * Inline accessors for x86-64 instructions.  Machine code only: included by
 * kernel/x86/ and boot/, never by drivers/ or lib/ (they use kernel/cpu.h).
 */
#ifndef HVPROBE_X86_H
#define HVPROBE_X86_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

static inline uint64_t x86_rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

static inline void x86_outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint8_t x86_inb(uint16_t port)
{
	uint8_t v;

	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline void x86_outl(uint16_t port, uint32_t v)
{
	__asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint32_t x86_inl(uint16_t port)
{
	uint32_t v;

	__asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline void x86_cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
	__asm__ volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
			 : "a"(leaf), "c"(sub));
}

static inline uint64_t x86_read_cr2(void)
{
	uint64_t v;

	__asm__ volatile("mov %%cr2, %0" : "=r"(v));
	return v;
}

static inline uint64_t x86_read_cr3(void)
{
	uint64_t v;

	__asm__ volatile("mov %%cr3, %0" : "=r"(v));
	return v;
}

static inline uint64_t x86_read_cr0(void)
{
	uint64_t v;

	__asm__ volatile("mov %%cr0, %0" : "=r"(v));
	return v;
}

static inline uint64_t x86_read_cr4(void)
{
	uint64_t v;

	__asm__ volatile("mov %%cr4, %0" : "=r"(v));
	return v;
}

static inline void x86_cli(void)
{
	__asm__ volatile("cli" ::: "memory");
}

static inline void x86_sti(void)
{
	__asm__ volatile("sti" ::: "memory");
}

static inline void x86_pause(void)
{
	__asm__ volatile("pause");
}

/* Interrupt frame built by kernel/x86/entry.asm (field order = push order reversed). */
struct trap_frame {
	uint64_t rax, rbx, rcx, rdx, rsi, rdi, rbp;
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
	uint64_t vector, error;
	uint64_t rip, cs, rflags, rsp, ss;
};

_Static_assert(sizeof(struct trap_frame) == 22 * 8, "trap_frame matches entry.asm");

/* entry.asm */
extern char x86_isr_stubs[];          /* 256 stubs of X86_ISR_STUB_SIZE bytes */
#define X86_ISR_STUB_SIZE 8
void x86_gdt_load(const void *gdtr, uint16_t code_sel, uint16_t data_sel);
int x86_rdmsr_safe(uint32_t msr, uint64_t *val);
int x86_wrmsr_safe(uint32_t msr, uint64_t val);
extern char x86_rdmsr_insn[], x86_wrmsr_insn[], x86_msr_fixup[];
void x86_dump_here(void);
uint64_t x86_hypercall(uint64_t control, uint64_t input, uint64_t output, void *page);
extern char x86_dump_ud2[];

/* kernel/x86: machine set-up */
void x86_gdt_init(void);
void x86_idt_init(void);
/* Interrupts handled so far (cpu_wait returns early when this moves). */
extern volatile uint32_t x86_irqs_taken;
#define X86_APIC_SPURIOUS_VECTOR 0xff
void x86_apic_init(void);
void x86_apic_eoi(void);
void x86_apic_timer_init(void);
bool x86_apic_halt(uint64_t max_ns);
void x86_clock_init(uint64_t tsc_hz, uint64_t tsc_origin);
struct boot_info;
/* The hypercall page the UEFI entry allocated (bi->hypercall_page; cpu.c). */
void x86_hypercall_init(const struct boot_info *bi);
void x86_mem_init(const struct boot_info *bi);
void x86_power_init(const struct boot_info *bi);

/* smp (smp.c, apic.c, gdt.c, trap.c): the other processors */
#define X86_GDT_BYTES 256
void x86_gdt_load_at(void *mem, void *ist_top);
void x86_idt_load_copy(void *page);
uint32_t x86_apic_id(void);
void x86_apic_send(uint32_t dest, uint32_t lo);
void x86_apic_ap_init(void);
void x86_smp_init(const struct boot_info *bi);

/* The kernel's entry from the UEFI entry, after ExitBootServices (start.c). */
__attribute__((noreturn)) void kernel_start(const struct boot_info *bi);
/* While boot services run, also show console output through @fn (cpu.c). */
void x86_console_set_mirror(void (*fn)(const char *s, size_t n));
/* Every exception and interrupt, from entry.asm's common stub (trap.c). */
void x86_trap_dispatch(struct trap_frame *f);

/* ---- xmm: XMM fast hypercall input (xmm_stub.asm, xmm.c) ---- */
uint64_t x86_hypercall_xmm(uint64_t control, const uint64_t in[14], void *page);
extern char x86_hypercall_xmm_ret[];
/* trap.c: true when @f is a #UD it recovered (the host refused an XMM call so) */
bool x86_hypercall_xmm_fixup(struct trap_frame *f);

#endif
