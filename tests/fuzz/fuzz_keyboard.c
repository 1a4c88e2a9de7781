/*
 * Fuzz target: packets from the synthetic keyboard's host (responses,
 * keystrokes, anything else).  Flags byte b0: the protocol was accepted
 * already; then records of packets (fuzz_input.h); then the report.
 */
#include "drivers/input/input.h"
#include "tests/fuzz/fuzz_input.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

/* One input: a fresh keyboard, the packets, the report. */
int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	struct vmbus_channel *ch;
	struct vmbus_packet pkt;
	const uint8_t *payload;
	uint32_t len;

	if (n < 1)
		return 0;
	ch = fuzz_channel(&input_keyboard_ops);
	input_keyboard_reset(ch, d[0] & 1);
	d++, n--;
	while (fuzz_next(&d, &n, &pkt, &payload, &len))
		input_keyboard_ops.packet(ch, &pkt, payload, len);
	input_keyboard_ops.report(ch);
	return 0;
}
