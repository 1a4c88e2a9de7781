/*
 * The VMBus client: connection, offers, channels.  Device drivers (one
 * file each, in drivers/ic, drivers/input, ...) are rows of the device
 * table in devices.c; each gets its channel's packets through ops->packet.
 */
#ifndef HVPROBE_VMBUS_H
#define HVPROBE_VMBUS_H

#include <stdbool.h>
#include <stdint.h>

#include "drivers/vmbus/ring.h"
#include "drivers/vmbus/vmbus_regs.h"
#include "lib/report.h"

struct vmbus_channel;
struct vmbus_device;

/* What a device driver provides (NULL ops: a known device we leave closed). */
struct vmbus_device_ops {
	uint32_t ring_pages;  /* pages per direction, control page included */
	/* the channel is open (its ring was drained once already) */
	void (*opened)(struct vmbus_channel *ch);
	/* one inbound packet: descriptor, then payload (after offset8 * 8) */
	void (*packet)(struct vmbus_channel *ch, const struct vmbus_packet *pkt,
		       const uint8_t *payload, uint32_t len);
	/* end of the run: report the device's checks */
	void (*report)(struct vmbus_channel *ch);
	/* the host did not offer the device: its checks say so (check_missing, kernel/policy.h) */
	void (*absent)(const struct vmbus_device *dev);
};

/* A row of the device table. */
struct vmbus_device {
	const char *name;         /* "heartbeat"; check ids use it */
	struct guid class;
	const struct vmbus_device_ops *ops;
	const void *data;         /* the driver's own (e.g. the IC service row) */
};

enum vmbus_channel_state {
	CH_OFFERED,
	CH_OPENING,
	CH_OPEN,
	CH_CLOSED,
	CH_RESCINDED,
};

struct vmbus_channel {
	uint32_t relid;
	struct vmbus_offer offer;
	const struct vmbus_device *dev;  /* NULL: unknown class */
	enum vmbus_channel_state state;
	enum vmbus_channel_state rescinded_in; /* its state when the host rescinded it */
	uint32_t gpadl;
	void *ring_mem;
	uint32_t ring_pages;
	struct vmbus_ring out, in;       /* guest -> host, host -> guest */
	uint64_t packets_in, packets_out, signals;
	bool opened;                     /* OPENCHANNEL was sent */
	bool broken;                     /* its ring was corrupt: no more reads */
	bool released;                   /* after a rescind: RELID_RELEASED sent */
	void *priv;                      /* the driver's state */
	/* vpbus (target_vp.c): the processor and VP index its OPENCHANNEL named */
	unsigned cpu;
	uint32_t target_vp;
	uint32_t flags_on_target;        /* its event flag found in the target VP's page */
	uint32_t flags_elsewhere;        /* ... in another VP's page (the first: elsewhere_vp) */
	uint32_t elsewhere_vp;
};

/* Connect, request offers, open every driven device: vmbus.* checks. */
bool vmbus_start(uint32_t vp_index, uint32_t forced_version);

/*
 * The result of a device check that could not finish: a WARN when the
 * host rescinded @ch meanwhile (a hot removal is legal in every channel
 * state: Linux channel_mgmt.c vmbus_onoffer_rescind; storvsc_remove and
 * netvsc_remove end the device's I/O), else a FAIL.
 */
static inline enum check_result vmbus_unfinished(const struct vmbus_channel *ch)
{
	return ch->state == CH_RESCINDED ? CHECK_WARN : CHECK_FAIL;
}

/* Send one in-band packet on @ch (signals the host when the ring rules say so). */
int vmbus_send(struct vmbus_channel *ch, uint16_t type, uint16_t flags, uint64_t trans_id,
	       const void *payload, uint32_t len);

/*
 * Send a GPA-direct packet (type 9, completion requested) on @ch: @payload
 * in band, plus the @buf_len bytes at @buf (one cpu_alloc_pages() block,
 * at most 128 KiB) as one range of guest pages the host reads or writes
 * (gpa_direct.c).
 */
int vmbus_send_gpa(struct vmbus_channel *ch, uint64_t trans_id, const void *payload,
		   uint32_t len, const void *buf, uint32_t buf_len);

/*
 * A GPADL of @pages pages at @mem (from cpu_alloc_pages) on open channel
 * @ch, beyond its ring: *@handle once the host created it; 0, or -1 with
 * *@why.  Torn down by vmbus_gpadl_teardown(), or when the channel closes
 * (gpadl.c).
 */
int vmbus_gpadl_create(struct vmbus_channel *ch, void *mem, uint32_t pages, uint32_t *handle,
		       const char **why);
int vmbus_gpadl_teardown(struct vmbus_channel *ch, uint32_t handle, const char **why);

/* Let every open channel's driver report, close channels, UNLOAD: vmbus.close, vmbus.unload. */
void vmbus_finish(void);

/* The negotiated version, 0 when not connected. */
uint32_t vmbus_version(void);

/*
 * The device table (drivers/devices.c, above the bus: it names every
 * driver): the row of class @class, NULL when unknown.
 */
const struct vmbus_device *vmbus_device_find(const struct guid *class);
/* The @i-th row of the device table (0-based), NULL past the end. */
const struct vmbus_device *vmbus_device_at(unsigned i);

/* Format a version word as "4.0". */
const char *vmbus_version_str(uint32_t v, char buf[12]);

#endif
