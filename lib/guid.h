/*
 * GUIDs in the Microsoft wire layout: Data1 (u32 LE), Data2 (u16 LE),
 * Data3 (u16 LE), Data4 (8 bytes as written).  So "0e0b6031-5213-4934-
 * 818b-38d90ced39db" is the bytes 31 60 0b 0e 13 52 34 49 81 8b 38 d9 ...
 */
#ifndef HVPROBE_GUID_H
#define HVPROBE_GUID_H

#include <stdbool.h>
#include <stdint.h>

struct guid {
	uint8_t b[16];
} __attribute__((packed));

_Static_assert(sizeof(struct guid) == 16, "a GUID is 16 bytes");

/* A GUID from its text form, as a constant initializer. */
#define GUID_INIT(d1, d2, d3, a, b, c, d, e, f, g, h)                                        \
	{ { (d1) & 0xff, ((d1) >> 8) & 0xff, ((d1) >> 16) & 0xff, ((d1) >> 24) & 0xff,     \
	    (d2) & 0xff, ((d2) >> 8) & 0xff, (d3) & 0xff, ((d3) >> 8) & 0xff, a, b, c, d, e, f, g, h } }

#define GUID_STR_LEN 37 /* 36 characters and the terminator */

/* Format as "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx" into @buf (GUID_STR_LEN bytes). */
char *guid_format(const struct guid *g, char *buf);
/* Parse the text form; 0 on success. */
int guid_parse(const char *s, struct guid *g);
bool guid_equal(const struct guid *a, const struct guid *b);
bool guid_is_zero(const struct guid *g);

#endif
