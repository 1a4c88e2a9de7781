/*
 * IDT, exception handling and interrupt dispatch.
 *
 * Every one of the 256 vectors has a stub (entry.asm).  Exceptions end the
 * run: the vector, error code, RIP, CR2 and every general register go to the
 * console, then a failed check "kernel.exception", a FAIL verdict and power
 * off with a non-zero status.  Three exceptions are expected and recovered:
 * #GP on the rdmsr/wrmsr of x86_*msr_safe (the MSR does not exist), and the
 * #UD of x86_dump_here (the panic path asking for a register dump), and a
 * #UD answering an XMM fast hypercall (xmm.c).
 */
#include <stdbool.h>
#include <stdint.h>

#include "kernel/cpu.h"
#include "kernel/panic.h"
#include "kernel/x86/x86.h"
#include "lib/log.h"
#include "lib/str.h"

#define VEC_DE 0
#define VEC_NMI 2
#define VEC_UD 6
#define VEC_DF 8
#define VEC_GP 13
#define VEC_PF 14
#define VEC_MC 18
#define NUM_EXCEPTIONS 32

struct idt_gate {
	uint16_t off_lo;
	uint16_t sel;
	uint8_t ist;
	uint8_t type;
	uint16_t off_mid;
	uint32_t off_hi;
	uint32_t reserved;
} __attribute__((packed));

_Static_assert(sizeof(struct idt_gate) == 16, "64-bit IDT gate is 16 bytes");

static struct idt_gate idt[256] __attribute__((aligned(16)));
static struct {
	void (*fn)(void *ctx);
	void *ctx;
	bool auto_eoi;
} irq_handlers[256];
static uint64_t spurious[256];
volatile uint32_t x86_irqs_taken;

/*
 * The exception names, one after the other with their terminators: a table
 * of pointers would cost a relocation each in the image (the EFI size limit).
 */
static const char exception_names[] =
	"#DE divide error\0#DB debug\0NMI\0#BP breakpoint\0#OF overflow\0"
	"#BR bound range\0#UD invalid opcode\0#NM device not available\0"
	"#DF double fault\0coprocessor overrun\0#TS invalid TSS\0#NP segment not present\0"
	"#SS stack fault\0#GP general protection\0#PF page fault\0reserved\0"
	"#MF x87 error\0#AC alignment check\0#MC machine check\0#XM SIMD exception\0"
	"#VE virtualization exception\0#CP control protection\0reserved\0reserved\0"
	"reserved\0reserved\0reserved\0reserved\0"
	"#HV hypervisor injection\0#VC VMM communication\0#SX security exception\0reserved";

/* The name of exception @v (< NUM_EXCEPTIONS). */
static const char *exception_name(uint64_t v)
{
	const char *s = exception_names;

	while (v--)
		s += strlen(s) + 1;
	return s;
}

void x86_idt_init(void)
{
	struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) idtr;

	for (unsigned v = 0; v < 256; v++) {
		uint64_t a = (uint64_t)(uintptr_t)(x86_isr_stubs + v * X86_ISR_STUB_SIZE);

		idt[v].off_lo = (uint16_t)a;
		idt[v].sel = 0x08;
		/* a known-good stack for faults that mean the current one is not */
		idt[v].ist = (v == VEC_DF || v == VEC_NMI || v == VEC_MC) ? 1 : 0;
		idt[v].type = 0x8e; /* present, DPL0, 64-bit interrupt gate (IF cleared) */
		idt[v].off_mid = (uint16_t)(a >> 16);
		idt[v].off_hi = (uint32_t)(a >> 32);
		idt[v].reserved = 0;
	}
	idtr.limit = sizeof(idt) - 1;
	idtr.base = (uint64_t)(uintptr_t)idt;
	__asm__ volatile("lidt %0" : : "m"(idtr));
}

/* An AP's own IDT: a copy of the BSP's (the same stubs) in @page, loaded. */
void x86_idt_load_copy(void *page)
{
	struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) idtr = { sizeof(idt) - 1, (uint64_t)(uintptr_t)page };

	memcpy(page, idt, sizeof(idt));
	__asm__ volatile("lidt %0" : : "m"(idtr));
}

int cpu_irq_install(uint8_t vector, void (*fn)(void *ctx), void *ctx, bool auto_eoi)
{
	if (vector < NUM_EXCEPTIONS)
		return -1;
	irq_handlers[vector].fn = fn;
	irq_handlers[vector].ctx = ctx;
	irq_handlers[vector].auto_eoi = auto_eoi;
	return 0;
}

static void dump_frame(const struct trap_frame *f)
{
	log_printf("  RIP %016llx  CS %04llx  RFLAGS %016llx\n", (unsigned long long)f->rip,
		   (unsigned long long)f->cs, (unsigned long long)f->rflags);
	log_printf("  RSP %016llx  SS %04llx  CR2 %016llx  CR3 %016llx\n",
		   (unsigned long long)f->rsp, (unsigned long long)f->ss,
		   (unsigned long long)x86_read_cr2(), (unsigned long long)x86_read_cr3());
	log_printf("  CR0 %016llx  CR4 %016llx\n", (unsigned long long)x86_read_cr0(),
		   (unsigned long long)x86_read_cr4());
	/* the 15 general registers, four to a line, in struct trap_frame's order */
	for (unsigned i = 0; i < 15; i++)
		log_printf("  %.3s %016llx%s", "RAXRBXRCXRDXRSIRDIRBPR8 R9 R10R11R12R13R14R15" + 3 * i,
			   (unsigned long long)((const uint64_t *)f)[i], i % 4 == 3 || i == 14 ? "\n" : "");
}

/* An exception nobody expected: dump, fail the run, power off. */
static __attribute__((noreturn)) void exception(const struct trap_frame *f)
{
	const char *name = exception_name(f->vector);

	log_printf("hvprobe: EXCEPTION %s (vector %llu) error code 0x%llx\n", name,
		   (unsigned long long)f->vector, (unsigned long long)f->error);
	dump_frame(f);
	fatal("kernel.exception", "%s at RIP 0x%llx, error code 0x%llx, CR2 0x%llx", name,
	      (unsigned long long)f->rip, (unsigned long long)f->error,
	      (unsigned long long)x86_read_cr2());
}


void x86_trap_dispatch(struct trap_frame *f)
{
	if (f->vector < NUM_EXCEPTIONS) {
		if (f->vector == VEC_GP &&
		    (f->rip == (uintptr_t)x86_rdmsr_insn || f->rip == (uintptr_t)x86_wrmsr_insn)) {
			f->rip = (uintptr_t)x86_msr_fixup;
			return;
		}
		if (f->vector == VEC_UD && f->rip == (uintptr_t)x86_dump_ud2) {
			dump_frame(f);
			f->rip += 2; /* skip the ud2 */
			return;
		}
		if (f->vector == VEC_UD && x86_hypercall_xmm_fixup(f))
			return;
		exception(f);
	}
	if (irq_handlers[f->vector].fn) {
		irq_handlers[f->vector].fn(irq_handlers[f->vector].ctx);
		if (!irq_handlers[f->vector].auto_eoi)
			x86_apic_eoi();
		__atomic_fetch_add(&x86_irqs_taken, 1, __ATOMIC_RELAXED); /* any processor */
		return;
	}
	/* nothing else should arrive; say so once per vector */
	if (spurious[f->vector]++ == 0)
		log_printf("hvprobe: unexpected interrupt on vector %llu (ignored)\n",
			   (unsigned long long)f->vector);
	/*
	 * Still end it: an interrupt left in service would hold back every
	 * vector of its priority class and below (the SynIC's among them).
	 * The spurious vector is the one the APIC wants no EOI for.
	 */
	if (f->vector != X86_APIC_SPURIOUS_VECTOR)
		x86_apic_eoi();
}

void cpu_dump_registers(void)
{
	x86_dump_here();
}

/* The first PML4 slot that is not present: an address that is surely unmapped. */
static volatile uint64_t *unmapped_address(void)
{
	const uint64_t *pml4 = (const uint64_t *)(uintptr_t)(x86_read_cr3() & ~0xfffull);

	for (uint64_t i = 1; i < 256; i++) /* lower, canonical half */
		if (!(pml4[i] & 1))
			return (volatile uint64_t *)(uintptr_t)(i << 39);
	return (volatile uint64_t *)(uintptr_t)0x00007ffffffff000ull;
}

void cpu_raise_fault(const char *kind)
{
	if (!strcmp(kind, "page_fault")) {
		volatile uint64_t *p = unmapped_address();

		log_printf("hvprobe: fault injection: reading unmapped address %p\n", (void *)p);
		(void)*p;
	} else if (!strcmp(kind, "gp")) {
		log_printf("hvprobe: fault injection: non-canonical address\n");
		(void)*(volatile uint64_t *)(uintptr_t)0x8000000000000000ull;
	} else if (!strcmp(kind, "ud")) {
		log_printf("hvprobe: fault injection: ud2\n");
		__asm__ volatile("ud2");
	} else if (!strcmp(kind, "divide")) {
		log_printf("hvprobe: fault injection: divide by zero\n");
		__asm__ volatile("xor %%ecx, %%ecx; div %%ecx" : : : "eax", "ecx", "edx");
	}
}
