/*
 * Guest crash reporting (TLFS "Guest Crash Enlightenment Interface"):
 * CPUID 0x40000003 EDX bit 10 grants five parameter MSRs P0-P4 and
 * CRASH_CTL, whose read value says which notifications the host accepts.
 * A guest that cannot go on writes its reason into P0-P4 and then CrashNotify
 * into CRASH_CTL; the host records the five values (Hyper-V's event log,
 * QEMU's GUEST_PANICKED event).  Linux does the same in drivers/hv/
 * hv_common.c: hv_common_init() reads CRASH_CTL where the bit is granted,
 * hyperv_report_panic() writes P0-P4 (its error code, guest OS ID, RIP,
 * RAX, RSP) and then CrashNotify.  hvprobe's values: P0 a code with the exit
 * status, P1 the guest OS ID, P2 the failed check's number, P3/P4 the
 * reason text's address and length (the layout CrashNotifyMsg gives P3/P4).
 */
#include "drivers/hyperv/crash.h"

#include "drivers/hyperv/hv_regs.h"
#include "drivers/hyperv/msr.h"
#include "kernel/cpu.h"
#include "lib/log.h"
#include "lib/report.h"
#include "lib/str.h"

static bool usable;       /* hv.crash.msrs passed */
static uint64_t ctl_caps; /* what CRASH_CTL read */
static char text[REPORT_REASON_MAX];

void hv_crash_setup(const struct hv_info *hv)
{
	uint64_t got;

	if (!(hv->features_edx & HV_FEAT_CRASH_MSRS)) {
		check("hv.crash.msrs", CHECK_SKIP, "the host does not grant the crash MSRs (CPUID 0x40000003 EDX bit 10)");
		return;
	}
	/* TLFS: granted crash MSRs are readable; KVM kvm_hv_get_msr_common() serves them */
	if (hv_msr_read(HV_MSR_CRASH_CTL, &ctl_caps)) {
		check("hv.crash.msrs", CHECK_FAIL, "rdmsr CRASH_CTL raised #GP though CPUID grants the crash MSRs");
		return;
	}
	/*
	 * TLFS: CRASH_CTL reads as the notifications the host supports, and
	 * CrashNotify is the one the interface exists for (KVM
	 * kvm_hv_msr_get_crash_ctl() returns it once QEMU enables hv-crash).
	 */
	if (!(ctl_caps & HV_CRASH_CTL_CRASH_NOTIFY)) {
		check("hv.crash.msrs", CHECK_FAIL, "CRASH_CTL reads 0x%llx: CrashNotify (bit 63) not advertised",
		      (unsigned long long)ctl_caps);
		return;
	}
	/* TLFS: P0-P4 are read-write for the guest (KVM kvm_hv_msr_set_crash_data()) */
	for (uint32_t i = 0; i < HV_CRASH_PARAMS; i++)
		if (hv_msr_write_verify("hv.crash.msrs", HV_MSR_CRASH_P0 + i, 0, ~0ull, &got))
			return;
	usable = true;
	check("hv.crash.msrs", CHECK_PASS, "CRASH_CTL 0x%llx advertises CrashNotify%s; P0-P4 read and written",
	      (unsigned long long)ctl_caps, ctl_caps & HV_CRASH_CTL_CRASH_NOTIFY_MSG ? " and CrashNotifyMsg" : "");
}

void hv_crash_report(uint64_t code, uint64_t check_no, const char *reason)
{
	uint64_t p[HV_CRASH_PARAMS], ctl;
	size_t len = strlen(reason);

	if (!usable)
		return;
	/* a copy that outlives the caller's frame: the host may read it after we stop */
	if (len >= sizeof(text))
		len = sizeof(text) - 1;
	memcpy(text, reason, len);
	text[len] = 0;
	p[0] = code;
	if (hv_msr_read(HV_MSR_GUEST_OS_ID, &p[1]))
		p[1] = 0;
	p[2] = check_no;
	p[3] = (uint64_t)(uintptr_t)text;
	p[4] = len;
	ctl = HV_CRASH_CTL_CRASH_NOTIFY | (ctl_caps & HV_CRASH_CTL_CRASH_NOTIFY_MSG);
	log_printf("hvprobe: crash reported to the host: P0=0x%llx P1=0x%llx P2=0x%llx P3=0x%llx P4=0x%llx CRASH_CTL=0x%llx\n",
		   (unsigned long long)p[0], (unsigned long long)p[1], (unsigned long long)p[2],
		   (unsigned long long)p[3], (unsigned long long)p[4], (unsigned long long)ctl);
	for (uint32_t i = 0; i < HV_CRASH_PARAMS; i++)
		(void)cpu_wrmsr(HV_MSR_CRASH_P0 + i, p[i]);
	(void)cpu_wrmsr(HV_MSR_CRASH_CTL, ctl);
}
