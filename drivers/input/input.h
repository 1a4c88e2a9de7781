/*
 * The Virtual Machine Connection input devices (Linux hyperv-keyboard.c and
 * hid-hyperv.c, OpenVMM uidevices): the synthetic keyboard (keyboard.c) and the SynthHID mouse
 * (mouse.c, whose report descriptor hid.c reads).  Each is a row of the
 * device table; checks input.keyboard.* and input.mouse.*.
 */
#ifndef HVPROBE_INPUT_H
#define HVPROBE_INPUT_H

#include <stdbool.h>
#include <stdint.h>

#include "drivers/input/input_regs.h"
#include "drivers/vmbus/vmbus.h"

extern const struct vmbus_device_ops input_keyboard_ops, input_mouse_ops;

/* For the fuzz targets: forget everything and drive @ch as if its handshake ended (@ready). */
void input_keyboard_reset(struct vmbus_channel *ch, bool ready);
void input_mouse_reset(struct vmbus_channel *ch, bool ready);

/*
 * A host protocol error on an input device: the failed check
 * input.<@dev>.<@what>, once (report_finding(); later ones are logged).
 * A habit real guests tolerate: the warning of the same id, once, and not
 * after the kind failed.  @seen holds the report_finding() counts of one id.
 */
struct input_seen {
	unsigned failed, warned;
};
void input_finding(struct input_seen *seen, const char *dev, const char *what, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
void input_notice(struct input_seen *seen, const char *dev, const char *what, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* ---- HID report descriptors (hid.c) ---- */

/* One field of the input report, as the report descriptor places it. */
struct hid_field {
	bool present;
	bool relative;                   /* Input item flag b2 */
	uint16_t bit;                    /* offset in the report, after a report ID byte */
	uint16_t size;                   /* bits per element, 1..32 */
	uint16_t count;                  /* elements (buttons: how many) */
	int32_t min, max;                /* logical range */
};

/* What a pointer's input report holds. */
struct hid_layout {
	struct hid_field buttons, x, y, wheel;
	uint8_t report_id;               /* 0: reports carry no ID byte */
	uint32_t bits;                   /* the report's length in bits, without the ID */
};

/* Read @len bytes of report descriptor into @l; 0, or -1 with *@why. */
int hid_parse_descriptor(const uint8_t *d, uint32_t len, struct hid_layout *l, const char **why);

/* Bytes an input report of @l needs (ID byte included). */
uint32_t hid_report_bytes(const struct hid_layout *l);

/* Element @i of field @f in @report (@len bytes, ID byte included); false when it lies outside. */
bool hid_field_value(const uint8_t *report, uint32_t len, const struct hid_layout *l,
		     const struct hid_field *f, unsigned i, int32_t *v);

#endif
