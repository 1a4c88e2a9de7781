/*
 * Fuzz target: Dynamic Memory messages from the host: responses, balloon,
 * unballoon and hot-add requests, info; after each the poller builds and
 * sends what is due (answers, status reports).  Flags byte: b0 the
 * capabilities were accepted, b1 the host suppressed status reports, b2 the
 * host reads what we send after every packet.  A record of packet type
 * 0xfffe is no packet: its bytes (u8 index, u8 offset, u16 count) build an
 * UNBALLOON_REQUEST for part of a range the guest really gave, so the
 * give-back paths (whole, head, tail, middle) run too.
 */
#include "drivers/balloon/balloon.h"
#include "tests/fuzz/fuzz_input.h"

#define GIVE_BACK 0xfffe

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

/* An UNBALLOON_REQUEST for part of held range @p[0] (offset @p[1], count @p[2..3]). */
static void give_back(struct vmbus_channel *ch, const uint8_t *p, uint32_t len)
{
	uint8_t m[sizeof(struct dm_unballoon_request) + 8];
	struct dm_unballoon_request r;
	struct vmbus_packet pkt = { VMBUS_PKT_DATA_INBAND, 2, 0, 0, 0 };
	uint64_t pfn, count, off, range;

	if (len < 4 || !bl_pages_ranges() || !bl_pages_range(p[0] % bl_pages_ranges(), &pfn, &count))
		return;
	off = p[1] % count;
	range = DM_RANGE(pfn + off, 1 + (uint64_t)(p[2] | p[3] << 8) % (count - off));
	memset(&r, 0, sizeof(r));
	r.hdr = (struct dm_header){ DM_UNBALLOON_REQUEST, sizeof(m), 0 };
	r.range_count = 1;
	memcpy(m, &r, sizeof(r));
	memcpy(m + sizeof(r), &range, sizeof(range));
	balloon_device_ops.packet(ch, &pkt, m, sizeof(m));
}

/* One input: a fresh DM device, each packet followed by the poller, the report. */
int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	struct vmbus_channel *ch;
	struct vmbus_packet pkt;
	const uint8_t *payload;
	uint32_t len;
	uint8_t flags;

	if (n < 1)
		return 0;
	flags = d[0];
	ch = fuzz_channel(&balloon_device_ops);
	balloon_reset(ch, flags & 1, flags & 2);
	d++, n--;
	while (fuzz_next(&d, &n, &pkt, &payload, &len)) {
		if (pkt.type == GIVE_BACK)
			give_back(ch, payload, len);
		else
			balloon_device_ops.packet(ch, &pkt, payload, len);
		balloon_poll(NULL);
		if (flags & 4)
			fuzz_host_reads(ch);
		balloon_poll(NULL);
	}
	balloon_device_ops.report(ch);
	return 0;
}
