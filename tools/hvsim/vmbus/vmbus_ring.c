/*
 * The host's side of VMBus ring buffers (Linux drivers/hv/ring_buffer.c, OpenVMM vmbus_ring), written
 * from the specification: the host reads the guest -> host ring when the
 * guest signals, validating every descriptor the way OpenVMM does, and
 * writes host -> guest packets with the trailer, publishing write_index
 * after a barrier and signalling only on empty -> non-empty with the
 * guest's interrupt_mask clear.  A full ring is not an error: the packet
 * waits in a backlog, pending_send_sz tells the guest, and the guest's
 * next signal lets it through.  Rings are reached page by page through
 * the GPADL's PFNs (never assumed contiguous), each through sim_gpa().
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tools/hvsim/hvsim.h"
#include "tools/hvsim/vmbus/vmbus.h"

#define PKT_HDR ((uint32_t)sizeof(struct vmbus_packet))
#define MAX_BACKLOG 256

static uint32_t round8(uint32_t n)
{
	return (n + 7) & ~7u;
}

/* Page @page of ring @r (0 = control), or NULL if it is not guest RAM. */
static uint8_t *ring_page(const struct sim_ring *r, uint32_t page)
{
	if (page >= r->pages || r->pfn[page] > (UINT64_MAX >> 12))
		return NULL;
	return sim_gpa(r->pfn[page] << 12, PAGE_SIZE);
}

struct vmbus_ring_control *sim_ring_control(const struct sim_ring *r)
{
	return (struct vmbus_ring_control *)ring_page(r, 0);
}

bool sim_ring_index_ok(const struct sim_ring *r, uint32_t index)
{
	return index % 8 == 0 && index < r->size;
}

/* Copy @len bytes at data offset @off (wrapping) between the ring and @buf. */
static void ring_copy(const struct sim_ring *r, uint32_t off, void *buf, uint32_t len, bool to_ring)
{
	uint8_t *b = buf;

	while (len) {
		uint32_t in_page = off % PAGE_SIZE, n = PAGE_SIZE - in_page;
		uint8_t *page = ring_page(r, 1 + off / PAGE_SIZE);

		if (n > len)
			n = len;
		if (!page) { /* GPADL pages were checked when it was created: cannot happen */
			fprintf(stderr, "hvsim: vmbus: ring page outside guest RAM\n");
			if (!to_ring)
				memset(b, 0, len);
			return;
		}
		if (to_ring)
			memcpy(page + in_page, b, n);
		else
			memcpy(b, page + in_page, n);
		b += n;
		len -= n;
		off = (off + n) % r->size;
	}
}

void sim_ring_put(const struct sim_ring *r, uint32_t off, const void *buf, uint32_t len)
{
	ring_copy(r, off, (void *)buf, len, true);
}

/* Bytes between @from and @to going forward. */
static uint32_t ring_dist(const struct sim_ring *r, uint32_t from, uint32_t to)
{
	return to >= from ? to - from : r->size - from + to;
}

/* The guest broke its ring: log it once, stop using it (OpenVMM fails the channel). */
static void ring_corrupt(struct sim_channel *ch, struct sim_ring *r, const char *what, uint32_t val)
{
	if (!r->broken)
		sim_vmbus_guest_error("channel %u (%s): %s ring corrupt: %s 0x%x (data size 0x%x)",
				      ch->relid, ch->dev->name, r == &ch->in ? "guest->host" : "host->guest",
				      what, val, r->size);
	r->broken = true;
}

/* Dispatch one validated packet at @off to the device. */
static void deliver(struct sim_channel *ch, uint32_t off, const struct vmbus_packet *pkt)
{
	uint32_t start = pkt->offset8 * 8u, end = pkt->len8 * 8u, len = end - start;
	uint64_t trailer;
	uint8_t *whole = malloc(end), *payload = whole + start; /* end >= 16: a descriptor */

	if (!whole) {
		fprintf(stderr, "hvsim: vmbus: out of memory\n");
		return;
	}
	/* copy out first: the guest may rewrite the ring while the device looks */
	ring_copy(&ch->in, off, whole, end, false);
	ring_copy(&ch->in, (off + end) % ch->in.size, &trailer, sizeof(trailer), false);
	if ((uint32_t)(trailer >> 32) != off)
		sim_vmbus_guest_error("channel %u (%s): packet at 0x%x has trailer 0x%016llx (want 0x%x << 32)",
				      ch->relid, ch->dev->name, off, (unsigned long long)trailer, off);
	ch->packets_in++;
	ch->bytes_in += len;
	sim_vmbus_trace("channel %u <- guest: packet type %u flags %u id %llu, %u payload bytes",
			ch->relid, pkt->type, pkt->flags, (unsigned long long)pkt->transaction_id, len);
	if (ch->dev->on_packet) /* the whole packet: GPA-direct ranges sit before the payload */
		ch->dev->on_packet(ch, (const struct vmbus_packet *)whole, payload, len);
	free(whole);
}

/* The guest's pending_send_sz rule after the host read (Linux ring_buffer.c hv_pkt_iter_close). */
static void after_read(struct sim_channel *ch, struct vmbus_ring_control *ctl, uint32_t w,
		       uint32_t r_before)
{
	uint32_t pss, free_before, free_after;

	if (!(ctl->feature_bits & VMBUS_RING_FEAT_PENDING_SEND_SZ))
		return;
	pss = ctl->pending_send_sz;
	if (!pss)
		return;
	free_before = ch->in.size - ring_dist(&ch->in, r_before, w);
	free_after = ch->in.size - ring_dist(&ch->in, ch->in.index, w);
	if (free_before <= pss && free_after > pss) {
		sim_vmbus_trace("channel %u: guest waits for %u free bytes: signalling", ch->relid, pss);
		sim_vmbus_interrupt_guest(ch);
	}
}

void sim_ring_service(struct sim_channel *ch)
{
	struct sim_ring *in = &ch->in;
	struct vmbus_ring_control *ctl;
	uint32_t w, r, r_before;

	if (!ch->open)
		return;
	ctl = sim_ring_control(in);
	if (!in->broken && ctl) {
		/* the host reads with its interrupts on: it never sets interrupt_mask */
		w = __atomic_load_n(&ctl->write_index, __ATOMIC_ACQUIRE);
		r = r_before = in->index;
		if (!sim_ring_index_ok(in, w)) {
			ring_corrupt(ch, in, "write_index", w);
		} else {
			while (r != w) {
				uint32_t avail = ring_dist(in, r, w);
				struct vmbus_packet pkt;

				if (avail < PKT_HDR + VMBUS_PKT_TRAILER) {
					ring_corrupt(ch, in, "bytes left for a packet", avail);
					break;
				}
				ring_copy(in, r, &pkt, PKT_HDR, false);
				if (pkt.offset8 < 2 || pkt.len8 < pkt.offset8 ||
				    pkt.len8 * 8u + VMBUS_PKT_TRAILER > avail) {
					ring_corrupt(ch, in, "packet descriptor (offset8, len8) at", r);
					break;
				}
				if (pkt.flags & ~VMBUS_PKT_FLAG_COMPLETION_REQUESTED)
					sim_vmbus_guest_error("channel %u (%s): packet flags 0x%x (only b0 is defined): dropped",
							      ch->relid, ch->dev->name, pkt.flags);
				else if (pkt.type != VMBUS_PKT_DATA_INBAND && pkt.type != VMBUS_PKT_COMPLETION &&
					 pkt.type != 7 && pkt.type != 9)
					sim_vmbus_guest_error("channel %u (%s): packet type %u (a host accepts 6, 7, 9, 11): dropped",
							      ch->relid, ch->dev->name, pkt.type);
				else
					deliver(ch, r, &pkt);
				r = (r + pkt.len8 * 8u + VMBUS_PKT_TRAILER) % in->size;
				if (!ch->open) /* the device closed it */
					return;
			}
			in->index = r;
			__atomic_thread_fence(__ATOMIC_SEQ_CST);
			__atomic_store_n(&ctl->read_index, r, __ATOMIC_RELEASE);
			after_read(ch, ctl, w, r_before);
		}
	}
	sim_ring_flush_backlog(ch);
}

int sim_ring_write(struct sim_channel *ch, uint16_t type, uint16_t flags, uint64_t trans_id,
		   const void *payload, uint32_t len, bool signal)
{
	struct sim_ring *out = &ch->out;
	struct vmbus_ring_control *ctl = sim_ring_control(out);
	uint32_t total = PKT_HDR + round8(len) + VMBUS_PKT_TRAILER, r, w, pad;
	struct vmbus_packet pkt = { type, PKT_HDR / 8, (uint16_t)((total - VMBUS_PKT_TRAILER) / 8), flags,
				    trans_id };
	uint64_t trailer, zero = 0;

	if (out->broken || !ctl)
		return -1;
	r = __atomic_load_n(&ctl->read_index, __ATOMIC_ACQUIRE);
	if (!sim_ring_index_ok(out, r)) {
		ring_corrupt(ch, out, "read_index", r);
		return -1;
	}
	w = out->index;
	/* keep 8 bytes free so that full is not empty */
	if (total >= out->size - ring_dist(out, r, w))
		return 1;
	pad = round8(len) - len;
	trailer = (uint64_t)w << 32;
	sim_ring_put(out, w, &pkt, PKT_HDR);
	sim_ring_put(out, (w + PKT_HDR) % out->size, payload, len);
	sim_ring_put(out, (w + PKT_HDR + len) % out->size, &zero, pad);
	sim_ring_put(out, (w + total - VMBUS_PKT_TRAILER) % out->size, &trailer, sizeof(trailer));
	out->index = (w + total) % out->size;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	__atomic_store_n(&ctl->write_index, out->index, __ATOMIC_RELEASE);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	ch->packets_out++;
	ch->bytes_out += len;
	sim_vmbus_trace("channel %u -> guest: packet type %u flags %u id %llu, %u payload bytes at 0x%x",
			ch->relid, type, flags, (unsigned long long)trans_id, len, w);
	/* signal on empty -> non-empty only, and only when the guest is not draining */
	if (signal && __atomic_load_n(&ctl->read_index, __ATOMIC_ACQUIRE) == w &&
	    __atomic_load_n(&ctl->interrupt_mask, __ATOMIC_ACQUIRE) == 0)
		sim_vmbus_interrupt_guest(ch);
	return 0;
}

/* Append a packet to the backlog; false when the backlog is full. */
static bool backlog_add(struct sim_channel *ch, uint16_t type, uint16_t flags, uint64_t trans_id,
			const void *payload, uint32_t len)
{
	struct sim_backlog *b, **tail;

	if (ch->backlog_len >= MAX_BACKLOG || !(b = malloc(sizeof(*b) + len)))
		return false;
	b->next = NULL;
	b->type = type;
	b->flags = flags;
	b->trans_id = trans_id;
	b->len = len;
	memcpy(b->payload, payload, len);
	for (tail = &ch->backlog; *tail; tail = &(*tail)->next)
		;
	*tail = b;
	ch->backlog_len++;
	return true;
}

void sim_ring_flush_backlog(struct sim_channel *ch)
{
	struct vmbus_ring_control *ctl = sim_ring_control(&ch->out);

	while (ch->backlog && ch->open && ctl) {
		struct sim_backlog *b = ch->backlog;
		int st = sim_ring_write(ch, b->type, b->flags, b->trans_id, b->payload, b->len, true);

		if (st > 0) {
			/* still full: ask the guest to signal when this one fits */
			ctl->pending_send_sz = PKT_HDR + round8(b->len) + VMBUS_PKT_TRAILER;
			return;
		}
		if (st < 0)
			break;
		ch->backlog = b->next;
		ch->backlog_len--;
		free(b);
	}
	if (ctl && !ch->out.broken)
		ctl->pending_send_sz = 0;
	if (ch->out.broken)
		sim_ring_drop_backlog(ch);
}

void sim_ring_drop_backlog(struct sim_channel *ch)
{
	while (ch->backlog) {
		struct sim_backlog *b = ch->backlog;

		ch->backlog = b->next;
		ch->dropped++;
		free(b);
	}
	ch->backlog_len = 0;
}

int sim_channel_send(struct sim_channel *ch, uint16_t type, uint64_t trans_id, const void *payload,
		     uint32_t len)
{
	return sim_channel_send_flags(ch, type, 0, trans_id, payload, len);
}

int sim_channel_send_flags(struct sim_channel *ch, uint16_t type, uint16_t flags, uint64_t trans_id,
			   const void *payload, uint32_t len)
{
	int st;

	if (!ch->open || ch->out.broken)
		return -1;
	/* at most data size - 8 bytes, and len8 is 16 bits */
	if (len > ch->out.size || PKT_HDR + round8(len) + VMBUS_PKT_TRAILER > ch->out.size - 8 ||
	    PKT_HDR + round8(len) > 0xffffu * 8) {
		fprintf(stderr, "hvsim: vmbus: channel %u (%s): a %u-byte packet never fits a 0x%x-byte ring: not sent\n",
			ch->relid, ch->dev->name, len, ch->out.size);
		return -1;
	}
	if (!ch->backlog) {
		st = sim_ring_write(ch, type, flags, trans_id, payload, len, true);
		if (st <= 0)
			return st;
	}
	if (!backlog_add(ch, type, flags, trans_id, payload, len)) {
		fprintf(stderr, "hvsim: vmbus: channel %u (%s): backlog full, packet dropped\n", ch->relid,
			ch->dev->name);
		ch->dropped++;
		return -1;
	}
	sim_ring_flush_backlog(ch);
	return 1;
}
