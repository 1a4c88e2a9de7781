/*
 * Hyper-V CPUID leaves (TLFS v6.0b §2.4; Linux arch/x86/include/asm/hyperv-tlfs.h).
 */
#ifndef HVPROBE_HV_CPUID_H
#define HVPROBE_HV_CPUID_H

#include <stdbool.h>
#include <stdint.h>

#define CPUID_FEATURES 0x00000001u
#define CPUID1_ECX_HYPERVISOR (1u << 31)

#define HV_CPUID_VENDOR 0x40000000u        /* EAX max leaf, EBX:ECX:EDX vendor */
#define HV_CPUID_INTERFACE 0x40000001u     /* EAX interface signature */
#define HV_CPUID_VERSION 0x40000002u       /* build, major.minor, SP, branch */
#define HV_CPUID_FEATURES 0x40000003u      /* privileges EAX:EBX, misc EDX */
#define HV_CPUID_RECOMMENDATIONS 0x40000004u
#define HV_CPUID_LIMITS 0x40000005u
#define HV_CPUID_HW_FEATURES 0x40000006u

#define HV_INTERFACE_HV1 0x31237648u       /* "Hv#1" */
#define HV_MIN_MAX_LEAF HV_CPUID_LIMITS    /* Microsoft hypervisors report >= this */

/* Partition privileges, CPUID 0x40000003 EAX (bits 0-31) and EBX (bits 32-63). */
#define HV_PRIV_VP_RUNTIME (1ull << 0)
#define HV_PRIV_REF_COUNTER (1ull << 1)
#define HV_PRIV_SYNIC (1ull << 2)
#define HV_PRIV_SYNTH_TIMERS (1ull << 3)
#define HV_PRIV_APIC_MSRS (1ull << 4)
#define HV_PRIV_HYPERCALL_MSRS (1ull << 5)
#define HV_PRIV_VP_INDEX (1ull << 6)
#define HV_PRIV_RESET (1ull << 7)
#define HV_PRIV_REF_TSC (1ull << 9)
#define HV_PRIV_FREQUENCY_MSRS (1ull << 11)
#define HV_PRIV_POST_MESSAGES (1ull << (32 + 4))
#define HV_PRIV_SIGNAL_EVENTS (1ull << (32 + 5))

/* Recommendations, CPUID 0x40000004 EAX. */
#define HV_REC_RELAXED_TIMING (1u << 5)
#define HV_REC_AUTOEOI_DEPRECATED (1u << 9)
#define HV_REC_NESTED (1u << 12)

/* Misc features, CPUID 0x40000003 EDX. */
#define HV_FEAT_XMM_HYPERCALL_INPUT (1u << 4)
#define HV_FEAT_CRASH_MSRS (1u << 10)
#define HV_FEAT_SINT_POLLING (1u << 17)
#define HV_FEAT_DIRECT_STIMERS (1u << 19)

/* What detection found; later layers read it. */
struct hv_info {
	bool hypervisor_bit;
	bool hyperv;           /* "Hv#1" and max leaf >= 0x40000005 */
	uint32_t max_leaf;
	char vendor[13];
	uint32_t interface;
	uint32_t build, major, minor, service_pack, service_branch, service_number;
	uint64_t privileges;
	uint32_t features_edx;
	uint32_t recommendations, spin_retries, phys_addr_bits;
	uint32_t max_vps, max_lps, max_irq_vectors;
	uint32_t hw_features;
	uint32_t vp_index;     /* from HV_MSR_VP_INDEX, once read */
};

/* The privileges a VMBus guest cannot do without. */
#define HV_PRIV_REQUIRED                                                              \
	(HV_PRIV_HYPERCALL_MSRS | HV_PRIV_SYNIC | HV_PRIV_VP_INDEX | HV_PRIV_POST_MESSAGES | \
	 HV_PRIV_SIGNAL_EVENTS)

/*
 * Read and check the Hyper-V CPUID leaves, reporting hv.cpuid.* checks.
 * @required: whether the expectation profile demands a Hyper-V interface
 * (its absence is then a failure instead of a skip).  Returns info->hyperv.
 */
bool hv_detect(struct hv_info *info, bool required);


/* ---- enlightenments (enlight area; Linux hyperv-tlfs.h) ---- */
#define HV_PRIV_REENLIGHTENMENT (1ull << 13)      /* AccessReenlightenmentControls */
#define HV_PRIV_TSC_INVARIANT (1ull << 15)
#define HV_PRIV_DEBUGGING (1ull << (32 + 11))     /* synthetic debugger hypercalls */
#define HV_PRIV_EXT_HYPERCALLS (1ull << (32 + 20)) /* EnableExtendedHypercalls */
#define HV_FEAT_DEBUG_MSRS (1u << 11)             /* CPUID 0x40000003 EDX */
/* ---- smp: leaf 0x40000004 EAX hints for the calls across VPs (TLFS §2.4.5) ---- */
#define HV_REC_REMOTE_TLB_FLUSH (1u << 2)
#define HV_REC_CLUSTER_IPI (1u << 10)
#define HV_REC_EX_PROCESSOR_MASKS (1u << 11)

/* Every-VP checks: started, VP index, runtime, SynIC, IPIs, TLB flushes (vp.c). */
void hv_vp_checks(const struct hv_info *hv);

#endif
