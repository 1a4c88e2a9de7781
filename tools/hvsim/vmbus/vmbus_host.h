/*
 * Inside hvsim's VMBus host: what control.c (the message protocol),
 * config.c (scenario configuration and set-up) and report.c (what the host
 * saw) share.  Nothing outside tools/hvsim/vmbus includes it.
 */
#ifndef HVSIM_VMBUS_HOST_H
#define HVSIM_VMBUS_HOST_H

#include <stdbool.h>
#include <stdint.h>

#include "tools/hvsim/vmbus/vmbus.h"

#define CONNECTION_ID_BASE 0x10000u     /* offer connection_id = base + relid */

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

/* Is @v one of the versions this host accepts (every one up to the configured highest)? (config.c) */
bool sim_vmbus_version_supported(uint32_t v);

#endif
