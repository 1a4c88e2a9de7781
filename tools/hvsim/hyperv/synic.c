/*
 * The host's side of the SynIC: per-SINT message queues delivered into the
 * guest's message page one at a time (MessagePending + EOM, TLFS §11.4),
 * event flags, synthetic timers, and the timed-event queue that drives
 * everything the host does "later".
 */
#include <stdio.h>
#include <string.h>

#include "tools/hvsim/hvsim.h"

#define QUEUE_LEN 64
#define MAX_EVENTS 64

static struct {
	struct hv_message q[QUEUE_LEN];
	unsigned head, len;
} queues[HV_SINT_COUNT];

static struct {
	uint64_t when;
	void (*fn)(uint64_t arg);
	uint64_t arg;
	bool used;
} events[MAX_EVENTS];

void sim_at(uint64_t when_ns, void (*fn)(uint64_t arg), uint64_t arg)
{
	for (unsigned i = 0; i < MAX_EVENTS; i++) {
		if (!events[i].used) {
			events[i].when = when_ns;
			events[i].fn = fn;
			events[i].arg = arg;
			events[i].used = true;
			return;
		}
	}
	fprintf(stderr, "hvsim: event queue full\n");
}

uint64_t sim_run_events(void)
{
	uint64_t next = UINT64_MAX;
	bool ran;

	do {
		ran = false;
		for (unsigned i = 0; i < MAX_EVENTS; i++) {
			if (events[i].used && events[i].when <= sim.now_ns) {
				events[i].used = false;
				events[i].fn(events[i].arg);
				ran = true;
			}
		}
	} while (ran);
	for (unsigned i = 0; i < MAX_EVENTS; i++)
		if (events[i].used && events[i].when < next)
			next = events[i].when;
	return next;
}

void sim_raise_sint(unsigned sint)
{
	uint64_t s = sim.sint[sint];

	if (!(sim.scontrol & HV_SCONTROL_ENABLE) || (s & HV_SINT_MASKED))
		return;
	sim.irq_pending[s & HV_SINT_VECTOR_MASK] = true;
	sim.irqs_injected++;
}

void sim_synic_deliver(void)
{
	struct hv_message *page;

	if (!(sim.simp & HV_MSR_ENABLE))
		return;
	page = sim_gpa(sim.simp & ~0xfffull, PAGE_SIZE);
	for (unsigned s = 0; s < HV_SINT_COUNT; s++) {
		struct hv_message *slot = &page[s];

		if (!queues[s].len)
			continue;
		if (slot->header.message_type != HV_MESSAGE_TYPE_NONE) {
			/* busy: tell the guest more is queued, so it writes EOM */
			slot->header.flags |= HV_MESSAGE_FLAG_PENDING;
			continue;
		}
		*slot = queues[s].q[queues[s].head];
		queues[s].head = (queues[s].head + 1) % QUEUE_LEN;
		queues[s].len--;
		slot->header.flags = queues[s].len ? HV_MESSAGE_FLAG_PENDING : 0;
		if (!sim_mb_fire(MB_MESSAGE_NO_IRQ))
			sim_raise_sint(s);
	}
}

void sim_post_to_guest(unsigned sint, uint32_t type, const void *payload, uint8_t size)
{
	struct hv_message *m;

	if (queues[sint].len == QUEUE_LEN) {
		fprintf(stderr, "hvsim: SINT%u queue full, message dropped\n", sint);
		return;
	}
	m = &queues[sint].q[(queues[sint].head + queues[sint].len) % QUEUE_LEN];
	memset(m, 0, sizeof(*m));
	m->header.message_type = type;
	m->header.payload_size = sim_mb_fire(MB_MESSAGE_BAD_SIZE) ? 250 : size;
	memcpy(m->payload, payload, size > HV_MESSAGE_PAYLOAD_MAX ? HV_MESSAGE_PAYLOAD_MAX : size);
	queues[sint].len++;
	sim.messages_posted++;
	sim_synic_deliver();
}

void sim_signal_guest(unsigned sint, unsigned flag)
{
	uint8_t *f;

	if (!(sim.siefp & HV_MSR_ENABLE))
		return;
	f = sim_gpa((sim.siefp & ~0xfffull) + sint * HV_EVENT_FLAGS_BYTES + flag / 8, 1);
	__atomic_fetch_or(f, (uint8_t)(1u << (flag % 8)), __ATOMIC_SEQ_CST);
	sim_raise_sint(sint);
}

/* vpbus: AP @vp's SynIC register @msr, read as that VP would (hyperv/vp.c keeps them) */
static uint64_t ap_synic_reg(unsigned vp, uint32_t msr)
{
	unsigned was = sim_cur_vp;
	uint64_t v = 0;
	int r;

	sim_cur_vp = vp;
	if (!sim_vp_msr(msr, &v, false, &r) || r)
		v = 0;
	sim_cur_vp = was;
	return v;
}

void sim_signal_guest_vp(unsigned vp, unsigned sint, unsigned flag)
{
	uint64_t siefp, s;
	uint8_t *f;

	if (!vp || vp >= sim_vps) {
		sim_signal_guest(sint, flag);
		return;
	}
	siefp = ap_synic_reg(vp, HV_MSR_SIEFP);
	if (!(siefp & HV_MSR_ENABLE))
		return;
	f = sim_gpa((siefp & ~0xfffull) + sint * HV_EVENT_FLAGS_BYTES + flag / 8, 1);
	if (!f)
		return;
	__atomic_fetch_or(f, (uint8_t)(1u << (flag % 8)), __ATOMIC_SEQ_CST);
	s = ap_synic_reg(vp, HV_MSR_SINT0 + sint);
	if (!(ap_synic_reg(vp, HV_MSR_SCONTROL) & HV_SCONTROL_ENABLE) || (s & HV_SINT_MASKED) ||
	    sim_mb_fire(MB_SIGNAL_AP_NO_IRQ))
		return;
	sim.irqs_injected++;
	sim_vp_interrupt(vp, s & HV_SINT_VECTOR_MASK);
}

/* ---- synthetic timers (TLFS §12.5): one-shot, periodic, message or direct mode ---- */

static uint64_t stimer_generation[4];
static uint64_t stimer_exp[4]; /* the next expiration, 100 ns reference time */

static void stimer_message(unsigned t, uint64_t exp)
{
	struct hv_timer_message m = { 0 };

	m.timer_index = t;
	m.expiration_time = exp;
	m.delivery_time = sim.now_ns / 100;
	sim_post_to_guest((sim.stimer_config[t] >> HV_STIMER_SINT_SHIFT) & 0xf,
			  HV_MESSAGE_TYPE_TIMER_EXPIRED, &m, sizeof(m));
}

/* MB_ONESHOT_TWICE: the same expiry once more */
static void stimer_again(uint64_t arg)
{
	stimer_message(arg & 3, arg >> 2);
}

static void stimer_fire(uint64_t arg)
{
	unsigned t = arg & 3;
	uint64_t cfg = sim.stimer_config[t], exp = stimer_exp[t], period = sim.stimer_count[t];

	if (arg >> 2 != stimer_generation[t] || !(cfg & HV_STIMER_ENABLE))
		return; /* reprogrammed or disabled since */
	/* KVM stimer_expiration(): direct mode raises the vector, no message */
	if ((cfg & HV_STIMER_DIRECT_MODE) && !sim_mb_fire(MB_DIRECT_SENDS_MESSAGE))
		sim.irq_pending[(cfg >> HV_STIMER_VECTOR_SHIFT) & 0xff] = true;
	else
		stimer_message(t, exp);
	if (!(cfg & HV_STIMER_PERIODIC)) {
		sim.stimer_config[t] &= ~HV_STIMER_ENABLE; /* one-shot */
		if (sim_mb_fire(MB_ONESHOT_TWICE))
			sim_at(sim.now_ns + 1000000, stimer_again, exp << 2 | t);
		return;
	}
	/* periodic: the next whole period, missed ones skipped (KVM stimer_start()) */
	exp += sim_mb_fire(MB_PERIODIC_DRIFT) ? period + period / 10 : period;
	while (exp * 100 <= sim.now_ns)
		exp += period;
	stimer_exp[t] = exp;
	sim_at(exp * 100, stimer_fire, arg);
}

void sim_stimer_update(unsigned t)
{
	uint64_t cfg = sim.stimer_config[t];

	stimer_generation[t]++;
	if (!(cfg & HV_STIMER_ENABLE) || !sim.stimer_count[t] || sim_mb_fire(MB_TIMER_SILENT))
		return;
	/* Count is an absolute time for one-shot timers, the period for periodic ones (TLFS §12.5.2) */
	stimer_exp[t] = cfg & HV_STIMER_PERIODIC ? sim.now_ns / 100 + sim.stimer_count[t] : sim.stimer_count[t];
	sim_at(stimer_exp[t] * 100, stimer_fire, (stimer_generation[t] << 2) | t);
}
