/*
 * A fuzzed IC session for one service (fuzz_kvp.c, fuzz_vss.c,
 * fuzz_fcopy.c): the services keep state between requests (stores, a copy
 * in progress, a freeze), so one input is a whole session.  Byte 0 picks
 * the negotiated version (its low bits) and whether the channel starts
 * negotiated (0x80 clear); then packets follow, each a u16 length
 * (little-endian) and that many payload bytes (pipe header, IC header,
 * service data), as they came out of the ring.  The session ends with the
 * service's report.  Every input starts from fresh memory and state.
 */
#ifndef HVPROBE_FUZZ_IC_SESSION_H
#define HVPROBE_FUZZ_IC_SESSION_H

#include <stdint.h>
#include <string.h>

#include "drivers/ic/ic.h"
#include "drivers/vmbus/vmbus_internal.h"
#include "kernel/cpu.h"

#define FUZZ_FCOPY_MAX (64u << 10)   /* what fcopy may keep: 16 pages of the 512-page arena */

void fuzz_reset_memory(void);

static void fuzz_ic_session(const struct ic_service *svc, const uint8_t *d, size_t n)
{
	static uint8_t ring_mem[8 * PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));
	static struct vmbus_device dev = { "fuzz", { { 0 } }, NULL, NULL };
	static struct vmbus_channel ch;
	static struct ic_channel ic;
	struct vmbus_packet pkt = { 0 };
	size_t pos = 1;

	if (n < 1)
		return;
	fuzz_reset_memory();
	ic_reset_findings();
	ic_fcopy_set_limit(FUZZ_FCOPY_MAX);
	vmb.version = VMBUS_VERSION_WIN10; /* as after a connect: signals need no interrupt page */
	memset(&ch, 0, sizeof(ch));
	memset(&ic, 0, sizeof(ic));
	ic.svc = svc;
	ic.ch = &ch;
	ic.negotiated = !(d[0] & 0x80);
	ic.version = svc->versions[d[0] % svc->nversions];
	dev.data = svc;
	dev.ops = &ic_device_ops;
	ch.dev = &dev;
	ch.priv = &ic;
	ch.state = CH_OPEN;
	ring_init(&ch.out, ring_mem, 4 * PAGE_SIZE, true);
	ring_init(&ch.in, ring_mem + 4 * PAGE_SIZE, 4 * PAGE_SIZE, false);
	pkt.type = VMBUS_PKT_DATA_INBAND;
	pkt.offset8 = 2;
	while (pos + 2 <= n) {
		size_t len = (size_t)(d[pos] | d[pos + 1] << 8);

		pos += 2;
		if (len > n - pos)
			len = n - pos;
		ic_device_ops.packet(&ch, &pkt, d + pos, (uint32_t)len);
		pos += len;
		/* the host read our answer: the ring never fills */
		ch.out.ctl->read_index = ch.out.ctl->write_index;
	}
	ic_device_ops.report(&ch);
}

#endif
