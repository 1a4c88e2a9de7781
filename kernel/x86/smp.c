/*
 * Every processor (docs/SMP.md): the list from the ACPI MADT, INIT-SIPI-SIPI
 * through the local APIC, each AP on its own stack, GDT/TSS and IDT, then
 * parked in a halt loop that runs one body at a time on request
 * (cpu_on_vp).  The BSP keeps the event loop; an AP only ever runs what the
 * BSP hands it.  Intel SDM vol. 3 §9.4 (MP initialisation protocol), ACPI
 * 6.5 §5.2.12 (MADT).
 */
#include "kernel/bootinfo.h"
#include "kernel/cpu.h"
#include "kernel/x86/x86.h"
#include "lib/log.h"
#include "lib/str.h"

#define AP_PAGES 8                   /* IDT, GDT/TSS, 2 IST, 4 stack */
#define AP_STARTUP_NS 1000000000ull  /* an AP that is not up in 1 s is given up */
#define AP_WAKE_VECTOR 0xfc
#define ICR_INIT 0x4500u             /* INIT, level assert */
#define ICR_SIPI 0x4600u             /* start-up, vector = page number */
#define MADT_LAPIC 0
#define MADT_X2APIC 9
#define MADT_ENABLED 1u
#define MADT_ONLINE_CAPABLE 2u

struct ap_boot_data {
	uint64_t cr0, cr3, cr4, efer, stack, arg, entry;
};

extern char ap_trampoline[], ap_trampoline_end[], ap_trampoline_data[];

static struct vp {
	uint32_t apic_id;
	volatile bool online;
	bool lost;                        /* a body overran its deadline */
	void (*volatile fn)(void *);
	void *arg;
	uint8_t *mem;
} vps[CPU_MAX_VPS];
static unsigned nvps = 1;

unsigned cpu_vp_count(void)
{
	return nvps;
}

bool cpu_vp_online(unsigned cpu)
{
	return cpu < nvps && vps[cpu].online;
}

uint32_t cpu_vp_apic_id(unsigned cpu)
{
	return cpu < nvps ? vps[cpu].apic_id : 0;
}

unsigned cpu_current_vp(void)
{
	uint32_t id = x86_apic_id();

	for (unsigned i = 0; i < nvps; i++)
		if (vps[i].apic_id == id)
			return i;
	return 0;
}

/* An ACPI table at @pa with @sig, its length checked; NULL otherwise. */
static const uint8_t *acpi_table(uint64_t pa, const char *sig)
{
	const uint8_t *t = cpu_phys_to_virt(pa);
	uint32_t len;

	if (!pa)
		return NULL;
	memcpy(&len, t + 4, 4);
	return !memcmp(t, sig, 4) && len >= 36 && len < (1u << 20) ? t : NULL;
}

/* The MADT, through the XSDT (ACPI 6.5 §5.2.5, §5.2.8; UEFI gives ACPI 2.0+). */
static const uint8_t *find_madt(uint64_t rsdp_pa)
{
	const uint8_t *rsdp = cpu_phys_to_virt(rsdp_pa), *root;
	uint64_t root_pa;
	uint32_t len;

	if (!rsdp_pa || memcmp(rsdp, "RSD PTR ", 8) || rsdp[15] < 2)
		return NULL;
	memcpy(&root_pa, rsdp + 24, 8);
	root = acpi_table(root_pa, "XSDT");
	if (!root)
		return NULL;
	memcpy(&len, root + 4, 4);
	for (uint32_t off = 36; off + 8 <= len; off += 8) {
		uint64_t pa;
		const uint8_t *t;

		memcpy(&pa, root + off, 8);
		t = acpi_table(pa, "APIC");
		if (t)
			return t;
	}
	return NULL;
}

/* Record every enabled (or online-capable) processor after the BSP. */
static void enumerate(const uint8_t *madt, uint32_t bsp)
{
	uint32_t len, id, flags;

	memcpy(&len, madt + 4, 4);
	for (uint32_t off = 44; off + 2 <= len && madt[off + 1] >= 2 && off + madt[off + 1] <= len;
	     off += madt[off + 1]) {
		const uint8_t *e = madt + off;

		if (e[0] == MADT_LAPIC && e[1] >= 8) {
			id = e[3];
			memcpy(&flags, e + 4, 4);
		} else if (e[0] == MADT_X2APIC && e[1] >= 16) {
			memcpy(&id, e + 4, 4);
			memcpy(&flags, e + 8, 4);
		} else {
			continue;
		}
		if (!(flags & (MADT_ENABLED | MADT_ONLINE_CAPABLE)) || id == bsp)
			continue;
		if (nvps < CPU_MAX_VPS) /* more stay in the firmware's wait loop */
			vps[nvps++].apic_id = id;
	}
}

static void wake_isr(void *ctx)
{
	(void)ctx;
}

/* An AP's first C code: its own tables and APIC, then the park loop. */
static __attribute__((noreturn)) void ap_entry(struct vp *v)
{
	x86_gdt_load_at(v->mem + PAGE_SIZE, v->mem + 4 * PAGE_SIZE);
	x86_idt_load_copy(v->mem);
	x86_apic_ap_init();
	__atomic_store_n(&v->online, true, __ATOMIC_RELEASE);
	for (;;) {
		void (*fn)(void *) = __atomic_load_n(&v->fn, __ATOMIC_ACQUIRE);

		if (fn) {
			fn(v->arg);
			__atomic_store_n(&v->fn, NULL, __ATOMIC_RELEASE);
		} else if (!x86_apic_halt(100000000ull)) {
			x86_pause();
		}
	}
}

static void delay_ns(uint64_t ns)
{
	uint64_t t0 = cpu_now_ns();

	while (cpu_now_ns() - t0 < ns)
		x86_pause();
}

/* INIT, 10 ms, SIPI, 200 us, SIPI (SDM vol. 3 §9.4.4.1), then wait for it, bounded: whether it came. */
static bool start_ap(struct vp *v, struct ap_boot_data *d, uint32_t vector)
{
	uint64_t t0;

	v->mem = cpu_alloc_pages(AP_PAGES);
	if (!v->mem)
		return false;
	d->stack = (uint64_t)(uintptr_t)(v->mem + AP_PAGES * PAGE_SIZE);
	d->arg = (uint64_t)(uintptr_t)v;
	x86_apic_send(v->apic_id, ICR_INIT);
	delay_ns(10000000);
	for (int i = 0; i < 2 && !v->online; i++) {
		x86_apic_send(v->apic_id, ICR_SIPI | vector);
		delay_ns(200000);
	}
	t0 = cpu_now_ns();
	while (!__atomic_load_n(&v->online, __ATOMIC_ACQUIRE) && cpu_now_ns() - t0 < AP_STARTUP_NS)
		x86_pause();
	return v->online;
}

void x86_smp_init(const struct boot_info *bi)
{
	const uint8_t *madt = find_madt(bi->acpi_rsdp);
	uint8_t *page = cpu_phys_to_virt(bi->ap_page);
	struct ap_boot_data *d;
	uint64_t cr3 = x86_read_cr3(), efer = 0;
	unsigned up = 0;

	vps[0].apic_id = x86_apic_id();
	vps[0].online = true;
	if (madt)
		enumerate(madt, vps[0].apic_id);
	if (nvps == 1)
		return;
	/* the trampoline loads CR3 in 32-bit mode: the BSP's tables must be below 4 GiB */
	if (!bi->ap_page || cr3 >> 32)
		return;
	cpu_irq_install(AP_WAKE_VECTOR, wake_isr, NULL, false);
	memcpy(page, ap_trampoline, (size_t)(ap_trampoline_end - ap_trampoline));
	d = (struct ap_boot_data *)(page + (ap_trampoline_data - ap_trampoline));
	cpu_rdmsr(0xc0000080, &efer);
	d->cr0 = x86_read_cr0();
	d->cr3 = cr3;
	d->cr4 = x86_read_cr4() & 0x6a0;   /* PAE, PGE, OSFXSR, OSXMMEXCPT */
	d->efer = (efer & 0x800) | 0x100;  /* NXE as the BSP, LME */
	d->entry = (uint64_t)(uintptr_t)ap_entry;
	for (unsigned i = 1; i < nvps; i++)
		up += start_ap(&vps[i], d, (uint32_t)(bi->ap_page >> 12));
	log_printf("hvprobe: %u of %u APs started\n", up, nvps - 1);
}

int cpu_on_vp(unsigned cpu, void (*fn)(void *), void *arg, uint64_t deadline_ns)
{
	struct vp *v = &vps[cpu < nvps ? cpu : 0];

	if (cpu == cpu_current_vp()) {
		fn(arg);
		return 0;
	}
	if (cpu >= nvps || !v->online || v->lost)
		return -1;
	v->arg = arg;
	__atomic_store_n(&v->fn, fn, __ATOMIC_RELEASE);
	x86_apic_send(v->apic_id, AP_WAKE_VECTOR);
	while (__atomic_load_n(&v->fn, __ATOMIC_ACQUIRE)) {
		if (cpu_now_ns() >= deadline_ns) {
			v->lost = true;
			return -1;
		}
		x86_pause();
	}
	return 0;
}

/* vpbus: the wake IPI (its handler is installed when APs exist) from an AP to the BSP */
void cpu_wake_bsp(void)
{
	if (cpu_current_vp())
		x86_apic_send(vps[0].apic_id, AP_WAKE_VECTOR);
}

/* ---- the TLB-flush checks' test page: one PML4 slot of our own ---- */

static uint64_t *test_pte;
static uint64_t test_va;

/*
 * The first call (on the BSP) links page tables of ours into the first free
 * PML4 slot; CR0.WP is cleared for that one write because the firmware may
 * have made its page tables read-only.  Shared by every processor (one CR3).
 */
uint64_t cpu_tlb_test_map(uint64_t pa)
{
	if (!test_va) {
		uint64_t *pml4 = cpu_phys_to_virt(x86_read_cr3() & 0x000ffffffffff000ull);
		uint64_t *t = cpu_alloc_pages(3), cr0 = x86_read_cr0();
		unsigned i = 1;

		while (i < 256 && (pml4[i] & 1))
			i++;
		if (!t || i == 256)
			return 0;
		t[0] = cpu_virt_to_phys(t + 512) | 3;          /* PDPT[0] -> PD */
		t[512] = cpu_virt_to_phys(t + 1024) | 3;       /* PD[0] -> PT */
		__asm__ volatile("mov %0, %%cr0" : : "r"(cr0 & ~(1ull << 16)));
		pml4[i] = cpu_virt_to_phys(t) | 3;
		__asm__ volatile("mov %0, %%cr0" : : "r"(cr0));
		test_pte = t + 1024;
		test_va = (uint64_t)i << 39;
	}
	*test_pte = pa | 3;
	__asm__ volatile("invlpg (%0)" : : "r"(test_va) : "memory");
	return test_va;
}

uint64_t cpu_tlb_test_read(void)
{
	return *(volatile uint64_t *)(uintptr_t)test_va;
}
