/*
 * Inside hvsim's VMBus host: what control.c (the message queue and
 * dispatch), connection.c, gpadl.c, channel.c, rescind.c, misbehave.c,
 * config.c (scenario configuration and set-up) and report.c (what the host
 * saw) share.  Nothing outside tools/hvsim/vmbus includes it.
 */
#ifndef HVSIM_VMBUS_HOST_H
#define HVSIM_VMBUS_HOST_H

#include <stdbool.h>
#include <stdint.h>

#include "tools/hvsim/hvsim.h"
#include "tools/hvsim/vmbus/vmbus.h"

#define CONNECTION_ID_BASE 0x10000u     /* offer connection_id = base + relid */
#define STATUS_UNSUCCESSFUL 0xc0000001u /* NTSTATUS, a failed open */
#define TARGET_VP_NONE 0xffffffffu      /* OPENCHANNEL: no host -> guest interrupts */

/* A GPADL: its range buffer as the guest described it, and what uses it. */
struct sim_gpadl {
	uint32_t handle, relid;
	uint16_t rangecount;
	uint32_t nwords, have;     /* u64 words of the range buffer: expected, received */
	uint64_t *words;           /* per range: {u32 byte_count, u32 byte_offset}, PFNs */
	bool complete, teardown_pending;
	struct sim_channel *user;  /* the open channel whose rings live here */
};

/* The connection (one client: VTL 0 on SINT 2). */
struct sim_vmbus_bus {
	bool connected, unloaded;
	uint32_t version, last_version, target_vp;
	bool via_conn4, conn_id_open;
	uint64_t interrupt_page;   /* < 2.4 only */
	bool offers_requested, rescinded_once;
	uint64_t msgs_in, msgs_out, refused_posts, errors, contacts, offers_sent, alloffers;
	uint64_t transient_bursts;
	uint32_t last_requested;
	char first_error[240];
};

extern struct sim_vmbus_bus sim_vmbus_bus;           /* control.c */
extern struct sim_channel sim_vmbus_channels[];      /* control.c: the offers, in order */
extern unsigned sim_vmbus_nchannels;

/* ---- control.c: sending, the queue ---- */
/* Post one channel message to the guest's SINT @sint (sim_vmbus_send_msg: SINT 2). */
void sim_vmbus_send_msg_to(unsigned sint, const void *msg, uint32_t size);
void sim_vmbus_send_msg(const void *msg, uint32_t size);
/* A message that is only the 8-byte header. */
void sim_vmbus_send_header_only(uint32_t type);
/* "OPENCHANNEL" for a message type. */
const char *sim_vmbus_msg_name(uint32_t type);
/* UNLOAD: drop what the guest posted before the message being handled, not handled yet. */
void sim_vmbus_queue_drop_earlier(void);

/*
 * The handlers of the guest's messages (control.c's table calls them with
 * a message at least its type's minimum size, on an accepted connection).
 */
void sim_vmbus_on_initiate_contact(const void *msg, uint32_t size, uint32_t conn); /* connection.c */
void sim_vmbus_on_request_offers(const void *msg, uint32_t size, uint32_t conn);
void sim_vmbus_on_unload(const void *msg, uint32_t size, uint32_t conn);
void sim_vmbus_on_gpadl_header(const void *msg, uint32_t size, uint32_t conn);    /* gpadl.c */
void sim_vmbus_on_gpadl_body(const void *msg, uint32_t size, uint32_t conn);
void sim_vmbus_on_gpadl_teardown(const void *msg, uint32_t size, uint32_t conn);
void sim_vmbus_on_open_channel(const void *msg, uint32_t size, uint32_t conn);    /* channel.c */
void sim_vmbus_on_close_channel(const void *msg, uint32_t size, uint32_t conn);
void sim_vmbus_on_relid_released(const void *msg, uint32_t size, uint32_t conn);  /* rescind.c */

/* ---- gpadl.c ---- */
/* The GPADL the guest called @handle, or NULL. */
struct sim_gpadl *sim_gpadl_find(uint32_t handle);
/* Forget @g. */
void sim_gpadl_free(struct sim_gpadl *g);
/* The channel using @g closed: a teardown that waited for it completes. */
void sim_gpadl_release(struct sim_gpadl *g);
/* The connection dropped: every GPADL is revoked. */
void sim_gpadl_free_all(void);

/* ---- channel.c ---- */
/* The channel offered as @relid (the first, if a misbehaviour made two), or NULL. */
struct sim_channel *sim_vmbus_channel_by_relid(uint32_t relid);
/* Close @ch host-side (guest CLOSECHANNEL, RELID_RELEASED before it, a reset). */
void sim_vmbus_channel_close(struct sim_channel *ch);

/* ---- rescind.c ---- */
/* RESCIND_CHANNELOFFER for @ch. */
void sim_vmbus_rescind(struct sim_channel *ch);
/* Quirk @q on: rescind @ch if it is the first integration service to get here (once a run). */
bool sim_vmbus_rescind_first_ic(struct sim_channel *ch, enum sim_quirk q);
/* After @ch opened: quirk rescind_after_open's timer. */
void sim_vmbus_rescind_after_open(struct sim_channel *ch);
/* The guest posts @msg: quirk rescind_racing_gpadl's rescind, before the host handles it. */
void sim_vmbus_rescind_on_post(const void *msg, uint32_t size);
/* After the offers: quirk rescind_unknown's rescind of a relid never offered. */
void sim_vmbus_rescind_unknown(void);

/* ---- misbehave.c ---- */
/* After @ch opened: the ring misbehaviours of this run. */
void sim_vmbus_misbehave_after_open(struct sim_channel *ch);

/* Is @v one of the versions this host accepts (every one up to the configured highest)? (config.c) */
bool sim_vmbus_version_supported(uint32_t v);

#endif
