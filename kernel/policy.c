/*
 * What each expectation profile demands (hvprobe.cfg expect=, require=):
 * the one place that turns "missing" into a failure or a skip.
 *
 *   none    judge only what the host advertises: anything missing is a skip.
 *   qemu    a QEMU/KVM Hyper-V host: the Hyper-V interface and VMBus.
 *   hyperv  Microsoft Hyper-V: as qemu, plus the devices Hyper-V gives every
 *           VM, a network adapter, a SCSI controller and time SYNCs.
 *
 * require= replaces the profile's device list, and makes VMBus necessary
 * under any profile (the offers cannot come without it).
 */
#include "kernel/policy.h"

#include "kernel/options.h"
#include "lib/str.h"

#define QEMU (1u << EXPECT_QEMU)
#define HYPERV (1u << EXPECT_HYPERV)

/*
 * The devices a profile needs offered (vmbus.offers fails without them):
 * Hyper-V offers the five default ICs and the input devices to every VM
 * (MSDOC integration-services.md).  Their drivers' own checks then skip.
 */
static const struct {
	const char *name;
	unsigned profiles;
} devices[] = {
	{ "heartbeat", HYPERV }, { "shutdown", HYPERV }, { "timesync", HYPERV },
	{ "kvp", HYPERV },       { "vss", HYPERV },      { "keyboard", HYPERV },
	{ "mouse", HYPERV },
};

/* The checks whose missing subject fails the run under a profile (any other: a skip). */
static const struct {
	const char *id;
	unsigned profiles;
} needed[] = {
	/* both hosts provide VMBus (QEMU's vmbus-bridge, Hyper-V's) */
	{ "vmbus.connect", QEMU | HYPERV },
	/* a Hyper-V VM usually has a network adapter; a Gen2 VM boots from a SCSI controller */
	{ "net.nvsp", HYPERV },
	{ "storage.init", HYPERV },
	/* Hyper-V sends a SYNC right after negotiation (Linux hv_util.c, OpenVMM timesync.rs) */
	{ "ic.timesync.sync", HYPERV },
};

bool policy_requires_hyperv(void)
{
	return opt.expect != EXPECT_NONE;
}

bool policy_enforces_cpuid(void)
{
	/* real Hyper-V always enforces; QEMU only with hv-enforce-cpuid, which a guest cannot see */
	return opt.enforce || opt.expect == EXPECT_HYPERV;
}

bool policy_requires_device(const char *name)
{
	if (opt.require[0])
		return options_require_names(name);
	for (size_t i = 0; i < ARRAY_SIZE(devices); i++)
		if (!strcmp(devices[i].name, name))
			return devices[i].profiles & (1u << opt.expect);
	return false;
}

/* CHECK_FAIL when the run needs check @id's subject, else CHECK_SKIP. */
static enum check_result missing_result(const char *id)
{
	if (opt.require[0] && !strcmp(id, "vmbus.connect"))
		return CHECK_FAIL;
	for (size_t i = 0; i < ARRAY_SIZE(needed); i++)
		if (!strcmp(needed[i].id, id))
			return needed[i].profiles & (1u << opt.expect) ? CHECK_FAIL : CHECK_SKIP;
	return CHECK_SKIP;
}

void check_missing(const char *id, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	check_va(id, missing_result(id), fmt, ap);
	va_end(ap);
}
