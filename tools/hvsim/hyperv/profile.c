/*
 * Host profiles: what CPUID says and how the hypercall page looks.
 *
 * hyperv-2019 models Windows Server 2019 (Hyper-V 10.0 build 17763) with
 * the leaf 0x40000003/4 values Linux guests log there ("privilege flags low
 * 0x2e7f, high 0x3b8030, hints 0x64e24, misc 0xbed7b2"): modelled from those
 * published logs, not measured here.  qemu-kvm models QEMU/KVM with the
 * hv-* flags run.sh uses (as measured on the nested host, tests/interop:
 * vendor "Microsoft Hv", build 14393,
 * max leaf 0x40000005; the hypercall page holds vmmcall; ret).  VMBus:
 * Hyper-V 2019 speaks up to 5.2 and offers its default devices; QEMU's
 * vmbus-bridge speaks up to 4.0 and (QEMU 10 + hv-balloon) offers the
 * balloon; qemu-7.2 is that bridge with nothing to offer; tcg and
 * bare-metal have no VMBus.
 *
 * Two profiles model hosts nobody here wrote, each with its quirks
 * (quirks.def): openvmm is Microsoft's OpenVMM host (github.com/microsoft/
 * openvmm: vmbus_server, hyperv_ic, storvsp, netvsp, uidevices), VMBus up to
 * 6.0 ("Copper" in vmbus_core's version list); hyperv-quirks is Hyper-V as
 * Linux's drivers (drivers/hv, hv_utils, storvsc_drv.c, netvsc, hv_balloon.c,
 * hid-hyperv.c) say it and Azure behave, comments and workarounds included.
 */
#include <stdio.h>
#include <string.h>

#include "drivers/hyperv/hv_cpuid.h"
#include "drivers/vmbus/vmbus_regs.h"
#include "tools/hvsim/hvsim.h"

#define HV1 HV_INTERFACE_HV1
/* Intel: vmcall; ret.  AMD: vmmcall; ret. */
#define CODE_VMCALL { 0x0f, 0x01, 0xc1, 0xc3 }
#define CODE_VMMCALL { 0x0f, 0x01, 0xd9, 0xc3 }

/* VMBus: WS2019 offers 5.2 and its default devices (fcopy is off by default, §5.1) */
#define WS2019_VMBUS VMBUS_VERSION_WIN10_V5_2, \
	"heartbeat shutdown timesync kvp vss keyboard mouse video scsi nic"
/* QEMU's vmbus-bridge speaks up to 4.0; QEMU 10 with hv-balloon offers dynamic memory */
#define QEMU_VMBUS VMBUS_VERSION_WIN10, "balloon"

#define WS2019_PRIVS (0x2e7full | (0x3b8030ull << 32))
/* hv-relaxed/vapic/vpindex/runtime/time/synic/stimer: bits 0-6 and 9; post + signal */
#define QEMU_PRIVS (0x27full | ((HV_PRIV_POST_MESSAGES | HV_PRIV_SIGNAL_EVENTS)))
/*
 * Partial interfaces QEMU users run (Windows guests often get no SynIC).
 * QEMU grants what each hv-* flag enables (target/i386/kvm/kvm.c
 * kvm_hyperv_properties[]), always AccessHypercallMsrs, and PostMessages +
 * SignalEvents only with hv-synic: hv-relaxed,hv-vpindex,hv-time is
 * hypercalls, VP index, reference counter and TSC page (0x262); no SynIC,
 * so no vmbus-bridge.  Without hv-enforce-cpuid KVM does not hold
 * hypercalls to the privileges (quirk kvm_unenforced_hypercalls).
 */
#define QEMU_NO_SYNIC_PRIVS (HV_PRIV_HYPERCALL_MSRS | HV_PRIV_VP_INDEX | HV_PRIV_REF_COUNTER | HV_PRIV_REF_TSC)

static const struct sim_profile profiles[] = {
	{ "hyperv-2019", "Windows Server 2019 Hyper-V (10.0.17763)", true, 0x4000000a,
	  "Microsoft Hv", HV1, { 17763, 0x000a0000, 0, 0 }, WS2019_PRIVS, 0xbed7b2, 0x64e24, 0,
	  240, 320, CODE_VMCALL, WS2019_VMBUS, NULL },
	{ "qemu-kvm", "QEMU/KVM with hv-* enlightenments (10.0.14393)", true, 0x40000005,
	  "Microsoft Hv", HV1, { 14393, 0x000a0000, 0, 0 }, QEMU_PRIVS, 0, 0x28, 0, 0, 0,
	  CODE_VMMCALL, QEMU_VMBUS, NULL },
	{ "qemu-7.2", "QEMU 7.2/KVM: hv-* flags, vmbus-bridge (4.0) with nothing offered", true,
	  0x40000005, "Microsoft Hv", HV1, { 14393, 0x000a0000, 0, 0 }, QEMU_PRIVS, 0, 0x28, 0, 0,
	  0, CODE_VMMCALL, VMBUS_VERSION_WIN10, NULL, NULL },
	{ "qemu-no-synic", "QEMU/KVM -cpu host,hv-relaxed,hv-vpindex,hv-time: no SynIC, no VMBus",
	  true, 0x40000005, "Microsoft Hv", HV1, { 14393, 0x000a0000, 0, 0 }, QEMU_NO_SYNIC_PRIVS, 0,
	  0x20, 0, 0, 0, CODE_VMMCALL, 0, NULL, "kvm_unenforced_hypercalls" },
	{ "qemu-enforce-no-synic", "the same with hv-enforce-cpuid: refused hypercalls say ACCESS_DENIED",
	  true, 0x40000005, "Microsoft Hv", HV1, { 14393, 0x000a0000, 0, 0 }, QEMU_NO_SYNIC_PRIVS, 0,
	  0x20, 0, 0, 0, CODE_VMMCALL, 0, NULL, NULL },
	{ "qemu-no-stimer", "QEMU/KVM with hv-synic but no hv-stimer: VMBus, no synthetic timers", true,
	  0x40000005, "Microsoft Hv", HV1, { 14393, 0x000a0000, 0, 0 },
	  QEMU_PRIVS & ~HV_PRIV_SYNTH_TIMERS, 0, 0x28, 0, 0, 0, CODE_VMMCALL, QEMU_VMBUS,
	  "kvm_unenforced_hypercalls" },
	{ "kvm-hv", "QEMU/KVM with hv-passthrough (vendor \"Linux KVM Hv\")", true, 0x40000005,
	  "Linux KVM Hv", HV1, { 14393, 0x000a0000, 0, 0 }, QEMU_PRIVS, 0, 0x28, 0, 0, 0,
	  CODE_VMMCALL, QEMU_VMBUS, NULL },
	{ "no-synic", "Hyper-V 2019 that withholds AccessSynicRegs", true, 0x4000000a,
	  "Microsoft Hv", HV1, { 17763, 0x000a0000, 0, 0 }, WS2019_PRIVS & ~HV_PRIV_SYNIC,
	  0xbed7b2, 0x64e24, 0, 240, 320, CODE_VMCALL, WS2019_VMBUS, NULL },
	{ "no-hypercall", "Hyper-V 2019 that withholds AccessHypercallMsrs", true, 0x4000000a,
	  "Microsoft Hv", HV1, { 17763, 0x000a0000, 0, 0 },
	  WS2019_PRIVS & ~HV_PRIV_HYPERCALL_MSRS, 0xbed7b2, 0x64e24, 0, 240, 320, CODE_VMCALL,
	  WS2019_VMBUS, NULL },
	{ "no-timers", "Hyper-V 2019 without synthetic timers", true, 0x4000000a, "Microsoft Hv",
	  HV1, { 17763, 0x000a0000, 0, 0 }, WS2019_PRIVS & ~HV_PRIV_SYNTH_TIMERS, 0xbed7b2,
	  0x64e24, 0, 240, 320, CODE_VMCALL, WS2019_VMBUS, NULL },
	/* xmm: the flush and IPI calls hinted, XMM fast input (EDX bit 4) not advertised */
	{ "hyperv-no-xmm", "Hyper-V 2019 without XMM fast hypercall input", true, 0x4000000a,
	  "Microsoft Hv", HV1, { 17763, 0x000a0000, 0, 0 }, WS2019_PRIVS,
	  0xbed7b2 & ~HV_FEAT_XMM_HYPERCALL_INPUT, 0x64e24, 0, 240, 320, CODE_VMCALL, WS2019_VMBUS,
	  NULL },
	{ "openvmm", "OpenVMM's host: its framing, message sizes and habits", true, 0x4000000a,
	  "Microsoft Hv", HV1, { 17763, 0x000a0000, 0, 0 }, WS2019_PRIVS, 0xbed7b2, 0x64e24, 0,
	  240, 320, CODE_VMCALL, VMBUS_VERSION_WIN10_V6_0,
	  /* hyperv_ic serves shutdown, timesync and kvp; there is no heartbeat or VSS host */
	  "shutdown timesync kvp keyboard mouse scsi nic",
	  "offer_196_always ic_txid_zero sense_0x14 hid_size_field storvsc_6_0_max "
	  "input_no_completions" },
	{ "hyperv-quirks", "Hyper-V and Azure as Linux's drivers describe them", true, 0x4000000a,
	  "Microsoft Hv", HV1, { 17763, 0x000a0000, 0, 0 }, WS2019_PRIVS, 0xbed7b2, 0x64e24, 0,
	  240, 320, CODE_VMCALL, VMBUS_VERSION_WIN10_V5_2,
	  "heartbeat shutdown timesync kvp vss keyboard mouse scsi nic balloon",
	  "unload_slow post_transient rescind_unknown ic_back_to_back ic_loose_framing clock_step "
	  "balloon_huge balloon_back_to_back rndis_pre_fe_status srb_pending hid_sa167 "
	  "inquiry_error" },
	{ "tcg", "QEMU TCG: a hypervisor without the Hyper-V interface", true, 0x40000001,
	  "TCGTCGTCGTCG", 0, { 0 }, 0, 0, 0, 0, 0, 0, { 0 }, 0, NULL, NULL },
	{ "bare-metal", "no hypervisor at all", false, 0, "", 0, { 0 }, 0, 0, 0, 0, 0, 0, { 0 }, 0,
	  NULL, NULL },
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
