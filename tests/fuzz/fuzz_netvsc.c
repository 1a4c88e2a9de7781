/*
 * Fuzz target: what a network host sends (drivers/net): NVSP packets and
 * the RNDIS messages it writes into the receive buffer.  Byte 0 picks:
 *   0  a completion (byte 1 bit 0: in band instead; bit 1: for the
 *      transaction in flight), the rest its NVSP message
 *   1  a transfer-page packet: byte 1 the words of its header after the
 *      descriptor (0-7), then those words (transfer page header, ranges),
 *      then a 16-byte NVSP message; the rest is the receive buffer
 *   2  one RNDIS message straight to rndis_receive, an RNDIS request of
 *      type 0x8000000(byte 1 & 7) waiting for request id 1
 */
#include <stdint.h>
#include <string.h>

#include "drivers/net/netvsc.h"
#include "drivers/vmbus/vmbus_internal.h"
#include "kernel/cpu.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

static uint8_t ring_mem[8 * PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));
static uint8_t rx[NETVSC_RX_PAGES * PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	static struct vmbus_channel ch;
	static struct netvsc nv;
	static uint8_t pkt_buf[16 + 64 + 16];
	struct vmbus_packet *pkt = (struct vmbus_packet *)pkt_buf;
	uint32_t words, rest;
	int slot;

	if (n < 2)
		return 0;
	vmb.version = VMBUS_VERSION_WIN10;
	memset(&ch, 0, sizeof(ch));
	memset(&nv, 0, sizeof(nv));
	ch.relid = 10;
	ch.state = CH_OPEN;
	ring_init(&ch.out, ring_mem, 4 * PAGE_SIZE, true);
	ring_init(&ch.in, ring_mem + 4 * PAGE_SIZE, 4 * PAGE_SIZE, false);
	nv.ch = &ch;
	nv.rx = rx;
	nv.link = LINK_UNKNOWN;
	nv.rx_section_size = 1728;
	nv.rx_sections = 37;
	slot = nvsp_reserve(&nv);
	memset(pkt_buf, 0, sizeof(pkt_buf));
	switch (d[0]) {
	case 0:
		pkt->type = d[1] & 1 ? VMBUS_PKT_DATA_INBAND : VMBUS_PKT_COMPLETION;
		pkt->offset8 = 2;
		pkt->transaction_id = d[1] & 2 ? nv.pending[slot].id : 77;
		netvsc_on_packet(&nv, pkt, d + 2, (uint32_t)(n - 2));
		return 0;
	case 1:
		words = d[1] % 8;
		if (n < 2 + 8 * words + 16)
			return 0;
		pkt->type = VMBUS_PKT_DATA_XFER_PAGES;
		pkt->offset8 = (uint16_t)(2 + words);
		pkt->transaction_id = 5;
		memcpy(pkt_buf + 16, d + 2, 8 * words);
		memcpy(pkt_buf + 16 + 8 * words, d + 2 + 8 * words, 16);
		rest = (uint32_t)(n - 2 - 8 * words - 16);
		memset(rx, 0, sizeof(rx));
		memcpy(rx, d + 2 + 8 * words + 16, rest < sizeof(rx) ? rest : sizeof(rx));
		netvsc_on_packet(&nv, pkt, pkt_buf + 16 + 8 * words, 16);
		return 0;
	case 2:
		nv.rndis_waiting = true;
		nv.rndis_id = 1;
		nv.rndis_expect = RNDIS_COMPLETION | (d[1] & 7);
		rndis_receive(&nv, d + 2, (uint32_t)(n - 2), d[1] >> 7);
		return 0;
	}
	return 0;
}
