/*
 * Fuzz target: integration-service packets from the host (the IC headers
 * and every service's payload).  Byte 0 picks the service and whether it
 * was negotiated (and at which version); bytes 1-2 the packet type; the
 * rest is the packet payload as it came out of the ring.
 */
#include <stdint.h>
#include <string.h>

#include "drivers/ic/ic.h"
#include "drivers/vmbus/vmbus_internal.h"
#include "kernel/cpu.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

static const struct ic_service *const services[] = { &ic_heartbeat, &ic_shutdown, &ic_timesync };
static uint8_t ring_mem[8 * PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));
static struct vmbus_device dev = { "fuzz", { { 0 } }, NULL, NULL };

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	static struct vmbus_channel ch;
	static struct ic_channel ic;
	struct vmbus_packet pkt = { 0 };

	if (n < 3)
		return 0;
	vmb.version = VMBUS_VERSION_WIN10; /* as after a connect: signals need no interrupt page */
	ic_reset_findings();
	memset(&ch, 0, sizeof(ch));
	memset(&ic, 0, sizeof(ic));
	ic.svc = services[d[0] % 3];
	ic.ch = &ch;
	ic.negotiated = d[0] & 0x10;
	ic.version = (struct ic_version){ (uint16_t)(d[0] & 0x20 ? 4 : 3), 0 };
	dev.data = ic.svc;
	dev.ops = &ic_device_ops;
	ch.dev = &dev;
	ch.priv = &ic;
	ch.state = CH_OPEN;
	ring_init(&ch.out, ring_mem, 4 * PAGE_SIZE, true);
	ring_init(&ch.in, ring_mem + 4 * PAGE_SIZE, 4 * PAGE_SIZE, false);
	pkt.type = (uint16_t)(d[1] | d[2] << 8);
	pkt.offset8 = 2;
	ic_device_ops.packet(&ch, &pkt, d + 3, (uint32_t)(n - 3));
	return 0;
}
