/*
 * Platform bring-up (the order of Linux arch/x86/hyperv/hv_init.c
 * hyperv_init() and drivers/hv/hv.c hv_synic_enable_regs()): guest OS ID first (the
 * hypercall page cannot be enabled without one), then hypercalls, SynIC and
 * the reference clock.  Runs after ExitBootServices: until then the Gen2
 * firmware owns the SynIC and VMBus.
 */
#include "drivers/hyperv/platform.h"

#include "drivers/hyperv/enlight.h"
#include "drivers/hyperv/hv_regs.h"
#include "drivers/hyperv/hypercall.h"
#include "drivers/hyperv/msr.h"
#include "drivers/hyperv/synic.h"
#include "kernel/cpu.h"
#include "kernel/policy.h"
#include "lib/log.h"
#include "lib/report.h"

/* hv.guest_os_id: take over the partition's identity from the firmware. */
static bool set_guest_os_id(uint64_t id)
{
	uint64_t old = 0, got;

	/*
	 * TLFS §3.13: GUEST_OS_ID is read-write with AccessHypercallMsrs, and the
	 * hypercall page cannot be enabled while it is zero (KVM
	 * kvm_hv_set_msr_pw() keeps it as written).
	 */
	if (hv_msr_read(HV_MSR_GUEST_OS_ID, &old)) {
		check("hv.guest_os_id", CHECK_FAIL, "rdmsr GUEST_OS_ID raised #GP");
		return false;
	}
	/* Microsoft layout (b63 clear) with vendor 1: the Gen2 UEFI firmware wrote it */
	if (old && !(old & HV_GUEST_OS_ID_OPEN_SOURCE) && (old >> HV_GUEST_OS_ID_VENDOR_SHIFT) == 1)
		log_printf("hvprobe: guest OS ID 0x%016llx is the Gen2 firmware's (Microsoft vendor); taking over\n",
			   (unsigned long long)old);
	if (hv_msr_write_verify("hv.guest_os_id", HV_MSR_GUEST_OS_ID, id, ~0ull, &got))
		return false;
	check("hv.guest_os_id", CHECK_PASS, "0x%016llx (was 0x%016llx)", (unsigned long long)id,
	      (unsigned long long)old);
	return true;
}

/* hv.cpuid.version: with a guest OS ID set, leaf 0x40000002 must identify the hypervisor. */
static void check_version(struct hv_info *hv)
{
	struct cpuid_regs r;

	cpu_cpuid(HV_CPUID_VERSION, 0, &r);
	hv->build = r.eax;
	hv->major = r.ebx >> 16;
	hv->minor = r.ebx & 0xffff;
	hv->service_pack = r.ecx;
	hv->service_branch = r.edx >> 24;
	hv->service_number = r.edx & 0xffffff;
	/* TLFS §2.4.3: leaf 0x40000002 gives the build and major.minor version (QEMU: hv-version-id-*) */
	check_that("hv.cpuid.version", r.eax || r.ebx,
		   "hypervisor %u.%u build %u, service pack %u, branch %u.%u", hv->major, hv->minor,
		   hv->build, hv->service_pack, hv->service_branch, hv->service_number);
}

/* hv.vp_index: our virtual processor's index, needed by VMBus. */
static void check_vp_index(struct hv_info *hv)
{
	uint64_t vp;

	if (!(hv->privileges & HV_PRIV_VP_INDEX)) {
		check("hv.vp_index", CHECK_SKIP, "the host grants no AccessVpIndex privilege");
		return;
	}
	/*
	 * TLFS §7.8 (VP_INDEX, readable with AccessVpIndex) and §2.4.6 (leaf
	 * 0x40000005 EAX: the most virtual processors; 0 = not reported).
	 */
	if (hv_msr_read(HV_MSR_VP_INDEX, &vp)) {
		check("hv.vp_index", CHECK_FAIL, "rdmsr VP_INDEX raised #GP although AccessVpIndex is granted");
		return;
	}
	hv->vp_index = (uint32_t)vp;
	check_that("hv.vp_index", hv->max_vps == 0 || vp < hv->max_vps,
		   "VP index %llu (the host supports %u virtual processors)", (unsigned long long)vp,
		   hv->max_vps);
}

bool hv_platform_setup(struct hv_info *hv, uint64_t guest_os_id)
{
	bool synic;

	if (!(hv->privileges & HV_PRIV_HYPERCALL_MSRS)) {
		check("hv.guest_os_id", CHECK_SKIP,
		      "the host grants no AccessHypercallMsrs privilege: no hypercalls");
		return false;
	}
	if (!set_guest_os_id(guest_os_id))
		return false;
	check_version(hv);
	check_vp_index(hv);
	if (!hv_hypercall_setup())
		return false;
	hv_hypercall_selftest(hv);
	synic = synic_setup(hv);
	hv_clock_setup(hv);
	if (synic) {
		synic_selftest(hv);
		hv_stimer_checks(hv);
	}
	hv_access_checks(hv, policy_enforces_cpuid());
	hv_extras_checks(hv);
	return synic;
}
