/*
 * Enlightenments a host may advertise, each checked only where granted:
 * the VP assist page and the APIC access MSRs (hv-vapic), the
 * reenlightenment and TSC emulation MSRs, the synthetic debugger MSRs, and
 * the extended hypercall HvExtCallQueryCapabilities.
 */
#include "drivers/hyperv/enlight.h"

#include "drivers/hyperv/hv_regs.h"
#include "drivers/hyperv/hypercall.h"
#include "drivers/hyperv/msr.h"
#include "kernel/cpu.h"
#include "lib/report.h"

#define REENLIGHTENMENT_VECTOR 0x43 /* written with Enable clear: never raised */
#define TEST_TPR 0x20               /* masks vectors below 0x30: none of ours */

/* hv.vapic: VP_ASSIST_PAGE takes a page, TPR holds what is written, ICR reads, EOI writes. */
static void check_vapic(const struct hv_info *hv)
{
	uint64_t got, tpr = 0, icr;
	void *page;

	if (!(hv->privileges & HV_PRIV_APIC_MSRS)) {
		check("hv.vapic", CHECK_SKIP, "the host grants no AccessApicMsrs privilege (hv-vapic)");
		return;
	}
	page = cpu_alloc_pages(1);
	if (!page) {
		check("hv.vapic", CHECK_FAIL, "no memory for the VP assist page");
		return;
	}
	/*
	 * TLFS, VP assist page: b0 enable, b63:12 the page's GPFN (KVM
	 * kvm_hv_set_msr() keeps the value); the APIC MSRs alias the local
	 * APIC's TPR, ICR and EOI (KVM kvm_hv_vapic_msr_read()/write()).
	 */
	if (hv_msr_write_verify("hv.vapic", HV_MSR_VP_ASSIST_PAGE, cpu_virt_to_phys(page) | HV_MSR_ENABLE,
				~HV_MSR_RSVDP_MASK, &got))
		return;
	cpu_wrmsr(HV_MSR_VP_ASSIST_PAGE, 0);
	if (hv_msr_read(HV_MSR_TPR, &tpr))
		goto gp;
	if (hv_msr_write_verify("hv.vapic", HV_MSR_TPR, TEST_TPR, 0xff, &got))
		return;
	cpu_wrmsr(HV_MSR_TPR, tpr);
	if (hv_msr_read(HV_MSR_ICR, &icr) || cpu_wrmsr(HV_MSR_EOI, 0))
		goto gp;
	check("hv.vapic", CHECK_PASS, "VP assist page enabled at GPA 0x%llx; TPR held 0x%x; ICR read 0x%llx; EOI written",
	      (unsigned long long)cpu_virt_to_phys(page), TEST_TPR, (unsigned long long)icr);
	return;
gp:
	check("hv.vapic", CHECK_FAIL, "TPR, ICR or EOI raised #GP although AccessApicMsrs is granted");
}

/* hv.reenlightenment: the control MSR holds a vector; TSC emulation reads back. */
static void check_reenlightenment(const struct hv_info *hv)
{
	uint64_t got, status;

	if (!(hv->privileges & HV_PRIV_REENLIGHTENMENT)) {
		check("hv.reenlightenment", CHECK_SKIP, "the host grants no AccessReenlightenmentControls privilege");
		return;
	}
	/*
	 * TLFS, reenlightenment: REENLIGHTENMENT_CONTROL keeps vector and target
	 * (KVM kvm_hv_set_msr_pw(); Linux hv_init.c set_hv_tscchange_cb() writes
	 * it); TSC_EMULATION_CONTROL/STATUS read with the same privilege.
	 */
	if (hv_msr_write_verify("hv.reenlightenment", HV_MSR_REENLIGHTENMENT_CONTROL, REENLIGHTENMENT_VECTOR,
				0xff | HV_REENLIGHTENMENT_ENABLE, &got))
		return;
	cpu_wrmsr(HV_MSR_REENLIGHTENMENT_CONTROL, 0);
	if (hv_msr_read(HV_MSR_TSC_EMULATION_STATUS, &status) ||
	    hv_msr_write_verify("hv.reenlightenment", HV_MSR_TSC_EMULATION_CONTROL, 0, ~0ull, &got)) {
		check("hv.reenlightenment", CHECK_FAIL, "TSC_EMULATION_STATUS raised #GP although granted");
		return;
	}
	check("hv.reenlightenment", CHECK_PASS, "REENLIGHTENMENT_CONTROL held vector 0x%x; TSC_EMULATION_STATUS 0x%llx",
	      REENLIGHTENMENT_VECTOR, (unsigned long long)status);
}

/* hv.syndbg: the synthetic debugger MSRs read where advertised. */
static void check_syndbg(const struct hv_info *hv)
{
	uint64_t opts, status, ctl;

	if (!(hv->features_edx & HV_FEAT_DEBUG_MSRS)) {
		check("hv.syndbg", CHECK_SKIP, "CPUID 0x40000003 EDX does not advertise the synthetic debugger MSRs");
		return;
	}
	/* TLFS feature flag: DebugMsrsAvailable (KVM syndbg_get_msr(); QEMU hv-syndbg) */
	if (hv_msr_read(HV_MSR_SYNDBG_OPTIONS, &opts) || hv_msr_read(HV_MSR_SYNDBG_STATUS, &status) ||
	    hv_msr_read(HV_MSR_SYNDBG_CONTROL, &ctl)) {
		check("hv.syndbg", CHECK_FAIL, "a synthetic debugger MSR raised #GP although advertised");
		return;
	}
	check("hv.syndbg", CHECK_PASS, "SYNDBG_OPTIONS 0x%llx, STATUS 0x%llx, CONTROL 0x%llx",
	      (unsigned long long)opts, (unsigned long long)status, (unsigned long long)ctl);
}

/* hv.extcall.query: HvExtCallQueryCapabilities answers with a capability mask. */
static void check_extcall(const struct hv_info *hv)
{
	uint64_t *page;
	uint16_t st;

	if (!(hv->privileges & HV_PRIV_EXT_HYPERCALLS)) {
		check("hv.extcall.query", CHECK_SKIP, "the host grants no EnableExtendedHypercalls privilege");
		return;
	}
	page = cpu_alloc_pages(1);
	if (!page) {
		check("hv.extcall.query", CHECK_FAIL, "no memory for the output page");
		return;
	}
	page[0] = ~0ull;
	st = hv_call(HV_EXT_CALL_QUERY_CAPABILITIES, 0, cpu_virt_to_phys(page));
	/*
	 * TLFS, extended hypercalls: with EnableExtendedHypercalls,
	 * HvExtCallQueryCapabilities (0x8001) succeeds and writes a 64-bit mask
	 * (KVM selftest hyperv_extended_hypercalls.c; KVM forwards it to the VMM).
	 */
	check_that("hv.extcall.query", st == HV_STATUS_SUCCESS, "HvExtCallQueryCapabilities returned %s, capabilities 0x%llx",
		   hv_status_name(st), (unsigned long long)page[0]);
	cpu_free_pages(page, 1);
}

void hv_extras_checks(const struct hv_info *hv)
{
	check_vapic(hv);
	check_reenlightenment(hv);
	check_syndbg(hv);
	check_extcall(hv);
}
