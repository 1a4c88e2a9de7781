/*
 * Ring buffer reads and writes (Linux
 * drivers/hv/ring_buffer.c and OpenVMM vmbus_ring checked for the rules).  Pure C over
 * shared memory: the same code is unit-tested and fuzzed on the host.
 */
#include "drivers/vmbus/ring.h"

#include "kernel/cpu.h"
#include "lib/str.h"

#define ROUND8(x) (((x) + 7u) & ~7u)
#define DESC_SIZE ((uint32_t)sizeof(struct vmbus_packet))

/*
 * Ordering with the host on another processor: acquire after reading the
 * peer's index (then read the data it covers), release before publishing
 * ours (the data first), and a full barrier only where a store must be
 * visible before a following load (the signal decisions, as Linux does).
 */
static void acquire(void)
{
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
}

static void release(void)
{
	__atomic_thread_fence(__ATOMIC_RELEASE);
}

static void full_barrier(void)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

int ring_init(struct vmbus_ring *r, void *mem, uint32_t bytes, bool outbound)
{
	if (bytes < 2 * VMBUS_RING_CONTROL_SIZE || bytes % PAGE_SIZE)
		return -1;
	memset(mem, 0, VMBUS_RING_CONTROL_SIZE);
	r->ctl = mem;
	r->data = (uint8_t *)mem + VMBUS_RING_CONTROL_SIZE;
	r->size = bytes - VMBUS_RING_CONTROL_SIZE;
	r->read = 0;
	/* we honour pending_send_sz when we read; say so on both (as Linux does) */
	r->ctl->feature_bits = VMBUS_RING_FEAT_PENDING_SEND_SZ;
	(void)outbound;
	return 0;
}

/*
 * Offsets stay below size and every step is at most size, so one
 * conditional subtraction wraps them: no division on the packet path.
 */
static uint32_t wrap(const struct vmbus_ring *r, uint32_t off)
{
	return off >= r->size ? off - r->size : off;
}

/* Copy @n bytes out of the data area from offset @off, wrapping at the end. */
static void copy_out(const struct vmbus_ring *r, uint32_t off, void *dst, uint32_t n)
{
	uint32_t first = r->size - off;

	if (n <= first) {
		memcpy(dst, r->data + off, n);
		return;
	}
	memcpy(dst, r->data + off, first);
	memcpy((uint8_t *)dst + first, r->data, n - first);
}

static void copy_in(struct vmbus_ring *r, uint32_t off, const void *src, uint32_t n)
{
	uint32_t first = r->size - off;

	if (n <= first) {
		memcpy(r->data + off, src, n);
		return;
	}
	memcpy(r->data + off, src, first);
	memcpy(r->data, (const uint8_t *)src + first, n - first);
}

/* An index the other side publishes: a multiple of 8 inside the data area. */
static bool index_ok(const struct vmbus_ring *r, uint32_t idx)
{
	return idx % 8 == 0 && idx < r->size;
}

bool ring_has_data(const struct vmbus_ring *r)
{
	return r->ctl->write_index != r->read;
}

int ring_read(struct vmbus_ring *r, void *buf, uint32_t buflen, uint32_t *len, bool *signal,
	      const char **why)
{
	struct vmbus_packet desc;
	uint32_t w, avail, pkt, total, free_before, pending;

	*signal = false;
	*len = 0;
	w = r->ctl->write_index;
	acquire(); /* read the index before the data it covers */
	if (!index_ok(r, w)) {
		*why = "the host's write index is not a multiple of 8 inside the data area";
		return RING_CORRUPT;
	}
	if (w == r->read)
		return RING_EMPTY;
	avail = w > r->read ? w - r->read : r->size - r->read + w;
	if (avail < DESC_SIZE + VMBUS_PKT_TRAILER) {
		*why = "fewer bytes in the ring than a packet descriptor";
		return RING_CORRUPT;
	}
	copy_out(r, r->read, &desc, DESC_SIZE);
	pkt = (uint32_t)desc.len8 * 8;
	total = pkt + VMBUS_PKT_TRAILER;
	if (desc.offset8 < 2 || desc.len8 < desc.offset8) {
		*why = "a packet descriptor with offset8 < 2 or len8 < offset8";
		return RING_CORRUPT;
	}
	if (total > avail) {
		*why = "a packet longer than the bytes the host published";
		return RING_CORRUPT;
	}
	free_before = r->size - avail;
	if (pkt <= buflen) {
		copy_out(r, r->read, buf, pkt);
		*len = pkt;
	}
	release(); /* finish reading before giving the space back */
	r->read = wrap(r, r->read + total);
	r->ctl->read_index = r->read;
	full_barrier(); /* publish read_index before reading pending_send_sz */
	/* pending_send_sz (Linux ring_buffer.c hv_pkt_iter_close): signal when this read made enough room */
	pending = r->ctl->pending_send_sz & ~7u;
	if (pending && (r->ctl->feature_bits & VMBUS_RING_FEAT_PENDING_SEND_SZ))
		*signal = free_before <= pending && free_before + total > pending;
	if (pkt > buflen) {
		*why = "a packet larger than the driver's buffer (skipped)";
		*len = pkt;
		return RING_TOO_BIG;
	}
	return RING_OK;
}

int ring_write(struct vmbus_ring *r, uint16_t type, uint16_t flags, uint64_t trans_id,
	       const void *payload, uint32_t len, bool *signal, const char **why)
{
	return ring_write_hdr(r, type, flags, trans_id, NULL, 0, payload, len, signal, why);
}

int ring_write_hdr(struct vmbus_ring *r, uint16_t type, uint16_t flags, uint64_t trans_id,
		   const void *hdr, uint32_t hdr_len, const void *payload, uint32_t len,
		   bool *signal, const char **why)
{
	static const uint8_t zeros[8];
	struct vmbus_packet desc;
	uint32_t w = r->ctl->write_index, rd = r->ctl->read_index, used, total, off;
	uint64_t trailer;

	*signal = false;
	if (!index_ok(r, w) || !index_ok(r, rd)) {
		*why = "a ring index is not a multiple of 8 inside the data area";
		return RING_CORRUPT;
	}
	if (hdr_len % 8 || hdr_len > 0xffff * 8 - DESC_SIZE) {
		*why = "a packet header that is not a multiple of 8 bytes";
		return RING_FULL;
	}
	total = DESC_SIZE + hdr_len + ROUND8(len) + VMBUS_PKT_TRAILER;
	used = w >= rd ? w - rd : r->size - rd + w;
	/* keep 8 bytes free so that a full ring never looks empty */
	if (len > UINT32_MAX - 64 - hdr_len || total >= r->size - used) {
		*why = "not enough room in the ring";
		return RING_FULL;
	}
	desc.type = type;
	desc.offset8 = (uint16_t)((DESC_SIZE + hdr_len) / 8);
	desc.len8 = (uint16_t)((DESC_SIZE + hdr_len + ROUND8(len)) / 8);
	desc.flags = flags;
	desc.transaction_id = trans_id;
	off = w;
	copy_in(r, off, &desc, DESC_SIZE);
	off = wrap(r, off + DESC_SIZE);
	if (hdr_len) {
		copy_in(r, off, hdr, hdr_len);
		off = wrap(r, off + hdr_len);
	}
	copy_in(r, off, payload, len);
	off = wrap(r, off + len);
	if (ROUND8(len) != len) {
		copy_in(r, off, zeros, ROUND8(len) - len);
		off = wrap(r, off + ROUND8(len) - len);
	}
	trailer = (uint64_t)w << 32;
	copy_in(r, off, &trailer, sizeof(trailer));
	off = wrap(r, off + VMBUS_PKT_TRAILER);
	release(); /* the packet before the index that publishes it */
	r->ctl->write_index = off;
	full_barrier(); /* publish write_index before re-reading read_index */
	/* signal only on empty -> non-empty, and only if the host listens (Linux ring_buffer.c hv_ringbuffer_write) */
	*signal = r->ctl->interrupt_mask == 0 && r->ctl->read_index == w;
	return RING_OK;
}
