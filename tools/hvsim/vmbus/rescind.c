/*
 * hvsim's VMBus host, rescinds: RESCIND_CHANNELOFFER (a device leaving),
 * the guest's RELID_RELEASED, and what makes the host rescind: the quirks
 * that pull an offer at an awkward moment (legal in every channel state:
 * Linux vmbus_onoffer_rescind).
 */
#include <stdio.h>

#include "tools/hvsim/hvsim.h"
#include "tools/hvsim/vmbus/vmbus.h"
#include "tools/hvsim/vmbus/vmbus_host.h"

#define RESCIND_AFTER_OPEN_NS 3000000000ull /* quirk rescind_after_open: the device ran a while */
#define RESCIND_UNKNOWN_RELID 1000u     /* quirk rescind_unknown: beyond every offer hvsim makes */

#define cfg sim_vmbus_cfg
#define bus sim_vmbus_bus
#define channels sim_vmbus_channels

/* RESCIND_CHANNELOFFER for @ch: the device is leaving; RELID_RELEASED is due. */
void sim_vmbus_rescind(struct sim_channel *ch)
{
	struct vmbus_relid_msg m = { { VMBUS_MSG_RESCIND_CHANNELOFFER, 0 }, ch->relid };

	fprintf(stderr, "hvsim: vmbus: rescinding channel %u (%s)\n", ch->relid, ch->dev->name);
	ch->state = SIM_CH_RESCINDED;
	sim_vmbus_send_msg(&m, sizeof(m));
}

/* Quirk @q: rescind @ch if it is the first integration service to get here (once a run). */
bool sim_vmbus_rescind_first_ic(struct sim_channel *ch, enum sim_quirk q)
{
	if (!sim_quirk[q] || bus.rescinded_once || !ch->dev->pipe)
		return false;
	bus.rescinded_once = true;
	sim_vmbus_rescind(ch);
	return true;
}

/* The timed event of quirk rescind_after_open: channel index @i, if still offered. */
static void rescind_open_channel(uint64_t i)
{
	struct sim_channel *ch = &channels[i];

	if (bus.connected && ch->state == SIM_CH_OFFERED && ch->open)
		sim_vmbus_rescind(ch);
}

/*
 * After @ch opened: quirk rescind_after_open rescinds the first IC opened
 * a while later; "rescind = NAME [MS]" the named device (a hot removal).
 */
void sim_vmbus_rescind_after_open(struct sim_channel *ch)
{
	if (bus.rescinded_once)
		return;
	if (sim_quirk[QUIRK_RESCIND_AFTER_OPEN] && ch->dev->pipe) {
		bus.rescinded_once = true;
		sim_at(sim.now_ns + RESCIND_AFTER_OPEN_NS, rescind_open_channel, ch->index);
	} else if (cfg.rescind_dev == ch->dev) {
		bus.rescinded_once = true;
		sim_at(sim.now_ns + cfg.rescind_ns, rescind_open_channel, ch->index);
	}
}

/* Quirk rescind_racing_gpadl: the guest posts GPADL_HEADER (@msg) now; rescind the first IC it names. */
void sim_vmbus_rescind_on_post(const void *msg, uint32_t size)
{
	const struct vmbus_gpadl_header *h = msg;
	struct sim_channel *ch;

	if (!sim_quirk[QUIRK_RESCIND_RACING_GPADL] || size < sizeof(*h) || h->hdr.type != VMBUS_MSG_GPADL_HEADER)
		return;
	ch = sim_vmbus_channel_by_relid(h->child_relid);
	if (ch && ch->state == SIM_CH_OFFERED)
		sim_vmbus_rescind_first_ic(ch, QUIRK_RESCIND_RACING_GPADL);
}

/*
 * Quirk rescind_unknown: a relid this connection never offered, as a host
 * rescinds an offer the guest dropped (Linux vmbus_onoffer_rescind ignores
 * it): no RELID_RELEASED is due for it.
 */
void sim_vmbus_rescind_unknown(void)
{
	struct vmbus_relid_msg m = { { VMBUS_MSG_RESCIND_CHANNELOFFER, 0 }, RESCIND_UNKNOWN_RELID };

	if (!sim_quirk[QUIRK_RESCIND_UNKNOWN])
		return;
	fprintf(stderr, "hvsim: vmbus: rescinding relid %u, which was never offered (quirk rescind_unknown)\n",
		RESCIND_UNKNOWN_RELID);
	sim_vmbus_send_msg(&m, sizeof(m));
}

/* RELID_RELEASED: the guest let go of a rescinded channel. */
void sim_vmbus_on_relid_released(const void *msg, uint32_t size, uint32_t conn)
{
	const struct vmbus_relid_msg *m = msg;
	struct sim_channel *ch = sim_vmbus_channel_by_relid(m->child_relid);

	if (!ch || ch->state != SIM_CH_RESCINDED) {
		sim_vmbus_guest_error("RELID_RELEASED for relid %u, which was not rescinded: ignored",
				      m->child_relid);
		return;
	}
	if (ch->open) {
		sim_vmbus_guest_error("RELID_RELEASED for relid %u before CLOSECHANNEL", ch->relid);
		sim_vmbus_channel_close(ch);
	}
	ch->state = SIM_CH_RELEASED;
}

