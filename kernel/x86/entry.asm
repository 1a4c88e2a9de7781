; Assembly stubs for the x86-64 machine layer: interrupt entry, GDT load,
; MSR accesses that survive #GP, and the panic path's register capture.
; Position independent (the kernel is part of a relocatable UEFI image).

bits 64
default rel
section .text

extern x86_trap_dispatch

; Vectors for which the CPU pushes an error code itself.
%define HAS_ERR(v) ((v) == 8 || ((v) >= 10 && (v) <= 14) || (v) == 17 || (v) == 21 || (v) == 29 || (v) == 30)

; 256 stubs, 8 bytes apart, so the IDT can compute each address from
; x86_isr_stubs without a table of absolute pointers (no relocations).
; Each pushes its vector as a sign-extended byte (isr_common masks it) and
; jumps to the common path; vectors without a CPU error code go through
; isr_noerr, which slides a dummy one under the vector.  8-byte stubs
; instead of 16 keep 2 KiB out of the image.
align 8
global x86_isr_stubs
x86_isr_stubs:
%assign v 0
%rep 256
	align 8
	push byte (v - ((v & 0x80) << 1))
%if HAS_ERR(v)
	jmp isr_common
%else
	jmp isr_noerr
%endif
%assign v v+1
%endrep

isr_noerr:
	push qword [rsp]        ; the vector again, one slot down
	mov qword [rsp + 8], 0  ; and a dummy error code where it was
isr_common:
	and qword [rsp], 0xff   ; the vector, zero-extended
	push r15
	push r14
	push r13
	push r12
	push r11
	push r10
	push r9
	push r8
	push rbp
	push rdi
	push rsi
	push rdx
	push rcx
	push rbx
	push rax
	mov rdi, rsp
	cld
	call x86_trap_dispatch wrt ..plt
	pop rax
	pop rbx
	pop rcx
	pop rdx
	pop rsi
	pop rdi
	pop rbp
	pop r8
	pop r9
	pop r10
	pop r11
	pop r12
	pop r13
	pop r14
	pop r15
	add rsp, 16             ; vector and error code
	iretq

; void x86_gdt_load(const void *gdtr, uint16_t code_sel, uint16_t data_sel)
; Load the GDT, the data segments, and CS through a far return.
global x86_gdt_load
x86_gdt_load:
	lgdt [rdi]
	mov ds, dx
	mov es, dx
	mov ss, dx
	xor eax, eax
	mov fs, ax
	mov gs, ax
	movzx rsi, si
	push rsi
	lea rax, [.reloaded]
	push rax
	retfq
.reloaded:
	ret

; int x86_rdmsr_safe(uint32_t msr, uint64_t *val): 0, or -1 after #GP.
; The #GP handler moves RIP from x86_rdmsr_insn/x86_wrmsr_insn to x86_msr_fixup.
global x86_rdmsr_safe, x86_rdmsr_insn, x86_wrmsr_safe, x86_wrmsr_insn, x86_msr_fixup
x86_rdmsr_safe:
	mov ecx, edi
x86_rdmsr_insn:
	rdmsr
	shl rdx, 32
	or rax, rdx
	mov [rsi], rax
	xor eax, eax
	ret

; int x86_wrmsr_safe(uint32_t msr, uint64_t val)
x86_wrmsr_safe:
	mov ecx, edi
	mov eax, esi
	mov rdx, rsi
	shr rdx, 32
x86_wrmsr_insn:
	wrmsr
	xor eax, eax
	ret

x86_msr_fixup:
	mov eax, -1
	ret

; void x86_dump_here(void): the #UD handler recognises x86_dump_ud2, prints
; the registers of this point and resumes after the ud2.
global x86_dump_here, x86_dump_ud2
x86_dump_here:
x86_dump_ud2:
	ud2
	ret

; uint64_t x86_hypercall(uint64_t control, uint64_t input, uint64_t output, void *page)
; TLFS register convention: RCX control, RDX input, R8 output, result in RAX.
global x86_hypercall
x86_hypercall:
	mov r8, rdx
	mov rdx, rsi
	mov rax, rcx
	mov rcx, rdi
	call rax
	ret

section .note.GNU-stack noalloc noexec nowrite progbits
