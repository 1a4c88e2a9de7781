/*
 * VMBus ring buffers (Linux include/linux/hyperv.h struct hv_ring_buffer): one direction of a channel,
 * a 4 KiB control page followed by the data area.  Every index and length
 * the host controls is validated before use; a corrupt ring is reported as
 * an error with its reason, never followed.
 */
#ifndef HVPROBE_VMBUS_RING_H
#define HVPROBE_VMBUS_RING_H

#include <stdbool.h>
#include <stdint.h>

#include "drivers/vmbus/vmbus_regs.h"

struct vmbus_ring {
	struct vmbus_ring_control *ctl;
	uint8_t *data;
	uint32_t size;        /* bytes in the data area */
	uint32_t read;        /* our read offset (inbound rings): the host cannot move it */
};

enum ring_status {
	RING_OK = 0,
	RING_EMPTY = 1,       /* ring_read: nothing to read */
	RING_FULL = -1,       /* ring_write: not enough room now */
	RING_CORRUPT = -2,    /* the host broke the ring: see *why */
	RING_TOO_BIG = -3,    /* a packet larger than the caller's buffer (skipped) */
};

/*
 * Set up a ring over @bytes of memory at @mem (control page + data, a
 * multiple of 4 KiB, at least 2 pages).  @outbound: we write it.
 */
int ring_init(struct vmbus_ring *r, void *mem, uint32_t bytes, bool outbound);

/*
 * Read the next packet (descriptor and payload, trailer stripped) into
 * @buf.  *@len receives its length.  *@signal is set when the host asked
 * to be told about the space this read freed (pending_send_sz).
 */
int ring_read(struct vmbus_ring *r, void *buf, uint32_t buflen, uint32_t *len, bool *signal,
	      const char **why);

/*
 * Write one packet: descriptor (@type, @flags, @trans_id), @payload padded
 * to 8 bytes, trailer.  *@signal is set when the host must be signalled
 * (the ring was empty and the host has not masked interrupts).
 */
int ring_write(struct vmbus_ring *r, uint16_t type, uint16_t flags, uint64_t trans_id,
	       const void *payload, uint32_t len, bool *signal, const char **why);

/*
 * The same with @hdr_len (a multiple of 8) bytes of @hdr between the
 * descriptor and the payload, counted in offset8: the range headers of
 * GPA-direct (type 9) and transfer-page (type 7) packets.
 */
int ring_write_hdr(struct vmbus_ring *r, uint16_t type, uint16_t flags, uint64_t trans_id,
		   const void *hdr, uint32_t hdr_len, const void *payload, uint32_t len,
		   bool *signal, const char **why);

/* True when an inbound ring holds unread bytes (the host's write index moved). */
bool ring_has_data(const struct vmbus_ring *r);

#endif
