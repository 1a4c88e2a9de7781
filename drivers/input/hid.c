/*
 * HID report descriptors (USB HID 1.11 §6.2.2): just enough to find where a
 * pointer's buttons, X, Y and wheel sit in its input report.  The SynthHID
 * host sends the descriptor (Linux hid-hyperv.c) and we read it rather
 * than assume OpenVMM's 7-byte layout; Hyper-V's own descriptor lacks a
 * Usage Maximum for its buttons (Linux's "SA-167" patch), which this copes
 * with.  Every length comes from the host, so every step is bounds-checked.
 */
#include "drivers/input/input.h"

#include "lib/str.h"

#define ITEM_LONG 0xfe
#define TYPE_MAIN 0
#define TYPE_GLOBAL 1
#define TYPE_LOCAL 2
#define MAIN_INPUT 0x8
#define INPUT_CONSTANT 0x1
#define INPUT_RELATIVE 0x4
#define GLOBAL_USAGE_PAGE 0x0
#define GLOBAL_LOGICAL_MIN 0x1
#define GLOBAL_LOGICAL_MAX 0x2
#define GLOBAL_REPORT_SIZE 0x7
#define GLOBAL_REPORT_ID 0x8
#define GLOBAL_REPORT_COUNT 0x9
#define GLOBAL_PUSH 0xa
#define GLOBAL_POP 0xb
#define LOCAL_USAGE 0x0
#define LOCAL_USAGE_MIN 0x1
#define LOCAL_USAGE_MAX 0x2
#define PAGE_GENERIC_DESKTOP 0x01
#define PAGE_BUTTON 0x09
#define USAGE_X 0x30
#define USAGE_Y 0x31
#define USAGE_WHEEL 0x38
#define MAX_USAGES 16
#define MAX_STACK 4
#define MAX_REPORT_BITS 4096             /* far beyond any pointer's report */
#define MAX_FIELD_BITS 32

struct globals {
	uint32_t page;
	uint32_t lmin, lmax;             /* raw data ... */
	uint8_t lmin_size, lmax_size;    /* ... and its size, for the sign */
	uint32_t size, count, report_id;
};

struct locals {
	uint32_t usage[MAX_USAGES];      /* page << 16 | usage */
	unsigned n;
	uint32_t min, max;
	bool has_min, has_max;
};

/* Sign-extend @v of @size bytes. */
static int32_t sext(uint32_t v, unsigned size)
{
	if (size == 1)
		return (int8_t)v;
	if (size == 2)
		return (int16_t)v;
	return (int32_t)v;
}

/* The usage of element @i of an Input item (page << 16 | id), by the local items. */
static uint32_t usage_of(const struct locals *lo, const struct globals *g, unsigned i)
{
	uint32_t u;

	if (i < lo->n)
		u = lo->usage[i];
	else if (lo->has_min)
		u = lo->has_max && lo->min + i > lo->max ? lo->max : lo->min + i;
	else if (lo->n)
		u = lo->usage[lo->n - 1];
	else
		return 0;
	return u > 0xffff ? u : g->page << 16 | u;
}

/* Record field @f: @count elements from @bit, by the current globals. */
static void set_field(struct hid_field *f, const struct globals *g, uint32_t bit, uint32_t count,
		      uint32_t flags)
{
	int32_t min = sext(g->lmin, g->lmin_size);

	if (f->present)
		return; /* the first of each kind counts */
	f->present = true;
	f->relative = flags & INPUT_RELATIVE;
	f->bit = (uint16_t)bit;
	f->size = (uint16_t)g->size;
	f->count = (uint16_t)count;
	f->min = min;
	/* a non-negative minimum makes the maximum unsigned (as Linux reads it) */
	f->max = min < 0 ? sext(g->lmax, g->lmax_size) : (int32_t)(g->lmax & 0x7fffffffu);
}

/* One Input item: the fields it holds, at *@bits; false when the report grows too long. */
static bool input_item(struct hid_layout *l, const struct globals *g, const struct locals *lo,
		       uint32_t flags, uint32_t *bits)
{
	uint32_t total = g->size * g->count;

	if (g->size > MAX_FIELD_BITS || g->count > MAX_REPORT_BITS || total > MAX_REPORT_BITS - *bits)
		return false;
	if (!(flags & INPUT_CONSTANT)) {
		for (uint32_t i = 0; i < g->count; i++) {
			uint32_t u = usage_of(lo, g, i), bit = *bits + i * g->size;

			if (u >> 16 == PAGE_BUTTON)
				set_field(&l->buttons, g, bit, g->count - i, flags);
			else if (u == (PAGE_GENERIC_DESKTOP << 16 | USAGE_X))
				set_field(&l->x, g, bit, 1, flags);
			else if (u == (PAGE_GENERIC_DESKTOP << 16 | USAGE_Y))
				set_field(&l->y, g, bit, 1, flags);
			else if (u == (PAGE_GENERIC_DESKTOP << 16 | USAGE_WHEEL))
				set_field(&l->wheel, g, bit, 1, flags);
			if (u >> 16 == PAGE_BUTTON)
				break; /* the rest of the item are buttons too */
		}
	}
	*bits += total;
	return true;
}

/* A global item; false on a stack error. */
static bool global_item(struct globals *g, struct globals *stack, unsigned *depth, unsigned tag,
			uint32_t data, unsigned size)
{
	switch (tag) {
	case GLOBAL_USAGE_PAGE:
		g->page = data & 0xffff;
		break;
	case GLOBAL_LOGICAL_MIN:
		g->lmin = data;
		g->lmin_size = (uint8_t)size;
		break;
	case GLOBAL_LOGICAL_MAX:
		g->lmax = data;
		g->lmax_size = (uint8_t)size;
		break;
	case GLOBAL_REPORT_SIZE:
		g->size = data;
		break;
	case GLOBAL_REPORT_ID:
		g->report_id = data;
		break;
	case GLOBAL_REPORT_COUNT:
		g->count = data;
		break;
	case GLOBAL_PUSH:
		if (*depth == MAX_STACK)
			return false;
		stack[(*depth)++] = *g;
		break;
	case GLOBAL_POP:
		if (!*depth)
			return false;
		*g = stack[--*depth];
		break;
	}
	return true;
}

/* A local item. */
static void local_item(struct locals *lo, unsigned tag, uint32_t data, unsigned size)
{
	if (size < 4)
		data &= 0xffff; /* a page in the high half only with 4 data bytes */
	if (tag == LOCAL_USAGE && lo->n < MAX_USAGES)
		lo->usage[lo->n++] = data;
	else if (tag == LOCAL_USAGE_MIN)
		lo->min = data, lo->has_min = true;
	else if (tag == LOCAL_USAGE_MAX)
		lo->max = data, lo->has_max = true;
}

/* Walk the items: globals (with Push/Pop), locals, and the Input items' fields. */
int hid_parse_descriptor(const uint8_t *d, uint32_t len, struct hid_layout *l, const char **why)
{
	struct globals g = { 0 }, stack[MAX_STACK];
	struct locals lo = { 0 };
	unsigned depth = 0;
	uint32_t bits = 0, i = 0;
	bool have_id = false;

	memset(l, 0, sizeof(*l));
	while (i < len) {
		uint8_t prefix = d[i++];
		unsigned size = prefix & 3, type = (prefix >> 2) & 3, tag = prefix >> 4;
		uint32_t data = 0;

		if (prefix == ITEM_LONG) { /* long item: size, tag, data */
			if (len - i < 2 || len - i - 2 < d[i]) {
				*why = "a long item runs past the end of the descriptor";
				return -1;
			}
			i += 2u + d[i];
			continue;
		}
		if (size == 3)
			size = 4;
		if (len - i < size) {
			*why = "an item runs past the end of the descriptor";
			return -1;
		}
		for (unsigned b = 0; b < size; b++)
			data |= (uint32_t)d[i + b] << (8 * b);
		i += size;
		if (type == TYPE_MAIN) {
			/* with report IDs, only the first report that has inputs is the pointer's */
			bool ours = !have_id || g.report_id == l->report_id;

			if (tag == MAIN_INPUT && ours && !input_item(l, &g, &lo, data, &bits)) {
				*why = "an Input item makes the report longer than 4096 bits or a field wider than 32";
				return -1;
			}
			memset(&lo, 0, sizeof(lo));
		} else if (type == TYPE_GLOBAL) {
			if (!global_item(&g, stack, &depth, tag, data, size)) {
				*why = "a Push or Pop item unbalances the global item stack";
				return -1;
			}
			if (tag == GLOBAL_REPORT_ID && !have_id && bits == 0) {
				have_id = true;
				l->report_id = (uint8_t)g.report_id;
			}
		} else if (type == TYPE_LOCAL) {
			local_item(&lo, tag, data, size);
		}
	}
	l->bits = bits;
	if (!l->x.present || !l->y.present) {
		*why = "no Input item holds X and Y (Generic Desktop 0x30, 0x31)";
		return -1;
	}
	return 0;
}

/* The report's bytes: its bits rounded up, plus the ID byte. */
uint32_t hid_report_bytes(const struct hid_layout *l)
{
	return (l->bits + 7) / 8 + (l->report_id ? 1 : 0);
}

/* Bits LSB first from the report's bit offset; sign-extended when the range is signed. */
bool hid_field_value(const uint8_t *report, uint32_t len, const struct hid_layout *l,
		     const struct hid_field *f, unsigned i, int32_t *v)
{
	uint32_t bit, raw = 0;

	if (!f->present || i >= f->count || !f->size || f->size > MAX_FIELD_BITS)
		return false;
	bit = (l->report_id ? 8u : 0u) + f->bit + (uint32_t)i * f->size;
	if ((bit + f->size + 7) / 8 > len)
		return false;
	for (unsigned b = 0; b < f->size; b++)
		raw |= (uint32_t)(report[(bit + b) / 8] >> ((bit + b) % 8) & 1) << b;
	if (f->min < 0 && f->size < 32 && (raw >> (f->size - 1) & 1))
		raw |= ~0u << f->size; /* a signed field */
	*v = (int32_t)raw;
	return true;
}
