/*
 * Channels bound to a VP other than 0 (docs/SMP.md): which VP each
 * OPENCHANNEL names, the event flags the BSP's loop takes from every VP's
 * page, and the verdict vmbus.target_vp on where the host signalled.
 *
 * Protocol, in our words:
 * - OPENCHANNEL's target_vp is the VP whose SynIC gets the channel's
 *   host -> guest interrupts: QEMU hw/hyperv/vmbus.c handle_open_channel()
 *   keeps it and open_channel() builds the channel's notify route for that
 *   VP (make_sint_route()); OpenVMM vmbus_server lib.rs opens the channel's
 *   guest event port on open_data.target_vp; Linux drivers/hv/channel.c
 *   vmbus_channel_set_cpu() and MODIFYCHANNEL rely on hosts honouring it.
 * - Before VMBus 2.4 (WIN8) every channel interrupt goes to the VP that
 *   connected (Linux channel_mgmt.c init_vp_index(); OpenVMM: with the
 *   pre-Win8 channel bitmap the event always targets VP 0).  Linux spreads
 *   only its performance channels over CPUs; we spread every channel so
 *   the first lands on an AP.
 * - Each VP scans its own event page when its SINT fires (Linux
 *   vmbus_drv.c vmbus_chan_sched() reads this CPU's SIEF page only).
 */
#include "drivers/hyperv/synic.h"
#include "drivers/vmbus/vmbus_internal.h"
#include "lib/report.h"

/* VP 0 always; from 2.4 on also every AP whose SynIC synic_ap_setup() could set up. */
void vmbus_vp_setup(void)
{
	uint32_t vp;

	vmb.ncpus = 1;
	vmb.cpus[0] = 0;
	vmb.vps[0] = vmb.vp;
	vmb.next_cpu = 1; /* the first channel goes to an AP */
	if (vmb.version < VMBUS_VERSION_WIN8 || cpu_vp_count() < 2 || !synic_ap_setup())
		return;
	for (unsigned i = 1; i < cpu_vp_count() && vmb.ncpus < CPU_MAX_VPS; i++) {
		if (!synic_ap_ready(i, &vp))
			continue;
		vmb.cpus[vmb.ncpus] = (uint8_t)i;
		vmb.vps[vmb.ncpus++] = vp;
	}
}

/* Round-robin over those VPs, starting with VP 1 (VP 0 alone: always VP 0). */
void vmbus_vp_place(struct vmbus_channel *ch)
{
	unsigned k = vmb.ncpus > 1 ? vmb.next_cpu++ % vmb.ncpus : 0;

	ch->cpu = vmb.cpus[k];
	ch->target_vp = vmb.vps[k];
}

/* The flag on the bound VP's page is a delivery; on any other VP's page a misdelivery. */
void vmbus_vp_take_flags(struct vmbus_channel *ch)
{
	if (!ch->cpu) {
		synic_event_test_clear(ch->relid);
		return;
	}
	for (unsigned k = 0; k < vmb.ncpus; k++) {
		if (!synic_event_test_clear_on(vmb.cpus[k], ch->relid))
			continue;
		if (vmb.cpus[k] == ch->cpu)
			ch->flags_on_target++;
		else if (!ch->flags_elsewhere++)
			ch->elsewhere_vp = vmb.vps[k];
	}
}

/* vmbus.target_vp: the first misdelivered channel, else the first without an interrupt. */
void vmbus_vp_report(void)
{
	const struct vmbus_channel *bad = NULL, *silent = NULL, *first = NULL;
	unsigned bound = 0;
	const char *skip = vmb.version < VMBUS_VERSION_WIN8 ? "VMBus before 2.4: every channel on VP 0"
			 : vmb.ncpus > 1 ? NULL : cpu_vp_count() < 2 ? "one virtual processor"
			 : "no AP has a SynIC for VMBus";

	for (unsigned i = 0; i < vmb.nchannels && !skip; i++) {
		const struct vmbus_channel *ch = &vmb.channels[i];

		bound += ch->cpu != 0;
		if (!ch->cpu || !(ch->flags_on_target | ch->flags_elsewhere))
			continue;
		first = first ?: ch;
		bad = bad ?: ch->flags_elsewhere ? ch : NULL;
		silent = silent ?: !synic_ap_irqs(ch->cpu) ? ch : NULL;
	}
	if (!skip && !first)
		skip = bound ? "no channel on an AP was signalled" : "no channel on an AP";
	if (skip)
		check("vmbus.target_vp", CHECK_SKIP, "%s", skip);
	else if (bad)
		/*
		 * The host must signal the VP OPENCHANNEL named: QEMU vmbus.c
		 * open_channel() routes the channel to target_vp, OpenVMM
		 * vmbus_server opens its event port there, and Linux
		 * vmbus_chan_sched() looks for a channel's flag only in its
		 * target CPU's page, so a flag elsewhere is never seen.
		 */
		check("vmbus.target_vp", CHECK_FAIL, "relid %u, target VP %u: %u flag(s) in VP %u's page",
		      bad->relid, bad->target_vp, bad->flags_elsewhere, bad->elsewhere_vp);
	else if (silent)
		/*
		 * TLFS §11.5-11.7 (SynIC event flags): a flag that goes from clear
		 * to set asserts the SINT of the VP whose page holds it; QEMU
		 * hw/hyperv/hyperv.c hyperv_set_event_flag() raises that VP's SINT
		 * route.  Linux scans a VP's page only in that VP's vmbus_isr(), so
		 * a flag without the interrupt there leaves the channel unserved.
		 */
		check("vmbus.target_vp", CHECK_FAIL, "relid %u, target VP %u: %u flag(s) there, no interrupt",
		      silent->relid, silent->target_vp, silent->flags_on_target);
	else
		check("vmbus.target_vp", CHECK_PASS, "%u channel(s) on APs; VP %u: %u flag(s), %u interrupt(s)",
		      bound, first->target_vp, first->flags_on_target, synic_ap_irqs(first->cpu));
}
