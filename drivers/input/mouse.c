/*
 * The synthetic mouse, SynthHID (Linux drivers/hid/hid-hyperv.c, OpenVMM
 * vm/devices/uidevices/src/mouse): ask for protocol 2.0, take the host's device info (HID attributes, HID descriptor, report
 * descriptor), acknowledge it (the host sends no input before the ACK), then
 * log each input report: absolute X and Y, buttons, wheel, read where the
 * report descriptor says they are (hid.c).
 *
 * Checks: input.mouse.version, input.mouse.device_info, input.mouse.event,
 * and input.mouse.message for a malformed message (once), e.g. a report
 * larger than its packet.
 */
#include "drivers/input/input.h"

#include "kernel/cpu.h"
#include "kernel/loop.h"
#include "kernel/policy.h"
#include "lib/log.h"
#include "lib/report.h"
#include "lib/str.h"

#define MOUSE_TIMEOUT_NS 5000000000ull  /* Linux waits 5 s for each answer */
#define MOUSE_REQUEST_ID 0x6d6f7573ull  /* "mous": completion-requested ids are never 0 */
#define MOUSE_ACK_ID 0x61636bull        /* "ack" */
#define MAX_LOGGED 32
#define SA167_AT 14                     /* Hyper-V's descriptor: Logical Maximum (0x25) here ... */
#define SA167_BAD 0x25
#define SA167_GOOD 0x29                 /* ... where the buttons' Usage Maximum belongs */
#define RD_MAX 1024                     /* report descriptors patched in a copy up to this size */


static struct {
	struct vmbus_channel *ch;
	bool responded, approved, info_seen, info_ok, acked;
	uint32_t version;                /* what the response says we asked for */
	struct hid_attributes attr;
	uint16_t bcd_hid, rd_len;
	struct hid_layout layout;
	char info_why[96];
	bool sa167;                      /* the descriptor needed Linux's SA-167 patch */
	uint32_t size_field;             /* DEVICE_INFO's SynthHID size, when it disagreed */
	uint64_t reports, completions;
	int32_t first[4];                /* x, y, buttons, wheel of the first report */
	struct input_seen seen;        /* input.mouse.message */
} ms;

/* A host error on the mouse channel: input.mouse.message, once. */
#define finding(...) input_finding(&ms.seen, "mouse", "message", __VA_ARGS__)
#define notice(...) input_notice(&ms.seen, "mouse", "message", __VA_ARGS__)

/* Send one SynthHID message of @type with @body (pipe and SynthHID headers added). */
static int send_msg(uint32_t type, const void *body, uint32_t body_len, uint64_t id)
{
	uint8_t buf[HID_HEADERS + 8];
	struct hid_pipe_header pipe = { HID_PIPE_DATA, (uint32_t)sizeof(struct hid_msg_header) + body_len };
	struct hid_msg_header h = { type, body_len };

	memcpy(buf, &pipe, sizeof(pipe));
	memcpy(buf + sizeof(pipe), &h, sizeof(h));
	memcpy(buf + HID_HEADERS, body, body_len);
	return vmbus_send(ms.ch, VMBUS_PKT_DATA_INBAND, VMBUS_PKT_FLAG_COMPLETION_REQUESTED, id, buf,
			  (uint32_t)HID_HEADERS + body_len);
}

/*
 * INITIAL_DEVICE_INFO (@len bytes: the pipe's payload, not the SynthHID size
 * field): check its parts, read the report descriptor, acknowledge.
 */
static void on_device_info(const uint8_t *body, uint32_t len)
{
	static uint8_t rd[RD_MAX];
	const uint8_t *desc;
	struct hid_device_info info;
	const char *why = NULL;
	uint8_t ack = 0;
	uint32_t at;

	if (ms.info_seen) { /* Linux mousevsc_on_receive_device_info takes it again (resume) */
		notice("a second INITIAL_DEVICE_INFO: ignored");
		return;
	}
	ms.info_seen = true;
	if (len < sizeof(info)) {
		str_copy(ms.info_why, "shorter than the 41 bytes of HID attributes and descriptor",
			 sizeof(ms.info_why));
		return;
	}
	memcpy(&info, body, sizeof(info));
	ms.attr = info.attributes;
	ms.bcd_hid = info.descriptor.bcd_hid;
	ms.rd_len = info.descriptor.report_length;
	at = (uint32_t)sizeof(info.attributes) + info.descriptor.length; /* Linux: after bLength */
	if (info.descriptor.length < sizeof(info.descriptor) || !ms.rd_len || at > len ||
	    ms.rd_len > len - at) {
		fmt_snprintf(ms.info_why, sizeof(ms.info_why),
			     "HID descriptor of %u bytes, report descriptor of %u: more than the %u-byte message",
			     info.descriptor.length, ms.rd_len, len);
		return;
	}
	/* Hyper-V's descriptor has 0x25 at byte 14 where 0x29 belongs; Linux mousevsc_probe
	 * patches that byte ("workaround SA-167"), so a host may rely on it: patched, warned */
	desc = body + at;
	if (ms.rd_len > SA167_AT && ms.rd_len <= sizeof(rd) && desc[SA167_AT] == SA167_BAD) {
		memcpy(rd, desc, ms.rd_len);
		rd[SA167_AT] = SA167_GOOD;
		desc = rd;
		ms.sa167 = true;
	}
	if (hid_parse_descriptor(desc, ms.rd_len, &ms.layout, &why)) {
		fmt_snprintf(ms.info_why, sizeof(ms.info_why), "report descriptor: %s", why);
		/* still acknowledged: the host waits for the ACK whatever we make of it */
	} else {
		ms.info_ok = true;
	}
	ms.acked = send_msg(HID_MSG_DEVICE_INFO_ACK, &ack, sizeof(ack), MOUSE_ACK_ID) == 0;
}

/* INPUT_REPORT: read the pointer's fields and log the first few. */
static void on_input_report(const uint8_t *r, uint32_t len)
{
	const struct hid_layout *l = &ms.layout;
	int32_t v[4] = { 0, 0, 0, 0 };

	if (!ms.info_ok) { /* Linux mousevsc_on_receive drops reports before init completes */
		notice("an input report before a usable device info was acknowledged: dropped");
		return;
	}
	if (len < hid_report_bytes(l)) /* Linux's HID core zero-fills a short report */
		notice("a %u-byte input report; the report descriptor makes it %u", len,
		       hid_report_bytes(l));
	if (l->report_id && r[0] != l->report_id)
		return; /* another report of the device: not the pointer's */
	hid_field_value(r, len, l, &l->x, 0, &v[0]);
	hid_field_value(r, len, l, &l->y, 0, &v[1]);
	for (unsigned i = 0; i < l->buttons.count && i < 16; i++) {
		int32_t b;

		if (hid_field_value(r, len, l, &l->buttons, i, &b) && b)
			v[2] |= 1 << i;
	}
	hid_field_value(r, len, l, &l->wheel, 0, &v[3]);
	if (ms.reports == 0)
		memcpy(ms.first, v, sizeof(v));
	ms.reports++;
	if (ms.reports <= MAX_LOGGED)
		log_printf("hvprobe: mouse: x %d y %d buttons 0x%x wheel %d\n", v[0], v[1], v[2], v[3]);
	else if (ms.reports == MAX_LOGGED + 1)
		log_printf("hvprobe: mouse: more input reports are counted, not logged\n");
}

/* The bytes a DEVICE_INFO's own lengths cover (attributes, HID and report descriptors). */
static uint32_t device_info_len(const uint8_t *body, uint32_t avail)
{
	struct hid_device_info info;

	if (avail < sizeof(info))
		return avail;
	memcpy(&info, body, sizeof(info));
	return (uint32_t)sizeof(info.attributes) + info.descriptor.length + info.descriptor.report_length;
}

/* One packet from the host: pipe header, SynthHID header, body. */
static void ms_packet(struct vmbus_channel *ch, const struct vmbus_packet *pkt,
		      const uint8_t *payload, uint32_t len)
{
	struct hid_pipe_header pipe;
	struct hid_msg_header h;
	const uint8_t *body;
	uint32_t avail;

	if (ch != ms.ch)
		return;
	if (pkt->type == VMBUS_PKT_COMPLETION) {
		ms.completions++;
		return;
	}
	/* Linux mousevsc_on_channel_callback: other packet types are unhandled */
	if (pkt->type != VMBUS_PKT_DATA_INBAND || len < HID_HEADERS) {
		finding("packet type %u with %u payload bytes (want DATA_INBAND with the 16-byte headers)",
			pkt->type, len);
		return;
	}
	memcpy(&pipe, payload, sizeof(pipe));
	memcpy(&h, payload + sizeof(pipe), sizeof(h));
	body = payload + HID_HEADERS;
	if (pipe.type != HID_PIPE_DATA) { /* Linux mousevsc_on_receive ignores the message */
		notice("pipe header type %u: ignored", pipe.type);
		return;
	}
	/* a pipe size past the packet: Linux mousevsc_on_receive copies by it */
	if (pipe.size < sizeof(h) || pipe.size > len - sizeof(pipe)) {
		finding("pipe header type %u, size %u in a %u-byte packet", pipe.type, pipe.size, len);
		return;
	}
	avail = pipe.size - (uint32_t)sizeof(h);
	switch (h.type) {
	case HID_MSG_PROTOCOL_RESPONSE: {
		struct hid_protocol_response r;

		/* Linux mousevsc_on_receive copies it by the pipe's size, not h.size */
		if (avail < sizeof(r)) {
			finding("a %u-byte PROTOCOL_RESPONSE (want 5)", avail);
			return;
		}
		memcpy(&r, body, sizeof(r));
		ms.responded = true;
		ms.version = r.version;
		ms.approved = r.approved != 0;
		break;
	}
	case HID_MSG_DEVICE_INFO:
		/* Linux mousevsc_on_receive_device_info and FreeBSD hv_hid read it by its own
		 * lengths and ignore h.size (OpenVMM: 108 in a 169-byte message) */
		if (h.size > avail || h.size < device_info_len(body, avail))
			ms.size_field = h.size ? h.size : UINT32_MAX;
		on_device_info(body, avail);
		break;
	case HID_MSG_INPUT_REPORT:
		/* Linux mousevsc_on_receive hands h.size bytes to the HID layer: past the
		 * message, that is memory the host never wrote */
		if (h.size > avail) {
			finding("a message of type %u claims %u bytes; its packet carries %u", h.type, h.size,
				avail);
			return;
		}
		on_input_report(body, h.size);
		break;
	default: /* Linux mousevsc_on_receive logs an unsupported type and goes on */
		notice("message type %u from the host (it sends 1, 2 and 4)", h.type);
	}
}

/* The wait is over: @ctx's flag is set, or the channel is gone. */
static bool arrived(void *ctx)
{
	return *(bool *)ctx || ms.ch->broken || ms.ch->state != CH_OPEN;
}

/* The device-info check, once the wait for it is over. */
static void report_device_info(void)
{
	const struct hid_layout *l = &ms.layout;
	char note[128] = "";

	if (!ms.info_seen) {
		check("input.mouse.device_info", CHECK_FAIL, "no INITIAL_DEVICE_INFO within 5 s");
		return;
	}
	if (!ms.info_ok) {
		check("input.mouse.device_info", CHECK_FAIL, "vendor 0x%04x product 0x%04x: %s%s",
		      ms.attr.vendor, ms.attr.product, ms.info_why, ms.acked ? " (acknowledged)" : "");
		return;
	}
	/* room is short in a reason: the notes are terse, the comments above say why */
	if (ms.sa167)
		fmt_snprintf(note, sizeof(note),
			     "; SA-167: byte 14 read as 0x29");
	else if (ms.size_field)
		fmt_snprintf(note, sizeof(note),
			     "; SynthHID size %u ignored",
			     ms.size_field == UINT32_MAX ? 0 : ms.size_field);
	check("input.mouse.device_info",
	      !ms.acked ? CHECK_FAIL : note[0] ? CHECK_WARN : CHECK_PASS,
	      "vendor 0x%04x product 0x%04x version 0x%04x, HID %x.%02x, %u-byte report descriptor: %u buttons, X/Y %s %u-bit %d..%d%s; %s%s",
	      ms.attr.vendor, ms.attr.product, ms.attr.version, ms.bcd_hid >> 8, ms.bcd_hid & 0xff,
	      ms.rd_len, l->buttons.count, l->x.relative ? "relative" : "absolute", l->x.size, l->x.min,
	      l->x.max, l->wheel.present ? ", wheel" : "",
	      ms.acked ? "acknowledged" : "the acknowledgement could not be sent", note);
}

/* Open: PROTOCOL_REQUEST 2.0, its answer, then the device info (acknowledged on arrival). */
static void ms_opened(struct vmbus_channel *ch)
{
	uint32_t version = HID_VERSION_2_0;

	if (ms.ch) {
		log_printf("hvprobe: mouse: relid %u: a second mouse; not driven\n", ch->relid);
		return;
	}
	input_mouse_reset(ch, false);
	if (send_msg(HID_MSG_PROTOCOL_REQUEST, &version, sizeof(version), MOUSE_REQUEST_ID)) {
		check("input.mouse.version", CHECK_FAIL, "relid %u: PROTOCOL_REQUEST could not be sent",
		      ch->relid);
		return;
	}
	loop_wait("the mouse's PROTOCOL_RESPONSE", arrived, &ms.responded, cpu_now_ns() + MOUSE_TIMEOUT_NS);
	if (!ms.responded) {
		check("input.mouse.version", CHECK_FAIL, "relid %u: no PROTOCOL_RESPONSE within 5 s", ch->relid);
		return;
	}
	if (!check_that("input.mouse.version", ms.approved && ms.version == HID_VERSION_2_0,
			"relid %u: version 2.0 %s (the response names version %u.%u)", ch->relid,
			ms.approved ? "approved" : "refused", ms.version >> 16, ms.version & 0xffff))
		return;
	loop_wait("the mouse's INITIAL_DEVICE_INFO", arrived, &ms.info_seen,
		  cpu_now_ns() + MOUSE_TIMEOUT_NS);
	report_device_info();
}

/* End of the run: did an input report arrive? */
static void ms_report(struct vmbus_channel *ch)
{
	if (ch != ms.ch)
		return;
	if (!ms.info_ok) {
		check("input.mouse.event", CHECK_SKIP, "no usable device info: no input reports expected");
		return;
	}
	if (!ms.reports) {
		check("input.mouse.event", CHECK_SKIP,
		      "no input report within the observation window (the host sends them when the pointer moves)");
		return;
	}
	check("input.mouse.event", CHECK_PASS, "%llu input reports; first: x %d y %d buttons 0x%x wheel %d",
	      (unsigned long long)ms.reports, ms.first[0], ms.first[1], ms.first[2], ms.first[3]);
}

/* Not offered: one line says so. */
static void ms_absent(const struct vmbus_device *dev)
{
	check_missing("input.mouse.version", "the host offers no synthetic mouse");
}

/* Fresh state for @ch (@ready: as if the handshake ended with a usable descriptor). */
void input_mouse_reset(struct vmbus_channel *ch, bool ready)
{
	/* for the fuzz targets: 5 buttons, X and Y absolute 0..32767 (OpenVMM's, wheel left out) */
	static const uint8_t ovmm[] = {
		0x05, 0x01, 0x09, 0x02, 0xa1, 0x01, 0x09, 0x01, 0xa1, 0x00, 0x05, 0x09, 0x19, 0x01,
		0x29, 0x05, 0x15, 0x00, 0x25, 0x01, 0x95, 0x05, 0x75, 0x01, 0x81, 0x02, 0x95, 0x01,
		0x75, 0x03, 0x81, 0x01, 0x05, 0x01, 0x09, 0x30, 0x09, 0x31, 0x15, 0x00, 0x26, 0xff,
		0x7f, 0x75, 0x10, 0x95, 0x02, 0x81, 0x02, 0xc0, 0xc0,
	};
	const char *why;

	memset(&ms, 0, sizeof(ms));
	ms.ch = ch;
	if (ready) {
		ms.responded = ms.approved = ms.info_seen = ms.acked = true;
		ms.info_ok = hid_parse_descriptor(ovmm, sizeof(ovmm), &ms.layout, &why) == 0;
	}
}

const struct vmbus_device_ops input_mouse_ops = {
	.ring_pages = 9, /* 36 KiB each way, control page included (Linux hid-hyperv.c, hyperv-keyboard.c) */
	.opened = ms_opened,
	.packet = ms_packet,
	.report = ms_report,
	.absent = ms_absent,
};
