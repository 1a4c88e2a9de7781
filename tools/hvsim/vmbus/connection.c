/*
 * hvsim's VMBus host, the connection: INITIATE_CONTACT (version, SINT,
 * interrupt and monitor pages), REQUESTOFFERS and the offers, UNLOAD, and
 * the reset that drops a connection (a reconnect or an UNLOAD).  Quirks:
 * 196-byte offers at every version (offer_196_always), a slow UNLOAD
 * (unload_slow).  Misbehaviours: refuse_all, wrong_reply, no_alloffers,
 * offer_after_unload, open_answered_at_unload's failed answers.
 */
#include <stdio.h>
#include <string.h>

#include "tools/hvsim/hvsim.h"
#include "tools/hvsim/vmbus/vmbus.h"
#include "tools/hvsim/vmbus/vmbus_host.h"

#define CONN_STATE_FAILED 2             /* VERSION_RESPONSE connection_state "unknown failure" */
#define UNLOAD_SLOW_NS 50000000000ull   /* quirk unload_slow: Azure's cache write-back, observed up to 50 s */

#define cfg sim_vmbus_cfg
#define bus sim_vmbus_bus
#define channels sim_vmbus_channels
#define nchannels sim_vmbus_nchannels

/*
 * OFFERCHANNEL for @ch: 190 bytes at 0.13 (no is_dedicated_interrupt, no
 * connection_id), 196 after; quirk offer_196_always: 196 bytes with
 * is_dedicated_interrupt=1 at every version, as OpenVMM's vmbus_server
 * sends (channels.rs: is_dedicated 1), while it still signals a < 2.4
 * guest through the interrupt page (channel_bitmap.rs).
 */
static void send_offer(struct sim_channel *ch, uint32_t version)
{
	struct vmbus_offer o;
	uint32_t pipe_mode_message = 4;

	memset(&o, 0, sizeof(o));
	o.hdr.type = VMBUS_MSG_OFFERCHANNEL;
	o.interface_type = ch->class;
	o.interface_instance = ch->instance;
	if (ch->dev->pipe) {
		o.flags = VMBUS_OFFER_FLAG_NAMED_PIPE;
		memcpy(o.user_defined, &pipe_mode_message, sizeof(pipe_mode_message));
	}
	o.child_relid = ch->relid;
	o.monitor_allocated = 0;
	o.is_dedicated_interrupt = version >= VMBUS_VERSION_WIN8 || sim_quirk[QUIRK_OFFER_196_ALWAYS];
	o.connection_id = ch->connection_id;
	bus.offers_sent++;
	sim_vmbus_send_msg(&o, version == VMBUS_VERSION_WS2008 && !sim_quirk[QUIRK_OFFER_196_ALWAYS]
			     ? VMBUS_OFFER_SIZE_WS2008 : sizeof(o));
}

/* Drop the connection: channels closed, GPADLs revoked, offers forgotten (OpenVMM's reset). */
static void reset_connection(void)
{
	bus.connected = false;
	bus.conn_id_open = false;
	bus.offers_requested = false;
	bus.interrupt_page = 0;
	for (unsigned i = 0; i < nchannels; i++) {
		struct sim_channel *ch = &channels[i];

		sim_vmbus_channel_close(ch);
		if (ch->state == SIM_CH_OFFERED)
			ch->state = SIM_CH_NOT_OFFERED;
		else if (ch->state == SIM_CH_RESCINDED)
			ch->state = SIM_CH_RELEASED; /* the device is gone */
	}
	sim_gpadl_free_all();
	bus.version = 0;
}

/* INITIATE_CONTACT: accept or refuse the version, check the pages, answer VERSION_RESPONSE. */
void sim_vmbus_on_initiate_contact(const void *msg, uint32_t size, uint32_t conn)
{
	const struct vmbus_initiate_contact *ic = msg;
	uint32_t v = ic->version;
	bool multiclient = conn == VMBUS_MESSAGE_CONNECTION_ID_4;
	unsigned sint = multiclient && v >= VMBUS_VERSION_WIN10_V5 ? ic->msg_sint : VMBUS_MESSAGE_SINT;
	unsigned vtl = multiclient && v >= VMBUS_VERSION_WIN10_V5_1 ? ic->msg_vtl : 0;
	uint8_t buf[20] = { 0 }; /* VERSION_RESPONSE, + supported_features at 6.0 */
	struct vmbus_version_response *resp = (struct vmbus_version_response *)buf;
	uint8_t state = 0;
	char vb[16], vb2[16];

	bus.contacts++;
	bus.last_requested = v;
	if (bus.connected) {
		/* a reconnect without UNLOAD: OpenVMM drops the old connection first */
		fprintf(stderr, "hvsim: vmbus: INITIATE_CONTACT while connected: resetting the connection\n");
		reset_connection();
	}
	bus.unloaded = false;
	if (sim_mb_fire(MB_VMBUS_WRONG_REPLY)) {
		sim_vmbus_send_header_only(VMBUS_MSG_ALLOFFERS_DELIVERED);
		return;
	}
	resp->hdr.type = VMBUS_MSG_VERSION_RESPONSE;
	if (sint >= HV_SINT_COUNT) {
		sim_vmbus_guest_error("INITIATE_CONTACT asks for SINT %u: no answer", sint);
		return;
	}
	if (!sim_vmbus_version_supported(v) || sim_mb_fire(MB_VMBUS_REFUSE_ALL)) {
		fprintf(stderr, "hvsim: vmbus: INITIATE_CONTACT %s refused (this host: 0.13..%s%s)\n",
			sim_vmbus_version_name(v, vb), sim_vmbus_version_name(cfg.max_version, vb2),
			sim_mb[MB_VMBUS_REFUSE_ALL] ? ", misbehaving: refuses all" : "");
		sim_vmbus_send_msg_to(sint, resp, sizeof(*resp));
		return;
	}
	if (sint != VMBUS_MESSAGE_SINT || vtl) {
		/* OpenVMM: an unsupported response to the SINT asked for */
		sim_vmbus_guest_error("INITIATE_CONTACT %s asks for SINT %u VTL %u (this host serves SINT 2, VTL 0)",
				      sim_vmbus_version_name(v, vb), sint, vtl);
		sim_vmbus_send_msg_to(sint, resp, sizeof(*resp));
		return;
	}
	if (v >= VMBUS_VERSION_WIN8_1 && ic->target_vcpu)
		sim_vmbus_guest_error("INITIATE_CONTACT names target VP %u; the partition has VP 0 only",
				      ic->target_vcpu);
	if ((ic->monitor_page1 == 0) != (ic->monitor_page2 == 0)) {
		sim_vmbus_guest_error("INITIATE_CONTACT gives one monitor page (both or neither)");
		state = CONN_STATE_FAILED;
	} else if (ic->monitor_page1 && ((ic->monitor_page1 | ic->monitor_page2) & 0xfff ||
					 !sim_gpa(ic->monitor_page1, PAGE_SIZE) ||
					 !sim_gpa(ic->monitor_page2, PAGE_SIZE))) {
		sim_vmbus_guest_error("INITIATE_CONTACT monitor pages 0x%llx/0x%llx are not guest RAM pages",
				      (unsigned long long)ic->monitor_page1, (unsigned long long)ic->monitor_page2);
		state = CONN_STATE_FAILED;
	}
	if (v < VMBUS_VERSION_WIN8 && (!ic->interrupt_page || (ic->interrupt_page & 0xfff) ||
				       !sim_gpa(ic->interrupt_page, PAGE_SIZE))) {
		sim_vmbus_guest_error("INITIATE_CONTACT %s needs an interrupt page; 0x%llx is not one",
				      sim_vmbus_version_name(v, vb), (unsigned long long)ic->interrupt_page);
		state = CONN_STATE_FAILED;
	}
	if (state && v < VMBUS_VERSION_WIN8) {
		/* before Win8 a failure can only be told as "unsupported" (OpenVMM) */
		sim_vmbus_send_msg(resp, sizeof(*resp));
		return;
	}
	resp->version_supported = 1;
	resp->connection_state = state;
	resp->msg_conn_id = v >= VMBUS_VERSION_WIN10_V5 ? cfg.conn_id : v;
	if (!state) {
		bus.connected = true;
		bus.version = bus.last_version = v;
		bus.target_vp = ic->target_vcpu;
		bus.via_conn4 = multiclient;
		bus.conn_id_open = v >= VMBUS_VERSION_WIN10_V5;
		bus.interrupt_page = v < VMBUS_VERSION_WIN8 ? ic->interrupt_page : 0;
	}
	sim_vmbus_send_msg(resp, v >= VMBUS_VERSION_WIN10_V6_0 ? 20 : sizeof(*resp));
}

/* REQUESTOFFERS: every device offered, then ALLOFFERS_DELIVERED. */
void sim_vmbus_on_request_offers(const void *msg, uint32_t size, uint32_t conn)
{
	if (bus.offers_requested) {
		sim_vmbus_guest_error("a second REQUESTOFFERS (OpenVMM rejects it): ignored");
		return;
	}
	bus.offers_requested = true;
	for (unsigned i = 0; i < nchannels; i++) {
		if (channels[i].state == SIM_CH_NOT_OFFERED) {
			channels[i].state = SIM_CH_OFFERED;
			send_offer(&channels[i], bus.version);
		}
	}
	/* the offers config.c set up for them are out now */
	sim_mb_fire(MB_VMBUS_ZERO_GUID);
	sim_mb_fire(MB_VMBUS_DUPLICATE_RELID);
	for (unsigned i = 0; i < nchannels; i++)
		if (channels[i].state == SIM_CH_OFFERED)
			sim_vmbus_rescind_first_ic(&channels[i], QUIRK_RESCIND_OFFERED);
	if (!sim_mb_fire(MB_VMBUS_NO_ALLOFFERS)) {
		bus.alloffers++;
		sim_vmbus_send_header_only(VMBUS_MSG_ALLOFFERS_DELIVERED);
	}
	sim_vmbus_rescind_unknown();
}

/* The end of an UNLOAD: UNLOAD_RESPONSE (then, misbehaving, an offer). */
static void unload_complete(uint64_t arg)
{
	sim_vmbus_send_header_only(VMBUS_MSG_UNLOAD_RESPONSE);
	if (nchannels && sim_mb_fire(MB_VMBUS_OFFER_AFTER_UNLOAD))
		send_offer(&channels[0], bus.last_version);
}

/* UNLOAD at any version (OpenVMM vmbus_server handle_unload; vmbus_core protocol.rs: UNLOAD V1). */
void sim_vmbus_on_unload(const void *msg, uint32_t size, uint32_t conn)
{
	for (unsigned i = 0; i < nchannels; i++) {
		struct sim_channel *ch = &channels[i];
		struct vmbus_open_result r = { { VMBUS_MSG_OPENCHANNEL_RESULT, 0 }, ch->relid,
					       ch->held_open_id, STATUS_UNSUCCESSFUL };

		/* vmbus_open_answered_at_unload: the answers held back come now, failed */
		if (ch->open_held) {
			ch->open_held = false;
			sim_vmbus_send_msg(&r, sizeof(r));
		}
	}
	reset_connection();
	bus.unloaded = true;
	/* what the guest posted before the UNLOAD and a slow host has not handled yet dies with the connection */
	sim_vmbus_queue_drop_earlier();
	if (sim_quirk[QUIRK_UNLOAD_SLOW]) {
		fprintf(stderr, "hvsim: vmbus: UNLOAD: writing back the disk cache first (%llu s, quirk unload_slow)\n",
			(unsigned long long)(UNLOAD_SLOW_NS / 1000000000ull));
		sim_at(sim.now_ns + UNLOAD_SLOW_NS, unload_complete, 0);
		return;
	}
	unload_complete(0);
}

