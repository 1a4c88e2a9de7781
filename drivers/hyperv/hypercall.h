/* Hypercalls: the page, one wrapper, status names, HvPostMessage and HvSignalEvent. */
#ifndef HVPROBE_HYPERCALL_H
#define HVPROBE_HYPERCALL_H

#include <stdbool.h>
#include <stdint.h>

#include "drivers/hyperv/hv_cpuid.h"

/* The name of an HV_STATUS value ("INVALID_CONNECTION_ID"), or "status 0x..". */
const char *hv_status_name(uint16_t status);

/*
 * Enable the hypercall page and check it (hv.hypercall.page).  Needs a
 * non-zero guest OS ID.  Returns true when hypercalls can be made.
 */
bool hv_hypercall_setup(void);

/* Slow (memory) form: @input / @output are guest physical addresses. */
uint16_t hv_call(uint16_t code, uint64_t input, uint64_t output);
/* Fast (register) form: @a goes in RDX, @b in R8. */
uint16_t hv_call_fast(uint16_t code, uint64_t a, uint64_t b);

/*
 * One HvPostMessage to @connection_id; returns the host's status.  No
 * retry here: the caller decides (VMBus retries as Linux does).
 */
uint16_t hv_post_message(uint32_t connection_id, uint32_t type, const void *payload,
			 uint32_t size);

/* HvSignalEvent (fast form) on @connection_id, flag @flag. */
uint16_t hv_signal_event(uint32_t connection_id, uint16_t flag);

/* hv.hypercall.call and hv.hypercall.fast: the host decodes both forms. */
void hv_hypercall_selftest(const struct hv_info *hv);

#endif
