; XMM fast hypercall input (TLFS "XMM fast hypercalls"; kernel/cpu.h, xmm block).
;
; Why loading XMM0-XMM5 here is safe although the kernel is built
; -mgeneral-regs-only: no kernel C code, interrupt handler or trap path
; reads or keeps anything in XMM registers, so there is no state to save
; or corrupt; and XMM0-XMM5 are volatile in both the SysV and the UEFI
; (Microsoft x64) calling conventions, so nothing expects them preserved.
; SSE instructions work because CR4.OSFXSR is set: on the BSP by the UEFI
; firmware (UEFI spec §2.3.4, x64 handoff: SSE usable, MXCSR initialised,
; CR0.EM and CR0.TS clear), on the APs by the trampoline, which loads the
; BSP's OSFXSR and OSXMMEXCPT into CR4 (smp.c ap_data: cr4 & 0x6a0).
; xmm.c refuses to come here when OSFXSR is clear.

bits 64
default rel
section .text

; uint64_t x86_hypercall_xmm(uint64_t control, const uint64_t in[14], void *page)
; RCX control, RDX in[0], R8 in[1], XMM0..XMM5 in[2..13]; RAX the result.
; If the host answers #UD, the trap handler (xmm.c x86_hypercall_xmm_fixup)
; resumes at x86_hypercall_xmm_ret with RAX = CPU_HYPERCALL_UD.
global x86_hypercall_xmm, x86_hypercall_xmm_ret
x86_hypercall_xmm:
	movdqu xmm0, [rsi + 16]
	movdqu xmm1, [rsi + 32]
	movdqu xmm2, [rsi + 48]
	movdqu xmm3, [rsi + 64]
	movdqu xmm4, [rsi + 80]
	movdqu xmm5, [rsi + 96]
	mov rax, rdx
	mov rcx, rdi
	mov rdx, [rsi]
	mov r8, [rsi + 8]
	call rax
x86_hypercall_xmm_ret:
	ret

section .note.GNU-stack noalloc noexec nowrite progbits
