/*
 * Hyper-V synthetic MSRs, hypercalls and SynIC structures (TLFS v6.0b §3,
 * §11, §12; Linux include/hyperv/hvgdk_mini.h and asm-generic/hyperv-tlfs.h).  Wire layouts are checked by static
 * asserts; every number names its source section.
 */
#ifndef HVPROBE_HV_REGS_H
#define HVPROBE_HV_REGS_H

#include <stdint.h>

/* ---- synthetic MSRs (TLFS App. "MSR table"; Linux arch/x86/include/asm/hyperv-tlfs.h) ---- */
#define HV_MSR_GUEST_OS_ID 0x40000000u
#define HV_MSR_HYPERCALL 0x40000001u
#define HV_MSR_VP_INDEX 0x40000002u
#define HV_MSR_TIME_REF_COUNT 0x40000020u
#define HV_MSR_REFERENCE_TSC 0x40000021u
#define HV_MSR_TSC_FREQUENCY 0x40000022u
#define HV_MSR_APIC_FREQUENCY 0x40000023u
#define HV_MSR_SCONTROL 0x40000080u
#define HV_MSR_SVERSION 0x40000081u
#define HV_MSR_SIEFP 0x40000082u
#define HV_MSR_SIMP 0x40000083u
#define HV_MSR_EOM 0x40000084u
#define HV_MSR_SINT0 0x40000090u
#define HV_MSR_STIMER0_CONFIG 0x400000b0u
#define HV_MSR_STIMER0_COUNT 0x400000b1u

/* HYPERCALL, SIMP, SIEFP, REFERENCE_TSC: b0 enable, b11:1 RsvdP, b63:12 GPFN */
#define HV_MSR_ENABLE (1ull << 0)
#define HV_HYPERCALL_LOCKED (1ull << 1)
#define HV_MSR_RSVDP_MASK 0xffeull   /* preserved bits of the page MSRs */
#define HV_MSR_GPFN_SHIFT 12

#define HV_SCONTROL_ENABLE (1ull << 0)
#define HV_SYNIC_VERSION 1u           /* SVERSION reads 1 (TLFS §11.8.4) */

/* SINTx (TLFS §11.8.5) */
#define HV_SINT_VECTOR_MASK 0xffull
#define HV_SINT_MASKED (1ull << 16)
#define HV_SINT_AUTO_EOI (1ull << 17)
#define HV_SINT_MIN_VECTOR 16

/* STIMERx_CONFIG (TLFS §12.5.1) */
#define HV_STIMER_ENABLE (1ull << 0)
#define HV_STIMER_SINT_SHIFT 16

/*
 * Guest OS ID, open-source form (TLFS §2.6): b63 set, b62:56 OS type,
 * b47:16 version.  OS type 0x7f is not one of the registered ones (Linux 1,
 * FreeBSD 2, Xen 3, Illumos 4), so hosts cannot mistake us for them.
 */
#define HV_GUEST_OS_ID_OPEN_SOURCE (1ull << 63)
#define HV_GUEST_OS_ID_DEFAULT (HV_GUEST_OS_ID_OPEN_SOURCE | (0x7full << 56) | (0x000100ull << 16))
/* Gen2 firmware (Microsoft layout, b63 clear) writes vendor 1 with OS ID in b47:40 */
#define HV_GUEST_OS_ID_VENDOR_SHIFT 48

/* ---- hypercalls (TLFS §3.7; Linux asm-generic/hyperv-tlfs.h HVCALL_*) ---- */
#define HV_CALL_POST_MESSAGE 0x005cu
#define HV_CALL_SIGNAL_EVENT 0x005du
#define HV_HYPERCALL_FAST (1ull << 16)
#define HV_HYPERCALL_RESULT_MASK 0xffffull

/* HV_STATUS (TLFS App. B; values as in Linux asm-generic/hyperv-tlfs.h HV_STATUS_*) */
#define HV_STATUS_SUCCESS 0x0000
#define HV_STATUS_INVALID_HYPERCALL_CODE 0x0002
#define HV_STATUS_INVALID_HYPERCALL_INPUT 0x0003
#define HV_STATUS_INVALID_ALIGNMENT 0x0004
#define HV_STATUS_INVALID_PARAMETER 0x0005
#define HV_STATUS_ACCESS_DENIED 0x0006
#define HV_STATUS_INSUFFICIENT_MEMORY 0x000b
#define HV_STATUS_INVALID_VP_INDEX 0x000e
#define HV_STATUS_INVALID_PORT_ID 0x0011
#define HV_STATUS_INVALID_CONNECTION_ID 0x0012
#define HV_STATUS_INSUFFICIENT_BUFFERS 0x0013
#define HV_STATUS_INVALID_SYNIC_STATE 0x0018
#define HV_STATUS_NO_RESOURCES 0x001d
#define HV_STATUS_TIMEOUT 0x0078
#define HV_STATUS_CALL_PENDING 0x0079

/* HvPostMessage input block (TLFS §11.11.1): 256 bytes, 8-byte aligned */
#define HV_MESSAGE_PAYLOAD_MAX 240
struct hv_post_message_input {
	uint32_t connection_id;
	uint32_t reserved;
	uint32_t message_type;
	uint32_t payload_size;
	uint8_t payload[HV_MESSAGE_PAYLOAD_MAX];
} __attribute__((packed));
_Static_assert(sizeof(struct hv_post_message_input) == 256, "HvPostMessage input is 256 bytes");

/* ---- SynIC message page (TLFS §11.10.4; PayloadSize @4, Flags @5) ---- */
#define HV_SINT_COUNT 16
#define HV_MESSAGE_SIZE 256
#define HV_MESSAGE_FLAG_PENDING 0x01

#define HV_MESSAGE_TYPE_NONE 0x00000000u
#define HV_MESSAGE_TYPE_VMBUS 0x00000001u
#define HV_MESSAGE_TYPE_TIMER_EXPIRED 0x80000010u

struct hv_message_header {
	uint32_t message_type;
	uint8_t payload_size;
	uint8_t flags;
	uint16_t reserved;
	uint64_t origination_id;
} __attribute__((packed));
_Static_assert(sizeof(struct hv_message_header) == 16, "message header is 16 bytes");

struct hv_message {
	struct hv_message_header header;
	uint8_t payload[HV_MESSAGE_PAYLOAD_MAX];
} __attribute__((packed));
_Static_assert(sizeof(struct hv_message) == HV_MESSAGE_SIZE, "SynIC message slot is 256 bytes");
_Static_assert(__builtin_offsetof(struct hv_message_header, payload_size) == 4, "PayloadSize @4");
_Static_assert(__builtin_offsetof(struct hv_message_header, flags) == 5, "Flags @5");

/* HvMessageTimerExpired payload (TLFS §12.5.3) */
struct hv_timer_message {
	uint32_t timer_index;
	uint32_t reserved;
	uint64_t expiration_time;  /* 100 ns reference time the timer was due */
	uint64_t delivery_time;    /* 100 ns reference time of delivery */
} __attribute__((packed));
_Static_assert(sizeof(struct hv_timer_message) == 24, "timer message payload is 24 bytes");

/* SIEF page: 16 arrays of 2048 flag bits, one per SINT */
#define HV_EVENT_FLAGS_BYTES 256

/* ---- reference TSC page (TLFS §12.7.2) ---- */
struct hv_ref_tsc_page {
	volatile uint32_t sequence;  /* 0: not usable, read the MSR instead */
	uint32_t reserved;
	volatile uint64_t scale;
	volatile int64_t offset;
} __attribute__((packed));
_Static_assert(sizeof(struct hv_ref_tsc_page) == 24, "reference TSC page header is 24 bytes");

/* ---- enlightenments (enlight area: stimer.c, access.c, extras.c) ---- */
#define HV_MSR_RESET 0x40000003u
#define HV_MSR_VP_RUNTIME 0x40000010u
#define HV_MSR_EOI 0x40000070u
#define HV_MSR_ICR 0x40000071u
#define HV_MSR_TPR 0x40000072u
#define HV_MSR_VP_ASSIST_PAGE 0x40000073u
#define HV_MSR_SINT15 0x4000009fu
#define HV_MSR_STIMER3_COUNT 0x400000b7u
#define HV_MSR_SYNDBG_CONTROL 0x400000f1u
#define HV_MSR_SYNDBG_STATUS 0x400000f2u
#define HV_MSR_SYNDBG_PENDING_BUFFER 0x400000f5u
#define HV_MSR_SYNDBG_OPTIONS 0x400000ffu
#define HV_MSR_REENLIGHTENMENT_CONTROL 0x40000106u
#define HV_MSR_TSC_EMULATION_CONTROL 0x40000107u
#define HV_MSR_TSC_EMULATION_STATUS 0x40000108u
#define HV_MSR_TSC_INVARIANT_CONTROL 0x40000118u

/* STIMERx_CONFIG (TLFS §12.5.1; Linux union hv_stimer_config) */
#define HV_STIMER_PERIODIC (1ull << 1)
#define HV_STIMER_LAZY (1ull << 2)
#define HV_STIMER_AUTO_ENABLE (1ull << 3)
#define HV_STIMER_VECTOR_SHIFT 4      /* b11:4: APIC vector in direct mode */
#define HV_STIMER_DIRECT_MODE (1ull << 12)
#define HV_STIMER_COUNT 4

/* REENLIGHTENMENT_CONTROL: b7:0 vector, b16 enabled, b63:32 target VP */
#define HV_REENLIGHTENMENT_ENABLE (1ull << 16)

/* extended hypercalls (TLFS §3.8; Linux HV_EXT_CALL_QUERY_CAPABILITIES) */
#define HV_EXT_CALL_QUERY_CAPABILITIES 0x8001u
/* synthetic debugger hypercalls (Linux HVCALL_POST_DEBUG_DATA ...) */
#define HV_CALL_POST_DEBUG_DATA 0x0069u
#define HV_CALL_RETRIEVE_DEBUG_DATA 0x006au
#define HV_CALL_RESET_DEBUG_SESSION 0x006bu
/* ---- nested: guest crash MSRs (TLFS "Guest Crash Enlightenment Interface";
 * Linux include/hyperv/hvgdk_mini.h HV_X64_MSR_CRASH_*) ---- */
#define HV_MSR_CRASH_P0 0x40000100u    /* P0-P4: 0x40000100-0x40000104 */
#define HV_MSR_CRASH_CTL 0x40000105u
#define HV_CRASH_PARAMS 5
#define HV_CRASH_CTL_CRASH_NOTIFY (1ull << 63)     /* the guest crashed: P0-P4 hold why */
#define HV_CRASH_CTL_CRASH_NOTIFY_MSG (1ull << 62) /* P3/P4: a message's GPA and length */
/* ---- smp: across virtual processors (drivers/hyperv/vp.c) ---- */
#define HV_MSR_VP_RUNTIME 0x40000010u
/* TLFS §3.7 control word: variable header size (8-byte units), rep count */
#define HV_HYPERCALL_VARHEAD_SHIFT 17
#define HV_HYPERCALL_REP_COUNT_SHIFT 32
#define HV_CALL_FLUSH_SPACE 0x0002u
#define HV_CALL_FLUSH_LIST 0x0003u
#define HV_CALL_SEND_IPI 0x000bu
#define HV_CALL_FLUSH_SPACE_EX 0x0013u
#define HV_CALL_FLUSH_LIST_EX 0x0014u
#define HV_CALL_SEND_IPI_EX 0x0015u
#define HV_FLUSH_ALL_VIRTUAL_ADDRESS_SPACES (1ull << 1)
#define HV_GENERIC_SET_SPARSE_4K 0ull

/* HV_VP_SET with one bank (VPs 0-63): format, valid_bank_mask, bank_contents[1] */
struct hv_vpset1 {
	uint64_t format;
	uint64_t valid_bank_mask;
	uint64_t bank;
};
_Static_assert(sizeof(struct hv_vpset1) == 24, "HV_VP_SET with one bank is 24 bytes");

/* HvCallSendSyntheticClusterIpiEx input with one bank */
struct hv_send_ipi_ex {
	uint32_t vector;
	uint8_t target_vtl;
	uint8_t reserved[3];
	struct hv_vpset1 vp_set;
};
_Static_assert(sizeof(struct hv_send_ipi_ex) == 32, "HvCallSendSyntheticClusterIpiEx input");

/* HvCallFlushVirtualAddressSpace{,List} input; Ex forms put an HV_VP_SET at processor_mask */
struct hv_flush_input {
	uint64_t address_space;
	uint64_t flags;
	uint64_t processor_mask;
};
_Static_assert(sizeof(struct hv_flush_input) == 24, "HvCallFlushVirtualAddressSpace input");

/* ---- xmm: XMM fast hypercall input (drivers/hyperv/vp.c) ---- */
#define HV_FLUSH_ALL_PROCESSORS (1ull << 0)   /* flags of the flush calls: every VP */

/* ---- apmodes: flushes of every VP ---- */
#define HV_GENERIC_SET_ALL 1ull        /* HV_VP_SET format: every VP, no banks (TLFS HV_GENERIC_SET_FORMAT) */
#define HV_CALL_NOTIFY_LONG_SPIN_WAIT 0x0008u

#endif
