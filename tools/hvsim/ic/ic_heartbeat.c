/*
 * hvsim's heartbeat host (Linux hv_util.c, OpenVMM heartbeat.rs), an IC
 * service on the ic_host.c framework: a request every 2 s (virtual), the
 * answer = sequence + 1.  The heartbeat channel also carries the IC
 * one-off messages of misbehaviours (ic_short_message, ic_unknown_type)
 * and of the ic_size_too_large quirk, and the ic_back_to_back and
 * ic_loose_framing quirks.
 */
#include <stdio.h>
#include <string.h>

#include "tools/hvsim/hvsim.h"
#include "tools/hvsim/ic/ic_host.h"

#define HEARTBEAT_PERIOD_NS (2 * SIM_IC_NS_PER_S) /* Linux: "every two seconds" */
#define HEARTBEATS_BEFORE_STOP 3              /* heartbeat_stops */
#define UNKNOWN_MSGTYPE 42                    /* ic_unknown_type */
#define BACK_TO_BACK_EVERY 5                  /* ic_back_to_back: every 5th beat is doubled */
#define SHORT_MESSAGE_LEN 16                  /* ic_short_message: the pipe header, half an IC header */
#define TOO_LARGE_MSGSIZE 512                 /* ic_size_too_large: what the IC header claims */
#define OPENVMM_HEARTBEAT_LEN 16              /* OpenVMM HeartbeatMessage */

/* The heartbeat channel's state (ic_host.h: one struct per service). */
static struct {
	const struct ic_host *h;
	unsigned extra;            /* the misbehaviours' one-off messages sent so far */
	bool due;
	uint64_t seq, beats, beats_ok;
} hbs;

/* The channel opened: start afresh. */
static void hb_open(struct ic_host *h)
{
	memset(&hbs, 0, sizeof(hbs));
	hbs.h = h;
}

/* ic_short_message, ic_size_too_large (a quirk), ic_unknown_type: each once, before the first beat. */
static bool hb_send_extra(struct ic_host *h)
{
	uint8_t buf[SIM_IC_MSG_MAX];
	struct ic_heartbeat hb = { 0 };
	uint32_t len;

	switch (hbs.extra++) {
	case 0:
		if (!sim_mb_fire(MB_IC_SHORT_MESSAGE))
			return false;
		sim_ic_misbehaving(h, MB_IC_SHORT_MESSAGE, "a 16-byte message (the pipe and IC headers are 28)");
		/* a heartbeat request cut off inside the IC header, its pipe header agreeing */
		sim_ic_build(h, buf, IC_MSG_HEARTBEAT, IC_FLAG_TRANSACTION | IC_FLAG_REQUEST, &hb, 0);
		((struct ic_pipe_header *)buf)->msgsize = SHORT_MESSAGE_LEN - sizeof(struct ic_pipe_header);
		sim_ic_send_raw(h, buf, SHORT_MESSAGE_LEN, IC_MSG_HEARTBEAT, 0, false);
		return false;
	case 1:
		if (!sim_quirk_fire(QUIRK_IC_SIZE_TOO_LARGE))
			return false;
		sim_ic_quirk(h, QUIRK_IC_SIZE_TOO_LARGE, "a heartbeat whose IC header claims 512 data bytes, 40 sent");
		/* Linux answers it from the packet length (hv_util.c): a request, answered with 1 */
		len = sim_ic_build(h, buf, IC_MSG_HEARTBEAT, IC_FLAG_TRANSACTION | IC_FLAG_REQUEST, &hb, sizeof(hb));
		((struct ic_msg_header *)(buf + sizeof(struct ic_pipe_header)))->msgsize = TOO_LARGE_MSGSIZE;
		return sim_ic_send_raw(h, buf, len, IC_MSG_HEARTBEAT, 0, true);
	case 2:
		if (!sim_mb_fire(MB_IC_UNKNOWN_TYPE))
			return false;
		sim_ic_misbehaving(h, MB_IC_UNKNOWN_TYPE, "a request with icmsgtype 42 on the heartbeat channel");
		return sim_ic_send(h, UNKNOWN_MSGTYPE, &hb, sizeof(hb), 0);
	default:
		return false;
	}
}

/*
 * The heartbeat data's size: Linux's heartbeat_msg_data (sequence and 8
 * reserved u32s, 40 bytes); under the openvmm profile OpenVMM's
 * hyperv_ic_protocol heartbeat.rs HeartbeatMessage (sequence, application
 * state, 4 reserved bytes: 16), the crate's layout (hyperv_ic has no
 * heartbeat host of its own).
 */
static uint16_t hb_len(const struct ic_host *h)
{
	return sim_ic_openvmm() ? OPENVMM_HEARTBEAT_LEN : sizeof(struct ic_heartbeat);
}

/* One beat: sequence n, as a request (or, misbehaving, flagged as a response). */
static void hb_send_beat(struct ic_host *h)
{
	struct ic_heartbeat hb = { hbs.seq, { 0 } };
	uint8_t buf[SIM_IC_MSG_MAX];

	hbs.beats++;
	if (sim_mb_fire(MB_IC_RESPONSE_NOT_REQUEST)) {
		if (hbs.beats == 1)
			sim_ic_misbehaving(h, MB_IC_RESPONSE_NOT_REQUEST,
				    "heartbeats flagged TRANSACTION|RESPONSE instead of REQUEST");
		sim_ic_send_raw(h, buf, sim_ic_build(h, buf, IC_MSG_HEARTBEAT, IC_FLAG_TRANSACTION | IC_FLAG_RESPONSE, &hb,
				       hb_len(h)), IC_MSG_HEARTBEAT, hbs.seq, false);
	} else if (sim_quirk[QUIRK_IC_LOOSE_FRAMING]) {
		/* pipe type 0 and an IC msgsize counting only the sequence: Linux reads neither */
		uint32_t len = sim_ic_build(h, buf, IC_MSG_HEARTBEAT, IC_FLAG_TRANSACTION | IC_FLAG_REQUEST, &hb,
				     hb_len(h));

		((struct ic_pipe_header *)buf)->flags = 0;
		((struct ic_msg_header *)(buf + sizeof(struct ic_pipe_header)))->msgsize = sizeof(hb.sequence);
		sim_ic_send_raw(h, buf, len, IC_MSG_HEARTBEAT, hbs.seq, true);
	} else {
		sim_ic_send(h, IC_MSG_HEARTBEAT, &hb, hb_len(h), hbs.seq);
	}
	hbs.seq++;
}

/* heartbeat_stops: the third beat was the last. */
static bool hb_stopped(const struct ic_host *h)
{
	return hbs.beats >= HEARTBEATS_BEFORE_STOP && sim_mb_fire(MB_HEARTBEAT_STOPS);
}

/* The one-off misbehaviour messages first, then a beat when one is due. */
static void hb_pump(struct ic_host *h)
{
	while (hbs.extra < 3)
		if (hb_send_extra(h))
			return; /* a request: the beats wait for its answer */
	if (sim_ic_busy(h) || !hbs.due || hb_stopped(h))
		return;
	hbs.due = false;
	hb_send_beat(h);
	/* ic_back_to_back: every 5th beat is followed at once by the next (Linux loops over them) */
	if (sim_quirk[QUIRK_IC_BACK_TO_BACK] && hbs.beats % BACK_TO_BACK_EVERY == 2) {
		if (hbs.beats == 2)
			fprintf(stderr, "hvsim: ic: heartbeat: quirk ic_back_to_back: every %u beats, a second one before the first's answer was read\n",
				BACK_TO_BACK_EVERY);
		hb_send_beat(h);
	}
	if (hb_stopped(h))
		sim_ic_misbehaving(h, MB_HEARTBEAT_STOPS, "no heartbeats after the third");
}

/* Every 2 s: a beat is due (the last one should have been answered by now). */
static void hb_tick(uint64_t arg)
{
	struct ic_host *h = sim_ic_timer_host(arg);

	if (!h || hb_stopped(h))
		return;
	if (sim_ic_busy(h) && sim_ic_first_late(h))
		sim_ic_guest_error(h, "a request is still unanswered after 2 s: this beat waits");
	hbs.due = true;
	hb_pump(h);
	sim_at(sim.now_ns + HEARTBEAT_PERIOD_NS, hb_tick, arg);
}

/* Negotiated: the first beat now, then one every 2 s. */
static void hb_start(struct ic_host *h)
{
	hbs.due = true;
	hb_pump(h);
	sim_at(sim.now_ns + HEARTBEAT_PERIOD_NS, hb_tick, sim_ic_timer_arg(h));
}

/* The answer to a beat: S_OK and sequence + 1. */
static void hb_answer(struct ic_host *h, const struct txn *t, const struct ic_msg_header *m,
		      const uint8_t *data, uint32_t len)
{
	uint64_t seq;

	if (m->status != IC_S_OK)
		sim_ic_guest_error(h, "heartbeat %llu answered with status 0x%08x", (unsigned long long)sim_ic_txn_value(t),
			    m->status);
	if (len < sizeof(seq)) {
		sim_ic_guest_error(h, "heartbeat %llu answered with %u data bytes (no sequence)",
			    (unsigned long long)sim_ic_txn_value(t), len);
		return;
	}
	memcpy(&seq, data, sizeof(seq));
	if (seq != sim_ic_txn_value(t) + 1)
		sim_ic_guest_error(h, "heartbeat %llu answered with sequence %llu (want %llu)",
			    (unsigned long long)sim_ic_txn_value(t), (unsigned long long)seq,
			    (unsigned long long)sim_ic_txn_value(t) + 1);
	else
		hbs.beats_ok++;
}

/* The heartbeat line at power off. */
static void hb_report(const struct ic_host *h)
{
	fprintf(stderr, "hvsim: ic:   heartbeat: %llu beats sent (every 2 s), %llu answered with sequence + 1%s\n",
		(unsigned long long)hbs.beats, (unsigned long long)hbs.beats_ok,
		hb_stopped(h) ? "; stopped after 3 (heartbeat_stops)" : "");
	if (hbs.extra > 2 && sim_mb_fire(MB_IC_UNKNOWN_TYPE)) {
		uint32_t status;
		bool answered = sim_ic_unknown_answer(h, &status);

		fprintf(stderr, "hvsim: ic:   heartbeat: icmsgtype 42 %s%s%s\n",
			answered ? "answered with " : "never answered",
			answered ? sim_ic_status_name(status) : "",
			answered && status ? " (refused, as it should be)" : "");
	}
}

const struct sim_ic_service sim_ic_heartbeat = {
	"heartbeat", IC_MSG_HEARTBEAT, &sim_ic_cfg.heartbeat, hb_start, hb_pump, hb_answer, hb_report, hb_open,
};
