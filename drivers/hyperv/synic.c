/*
 * The SynIC (TLFS v6.0b §11, Inter-Partition Communication): message and event-flag
 * pages, SINT 2 on our vector, the end-of-message protocol, and a loop
 * poller that hands each message to the handler for its type.
 */
#include "drivers/hyperv/synic.h"

#include "drivers/hyperv/msr.h"
#include "kernel/cpu.h"
#include "kernel/loop.h"
#include "lib/log.h"
#include "lib/report.h"
#include "lib/str.h"

#define MAX_HANDLERS 8
#define SELFTEST_DELAY_100NS 10000ull    /* timer due 1 ms after arming */
#define SELFTEST_WAIT_NS 1000000000ull   /* then wait up to 1 s for it */
#define SELFTEST_IRQ_GRACE_NS 100000000ull /* an unannounced message waits 100 ms for its interrupt */
/* "spurious" only when interrupts with no cause are both many and most */
#define SPURIOUS_MIN 10

/* SINTx bits we own; the rest (15:8, 63:21) are RsvdP and kept */
#define SINT_OWNED_BITS (HV_SINT_VECTOR_MASK | HV_SINT_MASKED | HV_SINT_AUTO_EOI | (3ull << 18) | (1ull << 20))

static struct {
	struct hv_message *simp;  /* 16 slots, one per SINT */
	uint8_t *siefp;           /* 16 x 256 bytes of flags */
	bool up, auto_eoi;
	bool hold;                /* self-test: leave the slot to the interrupt handler */
	volatile uint32_t irqs, causeless;
	volatile uint32_t irq_saw_type; /* message type in the slot at the last interrupt */
	uint32_t messages, malformed, unhandled;
	struct {
		uint32_t type;
		synic_msg_fn fn;
		void *ctx;
	} handlers[MAX_HANDLERS];
	unsigned nhandlers;
} sc;

static bool sint2_flags_pending(void)
{
	const volatile uint8_t *f = sc.siefp + SYNIC_SINT * HV_EVENT_FLAGS_BYTES;

	for (unsigned i = 0; i < HV_EVENT_FLAGS_BYTES; i++)
		if (f[i])
			return true;
	return false;
}

/* vpbus: the SynIC of each AP that takes VMBus channel events ([0]: the BSP's is sc) */
static struct ap_synic {
	struct hv_message *simp;
	uint8_t *siefp;
	uint64_t vp_index;
	bool ok, up;
	volatile uint32_t irqs;   /* SINT2 interrupts this AP took */
} ap[CPU_MAX_VPS];

/*
 * The interrupt only counts; the loop poller does the work with interrupts
 * off.  On an AP it counts for that AP and wakes the BSP, whose loop does
 * all channel work (docs/SMP.md): the BSP may be halted for 10 ms.
 */
static void synic_isr(void *ctx)
{
	volatile struct hv_message *slot = &sc.simp[SYNIC_SINT];
	unsigned cpu = cpu_current_vp();

	if (cpu) {
		if (cpu < CPU_MAX_VPS)
			__atomic_fetch_add(&ap[cpu].irqs, 1, __ATOMIC_RELAXED);
		cpu_wake_bsp();
		return;
	}
	sc.irqs++;
	sc.irq_saw_type = slot->header.message_type;
	if (slot->header.message_type == HV_MESSAGE_TYPE_NONE && !sint2_flags_pending())
		sc.causeless++;
}

/* Take the message in the SINT 2 slot: copy, clear, EOM if pending, dispatch. */
static bool synic_poll(void *ctx)
{
	volatile struct hv_message *slot = &sc.simp[SYNIC_SINT];
	struct hv_message m;

	if (!sc.up || sc.hold || slot->header.message_type == HV_MESSAGE_TYPE_NONE)
		return false;
	/* copy first: the host may rewrite the slot once it is free */
	memcpy(&m, (const void *)slot, sizeof(m));
	slot->header.message_type = HV_MESSAGE_TYPE_NONE;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	/* read Pending after clearing the type, so a message queued meanwhile is seen */
	if (slot->header.flags & HV_MESSAGE_FLAG_PENDING)
		cpu_wrmsr(HV_MSR_EOM, 0);
	sc.messages++;

	if (m.header.payload_size > HV_MESSAGE_PAYLOAD_MAX) {
		/*
		 * TLFS HV_MESSAGE: at most 240 payload bytes; Linux vmbus_on_msg_dpc()
		 * (drivers/hv/vmbus_drv.c) drops a message that claims more.
		 */
		if (sc.malformed++ == 0)
			check("hv.synic.message_format", CHECK_FAIL,
			      "SINT2 message type 0x%x claims a %u-byte payload (at most %u fit)",
			      m.header.message_type, m.header.payload_size, HV_MESSAGE_PAYLOAD_MAX);
		return true;
	}
	for (unsigned i = 0; i < sc.nhandlers; i++) {
		if (sc.handlers[i].type == m.header.message_type) {
			loop_callback_enter(); /* a message handler never waits (kernel/loop.h) */
			sc.handlers[i].fn(&m, sc.handlers[i].ctx);
			loop_callback_leave();
			return true;
		}
	}
	if (sc.unhandled++ == 0)
		log_printf("hvprobe: SINT2 message of type 0x%x with no handler (ignored)\n",
			   m.header.message_type);
	return true;
}

bool synic_on_message(uint32_t type, synic_msg_fn fn, void *ctx)
{
	/* a later handler for the same type takes over (stimer.c after the self-test) */
	for (unsigned i = 0; i < sc.nhandlers; i++) {
		if (sc.handlers[i].type == type) {
			sc.handlers[i].fn = fn;
			sc.handlers[i].ctx = ctx;
			return true;
		}
	}
	if (sc.nhandlers == MAX_HANDLERS)
		return false;
	sc.handlers[sc.nhandlers].type = type;
	sc.handlers[sc.nhandlers].fn = fn;
	sc.handlers[sc.nhandlers].ctx = ctx;
	sc.nhandlers++;
	return true;
}

bool synic_event_test_clear(unsigned flag)
{
	return synic_event_test_clear_on(0, flag);
}

bool synic_event_test_clear_on(unsigned cpu, unsigned flag)
{
	uint8_t *page = !cpu ? (sc.up ? sc.siefp : NULL) : cpu < CPU_MAX_VPS && ap[cpu].up ? ap[cpu].siefp : NULL;
	uint8_t bit = (uint8_t)(1u << (flag % 8));

	if (!page || flag >= HV_EVENT_FLAGS_BYTES * 8)
		return false;
	/* atomic: the host sets flags in this page from any processor */
	return __atomic_fetch_and(page + SYNIC_SINT * HV_EVENT_FLAGS_BYTES + flag / 8, (uint8_t)~bit,
				  __ATOMIC_SEQ_CST) & bit;
}

/* Point a page MSR (SIMP, SIEFP) at @page, keeping its RsvdP bits. */
static int enable_page_msr(uint32_t msr, void *page)
{
	uint64_t old = 0, got;
	uint64_t val;

	if (hv_msr_read(msr, &old)) {
		check("hv.synic.pages", CHECK_FAIL, "rdmsr 0x%x raised #GP", msr);
		return -1;
	}
	val = cpu_virt_to_phys(page) | (old & HV_MSR_RSVDP_MASK) | HV_MSR_ENABLE;
	return hv_msr_write_verify("hv.synic.pages", msr, val, ~HV_MSR_RSVDP_MASK, &got);
}

bool synic_setup(const struct hv_info *hv)
{
	uint64_t v, old, got;

	if (!(hv->privileges & HV_PRIV_SYNIC)) {
		check("hv.synic.version", CHECK_SKIP, "the host grants no AccessSynicRegs privilege");
		return false;
	}
	/* TLFS §11.8.4: SVERSION reads 1 (KVM synic_get_msr(): HV_SYNIC_VERSION_1) */
	if (hv_msr_read(HV_MSR_SVERSION, &v)) {
		check("hv.synic.version", CHECK_FAIL, "rdmsr SVERSION (0x%x) raised #GP although AccessSynicRegs is granted",
		      HV_MSR_SVERSION);
		return false;
	}
	if (!check_that("hv.synic.version", v == HV_SYNIC_VERSION,
			"SVERSION reads %llu (TLFS: %u)", (unsigned long long)v, HV_SYNIC_VERSION))
		return false;

	sc.simp = cpu_alloc_pages(1);
	sc.siefp = cpu_alloc_pages(1);
	if (!sc.simp || !sc.siefp) {
		check("hv.synic.pages", CHECK_FAIL, "no memory for the message and event pages");
		return false;
	}
	/* TLFS §11.8.2-3: SIMP and SIEFP take a GPA and an enable bit (KVM synic_set_msr()) */
	if (enable_page_msr(HV_MSR_SIMP, sc.simp) || enable_page_msr(HV_MSR_SIEFP, sc.siefp))
		return false;
	check("hv.synic.pages", CHECK_PASS, "SIMP at GPA 0x%llx, SIEFP at GPA 0x%llx",
	      (unsigned long long)cpu_virt_to_phys(sc.simp),
	      (unsigned long long)cpu_virt_to_phys(sc.siefp));

	/* AutoEOI saves an EOI per interrupt, but only where the host does not advise against it */
	sc.auto_eoi = !(hv->recommendations & HV_REC_AUTOEOI_DEPRECATED);
	cpu_irq_install(SYNIC_VECTOR, synic_isr, NULL, sc.auto_eoi);
	/*
	 * TLFS §11.8.5 (SINTx: vector 16-255, masked, AutoEOI) and §11.8.1
	 * (SCONTROL enable); Linux drivers/hv/hv.c hv_synic_enable_regs() sets
	 * the same bits.
	 */
	if (hv_msr_read(HV_MSR_SINT0 + SYNIC_SINT, &old)) {
		check("hv.synic.sint", CHECK_FAIL, "rdmsr SINT2 raised #GP");
		return false;
	}
	v = (old & ~SINT_OWNED_BITS) | SYNIC_VECTOR | (sc.auto_eoi ? HV_SINT_AUTO_EOI : 0);
	if (hv_msr_write_verify("hv.synic.sint", HV_MSR_SINT0 + SYNIC_SINT, v,
				HV_SINT_VECTOR_MASK | HV_SINT_MASKED | HV_SINT_AUTO_EOI, &got))
		return false;
	if (hv_msr_read(HV_MSR_SCONTROL, &old)) {
		check("hv.synic.sint", CHECK_FAIL, "rdmsr SCONTROL raised #GP");
		return false;
	}
	if (hv_msr_write_verify("hv.synic.sint", HV_MSR_SCONTROL, old | HV_SCONTROL_ENABLE,
				HV_SCONTROL_ENABLE, &got))
		return false;
	check("hv.synic.sint", CHECK_PASS, "SINT2 on vector 0x%x, AutoEOI %s, SCONTROL enabled",
	      SYNIC_VECTOR, sc.auto_eoi ? "on" : "off (the host recommends against it)");
	sc.up = true;
	loop_add_poller(synic_poll, NULL);
	return true;
}

/* ---- self-test: synthetic timer 0 sends a TimerExpired message on SINT 2 ---- */

static struct {
	bool seen;
	struct hv_message msg;
	uint64_t in_slot_ns;      /* when the poll first found it in the slot, unannounced */
} timer;

static void on_timer_message(const struct hv_message *m, void *ctx)
{
	timer.msg = *m;
	timer.seen = true;
}

/*
 * While the slot is held: done when an interrupt found the TimerExpired
 * message in the slot (the interrupt that announces it), or when the message
 * has sat there unannounced for SELFTEST_IRQ_GRACE_NS.
 */
static bool timer_announced(void *ctx)
{
	volatile struct hv_message *slot = &sc.simp[SYNIC_SINT];

	if (sc.irq_saw_type == HV_MESSAGE_TYPE_TIMER_EXPIRED)
		return true;
	if (slot->header.message_type != HV_MESSAGE_TYPE_TIMER_EXPIRED)
		return false;
	if (!timer.in_slot_ns)
		timer.in_slot_ns = cpu_now_ns();
	return cpu_now_ns() - timer.in_slot_ns >= SELFTEST_IRQ_GRACE_NS;
}

static bool timer_seen(void *ctx)
{
	return timer.seen;
}

int synic_stimer_program(unsigned t, uint64_t count, uint64_t config, bool count_last)
{
	uint32_t cfg = HV_MSR_STIMER0_CONFIG + 2 * t;
	int e = cpu_wrmsr(cfg, 0);

	if (count_last)
		return e ?: cpu_wrmsr(cfg, config) ?: cpu_wrmsr(cfg + 1, count);
	return e ?: cpu_wrmsr(cfg + 1, count) ?: cpu_wrmsr(cfg, config);
}

void synic_selftest(const struct hv_info *hv)
{
	const struct hv_timer_message *p = (const struct hv_timer_message *)timer.msg.payload;
	uint64_t now, due;
	uint32_t irqs_before;
	bool announced;

	if (!sc.up)
		return;
	if (!(hv->privileges & HV_PRIV_SYNTH_TIMERS) || !(hv->privileges & HV_PRIV_REF_COUNTER)) {
		check("hv.synic.message", CHECK_SKIP,
		      "no synthetic timer or reference counter privilege: nothing makes the host send a message yet");
		return;
	}
	synic_on_message(HV_MESSAGE_TYPE_TIMER_EXPIRED, on_timer_message, NULL);
	if (hv_msr_read(HV_MSR_TIME_REF_COUNT, &now)) {
		/* TLFS, partition reference counter: readable with its privilege */
		check("hv.synic.message", CHECK_FAIL, "rdmsr TIME_REF_COUNT raised #GP");
		return;
	}
	due = now + SELFTEST_DELAY_100NS;
	irqs_before = sc.irqs;
	sc.irq_saw_type = HV_MESSAGE_TYPE_NONE;
	/*
	 * Hold the slot: the poller leaves the message where the host put it, so
	 * the interrupt handler sees whether its interrupt announced this message
	 * (TLFS, SynIC message delivery: the message is in the slot before the SINT
	 * is asserted).
	 */
	sc.hold = true;
	if (synic_stimer_program(0, due, HV_STIMER_ENABLE | ((uint64_t)SYNIC_SINT << HV_STIMER_SINT_SHIFT),
				 false)) {
		sc.hold = false;
		/* TLFS, synthetic timers: the STIMER MSRs come with AccessSyntheticTimerRegs */
		check("hv.synic.message", CHECK_FAIL,
		      "programming STIMER0 raised #GP although AccessSyntheticTimerRegs is granted");
		return;
	}
	loop_wait("the synthetic timer's message and its interrupt", timer_announced, NULL,
		  cpu_now_ns() + SELFTEST_WAIT_NS);
	announced = sc.irq_saw_type == HV_MESSAGE_TYPE_TIMER_EXPIRED;
	sc.hold = false;
	/* now let the poller take it (and anything queued behind it) */
	loop_wait("the synthetic timer's message", timer_seen, NULL, cpu_now_ns() + SELFTEST_IRQ_GRACE_NS);
	cpu_wrmsr(HV_MSR_STIMER0_CONFIG, 0);
	if (!timer.seen) {
		/* TLFS, synthetic timers: an expiring timer in message mode sends HvMessageTimerExpired to its SINT (KVM stimer_send_msg()) */
		check("hv.synic.message", CHECK_FAIL,
		      "no TimerExpired message on SINT2 within 1 s (STIMER0 due at %llu)",
		      (unsigned long long)due);
		return;
	}
	/* TLFS, HV_TIMER_MESSAGE_PAYLOAD: timer index, expiration and delivery times (KVM stimer_send_msg()) */
	if (timer.msg.header.payload_size < sizeof(*p))
		check("hv.synic.message", CHECK_FAIL, "TimerExpired payload is %u bytes, want %zu",
		      timer.msg.header.payload_size, sizeof(*p));
	else if (p->timer_index != 0 || p->expiration_time != due)
		/* KVM stimer_send_msg(): the timer's index and its programmed expiration */
		check("hv.synic.message", CHECK_FAIL,
		      "TimerExpired says timer %u, expired %llu (armed timer 0 for %llu)",
		      p->timer_index, (unsigned long long)p->expiration_time, (unsigned long long)due);
	else if (p->delivery_time < p->expiration_time)
		/*
		 * A delivery before the expiration is odd but harmless: KVM reads the
		 * delivery time from its reference clock, the expiry from an hrtimer;
		 * Linux's hv_stimer0_isr() does not look at either.
		 */
		check_warn("hv.synic.message",
			   "TimerExpired delivered at %llu, before its expiration %llu",
			   (unsigned long long)p->delivery_time, (unsigned long long)p->expiration_time);
	else
		check("hv.synic.message", CHECK_PASS,
		      "TimerExpired from STIMER0 on SINT2, delivered %llu us after it was due",
		      (unsigned long long)(p->delivery_time - due) / 10);
	/*
	 * TLFS, SynIC message delivery: a message put into a free slot asserts
	 * the SINT's interrupt (KVM: synic_deliver_msg() then kvm_hv_synic_set_irq()).  Counted only when the interrupt found this message in the
	 * slot: interrupts with nothing behind them announce nothing.
	 */
	check_that("hv.synic.interrupt", announced,
		   "%s; %u interrupt(s) on vector 0x%x meanwhile", announced
		   ? "an interrupt on our vector found the TimerExpired message in the slot"
		   : "no interrupt announced the TimerExpired message (within 100 ms of it being in the slot)",
		   sc.irqs - irqs_before, SYNIC_VECTOR);
}

/*
 * hv.synic.spurious: interrupts that found neither a message nor an event
 * flag.  Only a warning: the loop polls the message slot and the flags with
 * interrupts off, so an interrupt that arrives while we poll is taken after
 * its cause was consumed (real QEMU/KVM: 3 of 5 interrupts looked causeless),
 * and Linux's vmbus_isr() (drivers/hv/vmbus_drv.c) takes an interrupt with
 * nothing pending without complaint.  The verdict still comes in a storm.
 */
void synic_report(void)
{
	bool many;

	if (!sc.up)
		return;
	many = sc.causeless >= SPURIOUS_MIN && sc.causeless * 2 > sc.irqs;
	check("hv.synic.spurious", many ? CHECK_WARN : CHECK_PASS,
	      "%u SINT2 interrupts, %u with neither a message nor an event flag; %u messages (%u malformed, %u unhandled)",
	      sc.irqs, sc.causeless, sc.messages, sc.malformed, sc.unhandled);
}

/* ---- vpbus: a SynIC on each AP for the VMBus channels bound to it ---- */

#define AP_BODY_NS 1000000000ull   /* an AP's setup body runs at most 1 s */

/*
 * On an AP: its VP index, then SIMP, SIEFP, SINT2 (our vector, AutoEOI as
 * on the BSP: the handler table is shared) and SCONTROL, each read back.
 * TLFS §11.8: every VP has its own SynIC registers and pages; Linux
 * drivers/hv/hv.c hv_synic_enable_regs() runs on every CPU for VMBus.
 */
static void ap_synic_body(void *arg)
{
	struct ap_synic *a = arg;
	static const uint32_t msr[4] = { HV_MSR_SIMP, HV_MSR_SIEFP, HV_MSR_SINT0 + SYNIC_SINT, HV_MSR_SCONTROL };
	static const uint64_t own[4] = { ~HV_MSR_RSVDP_MASK, ~HV_MSR_RSVDP_MASK, SINT_OWNED_BITS, HV_SCONTROL_ENABLE };
	static const uint64_t cmp[4] = { ~HV_MSR_RSVDP_MASK, ~HV_MSR_RSVDP_MASK,
					 HV_SINT_VECTOR_MASK | HV_SINT_MASKED | HV_SINT_AUTO_EOI, HV_SCONTROL_ENABLE };
	const uint64_t val[4] = { cpu_virt_to_phys(a->simp) | HV_MSR_ENABLE,
				  cpu_virt_to_phys(a->siefp) | HV_MSR_ENABLE,
				  SYNIC_VECTOR | (sc.auto_eoi ? HV_SINT_AUTO_EOI : 0), HV_SCONTROL_ENABLE };
	uint64_t old, got;

	if (cpu_rdmsr(HV_MSR_VP_INDEX, &a->vp_index))
		return;
	for (unsigned i = 0; i < 4; i++)
		if (cpu_rdmsr(msr[i], &old) || cpu_wrmsr(msr[i], (old & ~own[i]) | val[i]) ||
		    cpu_rdmsr(msr[i], &got) || (got & cmp[i]) != val[i])
			return;
	a->ok = true;
}

unsigned synic_ap_setup(void)
{
	unsigned n = cpu_vp_count(), up = 0;

	if (!sc.up)
		return 0;
	for (unsigned i = 1; i < n && i < CPU_MAX_VPS; i++) {
		struct ap_synic *a = &ap[i];

		if (a->up || !cpu_vp_online(i))
			continue;
		a->simp = a->simp ?: cpu_alloc_pages(2);
		if (!a->simp)
			break;
		a->siefp = (uint8_t *)a->simp + PAGE_SIZE;
		a->up = !cpu_on_vp(i, ap_synic_body, a, cpu_now_ns() + AP_BODY_NS) && a->ok;
		up += a->up;
	}
	log_printf("hvprobe: VMBus SynIC on %u of %u APs\n", up, n - 1);
	return up;
}

bool synic_ap_ready(unsigned cpu, uint32_t *vp_index)
{
	if (!cpu || cpu >= CPU_MAX_VPS || !ap[cpu].up)
		return false;
	*vp_index = (uint32_t)ap[cpu].vp_index;
	return true;
}

uint32_t synic_ap_irqs(unsigned cpu)
{
	return cpu && cpu < CPU_MAX_VPS ? ap[cpu].irqs : 0;
}
