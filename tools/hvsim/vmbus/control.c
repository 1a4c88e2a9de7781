/*
 * hvsim's VMBus host, the control protocol's transport: the parent
 * partition's side of the channel protocol
 * (OpenVMM vmbus_server channels.rs; Linux drivers/hv/channel_mgmt.c), as
 * Hyper-V and OpenVMM behave.  Messages the guest posts (HvPostMessage,
 * connection 1; 4 for a >= 5.0 INITIATE_CONTACT; then the returned
 * msg_conn_id) are queued and each handled vmbus_delay_ms later (a slow
 * message type holds back only itself), validated against a table of
 * message types and handed to their handler; answers go to SINT 2.  The
 * quirk post_transient (transient post failures) lives here; guest ->
 * host signals too.  The handlers, by concern: connection.c (contact,
 * offers, unload), gpadl.c, channel.c (open and close), rescind.c
 * (rescinds and their release), misbehave.c (what a broken host does to
 * an open channel's ring).  Every guest mistake is logged on stderr and
 * refused the way a host would, never trusted: each guest address goes
 * through sim_gpa().  Scenario configuration and set-up: config.c; the
 * power-off report: report.c.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tools/hvsim/hvsim.h"
#include "tools/hvsim/vmbus/vmbus.h"
#include "tools/hvsim/vmbus/vmbus_host.h"

#define INQ_LEN 64                      /* the host's port queue: then INSUFFICIENT_BUFFERS */
#define SERVICE_NS 10000ull             /* a signalled ring is read 10 us later */
#define MSG_TYPES 30                    /* types 0..29 exist (OpenVMM vmbus_core protocol.rs) */
#define INTERRUPT_PAGE_SEND_HALF 2048   /* guest -> host bits of the < 2.4 interrupt page */
#define POST_TRANSIENT_EVERY 4          /* quirk post_transient: every 4th message... */
#define POST_TRANSIENT_BUFFERS 3        /* ...is refused INSUFFICIENT_BUFFERS 3 times */
#define POST_TRANSIENT_CONN 2           /* ...then INVALID_CONNECTION_ID twice (not INITIATE_CONTACT) */

#define cfg sim_vmbus_cfg
#define bus sim_vmbus_bus
#define channels sim_vmbus_channels
#define nchannels sim_vmbus_nchannels

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

void sim_vmbus_channel_verror(const struct sim_channel *ch, const char *who, uint64_t *errors,
			      const char *fmt, va_list ap)
{
	char buf[200];

	vsnprintf(buf, sizeof(buf), fmt, ap);
	(*errors)++;
	sim_vmbus_guest_error("%s (relid %u): %s", who, ch->relid, buf);
}

void sim_vmbus_channel_error(const struct sim_channel *ch, const char *who, uint64_t *errors,
			     const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	sim_vmbus_channel_verror(ch, who, errors, fmt, ap);
	va_end(ap);
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

/* Post one channel message to the guest's SINT @sint. */
void sim_vmbus_send_msg_to(unsigned sint, const void *msg, uint32_t size)
{
	const struct vmbus_msg_header *h = msg;

	bus.msgs_out++;
	sim_vmbus_trace("-> guest: %s (%u bytes)", sim_vmbus_msg_name(h->type), size);
	sim_post_to_guest(sint, HV_MESSAGE_TYPE_VMBUS, msg, (uint8_t)size);
}

/* Post one channel message to SINT 2. */
void sim_vmbus_send_msg(const void *msg, uint32_t size)
{
	sim_vmbus_send_msg_to(VMBUS_MESSAGE_SINT, msg, size);
}

/* A message that is only the 8-byte header. */
void sim_vmbus_send_header_only(uint32_t type)
{
	struct vmbus_msg_header h = { type, 0 };

	sim_vmbus_send_msg(&h, sizeof(h));
}

void sim_vmbus_interrupt_guest(struct sim_channel *ch)
{
	if (ch->target_vp == TARGET_VP_NONE)
		return;
	ch->signals_out++;
	/*
	 * 2.4 on: flag relid on the VP OPENCHANNEL named (QEMU vmbus.c
	 * open_channel(), OpenVMM vmbus_server: the guest event port's VP).
	 */
	if (bus.version >= VMBUS_VERSION_WIN8) {
		sim_signal_guest_vp(ch->target_vp && sim_mb_fire(MB_SIGNAL_WRONG_VP) ? 0 : ch->target_vp,
				    VMBUS_MESSAGE_SINT, ch->relid); /* dedicated: flag = relid */
		return;
	}
	/*
	 * < 2.4: bit relid in the interrupt page's host -> guest half, SIEF flag
	 * 0 summarises, on VP 0 whatever the target (OpenVMM vmbus_server: the
	 * pre-Win8 channel bitmap's event always goes to VP 0)
	 */
	if (bus.interrupt_page) {
		uint8_t *p = sim_gpa(bus.interrupt_page + ch->relid / 8, 1);

		if (p)
			__atomic_fetch_or(p, (uint8_t)(1u << (ch->relid % 8)), __ATOMIC_SEQ_CST);
	}
	sim_signal_guest(VMBUS_MESSAGE_SINT, 0);
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
	[VMBUS_MSG_REQUESTOFFERS] = { "REQUESTOFFERS", true, 8, sim_vmbus_on_request_offers, true },
	[VMBUS_MSG_ALLOFFERS_DELIVERED] = { "ALLOFFERS_DELIVERED" },
	[VMBUS_MSG_OPENCHANNEL] = { "OPENCHANNEL", true, sizeof(struct vmbus_open_channel), sim_vmbus_on_open_channel, true },
	[VMBUS_MSG_OPENCHANNEL_RESULT] = { "OPENCHANNEL_RESULT" },
	[VMBUS_MSG_CLOSECHANNEL] = { "CLOSECHANNEL", true, sizeof(struct vmbus_relid_msg), sim_vmbus_on_close_channel, true },
	[VMBUS_MSG_GPADL_HEADER] = { "GPADL_HEADER", true, sizeof(struct vmbus_gpadl_header), sim_vmbus_on_gpadl_header, true },
	[VMBUS_MSG_GPADL_BODY] = { "GPADL_BODY", true, sizeof(struct vmbus_gpadl_body) + 8, sim_vmbus_on_gpadl_body, true },
	[VMBUS_MSG_GPADL_CREATED] = { "GPADL_CREATED" },
	[VMBUS_MSG_GPADL_TEARDOWN] = { "GPADL_TEARDOWN", true, sizeof(struct vmbus_gpadl_teardown), sim_vmbus_on_gpadl_teardown, true },
	[VMBUS_MSG_GPADL_TORNDOWN] = { "GPADL_TORNDOWN" },
	[VMBUS_MSG_RELID_RELEASED] = { "RELID_RELEASED", true, sizeof(struct vmbus_relid_msg), sim_vmbus_on_relid_released, true },
	[VMBUS_MSG_INITIATE_CONTACT] = { "INITIATE_CONTACT", true, sizeof(struct vmbus_initiate_contact), sim_vmbus_on_initiate_contact, false },
	[VMBUS_MSG_VERSION_RESPONSE] = { "VERSION_RESPONSE" },
	[VMBUS_MSG_UNLOAD] = { "UNLOAD", true, 8, sim_vmbus_on_unload, false },
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

const char *sim_vmbus_msg_name(uint32_t type)
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
	sim_vmbus_trace("<- guest on connection 0x%x: %s (%u bytes)", conn, sim_vmbus_msg_name(h->type), size);
	t = h->type < MSG_TYPES && msg_types[h->type].name ? &msg_types[h->type] : NULL;
	if (!t || !t->from_guest) {
		sim_vmbus_guest_error("message type %u (%s) is not one a guest sends: ignored", h->type,
				      sim_vmbus_msg_name(h->type));
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
	if (sim_mb_fire(MB_VMBUS_SILENT))
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

/* UNLOAD: what the guest posted before the message being handled, not handled yet, dies with the connection. */
void sim_vmbus_queue_drop_earlier(void)
{
	for (unsigned i = 0; i < INQ_LEN; i++) {
		if (inq[i].used && inq[i].seq < processing_seq) {
			fprintf(stderr, "hvsim: vmbus: UNLOAD: dropping %s posted before it, not handled yet\n",
				sim_vmbus_msg_name(((const struct vmbus_msg_header *)inq[i].data)->type));
			inq[i].used = false;
			inq_len--;
		}
	}
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

/* The relid a channel message names (OPENCHANNEL ... RELID_RELEASED: child_relid after the header), or 0. */
static uint32_t msg_relid(const void *payload, uint32_t size)
{
	struct vmbus_relid_msg m;

	if (size < sizeof(m))
		return 0;
	memcpy(&m, payload, sizeof(m));
	switch (m.hdr.type) {
	case VMBUS_MSG_OPENCHANNEL:
	case VMBUS_MSG_CLOSECHANNEL:
	case VMBUS_MSG_GPADL_HEADER:
	case VMBUS_MSG_GPADL_TEARDOWN:
	case VMBUS_MSG_RELID_RELEASED:
		return m.child_relid;
	default:
		return 0;
	}
}

/*
 * When the host gets to a message posted now: vmbus_delay_ms later, or the
 * named type's delay; never before a message posted earlier for the same
 * channel (a host handles one channel's messages in order: a slow
 * CLOSECHANNEL holds back the GPADL_TEARDOWN behind it, not other channels).
 */
static uint64_t due_time(const void *payload, uint32_t size)
{
	static bool logged; /* tests/sim/matrix's delay cells need the line */
	uint32_t type, relid = msg_relid(payload, size);
	uint64_t due = sim.now_ns + cfg.delay_ns;

	if (cfg.delay_type && size >= sizeof(type)) {
		memcpy(&type, payload, sizeof(type));
		if (type == cfg.delay_type) {
			due = sim.now_ns + cfg.delay_type_ns;
			if (!logged)
				fprintf(stderr, "hvsim: vmbus: delaying %s by %llu ms\n", sim_vmbus_msg_name(type),
					(unsigned long long)(cfg.delay_type_ns / 1000000));
			logged = true;
		}
	}
	for (unsigned i = 0; relid && i < INQ_LEN; i++)
		if (inq[i].used && inq[i].due > due && msg_relid(inq[i].data, inq[i].size) == relid)
			due = inq[i].due;
	return due;
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
	sim_vmbus_rescind_on_post(payload, size);
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

