/*
 * Channels (Linux drivers/hv/channel.c vmbus_open, vmbus_close; OpenVMM
 * vmbus_server channels.rs): ring memory, open, close, release after a
 * rescind, and moving packets between the rings and the device drivers.
 */
#include "drivers/hyperv/hypercall.h"
#include "drivers/hyperv/synic.h"
#include "drivers/vmbus/vmbus_internal.h"
#include "kernel/cpu.h"
#include "kernel/loop.h"
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
		/* Linux ring_buffer.c hv_pkt_iter_first, OpenVMM vmbus_ring: indices and lengths inside the ring */
		if (r == RING_CORRUPT || r == RING_TOO_BIG) {
			check(chan_id(id, sizeof(id), "ring", ch), CHECK_FAIL,
			      "relid %u: %s (read index 0x%x, write index 0x%x, data %u bytes); channel abandoned",
			      ch->relid, why, ch->in.read, ch->in.ctl->write_index, ch->in.size);
			ch->broken = true;
			return false;
		}
		ch->packets_in++;
		hdr = (uint32_t)pkt->offset8 * 8;
		if (ch->dev && ch->dev->ops && ch->dev->ops->packet) {
			loop_callback_enter(); /* a packet callback never waits (kernel/loop.h) */
			ch->dev->ops->packet(ch, pkt, packet_buf + hdr, len - hdr);
			loop_callback_leave();
		}
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
		vmbus_vp_take_flags(ch); /* its flag, on the page of the VP it is bound to (target_vp.c) */
		if (!ring_has_data(&ch->in))
			continue;
		did = true;
		drain(ch);
	}
	return did;
}

void vmbus_channel_open(struct vmbus_channel *ch)
{
	const struct vmbus_device_ops *ops = ch->dev->ops;
	uint32_t pages = ops->ring_pages ? ops->ring_pages : DEFAULT_RING_PAGES;
	struct vmbus_open_result res;
	struct vmbus_open_channel oc;
	struct vmbus_request rq;
	const char *why;
	char id[64], late[160] = "", late2[160];

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
	if (vmbus_gpadl_post(ch, ch->gpadl, ch->ring_mem, 2 * pages, &rq, &why)) {
		/*
		 * Linux channel.c __vmbus_establish_gpadl: no GPADL_CREATED, or a
		 * failed one, ends the open.  A rescind ends it too, but a host may
		 * remove a device at any time (Linux vmbus_onoffer_rescind handles
		 * every channel state): a warning.
		 */
		check(id, rq.rescinded ? CHECK_WARN : CHECK_FAIL, "relid %u, GPADL 0x%x: %s", ch->relid,
		      ch->gpadl, why);
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
	vmbus_request_late(&rq, late, sizeof(late));
	memset(&oc, 0, sizeof(oc));
	oc.hdr.type = VMBUS_MSG_OPENCHANNEL;
	oc.child_relid = ch->relid;
	oc.open_id = ch->relid;
	oc.ring_gpadl = ch->gpadl;
	vmbus_vp_place(ch);
	oc.target_vp = ch->target_vp;
	oc.downstream_ring_offset = pages; /* the first part of the GPADL is our outbound ring */
	rq = (struct vmbus_request){ .msg = &oc, .len = sizeof(oc), .reply = VMBUS_MSG_OPENCHANNEL_RESULT,
				     .relid = ch->relid, .limit_ns = VMBUS_REPLY_LIMIT_NS,
				     .out = &res, .out_size = sizeof(res) };
	ch->opened = true;
	if (vmbus_request(&rq, &why)) {
		/* Linux channel.c vmbus_open: no answer or a failed post ends the open; a rescind too (a warning, as above) */
		check(id, rq.rescinded ? CHECK_WARN : CHECK_FAIL, "relid %u: %s", ch->relid, why);
		if (ch->state == CH_OPENING)
			ch->state = CH_CLOSED;
		/*
		 * Never answered or never posted: no CLOSECHANNEL.  Rescinded
		 * first: the host ignores such an OPENCHANNEL (Linux channel.c
		 * vmbus_open), so no CLOSECHANNEL either.
		 */
		ch->opened = false;
		return;
	}
	if (res.status || res.open_id != ch->relid) {
		/* Linux channel.c vmbus_open: a non-zero status is a failed open */
		check(id, CHECK_FAIL, "relid %u: OPENCHANNEL_RESULT status 0x%08x, open id %u (sent %u)",
		      ch->relid, res.status, res.open_id, ch->relid);
		ch->opened = false;
		ch->state = CH_CLOSED;
		return;
	}
	ch->state = CH_OPEN;
	if (vmbus_request_late(&rq, late2, sizeof(late2)) || late[0])
		check(id, CHECK_WARN, "relid %u, GPADL 0x%x, 2 x %u KiB rings: %s", ch->relid, ch->gpadl,
		      pages * PAGE_SIZE / 1024, late[0] ? late : late2);
	else
		check(id, CHECK_PASS, "relid %u, GPADL 0x%x, 2 x %u KiB rings, target VP %u", ch->relid,
		      ch->gpadl, pages * PAGE_SIZE / 1024, ch->target_vp);
	/* hosts have been seen to write before signalling: drain once without a signal */
	drain(ch);
	if (ops->opened && ch->state == CH_OPEN && !ch->broken)
		ops->opened(ch);
}

/* Tear down the ring's GPADL; free the ring only when the host let go.  @late: the reply's time, if late. */
static bool ring_teardown(struct vmbus_channel *ch, char *late, size_t n)
{
	struct vmbus_request rq;
	const char *why;

	if (vmbus_gpadl_torndown(ch, ch->gpadl, &rq, &why)) {
		log_printf("hvprobe: vmbus: relid %u GPADL 0x%x: %s\n", ch->relid, ch->gpadl, why);
		return false;
	}
	if (late)
		vmbus_request_late(&rq, late, n);
	cpu_free_pages(ch->ring_mem, 2 * ch->ring_pages);
	ch->ring_mem = NULL;
	ch->gpadl = 0;
	return true;
}

/* CLOSECHANNEL (it has no reply), once, if OPENCHANNEL succeeded. */
void vmbus_channel_send_close(struct vmbus_channel *ch)
{
	struct vmbus_relid_msg close = { { VMBUS_MSG_CLOSECHANNEL, 0 }, ch->relid };

	if (ch->opened)
		vmbus_post(&close, sizeof(close), NULL);
	ch->opened = false;
}

void vmbus_channel_close(struct vmbus_channel *ch, char *late, size_t n)
{
	vmbus_channel_send_close(ch);
	vmbus_gpadls_release(ch); /* the driver's own GPADLs, after CLOSECHANNEL (gpadl.c) */
	if (ch->gpadl && !ring_teardown(ch, late, n))
		return; /* keep the memory: the host may still write it */
	ch->state = CH_CLOSED;
}

void vmbus_channel_release(struct vmbus_channel *ch)
{
	struct vmbus_relid_msg rel = { { VMBUS_MSG_RELID_RELEASED, 0 }, ch->relid };
	uint32_t gpadl = ch->gpadl;
	bool torn_down = true;
	char id[64];

	vmbus_channel_send_close(ch); /* normally sent when the rescind came (connection.c) */
	vmbus_gpadls_release(ch);
	if (ch->gpadl)
		torn_down = ring_teardown(ch, NULL, 0);
	vmbus_post(&rel, sizeof(rel), NULL);
	ch->released = true;
	log_printf("hvprobe: vmbus: relid %u released after its rescind\n", ch->relid);
	/* a device that was running vanishes from the report: say so (an open under way reported already) */
	if (ch->rescinded_in == CH_OPEN && ch->dev)
		/* Linux channel.c vmbus_close_internal/vmbus_teardown_gpadl: the host answers GPADL_TEARDOWN */
		check(chan_id(id, sizeof(id), "rescind", ch), torn_down ? CHECK_PASS : CHECK_FAIL,
		      "relid %u rescinded while open (%llu packets in, %llu out): CLOSECHANNEL, GPADL 0x%x %s, RELID_RELEASED; the device is gone, its own checks are not reported",
		      ch->relid, (unsigned long long)ch->packets_in, (unsigned long long)ch->packets_out,
		      gpadl, torn_down ? "torn down" : "never torn down (its memory is kept)");
}
