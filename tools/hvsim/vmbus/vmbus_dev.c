/*
 * The devices hvsim's VMBus host can offer (class GUIDs: Linux include/linux/hyperv.h): one
 * row each, name, class GUID, default instance GUID, whether it is an
 * integration service (named-pipe offer), and its hooks.  Heartbeat,
 * shutdown and time sync are served by the IC hosts (ic/ic_host.c), KVP, VSS
 * and fcopy by ic/ic_kvp.c, ic/ic_vss.c, ic/ic_fcopy.c on the same framework; every
 * other row uses the generic device, which only counts what the guest
 * sends.
 */
#include <stdio.h>
#include <string.h>

#include "tools/hvsim/ic/ic_host.h"
#include "tools/hvsim/vmbus/input_dm.h"
#include "tools/hvsim/vmbus/vmbus.h"
#include "tools/hvsim/vmbus/vsp.h"

/* The generic device: count the guest's packets. */
static void generic_packet(struct sim_channel *ch, const struct vmbus_packet *pkt,
			   const void *payload, uint32_t len)
{
	ch->dev_count++;
}

/* The generic device's line at power off. */
static void generic_report(const struct sim_channel *ch)
{
	fprintf(stderr, "hvsim: vmbus:   %s (generic device): %llu packets counted\n", ch->dev->name,
		(unsigned long long)ch->dev_count);
}

#define GENERIC .on_packet = generic_packet, .report = generic_report
#define IC_HOST(svc) .on_open = sim_ic_open, .on_packet = sim_ic_packet, .on_close = sim_ic_close, \
	.report = sim_ic_report, .data = &(svc)
#define NO_INSTANCE { { 0 } }

const struct sim_device sim_devices[] = {
	{ "heartbeat", GUID_INIT(0x57164f39, 0x9115, 0x4e78, 0xab, 0x55, 0x38, 0x2f, 0x3b, 0xd5, 0x42, 0x2d),
	  NO_INSTANCE, true, IC_HOST(sim_ic_heartbeat) },
	{ "shutdown", GUID_INIT(0x0e0b6031, 0x5213, 0x4934, 0x81, 0x8b, 0x38, 0xd9, 0x0c, 0xed, 0x39, 0xdb),
	  GUID_INIT(0xb6650ff7, 0x33bc, 0x4840, 0x80, 0x48, 0xe0, 0x67, 0x67, 0x86, 0xf3, 0x93), true,
	  IC_HOST(sim_ic_shutdown) },
	{ "timesync", GUID_INIT(0x9527e630, 0xd0ae, 0x497b, 0xad, 0xce, 0xe8, 0x0a, 0xb0, 0x17, 0x5c, 0xaf),
	  GUID_INIT(0x2dd1ce17, 0x079e, 0x403c, 0xb3, 0x52, 0xa1, 0x92, 0x1e, 0xe2, 0x07, 0xee), true,
	  IC_HOST(sim_ic_timesync) },
	{ "kvp", GUID_INIT(0xa9a0f4e7, 0x5a45, 0x4d96, 0xb8, 0x27, 0x8a, 0x84, 0x1e, 0x8c, 0x03, 0xe6),
	  GUID_INIT(0x242ff919, 0x07db, 0x4180, 0x9c, 0x2e, 0xb8, 0x6c, 0xb6, 0x8c, 0x8c, 0x55), true,
	  IC_HOST(sim_ic_kvp) },
	{ "vss", GUID_INIT(0x35fa2e29, 0xea23, 0x4236, 0x96, 0xae, 0x3a, 0x6e, 0xba, 0xcb, 0xa4, 0x40),
	  NO_INSTANCE, true, IC_HOST(sim_ic_vss) },
	{ "fcopy", GUID_INIT(0x34d14be3, 0xdee4, 0x41c8, 0x9a, 0xe7, 0x6b, 0x17, 0x49, 0x77, 0xc1, 0x92),
	  GUID_INIT(0xeb765408, 0x105f, 0x49b6, 0xb4, 0xaa, 0xc1, 0x23, 0xb6, 0x4d, 0x17, 0xd4), true,
	  IC_HOST(sim_ic_fcopy) },
	{ "keyboard", GUID_INIT(0xf912ad6d, 0x2b17, 0x48ea, 0xbd, 0x65, 0xf9, 0x27, 0xa6, 0x1c, 0x76, 0x84),
	  GUID_INIT(0xd34b2567, 0xb9b6, 0x42b9, 0x87, 0x78, 0x0a, 0x4e, 0xc0, 0xb9, 0x55, 0xbf), false,
	  SIM_KEYBOARD_HOST }, /* input/synth_input.c */
	{ "mouse", GUID_INIT(0xcfa8b69e, 0x5b4a, 0x4cc0, 0xb9, 0x8b, 0x8b, 0xa1, 0xa1, 0xf3, 0xf9, 0x5a),
	  GUID_INIT(0x58f75a6d, 0xd949, 0x4320, 0x99, 0xe1, 0xa2, 0xa2, 0x57, 0x6d, 0x58, 0x1c), false,
	  SIM_MOUSE_HOST }, /* input/synth_input.c */
	{ "video", GUID_INIT(0xda0a7802, 0xe377, 0x4aac, 0x8e, 0x77, 0x05, 0x58, 0xeb, 0x10, 0x73, 0xf8),
	  NO_INSTANCE, false, GENERIC },
	{ "balloon", GUID_INIT(0x525074dc, 0x8985, 0x46e2, 0x80, 0x57, 0xa3, 0x07, 0xdc, 0x18, 0xa5, 0x02),
	  NO_INSTANCE, false, SIM_DM_HOST }, /* balloon/dm_host.c */
	{ "scsi", GUID_INIT(0xba6163d9, 0x04a1, 0x4d29, 0xb6, 0x05, 0x72, 0xe2, 0xff, 0xb1, 0xdc, 0x7f),
	  NO_INSTANCE, false, .on_open = sim_storvsp_open, .on_packet = sim_storvsp_packet,
	  .on_close = sim_storvsp_close, .report = sim_storvsp_report }, /* storage/storvsp.c */
	{ "nic", GUID_INIT(0xf8615163, 0xdf3e, 0x46c5, 0x91, 0x3f, 0xf2, 0xd2, 0xf9, 0x65, 0xed, 0x0e),
	  NO_INSTANCE, false, .on_open = sim_netvsp_open, .on_packet = sim_netvsp_packet,
	  .on_close = sim_netvsp_close, .report = sim_netvsp_report }, /* net/netvsp.c */
	/* Automatic VM Activation, offered to Windows guests (Linux include/linux/hyperv.h HV_AVMA1_GUID, HV_AVMA2_GUID) */
	{ "avma1", GUID_INIT(0xf8e65716, 0x3cb3, 0x4a06, 0x9a, 0x60, 0x18, 0x89, 0xc5, 0xcc, 0xca, 0xb5),
	  NO_INSTANCE, false, GENERIC },
	{ "avma2", GUID_INIT(0x3375baf4, 0x9e15, 0x4b30, 0xb7, 0x65, 0x67, 0xac, 0xb1, 0x0d, 0x60, 0x7b),
	  NO_INSTANCE, false, GENERIC },
	/* made up for hvsim ("hvsm..."): a class no guest driver knows */
	{ "unknown", GUID_INIT(0x6876736d, 0x756e, 0x4b6e, 0x8f, 0x77, 0x6e, 0x2d, 0x63, 0x6c, 0x61, 0x73),
	  NO_INSTANCE, false, GENERIC },
};

const unsigned sim_ndevices = sizeof(sim_devices) / sizeof(sim_devices[0]);

const struct sim_device *sim_device_find(const char *name)
{
	for (unsigned i = 0; i < sim_ndevices; i++)
		if (!strcmp(sim_devices[i].name, name))
			return &sim_devices[i];
	return NULL;
}
