/*
 * Seeds for the keyboard, mouse and Dynamic Memory targets: what a
 * well-behaved host sends (fuzz_input.h format: a flags byte, then packet
 * records), so the fuzzer starts inside each parser.
 */
#include <stdint.h>
#include <string.h>

#include "drivers/balloon/dm_regs.h"
#include "drivers/input/input_regs.h"
#include "drivers/vmbus/vmbus_regs.h"
#include "tests/fuzz/seeds.h"

#define GIVE_BACK 0xfffe /* fuzz_balloon: give back part of a range the guest gave */

static uint8_t buf[8192];
static size_t pos;

/* Start a seed with @flags. */
static void begin(uint8_t flags)
{
	buf[0] = flags;
	pos = 1;
}

/* One packet record: @type, then @len bytes of @p. */
static void rec(uint16_t type, const void *p, size_t len)
{
	buf[pos++] = (uint8_t)type;
	buf[pos++] = (uint8_t)(type >> 8);
	buf[pos++] = (uint8_t)len;
	buf[pos++] = (uint8_t)(len >> 8);
	memcpy(buf + pos, p, len);
	pos += len;
}

/* A keyboard session: completion, response, five keystrokes; a short keystroke. */
static void keyboard_seeds(void)
{
	struct kbd_protocol_response r = { KBD_MSG_PROTOCOL_RESPONSE, KBD_PROTOCOL_ACCEPTED };
	struct kbd_event e[] = { { KBD_MSG_EVENT, 0x1e, 0, 0 }, { KBD_MSG_EVENT, 0x1e, 0, KBD_INFO_BREAK },
				 { KBD_MSG_EVENT, 0x48, 0, KBD_INFO_E0 }, { KBD_MSG_EVENT, 0x1d, 0, KBD_INFO_E1 },
				 { KBD_MSG_EVENT, 0xe9, 0, KBD_INFO_UNICODE } };

	begin(0);
	rec(VMBUS_PKT_COMPLETION, NULL, 0);
	rec(VMBUS_PKT_DATA_INBAND, &r, sizeof(r));
	for (unsigned i = 0; i < 5; i++)
		rec(VMBUS_PKT_DATA_INBAND, &e[i], sizeof(e[i]));
	seed_put("keyboard", "session", buf, pos);
	begin(1);
	rec(VMBUS_PKT_DATA_INBAND, &e[0], 6);
	seed_put("keyboard", "short-event", buf, pos);
}

/* A SynthHID message record: pipe and SynthHID headers around @body. */
static void hid_rec(uint32_t type, const void *body, uint32_t len, uint32_t claim)
{
	uint8_t m[HID_HEADERS + 256];
	struct hid_pipe_header pipe = { HID_PIPE_DATA, (uint32_t)sizeof(struct hid_msg_header) + len };
	struct hid_msg_header h = { type, claim };

	memcpy(m, &pipe, sizeof(pipe));
	memcpy(m + sizeof(pipe), &h, sizeof(h));
	memcpy(m + HID_HEADERS, body, len);
	rec(VMBUS_PKT_DATA_INBAND, m, HID_HEADERS + len);
}

/* A mouse session: response, device info, a report; reports after the handshake. */
static void mouse_seeds(void)
{
	static const uint8_t rd[] = { /* OpenVMM's descriptor, with the wheel */
		0x05, 0x01, 0x09, 0x02, 0xa1, 0x01, 0x09, 0x01, 0xa1, 0x00, 0x05, 0x09, 0x19, 0x01,
		0x29, 0x05, 0x15, 0x00, 0x25, 0x01, 0x95, 0x05, 0x75, 0x01, 0x81, 0x02, 0x95, 0x01,
		0x75, 0x03, 0x81, 0x01, 0x05, 0x01, 0x09, 0x30, 0x09, 0x31, 0x15, 0x00, 0x26, 0xff,
		0x7f, 0x75, 0x10, 0x95, 0x02, 0x81, 0x02, 0x05, 0x01, 0x09, 0x38, 0x16, 0x01, 0x80,
		0x26, 0xff, 0x7f, 0x75, 0x10, 0x95, 0x01, 0x81, 0x06, 0xc0, 0xc0,
	};
	struct hid_protocol_response r = { HID_VERSION_2_0, 1 };
	struct hid_device_info info = {
		{ sizeof(struct hid_attributes), 0x045e, 0x0621, 1, { 0 } },
		{ sizeof(struct hid_class_descriptor), 0x21, 0x0101, 0, 1, 0x22, sizeof(rd) },
	};
	uint8_t body[sizeof(info) + sizeof(rd)];
	uint8_t report[7] = { 1, 0x00, 0x40, 0x00, 0x20, 0xff, 0xff };

	memcpy(body, &info, sizeof(info));
	memcpy(body + sizeof(info), rd, sizeof(rd));
	begin(0);
	hid_rec(HID_MSG_PROTOCOL_RESPONSE, &r, sizeof(r), sizeof(r));
	hid_rec(HID_MSG_DEVICE_INFO, body, sizeof(body), sizeof(body));
	hid_rec(HID_MSG_INPUT_REPORT, report, sizeof(report), sizeof(report));
	seed_put("mouse", "session", buf, pos);
	begin(1);
	hid_rec(HID_MSG_INPUT_REPORT, report, sizeof(report), sizeof(report));
	hid_rec(HID_MSG_INPUT_REPORT, report, sizeof(report), 64);
	seed_put("mouse", "reports", buf, pos);
}

/* DM: the handshake; balloon, give back, unballoon, hot-add, info; a big request. */
static void balloon_seeds(void)
{
	struct dm_version_response v = { { DM_VERSION_RESPONSE, sizeof(v), 1 }, DM_ACCEPTED };
	struct dm_caps_response c = { { DM_CAPABILITIES_RESPONSE, sizeof(c), 2 }, DM_ACCEPTED };
	struct dm_balloon_request b = { { DM_BALLOON_REQUEST, sizeof(b), 3 }, 300, 0 };
	struct dm_hot_add_request ha = { { DM_HOT_ADD_REQUEST, sizeof(ha), 4 },
					 DM_RANGE(0x100000, 32768), DM_RANGE(0x100000, 32768) };
	uint8_t unb[sizeof(struct dm_unballoon_request) + 16];
	struct dm_unballoon_request u = { { DM_UNBALLOON_REQUEST, sizeof(unb), 5 }, 0, 2 };
	uint64_t ranges[2] = { DM_RANGE(0x1000, 4), DM_RANGE(0x2000, 1) };
	uint8_t info[sizeof(struct dm_info_message) + sizeof(struct dm_info_header) + 8];
	struct dm_info_message im = { { DM_INFO_MESSAGE, sizeof(info), 6 }, 0, 16 };
	struct dm_info_header ih = { DM_INFO_MAX_PAGE_COUNT, 8 };
	uint64_t max = 1 << 20;
	uint8_t give[4] = { 0, 3, 10, 0 };

	memcpy(unb, &u, sizeof(u));
	memcpy(unb + sizeof(u), ranges, sizeof(ranges));
	memcpy(info, &im, sizeof(im));
	memcpy(info + sizeof(im), &ih, sizeof(ih));
	memcpy(info + sizeof(im) + sizeof(ih), &max, sizeof(max));
	begin(0x5);
	rec(VMBUS_PKT_DATA_INBAND, &b, sizeof(b));
	rec(GIVE_BACK, give, sizeof(give));
	rec(VMBUS_PKT_DATA_INBAND, unb, sizeof(unb));
	rec(VMBUS_PKT_DATA_INBAND, &ha, sizeof(ha));
	rec(VMBUS_PKT_DATA_INBAND, info, sizeof(info));
	seed_put("balloon", "session", buf, pos);
	begin(0x0);
	rec(VMBUS_PKT_DATA_INBAND, &v, sizeof(v));
	rec(VMBUS_PKT_DATA_INBAND, &c, sizeof(c));
	seed_put("balloon", "handshake", buf, pos);
	begin(0x1);
	b.num_pages = 100000;
	rec(VMBUS_PKT_DATA_INBAND, &b, sizeof(b));
	seed_put("balloon", "ring-full", buf, pos);
}

SEEDS(keyboard_seeds)
SEEDS(mouse_seeds)
SEEDS(balloon_seeds)
