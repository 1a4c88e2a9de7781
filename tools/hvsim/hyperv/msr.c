/*
 * Synthetic MSRs with TLFS semantics (TLFS §2.6, §3.13, §11.8, §12):
 * privileges gate access (#GP otherwise), reserved-preserve bits stay,
 * invalid values raise #GP, and page MSRs map the host's overlays.
 */
#include <stdio.h>
#include <string.h>

#include "drivers/hyperv/hv_cpuid.h"
#include "tools/hvsim/hvsim.h"

#define GP (-1)
#define SINT_RESET HV_SINT_MASKED

static bool priv(uint64_t bit)
{
	return (sim.profile->privileges & bit) != 0 || sim_mb_fire(MB_MSR_UNGATED);
}

/* nested: the guest crash MSRs where the profile grants them (TLFS "Guest Crash Enlightenment Interface") */
static bool crash_ok(void)
{
	return (sim.profile->features_edx & HV_FEAT_CRASH_MSRS) != 0;
}

/* A CRASH_CTL write: CrashNotify records P0-P4, as Hyper-V and KVM do (stdout: scenarios match it). */
static int write_crash_ctl(uint64_t val)
{
	if (!(val & HV_CRASH_CTL_CRASH_NOTIFY))
		return 0;
	printf("hvsim: guest crash reported: P0=0x%llx P1=0x%llx P2=0x%llx P3=0x%llx P4=0x%llx CRASH_CTL=0x%llx\n",
	       (unsigned long long)sim.crash_p[0], (unsigned long long)sim.crash_p[1],
	       (unsigned long long)sim.crash_p[2], (unsigned long long)sim.crash_p[3],
	       (unsigned long long)sim.crash_p[4], (unsigned long long)val);
	/* P3/P4 name the reason text; in hvsim the guest's pointers are this process's */
	if (sim.crash_p[4] && sim.crash_p[4] < 4096)
		printf("hvsim: guest crash message: %.*s\n", (int)sim.crash_p[4], (const char *)(uintptr_t)sim.crash_p[3]);
	return 0;
}

static bool synic_ok(void)
{
	return priv(HV_PRIV_SYNIC) && !sim_mb_fire(MB_SYNIC_MSR_GP);
}

/* Enable the hypercall page: the host writes its calling sequence into it. */
static int write_hypercall(uint64_t val)
{
	uint8_t *page;

	if (sim.hypercall & HV_HYPERCALL_LOCKED)
		return 0; /* locked until reset: writes are ignored */
	if (sim_mb_fire(MB_HYPERCALL_MSR_IGNORED))
		return 0;
	/* TLFS §3.13: the page stays disabled while the guest OS ID is zero */
	if (!sim.guest_os_id)
		val &= ~HV_MSR_ENABLE;
	if (val & HV_MSR_ENABLE) {
		page = sim_gpa(val & ~0xfffull, PAGE_SIZE);
		if (!page)
			return GP;
		if (!sim_mb_fire(MB_HYPERCALL_PAGE_UNFILLED))
			memcpy(page, sim.profile->hypercall_code, sizeof(sim.profile->hypercall_code));
	}
	sim.hypercall = val;
	return 0;
}

/* SIMP / SIEFP / REFERENCE_TSC: a page-MSR write; @clear zeroes the overlay. */
static int write_page_msr(uint64_t *reg, uint64_t val, bool clear)
{
	if (val & HV_MSR_ENABLE) {
		uint8_t *page = sim_gpa(val & ~0xfffull, PAGE_SIZE);

		if (!page)
			return GP;
		if (clear)
			memset(page, 0, PAGE_SIZE);
	}
	*reg = val;
	return 0;
}

static void fill_ref_tsc_page(void)
{
	struct hv_ref_tsc_page *p;

	if (!(sim.ref_tsc & HV_MSR_ENABLE))
		return;
	p = sim_gpa(sim.ref_tsc & ~0xfffull, PAGE_SIZE);
	/* 2.5 GHz TSC to 10 MHz reference time: scale = 2^64 / 250 */
	p->scale = (uint64_t)(((unsigned __int128)1 << 64) / 250);
	if (sim_mb_fire(MB_REF_TSC_WRONG))
		p->scale *= 2;
	p->offset = 0;
	p->sequence = 1;
}

int sim_rdmsr(uint32_t msr, uint64_t *val)
{
	int r;

	if (sim_vp_msr(msr, val, false, &r))
		return r;
	if (msr >= HV_MSR_SINT0 && msr < HV_MSR_SINT0 + HV_SINT_COUNT) {
		if (!synic_ok())
			return GP;
		*val = sim.sint[msr - HV_MSR_SINT0];
		return 0;
	}
	if (msr >= HV_MSR_STIMER0_CONFIG && msr < HV_MSR_STIMER0_CONFIG + 8) {
		unsigned t = (msr - HV_MSR_STIMER0_CONFIG) / 2;

		if (!priv(HV_PRIV_SYNTH_TIMERS))
			return GP;
		*val = (msr - HV_MSR_STIMER0_CONFIG) % 2 ? sim.stimer_count[t] : sim.stimer_config[t];
		return 0;
	}
	if (msr >= HV_MSR_CRASH_P0 && msr < HV_MSR_CRASH_P0 + HV_CRASH_PARAMS) {
		if (!crash_ok() || sim_mb_fire(MB_CRASH_PARAMS_GP))
			return GP;
		*val = sim.crash_p[msr - HV_MSR_CRASH_P0];
		return 0;
	}
	switch (msr) {
	case HV_MSR_CRASH_CTL:
		if (!crash_ok())
			return GP;
		*val = sim_mb_fire(MB_CRASH_CTL_NO_NOTIFY) ? 0 : HV_CRASH_CTL_CRASH_NOTIFY;
		return 0;
	case HV_MSR_GUEST_OS_ID:
		if (!priv(HV_PRIV_HYPERCALL_MSRS))
			return GP;
		*val = sim.guest_os_id;
		return 0;
	case HV_MSR_HYPERCALL:
		if (!priv(HV_PRIV_HYPERCALL_MSRS))
			return GP;
		*val = sim.hypercall;
		return 0;
	case HV_MSR_VP_INDEX:
		if (!priv(HV_PRIV_VP_INDEX))
			return GP;
		*val = 0;
		return 0;
	case HV_MSR_TIME_REF_COUNT:
		if (!priv(HV_PRIV_REF_COUNTER))
			return GP;
		*val = sim_mb_fire(MB_REF_COUNTER_FROZEN) ? 12345 : sim.now_ns / 100;
		return 0;
	case HV_MSR_REFERENCE_TSC:
		if (!priv(HV_PRIV_REF_TSC))
			return GP;
		*val = sim.ref_tsc;
		return 0;
	case HV_MSR_TSC_FREQUENCY:
	case HV_MSR_APIC_FREQUENCY:
		if (!priv(HV_PRIV_FREQUENCY_MSRS))
			return GP;
		*val = msr == HV_MSR_APIC_FREQUENCY ? SIM_APIC_HZ
		     : cpu_tsc_hz() * (sim_mb_fire(MB_FREQUENCY_WRONG) ? 2 : 1);
		return 0;
	case HV_MSR_SCONTROL:
	case HV_MSR_SVERSION:
	case HV_MSR_SIEFP:
	case HV_MSR_SIMP:
		if (!synic_ok())
			return GP;
		*val = msr == HV_MSR_SCONTROL ? sim.scontrol
		     : msr == HV_MSR_SVERSION ? (sim_mb_fire(MB_SYNIC_VERSION_WRONG) ? 2 : HV_SYNIC_VERSION)
		     : msr == HV_MSR_SIEFP	 ? sim.siefp
						 : sim.simp;
		return 0;
	case HV_MSR_EOM:
		return GP; /* write-only */
	}
	return sim_enlight_rdmsr(msr, val) == 0 ? 0 : GP; /* hyperv/enlight.c, or not implemented */
}

int sim_wrmsr(uint32_t msr, uint64_t val)
{
	int r;

	if (sim_vp_msr(msr, &val, true, &r))
		return r;
	if (msr >= HV_MSR_SINT0 && msr < HV_MSR_SINT0 + HV_SINT_COUNT) {
		unsigned vec = val & HV_SINT_VECTOR_MASK;

		if (!synic_ok())
			return GP;
		/* vectors 0-15 are invalid (TLFS §11.8.5) */
		if (!(val & HV_SINT_MASKED) && vec < HV_SINT_MIN_VECTOR)
			return GP;
		sim.sint[msr - HV_MSR_SINT0] = val;
		sim_synic_deliver();
		return 0;
	}
	if (msr >= HV_MSR_STIMER0_CONFIG && msr < HV_MSR_STIMER0_CONFIG + 8) {
		unsigned t = (msr - HV_MSR_STIMER0_CONFIG) / 2;

		if (!priv(HV_PRIV_SYNTH_TIMERS))
			return GP;
		if ((msr - HV_MSR_STIMER0_CONFIG) % 2) {
			sim.stimer_count[t] = val;
			/* TLFS §12.5.1 AutoEnable; a zero Count disables (KVM stimer_set_count()) */
			if (!val)
				sim.stimer_config[t] &= ~HV_STIMER_ENABLE;
			else if (sim.stimer_config[t] & HV_STIMER_AUTO_ENABLE)
				sim.stimer_config[t] |= HV_STIMER_ENABLE;
		} else {
			/* enabled in message mode with SINT 0: invalid (TLFS §12.5.1) */
			if ((val & HV_STIMER_ENABLE) && !(val & HV_STIMER_DIRECT_MODE) &&
			    !((val >> HV_STIMER_SINT_SHIFT) & 0xf))
				return GP;
			sim.stimer_config[t] = val;
		}
		sim_stimer_update(t);
		return 0;
	}
	if (msr >= HV_MSR_CRASH_P0 && msr < HV_MSR_CRASH_P0 + HV_CRASH_PARAMS) {
		if (!crash_ok() || sim_mb_fire(MB_CRASH_PARAMS_GP))
			return GP;
		sim.crash_p[msr - HV_MSR_CRASH_P0] = val;
		return 0;
	}
	switch (msr) {
	case HV_MSR_CRASH_CTL:
		if (!crash_ok())
			return GP;
		return write_crash_ctl(val);
	case HV_MSR_GUEST_OS_ID:
		if (!priv(HV_PRIV_HYPERCALL_MSRS))
			return GP;
		if (!sim_mb_fire(MB_GUEST_OS_ID_IGNORED))
			sim.guest_os_id = val;
		/* zeroing the ID disables the hypercall page (TLFS §2.6) */
		if (!val)
			sim.hypercall &= ~HV_MSR_ENABLE;
		return 0;
	case HV_MSR_HYPERCALL:
		if (!priv(HV_PRIV_HYPERCALL_MSRS))
			return GP;
		return write_hypercall(val);
	case HV_MSR_REFERENCE_TSC:
		if (!priv(HV_PRIV_REF_TSC))
			return GP;
		if (write_page_msr(&sim.ref_tsc, val, true))
			return GP;
		fill_ref_tsc_page();
		return 0;
	case HV_MSR_SCONTROL:
		if (!synic_ok())
			return GP;
		sim.scontrol = val;
		sim_synic_deliver();
		return 0;
	case HV_MSR_SIMP:
		if (!synic_ok())
			return GP;
		if (sim_mb_fire(MB_SIMP_IGNORED))
			return 0;
		if (write_page_msr(&sim.simp, val, true))
			return GP;
		sim_synic_deliver();
		return 0;
	case HV_MSR_SIEFP:
		if (!synic_ok())
			return GP;
		return write_page_msr(&sim.siefp, val, true);
	case HV_MSR_EOM:
		if (!synic_ok())
			return GP;
		sim.eoms++;
		sim_synic_deliver();
		return 0;
	case HV_MSR_VP_INDEX:
	case HV_MSR_TIME_REF_COUNT:
	case HV_MSR_SVERSION:
		return GP; /* read-only */
	}
	return sim_enlight_wrmsr(msr, val) == 0 ? 0 : GP;
}
