/*
 * hvsim's VMBus host (modelled on OpenVMM vmbus_server and vmbus_ring): the parent partition's
 * side of the control protocol (versions, offers, GPADLs, open/close,
 * rescind, unload), host-side ring buffers, and a device model so that
 * integration services plug in as table rows without touching the core.
 *
 *   control.c     the message queue and table, sending, guest -> host signals
 *   connection.c  INITIATE_CONTACT, the offers, UNLOAD, a connection's reset
 *   gpadl.c       GPADL_HEADER/BODY/TEARDOWN and the GPADLs kept
 *   channel.c     OPENCHANNEL, CLOSECHANNEL, what follows an open
 *   rescind.c     rescinds, RELID_RELEASED, what makes the host rescind
 *   misbehave.c   what a broken host does to an open channel's ring
 *   config.c      versions, the scenario's VMBus keys, the offers set up
 *   report.c      what the host saw, at power off
 *   vmbus_ring.c  the host's ring-buffer reader and writer
 *   vmbus_dev.c   the device table (class GUIDs) and the generic device
 *
 * Wire formats are drivers/vmbus/vmbus_regs.h, the contract shared with
 * the guest; no guest code is used here.
 */
#ifndef HVSIM_VMBUS_H
#define HVSIM_VMBUS_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>

#include "drivers/vmbus/vmbus_regs.h"
#include "lib/guid.h"

#define SIM_VMBUS_MAX_OFFERS 32
#define SIM_VMBUS_MAX_CHANNELS (SIM_VMBUS_MAX_OFFERS + 2) /* + misbehaviour extras */

struct sim_channel;

/*
 * A device the host offers: one row of sim_devices[].  The core calls
 * on_open after OPENCHANNEL_RESULT, on_packet for every well-formed packet
 * the guest writes to its ring (@pkt: the whole packet, so the ranges of
 * a GPA-direct packet follow its descriptor), on_close when the channel
 * closes (guest CLOSECHANNEL, UNLOAD or a reconnect).  Any hook may be NULL.  A device
 * answers with sim_channel_send().
 */
struct sim_device {
	const char *name;          /* scenario "offer = NAME" */
	struct guid class;         /* interface type */
	struct guid instance;      /* default instance (zero: hvsim makes one) */
	bool pipe;                 /* integration service: named-pipe offer, message mode */
	void (*on_open)(struct sim_channel *ch);
	void (*on_packet)(struct sim_channel *ch, const struct vmbus_packet *pkt,
			  const void *payload, uint32_t len);
	void (*on_close)(struct sim_channel *ch);
	/* one line (or more) on stderr at power off; NULL: the core's counts only */
	void (*report)(const struct sim_channel *ch);
	const void *data;          /* the device's own (an IC host: its service row) */
};

extern const struct sim_device sim_devices[];
extern const unsigned sim_ndevices;

/* Channel @i in offer order (0, 1, ...), or NULL past the last. */
struct sim_channel *sim_vmbus_channel(unsigned i);

/* The device named @name, or NULL. */
const struct sim_device *sim_device_find(const char *name);

/* The host's view of one ring inside the channel's GPADL. */
struct sim_ring {
	const uint64_t *pfn;       /* control page, then data pages */
	uint32_t pages;            /* including the control page */
	uint32_t size;             /* data bytes */
	uint32_t index;            /* host-owned: write index (to guest) / read index (from guest) */
	bool broken;               /* corrupt: the host stopped using it */
};

/* A packet the ring had no room for yet (sent once the guest makes room). */
struct sim_backlog {
	struct sim_backlog *next;
	uint16_t type, flags;
	uint64_t trans_id;
	uint32_t len;
	uint8_t payload[];
};

enum sim_offer_state {
	SIM_CH_NOT_OFFERED,        /* no REQUESTOFFERS yet (in this connection) */
	SIM_CH_OFFERED,
	SIM_CH_RESCINDED,          /* RESCIND_CHANNELOFFER sent, waiting for RELID_RELEASED */
	SIM_CH_RELEASED,           /* gone for good */
};

struct sim_gpadl;

/* One offered channel.  Devices read the first block and own @priv. */
struct sim_channel {
	const struct sim_device *dev;
	uint32_t relid;
	uint32_t connection_id;    /* the guest signals the host on it */
	struct guid class, instance;
	void *priv;                /* the device's state */
	uint64_t dev_count;        /* the generic device's packet counter */

	/* core state */
	unsigned index;
	enum sim_offer_state state;
	bool open;
	uint32_t open_id, target_vp;
	struct sim_gpadl *gpadl;
	struct sim_ring in;        /* guest -> host (the GPADL's first pages) */
	struct sim_ring out;       /* host -> guest */
	struct sim_backlog *backlog;
	unsigned backlog_len;
	bool service_due;          /* the guest signalled; read its ring soon */
	bool open_held;            /* vmbus_open_answered_at_unload: OPENCHANNEL not answered yet */
	uint32_t held_open_id;
	/* statistics */
	uint64_t opens, packets_in, packets_out, bytes_in, bytes_out, signals_in, signals_out;
	uint64_t dropped;
};

/*
 * Write one packet to the guest (the layout of Linux ring_buffer.c hv_ringbuffer_write) and signal it when the rules say so
 * (Linux hv_ringbuffer_write).  0: written; 1: the ring is full, queued until the guest makes
 * room (pending_send_sz); -1: refused (channel not open, ring broken, too
 * big for the ring).
 */
int sim_channel_send(struct sim_channel *ch, uint16_t type, uint64_t trans_id,
		     const void *payload, uint32_t len);
int sim_channel_send_flags(struct sim_channel *ch, uint16_t type, uint16_t flags,
			   uint64_t trans_id, const void *payload, uint32_t len);

/*
 * The pages of GPADL @handle the guest created on @ch's relid, if it is
 * complete, one range and page-aligned (netvsp's receive and send buffers):
 * its PFNs, *@npages of them; NULL otherwise.
 */
const uint64_t *sim_gpadl_pages(const struct sim_channel *ch, uint32_t handle, uint32_t *npages);

/* ---- configuration: scenario keys, then the profile's defaults ---- */
struct sim_offer_cfg {
	const struct sim_device *dev;
	uint32_t relid;            /* 0: assigned 1, 2, 3... */
	bool instance_set;
	struct guid instance;
};

struct sim_vmbus_config {
	bool version_set;          /* "vmbus =" given */
	uint32_t max_version;      /* highest accepted; 0 = no VMBus */
	uint32_t conn_id;          /* msg_conn_id answered for >= 5.0 */
	bool offers_set;           /* "offer =" given (even "offer = none") */
	unsigned noffers;
	struct sim_offer_cfg offers[SIM_VMBUS_MAX_OFFERS];
	uint64_t delay_ns;         /* control messages are answered this much later, in order */
	uint32_t delay_type;       /* ...but a message of this type (0: none) after delay_type_ns */
	uint64_t delay_type_ns;
	unsigned ping;             /* DATA_INBAND packets written after each open */
	const struct sim_device *rescind_dev; /* "rescind =": rescind this device's channel... */
	uint64_t rescind_ns;       /* ...this long after it opened */
	bool trace;                /* every message and packet on stderr */
};

extern struct sim_vmbus_config sim_vmbus_cfg;

/* "none", "0.13" ... "6.0" -> *v (0 for none); 0 on success. */
int sim_vmbus_version_parse(const char *s, uint32_t *v);
/* "5.2" for 0x00050002 (@buf: 16 bytes). */
const char *sim_vmbus_version_name(uint32_t v, char *buf);
/* The type of the guest -> host message named @name ("OPENCHANNEL"), 0 if there is none. */
uint32_t sim_vmbus_msg_type(const char *name);
/* --list: the versions and the offerable devices. */
void sim_vmbus_list(void);
/* The scenario's VMBus keys (scenario.c's table): vmbus, vmbus_conn_id, offer, vmbus_delay_ms, vmbus_ping, vmbus_trace. */
void sim_vmbus_key_version(const char *key, char *val);
void sim_vmbus_key_conn_id(const char *key, char *val);
void sim_vmbus_key_offer(const char *key, char *val);
void sim_vmbus_key_delay(const char *key, char *val);
void sim_vmbus_key_ping(const char *key, char *val);
void sim_vmbus_key_rescind(const char *key, char *val);
void sim_vmbus_key_trace(const char *key, char *val);

/* ---- inside the host (control.c <-> vmbus_ring.c; the rest: vmbus_host.h) ---- */
/* A guest protocol error: logged on stderr and counted (here and in sim.guest_errors). */
void sim_vmbus_guest_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A device's guest error on @ch: "@who (relid N): ...", counted in *@errors too (IC and input hosts). */
void sim_vmbus_channel_error(const struct sim_channel *ch, const char *who, uint64_t *errors,
			     const char *fmt, ...) __attribute__((format(printf, 4, 5)));
void sim_vmbus_channel_verror(const struct sim_channel *ch, const char *who, uint64_t *errors,
			      const char *fmt, va_list ap) __attribute__((format(printf, 4, 0)));
/* Trace line (scenario vmbus_trace = 1). */
void sim_vmbus_trace(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Raise the guest's interrupt for @ch (SIEF bit = relid, or the < 2.4 interrupt page). */
void sim_vmbus_interrupt_guest(struct sim_channel *ch);
/* Read everything the guest wrote to @ch's ring and hand it to the device. */
void sim_ring_service(struct sim_channel *ch);
/* Try to write the backlog of @ch now. */
void sim_ring_flush_backlog(struct sim_channel *ch);
/* Drop the backlog of @ch. */
void sim_ring_drop_backlog(struct sim_channel *ch);
/* The control page of @r (NULL if it is not RAM). */
struct vmbus_ring_control *sim_ring_control(const struct sim_ring *r);
/* Indices valid (multiples of 8, inside the data)? */
bool sim_ring_index_ok(const struct sim_ring *r, uint32_t index);
/* Write raw bytes at @off of @r's data area, wrapping. */
void sim_ring_put(const struct sim_ring *r, uint32_t off, const void *buf, uint32_t len);
/* Write one packet; @signal: apply the signalling rule.  0 ok, 1 full, -1 broken. */
int sim_ring_write(struct sim_channel *ch, uint16_t type, uint16_t flags, uint64_t trans_id,
		   const void *payload, uint32_t len, bool signal);

#endif
