/*
 * Synthetic keyboard and SynthHID mouse wire formats (from Linux
 * drivers/input/serio/hyperv-keyboard.c, drivers/hid/hid-hyperv.c and
 * OpenVMM uidevices {keyboard,mouse}/protocol.rs).
 * Both are raw DATA_INBAND packets; the mouse's payload starts with the
 * 8-byte pipe header, the keyboard's does not.  Shared with hvsim's hosts.
 */
#ifndef HVPROBE_INPUT_REGS_H
#define HVPROBE_INPUT_REGS_H

#include <stddef.h>
#include <stdint.h>

#define INPUT_PACKED __attribute__((packed))

/* ---- synthetic keyboard (Linux hyperv-keyboard.c): every message starts with a u32 type ---- */
#define KBD_VERSION_1_0 0x00010000u      /* (1 << 16) | 0, the only version (OVMM) */
#define KBD_MSG_PROTOCOL_REQUEST 1       /* guest -> host */
#define KBD_MSG_PROTOCOL_RESPONSE 2      /* host -> guest */
#define KBD_MSG_EVENT 3                  /* host -> guest: one keystroke */
#define KBD_MSG_SET_LED_INDICATORS 4     /* guest -> host */
#define KBD_MAX_MESSAGE 256              /* Linux HK_MAXIMUM_MESSAGE_SIZE */

struct kbd_protocol_request {
	uint32_t type;
	uint32_t version;
} INPUT_PACKED;
_Static_assert(sizeof(struct kbd_protocol_request) == 8, "keyboard protocol request is 8 bytes");

struct kbd_protocol_response {
	uint32_t type;
	uint32_t status;                 /* b0: accepted */
} INPUT_PACKED;
_Static_assert(sizeof(struct kbd_protocol_response) == 8, "keyboard protocol response is 8 bytes");
#define KBD_PROTOCOL_ACCEPTED 1u

struct kbd_event {
	uint32_t type;
	uint16_t make_code;              /* set-1 scan code, or a UTF-16 unit with IS_UNICODE */
	uint16_t reserved;
	uint32_t info;
} INPUT_PACKED;
_Static_assert(sizeof(struct kbd_event) == 12, "keystroke is 12 bytes");
_Static_assert(offsetof(struct kbd_event, info) == 8, "keystroke info at 8");
#define KBD_INFO_UNICODE 0x1u
#define KBD_INFO_BREAK 0x2u              /* key up */
#define KBD_INFO_E0 0x4u                 /* scan code prefixed by 0xE0 */
#define KBD_INFO_E1 0x8u                 /* scan code prefixed by 0xE1 */

/* ---- SynthHID mouse (Linux hid-hyperv.c): pipe header, SynthHID header, body ---- */
#define HID_PIPE_DATA 1                  /* pipe header type */
#define HID_VERSION_2_0 0x00020000u
#define HID_MSG_PROTOCOL_REQUEST 0
#define HID_MSG_PROTOCOL_RESPONSE 1
#define HID_MSG_DEVICE_INFO 2
#define HID_MSG_DEVICE_INFO_ACK 3
#define HID_MSG_INPUT_REPORT 4
#define HID_MAX_REPORT_DESCRIPTOR 256    /* OVMM MAX_HID_REPORT_DESCRIPTOR */
#define HID_MAX_MESSAGE 512              /* OVMM MAX_HID_MESSAGE_SIZE */

struct hid_pipe_header {
	uint32_t type;                   /* HID_PIPE_DATA */
	uint32_t size;                   /* bytes after this header */
} INPUT_PACKED;
_Static_assert(sizeof(struct hid_pipe_header) == 8, "pipe header is 8 bytes");

struct hid_msg_header {
	uint32_t type;
	uint32_t size;                   /* bytes of body after this header */
} INPUT_PACKED;
_Static_assert(sizeof(struct hid_msg_header) == 8, "SynthHID header is 8 bytes");

#define HID_HEADERS (sizeof(struct hid_pipe_header) + sizeof(struct hid_msg_header)) /* 16 */

struct hid_protocol_response {
	uint32_t version;                /* the version the guest requested */
	uint8_t approved;
} INPUT_PACKED;
_Static_assert(sizeof(struct hid_protocol_response) == 5, "SynthHID response body is 5 bytes");

struct hid_attributes {
	uint32_t size;                   /* 32 */
	uint16_t vendor;                 /* 0x045E */
	uint16_t product;                /* 0x0621 */
	uint16_t version;
	uint16_t reserved[11];
} INPUT_PACKED;
_Static_assert(sizeof(struct hid_attributes) == 32, "HID attributes are 32 bytes");

/* the USB HID class descriptor with one entry (the report descriptor) */
struct hid_class_descriptor {
	uint8_t length;                  /* 9; the report descriptor follows at this offset */
	uint8_t type;                    /* 0x21 */
	uint16_t bcd_hid;
	uint8_t country;
	uint8_t num_descriptors;
	uint8_t report_type;             /* 0x22 */
	uint16_t report_length;
} INPUT_PACKED;
_Static_assert(sizeof(struct hid_class_descriptor) == 9, "HID descriptor is 9 bytes");
_Static_assert(offsetof(struct hid_class_descriptor, report_length) == 7, "report length at 7");

/* INITIAL_DEVICE_INFO body: attributes, HID descriptor, then the report descriptor */
struct hid_device_info {
	struct hid_attributes attributes;
	struct hid_class_descriptor descriptor;
} INPUT_PACKED;
_Static_assert(sizeof(struct hid_device_info) == 41, "device info before the report descriptor is 41 bytes");

#endif
