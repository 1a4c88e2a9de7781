/*
 * Every virtual processor (docs/SMP.md): each processor the firmware lists
 * starts; each has its own VP index, run time and SynIC registers; cluster
 * IPIs reach exactly their targets; remote TLB flushes reach the VPs named.
 * Bodies run on the APs through cpu_on_vp(); the BSP decides every verdict.
 * Models: KVM selftests hyperv_ipi.c and hyperv_tlb_flush.c, and
 * kvm-unit-tests x86/hyperv_synic.c (the SynIC set up on every CPU).
 * Each XMM-capable call is made twice where the host advertises XMM input:
 * its input block in memory, and the same 112 bytes as XMM fast input.
 */
#include <stddef.h>

#include "drivers/hyperv/enlight.h"
#include "drivers/hyperv/hv_cpuid.h"
#include "drivers/hyperv/hv_regs.h"
#include "drivers/hyperv/hypercall.h"
#include "drivers/hyperv/synic.h"
#include "kernel/cpu.h"
#include "kernel/policy.h"
#include "lib/report.h"
#include "lib/str.h"

#define BODY_NS 2000000000ull        /* the most a body on an AP may take (timer wait: 1 s) */
#define RUNTIME_SPIN_NS 50000000ull  /* KVM accounts run time per scheduler tick */
#define IPI_VECTOR 0xf1
#define IPI_WAIT_NS 100000000ull
#define TLB_OLD 0x0111111111111111ull
#define TLB_NEW 0x0222222222222222ull
#define VP_SINT 2
#define VP_SINT_VECTOR 0x42
#define STIMER_DELAY_100NS 20000     /* 2 ms */
#define STIMER_WAIT_NS 1000000000ull  /* for all of an AP's timers */
#define STIMER_PERIOD_100NS 50000   /* periodic on an AP: every 5 ms */
#define STIMER_BUSY_MARK 0xb5b5u     /* timer index of the guest's own message in the busy slot */
#define XMM_INPUT_BYTES 112          /* RDX, R8, XMM0-XMM5 */
#define CALLS_XMM 6                  /* hv_vp_checks(): the first XMM form in its list */

static struct per_vp {
	uint64_t index, rt0, rt1, tlb;
	bool up;                     /* started and ran the probe */
	bool index_gp;
	uint32_t synic_bad;          /* a SynIC MSR that did not keep its value */
	uint32_t vapic;              /* hv.vapic's MSR that failed on this AP */
	uint32_t stimer[3];          /* one-shot, busy slot, other modes: 0 ok, else timer << 4 | why[] + 1 */
} per[CPU_MAX_VPS];
static const struct hv_info *hvi;
static unsigned nvps;
static uint8_t *pages;               /* hypercall input, SIMP, SIEFP, TLB old, TLB new */
static volatile uint32_t ipi_seen[CPU_MAX_VPS]; /* interrupts per processor (IPI, AP timers) */

static void ipi_isr(void *ctx)
{
	__atomic_fetch_add(&ipi_seen[cpu_current_vp()], 1, __ATOMIC_RELAXED);
}

static uint64_t page_pa(unsigned i)
{
	return cpu_virt_to_phys(pages + i * PAGE_SIZE);
}

/*
 * On an AP with its SynIC enabled: synthetic timers 0-3 one after another,
 * each one-shot 2 ms ahead, must each put a TimerExpired message naming
 * that timer in this AP's SINT2 slot and interrupt this AP (TLFS §12.5:
 * timers are per VP and signal their own VP's SINTx; kvm-unit-tests
 * hyperv_stimer.c runs its timers on every CPU).  Then timer 0 again into
 * a slot the guest holds busy (@p->stimer[1]): hyperv_stimer.c's
 * stimer_test_one_shot_busy().  Then stimer.c's other modes (@p->stimer[2]):
 * timer 1 periodic every 5 ms (its first four messages, their expiration
 * times whole periods apart), timer 2 one-shot with AutoEnable (the Count
 * write arms it), timer 3 in direct mode where advertised (its vector on
 * this AP, no message).  The first failure ends the steps.
 */
static void stimer_body(struct per_vp *p)
{
	volatile struct hv_message *m = (void *)(pages + PAGE_SIZE + VP_SINT * HV_MESSAGE_SIZE);
	volatile struct hv_timer_message *tm = (volatile void *)m->payload;
	volatile uint32_t *irqs = &ipi_seen[p - per];
	uint64_t now = 0, first = 0, span, end = cpu_now_ns() + STIMER_WAIT_NS;
	unsigned last = 10 + !!(hvi->features_edx & HV_FEAT_DIRECT_STIMERS);
	uint32_t seen = *irqs, r = 0, type;

	cpu_wrmsr(HV_MSR_SINT0 + VP_SINT, VP_SINT_VECTOR);
	for (unsigned n = 0; n < last && !r; n++) {
		/* steps: 0-3 one-shot, 4 the busy slot, 5-8 periodic (armed at 5), 9 AutoEnable, 10 direct */
		unsigned t = n < 4 ? n : n == 4 ? 0 : n < 9 ? 1 : n - 7;
		bool direct = n == 10, periodic = n >= 5 && n < 9;

		if (n == 4) { /* a message the guest has not taken yet */
			m->header.flags = 0;
			tm->timer_index = STIMER_BUSY_MARK;
			m->header.message_type = HV_MESSAGE_TYPE_TIMER_EXPIRED;
		}
		cpu_rdmsr(HV_MSR_TIME_REF_COUNT, &now);
		if (!periodic || n == 5)
			synic_stimer_program(t, periodic ? STIMER_PERIOD_100NS : now + STIMER_DELAY_100NS,
					     (n == 9 ? HV_STIMER_AUTO_ENABLE : HV_STIMER_ENABLE | (periodic ? HV_STIMER_PERIODIC : 0)) |
					     (uint64_t)VP_SINT << HV_STIMER_SINT_SHIFT |
					     (direct ? HV_STIMER_DIRECT_MODE | VP_SINT_VECTOR << HV_STIMER_VECTOR_SHIFT : 0),
					     n == 9);
		if (n == 4) {
			while (!(m->header.flags & HV_MESSAGE_FLAG_PENDING) && tm->timer_index == STIMER_BUSY_MARK &&
			       cpu_now_ns() < end)
				cpu_wait(1000000);
			r = tm->timer_index != STIMER_BUSY_MARK ? 7 : !(m->header.flags & HV_MESSAGE_FLAG_PENDING) ? 6 : 0;
			m->header.message_type = HV_MESSAGE_TYPE_NONE;
			cpu_wrmsr(HV_MSR_EOM, 0);
		}
		if (!r) {
			while (((!direct && m->header.message_type != HV_MESSAGE_TYPE_TIMER_EXPIRED) || *irqs == seen) &&
			       cpu_now_ns() < end)
				cpu_wait(1000000);
			type = m->header.message_type;
			r = !direct && type != HV_MESSAGE_TYPE_TIMER_EXPIRED ? 1 : *irqs == seen ? 2
			  : direct ? (type ? 4 : 0) : tm->timer_index != t ? 3 : 0;
			if (r && n == 4)
				r = 8;
		}
		span = tm->expiration_time - first;
		if (n == 5)
			first += span;
		/* steps 5-8: 3 whole periods or more, within 10% */
		span += STIMER_PERIOD_100NS / 10;
		if (n == 8 && !r && (span < 3 * STIMER_PERIOD_100NS || span % STIMER_PERIOD_100NS > STIMER_PERIOD_100NS / 5))
			r = 5;
		if (r)
			p->stimer[(n >= 4) + (n > 4)] = t << 4 | r;
		if (!periodic || n == 8 || r)
			cpu_wrmsr(HV_MSR_STIMER0_CONFIG + 2 * t, 0);
		seen = *irqs; /* before the slot is freed: the next message may come at once */
		m->header.message_type = HV_MESSAGE_TYPE_NONE;
		if (m->header.flags & HV_MESSAGE_FLAG_PENDING)
			cpu_wrmsr(HV_MSR_EOM, 0);
	}
}

/*
 * On an AP: SIMP, SIEFP, SINT2 (masked) and SCONTROL must each keep what is
 * written, then are cleared again.  TLFS §11.8: every VP has its own SynIC
 * registers (kvm-unit-tests hyperv_synic.c programs them on each CPU).
 */
static void synic_body(struct per_vp *p)
{
	static const uint32_t msr[4] = { HV_MSR_SIMP, HV_MSR_SIEFP, HV_MSR_SINT0 + 2, HV_MSR_SCONTROL };
	static const uint64_t keep[4] = { ~HV_MSR_RSVDP_MASK, ~HV_MSR_RSVDP_MASK,
					  HV_SINT_VECTOR_MASK | HV_SINT_MASKED, HV_SCONTROL_ENABLE };
	uint64_t val[4] = { page_pa(1) | HV_MSR_ENABLE, page_pa(2) | HV_MSR_ENABLE,
			    HV_SINT_MASKED | 0x42, HV_SCONTROL_ENABLE }, got;

	for (unsigned i = 0; i < 4 && !p->synic_bad; i++)
		if (cpu_wrmsr(msr[i], val[i]) || cpu_rdmsr(msr[i], &got) || (got & keep[i]) != val[i])
			p->synic_bad = msr[i];
	if (!p->synic_bad && (hvi->privileges & HV_PRIV_SYNTH_TIMERS))
		stimer_body(p);
	for (unsigned i = 0; i < 4; i++)
		cpu_wrmsr(msr[i], i == 2 ? HV_SINT_MASKED : 0);
}

/* On each processor: its VP index, its run time advancing, and (APs) its SynIC. */
static void probe_body(void *arg)
{
	struct per_vp *p = arg;
	uint64_t t0 = cpu_now_ns();

	p->index_gp = cpu_rdmsr(HV_MSR_VP_INDEX, &p->index) != 0;
	if (!cpu_rdmsr(HV_MSR_VP_RUNTIME, &p->rt0))
		do
			cpu_rdmsr(HV_MSR_VP_RUNTIME, &p->rt1);
		while (p->rt1 == p->rt0 && cpu_now_ns() - t0 < RUNTIME_SPIN_NS);
	if (p != per) {
		unsigned n = 0;

		if (hvi->privileges & HV_PRIV_APIC_MSRS)
			p->vapic = hv_extras_probe(HV_EXTRAS_VAPIC, pages, &n);
		synic_body(p);
	}
	p->up = true;
}

/* False (and @id skipped) unless the host grants @priv, named @name. */
static bool granted(const struct hv_info *hv, const char *id, uint64_t priv, const char *name)
{
	if (hv->privileges & priv)
		return true;
	check(id, CHECK_SKIP, "no %s privilege", name);
	return false;
}

/*
 * hv.vp.index: unique, in APIC id order (the BSP's below the limit: hv.vp_index).  False
 * when the indices cannot name the VPs (the calls across VPs then skip).
 */
static bool check_index(const struct hv_info *hv)
{
	bool order = true;

	if (!granted(hv, "hv.vp.index", HV_PRIV_VP_INDEX, "AccessVpIndex"))
		return false;
	for (unsigned i = 0; i < nvps; i++) {
		if (!per[i].up)
			continue;
		/* TLFS §7.8: VP_INDEX is readable on every VP with AccessVpIndex */
		if (per[i].index_gp) {
			check("hv.vp.index", CHECK_FAIL, "#GP on processor %u", i);
			return false;
		}
		for (unsigned j = 0; j < i; j++) {
			if (!per[j].up)
				continue;
			/*
			 * TLFS §7.8: the VP index names one VP of the partition (every
			 * IPI and flush targets VPs by it); KVM kvm_hv_vcpu_init() gives
			 * each vCPU its own (its vcpu index).
			 */
			if (per[j].index == per[i].index) {
				check("hv.vp.index", CHECK_FAIL, "processors %u and %u: both %llu",
				      j, i, (unsigned long long)per[i].index);
				return false;
			}
			if ((per[j].index < per[i].index) != (cpu_vp_apic_id(j) < cpu_vp_apic_id(i)))
				order = false;
		}
	}
	/*
	 * Not a rule: Linux hv_cpu_init() (arch/x86/hyperv/hv_init.c) reads each
	 * CPU's own index and assumes no order; QEMU and KVM number VPs in
	 * vCPU (APIC id) order.  A different order is a habit: WARN.
	 */
	check("hv.vp.index", order ? CHECK_PASS : CHECK_WARN, "%u VPs, unique, %sin APIC id order", nvps,
	      order ? "" : "not ");
	return true;
}

/* hv.vp.runtime: VP_RUNTIME counts up on every processor that runs. */
static void check_runtime(const struct hv_info *hv)
{
	if (!granted(hv, "hv.vp.runtime", HV_PRIV_VP_RUNTIME, "AccessVpRunTimeReg"))
		return;
	for (unsigned i = 0; i < nvps; i++)
		/*
		 * TLFS §7.8 (VP_RUNTIME: the VP's run time in 100 ns units); KVM
		 * kvm_hv_get_msr() derives it from the vCPU thread's CPU time.
		 */
		if (per[i].up && per[i].rt1 <= per[i].rt0) {
			check("hv.vp.runtime", CHECK_FAIL, "processor %u: %llu -> %llu in 50 ms",
			      i, (unsigned long long)per[i].rt0, (unsigned long long)per[i].rt1);
			return;
		}
	check("hv.vp.runtime", CHECK_PASS, "advances on %u VPs", nvps);
}

/* The first AP that is up whose result at @off (a uint32_t of struct per_vp) is set; 0: none. */
static unsigned first_bad(size_t off)
{
	for (unsigned i = 1; i < nvps; i++)
		if (per[i].up && *(uint32_t *)((char *)&per[i] + off))
			return i;
	return 0;
}
#define FIRST_BAD(field) first_bad(offsetof(struct per_vp, field))

/* hv.vp.vapic: hv.vapic's MSRs (VP assist page, TPR, ICR, EOI) work on each AP too. */
static void check_vapic(const struct hv_info *hv)
{
	unsigned i;

	if (!granted(hv, "hv.vp.vapic", HV_PRIV_APIC_MSRS, "AccessApicMsrs"))
		return;
	/*
	 * TLFS v6.0b (VP assist page, synthetic APIC MSRs): each VP has its
	 * own; KVM kvm_hv_set_msr() keeps the assist page per vCPU and
	 * kvm_hv_vapic_msr_write() acts on that vCPU's APIC.
	 */
	if ((i = FIRST_BAD(vapic)))
		check("hv.vp.vapic", CHECK_FAIL, "processor %u: MSR 0x%x failed", i, per[i].vapic);
	else
		check("hv.vp.vapic", CHECK_PASS, "%s on %u APs", "hv.vapic", nvps - 1);
}

/* hv.vp.synic, hv.vp.stimer(_busy)(_modes): each AP's own SynIC registers and timers. */
static void check_synic(const struct hv_info *hv)
{
	static const char *const did[] = { "timers 0-3: message and interrupt", "sent after EOM", "periodic, AutoEnable",
					   "direct, periodic, AutoEnable" };
	static const char *const why[] = { "no TimerExpired message in 1 s", "no interrupt", "wrong TimerIndex",
					   "sent a message", "not whole periods apart",
					   "no MessagePending in 1 s", "slot overwritten", "nothing after EOM" };
	unsigned i;

	if (!granted(hv, "hv.vp.synic", HV_PRIV_SYNIC, "AccessSynicRegs"))
		return;
	/* TLFS §11.8: SIMP, SIEFP, SINTx and SCONTROL exist per VP */
	if ((i = FIRST_BAD(synic_bad))) {
		check("hv.vp.synic", CHECK_FAIL, "processor %u: MSR 0x%x failed", i, per[i].synic_bad);
		return;
	}
	check("hv.vp.synic", CHECK_PASS, "programmable on %u APs", nvps - 1);
	if (!granted(hv, "hv.vp.stimer", HV_PRIV_SYNTH_TIMERS, "AccessSyntheticTimerRegs"))
		return;
	for (unsigned k = 0; k < 3; k++) {
		const char *id = !k ? "hv.vp.stimer" : k < 2 ? "hv.vp.stimer_busy" : "hv.vp.stimer_modes";

		/*
		 * hv.vp.stimer: TLFS §12.5, a VP's timer signals that VP's SINTx
		 * (message, then interrupt); the message's TimerIndex names the
		 * timer (KVM stimer_prepare_msg()).  hv.vp.stimer_busy: TLFS
		 * (SynIC message slots), a message that finds its slot busy is not
		 * written; the host sets MessagePending and delivers after the guest
		 * frees the slot and writes EOM (KVM synic_deliver_msg(),
		 * kvm_hv_notify_acked_sint(); kvm-unit-tests hyperv_stimer.c
		 * stimer_test_one_shot_busy()).  hv.vp.stimer_modes: stimer.c's
		 * modes on every AP (hyperv_stimer.c runs each on every CPU); TLFS
		 * §12.5.1 Periodic (Count is the period; KVM stimer_start() keeps
		 * the grid), AutoEnable (a non-zero Count write sets Enable: KVM
		 * stimer_set_count()), DirectMode (the expiry asserts ApicVector on
		 * that VP, no message: KVM stimer_expiration()).
		 */
		if ((i = first_bad(offsetof(struct per_vp, stimer) + k * 4))) {
			check(id, CHECK_FAIL, "processor %u, timer %u: %s", i, per[i].stimer[k] >> 4,
			      why[(per[i].stimer[k] & 15) - 1]);
			return;
		}
		check(id, CHECK_PASS, "%s on %u APs", did[k + (k == 2 && (hv->features_edx & HV_FEAT_DIRECT_STIMERS))],
		      nvps - 1);
	}
}

/* The VP set (indices below 64) of every processor that is up, the BSP when @bsp. */
static uint64_t vp_mask(bool bsp)
{
	uint64_t m = 0;

	for (unsigned i = bsp ? 0 : 1; i < nvps; i++)
		if (per[i].up && per[i].index < 64)
			m |= 1ull << per[i].index;
	return m;
}

static bool targeted(unsigned i, uint64_t mask)
{
	return per[i].up && per[i].index < 64 && (mask >> per[i].index & 1);
}

/*
 * Make call @ctl with its input block at page 0: in memory, or (@xmm) the
 * same 112 bytes as XMM fast input (TLFS: XMM fast hypercalls; KVM
 * kvm_hv_hypercall() reads XMM0-XMM5 for the flush calls and SendIPIEx).
 * @ctl 0: the call was made already and answered @st.  False (and @id
 * failed) unless it succeeded.
 */
static bool call(const char *id, uint64_t ctl, bool xmm, uint16_t st)
{
	uint64_t r = !ctl ? st : xmm ? cpu_hypercall_xmm(ctl | HV_HYPERCALL_FAST, (uint64_t *)pages)
			   : cpu_hypercall(ctl, page_pa(0), 0);

	/*
	 * TLFS XMM fast hypercalls: XMM input may be used where CPUID 0x40000003
	 * EDX bit 4 says so (KVM is_xmm_fast_hypercall(): these five calls)
	 */
	if (r == CPU_HYPERCALL_UD)
		check(id, CHECK_FAIL, "raised #UD");
	/* TLFS: SUCCESS for a valid vector / flush and VP set */
	else if ((uint16_t)r)
		check(id, CHECK_FAIL, "returned %s", hv_status_name((uint16_t)r));
	return r != CPU_HYPERCALL_UD && !(uint16_t)r;
}

/*
 * hv.ipi.cluster(_ex)(_xmm): vector IPI_VECTOR sent to every VP, the sender
 * included, must arrive exactly once on each (KVM selftest hyperv_ipi.c;
 * TLFS HvCallSendSyntheticClusterIpi / HvCallSendSyntheticClusterIpiEx).
 */
static void check_ipi(const char *id, bool ex, bool xmm)
{
	struct hv_send_ipi_ex *in = (void *)pages;
	uint64_t mask = vp_mask(true), end = cpu_now_ns() + IPI_WAIT_NS;
	bool all;

	memset((void *)ipi_seen, 0, sizeof(ipi_seen));
	memset(in, 0, XMM_INPUT_BYTES);
	in->vector = IPI_VECTOR;
	in->vp_set.valid_bank_mask = 1;
	in->vp_set.bank = mask;
	if (!call(id, ex ? HV_CALL_SEND_IPI_EX | 1ull << HV_HYPERCALL_VARHEAD_SHIFT : 0, xmm,
		  ex ? 0 : hv_call_fast(HV_CALL_SEND_IPI, IPI_VECTOR, mask)))
		return;
	/* until each target has it, then 10 ms more for a second delivery */
	do {
		all = true;
		for (unsigned i = 0; i < nvps; i++)
			all &= !targeted(i, mask) || ipi_seen[i];
		cpu_wait(all ? 10000000 : 1000000);
	} while (!all && cpu_now_ns() < end);
	for (unsigned i = 0; i < nvps; i++)
		if (per[i].up && ipi_seen[i] != targeted(i, mask)) {
			check(id, CHECK_FAIL, "VP %llu took it %u times, %u expected", (unsigned long long)per[i].index,
			      ipi_seen[i], targeted(i, mask));
			return;
		}
	check(id, CHECK_PASS, "once on each of %u VPs", nvps);
}

static void tlb_prime(void *arg)
{
	cpu_tlb_test_map(page_pa(3));
	((struct per_vp *)arg)->tlb = cpu_tlb_test_read();
}

static void tlb_read(void *arg)
{
	((struct per_vp *)arg)->tlb = cpu_tlb_test_read();
}

/*
 * hv.tlb.*(_xmm): each AP holds a translation of the test page; the BSP points it
 * at another page and flushes the APs' VP set by hypercall; each AP must
 * then read the new page (KVM selftest hyperv_tlb_flush.c; TLFS
 * HvCallFlushVirtualAddressSpace{,List}{,Ex}: on return the named VPs hold
 * no stale translation).  Then again for every VP, as the selftest's last
 * stages: HV_FLUSH_ALL_PROCESSORS with an empty mask, or (Ex) the VP set
 * format HV_GENERIC_SET_ALL with no banks (TLFS HV_GENERIC_SET_FORMAT; KVM
 * kvm_hv_flush_tlb(): all_cpus).
 */
static void check_flush(const char *id, uint16_t code, uint64_t va, bool xmm)
{
	bool ex = code >= HV_CALL_FLUSH_SPACE_EX;

	for (unsigned all = 0; all < 2; all++) {
		uint64_t *in = (uint64_t *)pages, ctl = code;
		unsigned n = ex ? 5 - all : 3;

		memset(in, 0, XMM_INPUT_BYTES);
		in[1] = HV_FLUSH_ALL_VIRTUAL_ADDRESS_SPACES | (all && !ex ? HV_FLUSH_ALL_PROCESSORS : 0);
		if (ex) {
			in[2] = all ? HV_GENERIC_SET_ALL : HV_GENERIC_SET_SPARSE_4K;
			in[3] = !all; /* valid_bank_mask: bank 0, or none */
			ctl |= (uint64_t)!all << HV_HYPERCALL_VARHEAD_SHIFT;
		}
		if (!all)
			in[n - 1] = vp_mask(false);
		if (code == HV_CALL_FLUSH_LIST || code == HV_CALL_FLUSH_LIST_EX) {
			in[n] = va;
			ctl |= 1ull << HV_HYPERCALL_REP_COUNT_SHIFT;
		}
		for (unsigned i = 1; i < nvps; i++)
			if (per[i].up)
				cpu_on_vp(i, tlb_prime, &per[i], cpu_now_ns() + BODY_NS);
		cpu_tlb_test_map(page_pa(4));
		if (!call(id, ctl, xmm, 0))
			return;
		for (unsigned i = 1; i < nvps; i++) {
			per[i].tlb = 0;
			if (per[i].up &&
			    (cpu_on_vp(i, tlb_read, &per[i], cpu_now_ns() + BODY_NS) || per[i].tlb != TLB_NEW)) {
				check(id, CHECK_FAIL, "VP %llu still reads the old page%s",
				      (unsigned long long)per[i].index, all ? " (all)" : "");
				return;
			}
		}
	}
	check(id, CHECK_PASS, "%u APs see the new page", nvps - 1);
}

/*
 * hv.access.xmm_input: a host that grants the flush call but not XMM input
 * (CPUID 0x40000003 EDX bit 4 clear) must not take an XMM fast flush.
 */
static void check_xmm_gate(const struct hv_info *hv, uint64_t hc)
{
	static const char id[] = "hv.access.xmm_input";
	uint64_t in[14] = { 0, HV_FLUSH_ALL_VIRTUAL_ADDRESS_SPACES | HV_FLUSH_ALL_PROCESSORS }, r;
	bool enforced = policy_enforces_cpuid();
	const char *no = hv->features_edx & HV_FEAT_XMM_HYPERCALL_INPUT ? "XMM input advertised"
		: !(hc & HV_MSR_ENABLE) || !(hv->recommendations & HV_REC_REMOTE_TLB_FLUSH) ? "flush not hinted"
		: NULL;

	if (no) {
		check(id, CHECK_SKIP, "%s", no);
		return;
	}
	r = cpu_hypercall_xmm(HV_CALL_FLUSH_SPACE | HV_HYPERCALL_FAST, in);
	if (r == CPU_HYPERCALL_UD || (uint16_t)r)
		check(id, CHECK_PASS, "refused: %s", r == CPU_HYPERCALL_UD ? "#UD" : hv_status_name((uint16_t)r));
	else
		/*
		 * KVM kvm_hv_hypercall() with hv-enforce-cpuid raises #UD for an XMM
		 * fast call without the bit (selftest hyperv_features.c checks it);
		 * without hv-enforce-cpuid KVM reads XMM anyway: WARN, as access.c.
		 */
		check(id, enforced ? CHECK_FAIL : CHECK_WARN, "XMM flush taken%s",
		      enforced ? "" : ", unenforced");
}

void hv_vp_checks(const struct hv_info *hv)
{
	/* the calls across VPs; from CALLS_XMM on, the XMM-capable ones again as XMM fast calls */
	static const char *const id[] = {
		"hv.ipi.cluster", "hv.ipi.cluster_ex", "hv.tlb.flush", "hv.tlb.flush_list", "hv.tlb.flush_ex",
		"hv.tlb.flush_list_ex", "hv.ipi.cluster_ex_xmm", "hv.tlb.flush_xmm", "hv.tlb.flush_list_xmm",
		"hv.tlb.flush_ex_xmm", "hv.tlb.flush_list_ex_xmm",
	};
	static const uint8_t code[] = {
		HV_CALL_SEND_IPI, HV_CALL_SEND_IPI_EX, HV_CALL_FLUSH_SPACE, HV_CALL_FLUSH_LIST,
		HV_CALL_FLUSH_SPACE_EX, HV_CALL_FLUSH_LIST_EX, HV_CALL_SEND_IPI_EX, HV_CALL_FLUSH_SPACE,
		HV_CALL_FLUSH_LIST, HV_CALL_FLUSH_SPACE_EX, HV_CALL_FLUSH_LIST_EX,
	};
	uint64_t hc = 0, va = 0;
	unsigned up = 0, down = 0;
	uint32_t rec = hv->recommendations;
	const char *why = NULL;
	bool named;

	hvi = hv;
	cpu_rdmsr(HV_MSR_HYPERCALL, &hc);
	check_xmm_gate(hv, hc);
	nvps = cpu_vp_count();
	pages = nvps < 2 ? NULL : cpu_alloc_pages(5);
	cpu_irq_install(VP_SINT_VECTOR, ipi_isr, NULL, false);
	if (!pages) {
		check("hv.vp.started", CHECK_SKIP, "one virtual processor");
		return;
	}
	for (unsigned i = 0; i < nvps; i++) {
		if (!cpu_on_vp(i, probe_body, &per[i], cpu_now_ns() + BODY_NS) && per[i].up)
			up++;
		else if (!down++)
			why = cpu_vp_online(i) ? "did not run its first task" : "did not start";
	}
	/*
	 * ACPI 6.5 §5.2.12.2: a processor the MADT marks enabled is usable; Intel
	 * SDM vol. 3 §9.4.4: it answers INIT-SIPI-SIPI.  One that does not is lost.
	 */
	if (down)
		check("hv.vp.started", CHECK_FAIL, "%u of %u up; one %s", up, nvps, why);
	else
		check("hv.vp.started", CHECK_PASS, "%u processors up", nvps);
	named = check_index(hv);
	check_runtime(hv);
	check_vapic(hv);
	check_synic(hv);

	why = !(hc & HV_MSR_ENABLE) ? "no hypercall page" : up < 2 ? "one virtual processor"
	    : !named ? "no usable VP indices" : NULL;
	cpu_irq_install(IPI_VECTOR, ipi_isr, NULL, false);
	*(uint64_t *)(pages + 3 * PAGE_SIZE) = TLB_OLD;
	*(uint64_t *)(pages + 4 * PAGE_SIZE) = TLB_NEW;
	for (unsigned f = 0; f < sizeof(code); f++) {
		bool ipi = code[f] == HV_CALL_SEND_IPI || code[f] == HV_CALL_SEND_IPI_EX;
		bool ex = code[f] >= HV_CALL_FLUSH_SPACE_EX, xmm = f >= CALLS_XMM;
		/* KVM hv_check_hypercall_access(): each call follows leaf 0x40000004's hints */
		const char *no = why ? why
			: !(rec & (ipi ? HV_REC_CLUSTER_IPI : HV_REC_REMOTE_TLB_FLUSH)) ? "not hinted"
			: ex && !(rec & HV_REC_EX_PROCESSOR_MASKS) ? "Ex masks not hinted"
			: xmm && !(hv->features_edx & HV_FEAT_XMM_HYPERCALL_INPUT) ? "no XMM input"
			: NULL;

		if (!no && !ipi && !va && !(va = cpu_tlb_test_map(page_pa(3))))
			no = "no test mapping";
		if (no)
			check(id[f], CHECK_SKIP, "%s", no);
		else if (ipi)
			check_ipi(id[f], ex, xmm);
		else
			check_flush(id[f], code[f], va, xmm);
	}
}
