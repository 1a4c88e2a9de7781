/*
 * Hypercalls as the simulated host executes them (TLFS §3, §11.11): input
 * blocks are validated the way Hyper-V does (alignment, page crossing,
 * sizes, privileges) and answered with real HV_STATUS codes.
 */
#include <string.h>

#include "drivers/hyperv/hv_cpuid.h"
#include "tools/hvsim/hvsim.h"

static uint64_t status(uint16_t st)
{
	return st;
}

/*
 * May the guest make a call that needs @privilege?  0 if so, else the status
 * the host answers: ACCESS_DENIED (TLFS HvCallPostMessage, HvCallSignalEvent),
 * or KVM's without hv-enforce-cpuid: it ignores the privilege and answers
 * INVALID_HYPERCALL_INPUT while the vCPU has no active SynIC (kvm_hv_hypercall()).
 */
static uint16_t denied(uint64_t privilege)
{
	if (sim_quirk[QUIRK_KVM_UNENFORCED_HYPERCALLS])
		return sim.profile->privileges & HV_PRIV_SYNIC ? 0 : HV_STATUS_INVALID_HYPERCALL_INPUT;
	return sim.profile->privileges & privilege ? 0 : HV_STATUS_ACCESS_DENIED;
}

/* HvPostMessage: validated here, delivered to the VMBus host's ports. */
static uint64_t post_message(uint64_t gpa)
{
	const struct hv_post_message_input *in;

	if (denied(HV_PRIV_POST_MESSAGES))
		return status(denied(HV_PRIV_POST_MESSAGES));
	if ((gpa & 7) || (gpa & 0xfff) + sizeof(*in) > PAGE_SIZE)
		return status(HV_STATUS_INVALID_ALIGNMENT);
	in = sim_gpa(gpa, sizeof(*in));
	if (!in)
		return status(HV_STATUS_INVALID_PARAMETER);
	if (in->message_type == 0 || (in->message_type & 0x80000000u) ||
	    in->payload_size > HV_MESSAGE_PAYLOAD_MAX)
		return status(HV_STATUS_INVALID_PARAMETER);
	return status(sim_vmbus_post(in->connection_id, in->message_type, in->payload, in->payload_size));
}

/* HvSignalEvent (fast): RDX = connection id | flag number << 32; VMBus owns the ports. */
static uint64_t signal_event(uint64_t rdx)
{
	if (denied(HV_PRIV_SIGNAL_EVENTS))
		return status(denied(HV_PRIV_SIGNAL_EVENTS));
	if (rdx >> 48)
		return status(HV_STATUS_INVALID_HYPERCALL_INPUT);
	return status(sim_vmbus_signal((uint32_t)rdx, (uint16_t)(rdx >> 32)));
}

uint32_t sim_spin_retries = 0xffffffff;

void sim_key_spin_retries(const char *key, char *val)
{
	sim_spin_retries = (uint32_t)sim_scenario_number(key, val, 0xffffffff);
}

/*
 * HvCallNotifyLongSpinWait: as KVM with hv-enforce-cpuid (hv_check_hypercall_access():
 * granted when leaf 0x40000004 EBX is neither 0 nor 0xffffffff), then
 * kvm_hv_hypercall(): no rep count or variable header, SUCCESS.
 */
static uint64_t notify_long_spin_wait(uint64_t control)
{
	if (!sim_spin_retries || sim_spin_retries == 0xffffffff || sim_mb_fire(MB_SPIN_WAIT_REFUSED))
		return status(HV_STATUS_ACCESS_DENIED);
	if (control >> HV_HYPERCALL_VARHEAD_SHIFT & 0x3ff || control >> HV_HYPERCALL_REP_COUNT_SHIFT & 0xfff)
		return status(HV_STATUS_INVALID_HYPERCALL_INPUT);
	return status(HV_STATUS_SUCCESS);
}

uint64_t sim_hypercall(uint64_t control, uint64_t input, uint64_t output)
{
	uint16_t code = control & 0xffff;
	bool fast = control & HV_HYPERCALL_FAST;

	sim.hypercalls++;
	if (sim_mb_fire(MB_HYPERCALL_ACCEPT_ALL))
		return status(HV_STATUS_SUCCESS);
	switch (code) {
	case HV_CALL_POST_MESSAGE:
		return fast ? status(HV_STATUS_INVALID_HYPERCALL_INPUT) : post_message(input);
	case HV_CALL_SIGNAL_EVENT:
		return fast ? signal_event(input) : status(HV_STATUS_INVALID_HYPERCALL_INPUT);
	case HV_CALL_NOTIFY_LONG_SPIN_WAIT:
		return notify_long_spin_wait(control);
	case HV_CALL_POST_DEBUG_DATA:
	case HV_CALL_RETRIEVE_DEBUG_DATA:
	case HV_CALL_RESET_DEBUG_SESSION:
		/* no debugger is attached: refused without the privilege, else no such call here */
		return status(denied(HV_PRIV_DEBUGGING) ?: HV_STATUS_INVALID_HYPERCALL_CODE);
	case HV_EXT_CALL_QUERY_CAPABILITIES: {
		uint64_t *out;

		/* TLFS, extended hypercalls: a 64-bit mask at the output GPA; we offer none */
		if (denied(HV_PRIV_EXT_HYPERCALLS))
			return status(denied(HV_PRIV_EXT_HYPERCALLS));
		out = sim_gpa(output, sizeof(*out));
		if (fast || !out)
			return status(HV_STATUS_INVALID_PARAMETER);
		*out = 0;
		return status(HV_STATUS_SUCCESS);
	}
	case HV_CALL_SEND_IPI:
	case HV_CALL_SEND_IPI_EX:
	case HV_CALL_FLUSH_SPACE:
	case HV_CALL_FLUSH_LIST:
	case HV_CALL_FLUSH_SPACE_EX:
	case HV_CALL_FLUSH_LIST_EX:
		return sim_vp_hypercall(control, input, output);
	}
	return status(HV_STATUS_INVALID_HYPERCALL_CODE);
}
