/*
 * Fuzz target: the VMBus ring reader and writer with host-controlled
 * control pages and data.  Input: 16 bytes of indices and flags, then the
 * data area contents.
 */
#include <stdint.h>
#include <string.h>

#include "drivers/vmbus/ring.h"
#include "kernel/cpu.h"

static uint8_t mem[3 * PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));
static uint8_t buf[2 * PAGE_SIZE];

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	struct vmbus_ring r;
	uint32_t hdr[4] = { 0 }, len;
	const char *why;
	bool sig;

	ring_init(&r, mem, sizeof(mem), false);
	memcpy(hdr, d, n < sizeof(hdr) ? n : sizeof(hdr));
	if (n > sizeof(hdr))
		memcpy(r.data, d + sizeof(hdr),
		       n - sizeof(hdr) < r.size ? n - sizeof(hdr) : r.size);
	r.ctl->write_index = hdr[0];
	r.read = hdr[1] % r.size & ~7u;
	r.ctl->pending_send_sz = hdr[2];
	r.ctl->interrupt_mask = hdr[3] & 1;
	for (int i = 0; i < 64; i++)
		if (ring_read(&r, buf, (hdr[3] >> 1) % sizeof(buf), &len, &sig, &why) != RING_OK)
			break;
	/* and the writer against whatever the host left in read_index */
	r.ctl->write_index = hdr[1] % r.size & ~7u;
	r.ctl->read_index = hdr[0];
	for (int i = 0; i < 8; i++)
		if (ring_write(&r, 6, 0, (uint64_t)i, d, (uint32_t)(n % 3000), &sig, &why) != RING_OK)
			break;
	return 0;
}
