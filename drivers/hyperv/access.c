/*
 * The access matrix: every synthetic MSR and hypercall the guest knows,
 * against the CPUID bit that grants it (TLFS v6.0b §2.4.4 partition
 * privileges and feature flags; the same pairs as KVM
 * arch/x86/kvm/hyperv.c hv_check_msr_access() / hv_check_hypercall_access()
 * and the selftest tools/testing/selftests/kvm/x86/hyperv_features.c).
 * Granted: an MSR reads without #GP, a hypercall is not ACCESS_DENIED.
 * Not granted: #GP and ACCESS_DENIED, but only a host that enforces its
 * bits owes that (Hyper-V does; KVM only with hv-enforce-cpuid, otherwise
 * hv_check_msr_access() lets everything through): elsewhere it is a warning.
 * Reads only: a write could change the partition (RESET, CRASH_CTL).
 */
#include "drivers/hyperv/enlight.h"

#include "drivers/hyperv/hv_regs.h"
#include "drivers/hyperv/hypercall.h"
#include "kernel/cpu.h"
#include "lib/report.h"

#define EDX HV_GRANT_EDX
#define MSR(lo, bit) { (uint16_t)(lo), bit, 0 }  /* the MSR 0x40000000 | lo */
#define CALL(code, bit, probe) { code, bit, (probe) + 1 } /* probe: granted, it must succeed (2: and only then called) */
/*
 * HvCallNotifyLongSpinWait's grant: leaf 0x40000004 EBX, the spin count
 * after which to notify, neither 0 nor 0xffffffff ("never"); KVM
 * hv_check_hypercall_access() with hv-enforce-cpuid refuses it otherwise.
 * The TLFS makes no privilege of it, so a host may take it anyway: the row
 * is only called where granted.
 */
#define SPIN 0xff

struct gate {
	uint16_t what;  /* low half of an MSR number, or a hypercall code */
	uint8_t bit;    /* hv_granted() numbering */
	uint8_t kind;   /* 0: MSR; 1: hypercall; 2: that must succeed when granted; 3: only then called */
};

/*
 * One row per MSR, with the bit KVM's hv_check_msr_access() holds it to;
 * then the hypercalls (slow form, a zeroed input page): PostMessage, the
 * synthetic debugger's three, HvExtCallQueryCapabilities, which with
 * EnableExtendedHypercalls succeeds and writes its 64-bit mask to the
 * output page (TLFS, extended hypercalls; KVM selftest
 * x86/hyperv_extended_hypercalls.c), and HvCallNotifyLongSpinWait, which
 * where granted succeeds (TLFS: a hint that the VP spins; KVM
 * kvm_hv_hypercall() yields, kvm_vcpu_on_spin(), and answers SUCCESS).
 */
static const struct gate gates[] = {
	MSR(HV_MSR_GUEST_OS_ID, 5), MSR(HV_MSR_HYPERCALL, 5), MSR(HV_MSR_VP_INDEX, 6),
	MSR(HV_MSR_RESET, 7), MSR(HV_MSR_VP_RUNTIME, 0), MSR(HV_MSR_TIME_REF_COUNT, 1),
	MSR(HV_MSR_REFERENCE_TSC, 9), MSR(HV_MSR_TSC_FREQUENCY, 11), MSR(HV_MSR_APIC_FREQUENCY, 11),
	MSR(HV_MSR_ICR, 4), MSR(HV_MSR_TPR, 4), MSR(HV_MSR_VP_ASSIST_PAGE, 4),
	MSR(HV_MSR_SCONTROL, 2), MSR(HV_MSR_SVERSION, 2), MSR(HV_MSR_SIEFP, 2), MSR(HV_MSR_SIMP, 2),
	MSR(HV_MSR_SINT0, 2), MSR(HV_MSR_SINT15, 2), MSR(HV_MSR_STIMER0_CONFIG, 3),
	MSR(HV_MSR_STIMER3_COUNT, 3), MSR(HV_MSR_REENLIGHTENMENT_CONTROL, 13),
	MSR(HV_MSR_TSC_EMULATION_CONTROL, 13), MSR(HV_MSR_TSC_EMULATION_STATUS, 13),
	MSR(HV_MSR_TSC_INVARIANT_CONTROL, 15), MSR(HV_MSR_SYNDBG_CONTROL, EDX + 11),
	MSR(HV_MSR_SYNDBG_STATUS, EDX + 11), MSR(HV_MSR_SYNDBG_PENDING_BUFFER, EDX + 11),
	MSR(HV_MSR_SYNDBG_OPTIONS, EDX + 11),
	CALL(HV_CALL_POST_MESSAGE, 32 + 4, 0), CALL(HV_CALL_POST_DEBUG_DATA, 32 + 11, 0),
	CALL(HV_CALL_RETRIEVE_DEBUG_DATA, 32 + 11, 0), CALL(HV_CALL_RESET_DEBUG_SESSION, 32 + 11, 0),
	CALL(HV_EXT_CALL_QUERY_CAPABILITIES, 32 + 20, 1), CALL(HV_CALL_NOTIFY_LONG_SPIN_WAIT, SPIN, 2),
};

bool hv_granted(const struct hv_info *hv, unsigned bit)
{
	if (bit == SPIN)
		return hv->spin_retries && hv->spin_retries != ~0u;
	return bit >= EDX ? (hv->features_edx >> (bit - EDX)) & 1 : (hv->privileges >> bit) & 1;
}

/*
 * An ungranted hypercall is refused with ACCESS_DENIED (TLFS §3.8 status
 * codes), or with INVALID_HYPERCALL_CODE by a host that does not offer the
 * call at all: KVM's hv_check_hypercall_access() lets the debugger calls
 * through when SynDBG is off so that they answer that code, and Linux
 * before 6.2 knows no extended hypercall.  Either way the call did nothing.
 */
static bool refused(uint16_t st)
{
	return st == HV_STATUS_ACCESS_DENIED || st == HV_STATUS_INVALID_HYPERCALL_CODE;
}

/* The MSR rows (@calls false) or the hypercall rows, as check @id. */
static void run(const struct hv_info *hv, bool enforced, const char *id, bool calls, uint64_t gpa)
{
	unsigned n = 0, ngp = 0, nopen = 0;
	uint32_t gp = 0, open = 0;
	uint64_t v;

	for (unsigned i = 0; i < sizeof(gates) / sizeof(gates[0]); i++) {
		const struct gate *g = &gates[i];
		bool granted = hv_granted(hv, g->bit), ok;
		uint32_t what = calls ? g->what : 0x40000000u | g->what;

		if ((g->kind != 0) != calls || (g->kind == 3 && !granted))
			continue;
		n++;
		if (!calls)
			ok = !cpu_rdmsr(what, &v);
		else if (granted && g->kind == 1)
			continue;
		else if (granted)
			ok = hv_call(g->what, gpa, gpa + 2048) == HV_STATUS_SUCCESS;
		else
			ok = !refused(hv_call(g->what, gpa, gpa + 2048));
		if (granted && !ok)
			gp = what, ngp++;
		else if (!granted && ok)
			open = what, nopen++;
	}
	/*
	 * FAIL: refused though granted (TLFS §2.4.4: the bit grants the access;
	 * KVM hv_check_msr_access()/hv_check_hypercall_access()); open though
	 * not granted on a host that enforces (Hyper-V; KVM with
	 * hv-enforce-cpuid answers #GP / ACCESS_DENIED, selftest
	 * x86/hyperv_features.c).  WARN: open on a host that does not claim to
	 * enforce (KVM without it lets everything through).
	 */
	check(id, ngp || (nopen && enforced) ? CHECK_FAIL : nopen ? CHECK_WARN : CHECK_PASS,
	      "%u: %u refused though granted (0x%x), %u open though not (0x%x)%s", n, ngp, gp, nopen, open,
	      enforced ? "" : ", unenforced");
}

void hv_access_checks(const struct hv_info *hv, bool enforced)
{
	uint8_t *page = cpu_alloc_pages(1);

	run(hv, enforced, "hv.access.msr", false, 0);
	if (!page)
		return;
	run(hv, enforced, "hv.access.hypercall", true, cpu_virt_to_phys(page));
	cpu_free_pages(page, 1);
}
