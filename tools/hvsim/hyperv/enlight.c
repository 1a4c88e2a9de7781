/*
 * The enlightenment MSRs beyond the SynIC and clocks (TLFS v6.0b; KVM
 * arch/x86/kvm/hyperv.c kvm_hv_get_msr()/kvm_hv_set_msr_pw()): VP runtime,
 * RESET, the APIC access MSRs and VP assist page, reenlightenment and TSC
 * emulation, TSC invariant control and the synthetic debugger, each held
 * to its CPUID bit as Hyper-V and KVM with hv-enforce-cpuid do.  The VP
 * assist page and TPR are per VP (sim_cur_vp), as KVM keeps them per vCPU.
 */
#include "drivers/hyperv/hv_cpuid.h"
#include "tools/hvsim/hvsim.h"

#define GP (-1)
#define NOT_MINE 1

static uint64_t vp_assist[SIM_MAX_VPS], tpr[SIM_MAX_VPS], reenlightenment, tsc_emulation, tsc_invariant;

/* Is the MSR's bit granted?  Also the reply's register: *@reg. */
static bool gate(uint32_t msr, uint64_t **reg, bool *known)
{
	uint64_t p = sim.profile->privileges;
	bool g;

	*known = true;
	*reg = NULL;
	switch (msr) {
	case HV_MSR_VP_RUNTIME: g = p & HV_PRIV_VP_RUNTIME && !sim_mb_fire(MB_MSR_GP_GRANTED); break;
	case HV_MSR_RESET: g = p & HV_PRIV_RESET; break;
	case HV_MSR_EOI: case HV_MSR_ICR: case HV_MSR_TPR: case HV_MSR_VP_ASSIST_PAGE:
		g = p & HV_PRIV_APIC_MSRS && !(sim_cur_vp && sim_mb_fire(MB_VP_VAPIC_GP));
		*reg = msr == HV_MSR_TPR ? &tpr[sim_cur_vp] : msr == HV_MSR_VP_ASSIST_PAGE ? &vp_assist[sim_cur_vp] : NULL;
		break;
	case HV_MSR_REENLIGHTENMENT_CONTROL: g = p & HV_PRIV_REENLIGHTENMENT; *reg = &reenlightenment; break;
	case HV_MSR_TSC_EMULATION_CONTROL: g = p & HV_PRIV_REENLIGHTENMENT; *reg = &tsc_emulation; break;
	case HV_MSR_TSC_EMULATION_STATUS: g = p & HV_PRIV_REENLIGHTENMENT; break;
	case HV_MSR_TSC_INVARIANT_CONTROL: g = p & HV_PRIV_TSC_INVARIANT; *reg = &tsc_invariant; break;
	case HV_MSR_SYNDBG_CONTROL ... HV_MSR_SYNDBG_PENDING_BUFFER:
	case HV_MSR_SYNDBG_OPTIONS: g = sim.profile->features_edx & HV_FEAT_DEBUG_MSRS; break;
	default: *known = false; return false;
	}
	return g || sim_mb_fire(MB_MSR_UNGATED);
}

int sim_enlight_rdmsr(uint32_t msr, uint64_t *val)
{
	uint64_t *reg;
	bool known;

	if (!gate(msr, &reg, &known))
		return known ? GP : NOT_MINE;
	if (msr == HV_MSR_EOI)
		return GP; /* write-only */
	*val = reg ? *reg : msr == HV_MSR_VP_RUNTIME ? sim.now_ns / 100 : 0;
	return 0;
}

int sim_enlight_wrmsr(uint32_t msr, uint64_t val)
{
	uint64_t *reg;
	bool known;

	if (!gate(msr, &reg, &known))
		return known ? GP : NOT_MINE;
	if (msr == HV_MSR_VP_ASSIST_PAGE && (val & HV_MSR_ENABLE) && !sim_gpa(val & ~0xfffull, PAGE_SIZE))
		return GP;
	if (msr == HV_MSR_EOI || msr == HV_MSR_ICR)
		return 0; /* nothing in service; no IPI target but ourselves */
	if (!reg)
		return GP; /* read-only (VP_RUNTIME, RESET here: a reset is not modelled) */
	*reg = val;
	return 0;
}
