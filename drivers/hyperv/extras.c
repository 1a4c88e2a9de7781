/*
 * Enlightenments a host may advertise, each checked only where granted
 * (one table): the VP assist page and the APIC access MSRs (hv-vapic), the
 * reenlightenment and TSC emulation MSRs.  The synthetic debugger MSRs are
 * only read (hv.access.msr): writing them would start a debugger session;
 * HvExtCallQueryCapabilities is a row of hv.access.hypercall.
 */
#include "drivers/hyperv/enlight.h"

#include "drivers/hyperv/hv_regs.h"
#include "kernel/cpu.h"
#include "lib/report.h"

enum { R, W, PAGE, EOI };   /* read; write a value, read it back, restore; a page GPA; write 0 */

static const struct {
	const char *id;
	uint8_t bit;            /* hv_granted() numbering */
} groups[] = {
	{ "hv.vapic", 4 }, { "hv.reenlightenment", 13 },
};

static const struct {
	uint16_t msr;           /* low half of 0x4000xxxx */
	uint8_t group, how, val;
} probes[] = {
	{ HV_MSR_VP_ASSIST_PAGE & 0xffff, 0, PAGE, 0 }, { HV_MSR_TPR & 0xffff, 0, W, 0x20 }, { HV_MSR_ICR & 0xffff, 0, R, 0 },
	{ HV_MSR_EOI & 0xffff, 0, EOI, 0 },
	{ HV_MSR_REENLIGHTENMENT_CONTROL & 0xffff, 1, W, 0x43 }, /* a vector, Enable (b16) clear */
	{ HV_MSR_TSC_EMULATION_STATUS & 0xffff, 1, R, 0 },
};

/* One MSR of a granted group: 0 when it works, else the MSR number. */
static uint32_t probe(unsigned i, void *page)
{
	uint32_t msr = 0x40000000u | probes[i].msr;
	uint64_t old = 0, want = probes[i].how == PAGE ? cpu_virt_to_phys(page) | HV_MSR_ENABLE : probes[i].val, got = 0;

	if (probes[i].how == EOI)
		return cpu_wrmsr(msr, 0) ? msr : 0; /* nothing in service: no effect */
	if (cpu_rdmsr(msr, &old))
		return msr;
	if (probes[i].how == R)
		return 0;
	if (cpu_wrmsr(msr, want) || cpu_rdmsr(msr, &got) || (got & (probes[i].how == PAGE ? ~HV_MSR_RSVDP_MASK : ~0ull)) != want)
		return msr;
	cpu_wrmsr(msr, probes[i].how == PAGE ? 0 : old);
	return 0;
}

uint32_t hv_extras_probe(unsigned g, void *page, unsigned *n)
{
	uint32_t bad = 0;

	for (unsigned i = 0; i < sizeof(probes) / sizeof(probes[0]) && !bad; i++)
		if (probes[i].group == g)
			bad = probe(i, page), ++*n;
	return bad;
}

void hv_extras_checks(const struct hv_info *hv)
{
	void *page = cpu_alloc_pages(1);

	if (!page)
		return;
	for (unsigned g = 0; g < sizeof(groups) / sizeof(groups[0]); g++) {
		uint32_t bad;
		unsigned n = 0;

		if (!hv_granted(hv, groups[g].bit)) {
			check(groups[g].id, CHECK_SKIP, "not granted");
			continue;
		}
		bad = hv_extras_probe(g, page, &n);
		/*
		 * Granted means usable: TLFS v6.0b (VP assist page, synthetic APIC
		 * MSRs, reenlightenment, DebugMsrsAvailable); KVM arch/x86/kvm/hyperv.c
		 * kvm_hv_set_msr() / kvm_hv_set_msr_pw() keep what is written,
		 * kvm_hv_vapic_msr_read()/write() and syndbg_get_msr() answer.
		 */
		if (bad)
			check(groups[g].id, CHECK_FAIL, "0x%x failed", bad);
		else
			check(groups[g].id, CHECK_PASS, "%u MSRs work", n);
	}
	cpu_free_pages(page, 1);
}
