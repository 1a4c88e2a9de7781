/*
 * Fuzz target: VMBus control messages from the host.  The input is a
 * sequence of messages, each a length byte and that many bytes, fed to the
 * client's handler as SynIC messages in one connection's life; the first
 * byte picks the negotiated version and whether offers were requested.
 */
#include <stdint.h>
#include <string.h>

#include "drivers/vmbus/vmbus_internal.h"
#include "tests/fuzz/stub_cpu.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

static const uint32_t versions[] = { VMBUS_VERSION_WS2008, VMBUS_VERSION_WIN7,
				     VMBUS_VERSION_WIN8, VMBUS_VERSION_WIN10,
				     VMBUS_VERSION_WIN10_V5_3, VMBUS_VERSION_WIN10_V6_0 };

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	struct hv_message m;

	if (n < 1)
		return 0;
	fuzz_reset_memory();
	memset(&vmb, 0, sizeof(vmb));
	vmb.connected = true;
	vmb.version = versions[d[0] % 6];
	vmb.requested_offers = d[0] & 0x10;
	vmb.wait.active = d[0] & 0x20;
	vmb.wait.type = d[0] >> 6 ? VMBUS_MSG_GPADL_CREATED : VMBUS_MSG_VERSION_RESPONSE;
	vmb.unloaded = (d[0] & 0xc0) == 0xc0;
	d++, n--;
	while (n) {
		size_t len = d[0] < n - 1 ? d[0] : n - 1;

		memset(&m, 0, sizeof(m));
		m.header.message_type = 1;
		m.header.payload_size = (uint8_t)(len < HV_MESSAGE_PAYLOAD_MAX ? len : HV_MESSAGE_PAYLOAD_MAX);
		memcpy(m.payload, d + 1, m.header.payload_size);
		vmbus_on_message(&m, NULL);
		d += 1 + len;
		n -= 1 + len;
	}
	return 0;
}
