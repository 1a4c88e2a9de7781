/* Unit tests of the VMBus ring buffer (drivers/vmbus/ring.c). */
#include "drivers/vmbus/ring.h"

#include <stdlib.h>

#include "tests/unit/unit.h"

#define PG 4096

static uint8_t *mem;
static struct vmbus_ring out, in;
static uint8_t buf[PG];

/* One 2-page ring used both ways: what we write, we read back. */
static void setup(void)
{
	free(mem);
	mem = aligned_alloc(PG, 2 * PG);
	ring_init(&out, mem, 2 * PG, true);
	in = out;
}

static void test_roundtrip(void)
{
	const char *why = NULL;
	uint32_t len;
	bool sig;
	const struct vmbus_packet *p = (const void *)buf;

	setup();
	EXPECT(ring_init(&out, mem, PG, true) == -1); /* too small */
	setup();
	EXPECT(out.size == PG);
	EXPECT(out.ctl->feature_bits == VMBUS_RING_FEAT_PENDING_SEND_SZ);
	EXPECT(ring_write(&out, VMBUS_PKT_DATA_INBAND, 1, 0x1234, "hello", 5, &sig, &why) == RING_OK);
	EXPECT(sig); /* empty -> non-empty, interrupts not masked */
	EXPECT(out.ctl->write_index == 16 + 8 + 8);
	/* the trailer carries the old write index in its high half */
	EXPECT(*(uint64_t *)(out.data + 24) == 0);
	EXPECT(ring_write(&out, VMBUS_PKT_DATA_INBAND, 0, 7, "x", 1, &sig, &why) == RING_OK);
	EXPECT(!sig); /* not empty before: no signal */
	EXPECT(*(uint64_t *)(out.data + 32 + 24) == (uint64_t)32 << 32);
	in.read = 0;
	EXPECT(ring_read(&in, buf, sizeof(buf), &len, &sig, &why) == RING_OK);
	EXPECT(len == 24 && p->type == VMBUS_PKT_DATA_INBAND && p->offset8 == 2 && p->len8 == 3);
	EXPECT(p->flags == 1 && p->transaction_id == 0x1234);
	EXPECT(memcmp(buf + 16, "hello\0\0\0", 8) == 0);
	EXPECT(in.ctl->read_index == 32);
	EXPECT(ring_read(&in, buf, sizeof(buf), &len, &sig, &why) == RING_OK && len == 24);
	EXPECT(ring_read(&in, buf, sizeof(buf), &len, &sig, &why) == RING_EMPTY);
}

static void test_masked_no_signal(void)
{
	const char *why;
	bool sig;

	setup();
	out.ctl->interrupt_mask = 1;
	EXPECT(ring_write(&out, 6, 0, 1, "a", 1, &sig, &why) == RING_OK);
	EXPECT(!sig);
}

static void test_wraparound(void)
{
	const char *why;
	uint32_t len;
	bool sig;
	uint8_t payload[1000];

	setup();
	for (unsigned i = 0; i < sizeof(payload); i++)
		payload[i] = (uint8_t)i;
	/* move both indices near the end, then write across it */
	out.ctl->write_index = out.ctl->read_index = PG - 64;
	in.read = PG - 64;
	EXPECT(ring_write(&out, 6, 0, 9, payload, sizeof(payload), &sig, &why) == RING_OK);
	EXPECT(out.ctl->write_index == (PG - 64 + 16 + 1000 + 8) % PG);
	EXPECT(ring_read(&in, buf, sizeof(buf), &len, &sig, &why) == RING_OK);
	EXPECT(len == 16 + 1000);
	EXPECT(memcmp(buf + 16, payload, sizeof(payload)) == 0);
}

static void test_full(void)
{
	const char *why;
	bool sig;
	uint8_t big[PG];
	int n = 0;

	setup();
	memset(big, 0, sizeof(big));
	while (ring_write(&out, 6, 0, 0, big, 1000, &sig, &why) == RING_OK)
		n++;
	EXPECT(n == 3); /* 3 x 1024 bytes; a 4th would leave < 8 bytes free */
	EXPECT(ring_write(&out, 6, 0, 0, big, 1000, &sig, &why) == RING_FULL);
	EXPECT(ring_write(&out, 6, 0, 0, big, PG, &sig, &why) == RING_FULL);
}

static void test_corrupt_indices(void)
{
	const char *why = NULL;
	uint32_t len;
	bool sig;

	setup();
	in.ctl->write_index = 12; /* not a multiple of 8 */
	EXPECT(ring_read(&in, buf, sizeof(buf), &len, &sig, &why) == RING_CORRUPT);
	EXPECT(why && strstr(why, "multiple of 8"));
	in.ctl->write_index = PG; /* outside the data area */
	EXPECT(ring_read(&in, buf, sizeof(buf), &len, &sig, &why) == RING_CORRUPT);
	in.ctl->write_index = 16; /* less than descriptor + trailer */
	EXPECT(ring_read(&in, buf, sizeof(buf), &len, &sig, &why) == RING_CORRUPT);
	out.ctl->read_index = 4; /* the host's read index on our outbound ring */
	EXPECT(ring_write(&out, 6, 0, 0, "a", 1, &sig, &why) == RING_CORRUPT);
}

static void test_bad_descriptors(void)
{
	const char *why;
	uint32_t len;
	bool sig;
	struct vmbus_packet *d;

	setup();
	EXPECT(ring_write(&out, 6, 0, 0, "abcdefgh", 8, &sig, &why) == RING_OK);
	d = (struct vmbus_packet *)in.data;
	d->len8 = 200; /* longer than what was published */
	EXPECT(ring_read(&in, buf, sizeof(buf), &len, &sig, &why) == RING_CORRUPT);
	EXPECT(strstr(why, "longer than the bytes"));
	d->len8 = 3;
	d->offset8 = 1; /* header shorter than a descriptor */
	EXPECT(ring_read(&in, buf, sizeof(buf), &len, &sig, &why) == RING_CORRUPT);
	d->offset8 = 4; /* offset beyond the packet */
	EXPECT(ring_read(&in, buf, sizeof(buf), &len, &sig, &why) == RING_CORRUPT);
	d->offset8 = 2;
	EXPECT(ring_read(&in, buf, 8, &len, &sig, &why) == RING_TOO_BIG);
	EXPECT(len == 24 && in.read == 32); /* skipped, not re-read forever */
}

static void test_pending_send_size(void)
{
	const char *why;
	uint32_t len;
	bool sig;
	uint8_t big[2000] = { 0 };

	setup();
	EXPECT(ring_write(&out, 6, 0, 0, big, 2000, &sig, &why) == RING_OK); /* 2024 bytes */
	EXPECT(ring_write(&out, 6, 0, 0, big, 1000, &sig, &why) == RING_OK); /* 1024 bytes */
	/* the host wants 2000 free: 4096 - 3048 = 1048 now */
	in.ctl->pending_send_sz = 2000;
	EXPECT(ring_read(&in, buf, sizeof(buf), &len, &sig, &why) == RING_OK);
	EXPECT(sig); /* 1048 -> 3072 crosses 2000 */
	EXPECT(ring_read(&in, buf, sizeof(buf), &len, &sig, &why) == RING_OK);
	EXPECT(!sig); /* already above */
	in.ctl->feature_bits = 0; /* the host never said it supports it */
	EXPECT(ring_write(&out, 6, 0, 0, big, 2000, &sig, &why) == RING_OK);
	EXPECT(ring_write(&out, 6, 0, 0, big, 1000, &sig, &why) == RING_OK);
	EXPECT(ring_read(&in, buf, sizeof(buf), &len, &sig, &why) == RING_OK);
	EXPECT(!sig);
}

struct unit_test unit_tests[] = {
	{ "ring.roundtrip", test_roundtrip },
	{ "ring.masked_no_signal", test_masked_no_signal },
	{ "ring.wraparound", test_wraparound },
	{ "ring.full", test_full },
	{ "ring.corrupt_indices", test_corrupt_indices },
	{ "ring.bad_descriptors", test_bad_descriptors },
	{ "ring.pending_send_size", test_pending_send_size },
	{ NULL, NULL },
};

UNIT_MAIN
