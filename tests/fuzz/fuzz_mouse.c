/*
 * Fuzz target: packets from the SynthHID mouse's host: responses, device
 * info with its report descriptor (hid.c), input reports.  Flags byte b0:
 * the handshake is done already (OpenVMM's 5-button absolute layout); then
 * records of packets (fuzz_input.h); then the report.
 */
#include "drivers/input/input.h"
#include "tests/fuzz/fuzz_input.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

/* One input: a fresh mouse, the packets, the report. */
int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	struct vmbus_channel *ch;
	struct vmbus_packet pkt;
	const uint8_t *payload;
	uint32_t len;

	if (n < 1)
		return 0;
	ch = fuzz_channel(&input_mouse_ops);
	input_mouse_reset(ch, d[0] & 1);
	d++, n--;
	while (fuzz_next(&d, &n, &pkt, &payload, &len)) {
		input_mouse_ops.packet(ch, &pkt, payload, len);
		fuzz_host_reads(ch); /* the ACK went out */
	}
	input_mouse_ops.report(ch);
	return 0;
}
