/*
 * GPADLs (Linux drivers/hv/channel.c __vmbus_establish_gpadl and
 * vmbus_teardown_gpadl; OpenVMM vmbus_server handle_gpadl_header):
 * creating one from GPADL_HEADER and GPADL_BODY messages, tearing one down,
 * and the GPADLs a device driver creates beyond its channel's ring
 * (netvsc's receive and send buffers).  Those belong to the channel:
 * vmbus_channel_close() tears down what the driver left, after
 * CLOSECHANNEL, which is the order VMBus 4.0 and later hosts need (Linux
 * netvsc_device_remove); a driver on an older host tears them down itself
 * before the close.
 */
#include "drivers/hyperv/hypercall.h"
#include "drivers/vmbus/vmbus_internal.h"
#include "kernel/cpu.h"
#include "lib/fmt.h"
#include "lib/log.h"
#include "lib/report.h"
#include "lib/str.h"

#define MAX_DRIVER_GPADLS 16

static struct {
	struct vmbus_channel *ch;
	uint32_t handle;
} owned[MAX_DRIVER_GPADLS];

/* What GPADL_BODY messages need: the GPADL's pages. */
struct gpadl_pages {
	uint32_t handle, pages;
	uint64_t base;            /* first PFN */
};

/* The GPADL_BODY messages: the PFNs that did not fit in the header. */
static uint16_t post_bodies(const struct vmbus_request *rq, const char **why)
{
	const struct gpadl_pages *g = rq->ctx;
	uint8_t buf[HV_MESSAGE_PAYLOAD_MAX];
	struct vmbus_gpadl_body *b = (void *)buf;
	uint16_t st = HV_STATUS_SUCCESS;

	for (uint32_t done = VMBUS_GPADL_HEADER_PFNS, n; done < g->pages && !st; done += n) {
		n = g->pages - done < VMBUS_GPADL_BODY_PFNS ? g->pages - done : VMBUS_GPADL_BODY_PFNS;
		memset(buf, 0, sizeof(buf));
		b->hdr.type = VMBUS_MSG_GPADL_BODY;
		b->gpadl = g->handle;
		for (uint32_t i = 0; i < n; i++)
			b->pfn[i] = g->base + done + i;
		st = vmbus_post(b, (uint32_t)(sizeof(*b) + 8 * n), why);
	}
	return st;
}

int vmbus_gpadl_post(struct vmbus_channel *ch, uint32_t handle, void *mem, uint32_t pages,
		     struct vmbus_request *rq, const char **why)
{
	uint8_t buf[HV_MESSAGE_PAYLOAD_MAX];
	struct vmbus_gpadl_header *h = (void *)buf;
	struct gpadl_pages g = { handle, pages, cpu_virt_to_phys(mem) >> 12 };
	uint32_t first = pages < VMBUS_GPADL_HEADER_PFNS ? pages : VMBUS_GPADL_HEADER_PFNS;
	struct vmbus_gpadl_created r;
	static char reason[96];

	memset(buf, 0, sizeof(buf));
	h->hdr.type = VMBUS_MSG_GPADL_HEADER;
	h->child_relid = ch->relid;
	h->gpadl = handle;
	h->range_buflen = (uint16_t)(8 + 8 * pages);
	h->rangecount = 1;
	h->byte_count = pages * PAGE_SIZE;
	h->byte_offset = 0;
	for (uint32_t i = 0; i < first; i++)
		h->pfn[i] = g.base + i;
	*rq = (struct vmbus_request){
		.msg = h, .len = (uint32_t)(sizeof(*h) + 8 * first), .post_more = post_bodies,
		.ctx = &g, .reply = VMBUS_MSG_GPADL_CREATED, .relid = ch->relid, .id = handle,
		.limit_ns = VMBUS_REPLY_LIMIT_NS, .out = &r, .out_size = sizeof(r),
	};
	if (vmbus_request(rq, why))
		return -1;
	if (r.status) {
		fmt_snprintf(reason, sizeof(reason), "GPADL_CREATED status 0x%08x", r.status);
		*why = reason;
		return -1;
	}
	return 0;
}

int vmbus_gpadl_torndown(struct vmbus_channel *ch, uint32_t handle, struct vmbus_request *rq,
			 const char **why)
{
	struct vmbus_gpadl_teardown td;

	memset(&td, 0, sizeof(td));
	td.hdr.type = VMBUS_MSG_GPADL_TEARDOWN;
	td.child_relid = ch->relid;
	td.gpadl = handle;
	/* GPADL_TORNDOWN carries the handle only (Linux vmbus_ongpadl_torndown matches on it) */
	*rq = (struct vmbus_request){
		.msg = &td, .len = sizeof(td), .reply = VMBUS_MSG_GPADL_TORNDOWN, .id = handle,
		.limit_ns = VMBUS_REPLY_LIMIT_NS,
	};
	return vmbus_request(rq, why);
}

int vmbus_gpadl_create(struct vmbus_channel *ch, void *mem, uint32_t pages, uint32_t *handle,
		       const char **why)
{
	struct vmbus_request rq;
	char late[160];
	unsigned slot;
	uint32_t h;

	if (ch->state != CH_OPEN) {
		*why = "the channel is not open";
		return -1;
	}
	for (slot = 0; slot < MAX_DRIVER_GPADLS && owned[slot].ch; slot++)
		;
	if (slot == MAX_DRIVER_GPADLS || !pages) {
		*why = pages ? "no free GPADL slot" : "a GPADL of 0 pages";
		return -1;
	}
	h = vmb.next_gpadl++;
	if (vmbus_gpadl_post(ch, h, mem, pages, &rq, why))
		return -1;
	if (vmbus_request_late(&rq, late, sizeof(late)))
		log_printf("hvprobe: vmbus: relid %u GPADL 0x%x: %s\n", ch->relid, h, late);
	owned[slot].ch = ch;
	owned[slot].handle = h;
	*handle = h;
	return 0;
}

int vmbus_gpadl_teardown(struct vmbus_channel *ch, uint32_t handle, const char **why)
{
	struct vmbus_request rq;
	unsigned slot;

	for (slot = 0; slot < MAX_DRIVER_GPADLS; slot++)
		if (owned[slot].ch == ch && owned[slot].handle == handle)
			break;
	if (slot == MAX_DRIVER_GPADLS) {
		*why = "not a GPADL of this channel";
		return -1;
	}
	if (vmbus_gpadl_torndown(ch, handle, &rq, why))
		return -1;
	owned[slot].ch = NULL; /* only now may the driver reuse the memory */
	return 0;
}

void vmbus_gpadls_release(struct vmbus_channel *ch)
{
	const char *why;

	for (unsigned slot = 0; slot < MAX_DRIVER_GPADLS; slot++) {
		if (owned[slot].ch != ch)
			continue;
		if (vmbus_gpadl_teardown(ch, owned[slot].handle, &why)) {
			log_printf("hvprobe: vmbus: relid %u GPADL 0x%x: %s (memory kept)\n", ch->relid,
				   owned[slot].handle, why);
			owned[slot].ch = NULL; /* give up on it; the UNLOAD releases it */
		}
	}
}
