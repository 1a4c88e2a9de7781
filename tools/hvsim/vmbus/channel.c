/*
 * hvsim's VMBus host, channels: OPENCHANNEL (the ring GPADL checked as
 * OpenVMM make_rings does), what follows an open (the device, pings),
 * CLOSECHANNEL and a host-side close.  Misbehaviours: open_fail,
 * message_short, open_answered_at_unload (the answer held back).
 */
#include <stdio.h>
#include <string.h>

#include "tools/hvsim/hvsim.h"
#include "tools/hvsim/vmbus/vmbus.h"
#include "tools/hvsim/vmbus/vmbus_host.h"

#define PING_LEN 24

#define cfg sim_vmbus_cfg
#define bus sim_vmbus_bus
#define channels sim_vmbus_channels
#define nchannels sim_vmbus_nchannels

struct sim_channel sim_vmbus_channels[SIM_VMBUS_MAX_CHANNELS];
unsigned sim_vmbus_nchannels;

/* Channel @i in offer order, or NULL past the last. */
struct sim_channel *sim_vmbus_channel(unsigned i)
{
	return i < nchannels ? &channels[i] : NULL;
}

/* The channel offered as @relid (the first, if a misbehaviour made two). */
struct sim_channel *sim_vmbus_channel_by_relid(uint32_t relid)
{
	for (unsigned i = 0; i < nchannels; i++)
		if (channels[i].relid == relid && channels[i].state != SIM_CH_NOT_OFFERED &&
		    channels[i].state != SIM_CH_RELEASED)
			return &channels[i];
	return NULL;
}

/* Close @ch host-side; a teardown that waited for its GPADL completes (when connected). */
void sim_vmbus_channel_close(struct sim_channel *ch)
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
	if (g)
		sim_gpadl_release(g);
}

/* After OPENCHANNEL_RESULT: the misbehaviours, the device, then vmbus_ping packets. */
static void after_open(struct sim_channel *ch)
{
	sim_vmbus_misbehave_after_open(ch);
	sim_vmbus_rescind_after_open(ch);
	if (ch->dev->on_open)
		ch->dev->on_open(ch);
	for (unsigned n = 1; n <= cfg.ping && ch->open; n++) {
		char ping[PING_LEN] = { 0 };

		snprintf(ping, sizeof(ping), "hvsim ping %u", n);
		if (sim_channel_send(ch, VMBUS_PKT_DATA_INBAND, n, ping, PING_LEN) < 0)
			break;
	}
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
	struct sim_gpadl *g = sim_gpadl_find(o->ring_gpadl);
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
	/* any VP that exists (QEMU vmbus.c make_sint_route() needs that VP's SynIC) */
	if (o->target_vp >= sim_vps && o->target_vp != TARGET_VP_NONE) {
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

/* OPENCHANNEL: check the rings, answer OPENCHANNEL_RESULT, start the device. */
void sim_vmbus_on_open_channel(const void *msg, uint32_t size, uint32_t conn)
{
	const struct vmbus_open_channel *o = msg;
	struct sim_channel *ch = sim_vmbus_channel_by_relid(o->child_relid);
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
	if (sim_vmbus_rescind_first_ic(ch, QUIRK_RESCIND_MID_OPEN))
		return;
	if (sim_mb_fire(MB_VMBUS_OPEN_ANSWERED_AT_UNLOAD)) {
		ch->open_held = true;
		ch->held_open_id = o->open_id;
		return;
	}
	r.status = open_check(ch, o, &in, &out);
	if (!r.status && sim_mb_fire(MB_VMBUS_OPEN_FAIL))
		r.status = STATUS_UNSUCCESSFUL;
	sim_vmbus_send_msg(&r, sim_mb_fire(MB_VMBUS_MESSAGE_SHORT) ? 10 : sizeof(r));
	if (r.status)
		return;
	ch->open = true;
	ch->opens++;
	ch->open_id = o->open_id;
	ch->target_vp = o->target_vp;
	ch->gpadl = sim_gpadl_find(o->ring_gpadl);
	ch->gpadl->user = ch;
	ch->in = in;
	ch->out = out;
	/* the host, as the writer of the guest's inbound ring, honours pending_send_sz */
	sim_ring_control(&ch->out)->feature_bits |= VMBUS_RING_FEAT_PENDING_SEND_SZ;
	after_open(ch);
}

/* CLOSECHANNEL: the guest is done with an open channel. */
void sim_vmbus_on_close_channel(const void *msg, uint32_t size, uint32_t conn)
{
	const struct vmbus_relid_msg *m = msg;
	struct sim_channel *ch = sim_vmbus_channel_by_relid(m->child_relid);

	if (!ch || !ch->open) {
		sim_vmbus_guest_error("CLOSECHANNEL for relid %u, which is not open: ignored", m->child_relid);
		return;
	}
	sim_vmbus_channel_close(ch);
}

