/*
 * Our own GDT and TSS.  UEFI's GDT lives in boot-services memory, which is
 * free RAM after ExitBootServices, so the kernel must not keep using it.
 * The TSS exists for its interrupt stack: #DF, NMI and #MC switch to a
 * known-good stack so that even a stack overflow produces a register dump.
 */
#include <stdint.h>

#include "kernel/x86/x86.h"
#include "lib/str.h"

#define SEL_CODE 0x08
#define SEL_DATA 0x10
#define SEL_TSS 0x18

struct tss64 {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base;
} __attribute__((packed));

_Static_assert(sizeof(struct tss64) == 104, "64-bit TSS is 104 bytes (SDM vol. 3 fig. 8-11)");

struct gdtr {
	uint16_t limit;
	uint64_t base;
} __attribute__((packed));

/* One processor's descriptor tables (the BSP's is static, each AP's allocated). */
struct x86_gdt {
	uint64_t gdt[5];
	struct tss64 tss;
};

_Static_assert(sizeof(struct x86_gdt) <= X86_GDT_BYTES, "x86_gdt fits its allocation");

static struct x86_gdt bsp_gdt __attribute__((aligned(16)));
static uint8_t ist_stack[16384] __attribute__((aligned(16)));

void x86_gdt_init(void)
{
	x86_gdt_load_at(&bsp_gdt, ist_stack + sizeof(ist_stack));
}

/* Build a GDT and TSS in @mem (X86_GDT_BYTES, zeroed) with @ist_top as IST1, and load them. */
void x86_gdt_load_at(void *mem, void *ist_top)
{
	struct x86_gdt *g = mem;
	uint64_t *gdt = g->gdt;
	uint64_t tss_base = (uint64_t)(uintptr_t)&g->tss;
	uint64_t tss_limit = sizeof(g->tss) - 1;
	struct gdtr gdtr;

	memset(g, 0, sizeof(*g));
	g->tss.ist[0] = (uint64_t)(uintptr_t)ist_top;
	g->tss.iomap_base = sizeof(g->tss); /* no I/O bitmap */

	gdt[0] = 0;
	gdt[1] = 0x00209a0000000000ull; /* code: present, DPL0, exec/read, L=1 */
	gdt[2] = 0x0000920000000000ull; /* data: present, DPL0, read/write */
	/* 16-byte system descriptor, type 9 = available 64-bit TSS */
	gdt[3] = (tss_limit & 0xffff) | ((tss_base & 0xffffff) << 16) | (0x89ull << 40) |
		 (((tss_limit >> 16) & 0xf) << 48) | (((tss_base >> 24) & 0xff) << 56);
	gdt[4] = tss_base >> 32;

	gdtr.limit = sizeof(g->gdt) - 1;
	gdtr.base = (uint64_t)(uintptr_t)gdt;
	x86_gdt_load(&gdtr, SEL_CODE, SEL_DATA);
	__asm__ volatile("ltr %w0" : : "r"((uint16_t)SEL_TSS));
}
