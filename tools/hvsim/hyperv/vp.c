/*
 * hvsim's virtual processors (scenario key vps = N): cpu_on_vp() runs the
 * body inline "as" VP n; each VP has its own VP_INDEX (its number), its run
 * time, and (VPs 1..N-1) SynIC registers of its own; VP 0's SynIC is the
 * one in msr.c and synic.c.  The cluster IPI and TLB flush hypercalls act
 * on the VPs named (TLFS HvCallSendSyntheticClusterIpi{,Ex},
 * HvCallFlushVirtualAddressSpace{,List}{,Ex}; KVM kvm_hv_send_ipi() and
 * kvm_hv_flush_tlb()), and each VP keeps its own translation of the
 * guest's test page until one is flushed.  An AP's timers 0-3 are its own,
 * one-shot or periodic (whole periods, missed ones skipped, as KVM
 * stimer_start()), AutoEnable and direct mode (the vector, no message), and
 * a busy message slot holds their messages back until EOM.  With the fast bit, all but
 * HvCallSendSyntheticClusterIpi take XMM input (TLFS XMM fast hypercalls;
 * KVM is_xmm_fast_hypercall()): RDX, R8, then XMM0-XMM5, the input block's
 * 112 bytes in order.
 */
#include <string.h>

#include "drivers/hyperv/hv_cpuid.h"
#include "tools/hvsim/hvsim.h"

#define TEST_VA 0x00007f0000000000ull

unsigned sim_vps = 1, sim_cur_vp;

static struct {
	uint64_t scontrol, simp, siefp, sint[HV_SINT_COUNT];
	uint64_t stimer_config[4], stimer_count[4]; /* an AP's synthetic timers */
	uint64_t stimer_exp[4];  /* the next expiration, 100 ns reference time */
	uint32_t stimer_generation[4];
	uint8_t stimer_pending;  /* timers whose message waits for a busy slot (MessagePending) */
	uint64_t tlb; /* the test page's translation (a guest physical page); 0: none */
} vp[SIM_MAX_VPS];
static uint64_t test_pte;

void sim_key_vps(const char *key, char *val)
{
	sim_vps = (unsigned)sim_scenario_number(key, val, SIM_MAX_VPS);
	if (!sim_vps)
		sim_usage_error("vps must be 1 to 16, not", val);
}

/* The last VP of a host that misbehaves with vp_never_starts is not there. */
bool cpu_vp_online(unsigned cpu)
{
	return cpu < sim_vps && !(cpu && cpu == sim_vps - 1 && sim_mb_fire(MB_VP_NEVER_STARTS));
}

unsigned cpu_vp_count(void)
{
	return sim_vps;
}

uint32_t cpu_vp_apic_id(unsigned cpu)
{
	return cpu;
}

unsigned cpu_current_vp(void)
{
	return sim_cur_vp;
}

int cpu_on_vp(unsigned cpu, void (*fn)(void *), void *arg, uint64_t deadline_ns)
{
	unsigned was = sim_cur_vp;

	if (!cpu_vp_online(cpu))
		return -1;
	sim_cur_vp = cpu;
	fn(arg);
	sim_cur_vp = was;
	return 0;
}

uint64_t cpu_tlb_test_map(uint64_t pa)
{
	test_pte = pa;
	vp[sim_cur_vp].tlb = 0;
	return TEST_VA;
}

/* Through this VP's translation, made on first use as a CPU's TLB would. */
uint64_t cpu_tlb_test_read(void)
{
	uint64_t *p;

	if (!vp[sim_cur_vp].tlb)
		vp[sim_cur_vp].tlb = test_pte;
	p = sim_gpa(vp[sim_cur_vp].tlb, 8);
	return p ? *p : 0;
}

/*
 * Deliver AP @n's timer @t message: a TimerExpired message naming the timer
 * in its SINTx slot, then the interrupt (TLFS §12.5), if its SynIC is set up.
 * A busy slot is not written: MessagePending is set and the message waits
 * for the guest's EOM (KVM synic_deliver_msg(), kvm_hv_notify_acked_sint()).
 */
static void stimer_deliver(unsigned n, unsigned t)
{
	unsigned sint = (vp[n].stimer_config[t] >> HV_STIMER_SINT_SHIFT) & 0xf;
	struct hv_message *m = sim_gpa(vp[n].simp & ~0xfffull, PAGE_SIZE);
	struct hv_timer_message tm = { .timer_index = sim_mb_fire(MB_VP_STIMER_INDEX_WRONG) ? 0 : t };

	if (!(vp[n].scontrol & HV_SCONTROL_ENABLE) || !(vp[n].simp & HV_MSR_ENABLE) || !m ||
	    (vp[n].sint[sint] & HV_SINT_MASKED))
		return;
	if (m[sint].header.message_type && !sim_mb_fire(MB_VP_STIMER_BUSY_OVERWRITE)) {
		if (!sim_mb_fire(MB_VP_STIMER_BUSY_DROPPED)) {
			m[sint].header.flags |= HV_MESSAGE_FLAG_PENDING;
			vp[n].stimer_pending |= 1u << t;
		}
		return;
	}
	tm.expiration_time = vp[n].stimer_exp[t];
	tm.delivery_time = sim.now_ns / 100;
	memcpy(m[sint].payload, &tm, sizeof(tm));
	m[sint].header.payload_size = sizeof(tm);
	m[sint].header.message_type = HV_MESSAGE_TYPE_TIMER_EXPIRED;
	sim_vp_interrupt(n, vp[n].sint[sint] & HV_SINT_VECTOR_MASK);
}

/*
 * An AP's timer expired: direct mode raises its vector (KVM
 * stimer_notify_direct()), message mode sends TimerExpired; one-shot
 * disables itself, periodic runs on to its next whole period.
 * @arg: generation << 16 | timer << 8 | VP.
 */
static void stimer_fire(uint64_t arg)
{
	unsigned n = arg & 0xff, t = (arg >> 8) & 3;
	uint64_t cfg = vp[n].stimer_config[t], period = vp[n].stimer_count[t];

	if (arg >> 16 != vp[n].stimer_generation[t] || (!t && sim_mb_fire(MB_VP_STIMER_SILENT)))
		return;
	if (!(cfg & HV_STIMER_PERIODIC))
		vp[n].stimer_config[t] &= ~HV_STIMER_ENABLE;
	if ((cfg & HV_STIMER_DIRECT_MODE) && !sim_mb_fire(MB_VP_STIMER_DIRECT_MESSAGE))
		sim_vp_interrupt(n, (cfg >> HV_STIMER_VECTOR_SHIFT) & 0xff);
	else
		stimer_deliver(n, t);
	if (!(cfg & HV_STIMER_PERIODIC))
		return;
	vp[n].stimer_exp[t] += sim_mb_fire(MB_VP_STIMER_PERIODIC_DRIFT) ? period + period / 10 : period;
	while (vp[n].stimer_exp[t] * 100 <= sim.now_ns)
		vp[n].stimer_exp[t] += period;
	sim_at(vp[n].stimer_exp[t] * 100, stimer_fire, arg);
}

/* Timers 0-3 of the current AP (VP 0's are msr.c's); true when handled. */
static bool stimer_msr(uint32_t msr, uint64_t *val, bool write, int *ret)
{
	unsigned t = (msr - HV_MSR_STIMER0_CONFIG) / 2, n = sim_cur_vp;
	uint64_t *reg;

	if (msr < HV_MSR_STIMER0_CONFIG || msr > HV_MSR_STIMER0_CONFIG + 7)
		return false;
	reg = msr & 1 ? &vp[n].stimer_count[t] : &vp[n].stimer_config[t];
	if (!(sim.profile->privileges & HV_PRIV_SYNTH_TIMERS)) {
		*ret = -1;
		return true;
	}
	if (!write) {
		*val = *reg;
		return true;
	}
	*reg = *val;
	/* TLFS §12.5.1 AutoEnable: a non-zero Count write sets Enable (KVM stimer_set_count()) */
	if (msr & 1 && *val && (vp[n].stimer_config[t] & HV_STIMER_AUTO_ENABLE) &&
	    !sim_mb_fire(MB_VP_STIMER_AUTO_ENABLE_IGNORED))
		vp[n].stimer_config[t] |= HV_STIMER_ENABLE;
	vp[n].stimer_generation[t]++;
	vp[n].stimer_pending &= ~(1u << t);
	/* Count: an absolute time for one-shot timers, the period for periodic ones (TLFS §12.5.2) */
	vp[n].stimer_exp[t] = vp[n].stimer_count[t] +
			      (vp[n].stimer_config[t] & HV_STIMER_PERIODIC ? sim.now_ns / 100 : 0);
	if ((vp[n].stimer_config[t] & HV_STIMER_ENABLE) && vp[n].stimer_count[t])
		sim_at(vp[n].stimer_exp[t] * 100, stimer_fire,
		       (uint64_t)vp[n].stimer_generation[t] << 16 | t << 8 | n);
	return true;
}

bool sim_vp_msr(uint32_t msr, uint64_t *val, bool write, int *ret)
{
	uint64_t *reg = NULL, privs = sim.profile->privileges;

	*ret = 0;
	/* VP_RUNTIME is hyperv/enlight.c's, with its access-matrix gate */
	if (msr == HV_MSR_VP_INDEX) {
		if (write || !(privs & HV_PRIV_VP_INDEX))
			*ret = -1;
		else
			*val = sim_cur_vp == 1 && sim_mb_fire(MB_VP_INDEX_DUPLICATE) ? 0 : sim_cur_vp;
		return true;
	}
	if (!sim_cur_vp)
		return false;
	if (stimer_msr(msr, val, write, ret))
		return true;
	if (msr == HV_MSR_EOM) {
		/* an AP's end of message: the timer messages that found the slot busy try again */
		for (unsigned t = 0; t < 4 && write && !sim_mb_fire(MB_VP_STIMER_EOM_IGNORED); t++)
			if (vp[sim_cur_vp].stimer_pending & 1u << t) {
				vp[sim_cur_vp].stimer_pending &= ~(1u << t);
				stimer_deliver(sim_cur_vp, t);
			}
		return true;
	}
	if (msr >= HV_MSR_SINT0 && msr < HV_MSR_SINT0 + HV_SINT_COUNT)
		reg = &vp[sim_cur_vp].sint[msr - HV_MSR_SINT0];
	else if (msr == HV_MSR_SCONTROL)
		reg = &vp[sim_cur_vp].scontrol;
	else if (msr == HV_MSR_SIMP)
		reg = &vp[sim_cur_vp].simp;
	else if (msr == HV_MSR_SIEFP)
		reg = &vp[sim_cur_vp].siefp;
	if (!reg)
		return false; /* the rest is shared with VP 0 (msr.c) */
	if (!(privs & HV_PRIV_SYNIC) || sim_mb_fire(MB_SYNIC_MSR_GP))
		*ret = -1;
	else if (!write)
		*val = *reg;
	/* SINT vectors 0-15 are invalid (TLFS §11.8.5); pages must be RAM */
	else if (reg >= vp[sim_cur_vp].sint && reg < vp[sim_cur_vp].sint + HV_SINT_COUNT &&
		 !(*val & HV_SINT_MASKED) && (*val & HV_SINT_VECTOR_MASK) < HV_SINT_MIN_VECTOR)
		*ret = -1;
	else if ((reg == &vp[sim_cur_vp].simp || reg == &vp[sim_cur_vp].siefp) && (*val & HV_MSR_ENABLE)) {
		uint8_t *page = sim_gpa(*val & ~0xfffull, PAGE_SIZE);

		if (!page) {
			*ret = -1;
		} else {
			memset(page, 0, PAGE_SIZE); /* cleared on enable, as VP 0's */
			*reg = *val;
		}
	} else {
		*reg = *val;
	}
	return true;
}

/* Deliver @vector to the VPs of @mask, with the IPI misbehaviours. */
static void send_ipi(uint32_t vector, uint64_t mask)
{
	unsigned last = 0, first_ap = 0;

	for (unsigned i = 0; i < sim_vps; i++)
		if (mask >> i & 1) {
			last = i;
			if (i && !first_ap)
				first_ap = i;
		}
	for (unsigned i = 0; i < sim_vps; i++) {
		if (!(mask >> i & 1) || (i == last && sim_mb_fire(MB_IPI_LOST)))
			continue;
		sim_vp_interrupt(i, vector);
		if (i == first_ap && sim_mb_fire(MB_IPI_TWICE))
			sim_vp_interrupt(i, vector);
	}
}

/*
 * HV_VP_SET at @set: format sparse-4K with bank 0 only, or all VPs (format
 * 1; KVM kvm_hv_flush_tlb() still wants the variable header to match
 * valid_bank_mask, none for the guest's form).
 */
static int vpset_mask(const uint64_t *set, unsigned varhead, uint64_t *mask)
{
	if (set[0] == 1) {
		*mask = sim_mb_fire(MB_FLUSH_ALL_IGNORED) ? 0 : ~0ull;
		return varhead != (unsigned)__builtin_popcountll(set[1]) ? -1 : 0;
	}
	if (set[0] != 0 || varhead != (unsigned)__builtin_popcountll(set[1]) || (set[1] & ~1ull))
		return -1;
	*mask = set[1] ? set[2] : 0;
	return 0;
}

uint64_t sim_vp_hypercall(uint64_t control, uint64_t input, uint64_t output)
{
	uint16_t code = control & 0xffff;
	bool fast = control & HV_HYPERCALL_FAST, ipi = code == HV_CALL_SEND_IPI || code == HV_CALL_SEND_IPI_EX;
	bool ex = code >= HV_CALL_FLUSH_SPACE_EX, list = code == HV_CALL_FLUSH_LIST || code == HV_CALL_FLUSH_LIST_EX;
	unsigned varhead = (control >> HV_HYPERCALL_VARHEAD_SHIFT) & 0x3ff;
	unsigned reps = (control >> HV_HYPERCALL_REP_COUNT_SHIFT) & 0xfff;
	uint32_t rec = sim.profile->recommendations;
	const uint64_t *in;
	uint64_t mask, xmm[14] = { input, output };

	/* KVM hv_check_hypercall_access() with hv-enforce-cpuid, as Hyper-V: the hints grant */
	if (!(rec & (ipi ? HV_REC_CLUSTER_IPI : HV_REC_REMOTE_TLB_FLUSH)) ||
	    (ex && !(rec & HV_REC_EX_PROCESSOR_MASKS)))
		return HV_STATUS_ACCESS_DENIED;
	if (code == HV_CALL_SEND_IPI && fast) {
		if (input >> 32 || (uint32_t)input < 16 || (uint32_t)input > 255)
			return HV_STATUS_INVALID_PARAMETER;
		send_ipi((uint32_t)input, output);
		return HV_STATUS_SUCCESS;
	}
	if (fast) {
		/*
		 * KVM kvm_hv_hypercall() with hv-enforce-cpuid: #UD for XMM input
		 * CPUID 0x40000003 EDX bit 4 does not grant; without it KVM reads
		 * the XMM registers anyway.
		 */
		if (!(sim.profile->features_edx & HV_FEAT_XMM_HYPERCALL_INPUT) &&
		    !sim_quirk[QUIRK_KVM_UNENFORCED_HYPERCALLS] && !sim_mb_fire(MB_XMM_UNGATED))
			return CPU_HYPERCALL_UD;
		if (sim_xmm && !sim_mb_fire(MB_XMM_INPUT_IGNORED))
			memcpy(xmm + 2, sim_xmm, 12 * sizeof(uint64_t));
	} else if (input & 7) {
		return HV_STATUS_INVALID_HYPERCALL_INPUT;
	}
	if (list != (reps > 0))
		return HV_STATUS_INVALID_HYPERCALL_INPUT;
	in = fast ? xmm : sim_gpa(input, 64);
	if (!in)
		return HV_STATUS_INVALID_PARAMETER;
	if (ipi) {
		if ((uint32_t)in[0] < 16 || (uint32_t)in[0] > 255 ||
		    (ex ? vpset_mask(in + 1, varhead, &mask) : (mask = in[1], 0)))
			return HV_STATUS_INVALID_PARAMETER;
		send_ipi((uint32_t)in[0], mask);
		return HV_STATUS_SUCCESS;
	}
	if (in[1] & 1 && !sim_mb_fire(MB_FLUSH_ALL_IGNORED)) /* HV_FLUSH_ALL_PROCESSORS */
		mask = ~0ull;
	else if (ex ? vpset_mask(in + 2, varhead, &mask) : (mask = in[2], 0))
		return HV_STATUS_INVALID_PARAMETER;
	for (unsigned i = 0; i < sim_vps && !sim_mb_fire(MB_FLUSH_IGNORED); i++)
		if (mask >> i & 1)
			vp[i].tlb = 0;
	return HV_STATUS_SUCCESS | (uint64_t)reps << 32;
}
