/*
 * Synthetic timers 0-3 on the BSP (TLFS v6.0b §12.5; KVM arch/x86/kvm/hyperv.c
 * stimer_*(); kvm-unit-tests x86/hyperv_stimer.c): one-shot, periodic with its
 * interval and drift against the reference counter, AutoEnable, and direct
 * mode.  Messages arrive through synic.c's SINT 2 poller; synic_selftest()
 * already proved that one message mode timer works.
 */
#include "drivers/hyperv/enlight.h"

#include "drivers/hyperv/msr.h"
#include "drivers/hyperv/synic.h"
#include "kernel/cpu.h"
#include "kernel/loop.h"
#include "lib/report.h"
#include "lib/str.h"

#define DIRECT_VECTOR 0x42          /* ours; SynIC uses 0x41 */
#define STEP_100NS 10000ull         /* one-shot timer t is due (t+1) ms after arming */
#define WAIT_NS 1000000000ull       /* every wait for a timer: 1 s */
#define QUIET_NS 50000000ull        /* and 50 ms more to see a one-shot fire again */
#define PERIOD_100NS 100000ull      /* periodic: every 10 ms */
#define PERIODS 20
#define DRIFT_WARN_PPM 10000        /* 1% */
#define DRIFT_FAIL_PPM 50000        /* 5% */
#define SINT_FIELD ((uint64_t)SYNIC_SINT << HV_STIMER_SINT_SHIFT)

static struct {
	uint32_t fired[HV_STIMER_COUNT];
	uint64_t first_exp[HV_STIMER_COUNT], last_exp[HV_STIMER_COUNT];
	uint64_t first_rcv, last_rcv;  /* periodic timer: reference time at receipt */
	uint64_t units;                /* periodic timer: periods its expirations span */
	int64_t resid;                 /* and the sum of their deviations from whole periods */
	uint32_t bad;                  /* messages naming no timer 0-3, or too short */
	unsigned periodic;             /* the timer under the periodic test */
	volatile uint32_t direct_irqs;
} st;

static uint64_t ref_now(void)
{
	uint64_t v = 0;

	cpu_rdmsr(HV_MSR_TIME_REF_COUNT, &v);
	return v;
}

/* A TimerExpired message: count it per timer; the periodic one's spacing. */
static void on_timer(const struct hv_message *m, void *ctx)
{
	const struct hv_timer_message *p = (const void *)m->payload;
	unsigned t;

	if (m->header.payload_size < sizeof(*p) || p->timer_index >= HV_STIMER_COUNT) {
		st.bad++;
		return;
	}
	t = p->timer_index;
	if (t == st.periodic) {
		uint64_t rcv = ref_now();

		if (st.fired[t]) {
			/* whole periods since the last one (a host may skip missed ones) */
			uint64_t gap = p->expiration_time - st.last_exp[t];
			uint64_t n = (gap + PERIOD_100NS / 2) / PERIOD_100NS;

			n = n ? n : 1;
			st.units += n;
			st.resid += (int64_t)(gap - n * PERIOD_100NS);
		} else {
			st.first_rcv = rcv;
		}
		st.last_rcv = rcv;
	}
	if (!st.fired[t]++)
		st.first_exp[t] = p->expiration_time;
	st.last_exp[t] = p->expiration_time;
}

static void on_direct(void *ctx)
{
	st.direct_irqs++;
}

static bool all_fired(void *ctx)
{
	unsigned mask = (unsigned)(uintptr_t)ctx;

	for (unsigned t = 0; t < HV_STIMER_COUNT; t++)
		if ((mask & (1u << t)) && !st.fired[t])
			return false;
	return true;
}

static bool periods_done(void *ctx)
{
	return st.fired[st.periodic] > PERIODS;
}

static bool direct_seen(void *ctx)
{
	return st.direct_irqs != 0;
}

/* Program timer @t; false (and check @id failed) when an MSR raised #GP. */
static bool arm(const char *id, unsigned t, uint64_t count, uint64_t config, bool count_last)
{
	uint32_t cfg = HV_MSR_STIMER0_CONFIG + 2 * t;
	int e = cpu_wrmsr(cfg, 0);

	if (count_last)
		e = e ?: cpu_wrmsr(cfg, config) ?: cpu_wrmsr(cfg + 1, count);
	else
		e = e ?: cpu_wrmsr(cfg + 1, count) ?: cpu_wrmsr(cfg, config);
	if (e)
		/* TLFS §12.5: the STIMER MSRs come with AccessSyntheticTimerRegs */
		check(id, CHECK_FAIL, "programming STIMER%u raised #GP although AccessSyntheticTimerRegs is granted", t);
	return !e;
}

static void disarm(unsigned t)
{
	cpu_wrmsr(HV_MSR_STIMER0_CONFIG + 2 * t, 0);
}

static void reset(void)
{
	memset(&st, 0, sizeof(st));
	st.periodic = HV_STIMER_COUNT;
}

/* Let the loop run until @ns have passed (late or repeated messages land meanwhile). */
static void quiet(uint64_t ns)
{
	loop_wait("a quiet period after the synthetic timers", NULL, NULL, cpu_now_ns() + ns);
}

/* hv.stimer.oneshot: timers 0-3, each due at its own time, each fires exactly once. */
static void check_oneshot(void)
{
	uint64_t now = ref_now(), due[HV_STIMER_COUNT];
	unsigned t;

	reset();
	for (t = 0; t < HV_STIMER_COUNT; t++) {
		due[t] = now + (t + 1) * STEP_100NS;
		if (!arm("hv.stimer.oneshot", t, due[t], HV_STIMER_ENABLE | SINT_FIELD, false))
			return;
	}
	loop_wait("synthetic timers 0-3 (one-shot)", all_fired, (void *)(uintptr_t)0xf, cpu_now_ns() + WAIT_NS);
	quiet(QUIET_NS);
	for (t = 0; t < HV_STIMER_COUNT; t++)
		disarm(t);
	for (t = 0; t < HV_STIMER_COUNT; t++) {
		/* TLFS §12.5: an expired one-shot timer sends one HvMessageTimerExpired (KVM stimer_expiration()) */
		if (st.fired[t] != 1) {
			check("hv.stimer.oneshot", CHECK_FAIL, "one-shot STIMER%u fired %u times (once wanted, within 1 s)",
			      t, st.fired[t]);
			return;
		}
		/* TLFS §12.5.3: the payload carries the expiration time the timer was armed with */
		if (st.first_exp[t] != due[t]) {
			check("hv.stimer.oneshot", CHECK_FAIL, "STIMER%u's message says it expired at %llu, armed for %llu",
			      t, (unsigned long long)st.first_exp[t], (unsigned long long)due[t]);
			return;
		}
	}
	/* TLFS §12.5.3: TimerIndex names the timer (0-3), the payload is 24 bytes */
	check_that("hv.stimer.oneshot", !st.bad,
		   "STIMER0-3 each fired once at its expiration time; %u message(s) naming no timer or too short",
		   st.bad);
}

/* hv.stimer.periodic: timer 1 every 10 ms, its expirations held against whole periods. */
static void check_periodic(void)
{
	uint64_t span, ppm, rcv_span;
	const unsigned t = 1;

	reset();
	st.periodic = t;
	if (!arm("hv.stimer.periodic", t, PERIOD_100NS, HV_STIMER_ENABLE | HV_STIMER_PERIODIC | SINT_FIELD, false))
		return;
	loop_wait("a periodic synthetic timer", periods_done, NULL,
		  cpu_now_ns() + PERIODS * PERIOD_100NS * 100 * 3 + WAIT_NS);
	disarm(t);
	if (st.fired[t] < 3 || !st.units) {
		/* TLFS §12.5.1: a periodic timer fires every Count 100 ns units until disabled */
		check("hv.stimer.periodic", CHECK_FAIL, "periodic STIMER1 (every %llu us) fired %u times",
		      (unsigned long long)PERIOD_100NS / 10, st.fired[t]);
		return;
	}
	span = st.units * PERIOD_100NS;
	ppm = (uint64_t)(st.resid < 0 ? -st.resid : st.resid) * 1000000 / span;
	rcv_span = st.last_rcv - st.first_rcv;
	/*
	 * TLFS §12.5.1: Count is the period; KVM stimer_start() keeps periodic
	 * expirations on a grid of whole periods (a late one skips ahead), so
	 * the stamped expirations must be whole periods apart.  Within 1% is
	 * exact for any host; up to 5% a host's own lateness could explain it.
	 */
	check("hv.stimer.periodic",
	      st.bad || ppm > DRIFT_FAIL_PPM ? CHECK_FAIL : ppm > DRIFT_WARN_PPM ? CHECK_WARN : CHECK_PASS,
	      "%u expirations over %llu periods of %llu us: drift %llu ppm (warn above %u, fail above %u); received over %llu us of reference time; %u bad message(s)",
	      st.fired[t], (unsigned long long)st.units, (unsigned long long)PERIOD_100NS / 10,
	      (unsigned long long)ppm, DRIFT_WARN_PPM, DRIFT_FAIL_PPM,
	      (unsigned long long)rcv_span / 10, st.bad);
}

/* hv.stimer.auto_enable: with AutoEnable, writing a non-zero Count sets Enable and arms the timer. */
static void check_auto_enable(void)
{
	uint64_t cfg = 0;
	const unsigned t = 2;

	reset();
	if (!arm("hv.stimer.auto_enable", t, ref_now() + STEP_100NS, HV_STIMER_AUTO_ENABLE | SINT_FIELD, true))
		return;
	cpu_rdmsr(HV_MSR_STIMER0_CONFIG + 2 * t, &cfg);
	loop_wait("an AutoEnable synthetic timer", all_fired, (void *)(uintptr_t)(1u << t), cpu_now_ns() + WAIT_NS);
	disarm(t);
	/* TLFS §12.5.1 AutoEnable: a non-zero Count write sets Enable (KVM stimer_set_count()) */
	if (!(cfg & HV_STIMER_ENABLE))
		check("hv.stimer.auto_enable", CHECK_FAIL,
		      "STIMER2_CONFIG reads 0x%llx after a Count write with AutoEnable: Enable not set",
		      (unsigned long long)cfg);
	else
		check_that("hv.stimer.auto_enable", st.fired[t] == 1,
			   "Count write set Enable (config 0x%llx); the timer fired %u time(s)",
			   (unsigned long long)cfg, st.fired[t]);
}

/* hv.stimer.direct: DirectMode raises the vector we chose, without a message. */
static void check_direct(const struct hv_info *hv)
{
	const unsigned t = 3;

	if (!(hv->features_edx & HV_FEAT_DIRECT_STIMERS)) {
		check("hv.stimer.direct", CHECK_SKIP, "CPUID 0x40000003 EDX does not advertise direct synthetic timers");
		return;
	}
	reset();
	cpu_irq_install(DIRECT_VECTOR, on_direct, NULL, false);
	/* SINTx is set as well: a host that sends a message anyway has somewhere to send it */
	if (!arm("hv.stimer.direct", t, ref_now() + STEP_100NS,
		 HV_STIMER_ENABLE | HV_STIMER_DIRECT_MODE | ((uint64_t)DIRECT_VECTOR << HV_STIMER_VECTOR_SHIFT) | SINT_FIELD,
		 false))
		return;
	loop_wait("a direct-mode synthetic timer", direct_seen, NULL, cpu_now_ns() + WAIT_NS);
	quiet(QUIET_NS);
	disarm(t);
	/*
	 * TLFS §12.5.1 DirectMode: the expiry asserts ApicVector instead of
	 * sending a message (KVM stimer_expiration() calls stimer_notify_direct()).
	 */
	if (st.fired[t])
		check("hv.stimer.direct", CHECK_FAIL,
		      "direct-mode STIMER3 sent %u TimerExpired message(s); %u interrupt(s) on vector 0x%x",
		      st.fired[t], st.direct_irqs, DIRECT_VECTOR);
	else
		check_that("hv.stimer.direct", st.direct_irqs == 1,
			   "direct-mode STIMER3: %u interrupt(s) on vector 0x%x (one wanted), no message",
			   st.direct_irqs, DIRECT_VECTOR);
}

void hv_stimer_checks(const struct hv_info *hv)
{
	if (!(hv->privileges & HV_PRIV_SYNTH_TIMERS) || !(hv->privileges & HV_PRIV_REF_COUNTER)) {
		check("hv.stimer.oneshot", CHECK_SKIP,
		      "no synthetic timer or reference counter privilege");
		return;
	}
	synic_on_message(HV_MESSAGE_TYPE_TIMER_EXPIRED, on_timer, NULL);
	check_oneshot();
	check_periodic();
	check_auto_enable();
	check_direct(hv);
}
