/*
 * hvsim: a simulated Hyper-V host.  It implements the CPU seam
 * (kernel/cpu.h) in user space, so the guest's drivers/, lib/ and
 * kernel/main.c run unchanged as a Linux process against it: CPUID from a
 * host profile, synthetic MSRs with TLFS semantics, hypercalls, a
 * guest-physical memory arena, SynIC message delivery with the
 * MessagePending/EOM protocol, event flags, interrupt injection,
 * virtual time (a scenario that waits minutes runs in milliseconds), and
 * the host's side of VMBus (vmbus/vmbus.h: connection, offers, GPADLs, channels,
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

/* ---- host profiles (hyperv/profile.c) ---- */
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
	const char *vmbus_offers;  /* the devices it offers by default (vmbus/vmbus_dev.c names) */
	const char *quirks;        /* quirks.def names, space-separated; NULL: none */
};

const struct sim_profile *sim_profile_find(const char *name);
void sim_profile_list(void);

/* ---- misbehaviours and quirks (misbehaviours.def, quirks.def) ---- */
enum sim_misbehaviour {
#define MB(e, about) MB_##e,
#include "tools/hvsim/misbehaviours.def"
#undef MB
	MB_COUNT
};
enum sim_quirk {
#define QUIRK(e, about) QUIRK_##e,
#include "tools/hvsim/quirks.def"
#undef QUIRK
	QUIRK_COUNT
};

extern const char *const sim_misbehaviour_names[MB_COUNT];
extern bool sim_mb[MB_COUNT];
/* Misbehaviour @mb is on and acts now: true, and "hvsim: misbehaviour NAME fired" on stderr once (main.c). */
bool sim_mb_fire(enum sim_misbehaviour mb);
extern const char *const sim_quirk_names[QUIRK_COUNT];
extern bool sim_quirk[QUIRK_COUNT];
bool sim_quirk_fire(enum sim_quirk q);

/* ---- the simulated machine (hyperv/cpu.c) ---- */
struct sim {
	const struct sim_profile *profile;
	uint64_t now_ns;           /* virtual time */
	uint8_t *arena;            /* guest physical memory */
	uint64_t arena_gpa, arena_size;
	/* synthetic MSR state */
	uint64_t guest_os_id, hypercall, ref_tsc, scontrol, simp, siefp;
	uint64_t sint[HV_SINT_COUNT];
	uint64_t stimer_config[4], stimer_count[4];
	uint64_t crash_p[HV_CRASH_PARAMS]; /* nested: the guest crash MSRs P0-P4 */
	/* interrupts: pending vectors, taken only inside cpu_wait() */
	bool irq_pending[256];
	uint32_t storm_left;
	/* statistics for the log */
	uint64_t hypercalls, messages_posted, eoms, irqs_injected;
	uint64_t guest_errors;     /* rules the guest broke that hvsim checks (tests/sim/run fails on any) */
};

extern struct sim sim;

/* Give the guest @size bytes of RAM at guest physical address @gpa (hyperv/cpu.c). */
void sim_memory_init(uint64_t gpa, uint64_t size);

/* Guest physical address -> host pointer; NULL unless [gpa, gpa+len) is RAM. */
void *sim_gpa(uint64_t gpa, uint64_t len);

/* Raise SINT @sint on the guest's local APIC (if enabled and unmasked). */
void sim_raise_sint(unsigned sint);

/* ---- the host's SynIC side (hyperv/synic.c) ---- */
/* Queue a message for SINT @sint; delivered when the slot is free. */
void sim_post_to_guest(unsigned sint, uint32_t type, const void *payload, uint8_t size);
/* The guest wrote EOM, or enabled its message page: deliver what is queued. */
void sim_synic_deliver(void);
/* Set event flag @flag of SINT @sint and raise it. */
void sim_signal_guest(unsigned sint, unsigned flag);
/*
 * vpbus: the same on VP @vp's SynIC (its SIEF page and SINTx, through its
 * MSRs in hyperv/vp.c); VP 0 is sim_signal_guest().
 */
void sim_signal_guest_vp(unsigned vp, unsigned sint, unsigned flag);
/* STIMERx_CONFIG/COUNT were written: (re)schedule timer @t. */
void sim_stimer_update(unsigned t);
/* Run the host's timed events that are due at sim.now_ns; return the next due time. */
uint64_t sim_run_events(void);

/* A timed host event. */
void sim_at(uint64_t when_ns, void (*fn)(uint64_t arg), uint64_t arg);

/* ---- hypercalls (hyperv/hypercall.c) ---- */
uint64_t sim_hypercall(uint64_t control, uint64_t input, uint64_t output);

/* ---- the VMBus host (vmbus/control.c, config.c, report.c; devices and rings: vmbus/vmbus.h) ---- */
/* After the scenario is read: the profile's defaults, the offered channels. */
void sim_vmbus_init(void);
/* HvPostMessage / HvSignalEvent reaching VMBus: an HV_STATUS. */
uint16_t sim_vmbus_post(uint32_t connection_id, uint32_t type, const void *payload, uint32_t size);
uint16_t sim_vmbus_signal(uint32_t connection_id, uint16_t flag);
/* What the host saw, on stderr at power off. */
void sim_vmbus_report(void);

/* ---- MSRs (hyperv/msr.c) ---- */
int sim_rdmsr(uint32_t msr, uint64_t *val);
int sim_wrmsr(uint32_t msr, uint64_t val);
/* The enlightenment MSRs (hyperv/enlight.c): 0, -1 for #GP, 1 for an MSR it does not know. */
int sim_enlight_rdmsr(uint32_t msr, uint64_t *val);
int sim_enlight_wrmsr(uint32_t msr, uint64_t val);

/* ---- scenario files (scenario.c: one table of keys) ---- */
/* Read scenario @path; exits (status 2) on an unknown key or a bad value. */
void sim_scenario_read(const char *path);
/* --list: the scenario keys. */
void sim_scenario_list(void);
/* A bad command line or scenario value: message on stderr, exit status 2. */
__attribute__((noreturn)) void sim_usage_error(const char *msg, const char *arg);
/* A decimal or 0x number that fits @max; exits on anything else. */
unsigned long sim_scenario_number(const char *key, const char *val, unsigned long max);
/* The main-area keys (main.c): profile, guest, misbehave, quirk. */
void sim_key_profile(const char *key, char *val);
void sim_key_guest(const char *key, char *val);
void sim_key_misbehave(const char *key, char *val);
void sim_key_quirk(const char *key, char *val);

/* ---- smp: virtual processors (hyperv/vp.c; scenario key vps) ---- */
#define SIM_MAX_VPS 16
extern unsigned sim_vps, sim_cur_vp;
void sim_key_vps(const char *key, char *val);
/* VP_INDEX, VP_RUNTIME, and an AP's own SynIC registers: true when handled (*ret: 0 or -1). */
bool sim_vp_msr(uint32_t msr, uint64_t *val, bool write, int *ret);
/* The cluster IPI and TLB flush hypercalls. */
uint64_t sim_vp_hypercall(uint64_t control, uint64_t input, uint64_t output);
/* Interrupt @vector on VP @vp: VP 0 takes it in cpu_wait, a parked AP at once (cpu.c). */
void sim_vp_interrupt(unsigned vp, unsigned vector);

/* ---- xmm: XMM fast hypercall input (hyperv/cpu.c, hyperv/vp.c) ---- */
/* XMM0-XMM5 as the guest loaded them for the hypercall being made (12 halves); NULL: zeros. */
extern const uint64_t *sim_xmm;

/* ---- apmodes: leaf 0x40000004 EBX (hyperv/cpu.c, hyperv/hypercall.c; scenario key spin_retries) ---- */
extern uint32_t sim_spin_retries;
void sim_key_spin_retries(const char *key, char *val);

#endif
