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
	/* the periodic timer: whole periods since its last expiry (a host may skip missed ones) */
	if (t == st.periodic && st.fired[t]) {
		uint64_t gap = p->expiration_time - st.last_exp[t];
		uint64_t n = (gap + PERIOD_100NS / 2) / PERIOD_100NS;

		n = n ? n : 1;
		st.units += n;
		st.resid += (int64_t)(gap - n * PERIOD_100NS);
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
	int e = synic_stimer_program(t, count, config, count_last);

	if (e)
		/* TLFS §12.5: the STIMER MSRs come with AccessSyntheticTimerRegs */
		check(id, CHECK_FAIL, "STIMER%u: #GP", t);
	return !e;
}

static void disarm(unsigned t)
{
	cpu_wrmsr(HV_MSR_STIMER0_CONFIG + 2 * t, 0);
}

/* Forget earlier messages; @periodic: the timer whose spacing is measured. */
static void reset(unsigned periodic)
{
	memset(&st, 0, sizeof(st));
	st.periodic = periodic;
}

/* Run the loop until @done(@ctx) or 1 s, then @quiet_ns more (late or repeated messages land). */
static void wait(bool (*done)(void *ctx), void *ctx, uint64_t quiet_ns)
{
	loop_wait("stimer", done, ctx, cpu_now_ns() + WAIT_NS);
	if (quiet_ns)
		loop_wait("stimer", NULL, NULL, cpu_now_ns() + quiet_ns);
}

/* The message and direct modes: which timers, how armed, what each must do. */
static const struct mode {
	const char *id;
	uint64_t config;
	uint8_t timers;  /* mask */
	uint8_t msgs;    /* TimerExpired messages wanted from each */
	uint8_t irqs;    /* interrupts wanted on DIRECT_VECTOR */
} modes[] = {
	/* TLFS §12.5: an expired one-shot timer sends one HvMessageTimerExpired (KVM stimer_expiration()) */
	{ "hv.stimer.oneshot", HV_STIMER_ENABLE | SINT_FIELD, 0xf, 1, 0 },
	/* TLFS §12.5.1 AutoEnable: a non-zero Count write sets Enable (KVM stimer_set_count()) */
	{ "hv.stimer.auto_enable", HV_STIMER_AUTO_ENABLE | SINT_FIELD, 0x4, 1, 0 },
	/*
	 * TLFS §12.5.1 DirectMode: the expiry asserts ApicVector instead of
	 * sending a message (KVM stimer_expiration(): stimer_notify_direct()).
	 * SINTx is set too: a host that sends a message anyway can.
	 */
	{ "hv.stimer.direct",
	  HV_STIMER_ENABLE | HV_STIMER_DIRECT_MODE | (DIRECT_VECTOR << HV_STIMER_VECTOR_SHIFT) | SINT_FIELD, 0x8, 0, 1 },
};

/*
 * One mode: each timer t of the mask due (t+1) ms from now (Count written
 * last, so AutoEnable can act), then 1 s for the expiries and 50 ms more for
 * repeats.  Each must send its messages with the expiration time it was
 * armed for (TLFS §12.5.3; KVM stimer_send_msg()), and with AutoEnable the
 * Count write must have set Enable.
 */
static void check_mode(const struct mode *m)
{
	uint64_t now = ref_now(), due = 0, cfg = 0;
	unsigned t, shown = 0;
	bool ok = false;

	reset(HV_STIMER_COUNT);
	for (t = 0; t < HV_STIMER_COUNT; t++) {
		if (!(m->timers & (1u << t)))
			continue;
		due = now + (t + 1) * STEP_100NS;
		if (!arm(m->id, t, due, m->config, m->config & HV_STIMER_AUTO_ENABLE))
			return;
		cpu_rdmsr(HV_MSR_STIMER0_CONFIG + 2 * t, &cfg);
	}
	wait(m->msgs ? all_fired : direct_seen, (void *)(uintptr_t)m->timers, QUIET_NS);
	for (t = 0; t < HV_STIMER_COUNT; t++)
		if (m->timers & (1u << t))
			disarm(t);
	for (t = 0; t < HV_STIMER_COUNT; t++) {
		if (!(m->timers & (1u << t)))
			continue;
		shown = t;
		due = now + (t + 1) * STEP_100NS;
		ok = st.fired[t] == m->msgs && (!m->msgs || st.first_exp[t] == due) && st.direct_irqs == m->irqs &&
		     (cfg & HV_STIMER_ENABLE) && !st.bad;
		if (!ok)
			break;
	}
	check(m->id, ok ? CHECK_PASS : CHECK_FAIL,
	      "STIMER%u: msgs %u/%u, irqs %u/%u, expiry %llu/%llu, config 0x%llx",
	      shown, st.fired[shown], m->msgs, st.direct_irqs, m->irqs, (unsigned long long)st.first_exp[shown],
	      (unsigned long long)due, (unsigned long long)cfg);
}

/* hv.stimer.periodic: timer 1 every 10 ms, its expirations held against whole periods. */
static void check_periodic(void)
{
	uint64_t ppm = 0;
	const unsigned t = 1;

	reset(t);
	if (!arm("hv.stimer.periodic", t, PERIOD_100NS, HV_STIMER_ENABLE | HV_STIMER_PERIODIC | SINT_FIELD, false))
		return;
	wait(periods_done, NULL, 0);
	disarm(t);
	if (st.units)
		ppm = (uint64_t)(st.resid < 0 ? -st.resid : st.resid) * 1000000 / (st.units * PERIOD_100NS);
	/*
	 * TLFS §12.5.1: Count is the period; KVM stimer_start() keeps periodic
	 * expirations on a grid of whole periods (a late one skips ahead), so
	 * the stamped expirations are whole periods apart.  Within 1% is exact
	 * for any host; up to 5% a host's own lateness could explain.
	 */
	check("hv.stimer.periodic",
	      st.bad || st.fired[t] < 3 || ppm > DRIFT_FAIL_PPM ? CHECK_FAIL
	      : ppm > DRIFT_WARN_PPM			 ? CHECK_WARN
							 : CHECK_PASS,
	      "%u expiries, %llu periods, drift %llu ppm, %u bad",
	      st.fired[t], (unsigned long long)st.units, (unsigned long long)ppm, st.bad);
}

void hv_stimer_checks(const struct hv_info *hv)
{
	if (!(hv->privileges & HV_PRIV_SYNTH_TIMERS) || !(hv->privileges & HV_PRIV_REF_COUNTER)) {
		check("hv.stimer.oneshot", CHECK_SKIP, "not granted");
		return;
	}
	synic_on_message(HV_MESSAGE_TYPE_TIMER_EXPIRED, on_timer, NULL);
	cpu_irq_install(DIRECT_VECTOR, on_direct, NULL, false);
	check_mode(&modes[0]);
	check_periodic();
	check_mode(&modes[1]);
	if (hv->features_edx & HV_FEAT_DIRECT_STIMERS)
		check_mode(&modes[2]);
	else
		check("hv.stimer.direct", CHECK_SKIP, "not advertised");
}
