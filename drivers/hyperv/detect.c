/*
 * Hyper-V detection by CPUID (TLFS v6.0b §2.4; Linux arch/x86/kernel/cpu/mshyperv.c).
 *
 * Hyper-V is decided on the interface signature "Hv#1", never on the vendor
 * string: QEMU with hv-passthrough says "Linux KVM Hv", Xen viridian and
 * others present Hv#1 under their own names.  Leaves above the maximum in
 * 0x40000000.EAX are never read (QEMU -cpu max returns basic-leaf data
 * there).
 */
#include "drivers/hyperv/hv_cpuid.h"

#include "kernel/cpu.h"
#include "lib/report.h"
#include "lib/str.h"

static const struct {
	uint64_t bit;
	const char *name;
} required_privs[] = {
	{ HV_PRIV_HYPERCALL_MSRS, "AccessHypercallMsrs" },
	{ HV_PRIV_SYNIC, "AccessSynicRegs" },
	{ HV_PRIV_VP_INDEX, "AccessVpIndex" },
	{ HV_PRIV_POST_MESSAGES, "PostMessages" },
	{ HV_PRIV_SIGNAL_EVENTS, "SignalEvents" },
};

static void read_leaf(const struct hv_info *hv, uint32_t leaf, struct cpuid_regs *r)
{
	if (leaf > hv->max_leaf) {
		r->eax = r->ebx = r->ecx = r->edx = 0;
		return;
	}
	cpu_cpuid(leaf, 0, r);
}

/* A vendor string with anything unprintable shown as '.'. */
static void vendor_string(struct hv_info *hv, const struct cpuid_regs *r)
{
	uint32_t w[3] = { r->ebx, r->ecx, r->edx };

	memcpy(hv->vendor, w, 12);
	hv->vendor[12] = '\0';
	for (int i = 0; i < 12; i++)
		if (hv->vendor[i] < 0x20 || hv->vendor[i] > 0x7e)
			hv->vendor[i] = '.';
}

/*
 * hv.cpuid.privileges: what the partition may use (CPUID 0x40000003 EAX:EBX,
 * TLFS §2.4.4).  A host may grant any subset: QEMU grants what its hv-*
 * flags enable (target/i386/kvm/kvm.c: PostMessages and SignalEvents only
 * with hv-synic), so `-cpu host,hv-relaxed,hv-vpindex,hv-time` is a correct
 * host without a SynIC; the checks that need a missing privilege are then
 * skipped.  Only a profile that needs VMBus (qemu, hyperv) needs all five.
 */
static void check_privileges(const struct hv_info *hv, bool needs_vmbus)
{
	char missing[160];
	struct fmt_buf fb = FMT_BUF(missing);

	for (size_t i = 0; i < ARRAY_SIZE(required_privs); i++)
		if (!(hv->privileges & required_privs[i].bit))
			fmt_add(&fb, "%s%s", fb.len ? ", " : "", required_privs[i].name);
	if (!fb.len)
		check("hv.cpuid.privileges", CHECK_PASS,
		      "privileges 0x%016llx grant hypercalls, SynIC, VP index, post/signal",
		      (unsigned long long)hv->privileges);
	else if (needs_vmbus)
		/*
		 * VMBus runs on these: Linux drivers/hv/hv.c hv_synic_enable_regs()
		 * (SIMP, SIEFP, SINT, SCONTROL) and hv_post_message(), connection.c
		 * vmbus_set_event() (HvSignalEvent) and vmbus_negotiate_version()
		 * (the VP index as target_vcpu); QEMU's vmbus-bridge refuses to start
		 * without a SynIC (hw/hyperv/vmbus.c vmbus_bridge_realize).
		 */
		check("hv.cpuid.privileges", CHECK_FAIL,
		      "privileges 0x%016llx lack %s (CPUID 0x40000003 EAX:EBX): the expectation profile needs VMBus, which needs them",
		      (unsigned long long)hv->privileges, missing);
	else
		check("hv.cpuid.privileges", CHECK_PASS,
		      "privileges 0x%016llx; not granted: %s (what needs them is skipped; no VMBus)",
		      (unsigned long long)hv->privileges, missing);
}

bool hv_detect(struct hv_info *hv, bool required)
{
	enum check_result absent = required ? CHECK_FAIL : CHECK_SKIP;
	struct cpuid_regs r;

	memset(hv, 0, sizeof(*hv));
	cpu_cpuid(CPUID_FEATURES, 0, &r);
	hv->hypervisor_bit = r.ecx & CPUID1_ECX_HYPERVISOR;
	if (!hv->hypervisor_bit) {
		/* Intel SDM CPUID.1:ECX[31] / TLFS §2.4.1: set by every hypervisor; a failure only when the profile demands one */
		check("hv.cpuid.hypervisor_bit", absent,
		      "CPUID.1:ECX[31] is clear: no hypervisor (bare metal?)");
		return false;
	}
	check("hv.cpuid.hypervisor_bit", CHECK_PASS, "CPUID.1:ECX[31] set");

	cpu_cpuid(HV_CPUID_VENDOR, 0, &r);
	hv->max_leaf = r.eax;
	vendor_string(hv, &r);
	if (hv->max_leaf < HV_CPUID_VENDOR || hv->max_leaf > HV_CPUID_VENDOR + 0xff)
		hv->max_leaf = 0; /* not a hypervisor leaf range: read nothing above */
	read_leaf(hv, HV_CPUID_INTERFACE, &r);
	hv->interface = r.eax;
	report_note("hypervisor vendor \"%s\", max leaf 0x%08x, interface 0x%08x", hv->vendor,
		    r.eax == 0 && hv->max_leaf == 0 ? 0 : hv->max_leaf, hv->interface);

	if (hv->interface != HV_INTERFACE_HV1) {
		char sig[5];

		memcpy(sig, &hv->interface, 4);
		sig[4] = '\0';
		for (int i = 0; i < 4; i++)
			if (sig[i] < 0x20 || sig[i] > 0x7e)
				sig[i] = '.';
		/* TLFS §2.4.2: "Hv#1" names the Hyper-V interface; a failure only when the profile demands it */
		check("hv.cpuid.interface", absent,
		      "no Hyper-V interface: vendor \"%s\", leaf 0x40000001 EAX 0x%08x (\"%s\"), not \"Hv#1\"",
		      hv->vendor, hv->interface, sig);
		return false;
	}
	check("hv.cpuid.interface", CHECK_PASS, "\"Hv#1\", vendor \"%s\"", hv->vendor);

	/*
	 * Linux arch/x86/kernel/cpu/mshyperv.c ms_hyperv_platform() takes a
	 * Hyper-V host only with a max leaf of at least 0x40000005
	 * (HYPERV_CPUID_MIN); QEMU reports 0x40000005 or more (target/i386/kvm/kvm.c).
	 */
	if (!check_that("hv.cpuid.max_leaf", hv->max_leaf >= HV_MIN_MAX_LEAF,
			"max leaf 0x%08x (a Hyper-V host reports at least 0x%08x)", hv->max_leaf,
			HV_MIN_MAX_LEAF))
		return false;
	hv->hyperv = true;

	read_leaf(hv, HV_CPUID_FEATURES, &r);
	hv->privileges = ((uint64_t)r.ebx << 32) | r.eax;
	hv->features_edx = r.edx;
	check_privileges(hv, required);
	report_note("features EDX 0x%08x: xmm-hypercall-input %d, crash-msrs %d, sint-polling %d, direct-stimers %d",
		    hv->features_edx, !!(r.edx & HV_FEAT_XMM_HYPERCALL_INPUT),
		    !!(r.edx & HV_FEAT_CRASH_MSRS), !!(r.edx & HV_FEAT_SINT_POLLING),
		    !!(r.edx & HV_FEAT_DIRECT_STIMERS));

	read_leaf(hv, HV_CPUID_RECOMMENDATIONS, &r);
	hv->recommendations = r.eax;
	hv->spin_retries = r.ebx;
	hv->phys_addr_bits = r.ecx & 0x7f;
	/*
	 * TLFS §2.4.5: ECX[6:0] is the number of implemented physical address
	 * bits (0 = not reported); Intel SDM Vol. 1 §3.3.1: x86-64 physical
	 * addresses have at most 52 bits.
	 */
	check_that("hv.cpuid.recommendations", hv->phys_addr_bits <= 52,
		   "0x%08x: relaxed-timing %d, autoeoi-deprecated %d, nested %d; spin retries 0x%x; physical address bits %u",
		   hv->recommendations, !!(r.eax & HV_REC_RELAXED_TIMING),
		   !!(r.eax & HV_REC_AUTOEOI_DEPRECATED), !!(r.eax & HV_REC_NESTED),
		   hv->spin_retries, hv->phys_addr_bits);

	read_leaf(hv, HV_CPUID_LIMITS, &r);
	hv->max_vps = r.eax;
	hv->max_lps = r.ebx;
	hv->max_irq_vectors = r.ecx;
	report_note("limits: max virtual processors %u, logical processors %u, interrupt vectors %u (0 = not reported)",
		    hv->max_vps, hv->max_lps, hv->max_irq_vectors);
	read_leaf(hv, HV_CPUID_HW_FEATURES, &r);
	hv->hw_features = r.eax;
	report_note("hardware features in use 0x%08x", hv->hw_features);
	return true;
}
