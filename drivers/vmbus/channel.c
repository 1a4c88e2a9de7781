/*
 * Channels (HYPERV-PROTOCOL.md §3.4-3.5, §4): ring memory, GPADLs, open,
 * close, rescind, and moving packets between the rings and the device
 * drivers.
 */
#include "drivers/hyperv/hypercall.h"
#include "drivers/hyperv/synic.h"
#include "drivers/vmbus/vmbus_internal.h"
#include "kernel/cpu.h"
#include "lib/fmt.h"
#include "lib/log.h"
#include "lib/report.h"
#include "lib/str.h"

#define DEFAULT_RING_PAGES 4       /* 16 KiB per direction, as Linux's ICs */
#define MAX_RING_PAGES 64
#define PACKETS_PER_POLL 32        /* a busy channel cannot starve the others */
#define INT_PAGE_SEND_HALF 2048    /* < 2.4: guest -> host bits in the interrupt page's 2nd half */

static uint8_t packet_buf[MAX_RING_PAGES * PAGE_SIZE];

/* The check id for one channel: "vmbus.open.heartbeat" */
static const char *chan_id(char *buf, size_t n, const char *what, const struct vmbus_channel *ch)
{
	fmt_snprintf(buf, n, "vmbus.%s.%s", what, ch->dev ? ch->dev->name : "unknown");
	return buf;
}

void vmbus_signal_host(struct vmbus_channel *ch)
{
	uint32_t conn = ch->offer.connection_id;
	uint16_t st;

	/* before 2.4 the host also reads a bit per relid in the interrupt page */
	if (vmb.version < VMBUS_VERSION_WIN8 && vmb.int_page) {
		uint8_t *send = (uint8_t *)vmb.int_page + INT_PAGE_SEND_HALF;

		__atomic_fetch_or(&send[ch->relid / 8], (uint8_t)(1u << (ch->relid % 8)),
				  __ATOMIC_SEQ_CST);
		if (vmb.version == VMBUS_VERSION_WS2008)
			conn = VMBUS_EVENT_CONNECTION_ID;
	}
	ch->signals++;
	st = hv_signal_event(conn, 0);
	if (st != HV_STATUS_SUCCESS)
		log_printf("hvprobe: vmbus: HvSignalEvent(connection 0x%x) for relid %u: %s\n", conn,
			   ch->relid, hv_status_name(st));
}

int vmbus_send(struct vmbus_channel *ch, uint16_t type, uint16_t flags, uint64_t trans_id,
	       const void *payload, uint32_t len)
{
	const char *why;
	bool signal;
	int r;

	if (ch->state != CH_OPEN || ch->broken)
		return -1;
	r = ring_write(&ch->out, type, flags, trans_id, payload, len, &signal, &why);
	if (r) {
		log_printf("hvprobe: vmbus: relid %u: cannot send %u bytes: %s\n", ch->relid, len, why);
		return r;
	}
	ch->packets_out++;
	if (signal)
		vmbus_signal_host(ch);
	return 0;
}

/* Drain @ch's inbound ring into its driver; false when the ring is corrupt. */
static bool drain(struct vmbus_channel *ch)
{
	char id[64];

	for (int i = 0; i < PACKETS_PER_POLL; i++) {
		const struct vmbus_packet *pkt = (const void *)packet_buf;
		const char *why;
		uint32_t len, hdr;
		bool signal;
		int r = ring_read(&ch->in, packet_buf, sizeof(packet_buf), &len, &signal, &why);

		if (signal)
			vmbus_signal_host(ch);
		if (r == RING_EMPTY)
			return true;
		if (r == RING_CORRUPT || r == RING_TOO_BIG) {
			check(chan_id(id, sizeof(id), "ring", ch), CHECK_FAIL,
			      "relid %u: %s (read index 0x%x, write index 0x%x, data %u bytes); channel abandoned",
			      ch->relid, why, ch->in.read, ch->in.ctl->write_index, ch->in.size);
			ch->broken = true;
			return false;
		}
		ch->packets_in++;
		hdr = (uint32_t)pkt->offset8 * 8;
		if (ch->dev && ch->dev->ops && ch->dev->ops->packet)
			ch->dev->ops->packet(ch, pkt, packet_buf + hdr, len - hdr);
	}
	return true;
}

bool vmbus_poll_channels(void *ctx)
{
	bool did = false;

	/* before 2.4 flag 0 summarises every channel: we poll them all anyway */
	if (vmb.version < VMBUS_VERSION_WIN8)
		synic_event_test_clear(0);
	for (unsigned i = 0; i < vmb.nchannels; i++) {
		struct vmbus_channel *ch = &vmb.channels[i];

		if (ch->state != CH_OPEN || ch->broken)
			continue;
		synic_event_test_clear(ch->relid);
		if (!ring_has_data(&ch->in))
			continue;
		did = true;
		drain(ch);
	}
	return did;
}

/* GPADL_HEADER (+ GPADL_BODY) describing @pages pages at @mem as @handle; wait for GPADL_CREATED. */
int vmbus_gpadl_post(struct vmbus_channel *ch, uint32_t handle, void *mem, uint32_t pages,
		     const char **why)
{
	uint8_t buf[HV_MESSAGE_PAYLOAD_MAX];
	struct vmbus_gpadl_header *h = (void *)buf;
	struct vmbus_gpadl_body *b = (void *)buf;
	uint64_t base = cpu_virt_to_phys(mem) >> 12;
	uint32_t first = pages < VMBUS_GPADL_HEADER_PFNS ? pages : VMBUS_GPADL_HEADER_PFNS;
	const struct vmbus_gpadl_created *r = (const void *)vmb.wait.msg;
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
		h->pfn[i] = base + i;
	vmb.wait = (struct vmbus_wait){ .active = true, .type = VMBUS_MSG_GPADL_CREATED,
					.relid = ch->relid, .id = handle };
	if (vmbus_post(h, (uint32_t)(sizeof(*h) + 8 * first))) {
		vmb.wait.active = false;
		*why = "HvPostMessage(GPADL_HEADER) failed";
		return -1;
	}
	for (uint32_t done = first, n; done < pages; done += n) {
		n = pages - done < VMBUS_GPADL_BODY_PFNS ? pages - done : VMBUS_GPADL_BODY_PFNS;
		memset(buf, 0, sizeof(buf));
		b->hdr.type = VMBUS_MSG_GPADL_BODY;
		b->gpadl = handle;
		for (uint32_t i = 0; i < n; i++)
			b->pfn[i] = base + done + i;
		if (vmbus_post(b, (uint32_t)(sizeof(*b) + 8 * n))) {
			vmb.wait.active = false;
			*why = "HvPostMessage(GPADL_BODY) failed";
			return -1;
		}
	}
	if (vmbus_wait_reply(VMBUS_MSG_GPADL_CREATED, ch->relid, handle, "GPADL_CREATED", why))
		return -1;
	if (r->status) {
		fmt_snprintf(reason, sizeof(reason), "GPADL_CREATED status 0x%08x", r->status);
		*why = reason;
		return -1;
	}
	return 0;
}

void vmbus_channel_open(struct vmbus_channel *ch)
{
	const struct vmbus_device_ops *ops = ch->dev->ops;
	uint32_t pages = ops->ring_pages ? ops->ring_pages : DEFAULT_RING_PAGES;
	const struct vmbus_open_result *res = (const void *)vmb.wait.msg;
	struct vmbus_open_channel oc;
	const char *why;
	char id[64];

	chan_id(id, sizeof(id), "open", ch);
	if (pages < 2 || pages > MAX_RING_PAGES)
		pages = DEFAULT_RING_PAGES;
	ch->state = CH_OPENING;
	ch->ring_mem = cpu_alloc_pages(2 * pages);
	if (!ch->ring_mem) {
		check(id, CHECK_FAIL, "no memory for 2 x %u ring pages", pages);
		ch->state = CH_CLOSED;
		return;
	}
	ch->ring_pages = pages;
	ring_init(&ch->out, ch->ring_mem, pages * PAGE_SIZE, true);
	ring_init(&ch->in, (uint8_t *)ch->ring_mem + pages * PAGE_SIZE, pages * PAGE_SIZE, false);
	ch->gpadl = vmb.next_gpadl++;
	if (vmbus_gpadl_post(ch, ch->gpadl, ch->ring_mem, 2 * pages, &why)) {
		check(id, CHECK_FAIL, "relid %u, GPADL 0x%x: %s", ch->relid, ch->gpadl, why);
		/*
		 * Never created: nothing to tear down (a host that rescinded the
		 * offer dropped it, as Linux assumes).  The ring memory stays
		 * allocated, never reused, in case a late host maps it after all.
		 */
		ch->gpadl = 0;
		if (ch->state == CH_OPENING)
			ch->state = CH_CLOSED;
		return;
	}
	memset(&oc, 0, sizeof(oc));
	oc.hdr.type = VMBUS_MSG_OPENCHANNEL;
	oc.child_relid = ch->relid;
	oc.open_id = ch->relid;
	oc.ring_gpadl = ch->gpadl;
	oc.target_vp = vmb.vp;
	oc.downstream_ring_offset = pages; /* the first part of the GPADL is our outbound ring */
	vmb.wait = (struct vmbus_wait){ .active = true, .type = VMBUS_MSG_OPENCHANNEL_RESULT,
					.relid = ch->relid };
	ch->opened = true;
	if (vmbus_post(&oc, sizeof(oc))) {
		vmb.wait.active = false;
		check(id, CHECK_FAIL, "relid %u: HvPostMessage(OPENCHANNEL) failed", ch->relid);
		ch->state = CH_CLOSED;
		return;
	}
	if (vmbus_wait_reply(VMBUS_MSG_OPENCHANNEL_RESULT, ch->relid, 0, "OPENCHANNEL_RESULT", &why)) {
		check(id, CHECK_FAIL, "relid %u: %s", ch->relid, why);
		if (ch->state == CH_OPENING)
			ch->state = CH_CLOSED;
		else /* rescinded first: the host ignores such an OPENCHANNEL, so no CLOSECHANNEL (§3.4) */
			ch->opened = false;
		return;
	}
	if (res->status || res->open_id != ch->relid) {
		check(id, CHECK_FAIL, "relid %u: OPENCHANNEL_RESULT status 0x%08x, open id %u (sent %u)",
		      ch->relid, res->status, res->open_id, ch->relid);
		ch->state = CH_CLOSED;
		return;
	}
	ch->state = CH_OPEN;
	check(id, CHECK_PASS, "relid %u, GPADL 0x%x, 2 x %u KiB rings, target VP %u", ch->relid,
	      ch->gpadl, pages * PAGE_SIZE / 1024, vmb.vp);
	/* hosts have been seen to write before signalling: drain once without a signal */
	drain(ch);
	if (ops->opened && ch->state == CH_OPEN && !ch->broken)
		ops->opened(ch);
}

/* GPADL_TEARDOWN and its GPADL_TORNDOWN; free the ring only when the host let go. */
static bool gpadl_teardown(struct vmbus_channel *ch)
{
	struct vmbus_gpadl_teardown td;
	const char *why;

	memset(&td, 0, sizeof(td));
	td.hdr.type = VMBUS_MSG_GPADL_TEARDOWN;
	td.child_relid = ch->relid;
	td.gpadl = ch->gpadl;
	vmb.wait = (struct vmbus_wait){ .active = true, .type = VMBUS_MSG_GPADL_TORNDOWN,
					.id = ch->gpadl };
	if (vmbus_post(&td, sizeof(td))) {
		vmb.wait.active = false;
		return false;
	}
	if (vmbus_wait_reply(VMBUS_MSG_GPADL_TORNDOWN, 0, ch->gpadl, "GPADL_TORNDOWN", &why)) {
		log_printf("hvprobe: vmbus: relid %u GPADL 0x%x: %s\n", ch->relid, ch->gpadl, why);
		return false;
	}
	cpu_free_pages(ch->ring_mem, 2 * ch->ring_pages);
	ch->ring_mem = NULL;
	ch->gpadl = 0;
	return true;
}

void vmbus_channel_close(struct vmbus_channel *ch)
{
	struct vmbus_relid_msg close = { { VMBUS_MSG_CLOSECHANNEL, 0 }, ch->relid };

	if (ch->opened)
		vmbus_post(&close, sizeof(close));
	ch->opened = false;
	vmbus_gpadls_release(ch); /* the driver's own GPADLs, after CLOSECHANNEL (gpadl.c) */
	if (ch->gpadl && !gpadl_teardown(ch))
		return; /* keep the memory: the host may still write it */
	ch->state = CH_CLOSED;
}

void vmbus_channel_release(struct vmbus_channel *ch)
{
	struct vmbus_relid_msg rel = { { VMBUS_MSG_RELID_RELEASED, 0 }, ch->relid };
	struct vmbus_relid_msg close = { { VMBUS_MSG_CLOSECHANNEL, 0 }, ch->relid };
	uint32_t gpadl = ch->gpadl;
	bool torn_down = true;
	char id[64];

	if (ch->opened)
		vmbus_post(&close, sizeof(close));
	ch->opened = false;
	vmbus_gpadls_release(ch);
	if (ch->gpadl)
		torn_down = gpadl_teardown(ch);
	vmbus_post(&rel, sizeof(rel));
	ch->released = true;
	log_printf("hvprobe: vmbus: relid %u released after its rescind\n", ch->relid);
	/* a device that was running vanishes from the report: say so (an open under way reported already) */
	if (ch->rescinded_in == CH_OPEN && ch->dev)
		check(chan_id(id, sizeof(id), "rescind", ch), torn_down ? CHECK_PASS : CHECK_FAIL,
		      "relid %u rescinded while open (%llu packets in, %llu out): CLOSECHANNEL, GPADL 0x%x %s, RELID_RELEASED; the device is gone, its own checks are not reported",
		      ch->relid, (unsigned long long)ch->packets_in, (unsigned long long)ch->packets_out,
		      gpadl, torn_down ? "torn down" : "never torn down (its memory is kept)");
}
