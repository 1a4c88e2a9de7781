/*
 * The conformance run: configure, report what boot found, detect Hyper-V,
 * observe, verdict.  Portable: the x86_64 kernel and hvsim both call
 * hvprobe_main() once the machine is theirs.
 */
#include "drivers/hyperv/crash.h"
#include "drivers/hyperv/hv_cpuid.h"
#include "drivers/ic/ic.h"
#include "drivers/hyperv/platform.h"
#include "drivers/hyperv/synic.h"
#include "drivers/vmbus/vmbus.h"
#include "kernel/bootinfo.h"
#include "kernel/cpu.h"
#include "kernel/loop.h"
#include "kernel/options.h"
#include "kernel/policy.h"
#include "kernel/panic.h"
#include "kernel/version.h"
#include "lib/log.h"
#include "lib/report.h"

#define NS_PER_S 1000000000ull
#define MIN_TSC_HZ 10000000ull       /* 10 MHz: slower than any x86-64 TSC */
#define MAX_TSC_HZ 20000000000ull    /* 20 GHz */
#define MIN_RAM_PAGES 256            /* 1 MiB: below this nothing later can run */

static struct hv_info hv;

/* What boot/ found: the memory map, ExitBootServices and the config file. */
static void report_boot(const struct boot_info *bi)
{
	uint64_t pages = 0;

	for (uint32_t i = 0; i < bi->nram; i++)
		pages += bi->ram[i].pages;
	/*
	 * UEFI 2.10 §7.2 GetMemoryMap(): EfiConventionalMemory is the RAM a
	 * loaded image may take; without 1 MiB of it nothing later can run.
	 */
	check_that("boot.memory_map", pages >= MIN_RAM_PAGES,
		   "%u descriptors, %u free RAM ranges (%u dropped), %llu MiB free",
		   bi->map_entries, bi->nram, bi->ram_dropped,
		   (unsigned long long)(pages * PAGE_SIZE >> 20));
	if (bi->reset)
		check("boot.exit_boot_services", CHECK_PASS, "after %u attempt%s",
		      bi->ebs_attempts, bi->ebs_attempts == 1 ? "" : "s");
	/*
	 * A TSC that does not count (Intel SDM Vol. 3B §18.17: it increments
	 * at a constant rate) leaves no clock for any deadline: a failure.  A
	 * rate outside 10 MHz-20 GHz is more likely a firmware Stall() that
	 * does not wait as long as it says: a warning.
	 */
	check("kernel.clock.tsc",
	      !bi->tsc_hz ? CHECK_FAIL
	      : bi->tsc_hz >= MIN_TSC_HZ && bi->tsc_hz <= MAX_TSC_HZ ? CHECK_PASS : CHECK_WARN,
	      "TSC %llu.%03llu MHz, measured against %s", (unsigned long long)(bi->tsc_hz / 1000000),
	      (unsigned long long)(bi->tsc_hz / 1000 % 1000), bi->tsc_reference);
}

/* The deliberate faults of the fault= self-test. */
static void inject_fault(void)
{
	switch (opt.fault) {
	case FAULT_NONE:
		return;
	case FAULT_ASSERT:
		ASSERT(opt.fault != FAULT_ASSERT);
		return;
	case FAULT_HANG:
		log_printf("hvprobe: fault injection: waiting for an event that never comes\n");
		loop_wait("fault=hang", NULL, NULL, UINT64_MAX);
		return;
	default:
		cpu_raise_fault(fault_names[opt.fault]);
		panic("fault=%s raised no exception", fault_names[opt.fault]);
	}
}

static bool reboot;

static bool shutdown_asked(void *ctx)
{
	return ic_shutdown_requested(&reboot);
}

/*
 * Watch the host: answer its services for the observation window, or with
 * finish=serve until it asks us to shut down.  A shutdown request ends
 * the window early either way.
 */
static void observe(void)
{
	reboot = opt.finish == FINISH_REBOOT;
	if (opt.finish == FINISH_SERVE) {
		log_printf("hvprobe: serving until the host asks to shut down (deadline %llu s)\n",
			   (unsigned long long)opt.deadline_s);
		loop_wait("the host's shutdown request", shutdown_asked, NULL, UINT64_MAX);
	} else if (opt.observe_s) {
		log_printf("hvprobe: observing the host for %llu s\n",
			   (unsigned long long)opt.observe_s);
		loop_wait("the observation window", shutdown_asked, NULL,
			  cpu_now_ns() + opt.observe_s * NS_PER_S);
	}
	if (ic_shutdown_requested(&reboot))
		log_printf("hvprobe: the host asked us to %s: closing channels, then the verdict\n",
			   reboot ? "reboot" : "power off");
}

void hvprobe_main(const struct boot_info *bi)
{
	int bad;
	enum exit_status st;
	bool vmbus = false;

	log_printf("hvprobe %s: Hyper-V guest interface conformance\n", HVPROBE_VERSION);
	bad = options_load(bi->config, bi->config_len);
	log_set_verbose(opt.verbose);
	if (bi->config_status == 1)
		log_printf("hvprobe: no hvprobe.cfg on the boot volume; using defaults\n");
	else if (bi->config_status == 2)
		log_printf("hvprobe: hvprobe.cfg is longer than %u bytes; the rest is ignored\n",
			   (unsigned)BOOT_CONFIG_MAX);
	else if (bi->config_status < 0)
		log_printf("hvprobe: hvprobe.cfg could not be read (UEFI status %d); using defaults\n",
			   -bi->config_status);
	log_printf("hvprobe: expect=%s observe=%llu deadline=%llu%s\n", expect_names[opt.expect],
		   (unsigned long long)opt.observe_s, (unsigned long long)opt.deadline_s,
		   bad ? " (some config lines ignored, see above)" : "");
	loop_set_global_deadline(cpu_now_ns() + opt.deadline_s * NS_PER_S);

	report_begin();
	report_boot(bi);
	if (opt.require_unknown[0]) {
		char known[256];

		/* a typo would require nothing and let a host that offers nothing pass */
		check("config.require", CHECK_FAIL, "unknown device %s in require= (known: %s)",
		      opt.require_unknown, options_device_names(known, sizeof(known)));
	}
	ic_fcopy_set_limit(opt.fcopy_max);
	if (hv_detect(&hv, policy_requires_hyperv())) {
		report_set_hyperv(true);
		hv_crash_setup(&hv);
	}
	/* after the crash MSRs are known: a deliberate fault reports through them */
	inject_fault();

	if (hv.hyperv) {
		vmbus = hv_platform_setup(&hv, opt.guest_os_id);
		hv_vp_checks(&hv);
		if (vmbus) {
			vmbus_start(hv.vp_index, opt.vmbus_version);
			vmbus = true;
		}
	}
	/*
	 * require= names offers the host must make: a host without VMBus (no
	 * Hyper-V interface, or no SynIC) cannot make them, whatever the profile.
	 */
	if (!vmbus && opt.require[0])
		check("config.require", CHECK_FAIL,
		      "require=%s, but the host has no VMBus to offer them (%s)", opt.require,
		      hv.hyperv ? "the SynIC or hypercalls are missing" : "no Hyper-V interface");

	observe();
	vmbus_finish();
	synic_report();
	st = report_finish();
	cpu_power_off(st, reboot);
}
