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
#include "lib/fmt.h"
#include "lib/report.h"

#define EDX 64 /* bit numbers from 64 name CPUID 0x40000003 EDX bits */

struct gate {
	uint32_t what;  /* MSR number or hypercall code */
	uint8_t bit;    /* privilege bit 0-63 (EAX:EBX), or EDX + n */
	uint8_t probe;  /* hypercalls: also call it when granted */
};

#define M(msr, bit) { msr, bit, 0 }

/* One row per MSR: the privilege KVM's hv_check_msr_access() and the TLFS name. */
static const struct gate msrs[] = {
	M(HV_MSR_GUEST_OS_ID, 5), M(HV_MSR_HYPERCALL, 5), M(HV_MSR_VP_INDEX, 6),
	M(HV_MSR_RESET, 7), M(HV_MSR_VP_RUNTIME, 0), M(HV_MSR_TIME_REF_COUNT, 1),
	M(HV_MSR_REFERENCE_TSC, 9), M(HV_MSR_TSC_FREQUENCY, 11), M(HV_MSR_APIC_FREQUENCY, 11),
	M(HV_MSR_ICR, 4), M(HV_MSR_TPR, 4), M(HV_MSR_VP_ASSIST_PAGE, 4),
	M(HV_MSR_SCONTROL, 2), M(HV_MSR_SVERSION, 2), M(HV_MSR_SIEFP, 2), M(HV_MSR_SIMP, 2),
	M(HV_MSR_SINT0, 2), M(HV_MSR_SINT15, 2), M(HV_MSR_STIMER0_CONFIG, 3),
	M(HV_MSR_STIMER3_COUNT, 3), M(HV_MSR_REENLIGHTENMENT_CONTROL, 13),
	M(HV_MSR_TSC_EMULATION_CONTROL, 13), M(HV_MSR_TSC_EMULATION_STATUS, 13),
	M(HV_MSR_TSC_INVARIANT_CONTROL, 15), M(HV_MSR_SYNDBG_CONTROL, EDX + 11),
	M(HV_MSR_SYNDBG_STATUS, EDX + 11), M(HV_MSR_SYNDBG_PENDING_BUFFER, EDX + 11),
	M(HV_MSR_SYNDBG_OPTIONS, EDX + 11),
};

/* Hypercalls (slow form, a zeroed input page): PostMessage, the debugger's three, extended calls. */
static const struct gate calls[] = {
	{ HV_CALL_POST_MESSAGE, 32 + 4, 1 }, { HV_CALL_POST_DEBUG_DATA, 32 + 11, 0 },
	{ HV_CALL_RETRIEVE_DEBUG_DATA, 32 + 11, 0 }, { HV_CALL_RESET_DEBUG_SESSION, 32 + 11, 0 },
	{ HV_EXT_CALL_QUERY_CAPABILITIES, 32 + 20, 0 },
};

static bool granted(const struct hv_info *hv, uint8_t bit)
{
	return bit >= EDX ? (hv->features_edx >> (bit - EDX)) & 1 : (hv->privileges >> bit) & 1;
}

/* Append "0x... " to the list in @buf (as much as fits). */
static void note(char *buf, size_t n, uint32_t what)
{
	size_t len = 0;

	while (len < n && buf[len])
		len++;
	if (len + 12 < n)
		fmt_snprintf(buf + len, n - len, "%s0x%x", len ? " " : "", what);
}

static void verdict(const char *id, const char *kind, unsigned total, const char *gp, const char *open,
		    unsigned nopen, bool enforced)
{
	if (gp[0])
		/* TLFS §2.4.4: the bit grants the access (KVM hv_check_msr_access(): granted means handled) */
		check(id, CHECK_FAIL, "refused although granted by their CPUID bit: %s%s%s", gp,
		      open[0] ? "; not refused although not granted: " : "", open);
	else if (nopen && enforced)
		/* TLFS §2.4.4 (Hyper-V enforces); KVM with hv-enforce-cpuid: #GP / ACCESS_DENIED (hyperv_features.c) */
		check(id, CHECK_FAIL, "not refused although not granted, on a host that enforces: %s", open);
	else if (nopen)
		/* KVM without hv-enforce-cpuid does not look at the bits (hv_check_msr_access()) */
		check_warn(id, "not refused although not granted (the host does not claim to enforce): %s", open);
	else
		check(id, CHECK_PASS, "%u %s: each granted one works, each other one is refused", total, kind);
}

void hv_access_checks(const struct hv_info *hv, bool enforced)
{
	char gp[96] = "", open[96] = "";
	unsigned nopen = 0;
	uint8_t *page = cpu_alloc_pages(1);
	uint64_t v;

	for (unsigned i = 0; i < sizeof(msrs) / sizeof(msrs[0]); i++) {
		bool ok = cpu_rdmsr(msrs[i].what, &v) == 0;

		if (granted(hv, msrs[i].bit) && !ok)
			note(gp, sizeof(gp), msrs[i].what);
		else if (!granted(hv, msrs[i].bit) && ok)
			note(open, sizeof(open), msrs[i].what), nopen++;
	}
	verdict("hv.access.msr", "synthetic MSRs", (unsigned)(sizeof(msrs) / sizeof(msrs[0])), gp, open, nopen,
		enforced);

	if (!page) {
		check("hv.access.hypercall", CHECK_FAIL, "no memory for the input page");
		return;
	}
	gp[0] = open[0] = 0;
	nopen = 0;
	for (unsigned i = 0; i < sizeof(calls) / sizeof(calls[0]); i++) {
		bool g = granted(hv, calls[i].bit);
		uint16_t st;

		if (g && !calls[i].probe)
			continue;
		st = hv_call((uint16_t)calls[i].what, cpu_virt_to_phys(page), cpu_virt_to_phys(page) + 2048);
		if (g && st == HV_STATUS_ACCESS_DENIED)
			note(gp, sizeof(gp), calls[i].what);
		else if (!g && st != HV_STATUS_ACCESS_DENIED)
			note(open, sizeof(open), calls[i].what), nopen++;
	}
	cpu_free_pages(page, 1);
	verdict("hv.access.hypercall", "hypercalls", (unsigned)(sizeof(calls) / sizeof(calls[0])), gp, open, nopen,
		enforced);
}
