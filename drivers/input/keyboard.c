/*
 * The synthetic keyboard (Linux drivers/input/serio/hyperv-keyboard.c,
 * OpenVMM uidevices keyboard): ask for protocol 1.0,
 * wait for the host's answer, then log each keystroke it sends (set-1 scan
 * code, press or release, E0/E1 prefix, or a UTF-16 unit).  Hyper-V types
 * only when someone uses the VM's console, so no keystroke in the
 * observation window is a skip, not a failure.  Nothing is owed to the
 * host for a keystroke (OpenVMM's host expects only SET_LED_INDICATORS
 * from us, and nothing at all is required).
 *
 * Checks: input.keyboard.version, input.keyboard.event, and
 * input.keyboard.message for a malformed message (once).
 */
#include "drivers/input/input.h"

#include "kernel/cpu.h"
#include "kernel/loop.h"
#include "kernel/policy.h"
#include "lib/log.h"
#include "lib/report.h"
#include "lib/str.h"

#define KBD_TIMEOUT_NS 10000000000ull   /* Linux waits 10 s for the response */
#define KBD_REQUEST_ID 0x6b6264ull      /* "kbd": completion-requested ids are never 0 */
#define MAX_LOGGED 32                   /* keystrokes logged one by one; the rest counted */
#define SCAN_BREAK 0x80                 /* set 1: a key's release is its make code | 0x80 */


static struct {
	struct vmbus_channel *ch;
	bool responded, accepted;
	uint32_t status;
	uint64_t events, releases, completions;
	struct kbd_event first;
	struct input_seen seen;        /* input.keyboard.message */
} kbd;

/* A host error on the keyboard channel: input.keyboard.message, once. */
#define finding(...) input_finding(&kbd.seen, "keyboard", "message", __VA_ARGS__)
#define notice(...) input_notice(&kbd.seen, "keyboard", "message", __VA_ARGS__)

/* One keystroke as the log shows it: "scan 0xe0 0x48 release" or "U+00e9 press". */
static void log_event(const struct kbd_event *e)
{
	const char *edge = e->info & KBD_INFO_BREAK ? "release" : "press";

	if (e->info & KBD_INFO_UNICODE)
		log_printf("hvprobe: keyboard: U+%04x %s\n", e->make_code, edge);
	else
		log_printf("hvprobe: keyboard: scan %s%s0x%02x %s (info 0x%x)\n",
			   e->info & KBD_INFO_E0 ? "0xe0 " : "", e->info & KBD_INFO_E1 ? "0xe1 " : "",
			   (e->make_code & 0xff) | (e->info & KBD_INFO_BREAK ? SCAN_BREAK : 0), edge,
			   e->info);
}

/* A keystroke (EVENT): count it, keep the first, log the first few. */
static void on_event(const uint8_t *p, uint32_t len)
{
	struct kbd_event e;

	if (len < sizeof(e)) { /* Linux hv_kbd_on_receive drops it as illegal */
		finding("a %u-byte keystroke (EVENT is %u bytes)", len, (unsigned)sizeof(e));
		return;
	}
	memcpy(&e, p, sizeof(e));
	if (!kbd.accepted) /* out of order, but Linux hv_kbd_on_receive takes keystrokes at any time */
		notice("a keystroke before the host accepted protocol 1.0");
	if (kbd.events == 0)
		kbd.first = e;
	kbd.events++;
	kbd.releases += (e.info & KBD_INFO_BREAK) != 0;
	if (kbd.events <= MAX_LOGGED)
		log_event(&e);
	else if (kbd.events == MAX_LOGGED + 1)
		log_printf("hvprobe: keyboard: more keystrokes are counted, not logged\n");
}

/* One packet from the host: a completion (ignored), a response or a keystroke. */
static void kbd_packet(struct vmbus_channel *ch, const struct vmbus_packet *pkt,
		       const uint8_t *payload, uint32_t len)
{
	uint32_t type;

	if (ch != kbd.ch)
		return;
	if (pkt->type == VMBUS_PKT_COMPLETION) {
		kbd.completions++; /* of our request: nothing to do (Linux ignores them too) */
		return;
	}
	/* Linux hv_kbd_on_channel_callback drops other packet types and lengths as illegal */
	if (pkt->type != VMBUS_PKT_DATA_INBAND || len < sizeof(type) || len > KBD_MAX_MESSAGE) {
		finding("packet type %u with %u payload bytes (want DATA_INBAND, 4..%u bytes)", pkt->type,
			len, KBD_MAX_MESSAGE);
		return;
	}
	memcpy(&type, payload, sizeof(type));
	if (type == KBD_MSG_PROTOCOL_RESPONSE) {
		struct kbd_protocol_response r;

		if (len < sizeof(r)) { /* Linux hv_kbd_on_receive: an illegal response */
			finding("a %u-byte PROTOCOL_RESPONSE (want %u)", len, (unsigned)sizeof(r));
			return;
		}
		memcpy(&r, payload, sizeof(r));
		if (kbd.responded) /* Linux hv_kbd_on_receive just takes the newer one */
			notice("a second PROTOCOL_RESPONSE (status 0x%x)", r.status);
		kbd.responded = true;
		kbd.status = r.status;
		kbd.accepted = r.status & KBD_PROTOCOL_ACCEPTED;
	} else if (type == KBD_MSG_EVENT) {
		on_event(payload, len);
	} else {
		/* Linux hv_kbd_on_receive logs an unhandled type and goes on */
		notice("message type %u from the host (it sends 2, PROTOCOL_RESPONSE, and 3, EVENT)", type);
	}
}

/* The wait for PROTOCOL_RESPONSE is over: it came, or the channel is gone. */
static bool responded(void *ctx)
{
	return kbd.responded || kbd.ch->broken || kbd.ch->state != CH_OPEN;
}

/* Open: PROTOCOL_REQUEST for 1.0 with a completion requested (Linux), then the answer. */
static void kbd_opened(struct vmbus_channel *ch)
{
	struct kbd_protocol_request req = { KBD_MSG_PROTOCOL_REQUEST, KBD_VERSION_1_0 };

	if (kbd.ch) {
		log_printf("hvprobe: keyboard: relid %u: a second keyboard; not driven\n", ch->relid);
		return;
	}
	input_keyboard_reset(ch, false);
	if (vmbus_send(ch, VMBUS_PKT_DATA_INBAND, VMBUS_PKT_FLAG_COMPLETION_REQUESTED, KBD_REQUEST_ID,
		       &req, sizeof(req))) {
		check("input.keyboard.version", CHECK_FAIL, "relid %u: PROTOCOL_REQUEST could not be sent",
		      ch->relid);
		return;
	}
	loop_wait("the keyboard's PROTOCOL_RESPONSE", responded, NULL, cpu_now_ns() + KBD_TIMEOUT_NS);
	if (!kbd.responded)
		check("input.keyboard.version", CHECK_FAIL, "relid %u: no PROTOCOL_RESPONSE within 10 s%s",
		      ch->relid, ch->state != CH_OPEN || ch->broken ? " (the channel went away)" : "");
	else
		check_that("input.keyboard.version", kbd.accepted, "relid %u: version 1.0 %s (status 0x%x)",
			   ch->relid, kbd.accepted ? "accepted" : "refused", kbd.status);
}

/* End of the run: did a keystroke arrive? */
static void kbd_report(struct vmbus_channel *ch)
{
	const struct kbd_event *e = &kbd.first;

	if (ch != kbd.ch)
		return;
	if (!kbd.accepted && !kbd.events) {
		check("input.keyboard.event", CHECK_SKIP, "no keyboard protocol: no keystrokes expected");
		return;
	}
	if (!kbd.events) {
		check("input.keyboard.event", CHECK_SKIP,
		      "no keystroke within the observation window (the host sends them when someone types)");
		return;
	}
	check("input.keyboard.event", CHECK_PASS,
	      "%llu keystrokes (%llu presses, %llu releases); first: %s 0x%02x%s%s %s",
	      (unsigned long long)kbd.events, (unsigned long long)(kbd.events - kbd.releases),
	      (unsigned long long)kbd.releases, e->info & KBD_INFO_UNICODE ? "UTF-16" : "scan",
	      e->make_code, e->info & KBD_INFO_E0 ? " E0" : "", e->info & KBD_INFO_E1 ? " E1" : "",
	      e->info & KBD_INFO_BREAK ? "release" : "press");
}

/* Not offered: one line says so (the offers check judges whether it had to be). */
static void kbd_absent(const struct vmbus_device *dev)
{
	check_missing("input.keyboard.version", "the host offers no synthetic keyboard");
}

/* Fresh state for @ch (@ready: as if 1.0 was accepted). */
void input_keyboard_reset(struct vmbus_channel *ch, bool ready)
{
	memset(&kbd, 0, sizeof(kbd));
	kbd.ch = ch;
	kbd.responded = kbd.accepted = ready;
}

const struct vmbus_device_ops input_keyboard_ops = {
	.ring_pages = 9, /* 36 KiB each way, control page included (Linux hid-hyperv.c, hyperv-keyboard.c) */
	.opened = kbd_opened,
	.packet = kbd_packet,
	.report = kbd_report,
	.absent = kbd_absent,
};
