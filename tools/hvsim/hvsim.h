/*
 * hvsim: a simulated Hyper-V host.  It implements the CPU seam
 * (kernel/cpu.h) in user space, so the guest's drivers/, lib/ and
 * kernel/main.c run unchanged as a Linux process against it: CPUID from a
 * host profile, synthetic MSRs with TLFS semantics, hypercalls, a
 * guest-physical memory arena, SynIC message delivery with the
 * MessagePending/EOM protocol, event flags, interrupt injection,
 * virtual time (a scenario that waits minutes runs in milliseconds), and
 * the host's side of VMBus (vmbus.h: connection, offers, GPADLs, channels,
 * ring buffers, a device table).
 */
#ifndef HVSIM_H
#define HVSIM_H

/* The simulated local APIC timer's input clock (what APIC_FREQUENCY reports). */
#define SIM_APIC_HZ 200000000ull

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "drivers/hyperv/hv_regs.h"
#include "kernel/cpu.h"

/* ---- host profiles (profile.c) ---- */
struct sim_profile {
	const char *name;
	const char *about;
	bool hypervisor_bit;
	uint32_t max_leaf;
	char vendor[13];
	uint32_t interface;
	uint32_t version[4];       /* leaf 0x40000002 EAX..EDX */
	uint64_t privileges;       /* leaf 0x40000003 EAX:EBX */
	uint32_t features_edx;
	uint32_t recommendations;  /* leaf 0x40000004 EAX */
	uint32_t phys_addr_bits;
	uint32_t max_vps, max_lps;
	uint8_t hypercall_code[8]; /* what the host writes into the hypercall page */
	uint32_t vmbus_version;    /* highest VMBus version the host accepts; 0 = none */
	const char *vmbus_offers;  /* the devices it offers by default (vmbus_dev.c names) */
};

const struct sim_profile *sim_profile_find(const char *name);
void sim_profile_list(void);

/* ---- misbehaviours: what a broken host does (scenario "misbehave =") ---- */
enum sim_misbehaviour {
	MB_GUEST_OS_ID_IGNORED,     /* GUEST_OS_ID writes are dropped */
	MB_VERSION_ZERO,            /* leaf 0x40000002 stays zero */
	MB_HYPERCALL_MSR_IGNORED,   /* HYPERCALL writes are dropped */
	MB_HYPERCALL_PAGE_UNFILLED, /* the page is enabled but never filled */
	MB_HYPERCALL_ACCEPT_ALL,    /* every hypercall returns SUCCESS */
	MB_SYNIC_VERSION_WRONG,     /* SVERSION reads 2 */
	MB_SYNIC_MSR_GP,            /* SynIC MSRs raise #GP despite the privilege */
	MB_SIMP_IGNORED,            /* SIMP writes are dropped */
	MB_TIMER_SILENT,            /* synthetic timers never fire */
	MB_MESSAGE_BAD_SIZE,        /* messages claim a 250-byte payload */
	MB_MESSAGE_NO_IRQ,          /* messages are delivered without an interrupt */
	MB_IRQ_WITHOUT_MESSAGE,     /* 20 SINT interrupts with nothing behind them */
	MB_IRQ_STORM,               /* 10000 of them */
	MB_REF_COUNTER_FROZEN,      /* TIME_REF_COUNT does not advance */
	MB_REF_TSC_WRONG,           /* the reference TSC page runs at twice the rate */
	MB_FREQUENCY_WRONG,         /* TSC_FREQUENCY says twice the TSC's real rate */
	/* VMBus (vmbus.c) */
	MB_VMBUS_REFUSE_ALL,        /* VERSION_RESPONSE refuses every version */
	MB_VMBUS_WRONG_REPLY,       /* INITIATE_CONTACT is answered by ALLOFFERS_DELIVERED */
	MB_VMBUS_SILENT,            /* no control message is ever answered */
	MB_VMBUS_NO_ALLOFFERS,      /* offers, but never ALLOFFERS_DELIVERED */
	MB_VMBUS_DUPLICATE_RELID,   /* two offers share relid 1 */
	MB_VMBUS_ZERO_GUID,         /* an extra offer with an all-zero class GUID */
	MB_VMBUS_RESCIND_MID_OPEN,  /* the first IC's OPENCHANNEL gets RESCIND_CHANNELOFFER */
	MB_VMBUS_GPADL_FAIL,        /* GPADL_CREATED status 0x8000FFFF */
	MB_VMBUS_OPEN_FAIL,         /* OPENCHANNEL_RESULT status 0xC0000001 */
	MB_VMBUS_CORRUPT_RING,      /* after open: a packet, then write_index = data size + 4 */
	MB_VMBUS_OVERLONG_PACKET,   /* after open: a packet whose len8 exceeds the ring */
	MB_VMBUS_SIGNAL_BEFORE_OPEN,/* after open: a packet written without a signal */
	MB_VMBUS_OFFER_AFTER_UNLOAD,/* an OFFERCHANNEL after UNLOAD_RESPONSE */
	MB_VMBUS_MESSAGE_SHORT,     /* OPENCHANNEL_RESULT is 10 bytes long */
	MB_VMBUS_RESCIND_OFFERED,   /* the first IC's offer is rescinded before ALLOFFERS_DELIVERED */
	MB_VMBUS_RESCIND_MID_GPADL, /* the first IC's ring GPADL gets RESCIND_CHANNELOFFER, no GPADL_CREATED */
	MB_VMBUS_RESCIND_AFTER_OPEN,/* the first IC is rescinded 3 s after it opened */
	/* integration services (ic_host.c), on the heartbeat channel unless named otherwise */
	MB_IC_NO_COMMON_VERSION,    /* NEGOTIATE offers framework 9.0, heartbeat 9.0 only */
	MB_IC_SHORT_MESSAGE,        /* a 16-byte message, shorter than the 28-byte headers */
	MB_IC_SIZE_TOO_LARGE,       /* a heartbeat whose IC header claims 512 data bytes */
	MB_IC_UNKNOWN_TYPE,         /* a request with icmsgtype 42 */
	MB_IC_RESPONSE_NOT_REQUEST, /* heartbeats flagged TRANSACTION|RESPONSE */
	MB_IC_TWO_TRANSACTIONS,     /* a second heartbeat before the first answer was read */
	MB_HEARTBEAT_STOPS,         /* no heartbeats after the third */
	MB_TIME_BACKWARDS,          /* timesync: the third time message is 10 minutes early */
	MB_NO_TIMESYNC_SYNC,        /* timesync: SAMPLEs only, never a SYNC */
	/* synthetic storage and network hosts (storvsp.c, netvsp.c) */
	MB_STORAGE_UNKNOWN_ID,      /* a completion for a request id never sent, before the real one */
	MB_STORAGE_OVERLONG_TRANSFER, /* READ(10) completions claim 512 bytes more than asked */
	MB_RNDIS_BAD_LENGTH,        /* RNDIS control replies claim 16 bytes more than they carry */
	MB_LINK_FLAPS,              /* the link goes down and up 3 times after the packet filter */
	/* keyboard, mouse and Dynamic Memory hosts (synth_input.c, dm_host.c) */
	MB_KEYBOARD_REFUSE,         /* the keyboard's PROTOCOL_RESPONSE refuses version 1.0 */
	MB_MOUSE_REPORT_TOO_LARGE,  /* after the ACK (with "pointer =" set): a report claiming 64 bytes, 7 sent */
	MB_DM_SIZE_TOO_LARGE,       /* a BALLOON_REQUEST whose header claims 4096 bytes, 16 sent */
	MB_DM_BALLOON_TOO_MANY,     /* 2 s after the capabilities: twice the guest's RAM asked for */
	MB_DM_UNBALLOON_UNKNOWN,    /* 2 s after the capabilities: 4 pages never ballooned given back */
	/* KVP, VSS and guest file copy hosts (ic_kvp.c, ic_vss.c, ic_fcopy.c) */
	MB_KVP_SIZE_TOO_LARGE,      /* a SET whose value_size (4096) exceeds the 2048-byte field */
	MB_KVP_POOL_OUT_OF_RANGE,   /* an ENUMERATE of pool 7 (pools are 0-4) */
	MB_KVP_INDEX_JUMPS,         /* the Auto pool walk goes 0, 1, 3 */
	MB_KVP_BAD_UTF16,           /* a SET whose key holds a lone high surrogate */
	MB_VSS_THAW_WITHOUT_FREEZE, /* the backup begins with a THAW */
	MB_VSS_DOUBLE_FREEZE,       /* a second FREEZE before the THAW */
	MB_VSS_CLUSTER_QUERY,       /* QUERY_GUEST_CLUSTER_INFORMATION (6.0) after negotiating 5.0 */
	MB_FCOPY_FRAGMENT_BEYOND,   /* after the last fragment, 100 bytes past the declared size */
	MB_FCOPY_COMPLETE_EARLY,    /* COMPLETE_FCOPY right after START_FILE_COPY */
	MB_FCOPY_OUT_OF_ORDER,      /* the third fragment is sent second */
	MB_FCOPY_OVERLAP,           /* the second fragment overlaps the first by 100 bytes */
	MB_FCOPY_BAD_UTF16,         /* a file name with a lone low surrogate */
	MB_COUNT
};

extern const char *const sim_misbehaviour_names[MB_COUNT];
extern bool sim_mb[MB_COUNT];

/* ---- the simulated machine (cpu.c) ---- */
struct sim {
	const struct sim_profile *profile;
	uint64_t now_ns;           /* virtual time */
	uint8_t *arena;            /* guest physical memory */
	uint64_t arena_gpa, arena_size;
	/* synthetic MSR state */
	uint64_t guest_os_id, hypercall, ref_tsc, scontrol, simp, siefp;
	uint64_t sint[HV_SINT_COUNT];
	uint64_t stimer_config[4], stimer_count[4];
	/* interrupts: pending vectors, taken only inside cpu_wait() */
	bool irq_pending[256];
	uint32_t storm_left;
	/* statistics for the log */
	uint64_t hypercalls, messages_posted, eoms, irqs_injected;
	uint64_t guest_errors;     /* rules the guest broke that hvsim checks (tests/sim/run fails on any) */
};

extern struct sim sim;

/* Guest physical address -> host pointer; NULL unless [gpa, gpa+len) is RAM. */
void *sim_gpa(uint64_t gpa, uint64_t len);

/* Raise SINT @sint on the guest's local APIC (if enabled and unmasked). */
void sim_raise_sint(unsigned sint);

/* ---- the host's SynIC side (synic.c) ---- */
/* Queue a message for SINT @sint; delivered when the slot is free. */
void sim_post_to_guest(unsigned sint, uint32_t type, const void *payload, uint8_t size);
/* The guest wrote EOM, or enabled its message page: deliver what is queued. */
void sim_synic_deliver(void);
/* Set event flag @flag of SINT @sint and raise it. */
void sim_signal_guest(unsigned sint, unsigned flag);
/* STIMERx_CONFIG/COUNT were written: (re)schedule timer @t. */
void sim_stimer_update(unsigned t);
/* Run the host's timed events that are due at sim.now_ns; return the next due time. */
uint64_t sim_run_events(void);

/* A timed host event. */
void sim_at(uint64_t when_ns, void (*fn)(uint64_t arg), uint64_t arg);

/* ---- hypercalls (hypercall.c) ---- */
uint64_t sim_hypercall(uint64_t control, uint64_t input, uint64_t output);

/* ---- the VMBus host (vmbus.c; devices and rings: vmbus.h) ---- */
/* After the scenario is read: the profile's defaults, the offered channels. */
void sim_vmbus_init(void);
/* HvPostMessage / HvSignalEvent reaching VMBus: an HV_STATUS. */
uint16_t sim_vmbus_post(uint32_t connection_id, uint32_t type, const void *payload, uint32_t size);
uint16_t sim_vmbus_signal(uint32_t connection_id, uint16_t flag);
/* What the host saw, on stderr at power off. */
void sim_vmbus_report(void);

/* ---- MSRs (msr.c) ---- */
int sim_rdmsr(uint32_t msr, uint64_t *val);
int sim_wrmsr(uint32_t msr, uint64_t val);

#endif
