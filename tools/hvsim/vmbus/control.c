/*
 * hvsim's VMBus host, the control protocol: the parent partition's side of
 * the channel protocol
 * (OpenVMM vmbus_server channels.rs; Linux drivers/hv/channel_mgmt.c), as
 * Hyper-V and OpenVMM behave.  Messages the guest posts (HvPostMessage,
 * connection 1; 4 for a >= 5.0 INITIATE_CONTACT; then the returned
 * msg_conn_id) are queued and each handled vmbus_delay_ms later (a slow
 * message type holds back only itself), validated against a table of
 * message types; answers go to SINT 2.  Quirks (sim_quirk[QUIRK_*]) are
 * legal habits of real hosts: a slow UNLOAD, transient post failures, a
 * rescind of a relid never offered, 196-byte offers at every version.  Channels are opened on a GPADL
 * whose first downstream_ring_offset pages are the guest -> host ring.
 * Misbehaviours (sim_mb[MB_VMBUS_*]) break exactly one rule each.  Every
 * guest mistake is logged on stderr and refused the way a host would,
 * never trusted: each guest address goes through sim_gpa().  Scenario
 * configuration and set-up: config.c; the power-off report: report.c.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tools/hvsim/hvsim.h"
#include "tools/hvsim/vmbus/vmbus.h"
#include "tools/hvsim/vmbus/vmbus_host.h"

#define STATUS_GPADL_FAILED 0x8000ffffu /* E_UNEXPECTED, OpenVMM's GPADL_CREATED error */
#define STATUS_UNSUCCESSFUL 0xc0000001u /* NTSTATUS, a failed open */
#define TARGET_VP_NONE 0xffffffffu      /* OPENCHANNEL: no host -> guest interrupts */
#define CONN_STATE_FAILED 2             /* VERSION_RESPONSE connection_state "unknown failure" */
#define INQ_LEN 64                      /* the host's port queue: then INSUFFICIENT_BUFFERS */
#define MAX_GPADLS 64
#define SERVICE_NS 10000ull             /* a signalled ring is read 10 us later */
#define PING_LEN 24
#define MSG_TYPES 30                    /* types 0..29 exist (OpenVMM vmbus_core protocol.rs) */
#define INTERRUPT_PAGE_SEND_HALF 2048   /* guest -> host bits of the < 2.4 interrupt page */
#define RESCIND_AFTER_OPEN_NS 3000000000ull /* vmbus_rescind_after_open: the device ran a while */
#define RESCIND_UNKNOWN_RELID 1000u     /* quirk rescind_unknown: beyond every offer hvsim makes */
#define UNLOAD_SLOW_NS 50000000000ull   /* quirk unload_slow: Azure's cache write-back, observed up to 50 s */
#define POST_TRANSIENT_EVERY 4          /* quirk post_transient: every 4th message... */
#define POST_TRANSIENT_BUFFERS 3        /* ...is refused INSUFFICIENT_BUFFERS 3 times */
#define POST_TRANSIENT_CONN 2           /* ...then INVALID_CONNECTION_ID twice (not INITIATE_CONTACT) */

#define cfg sim_vmbus_cfg
#define bus sim_vmbus_bus
#define channels sim_vmbus_channels
#define nchannels sim_vmbus_nchannels


/* A GPADL: its range buffer as the guest described it, and what uses it. */
struct sim_gpadl {
	uint32_t handle, relid;
	uint16_t rangecount;
	uint32_t nwords, have;     /* u64 words of the range buffer: expected, received */
	uint64_t *words;           /* per range: {u32 byte_count, u32 byte_offset}, PFNs */
	bool complete, teardown_pending;
	struct sim_channel *user;  /* the open channel whose rings live here */
};

static struct sim_gpadl *gpadls[MAX_GPADLS];
struct sim_channel sim_vmbus_channels[SIM_VMBUS_MAX_CHANNELS];
unsigned sim_vmbus_nchannels;
struct sim_vmbus_bus sim_vmbus_bus;

/*
 * Messages the guest posted, each handled once due; messages due at the
 * same time in the order posted.  A message of a delayed type does not
 * hold back the others: a host serves its channels independently (the
 * guest's CLOSECHANNEL is not stuck behind another channel's slow open).
 */
static struct {
	bool used;
	uint64_t due, seq;
	uint32_t conn, size;
	uint8_t data[HV_MESSAGE_PAYLOAD_MAX];
} inq[INQ_LEN];
static unsigned inq_len;
static uint64_t inq_seq, processing_seq;
static bool service_scheduled;
static uint64_t pump_at = UINT64_MAX; /* when the pump timer is due (MAX: none) */

/* ---- logging ---- */

void sim_vmbus_guest_error(const char *fmt, ...)
{
	va_list ap;
	char buf[sizeof(bus.first_error)];

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (!bus.errors++)
		memcpy(bus.first_error, buf, sizeof(buf));
	sim.guest_errors++;
	fprintf(stderr, "hvsim: vmbus: guest error: %s\n", buf);
}

void sim_vmbus_trace(const char *fmt, ...)
{
	va_list ap;

	if (!cfg.trace)
		return;
	fprintf(stderr, "hvsim: vmbus: [%llu.%06llu] ", (unsigned long long)(sim.now_ns / 1000000000),
		(unsigned long long)(sim.now_ns / 1000 % 1000000));
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* ---- sending ---- */

static const char *msg_name(uint32_t type);

/* Post one channel message to the guest's SINT @sint. */
static void send_msg_to(unsigned sint, const void *msg, uint32_t size)
{
	const struct vmbus_msg_header *h = msg;

	bus.msgs_out++;
	sim_vmbus_trace("-> guest: %s (%u bytes)", msg_name(h->type), size);
	sim_post_to_guest(sint, HV_MESSAGE_TYPE_VMBUS, msg, (uint8_t)size);
}

static void send_msg(const void *msg, uint32_t size)
{
	send_msg_to(VMBUS_MESSAGE_SINT, msg, size);
}

/* A message that is only the 8-byte header. */
static void send_header_only(uint32_t type)
{
	struct vmbus_msg_header h = { type, 0 };

	send_msg(&h, sizeof(h));
}

void sim_vmbus_interrupt_guest(struct sim_channel *ch)
{
	if (ch->target_vp == TARGET_VP_NONE)
		return;
	ch->signals_out++;
	if (bus.version >= VMBUS_VERSION_WIN8) {
		sim_signal_guest(VMBUS_MESSAGE_SINT, ch->relid); /* dedicated: flag = relid */
		return;
	}
	/* < 2.4: bit relid in the interrupt page's host -> guest half, SIEF flag 0 summarises */
	if (bus.interrupt_page) {
		uint8_t *p = sim_gpa(bus.interrupt_page + ch->relid / 8, 1);

		if (p)
			__atomic_fetch_or(p, (uint8_t)(1u << (ch->relid % 8)), __ATOMIC_SEQ_CST);
	}
	sim_signal_guest(VMBUS_MESSAGE_SINT, 0);
}

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
	send_msg(&o, version == VMBUS_VERSION_WS2008 && !sim_quirk[QUIRK_OFFER_196_ALWAYS]
			     ? VMBUS_OFFER_SIZE_WS2008 : sizeof(o));
}

/* ---- channels and GPADLs ---- */

struct sim_channel *sim_vmbus_channel(unsigned i)
{
	return i < nchannels ? &channels[i] : NULL;
}

/* The channel offered as @relid (the first, if a misbehaviour made two). */
static struct sim_channel *channel_by_relid(uint32_t relid)
{
	for (unsigned i = 0; i < nchannels; i++)
		if (channels[i].relid == relid && channels[i].state != SIM_CH_NOT_OFFERED &&
		    channels[i].state != SIM_CH_RELEASED)
			return &channels[i];
	return NULL;
}

static struct sim_gpadl *gpadl_find(uint32_t handle)
{
	for (unsigned i = 0; i < MAX_GPADLS; i++)
		if (gpadls[i] && gpadls[i]->handle == handle)
			return gpadls[i];
	return NULL;
}

static void gpadl_free(struct sim_gpadl *g)
{
	for (unsigned i = 0; i < MAX_GPADLS; i++)
		if (gpadls[i] == g)
			gpadls[i] = NULL;
	free(g->words);
	free(g);
}

const uint64_t *sim_gpadl_pages(const struct sim_channel *ch, uint32_t handle, uint32_t *npages)
{
	const struct sim_gpadl *g = gpadl_find(handle);

	if (!g || !g->complete || g->teardown_pending || g->relid != ch->relid || g->rangecount != 1 ||
	    g->words[0] >> 32 || (uint32_t)g->words[0] != (g->nwords - 1) * PAGE_SIZE)
		return NULL;
	*npages = g->nwords - 1;
	return g->words + 1;
}

static void send_gpadl_created(uint32_t relid, uint32_t handle, uint32_t status)
{
	struct vmbus_gpadl_created m = { { VMBUS_MSG_GPADL_CREATED, 0 }, relid, handle, status };

	send_msg(&m, sizeof(m));
}

static void send_gpadl_torndown(uint32_t handle)
{
	struct vmbus_gpadl_torndown m = { { VMBUS_MSG_GPADL_TORNDOWN, 0 }, handle };

	send_msg(&m, sizeof(m));
}

/* Close @ch host-side; a teardown that waited for it completes (when connected). */
static void channel_close(struct sim_channel *ch)
{
	struct sim_gpadl *g = ch->gpadl;

	if (!ch->open)
		return;
	ch->open = false;
	ch->service_due = false;
	sim_ring_drop_backlog(ch);
	if (ch->dev->on_close)
		ch->dev->on_close(ch);
	ch->gpadl = NULL;
	memset(&ch->in, 0, sizeof(ch->in));
	memset(&ch->out, 0, sizeof(ch->out));
	if (g) {
		g->user = NULL;
		if (g->teardown_pending && bus.connected) {
			send_gpadl_torndown(g->handle);
			gpadl_free(g);
		}
	}
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

		channel_close(ch);
		if (ch->state == SIM_CH_OFFERED)
			ch->state = SIM_CH_NOT_OFFERED;
		else if (ch->state == SIM_CH_RESCINDED)
			ch->state = SIM_CH_RELEASED; /* the device is gone */
	}
	for (unsigned i = 0; i < MAX_GPADLS; i++)
		if (gpadls[i])
			gpadl_free(gpadls[i]);
	bus.version = 0;
}

static void rescind(struct sim_channel *ch)
{
	struct vmbus_relid_msg m = { { VMBUS_MSG_RESCIND_CHANNELOFFER, 0 }, ch->relid };

	fprintf(stderr, "hvsim: vmbus: rescinding channel %u (%s)\n", ch->relid, ch->dev->name);
	ch->state = SIM_CH_RESCINDED;
	send_msg(&m, sizeof(m));
}

/* Misbehaviour @mb: rescind @ch if it is the first integration service to get here (once a run). */
static bool rescind_first_ic(struct sim_channel *ch, enum sim_misbehaviour mb)
{
	if (!sim_mb[mb] || bus.rescinded_once || !ch->dev->pipe)
		return false;
	bus.rescinded_once = true;
	rescind(ch);
	return true;
}

/* The timed event of vmbus_rescind_after_open: channel index @i, if still offered. */
static void rescind_open_channel(uint64_t i)
{
	struct sim_channel *ch = &channels[i];

	if (bus.connected && ch->state == SIM_CH_OFFERED && ch->open)
		rescind(ch);
}

/* ---- after a channel opened: misbehaviours, the device, pings ---- */

/* vmbus_overlong_packet: a descriptor whose len8 claims more than the ring holds. */
static void write_overlong_packet(struct sim_channel *ch)
{
	struct vmbus_ring_control *ctl = sim_ring_control(&ch->out);
	uint32_t w = ch->out.index, claim = ch->out.size / 8 + 2;
	struct vmbus_packet pkt = { VMBUS_PKT_DATA_INBAND, 2, (uint16_t)(claim > 0xffff ? 0xffff : claim), 0, 0 };
	uint64_t payload = 0x676e6f6c7265766full, trailer = (uint64_t)w << 32; /* "overlong" */
	bool was_empty = ctl->read_index == w;

	sim_ring_put(&ch->out, w, &pkt, sizeof(pkt));
	sim_ring_put(&ch->out, (w + 16) % ch->out.size, &payload, 8);
	sim_ring_put(&ch->out, (w + 24) % ch->out.size, &trailer, 8);
	ch->out.index = (w + 32) % ch->out.size;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	ctl->write_index = ch->out.index;
	ch->out.broken = true;
	fprintf(stderr, "hvsim: vmbus: channel %u: wrote a packet claiming %u bytes (ring data 0x%x)\n",
		ch->relid, pkt.len8 * 8u, ch->out.size);
	if (was_empty && !ctl->interrupt_mask)
		sim_vmbus_interrupt_guest(ch);
}

static void after_open(struct sim_channel *ch)
{
	static const char unsignalled[PING_LEN] = "hvsim unsignalled";

	if (sim_mb[MB_VMBUS_SIGNAL_BEFORE_OPEN]) {
		/* a valid packet, but no interrupt: the guest must poll once after open */
		sim_ring_write(ch, VMBUS_PKT_DATA_INBAND, 0, 0, unsignalled, PING_LEN, false);
	}
	if (sim_mb[MB_VMBUS_CORRUPT_RING]) {
		struct vmbus_ring_control *ctl = sim_ring_control(&ch->out);

		sim_ring_write(ch, VMBUS_PKT_DATA_INBAND, 0, 0, "hvsim corrupt", 14, true);
		ctl->write_index = ch->out.size + 4; /* not a multiple of 8, beyond the data */
		ch->out.broken = true;
		fprintf(stderr, "hvsim: vmbus: channel %u: set the guest's inbound write_index to 0x%x (data 0x%x)\n",
			ch->relid, ch->out.size + 4, ch->out.size);
	}
	if (sim_mb[MB_VMBUS_OVERLONG_PACKET] && !ch->out.broken)
		write_overlong_packet(ch);
	if (sim_mb[MB_VMBUS_RESCIND_AFTER_OPEN] && !bus.rescinded_once && ch->dev->pipe) {
		bus.rescinded_once = true;
		sim_at(sim.now_ns + RESCIND_AFTER_OPEN_NS, rescind_open_channel, ch->index);
	}
	if (ch->dev->on_open)
		ch->dev->on_open(ch);
	for (unsigned n = 1; n <= cfg.ping && ch->open; n++) {
		char ping[PING_LEN] = { 0 };

		snprintf(ping, sizeof(ping), "hvsim ping %u", n);
		if (sim_channel_send(ch, VMBUS_PKT_DATA_INBAND, n, ping, PING_LEN) < 0)
			break;
	}
}

/* ---- control message handlers ---- */

static void on_initiate_contact(const void *msg, uint32_t size, uint32_t conn)
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
	if (sim_mb[MB_VMBUS_WRONG_REPLY]) {
		send_header_only(VMBUS_MSG_ALLOFFERS_DELIVERED);
		return;
	}
	resp->hdr.type = VMBUS_MSG_VERSION_RESPONSE;
	if (sint >= HV_SINT_COUNT) {
		sim_vmbus_guest_error("INITIATE_CONTACT asks for SINT %u: no answer", sint);
		return;
	}
	if (!sim_vmbus_version_supported(v) || sim_mb[MB_VMBUS_REFUSE_ALL]) {
		fprintf(stderr, "hvsim: vmbus: INITIATE_CONTACT %s refused (this host: 0.13..%s%s)\n",
			sim_vmbus_version_name(v, vb), sim_vmbus_version_name(cfg.max_version, vb2),
			sim_mb[MB_VMBUS_REFUSE_ALL] ? ", misbehaving: refuses all" : "");
		send_msg_to(sint, resp, sizeof(*resp));
		return;
	}
	if (sint != VMBUS_MESSAGE_SINT || vtl) {
		/* OpenVMM: an unsupported response to the SINT asked for */
		sim_vmbus_guest_error("INITIATE_CONTACT %s asks for SINT %u VTL %u (this host serves SINT 2, VTL 0)",
				      sim_vmbus_version_name(v, vb), sint, vtl);
		send_msg_to(sint, resp, sizeof(*resp));
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
		send_msg(resp, sizeof(*resp));
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
	send_msg(resp, v >= VMBUS_VERSION_WIN10_V6_0 ? 20 : sizeof(*resp));
}

static void on_request_offers(const void *msg, uint32_t size, uint32_t conn)
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
	for (unsigned i = 0; i < nchannels; i++)
		if (channels[i].state == SIM_CH_OFFERED)
			rescind_first_ic(&channels[i], MB_VMBUS_RESCIND_OFFERED);
	if (!sim_mb[MB_VMBUS_NO_ALLOFFERS]) {
		bus.alloffers++;
		send_header_only(VMBUS_MSG_ALLOFFERS_DELIVERED);
	}
	if (sim_quirk[QUIRK_RESCIND_UNKNOWN]) {
		/*
		 * A relid this connection never offered, as a host rescinds an
		 * offer the guest dropped (Linux vmbus_onoffer_rescind ignores
		 * it): no RELID_RELEASED is due for it.
		 */
		struct vmbus_relid_msg m = { { VMBUS_MSG_RESCIND_CHANNELOFFER, 0 }, RESCIND_UNKNOWN_RELID };

		fprintf(stderr, "hvsim: vmbus: rescinding relid %u, which was never offered (quirk rescind_unknown)\n",
			RESCIND_UNKNOWN_RELID);
		send_msg(&m, sizeof(m));
	}
}

/* Check that the range buffer of @g describes guest RAM consistently. */
static bool gpadl_valid(const struct sim_gpadl *g)
{
	uint32_t i = 0;

	for (unsigned r = 0; r < g->rangecount; r++) {
		uint32_t byte_count, byte_offset, npfn;

		if (i >= g->nwords) {
			sim_vmbus_guest_error("GPADL 0x%x: range_buflen too short for %u ranges", g->handle,
					      g->rangecount);
			return false;
		}
		byte_count = (uint32_t)g->words[i];
		byte_offset = (uint32_t)(g->words[i] >> 32);
		i++;
		if (!byte_count || byte_offset >= PAGE_SIZE) {
			sim_vmbus_guest_error("GPADL 0x%x: range %u has byte_count %u, byte_offset %u",
					      g->handle, r, byte_count, byte_offset);
			return false;
		}
		npfn = (uint32_t)(((uint64_t)byte_offset + byte_count + PAGE_SIZE - 1) / PAGE_SIZE);
		if (npfn > g->nwords - i) {
			sim_vmbus_guest_error("GPADL 0x%x: range %u needs %u PFNs, range_buflen leaves %u",
					      g->handle, r, npfn, g->nwords - i);
			return false;
		}
		for (uint32_t k = 0; k < npfn; k++, i++) {
			uint64_t pfn = g->words[i];

			if (pfn > (UINT64_MAX >> 12) || !sim_gpa(pfn << 12, PAGE_SIZE)) {
				sim_vmbus_guest_error("GPADL 0x%x: PFN 0x%llx is outside guest RAM", g->handle,
						      (unsigned long long)pfn);
				return false;
			}
		}
	}
	if (i != g->nwords) {
		sim_vmbus_guest_error("GPADL 0x%x: range_buflen is %u bytes, the ranges use %u",
				      g->handle, g->nwords * 8, i * 8);
		return false;
	}
	return true;
}

/* All of @g's range buffer arrived: validate it and answer. */
static void gpadl_complete(struct sim_gpadl *g)
{
	struct sim_channel *ch = channel_by_relid(g->relid);
	uint32_t status = 0;

	if (ch && rescind_first_ic(ch, MB_VMBUS_RESCIND_MID_GPADL)) {
		/* the offer is gone, and the GPADL it was half made for with it: no GPADL_CREATED */
		gpadl_free(g);
		return;
	}
	if (!gpadl_valid(g) || sim_mb[MB_VMBUS_GPADL_FAIL])
		status = STATUS_GPADL_FAILED;
	send_gpadl_created(g->relid, g->handle, status);
	if (status) {
		gpadl_free(g);
		return;
	}
	g->complete = true;
}

static void on_gpadl_header(const void *msg, uint32_t size, uint32_t conn)
{
	const struct vmbus_gpadl_header *h = msg;
	uint32_t avail = (size - sizeof(*h) + 8) / 8; /* words from byte_count on */
	struct sim_channel *ch = channel_by_relid(h->child_relid);
	struct sim_gpadl *g;
	unsigned slot;

	if (!ch || ch->state != SIM_CH_OFFERED) {
		sim_vmbus_guest_error("GPADL_HEADER 0x%x for relid %u, which is not offered", h->gpadl,
				      h->child_relid);
		send_gpadl_created(h->child_relid, h->gpadl, STATUS_GPADL_FAILED);
		return;
	}
	if (gpadl_find(h->gpadl)) {
		sim_vmbus_guest_error("GPADL_HEADER reuses handle 0x%x", h->gpadl);
		send_gpadl_created(h->child_relid, h->gpadl, STATUS_GPADL_FAILED);
		return;
	}
	if (!h->rangecount || h->range_buflen < 16 || h->range_buflen % 8 || (size - 20) % 8 ||
	    avail > h->range_buflen / 8u) {
		sim_vmbus_guest_error("GPADL_HEADER 0x%x: rangecount %u, range_buflen %u in a %u-byte message",
				      h->gpadl, h->rangecount, h->range_buflen, size);
		send_gpadl_created(h->child_relid, h->gpadl, STATUS_GPADL_FAILED);
		return;
	}
	for (slot = 0; slot < MAX_GPADLS && gpadls[slot]; slot++)
		;
	g = slot < MAX_GPADLS ? calloc(1, sizeof(*g)) : NULL;
	if (g)
		g->words = calloc(h->range_buflen / 8, sizeof(uint64_t));
	if (!g || !g->words) {
		fprintf(stderr, "hvsim: vmbus: no room for GPADL 0x%x\n", h->gpadl);
		if (g)
			free(g);
		send_gpadl_created(h->child_relid, h->gpadl, STATUS_GPADL_FAILED);
		return;
	}
	gpadls[slot] = g;
	g->handle = h->gpadl;
	g->relid = h->child_relid;
	g->rangecount = h->rangecount;
	g->nwords = h->range_buflen / 8;
	g->have = avail;
	memcpy(g->words, (const uint8_t *)msg + 20, avail * 8);
	if (g->have == g->nwords)
		gpadl_complete(g);
}

static void on_gpadl_body(const void *msg, uint32_t size, uint32_t conn)
{
	const struct vmbus_gpadl_body *b = msg;
	struct sim_gpadl *g = gpadl_find(b->gpadl);
	uint32_t n = (size - sizeof(*b)) / 8;

	if (!g || g->complete) {
		sim_vmbus_guest_error("GPADL_BODY for gpadl 0x%x, which no GPADL_HEADER started: ignored",
				      b->gpadl);
		return;
	}
	if ((size - sizeof(*b)) % 8 || n == 0 || n > g->nwords - g->have) {
		sim_vmbus_guest_error("GPADL_BODY for gpadl 0x%x carries %u bytes, %u PFNs were still due",
				      b->gpadl, size - (uint32_t)sizeof(*b), g->nwords - g->have);
		send_gpadl_created(g->relid, g->handle, STATUS_GPADL_FAILED);
		gpadl_free(g);
		return;
	}
	memcpy(g->words + g->have, (const uint8_t *)msg + sizeof(*b), n * 8);
	g->have += n;
	if (g->have == g->nwords)
		gpadl_complete(g);
}

static void on_gpadl_teardown(const void *msg, uint32_t size, uint32_t conn)
{
	const struct vmbus_gpadl_teardown *t = msg;
	struct sim_gpadl *g = gpadl_find(t->gpadl);

	if (!g || !g->complete || g->relid != t->child_relid) {
		sim_vmbus_guest_error("GPADL_TEARDOWN of gpadl 0x%x on relid %u: no such GPADL: ignored",
				      t->gpadl, t->child_relid);
		return;
	}
	if (g->teardown_pending) {
		sim_vmbus_guest_error("a second GPADL_TEARDOWN of gpadl 0x%x: ignored", t->gpadl);
		return;
	}
	if (g->user) {
		/* the host answers once the channel using it is closed */
		sim_vmbus_guest_error("GPADL_TEARDOWN of gpadl 0x%x while channel %u still uses it: deferred",
				      t->gpadl, g->user->relid);
		g->teardown_pending = true;
		return;
	}
	send_gpadl_torndown(g->handle);
	gpadl_free(g);
}

/*
 * Validate OPENCHANNEL's ring GPADL (OpenVMM make_rings):
 * one page-aligned range, split at downstream_ring_offset into two rings
 * of a control page and at least one data page each, indices sane.  On
 * success fill @in and @out; return 0 or an NTSTATUS.
 */
static uint32_t open_check(struct sim_channel *ch, const struct vmbus_open_channel *o,
			   struct sim_ring *in, struct sim_ring *out)
{
	struct sim_gpadl *g = gpadl_find(o->ring_gpadl);
	uint32_t d = o->downstream_ring_offset, npfn;
	struct vmbus_ring_control *ic, *oc;

	if (!g || !g->complete || g->teardown_pending) {
		sim_vmbus_guest_error("OPENCHANNEL %u: ring gpadl 0x%x does not exist", ch->relid, o->ring_gpadl);
		return STATUS_UNSUCCESSFUL;
	}
	if (g->relid != ch->relid || g->user) {
		sim_vmbus_guest_error("OPENCHANNEL %u: gpadl 0x%x belongs to relid %u%s", ch->relid,
				      o->ring_gpadl, g->relid, g->user ? " and is in use" : "");
		return STATUS_UNSUCCESSFUL;
	}
	npfn = g->nwords - 1;
	if (g->rangecount != 1 || (uint32_t)(g->words[0] >> 32) != 0 ||
	    (uint32_t)g->words[0] != npfn * PAGE_SIZE) {
		sim_vmbus_guest_error("OPENCHANNEL %u: gpadl 0x%x is not one page-aligned range", ch->relid,
				      o->ring_gpadl);
		return STATUS_UNSUCCESSFUL;
	}
	if (d < 2 || d > npfn - 2 || npfn < 4) {
		sim_vmbus_guest_error("OPENCHANNEL %u: downstream_ring_offset %u of a %u-page GPADL (each ring needs a control page and data pages)",
				      ch->relid, d, npfn);
		return STATUS_UNSUCCESSFUL;
	}
	if (o->target_vp != 0 && o->target_vp != TARGET_VP_NONE) {
		sim_vmbus_guest_error("OPENCHANNEL %u: target VP %u does not exist", ch->relid, o->target_vp);
		return STATUS_UNSUCCESSFUL;
	}
	*in = (struct sim_ring){ g->words + 1, d, (d - 1) * PAGE_SIZE, 0, false };
	*out = (struct sim_ring){ g->words + 1 + d, npfn - d, (npfn - d - 1) * PAGE_SIZE, 0, false };
	ic = sim_ring_control(in);
	oc = sim_ring_control(out);
	if (!ic || !oc || !sim_ring_index_ok(in, ic->write_index) || !sim_ring_index_ok(in, ic->read_index) ||
	    !sim_ring_index_ok(out, oc->write_index) || !sim_ring_index_ok(out, oc->read_index)) {
		sim_vmbus_guest_error("OPENCHANNEL %u: ring control pages hold invalid indices", ch->relid);
		return STATUS_UNSUCCESSFUL;
	}
	in->index = ic->read_index;
	out->index = oc->write_index;
	return 0;
}

static void on_open_channel(const void *msg, uint32_t size, uint32_t conn)
{
	const struct vmbus_open_channel *o = msg;
	struct sim_channel *ch = channel_by_relid(o->child_relid);
	struct vmbus_open_result r = { { VMBUS_MSG_OPENCHANNEL_RESULT, 0 }, o->child_relid, o->open_id, 0 };
	struct sim_ring in, out;

	if (!ch) {
		sim_vmbus_guest_error("OPENCHANNEL for relid %u, which is not offered: ignored", o->child_relid);
		return;
	}
	if (ch->state == SIM_CH_RESCINDED) {
		/* Hyper-V silently ignores it (Linux channel.c) */
		fprintf(stderr, "hvsim: vmbus: OPENCHANNEL for rescinded relid %u: ignored\n", ch->relid);
		return;
	}
	if (ch->open) {
		sim_vmbus_guest_error("OPENCHANNEL for relid %u, which is open already: ignored", ch->relid);
		return;
	}
	if (rescind_first_ic(ch, MB_VMBUS_RESCIND_MID_OPEN))
		return;
	if (sim_mb[MB_VMBUS_OPEN_ANSWERED_AT_UNLOAD]) {
		ch->open_held = true;
		ch->held_open_id = o->open_id;
		return;
	}
	r.status = open_check(ch, o, &in, &out);
	if (!r.status && sim_mb[MB_VMBUS_OPEN_FAIL])
		r.status = STATUS_UNSUCCESSFUL;
	send_msg(&r, sim_mb[MB_VMBUS_MESSAGE_SHORT] ? 10 : sizeof(r));
	if (r.status)
		return;
	ch->open = true;
	ch->opens++;
	ch->open_id = o->open_id;
	ch->target_vp = o->target_vp;
	ch->gpadl = gpadl_find(o->ring_gpadl);
	ch->gpadl->user = ch;
	ch->in = in;
	ch->out = out;
	/* the host, as the writer of the guest's inbound ring, honours pending_send_sz */
	sim_ring_control(&ch->out)->feature_bits |= VMBUS_RING_FEAT_PENDING_SEND_SZ;
	after_open(ch);
}

static void on_close_channel(const void *msg, uint32_t size, uint32_t conn)
{
	const struct vmbus_relid_msg *m = msg;
	struct sim_channel *ch = channel_by_relid(m->child_relid);

	if (!ch || !ch->open) {
		sim_vmbus_guest_error("CLOSECHANNEL for relid %u, which is not open: ignored", m->child_relid);
		return;
	}
	channel_close(ch);
}

static void on_relid_released(const void *msg, uint32_t size, uint32_t conn)
{
	const struct vmbus_relid_msg *m = msg;
	struct sim_channel *ch = channel_by_relid(m->child_relid);

	if (!ch || ch->state != SIM_CH_RESCINDED) {
		sim_vmbus_guest_error("RELID_RELEASED for relid %u, which was not rescinded: ignored",
				      m->child_relid);
		return;
	}
	if (ch->open) {
		sim_vmbus_guest_error("RELID_RELEASED for relid %u before CLOSECHANNEL", ch->relid);
		channel_close(ch);
	}
	ch->state = SIM_CH_RELEASED;
}

/* The end of an UNLOAD: UNLOAD_RESPONSE (then, misbehaving, an offer). */
static void unload_complete(uint64_t arg)
{
	send_header_only(VMBUS_MSG_UNLOAD_RESPONSE);
	if (sim_mb[MB_VMBUS_OFFER_AFTER_UNLOAD] && nchannels)
		send_offer(&channels[0], bus.last_version);
}

/* UNLOAD at any version (OpenVMM vmbus_server handle_unload; vmbus_core protocol.rs: UNLOAD V1). */
static void on_unload(const void *msg, uint32_t size, uint32_t conn)
{
	for (unsigned i = 0; i < nchannels; i++) {
		struct sim_channel *ch = &channels[i];
		struct vmbus_open_result r = { { VMBUS_MSG_OPENCHANNEL_RESULT, 0 }, ch->relid,
					       ch->held_open_id, STATUS_UNSUCCESSFUL };

		/* vmbus_open_answered_at_unload: the answers held back come now, failed */
		if (ch->open_held) {
			ch->open_held = false;
			send_msg(&r, sizeof(r));
		}
	}
	reset_connection();
	bus.unloaded = true;
	/* what the guest posted before the UNLOAD and a slow host has not handled yet dies with the connection */
	for (unsigned i = 0; i < INQ_LEN; i++) {
		if (inq[i].used && inq[i].seq < processing_seq) {
			fprintf(stderr, "hvsim: vmbus: UNLOAD: dropping %s posted before it, not handled yet\n",
				msg_name(((const struct vmbus_msg_header *)inq[i].data)->type));
			inq[i].used = false;
			inq_len--;
		}
	}
	if (sim_quirk[QUIRK_UNLOAD_SLOW]) {
		fprintf(stderr, "hvsim: vmbus: UNLOAD: writing back the disk cache first (%llu s, quirk unload_slow)\n",
			(unsigned long long)(UNLOAD_SLOW_NS / 1000000000ull));
		sim_at(sim.now_ns + UNLOAD_SLOW_NS, unload_complete, 0);
		return;
	}
	unload_complete(0);
}

/* ---- the message table and the queue ---- */

typedef void (*msg_fn)(const void *msg, uint32_t size, uint32_t conn);

static const struct msg_type {
	const char *name;
	bool from_guest;
	uint32_t min_size;
	msg_fn fn;           /* NULL: a guest message this host does not implement */
	bool needs_connection;
} msg_types[MSG_TYPES] = {
	[VMBUS_MSG_OFFERCHANNEL] = { "OFFERCHANNEL" },
	[VMBUS_MSG_RESCIND_CHANNELOFFER] = { "RESCIND_CHANNELOFFER" },
	[VMBUS_MSG_REQUESTOFFERS] = { "REQUESTOFFERS", true, 8, on_request_offers, true },
	[VMBUS_MSG_ALLOFFERS_DELIVERED] = { "ALLOFFERS_DELIVERED" },
	[VMBUS_MSG_OPENCHANNEL] = { "OPENCHANNEL", true, sizeof(struct vmbus_open_channel), on_open_channel, true },
	[VMBUS_MSG_OPENCHANNEL_RESULT] = { "OPENCHANNEL_RESULT" },
	[VMBUS_MSG_CLOSECHANNEL] = { "CLOSECHANNEL", true, sizeof(struct vmbus_relid_msg), on_close_channel, true },
	[VMBUS_MSG_GPADL_HEADER] = { "GPADL_HEADER", true, sizeof(struct vmbus_gpadl_header), on_gpadl_header, true },
	[VMBUS_MSG_GPADL_BODY] = { "GPADL_BODY", true, sizeof(struct vmbus_gpadl_body) + 8, on_gpadl_body, true },
	[VMBUS_MSG_GPADL_CREATED] = { "GPADL_CREATED" },
	[VMBUS_MSG_GPADL_TEARDOWN] = { "GPADL_TEARDOWN", true, sizeof(struct vmbus_gpadl_teardown), on_gpadl_teardown, true },
	[VMBUS_MSG_GPADL_TORNDOWN] = { "GPADL_TORNDOWN" },
	[VMBUS_MSG_RELID_RELEASED] = { "RELID_RELEASED", true, sizeof(struct vmbus_relid_msg), on_relid_released, true },
	[VMBUS_MSG_INITIATE_CONTACT] = { "INITIATE_CONTACT", true, sizeof(struct vmbus_initiate_contact), on_initiate_contact, false },
	[VMBUS_MSG_VERSION_RESPONSE] = { "VERSION_RESPONSE" },
	[VMBUS_MSG_UNLOAD] = { "UNLOAD", true, 8, on_unload, false },
	[VMBUS_MSG_UNLOAD_RESPONSE] = { "UNLOAD_RESPONSE" },
	[18] = { "OPEN_RESERVED_CHANNEL", true, 28 },
	[19] = { "CLOSE_RESERVED_CHANNEL", true, 20 },
	[20] = { "CLOSE_RESERVED_RESPONSE" },
	[21] = { "TL_CONNECT_REQUEST", true, 40 },
	[22] = { "MODIFYCHANNEL", true, 16 },
	[23] = { "TL_CONNECT_RESULT" },
	[24] = { "MODIFYCHANNEL_RESPONSE" },
	[25] = { "MODIFY_CONNECTION", true, 24 },
	[26] = { "MODIFY_CONNECTION_RESPONSE" },
	[27] = { "PAUSE", true, 8 },
	[28] = { "PAUSE_RESPONSE" },
	[29] = { "RESUME", true, 8 },
};

static const char *msg_name(uint32_t type)
{
	return type < MSG_TYPES && msg_types[type].name ? msg_types[type].name : "(unknown)";
}

uint32_t sim_vmbus_msg_type(const char *name)
{
	for (uint32_t t = 0; t < MSG_TYPES; t++)
		if (msg_types[t].name && msg_types[t].from_guest && !strcmp(msg_types[t].name, name))
			return t;
	return 0;
}

/* Handle one message the guest posted on connection @conn. */
static void process(uint32_t conn, const uint8_t *msg, uint32_t size)
{
	const struct vmbus_msg_header *h = (const struct vmbus_msg_header *)msg;
	const struct msg_type *t;

	bus.msgs_in++;
	if (size < sizeof(*h)) {
		sim_vmbus_guest_error("a %u-byte message on connection %u (the header alone is 8): ignored",
				      size, conn);
		return;
	}
	sim_vmbus_trace("<- guest on connection 0x%x: %s (%u bytes)", conn, msg_name(h->type), size);
	t = h->type < MSG_TYPES && msg_types[h->type].name ? &msg_types[h->type] : NULL;
	if (!t || !t->from_guest) {
		sim_vmbus_guest_error("message type %u (%s) is not one a guest sends: ignored", h->type,
				      msg_name(h->type));
		return;
	}
	if (size < t->min_size) {
		sim_vmbus_guest_error("%s of %u bytes (at least %u): ignored", t->name, size, t->min_size);
		return;
	}
	if (conn == VMBUS_MESSAGE_CONNECTION_ID_4 && !(bus.conn_id_open && conn == cfg.conn_id) &&
	    (h->type != VMBUS_MSG_INITIATE_CONTACT ||
	     ((const struct vmbus_initiate_contact *)msg)->version < VMBUS_VERSION_WIN10_V5)) {
		sim_vmbus_guest_error("%s on connection 4, which only takes INITIATE_CONTACT >= 5.0: ignored",
				      t->name);
		return;
	}
	if (sim_mb[MB_VMBUS_SILENT])
		return;
	if (!t->fn) {
		fprintf(stderr, "hvsim: vmbus: %s is not implemented by hvsim: ignored\n", t->name);
		return;
	}
	if (t->needs_connection && !bus.connected) {
		sim_vmbus_guest_error("%s without a connection (no accepted INITIATE_CONTACT): ignored", t->name);
		return;
	}
	t->fn(msg, size, conn);
}

/* The queued message to handle next: the earliest due, the first posted among equals; -1 if none. */
static int inq_next(void)
{
	int best = -1;

	for (int i = 0; i < INQ_LEN; i++)
		if (inq[i].used && (best < 0 || inq[i].due < inq[best].due ||
				    (inq[i].due == inq[best].due && inq[i].seq < inq[best].seq)))
			best = i;
	return best;
}

static void pump(uint64_t arg);

/* Make sure the pump runs by @due (an earlier timer already set is enough; a stale one is harmless). */
static void arm_pump(uint64_t due)
{
	if (due < pump_at) {
		pump_at = due;
		sim_at(due, pump, due);
	}
}

/* The timed event: handle every queued message that is due. */
static void pump(uint64_t arg)
{
	int i;

	if (arg != pump_at)
		return; /* superseded by an earlier timer */
	pump_at = UINT64_MAX;
	while ((i = inq_next()) >= 0 && inq[i].due <= sim.now_ns) {
		uint8_t msg[HV_MESSAGE_PAYLOAD_MAX];
		uint32_t conn = inq[i].conn, size = inq[i].size;

		memcpy(msg, inq[i].data, sizeof(msg));
		inq[i].used = false;
		inq_len--;
		processing_seq = inq[i].seq;
		process(conn, msg, size);
	}
	if (i >= 0)
		arm_pump(inq[i].due);
}

/* When the host gets to a message posted now: vmbus_delay_ms later, or the named type's delay. */
static uint64_t due_time(const void *payload, uint32_t size)
{
	uint32_t type;

	if (cfg.delay_type && size >= sizeof(type)) {
		memcpy(&type, payload, sizeof(type));
		if (type == cfg.delay_type)
			return sim.now_ns + cfg.delay_type_ns;
	}
	return sim.now_ns + cfg.delay_ns;
}

/* Quirk post_transient: the status to refuse this post with, or SUCCESS to take it. */
static uint16_t transient_refusal(const void *payload, uint32_t size)
{
	static unsigned posts, left;
	uint32_t type = 0;

	if (!sim_quirk[QUIRK_POST_TRANSIENT] || !bus.connected)
		return HV_STATUS_SUCCESS;
	if (!left) {
		if (++posts % POST_TRANSIENT_EVERY)
			return HV_STATUS_SUCCESS;
		left = POST_TRANSIENT_BUFFERS + POST_TRANSIENT_CONN;
		bus.transient_bursts++;
	}
	left--;
	if (size >= sizeof(type))
		memcpy(&type, payload, sizeof(type));
	/* Linux vmbus_post_msg: INVALID_CONNECTION_ID "if we send messages too frequently" */
	if (left < POST_TRANSIENT_CONN && type != VMBUS_MSG_INITIATE_CONTACT)
		return HV_STATUS_INVALID_CONNECTION_ID;
	return HV_STATUS_INSUFFICIENT_BUFFERS;
}

uint16_t sim_vmbus_post(uint32_t conn, uint32_t type, const void *payload, uint32_t size)
{
	uint16_t refusal;
	unsigned slot;
	uint64_t due;

	if (!cfg.max_version) {
		bus.refused_posts++;
		return HV_STATUS_INVALID_CONNECTION_ID;
	}
	if (conn != VMBUS_MESSAGE_CONNECTION_ID &&
	    !(conn == VMBUS_MESSAGE_CONNECTION_ID_4 && cfg.max_version >= VMBUS_VERSION_WIN10_V5) &&
	    !(bus.conn_id_open && conn == cfg.conn_id)) {
		bus.refused_posts++;
		return HV_STATUS_INVALID_CONNECTION_ID;
	}
	if (type != HV_MESSAGE_TYPE_VMBUS) {
		sim_vmbus_guest_error("message type 0x%x on connection %u (VMBus uses 1): ignored", type, conn);
		return HV_STATUS_SUCCESS;
	}
	if (inq_len == INQ_LEN)
		return HV_STATUS_INSUFFICIENT_BUFFERS;
	refusal = transient_refusal(payload, size);
	if (refusal != HV_STATUS_SUCCESS) {
		bus.refused_posts++;
		return refusal;
	}
	for (slot = 0; inq[slot].used; slot++)
		;
	due = due_time(payload, size);
	memset(&inq[slot], 0, sizeof(inq[slot]));
	inq[slot].used = true;
	inq[slot].seq = inq_seq++;
	inq[slot].due = due;
	inq[slot].conn = conn;
	inq[slot].size = size > HV_MESSAGE_PAYLOAD_MAX ? HV_MESSAGE_PAYLOAD_MAX : size;
	memcpy(inq[slot].data, payload, inq[slot].size);
	inq_len++;
	arm_pump(due);
	return HV_STATUS_SUCCESS;
}

/* ---- guest -> host signals ---- */

/* The timed event: read every signalled ring. */
static void service(uint64_t arg)
{
	service_scheduled = false;
	for (unsigned i = 0; i < nchannels; i++) {
		if (channels[i].service_due) {
			channels[i].service_due = false;
			sim_ring_service(&channels[i]);
		}
	}
}

static void schedule_service(struct sim_channel *ch)
{
	ch->service_due = true;
	if (!service_scheduled) {
		service_scheduled = true;
		sim_at(sim.now_ns + SERVICE_NS, service, 0);
	}
}

uint16_t sim_vmbus_signal(uint32_t conn, uint16_t flag)
{
	if (!cfg.max_version || !bus.connected)
		return HV_STATUS_INVALID_CONNECTION_ID;
	if (conn == VMBUS_EVENT_CONNECTION_ID && bus.version < VMBUS_VERSION_WIN8) {
		/* the shared pre-Win8 event: bit relid in the interrupt page's guest -> host half */
		uint8_t *bits = sim_gpa(bus.interrupt_page + INTERRUPT_PAGE_SEND_HALF, PAGE_SIZE / 2);

		for (unsigned i = 0; bits && i < nchannels; i++) {
			struct sim_channel *ch = &channels[i];
			uint8_t bit = (uint8_t)(1u << (ch->relid % 8));

			if (ch->open && (__atomic_fetch_and(&bits[ch->relid / 8], (uint8_t)~bit,
							    __ATOMIC_SEQ_CST) & bit)) {
				ch->signals_in++;
				schedule_service(ch);
			}
		}
		return HV_STATUS_SUCCESS;
	}
	for (unsigned i = 0; i < nchannels; i++) {
		struct sim_channel *ch = &channels[i];

		/* a channel's event port exists while it is open (0.13 offers carry no id) */
		if (!ch->open || ch->connection_id != conn || bus.version < VMBUS_VERSION_WIN7)
			continue;
		if (flag) {
			sim_vmbus_guest_error("HvSignalEvent flag %u on channel %u's connection (it has flag 0 only)",
					      flag, ch->relid);
			return HV_STATUS_INVALID_PARAMETER;
		}
		ch->signals_in++;
		schedule_service(ch);
		return HV_STATUS_SUCCESS;
	}
	return HV_STATUS_INVALID_CONNECTION_ID;
}

