/*
 * GPA-direct packets (type 9; Linux drivers/hv/channel.c
 * vmbus_sendpacket_mpb_desc, OpenVMM vmbus_ring GpaDirectHeader): an
 * in-band payload plus a range of guest memory the host reads or writes
 * itself.  Between the descriptor and the payload (covered by offset8):
 * struct vmbus_gpa_header, then one struct vmbus_gpa_range with its page
 * numbers.  storvsc moves its SCSI data this way and netvsc its RNDIS
 * control messages.
 */
#include "drivers/vmbus/vmbus_internal.h"
#include "kernel/cpu.h"
#include "lib/log.h"

#define GPA_MAX_PAGES 32 /* 128 KiB: more than any driver here moves at once */

/* struct vmbus_gpa_header and one struct vmbus_gpa_range, flattened */
struct gpa_one_range {
	uint32_t reserved, range_count;
	uint32_t byte_count, byte_offset;
	uint64_t pfn[GPA_MAX_PAGES];
} VMBUS_PACKED;
VMBUS_ASSERT_OFF(struct gpa_one_range, byte_count, sizeof(struct vmbus_gpa_header));
VMBUS_ASSERT_OFF(struct gpa_one_range, pfn, 16);

int vmbus_send_gpa(struct vmbus_channel *ch, uint64_t trans_id, const void *payload,
		   uint32_t len, const void *buf, uint32_t buf_len)
{
	struct gpa_one_range g;
	uint64_t pa = cpu_virt_to_phys(buf);
	uint32_t off = (uint32_t)(pa & (PAGE_SIZE - 1));
	uint32_t pages = (off + buf_len + PAGE_SIZE - 1) / PAGE_SIZE;
	const char *why;
	bool signal;
	int r;

	if (ch->state != CH_OPEN || ch->broken || !buf_len || buf_len > GPA_MAX_PAGES * PAGE_SIZE ||
	    pages > GPA_MAX_PAGES)
		return -1;
	g.reserved = 0;
	g.range_count = 1;
	g.byte_count = buf_len;
	g.byte_offset = off;
	/* pages are identity mapped and @buf is one allocation: physically contiguous */
	for (uint32_t i = 0; i < pages; i++)
		g.pfn[i] = (pa >> 12) + i;
	r = ring_write_hdr(&ch->out, VMBUS_PKT_DATA_GPA_DIRECT, VMBUS_PKT_FLAG_COMPLETION_REQUESTED,
			   trans_id, &g, 16 + 8 * pages, payload, len, &signal, &why);
	if (r) {
		log_printf("hvprobe: vmbus: relid %u: cannot send a GPA-direct packet: %s\n", ch->relid,
			   why);
		return r;
	}
	ch->packets_out++;
	if (signal)
		vmbus_signal_host(ch);
	return 0;
}
