/*
 * The VMBus connection (Linux drivers/hv/connection.c vmbus_connect,
 * channel_mgmt.c; OpenVMM vmbus_server channels.rs): version negotiation,
 * every control message from the host through one dispatch table, offers
 * and rescinds, and UNLOAD.  Requests go through vmbus_request()
 * (request.c), one at a time; every message is checked against its type's
 * size before a field is read.
 */
#include "drivers/hyperv/hypercall.h"
#include "drivers/hyperv/synic.h"
#include "drivers/vmbus/vmbus_internal.h"
#include "kernel/cpu.h"
#include "kernel/loop.h"
#include "kernel/policy.h"
#include "lib/fmt.h"
#include "lib/log.h"
#include "lib/report.h"
#include "lib/str.h"

#define AFTER_UNLOAD_GRACE_NS 200000000ull /* watch 200 ms for messages after UNLOAD */

struct vmbus_state vmb;

/* Newest first (Linux connection.c vmbus_connect); 0.13 and 1.1 need the interrupt page. */
static const uint32_t versions[] = {
	VMBUS_VERSION_WIN10_V6_0, VMBUS_VERSION_WIN10_V5_3, VMBUS_VERSION_WIN10_V5_2,
	VMBUS_VERSION_WIN10_V5_1, VMBUS_VERSION_WIN10_V5, VMBUS_VERSION_WIN10_V4_1,
	VMBUS_VERSION_WIN10, VMBUS_VERSION_WIN8_1, VMBUS_VERSION_WIN8,
	VMBUS_VERSION_WIN7, VMBUS_VERSION_WS2008,
};

const char *vmbus_version_str(uint32_t v, char buf[12])
{
	fmt_snprintf(buf, 12, "%u.%u", v >> 16, v & 0xffff);
	return buf;
}

uint32_t vmbus_version(void)
{
	return vmb.connected ? vmb.version : 0;
}

static struct vmbus_channel *channel_by_relid(uint32_t relid)
{
	for (unsigned i = 0; i < vmb.nchannels; i++)
		if (vmb.channels[i].relid == relid && vmb.channels[i].state != CH_RESCINDED)
			return &vmb.channels[i];
	return NULL;
}

/* ---- host -> guest messages ---- */

static void on_offer(const uint8_t *msg, uint32_t len)
{
	struct vmbus_offer o;
	struct vmbus_channel *ch;
	const struct vmbus_device *dev;
	char cls[GUID_STR_LEN], inst[GUID_STR_LEN];

	memset(&o, 0, sizeof(o));
	/*
	 * 196 bytes from 1.1 on: Linux channel_mgmt.c reads is_dedicated_interrupt
	 * and connection_id at every version but 0.13 (vmbus_setup_channel_state)
	 * and drops a shorter offer (channel_message_table min_payload_len).
	 */
	if (vmb.version != VMBUS_VERSION_WS2008 && len < sizeof(o)) {
		check("vmbus.host.offer", CHECK_FAIL, "OFFERCHANNEL of %u bytes, want %zu at version %u.%u",
		      len, sizeof(o), vmb.version >> 16, vmb.version & 0xffff);
		return;
	}
	memcpy(&o, msg, len < sizeof(o) ? len : sizeof(o));
	guid_format(&o.interface_type, cls);
	guid_format(&o.interface_instance, inst);
	dev = vmbus_device_find(&o.interface_type);
	log_printf("hvprobe: vmbus: offer relid %u %s class %s instance %s connection 0x%x flags 0x%x monitor %u/%u dedicated %u sub %u\n",
		   o.child_relid, dev ? dev->name : "(unknown device)", cls, inst, o.connection_id,
		   o.flags, o.monitor_allocated & 1, o.monitor_id, o.is_dedicated_interrupt & 1,
		   o.sub_channel_index);
	if (vmb.unloaded) {
		/* OpenVMM vmbus_server complete_unload: disconnected, no offers until a new INITIATE_CONTACT */
		if (vmb.after_unload++ == 0)
			check("vmbus.host.after_unload", CHECK_FAIL,
			      "OFFERCHANNEL (relid %u) after UNLOAD_RESPONSE", o.child_relid);
		return;
	}
	if (o.child_relid <= VMBUS_MAX_RELID)
		vmb.seen_relids[o.child_relid / 8] |= (uint8_t)(1u << (o.child_relid % 8));
	/* OpenVMM channels.rs MAX_CHANNELS: relids 1..2047, event flag 0 is reserved; Linux MAX_CHANNEL_RELIDS */
	if (o.child_relid == 0 || o.child_relid > VMBUS_MAX_RELID) {
		check("vmbus.host.offer", CHECK_FAIL, "offer of %s with relid %u outside 1..%u", cls,
		      o.child_relid, VMBUS_MAX_RELID);
		return;
	}
	/* the null GUID ends every Linux id table (vmbus_drv.c hv_vmbus_dev_match): no device class */
	if (guid_is_zero(&o.interface_type)) {
		check("vmbus.host.zero_guid", CHECK_FAIL, "offer relid %u has an all-zero class GUID",
		      o.child_relid);
		return;
	}
	/* one channel per relid: Linux channel_mgmt.c vmbus_channel_map_relid, OpenVMM's channel slab */
	if (channel_by_relid(o.child_relid)) {
		check("vmbus.host.duplicate_relid", CHECK_FAIL,
		      "relid %u offered again (class %s) while still in use: second offer ignored",
		      o.child_relid, cls);
		return;
	}
	if (vmb.nchannels == VMBUS_MAX_CHANNELS) {
		log_printf("hvprobe: vmbus: more than %u offers; relid %u ignored\n",
			   VMBUS_MAX_CHANNELS, o.child_relid);
		return;
	}
	ch = &vmb.channels[vmb.nchannels++];
	memset(ch, 0, sizeof(*ch));
	ch->relid = o.child_relid;
	ch->offer = o;
	ch->dev = dev;
	ch->state = CH_OFFERED;
	if (vmb.alloffers)
		vmb.late_offers++;
}

static bool relid_seen(uint32_t relid)
{
	return relid <= VMBUS_MAX_RELID && (vmb.seen_relids[relid / 8] >> (relid % 8) & 1);
}

static void on_rescind(const uint8_t *msg, uint32_t len)
{
	uint32_t relid = ((const struct vmbus_relid_msg *)msg)->child_relid;
	struct vmbus_channel *ch = channel_by_relid(relid);

	log_printf("hvprobe: vmbus: RESCIND_CHANNELOFFER relid %u (%s)\n", relid,
		   ch && ch->dev ? ch->dev->name : "unknown");
	if (!ch) {
		/*
		 * Linux channel_mgmt.c vmbus_onoffer_rescind ignores a rescind of a
		 * relid it has no channel for (an offer it dropped, or one rescinded
		 * already): an offer we dropped is our choice, logged only; a relid
		 * never offered is odd but harmless.
		 */
		if (relid_seen(relid))
			log_printf("hvprobe: vmbus: rescind of relid %u, whose offer we dropped or released: ignored\n",
				   relid);
		else if (vmb.unknown_rescinds++ == 0)
			check("vmbus.host.rescind", CHECK_WARN,
			      "rescind of relid %u, which was never offered: ignored (as Linux vmbus_onoffer_rescind does)",
			      relid);
		return;
	}
	vmbus_request_rescinded(relid);
	ch->rescinded_in = ch->state;
	ch->state = CH_RESCINDED;
	/*
	 * The driver stops now (Linux vmbus_onoffer_rescind resets the channel
	 * callback), so close the channel now too: CLOSECHANNEL has no reply,
	 * and a host keeps serving a channel until it is closed.  The GPADL
	 * teardown and RELID_RELEASED wait for replies: housekeeping does them,
	 * outside this handler.
	 */
	if (ch->rescinded_in == CH_OPEN)
		vmbus_channel_send_close(ch);
}

static void on_alloffers(const uint8_t *msg, uint32_t len)
{
	if (!vmb.requested_offers) {
		vmbus_on_reply(msg, len);
		return;
	}
	vmb.alloffers = true;
}

static void on_unexpected(const uint8_t *msg, uint32_t len)
{
	vmbus_on_reply(msg, len);
}

/* Minimum sizes and handlers for every message a host may send. */
static const struct {
	uint32_t min;
	void (*fn)(const uint8_t *msg, uint32_t len);
} dispatch[VMBUS_MSG_COUNT] = {
	[VMBUS_MSG_OFFERCHANNEL] = { VMBUS_OFFER_SIZE_WS2008, on_offer },
	[VMBUS_MSG_RESCIND_CHANNELOFFER] = { sizeof(struct vmbus_relid_msg), on_rescind },
	[VMBUS_MSG_ALLOFFERS_DELIVERED] = { sizeof(struct vmbus_msg_header), on_alloffers },
	[VMBUS_MSG_OPENCHANNEL_RESULT] = { sizeof(struct vmbus_open_result), vmbus_on_reply },
	[VMBUS_MSG_GPADL_CREATED] = { sizeof(struct vmbus_gpadl_created), vmbus_on_reply },
	[VMBUS_MSG_GPADL_TORNDOWN] = { sizeof(struct vmbus_gpadl_torndown), vmbus_on_reply },
	[VMBUS_MSG_VERSION_RESPONSE] = { sizeof(struct vmbus_version_response), vmbus_on_reply },
	[VMBUS_MSG_UNLOAD_RESPONSE] = { sizeof(struct vmbus_msg_header), vmbus_on_reply },
	/* messages only a guest sends: a host sending them is answered by nothing */
	[VMBUS_MSG_REQUESTOFFERS] = { sizeof(struct vmbus_msg_header), on_unexpected },
	[VMBUS_MSG_OPENCHANNEL] = { sizeof(struct vmbus_msg_header), on_unexpected },
	[VMBUS_MSG_INITIATE_CONTACT] = { sizeof(struct vmbus_msg_header), on_unexpected },
};

/* SynIC message type 1: one VMBus control message from the host. */
void vmbus_on_message(const struct hv_message *m, void *ctx)
{
	uint32_t len = m->header.payload_size, type;

	/* Linux vmbus_drv.c vmbus_on_msg_dpc warns and drops short and unknown messages */
	if (len < sizeof(struct vmbus_msg_header)) {
		if (vmb.malformed++ == 0)
			check("vmbus.host.message", CHECK_FAIL,
			      "a VMBus message of %u bytes, shorter than its 8-byte header", len);
		return;
	}
	type = ((const struct vmbus_msg_header *)m->payload)->type;
	/* unknown, or guest -> host only (OpenVMM vmbus_core protocol.rs; Linux has no handler) */
	if (type >= VMBUS_MSG_COUNT || !dispatch[type].fn) {
		if (vmb.malformed++ == 0)
			check("vmbus.host.message", CHECK_FAIL, "a VMBus message of type %u (%s) a host does not send",
			      type, vmbus_msg_name(type));
		return;
	}
	if (len < dispatch[type].min) {
		if (vmb.malformed++ == 0)
			check("vmbus.host.message", CHECK_FAIL, "%s of %u bytes, shorter than its %u-byte layout",
			      vmbus_msg_name(type), len, dispatch[type].min);
		return;
	}
	/* OpenVMM vmbus_server: after UNLOAD_RESPONSE the connection is gone, the host is silent */
	if (vmb.unloaded && type != VMBUS_MSG_UNLOAD_RESPONSE && type != VMBUS_MSG_OFFERCHANNEL) {
		if (vmb.after_unload++ == 0)
			check("vmbus.host.after_unload", CHECK_FAIL, "%s after UNLOAD_RESPONSE",
			      vmbus_msg_name(type));
		return;
	}
	dispatch[type].fn(m->payload, len);
}

/* ---- version negotiation (Linux connection.c vmbus_negotiate_version) ---- */

/* One INITIATE_CONTACT; 1 accepted, 0 refused, -1 failed (reason reported). */
static int try_version(uint32_t v, bool *no_vmbus)
{
	struct vmbus_initiate_contact ic;
	struct vmbus_version_response vr;
	struct vmbus_request rq;
	const char *why;
	char vs[12];

	memset(&ic, 0, sizeof(ic));
	ic.hdr.type = VMBUS_MSG_INITIATE_CONTACT;
	ic.version = v;
	ic.target_vcpu = vmb.vp;
	if (v >= VMBUS_VERSION_WIN10_V5) {
		ic.msg_sint = VMBUS_MESSAGE_SINT;
		vmb.msg_conn_id = VMBUS_MESSAGE_CONNECTION_ID_4;
	} else {
		if (v < VMBUS_VERSION_WIN8)
			ic.interrupt_page = cpu_virt_to_phys(vmb.int_page);
		vmb.msg_conn_id = VMBUS_MESSAGE_CONNECTION_ID;
	}
	rq = (struct vmbus_request){ .msg = &ic, .len = sizeof(ic), .reply = VMBUS_MSG_VERSION_RESPONSE,
				     .limit_ns = VMBUS_REPLY_LIMIT_NS, .out = &vr, .out_size = sizeof(vr) };
	if (vmbus_request(&rq, &why)) {
		if (rq.post_status == HV_STATUS_INVALID_CONNECTION_ID) {
			/* connection 4 unknown: the host predates 5.0 (Linux vmbus_post_msg, vmbus_connect) */
			if (v >= VMBUS_VERSION_WIN10_V5)
				return 0;
			*no_vmbus = true;
			return -1;
		}
		/* Linux connection.c vmbus_negotiate_version: a failed post or no answer ends the connect */
		check("vmbus.connect", CHECK_FAIL, "INITIATE_CONTACT %s: %s", vmbus_version_str(v, vs),
		      why);
		return -1;
	}
	vmb.connect_took_ns = rq.took_ns > vmb.connect_took_ns ? rq.took_ns : vmb.connect_took_ns;
	if (!vr.version_supported)
		return 0;
	if (vr.connection_state != 0) {
		/* OpenVMM vmbus_server: connection_state other than 0 is a refused connection */
		check("vmbus.connect", CHECK_FAIL, "version %s supported but connection_state %u (%s)",
		      vmbus_version_str(v, vs), vr.connection_state,
		      vr.connection_state == 1 ? "low resources" : "failure");
		return -1;
	}
	if (v >= VMBUS_VERSION_WIN10_V5)
		vmb.msg_conn_id = vr.msg_conn_id;
	return 1;
}

static bool negotiate(uint32_t forced)
{
	char vs[12], tried[128], late[96] = "";
	struct fmt_buf fb = FMT_BUF(tried);
	bool no_vmbus = false;

	for (size_t i = 0; i < ARRAY_SIZE(versions); i++) {
		uint32_t v = versions[i];
		int r;

		if (forced && v != forced)
			continue;
		r = try_version(v, &no_vmbus);
		if (r < 0 && no_vmbus) {
			check_missing("vmbus.connect",
				      "no VMBus: HvPostMessage on connection %u returns INVALID_CONNECTION_ID",
				      VMBUS_MESSAGE_CONNECTION_ID);
			return false;
		}
		if (r < 0)
			return false;
		if (r == 0) {
			fmt_add(&fb, "%s%s", fb.len ? ", " : "", vmbus_version_str(v, vs));
			continue;
		}
		vmb.version = v;
		vmb.connected = true;
		/* later than usual, within what Linux tolerates (vmbus_internal.h): a warning with the time */
		if (vmb.connect_took_ns > VMBUS_REPLY_USUAL_NS)
			fmt_snprintf(late, sizeof(late), "; a VERSION_RESPONSE came after %llu ms (usually within %llu s)",
				     (unsigned long long)(vmb.connect_took_ns / 1000000),
				     (unsigned long long)(VMBUS_REPLY_USUAL_NS / 1000000000ull));
		check("vmbus.connect", late[0] ? CHECK_WARN : CHECK_PASS,
		      "version %s on message connection %u%s%s%s%s", vmbus_version_str(v, vs),
		      vmb.msg_conn_id, fb.len ? " (refused: " : "", tried, fb.len ? ")" : "", late);
		return true;
	}
	if (forced && !fb.len)
		check("vmbus.connect", CHECK_FAIL, "vmbus_version=%s is not a VMBus version",
		      vmbus_version_str(forced, vs));
	else
		/* Linux connection.c vmbus_connect: no version in common, no VMBus */
		check("vmbus.connect", CHECK_FAIL, "the host refused every version offered: %s", tried);
	return false;
}

/* ---- offers ---- */

static bool alloffers_seen(void *ctx)
{
	return vmb.alloffers;
}

/* Is @d on offer (an offer of its class, not rescinded)? */
static bool offered(const struct vmbus_device *d)
{
	for (unsigned i = 0; i < vmb.nchannels; i++)
		if (vmb.channels[i].dev == d && vmb.channels[i].state != CH_RESCINDED)
			return true;
	return false;
}

static void request_offers(void)
{
	struct vmbus_msg_header req = { VMBUS_MSG_REQUESTOFFERS, 0 };
	char list[200], missing[160], rescinded[120];
	struct fmt_buf lb = FMT_BUF(list), mb = FMT_BUF(missing), rb = FMT_BUF(rescinded);
	unsigned noffers = 0;
	const struct vmbus_device *d;

	uint64_t start = cpu_now_ns(), took;
	const char *why;

	vmb.requested_offers = true;
	if (vmbus_post(&req, sizeof(req), &why)) {
		vmb.offers_done = true;
		/* Linux channel_mgmt.c vmbus_request_offers: a failed post is a failed bus init */
		check("vmbus.alloffers", CHECK_FAIL, "%s", why);
		return;
	}
	/*
	 * mu_msvm VmbusDxe waits for ALLOFFERS_DELIVERED without limit before it
	 * enumerates (VmbusRoot.c), older Linux 5 s (vmbus_request_offers): a
	 * host that never sends it leaves a firmware guest waiting forever.
	 */
	if (!loop_wait("ALLOFFERS_DELIVERED", alloffers_seen, NULL, start + VMBUS_REPLY_LIMIT_NS))
		check("vmbus.alloffers", CHECK_FAIL,
		      "no ALLOFFERS_DELIVERED within %llu s of REQUESTOFFERS (%u offers so far)",
		      (unsigned long long)(VMBUS_REPLY_LIMIT_NS / 1000000000ull), vmb.nchannels);
	else if ((took = cpu_now_ns() - start) > VMBUS_REPLY_USUAL_NS)
		check("vmbus.alloffers", CHECK_WARN, "after %u offers; ALLOFFERS_DELIVERED came after %llu ms (usually within %llu s)",
		      vmb.nchannels, (unsigned long long)(took / 1000000),
		      (unsigned long long)(VMBUS_REPLY_USUAL_NS / 1000000000ull));
	else
		check("vmbus.alloffers", CHECK_PASS, "after %u offers", vmb.nchannels);
	vmb.offers_done = true;

	/* an offer rescinded before ALLOFFERS_DELIVERED is not on offer: listed apart */
	for (unsigned i = 0; i < vmb.nchannels; i++) {
		const struct vmbus_channel *ch = &vmb.channels[i];

		if (ch->state == CH_RESCINDED) {
			fmt_add(&rb, "%s%s(%u)", rb.len ? ", " : "; rescinded before ALLOFFERS_DELIVERED: ",
				ch->dev ? ch->dev->name : "unknown", ch->relid);
			continue;
		}
		noffers++;
		fmt_add(&lb, "%s%s(%u)", lb.len ? ", " : "", ch->dev ? ch->dev->name : "unknown",
			ch->relid);
	}
	for (unsigned i = 0; (d = vmbus_device_at(i)); i++) {
		if (policy_requires_device(d->name) && !offered(d))
			fmt_add(&mb, "%s%s", mb.len ? ", " : "", d->name);
	}
	/* the expectation profile's list (kernel/policy.c, require=): a Hyper-V VM gets these offers */
	if (mb.len)
		check("vmbus.offers", CHECK_FAIL, "missing %s; offered: %s%s", missing,
		      noffers ? list : "nothing", rescinded);
	else
		check("vmbus.offers", CHECK_PASS, "%u offer%s%s%s%s", noffers, noffers == 1 ? "" : "s",
		      noffers ? ": " : "", list, rescinded);
	/* drivers whose device was not offered report it missing (the kernel's policy: skip or fail) */
	for (unsigned i = 0; (d = vmbus_device_at(i)); i++)
		if (!offered(d) && d->ops && d->ops->absent)
			d->ops->absent(d);
}

/* Loop poller: open late offers and clean up rescinded channels outside any wait. */
static bool housekeeping(void *ctx)
{
	bool did = false;

	/* after the offers phase, however it ended: a missing ALLOFFERS_DELIVERED must not stop rescinds */
	if (vmb.housekeeping || vmbus_request_busy() || !vmb.offers_done || vmb.unloaded)
		return false;
	vmb.housekeeping = true;
	for (unsigned i = 0; i < vmb.nchannels; i++) {
		struct vmbus_channel *ch = &vmb.channels[i];

		if (ch->state == CH_RESCINDED && !ch->released) {
			vmbus_channel_release(ch);
			did = true;
		} else if (ch->state == CH_OFFERED && ch->dev && ch->dev->ops) {
			vmbus_channel_open(ch);
			did = true;
		}
	}
	vmb.housekeeping = false;
	return did;
}

bool vmbus_start(uint32_t vp_index, uint32_t forced_version)
{
	memset(&vmb, 0, sizeof(vmb));
	vmb.vp = vp_index;
	vmb.next_gpadl = VMBUS_GPADL_FIRST;
	vmb.int_page = cpu_alloc_pages(1);
	if (!vmb.int_page || !synic_on_message(HV_MESSAGE_TYPE_VMBUS, vmbus_on_message, NULL)) {
		check("vmbus.connect", CHECK_FAIL, "no memory or no SynIC handler slot for VMBus");
		return false;
	}
	if (!negotiate(forced_version))
		return false;
	vmbus_vp_setup(); /* from 2.4 on, channels may be bound to APs */
	loop_add_poller(vmbus_poll_channels, NULL);
	request_offers();
	loop_add_poller(housekeeping, NULL);
	for (unsigned i = 0; i < vmb.nchannels; i++) {
		struct vmbus_channel *ch = &vmb.channels[i];

		if (ch->state == CH_OFFERED && ch->dev && ch->dev->ops)
			vmbus_channel_open(ch);
	}
	return true;
}

void vmbus_finish(void)
{
	struct vmbus_msg_header unload = { VMBUS_MSG_UNLOAD, 0 };
	struct vmbus_request rq = { .msg = &unload, .len = sizeof(unload),
				    .reply = VMBUS_MSG_UNLOAD_RESPONSE, .limit_ns = VMBUS_REPLY_LIMIT_NS };
	unsigned open = 0, closed = 0;
	char late[160] = "", one[160];
	const char *why;

	if (!vmb.connected)
		return;
	housekeeping(NULL); /* release what was rescinded, open what came late */
	for (unsigned i = 0; i < vmb.nchannels; i++) {
		struct vmbus_channel *ch = &vmb.channels[i];

		if (ch->state == CH_OPEN && ch->dev->ops->report)
			ch->dev->ops->report(ch);
	}
	vmbus_vp_report();
	for (unsigned i = 0; i < vmb.nchannels; i++) {
		struct vmbus_channel *ch = &vmb.channels[i];

		if (ch->state != CH_OPEN)
			continue;
		open++;
		one[0] = 0;
		vmbus_channel_close(ch, one, sizeof(one));
		closed += ch->state == CH_CLOSED;
		if (one[0] && !late[0])
			fmt_snprintf(late, sizeof(late), "; relid %u: %s", ch->relid, one);
	}
	/* Linux channel.c vmbus_teardown_gpadl: every GPADL_TEARDOWN is answered by GPADL_TORNDOWN */
	if (open)
		check("vmbus.close", closed < open ? CHECK_FAIL : late[0] ? CHECK_WARN : CHECK_PASS,
		      "%u of %u channels closed and their GPADLs torn down%s", closed, open, late);
	/*
	 * UNLOAD at every version: OpenVMM vmbus_server accepts it from version
	 * 1 on (vmbus_core protocol.rs), FreeBSD sends it at every version it
	 * speaks (vmbus_disconnect), mu_msvm waits for UNLOAD_RESPONSE without
	 * limit (VmbusRoot.c VmbusRootSendUnload); Linux waits 100 s at most
	 * (channel_mgmt.c vmbus_wait_for_unload).
	 */
	if (vmbus_request(&rq, &why)) {
		check("vmbus.unload", CHECK_FAIL, "%s", why);
		return;
	}
	vmb.unloaded = true;
	/* Azure writes back its disk cache before it answers (Linux vmbus_wait_for_unload): a warning */
	if (vmbus_request_late(&rq, late, sizeof(late)))
		check("vmbus.unload", CHECK_WARN, "UNLOAD answered: %s", late);
	else
		check("vmbus.unload", CHECK_PASS, "UNLOAD answered with UNLOAD_RESPONSE");
	/* a host must be silent now: watch a moment for anything more */
	loop_wait("silence after UNLOAD", NULL, NULL, cpu_now_ns() + AFTER_UNLOAD_GRACE_NS);
}
