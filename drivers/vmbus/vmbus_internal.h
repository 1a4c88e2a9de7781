/* State shared by the VMBus client's files (connection.c, channel.c). */
#ifndef HVPROBE_VMBUS_INTERNAL_H
#define HVPROBE_VMBUS_INTERNAL_H

#include <stddef.h>

#include "drivers/hyperv/hv_regs.h"
#include "drivers/vmbus/vmbus.h"
#include "kernel/cpu.h"

#define VMBUS_MAX_CHANNELS 64
#define VMBUS_GPADL_FIRST 0xe1e10u             /* handles are ours to choose (as Linux) */
#define VMBUS_MAX_ABANDONED 16

/*
 * How long a control reply may take.  Usual: within 5 s, the limit older
 * Linux put on VERSION_RESPONSE, OPENCHANNEL_RESULT and GPADL_CREATED
 * (3.x drivers/hv/connection.c vmbus_negotiate_version, channel.c
 * vmbus_open and vmbus_establish_gpadl: wait_for_completion_timeout 5 s);
 * later is a warning with the time.  Tolerated: today's Linux waits without
 * limit for these (channel.c vmbus_open, __vmbus_establish_gpadl,
 * vmbus_teardown_gpadl), and 100 s for UNLOAD_RESPONSE because an Azure
 * host writes back its disk cache first, observed up to 50 s
 * (channel_mgmt.c vmbus_wait_for_unload); mu_msvm VmbusDxe and FreeBSD
 * vmbus_msghc_wait_result wait without limit.  A guest that must give a
 * verdict needs a bound: the longest any real guest sets, 100 s.
 */
#define VMBUS_REPLY_USUAL_NS 5000000000ull
#define VMBUS_REPLY_LIMIT_NS 100000000000ull

/* The one control request outstanding (request.c; Linux channel_mgmt.c matches replies the same way). */
struct vmbus_wait {
	bool active, done, rescinded;
	uint32_t type;            /* the reply we wait for */
	uint32_t relid, id;       /* what it must carry (0 = any) */
	uint32_t unexpected;      /* another message arrived instead (its type, 0 = none) */
	uint8_t msg[HV_MESSAGE_PAYLOAD_MAX];
	uint32_t len;
};

/* A reply we stopped waiting for (deadline, rescind, wrong reply): type 0 = free. */
struct vmbus_abandoned {
	uint32_t type, relid, id;
};

struct vmbus_state {
	bool connected, requested_offers, alloffers, unloaded;
	uint32_t version, msg_conn_id, vp;
	struct vmbus_channel channels[VMBUS_MAX_CHANNELS];
	unsigned nchannels;
	uint32_t next_gpadl;
	void *int_page;           /* < 2.4 only: receive half, then send half */
	struct vmbus_wait wait;
	struct vmbus_abandoned abandoned[VMBUS_MAX_ABANDONED];
	unsigned forgotten;       /* abandoned requests that did not fit */
	bool offers_done;         /* the wait for ALLOFFERS_DELIVERED is over (either way) */
	bool housekeeping;        /* re-entrancy guard for the loop poller */
	unsigned late_offers, after_unload, malformed, post_retried, unknown_rescinds;
	uint64_t connect_took_ns; /* the slowest VERSION_RESPONSE */
	uint8_t seen_relids[(VMBUS_MAX_RELID + 1 + 7) / 8]; /* relids of every offer, kept or not */
	/* vpbus (target_vp.c): processors whose SynIC takes channel events, and their VP indices */
	unsigned ncpus, next_cpu;
	uint8_t cpus[CPU_MAX_VPS];
	uint32_t vps[CPU_MAX_VPS];
};

extern struct vmbus_state vmb;

/* connection.c */
/* One VMBus control message from the host (the SynIC handler; fuzzed directly). */
void vmbus_on_message(const struct hv_message *m, void *ctx);

/* request.c */
/* A control request and the reply it waits for. */
struct vmbus_request {
	const void *msg;          /* the request */
	uint32_t len;
	/* more messages after the first (GPADL_BODY); HV status */
	uint16_t (*post_more)(const struct vmbus_request *rq, const char **why);
	const void *ctx;          /* post_more's */
	uint32_t reply;           /* the reply's type */
	uint32_t relid, id;       /* what the reply must carry (0 = any) */
	uint64_t limit_ns;        /* give up after this long */
	void *out;                /* the reply is copied here (zero-filled up to out_size) */
	uint32_t out_size;
	uint64_t took_ns;         /* out: how long the reply took */
	uint16_t post_status;     /* out: HvPostMessage's last status */
	bool rescinded;           /* out: the wait ended because the host rescinded rq->relid */
};
/* Post @rq, wait for its reply, copy it out: 0, or -1 with *@why (and the request remembered). */
int vmbus_request(struct vmbus_request *rq, const char **why);
/* Was @rq's reply later than usual?  Then a sentence with the time in @buf. */
bool vmbus_request_late(const struct vmbus_request *rq, char *buf, size_t n);
/* A request is outstanding (pollers must not start another). */
bool vmbus_request_busy(void);
/* The host rescinded @relid: a request waiting on it ends. */
void vmbus_request_rescinded(uint32_t relid);
/* A reply-type message from the host (matched to the request, or logged as late). */
void vmbus_on_reply(const uint8_t *msg, uint32_t len);
/* HvPostMessage of one control message, retried like Linux; HV status (and *@why when not 0). */
uint16_t vmbus_post(const void *msg, uint32_t len, const char **why);
const char *vmbus_msg_name(uint32_t type);

/* channel.c */
void vmbus_channel_open(struct vmbus_channel *ch);
/* Close an open channel: CLOSECHANNEL, GPADLs torn down (@late: a late teardown's time, or NULL). */
void vmbus_channel_close(struct vmbus_channel *ch, char *late, size_t n);
/* CLOSECHANNEL now, if OPENCHANNEL succeeded and no CLOSECHANNEL went yet. */
void vmbus_channel_send_close(struct vmbus_channel *ch);
void vmbus_channel_release(struct vmbus_channel *ch);
bool vmbus_poll_channels(void *ctx);
void vmbus_signal_host(struct vmbus_channel *ch);

/* target_vp.c */
/* After the version is known: which processors take channel events (VP 0, and APs from 2.4 on). */
void vmbus_vp_setup(void);
/* Pick the VP @ch's OPENCHANNEL names (ch->cpu, ch->target_vp). */
void vmbus_vp_place(struct vmbus_channel *ch);
/* Test and clear @ch's event flag on every VP's page (counted for vmbus.target_vp). */
void vmbus_vp_take_flags(struct vmbus_channel *ch);
/* vmbus.target_vp, once at the end of the run. */
void vmbus_vp_report(void);

/* gpadl.c */
/* GPADL_HEADER/BODY for @pages pages at @mem as @handle; 0 once GPADL_CREATED said so. */
int vmbus_gpadl_post(struct vmbus_channel *ch, uint32_t handle, void *mem, uint32_t pages,
		     struct vmbus_request *rq, const char **why);
/* GPADL_TEARDOWN of @handle and its GPADL_TORNDOWN; 0, or -1 with *@why. */
int vmbus_gpadl_torndown(struct vmbus_channel *ch, uint32_t handle, struct vmbus_request *rq,
			 const char **why);
/* Tear down every GPADL a driver created on @ch (after CLOSECHANNEL). */
void vmbus_gpadls_release(struct vmbus_channel *ch);

#endif
