/*
 * hvsim's VMBus host, the power-off report: the connection, the counts,
 * each opened channel and its device's own lines.
 */
#include <stdio.h>

#include "tools/hvsim/hvsim.h"
#include "tools/hvsim/vmbus/vmbus.h"
#include "tools/hvsim/vmbus/vmbus_host.h"

#define cfg sim_vmbus_cfg
#define bus sim_vmbus_bus
#define channels sim_vmbus_channels
#define nchannels sim_vmbus_nchannels

/* What the host saw, on stderr at power off. */

void sim_vmbus_report(void)
{
	char a[16], b[16];

	if (!cfg.max_version) {
		fprintf(stderr, "hvsim: vmbus: no VMBus host; %llu posts refused\n",
			(unsigned long long)bus.refused_posts);
		return;
	}
	fprintf(stderr, "hvsim: vmbus: host accepts 0.13..%s, %u offers; ", sim_vmbus_version_name(cfg.max_version, a),
		nchannels);
	if (bus.connected)
		fprintf(stderr, "connected at %s via connection %u (msg_conn_id %u)", sim_vmbus_version_name(bus.version, b),
			bus.via_conn4 ? 4 : 1, bus.version >= VMBUS_VERSION_WIN10_V5 ? cfg.conn_id : VMBUS_MESSAGE_CONNECTION_ID);
	else if (bus.unloaded)
		fprintf(stderr, "unloaded (was %s)", sim_vmbus_version_name(bus.last_version, b));
	else if (bus.contacts)
		fprintf(stderr, "not connected (%llu INITIATE_CONTACT, last for %s)", (unsigned long long)bus.contacts,
			sim_vmbus_version_name(bus.last_requested, b));
	else
		fprintf(stderr, "the guest never connected");
	fprintf(stderr, "; %llu messages from the guest, %llu to it, %llu posts refused; %llu offers and %llu ALLOFFERS_DELIVERED sent; %llu guest protocol errors\n",
		(unsigned long long)bus.msgs_in, (unsigned long long)bus.msgs_out,
		(unsigned long long)bus.refused_posts, (unsigned long long)bus.offers_sent,
		(unsigned long long)bus.alloffers, (unsigned long long)bus.errors);
	for (unsigned i = 0; i < nchannels; i++) {
		const struct sim_channel *ch = &channels[i];

		if (!ch->opens)
			continue;
		fprintf(stderr, "hvsim: vmbus: channel %u %s: %s, opened %llux, packets %llu from the guest (%llu bytes), %llu to it (%llu bytes), signals %llu in, %llu out%s%s\n",
			ch->relid, ch->dev->name, ch->open ? "open" : "closed", (unsigned long long)ch->opens,
			(unsigned long long)ch->packets_in, (unsigned long long)ch->bytes_in,
			(unsigned long long)ch->packets_out, (unsigned long long)ch->bytes_out,
			(unsigned long long)ch->signals_in, (unsigned long long)ch->signals_out,
			ch->backlog_len ? ", packets still waiting for room" : "",
			ch->dropped ? ", packets dropped" : "");
		if (ch->dev->report)
			ch->dev->report(ch);
	}
	if (bus.errors)
		fprintf(stderr, "hvsim: vmbus: first guest error: %s\n", bus.first_error);
}
