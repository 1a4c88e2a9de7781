/* State shared by the VMBus client's files (connection.c, channel.c). */
#ifndef HVPROBE_VMBUS_INTERNAL_H
#define HVPROBE_VMBUS_INTERNAL_H

#include "drivers/hyperv/hv_regs.h"
#include "drivers/vmbus/vmbus.h"

#define VMBUS_MAX_CHANNELS 64
#define VMBUS_REPLY_TIMEOUT_NS 5000000000ull  /* Hyper-V answers in ms; allow 5 s */
#define VMBUS_GPADL_FIRST 0xe1e10u             /* handles are ours to choose (as Linux) */
#define VMBUS_MAX_ABANDONED 8

/* The one control request outstanding (HYPERV-PROTOCOL.md §7.3). */
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
	unsigned expect;
	struct vmbus_channel channels[VMBUS_MAX_CHANNELS];
	unsigned nchannels;
	uint32_t next_gpadl;
	void *int_page;           /* < 2.4 only: receive half, then send half */
	struct vmbus_wait wait;
	struct vmbus_abandoned abandoned[VMBUS_MAX_ABANDONED]; /* the newest, round robin */
	unsigned nabandoned;
	bool housekeeping;        /* re-entrancy guard for the loop poller */
	unsigned late_offers, after_unload, malformed;
};

extern struct vmbus_state vmb;

/* connection.c */
/* One VMBus control message from the host (the SynIC handler; fuzzed directly). */
void vmbus_on_message(const struct hv_message *m, void *ctx);
int vmbus_post(const void *msg, uint32_t len);
/* Wait for the reply set up in vmb.wait; 0, or -1 with *why set. */
int vmbus_wait_reply(uint32_t type, uint32_t relid, uint32_t id, const char *what,
		     const char **why);

/* channel.c */
void vmbus_channel_open(struct vmbus_channel *ch);
void vmbus_channel_close(struct vmbus_channel *ch);
void vmbus_channel_release(struct vmbus_channel *ch);
bool vmbus_poll_channels(void *ctx);
void vmbus_signal_host(struct vmbus_channel *ch);
/* GPADL_HEADER/BODY for @pages pages at @mem as @handle; 0 once GPADL_CREATED said so. */
int vmbus_gpadl_post(struct vmbus_channel *ch, uint32_t handle, void *mem, uint32_t pages,
		     const char **why);

/* gpadl.c */
/* Tear down every GPADL a driver created on @ch (after CLOSECHANNEL). */
void vmbus_gpadls_release(struct vmbus_channel *ch);

#endif
