/*
 * GPADLs a device driver creates beyond its channel's ring (HYPERV-PROTOCOL.md
 * §3.4): netvsc's receive and send buffers.  They belong to the channel:
 * vmbus_channel_close() tears down what the driver left, after
 * CLOSECHANNEL, which is the order VMBus 4.0 and later hosts need (Linux
 * netvsc_device_remove, illumos netvsc); a driver on an older host tears
 * them down itself before the close.
 */
#include "drivers/vmbus/vmbus_internal.h"
#include "lib/log.h"
#include "lib/str.h"

#define MAX_DRIVER_GPADLS 16

static struct {
	struct vmbus_channel *ch;
	uint32_t handle;
} owned[MAX_DRIVER_GPADLS];

int vmbus_gpadl_create(struct vmbus_channel *ch, void *mem, uint32_t pages, uint32_t *handle,
		       const char **why)
{
	unsigned slot;
	uint32_t h;

	if (ch->state != CH_OPEN || vmb.wait.active) {
		*why = ch->state != CH_OPEN ? "the channel is not open"
					    : "another control request is outstanding";
		return -1;
	}
	for (slot = 0; slot < MAX_DRIVER_GPADLS && owned[slot].ch; slot++)
		;
	if (slot == MAX_DRIVER_GPADLS || !pages) {
		*why = pages ? "no free GPADL slot" : "a GPADL of 0 pages";
		return -1;
	}
	h = vmb.next_gpadl++;
	if (vmbus_gpadl_post(ch, h, mem, pages, why))
		return -1;
	owned[slot].ch = ch;
	owned[slot].handle = h;
	*handle = h;
	return 0;
}

int vmbus_gpadl_teardown(struct vmbus_channel *ch, uint32_t handle, const char **why)
{
	struct vmbus_gpadl_teardown td;
	unsigned slot;

	for (slot = 0; slot < MAX_DRIVER_GPADLS; slot++)
		if (owned[slot].ch == ch && owned[slot].handle == handle)
			break;
	if (slot == MAX_DRIVER_GPADLS || vmb.wait.active) {
		*why = slot == MAX_DRIVER_GPADLS ? "not a GPADL of this channel"
						 : "another control request is outstanding";
		return -1;
	}
	memset(&td, 0, sizeof(td));
	td.hdr.type = VMBUS_MSG_GPADL_TEARDOWN;
	td.child_relid = ch->relid;
	td.gpadl = handle;
	vmb.wait = (struct vmbus_wait){ .active = true, .type = VMBUS_MSG_GPADL_TORNDOWN,
					.id = handle };
	if (vmbus_post(&td, sizeof(td))) {
		vmb.wait.active = false;
		*why = "HvPostMessage(GPADL_TEARDOWN) failed";
		return -1;
	}
	if (vmbus_wait_reply(VMBUS_MSG_GPADL_TORNDOWN, 0, handle, "GPADL_TORNDOWN", why))
		return -1;
	owned[slot].ch = NULL; /* only now may the driver reuse the memory */
	return 0;
}

void vmbus_gpadls_release(struct vmbus_channel *ch)
{
	const char *why;

	for (unsigned slot = 0; slot < MAX_DRIVER_GPADLS; slot++) {
		if (owned[slot].ch != ch)
			continue;
		if (vmbus_gpadl_teardown(ch, owned[slot].handle, &why)) {
			log_printf("hvprobe: vmbus: relid %u GPADL 0x%x: %s (memory kept)\n", ch->relid,
				   owned[slot].handle, why);
			owned[slot].ch = NULL; /* give up on it; the UNLOAD releases it */
		}
	}
}
