/*
 * Host profiles: what CPUID says and how the hypercall page looks.
 *
 * hyperv-2019 models Windows Server 2019 (Hyper-V 10.0 build 17763) with
 * the leaf 0x40000003/4 values Linux guests log there ("privilege flags low
 * 0x2e7f, high 0x3b8030, hints 0x64e24, misc 0xbed7b2"): modelled from those
 * published logs, not measured here.  qemu-kvm models QEMU/KVM with the
 * hv-* flags run.sh uses (HOSTS.md: vendor "Microsoft Hv", build 14393,
 * max leaf 0x40000005; the hypercall page holds vmmcall; ret).
 */
#include <stdio.h>
#include <string.h>

#include "drivers/hyperv/hv_cpuid.h"
#include "tools/hvsim/hvsim.h"

#define HV1 HV_INTERFACE_HV1
/* Intel: vmcall; ret.  AMD: vmmcall; ret. */
#define CODE_VMCALL { 0x0f, 0x01, 0xc1, 0xc3 }
#define CODE_VMMCALL { 0x0f, 0x01, 0xd9, 0xc3 }

#define WS2019_PRIVS (0x2e7full | (0x3b8030ull << 32))
/* hv-relaxed/vapic/vpindex/runtime/time/synic/stimer: bits 0-6 and 9; post + signal */
#define QEMU_PRIVS (0x27full | ((HV_PRIV_POST_MESSAGES | HV_PRIV_SIGNAL_EVENTS)))

static const struct sim_profile profiles[] = {
	{ "hyperv-2019", "Windows Server 2019 Hyper-V (10.0.17763)", true, 0x4000000a,
	  "Microsoft Hv", HV1, { 17763, 0x000a0000, 0, 0 }, WS2019_PRIVS, 0xbed7b2, 0x64e24, 0,
	  240, 320, CODE_VMCALL },
	{ "qemu-kvm", "QEMU/KVM with hv-* enlightenments (10.0.14393)", true, 0x40000005,
	  "Microsoft Hv", HV1, { 14393, 0x000a0000, 0, 0 }, QEMU_PRIVS, 0, 0x28, 0, 0, 0,
	  CODE_VMMCALL },
	{ "kvm-hv", "QEMU/KVM with hv-passthrough (vendor \"Linux KVM Hv\")", true, 0x40000005,
	  "Linux KVM Hv", HV1, { 14393, 0x000a0000, 0, 0 }, QEMU_PRIVS, 0, 0x28, 0, 0, 0,
	  CODE_VMMCALL },
	{ "no-synic", "Hyper-V 2019 that withholds AccessSynicRegs", true, 0x4000000a,
	  "Microsoft Hv", HV1, { 17763, 0x000a0000, 0, 0 }, WS2019_PRIVS & ~HV_PRIV_SYNIC,
	  0xbed7b2, 0x64e24, 0, 240, 320, CODE_VMCALL },
	{ "no-hypercall", "Hyper-V 2019 that withholds AccessHypercallMsrs", true, 0x4000000a,
	  "Microsoft Hv", HV1, { 17763, 0x000a0000, 0, 0 },
	  WS2019_PRIVS & ~HV_PRIV_HYPERCALL_MSRS, 0xbed7b2, 0x64e24, 0, 240, 320, CODE_VMCALL },
	{ "no-timers", "Hyper-V 2019 without synthetic timers", true, 0x4000000a, "Microsoft Hv",
	  HV1, { 17763, 0x000a0000, 0, 0 }, WS2019_PRIVS & ~HV_PRIV_SYNTH_TIMERS, 0xbed7b2,
	  0x64e24, 0, 240, 320, CODE_VMCALL },
	{ "tcg", "QEMU TCG: a hypervisor without the Hyper-V interface", true, 0x40000001,
	  "TCGTCGTCGTCG", 0, { 0 }, 0, 0, 0, 0, 0, 0, { 0 } },
	{ "bare-metal", "no hypervisor at all", false, 0, "", 0, { 0 }, 0, 0, 0, 0, 0, 0, { 0 } },
};

const struct sim_profile *sim_profile_find(const char *name)
{
	for (size_t i = 0; i < sizeof(profiles) / sizeof(profiles[0]); i++)
		if (!strcmp(profiles[i].name, name))
			return &profiles[i];
	return NULL;
}

void sim_profile_list(void)
{
	for (size_t i = 0; i < sizeof(profiles) / sizeof(profiles[0]); i++)
		printf("  %-14s %s\n", profiles[i].name, profiles[i].about);
}
