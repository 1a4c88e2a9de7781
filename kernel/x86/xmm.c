/*
 * XMM fast hypercall input (kernel/cpu.h, xmm block): the C side of
 * xmm_stub.asm, and the one #UD it recovers from.
 */
#include "kernel/cpu.h"
#include "kernel/x86/x86.h"

#define CR4_OSFXSR (1ull << 9)

uint64_t cpu_hypercall_xmm(uint64_t control, const uint64_t in[14])
{
	/* without OSFXSR the SSE loads themselves would #UD (Intel SDM vol. 3 §2.5) */
	if (!(x86_read_cr4() & CR4_OSFXSR))
		return CPU_HYPERCALL_UD;
	return x86_hypercall_xmm(control, in, cpu_hypercall_page());
}

/*
 * A #UD with x86_hypercall_xmm's return address on top of the stack: only
 * the hypercall page it called raises that (the page's code pushes
 * nothing), as KVM with hv-enforce-cpuid answers an XMM fast hypercall the
 * guest was not granted (arch/x86/kvm/hyperv.c kvm_hv_hypercall()).
 * Return to the stub with CPU_HYPERCALL_UD.
 */
bool x86_hypercall_xmm_fixup(struct trap_frame *f)
{
	if (*(uint64_t *)f->rsp != (uintptr_t)x86_hypercall_xmm_ret)
		return false;
	f->rip = (uintptr_t)x86_hypercall_xmm_ret;
	f->rsp += 8;
	f->rax = CPU_HYPERCALL_UD;
	return true;
}
