/*
 * Fuzz target: the SynIC message slot (drivers/hyperv/synic.c) and its
 * hand-off to VMBus.  The host writes SINT 2's 256-byte slot (type,
 * payload size up to 255, flags, origination id, payload) and the guest's
 * loop poller takes it: copy, free, EOM when Pending, dispatch by type.
 * Byte 0: b0 an interrupt with every message, b1 a SINT 2 event flag is
 * set, b2-b4 the VMBus version, b5 offers were requested, b6 a wait for
 * VERSION_RESPONSE is active.  Then slot images, 256 bytes each (a short
 * last one zero-filled), delivered one at a time as the slot frees.  After
 * each poll the target checks what the host may rely on: a taken slot is
 * free, EOM is written exactly when Pending was set, and a handler sees the
 * message as written and never a payload larger than 240 bytes.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "drivers/hyperv/synic.h"
#include "drivers/vmbus/vmbus_internal.h"
#include "kernel/cpu.h"
#include "kernel/loop.h"
#include "tests/fuzz/stub_cpu.h"

#define EOM_UNTOUCHED 0x5a5a5a5aull /* what EOM holds until the guest writes it */

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

static const uint32_t versions[] = { VMBUS_VERSION_WS2008, VMBUS_VERSION_WIN7,
				     VMBUS_VERSION_WIN8, VMBUS_VERSION_WIN10,
				     VMBUS_VERSION_WIN10_V5_3, VMBUS_VERSION_WIN10_V6_0 };

static struct hv_message *slot;   /* SINT 2's slot in the guest's message page */
static uint8_t *flags;            /* SINT 2's event flags */
static struct hv_message written; /* what the host wrote into the slot */
static unsigned handed;           /* messages the VMBus handler saw */

/* Stop the run: the guest broke the SynIC protocol. */
static void broken(const char *what)
{
	fprintf(stderr, "fuzz_synic: %s (type 0x%x, payload %u, flags 0x%x)\n", what,
		written.header.message_type, written.header.payload_size, written.header.flags);
	abort();
}

/* The VMBus handler as vmbus_start() registers it, behind the checks. */
static void on_vmbus(const struct hv_message *m, void *ctx)
{
	handed++;
	if (m->header.payload_size > HV_MESSAGE_PAYLOAD_MAX)
		broken("a handler got a payload larger than the slot's 240 bytes");
	if (memcmp(m, &written, sizeof(written)))
		broken("a handler got something other than what the host wrote");
	vmbus_on_message(m, ctx);
}

/* One pass of the loop is enough: the poller takes at most one message. */
static bool once(void *ctx)
{
	return true;
}

/* The SynIC once, as the kernel brings it up: pages, SINT 2, the self-test's handler, VMBus. */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct hv_info hv = { .privileges = HV_PRIV_SYNIC | HV_PRIV_SYNTH_TIMERS | HV_PRIV_REF_COUNTER };
	uint64_t simp = 0, siefp = 0;

	cpu_wrmsr(HV_MSR_SVERSION, HV_SYNIC_VERSION);
	if (!synic_setup(&hv))
		abort();
	synic_selftest(&hv); /* no timer message comes: it fails, and leaves its handler */
	if (!synic_on_message(HV_MESSAGE_TYPE_VMBUS, on_vmbus, NULL))
		abort();
	cpu_rdmsr(HV_MSR_SIMP, &simp);
	cpu_rdmsr(HV_MSR_SIEFP, &siefp);
	slot = (struct hv_message *)cpu_phys_to_virt(simp & ~0xfffull) + SYNIC_SINT;
	flags = (uint8_t *)cpu_phys_to_virt(siefp & ~0xfffull) + SYNIC_SINT * HV_EVENT_FLAGS_BYTES;
	return 0;
}

/* One input: a fresh connection, the slots one by one through the poller, the report. */
int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	uint8_t f;

	if (n < 1)
		return 0;
	f = d[0];
	d++, n--;
	memset(&vmb, 0, sizeof(vmb));
	vmb.connected = true;
	vmb.version = versions[(f >> 2 & 7) % 6];
	vmb.requested_offers = f & 0x20;
	vmb.wait.active = f & 0x40;
	vmb.wait.type = VMBUS_MSG_VERSION_RESPONSE;
	memset(flags, 0, HV_EVENT_FLAGS_BYTES);
	flags[0] = f & 2 ? 2 : 0; /* relid 1's flag */
	do {
		size_t len = n < sizeof(written) ? n : sizeof(written);
		bool full, pending;
		uint64_t eom = 0;
		unsigned before = handed;

		memset(&written, 0, sizeof(written));
		memcpy(&written, d, len);
		d += len, n -= len;
		memcpy(slot, &written, sizeof(written));
		full = written.header.message_type != HV_MESSAGE_TYPE_NONE;
		pending = written.header.flags & HV_MESSAGE_FLAG_PENDING;
		cpu_wrmsr(HV_MSR_EOM, EOM_UNTOUCHED);
		if (f & 1)
			fuzz_interrupt(SYNIC_VECTOR);
		loop_wait("the fuzzed SINT2 slot", once, NULL, UINT64_MAX);
		cpu_rdmsr(HV_MSR_EOM, &eom);
		if (!full && memcmp(slot, &written, sizeof(written)))
			broken("the guest wrote into an empty slot");
		if (full && slot->header.message_type != HV_MESSAGE_TYPE_NONE)
			broken("the guest took a message and left the slot busy");
		if (full && pending && eom != 0)
			broken("a message was pending and the guest wrote no EOM");
		if ((!full || !pending) && eom != EOM_UNTOUCHED)
			broken("the guest wrote EOM with no message pending");
		if (handed - before > 1 || (handed != before && (!full || written.header.message_type !=
								      HV_MESSAGE_TYPE_VMBUS)))
			broken("the VMBus handler ran for a message that was not VMBus's");
		if (full && written.header.message_type == HV_MESSAGE_TYPE_VMBUS &&
		    written.header.payload_size <= HV_MESSAGE_PAYLOAD_MAX && handed == before)
			broken("a well-sized VMBus message never reached VMBus");
	} while (n);
	synic_report();
	return 0;
}
