/*
 * hvsim's synthetic keyboard and SynthHID mouse hosts, written from OpenVMM's
 * uidevices and Linux hyperv-keyboard.c / hid-hyperv.c, not from the guest.  The guest speaks first:
 *   keyboard  PROTOCOL_REQUEST 1.0 -> PROTOCOL_RESPONSE (accepted), then
 *             the scenario's keystrokes ("key =") at their times
 *   mouse     PROTOCOL_REQUEST 2.0 -> PROTOCOL_RESPONSE, INITIAL_DEVICE_INFO
 *             (OpenVMM's attributes and report descriptor), the guest's
 *             ACK, then the scenario's input reports ("pointer =")
 * A request that asks for a completion gets one (type 0xB, empty), as
 * Hyper-V's do (Linux's drivers ask for them and ignore them).  Guest
 * mistakes go to stderr and are counted.
 * Misbehaviours: keyboard_refuse (the response refuses 1.0),
 * mouse_report_too_large (an input report claiming 64 bytes, 7 sent).
 * Quirks: hid_size_field (OpenVMM's DEVICE_INFO: 169 bytes, size 108),
 * hid_sa167 (byte 14 of the report descriptor is 0x25, as Hyper-V's),
 * input_no_completions (no completions at all, as OpenVMM).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "drivers/input/input_regs.h"
#include "tools/hvsim/hvsim.h"
#include "tools/hvsim/vmbus/input_dm.h"

#define NS_PER_S 1000000000ull
#define MAX_EVENTS_CFG 64
#define TOO_LARGE_SIZE 64                 /* mouse_report_too_large: what the header claims */
#define MOUSE_REPORT_LEN 7                /* buttons, X, Y, wheel (OpenVMM MousePacket) */

/* OpenVMM's mouse: 5 buttons, X and Y absolute 0..32767, a relative wheel */
static const uint8_t report_descriptor[] = {
	0x05, 0x01, 0x09, 0x02, 0xa1, 0x01, 0x09, 0x01, 0xa1, 0x00, 0x05, 0x09, 0x19, 0x01,
	0x29, 0x05, 0x15, 0x00, 0x25, 0x01, 0x95, 0x05, 0x75, 0x01, 0x81, 0x02, 0x95, 0x01,
	0x75, 0x03, 0x81, 0x01, 0x05, 0x01, 0x09, 0x30, 0x09, 0x31, 0x15, 0x00, 0x26, 0xff,
	0x7f, 0x75, 0x10, 0x95, 0x02, 0x81, 0x02, 0x05, 0x01, 0x09, 0x38, 0x16, 0x01, 0x80,
	0x26, 0xff, 0x7f, 0x75, 0x10, 0x95, 0x01, 0x81, 0x06, 0xc0, 0xc0,
};
_Static_assert(sizeof(report_descriptor) == 67, "OpenVMM's report descriptor is 67 bytes");

/* The scenario's events, in file order (times ascending is the author's job). */
static struct {
	struct {
		uint64_t at_ns;
		uint16_t code;
		uint32_t info;
	} keys[MAX_EVENTS_CFG];
	unsigned nkeys;
	struct {
		uint64_t at_ns;
		uint16_t x, y;
		uint8_t buttons;
	} pointers[MAX_EVENTS_CFG];
	unsigned npointers;
} cfg;

/* The host side of one input channel (one keyboard and one mouse at a time). */
struct input_host {
	const char *name;
	struct sim_channel *ch;
	uint64_t generation;       /* timers armed for an older open are ignored */
	bool answered, accepted;   /* responded to the request, accepting it */
	bool active;               /* events may flow (until the channel closes) */
	bool info_sent, acked;     /* mouse */
	unsigned next;             /* the next scenario event to send */
	uint64_t sent, requests, leds, errors;
};

static struct input_host kh = { .name = "keyboard" }, mh = { .name = "mouse" };
static uint64_t generations;

/* A guest protocol error on @h's channel: logged, counted for the report. */
#define guest_error(h, ...) sim_vmbus_channel_error((h)->ch, (h)->name, &(h)->errors, __VA_ARGS__)

/* A request that asked for a completion gets an empty one (none under input_no_completions). */
static void complete(struct input_host *h, const struct vmbus_packet *pkt)
{
	if ((pkt->flags & VMBUS_PKT_FLAG_COMPLETION_REQUESTED) && pkt->transaction_id &&
	    !sim_quirk[QUIRK_INPUT_NO_COMPLETIONS])
		sim_channel_send(h->ch, VMBUS_PKT_COMPLETION, pkt->transaction_id, NULL, 0);
}

/* ---- events at the scenario's times ---- */

static void send_due(uint64_t arg);

/* Arm the timer for @h's next event (@due_ns), tagged with its generation. */
static void arm(struct input_host *h, uint64_t due_ns)
{
	sim_at(due_ns > sim.now_ns ? due_ns : sim.now_ns, send_due,
	       h->generation << 1 | (h == &mh));
}

/* One keystroke to the guest. */
static void send_key(unsigned i)
{
	struct kbd_event e = { KBD_MSG_EVENT, cfg.keys[i].code, 0, cfg.keys[i].info };

	if (sim_channel_send(kh.ch, VMBUS_PKT_DATA_INBAND, 0, &e, sizeof(e)) >= 0)
		kh.sent++;
}

/* One SynthHID message of @type with @body (@claim: the size the header says). */
static int send_hid(uint32_t type, const void *body, uint32_t len, uint32_t claim)
{
	uint8_t buf[HID_HEADERS + 256];
	struct hid_pipe_header pipe = { HID_PIPE_DATA, (uint32_t)sizeof(struct hid_msg_header) + len };
	struct hid_msg_header m = { type, claim };

	memcpy(buf, &pipe, sizeof(pipe));
	memcpy(buf + sizeof(pipe), &m, sizeof(m));
	memcpy(buf + HID_HEADERS, body, len);
	return sim_channel_send(mh.ch, VMBUS_PKT_DATA_INBAND, 0, buf, (uint32_t)HID_HEADERS + len);
}

/* One input report: buttons, X, Y, wheel 0, little-endian (OpenVMM MousePacket). */
static void send_pointer(unsigned i, uint32_t claim)
{
	uint8_t r[MOUSE_REPORT_LEN] = { cfg.pointers[i].buttons, (uint8_t)cfg.pointers[i].x,
					(uint8_t)(cfg.pointers[i].x >> 8), (uint8_t)cfg.pointers[i].y,
					(uint8_t)(cfg.pointers[i].y >> 8), 0, 0 };

	if (send_hid(HID_MSG_INPUT_REPORT, r, sizeof(r), claim) >= 0)
		mh.sent++;
}

/* Timer: send every event of the device that is due, arm for the next. */
static void send_due(uint64_t arg)
{
	struct input_host *h = arg & 1 ? &mh : &kh;
	unsigned n = h == &mh ? cfg.npointers : cfg.nkeys;

	if (!h->ch || !h->active || h->generation != arg >> 1)
		return;
	for (; h->next < n; h->next++) {
		uint64_t at = h == &mh ? cfg.pointers[h->next].at_ns : cfg.keys[h->next].at_ns;

		if (at > sim.now_ns) {
			arm(h, at);
			return;
		}
		if (h == &mh)
			send_pointer(h->next, MOUSE_REPORT_LEN);
		else
			send_key(h->next);
	}
}

/* The device is ready for input: start the scenario's events. */
static void activate(struct input_host *h)
{
	h->active = true;
	sim_vmbus_trace("%s: active", h->name);
	arm(h, 0);
}

/* ---- keyboard ---- */

/* The keyboard channel opened: wait for the guest's PROTOCOL_REQUEST. */
void sim_kbd_open(struct sim_channel *ch)
{
	if (kh.ch && kh.ch != ch)
		fprintf(stderr, "hvsim: keyboard: relid %u opened while relid %u is open: served instead\n",
			ch->relid, kh.ch->relid);
	memset(&kh, 0, sizeof(kh));
	kh.name = "keyboard";
	kh.ch = ch;
	kh.generation = ++generations;
	ch->priv = &kh;
}

/* A packet from the guest: PROTOCOL_REQUEST (answered) or SET_LED_INDICATORS (counted). */
void sim_kbd_packet(struct sim_channel *ch, const struct vmbus_packet *pkt, const void *payload,
		    uint32_t len)
{
	struct kbd_protocol_request req;
	struct kbd_protocol_response resp = { KBD_MSG_PROTOCOL_RESPONSE, KBD_PROTOCOL_ACCEPTED };
	uint32_t type;

	if (ch != kh.ch)
		return;
	if (pkt->type != VMBUS_PKT_DATA_INBAND || len < sizeof(type)) {
		guest_error(&kh, "packet type %u with %u payload bytes: ignored", pkt->type, len);
		return;
	}
	memcpy(&type, payload, sizeof(type));
	if (type == KBD_MSG_SET_LED_INDICATORS && len >= 8) {
		kh.leds++;
		return;
	}
	if (type != KBD_MSG_PROTOCOL_REQUEST || len < sizeof(req)) {
		/* OpenVMM: an unexpected message ends the channel's service */
		guest_error(&kh, "message type %u of %u bytes: not a request the keyboard takes", type, len);
		return;
	}
	memcpy(&req, payload, sizeof(req));
	kh.requests++;
	if (kh.answered)
		guest_error(&kh, "a second PROTOCOL_REQUEST (version 0x%08x)", req.version);
	if (req.version != KBD_VERSION_1_0)
		resp.status = 0;
	if (sim_mb_fire(MB_KEYBOARD_REFUSE)) {
		fprintf(stderr, "hvsim: keyboard: misbehaving (keyboard_refuse): version 0x%08x refused\n",
			req.version);
		resp.status = 0;
	}
	sim_channel_send(ch, VMBUS_PKT_DATA_INBAND, 0, &resp, sizeof(resp));
	complete(&kh, pkt);
	kh.answered = true;
	kh.accepted = resp.status != 0;
	if (kh.accepted && !kh.active)
		activate(&kh);
}

/* @h's channel @ch closed: no more events (its pending timer is disarmed by the new generation). */
static void input_close(struct input_host *h, const struct sim_channel *ch)
{
	if (ch == h->ch) {
		h->active = false;
		h->generation = ++generations;
	}
}

/* Closed: no more keystrokes. */
void sim_kbd_close(struct sim_channel *ch)
{
	input_close(&kh, ch);
}

/* The keyboard's line at power off. */
void sim_kbd_report(const struct sim_channel *ch)
{
	if (ch != kh.ch)
		return;
	fprintf(stderr, "hvsim: keyboard: %s; %llu of %u keystrokes sent, %llu LED messages, %llu guest errors\n",
		kh.accepted ? "protocol 1.0 accepted" : kh.answered ? "protocol refused" : "no PROTOCOL_REQUEST",
		(unsigned long long)kh.sent, cfg.nkeys, (unsigned long long)kh.leds,
		(unsigned long long)kh.errors);
}

/* ---- mouse ---- */

#define OVMM_RD_SPACE 128  /* OpenVMM's MessageDeviceInfo: the descriptor in a 128-byte array */
#define SA167_AT 14        /* Hyper-V's descriptor: Logical Maximum where Usage Maximum belongs */

/*
 * INITIAL_DEVICE_INFO: attributes, HID descriptor, report descriptor
 * (OpenVMM's values).  hid_size_field sends it as OpenVMM does: the whole
 * 169-byte struct, the header's size counting only the 67 descriptor bytes.
 */
static void send_device_info(void)
{
	uint8_t body[sizeof(struct hid_device_info) + OVMM_RD_SPACE] = { 0 };
	struct hid_device_info info = {
		{ sizeof(struct hid_attributes), 0x045e, 0x0621, 0x0001, { 0 } },
		{ sizeof(struct hid_class_descriptor), 0x21, 0x0101, 0, 1, 0x22, sizeof(report_descriptor) },
	};
	uint32_t len = (uint32_t)(sizeof(info) + sizeof(report_descriptor));

	memcpy(body, &info, sizeof(info));
	memcpy(body + sizeof(info), report_descriptor, sizeof(report_descriptor));
	if (sim_quirk[QUIRK_HID_SA167])
		body[sizeof(info) + SA167_AT] = 0x25;
	if (sim_quirk[QUIRK_HID_SIZE_FIELD])
		send_hid(HID_MSG_DEVICE_INFO, body, sizeof(body), len);
	else
		send_hid(HID_MSG_DEVICE_INFO, body, len, len);
	mh.info_sent = true;
}

/* The mouse channel opened: wait for the guest's PROTOCOL_REQUEST. */
void sim_mouse_open(struct sim_channel *ch)
{
	if (mh.ch && mh.ch != ch)
		fprintf(stderr, "hvsim: mouse: relid %u opened while relid %u is open: served instead\n",
			ch->relid, mh.ch->relid);
	memset(&mh, 0, sizeof(mh));
	mh.name = "mouse";
	mh.ch = ch;
	mh.generation = ++generations;
	ch->priv = &mh;
}

/* The guest's ACK: input may flow (and, misbehaving, one report too large for its packet). */
static void on_ack(void)
{
	mh.acked = true;
	if (cfg.npointers && sim_mb_fire(MB_MOUSE_REPORT_TOO_LARGE)) {
		fprintf(stderr, "hvsim: mouse: misbehaving (mouse_report_too_large): a report claiming %u bytes, %u sent\n",
			TOO_LARGE_SIZE, MOUSE_REPORT_LEN);
		send_pointer(0, TOO_LARGE_SIZE);
	}
	activate(&mh);
}

/* A packet from the guest: PROTOCOL_REQUEST or INITIAL_DEVICE_INFO_ACK, in that order. */
void sim_mouse_packet(struct sim_channel *ch, const struct vmbus_packet *pkt, const void *payload,
		      uint32_t len)
{
	struct hid_pipe_header pipe;
	struct hid_msg_header m;
	const uint8_t *body = (const uint8_t *)payload + HID_HEADERS;

	if (ch != mh.ch)
		return;
	if (pkt->type != VMBUS_PKT_DATA_INBAND || len < HID_HEADERS) {
		guest_error(&mh, "packet type %u with %u payload bytes: ignored", pkt->type, len);
		return;
	}
	memcpy(&pipe, payload, sizeof(pipe));
	memcpy(&m, (const uint8_t *)payload + sizeof(pipe), sizeof(m));
	if (pipe.type != HID_PIPE_DATA || pipe.size != sizeof(m) + m.size || pipe.size > len - sizeof(pipe)) {
		guest_error(&mh, "pipe header type %u size %u, SynthHID size %u, in %u bytes: ignored",
			    pipe.type, pipe.size, m.size, len);
		return;
	}
	if (m.type == HID_MSG_PROTOCOL_REQUEST && m.size >= 4) {
		struct hid_protocol_response r = { 0, 0 };

		memcpy(&r.version, body, sizeof(r.version));
		r.approved = r.version == HID_VERSION_2_0;
		if (mh.answered)
			guest_error(&mh, "a second PROTOCOL_REQUEST");
		mh.requests++;
		mh.answered = true;
		send_hid(HID_MSG_PROTOCOL_RESPONSE, &r, sizeof(r), sizeof(r));
		complete(&mh, pkt);
		if (r.approved && !mh.info_sent)
			send_device_info();
	} else if (m.type == HID_MSG_DEVICE_INFO_ACK && m.size >= 1) {
		complete(&mh, pkt);
		if (!mh.info_sent || mh.acked)
			guest_error(&mh, "an INITIAL_DEVICE_INFO_ACK %s", mh.acked ? "again" : "before the device info");
		else
			on_ack();
	} else {
		/* OpenVMM: anything else, at any time, is out of order */
		guest_error(&mh, "SynthHID message type %u of %u bytes: out of order", m.type, m.size);
	}
}

/* Closed: no more input reports. */
void sim_mouse_close(struct sim_channel *ch)
{
	input_close(&mh, ch);
}

/* The mouse's line at power off. */
void sim_mouse_report(const struct sim_channel *ch)
{
	if (ch != mh.ch)
		return;
	fprintf(stderr, "hvsim: mouse: %s; %llu of %u input reports sent, %llu guest errors\n",
		mh.acked ? "device info acknowledged" : mh.info_sent ? "device info never acknowledged"
		: mh.answered ? "protocol refused" : "no PROTOCOL_REQUEST",
		(unsigned long long)mh.sent, cfg.npointers, (unsigned long long)mh.errors);
}

/* ---- scenario keys ---- */

/* "2.5" seconds -> ns; exits on anything else. */
uint64_t sim_seconds(const char *key, const char *s)
{
	char *end;
	double v = strtod(s, &end);

	if (end == s || *end || !(v >= 0 && v <= 86400)) {
		fprintf(stderr, "hvprobe-sim: bad SECONDS for %s: %s\n", key, s);
		exit(2);
	}
	return (uint64_t)(v * NS_PER_S);
}

/* A number up to @max, decimal or 0x; exits on anything else. */
unsigned long sim_number(const char *key, const char *s, unsigned long max)
{
	char *end;
	unsigned long v = s ? strtoul(s, &end, 0) : 0;

	if (!s || !*s || *end || *s == '-' || v > max) {
		fprintf(stderr, "hvprobe-sim: bad number for %s: %s\n", key, s ? s : "(missing)");
		exit(2);
	}
	return v;
}

/* "key = SECONDS CODE [release] [e0] [e1] [unicode]" */
static void add_key(char *val)
{
	char *save = NULL, *t = strtok_r(val, " \t", &save), *code = strtok_r(NULL, " \t", &save);
	unsigned i = cfg.nkeys;

	if (i == MAX_EVENTS_CFG || !t) {
		fprintf(stderr, "hvprobe-sim: key: SECONDS CODE [release] [e0] [e1] [unicode] (at most %u)\n",
			MAX_EVENTS_CFG);
		exit(2);
	}
	cfg.keys[i].at_ns = sim_seconds("key", t);
	cfg.keys[i].code = (uint16_t)sim_number("key code", code, 0xffff);
	while ((t = strtok_r(NULL, " \t", &save))) {
		static const struct {
			const char *name;
			uint32_t info;
		} flags[] = { { "release", KBD_INFO_BREAK }, { "e0", KBD_INFO_E0 },
			      { "e1", KBD_INFO_E1 }, { "unicode", KBD_INFO_UNICODE } };
		unsigned f = 0;

		while (f < 4 && strcmp(t, flags[f].name))
			f++;
		if (f == 4) {
			fprintf(stderr, "hvprobe-sim: bad key flag: %s\n", t);
			exit(2);
		}
		cfg.keys[i].info |= flags[f].info;
	}
	if (!(cfg.keys[i].info & KBD_INFO_UNICODE) && cfg.keys[i].code > 0x7f) {
		fprintf(stderr, "hvprobe-sim: key: a scan code is 0..0x7f (release is a flag)\n");
		exit(2);
	}
	cfg.nkeys++;
}

/* "pointer = SECONDS X Y BUTTONS" */
static void add_pointer(char *val)
{
	char *save = NULL, *t = strtok_r(val, " \t", &save);
	unsigned i = cfg.npointers;

	if (i == MAX_EVENTS_CFG || !t) {
		fprintf(stderr, "hvprobe-sim: pointer: SECONDS X Y BUTTONS (at most %u)\n", MAX_EVENTS_CFG);
		exit(2);
	}
	cfg.pointers[i].at_ns = sim_seconds("pointer", t);
	cfg.pointers[i].x = (uint16_t)sim_number("pointer X", strtok_r(NULL, " \t", &save), 32767);
	cfg.pointers[i].y = (uint16_t)sim_number("pointer Y", strtok_r(NULL, " \t", &save), 32767);
	cfg.pointers[i].buttons = (uint8_t)sim_number("pointer BUTTONS", strtok_r(NULL, " \t", &save), 0x1f);
	cfg.npointers++;
}

/* Scenario keys of the input and DM hosts (input_dm.h). */
int sim_input_dm_key(const char *key, char *val)
{
	if (!strcmp(key, "key"))
		add_key(val);
	else if (!strcmp(key, "pointer"))
		add_pointer(val);
	else
		return sim_dm_key(key, val);
	return 1;
}
