/*
 * hvsim's VMBus host, misbehaviours on an open channel's ring: a packet
 * without a signal (signal_before_open), a corrupt write_index
 * (corrupt_ring), a packet longer than the ring (overlong_packet).
 */
#include <stdio.h>

#include "tools/hvsim/hvsim.h"
#include "tools/hvsim/vmbus/vmbus.h"
#include "tools/hvsim/vmbus/vmbus_host.h"

#define PING_LEN 24

/* vmbus_overlong_packet: a descriptor whose len8 claims more than the ring holds. */
static void write_overlong_packet(struct sim_channel *ch)
{
	struct vmbus_ring_control *ctl = sim_ring_control(&ch->out);
	uint32_t w = ch->out.index, claim = ch->out.size / 8 + 2;
	struct vmbus_packet pkt = { VMBUS_PKT_DATA_INBAND, 2, (uint16_t)(claim > 0xffff ? 0xffff : claim), 0, 0 };
	uint64_t payload = 0x676e6f6c7265766full, trailer = (uint64_t)w << 32; /* "overlong" */
	bool was_empty = ctl->read_index == w;

	sim_ring_put(&ch->out, w, &pkt, sizeof(pkt));
	sim_ring_put(&ch->out, (w + 16) % ch->out.size, &payload, 8);
	sim_ring_put(&ch->out, (w + 24) % ch->out.size, &trailer, 8);
	ch->out.index = (w + 32) % ch->out.size;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	ctl->write_index = ch->out.index;
	ch->out.broken = true;
	fprintf(stderr, "hvsim: vmbus: channel %u: wrote a packet claiming %u bytes (ring data 0x%x)\n",
		ch->relid, pkt.len8 * 8u, ch->out.size);
	if (was_empty && !ctl->interrupt_mask)
		sim_vmbus_interrupt_guest(ch);
}


/* Right after @ch opened: the ring misbehaviours of this run. */
void sim_vmbus_misbehave_after_open(struct sim_channel *ch)
{
	static const char unsignalled[PING_LEN] = "hvsim unsignalled";

	if (sim_mb_fire(MB_VMBUS_SIGNAL_BEFORE_OPEN)) {
		/* a valid packet, but no interrupt: the guest must poll once after open */
		sim_ring_write(ch, VMBUS_PKT_DATA_INBAND, 0, 0, unsignalled, PING_LEN, false);
	}
	if (sim_mb_fire(MB_VMBUS_CORRUPT_RING)) {
		struct vmbus_ring_control *ctl = sim_ring_control(&ch->out);

		sim_ring_write(ch, VMBUS_PKT_DATA_INBAND, 0, 0, "hvsim corrupt", 14, true);
		ctl->write_index = ch->out.size + 4; /* not a multiple of 8, beyond the data */
		ch->out.broken = true;
		fprintf(stderr, "hvsim: vmbus: channel %u: set the guest's inbound write_index to 0x%x (data 0x%x)\n",
			ch->relid, ch->out.size + 4, ch->out.size);
	}
	if (!ch->out.broken && sim_mb_fire(MB_VMBUS_OVERLONG_PACKET))
		write_overlong_packet(ch);
}
