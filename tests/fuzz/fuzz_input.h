/*
 * What the input and Dynamic Memory fuzz targets share: an open channel
 * over static rings, and the input format
 *   byte 0     the target's flags
 *   then       records: u16 packet type, u16 length, that many payload bytes
 *              (the last record takes what is left)
 * Each record is one packet from the host as the ring delivered it.
 */
#ifndef HVPROBE_FUZZ_INPUT_H
#define HVPROBE_FUZZ_INPUT_H

#include <stdint.h>
#include <string.h>

#include "drivers/vmbus/vmbus_internal.h"
#include "kernel/cpu.h"

#define FUZZ_RING_PAGES 5 /* the balloon's 20 KiB; plenty for the input devices' answers */

void fuzz_reset_memory(void);

static uint8_t fuzz_ring_mem[2 * FUZZ_RING_PAGES * PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));
static struct vmbus_device fuzz_dev;
static struct vmbus_channel fuzz_ch;

/* A fresh open channel of device @ops (its rings empty). */
static inline struct vmbus_channel *fuzz_channel(const struct vmbus_device_ops *ops)
{
	vmb.version = VMBUS_VERSION_WIN10; /* as after a connect: signals need no interrupt page */
	fuzz_reset_memory();
	memset(&fuzz_ch, 0, sizeof(fuzz_ch));
	fuzz_dev = (struct vmbus_device){ "fuzz", { { 0 } }, ops, NULL };
	fuzz_ch.dev = &fuzz_dev;
	fuzz_ch.state = CH_OPEN;
	fuzz_ch.relid = 1;
	ring_init(&fuzz_ch.out, fuzz_ring_mem, FUZZ_RING_PAGES * PAGE_SIZE, true);
	ring_init(&fuzz_ch.in, fuzz_ring_mem + FUZZ_RING_PAGES * PAGE_SIZE, FUZZ_RING_PAGES * PAGE_SIZE,
		  false);
	return &fuzz_ch;
}

/* The next record at *@d (*@n bytes left): its packet descriptor and payload; false at the end. */
static inline int fuzz_next(const uint8_t **d, size_t *n, struct vmbus_packet *pkt,
			    const uint8_t **payload, uint32_t *len)
{
	size_t want;

	if (*n < 4)
		return 0;
	memset(pkt, 0, sizeof(*pkt));
	pkt->type = (uint16_t)((*d)[0] | (*d)[1] << 8);
	pkt->offset8 = 2;
	want = (size_t)((*d)[2] | (*d)[3] << 8);
	*d += 4;
	*n -= 4;
	if (want > *n)
		want = *n;
	*payload = *d;
	*len = (uint32_t)want;
	*d += want;
	*n -= want;
	return 1;
}

/* The host "read" everything we sent: the outbound ring is empty again. */
static inline void fuzz_host_reads(struct vmbus_channel *ch)
{
	ch->out.ctl->read_index = ch->out.ctl->write_index;
}

#endif
