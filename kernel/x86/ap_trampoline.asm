; The application processors' way from reset to the kernel: real mode ->
; 32-bit protected mode -> long mode, then a call into C (smp.c ap_entry).
; smp.c copies the bytes from ap_trampoline to ap_trampoline_end to a page
; below 1 MiB (the SIPI vector is its page number) and fills the data block
; at its end.  Position independent: every address is found from CS at run
; time, so the same bytes work at any page.  Intel SDM vol. 3 §9.4 (MP
; initialisation), §9.8.5 (entering long mode).

bits 16
section .text

global ap_trampoline, ap_trampoline_end, ap_trampoline_data

%define OFF(x) ((x) - ap_trampoline)

align 16
ap_trampoline:
	cli
	cld
	mov ax, cs
	mov ds, ax
	movzx ebx, ax
	shl ebx, 4                      ; ebx = the page's physical address
	lea eax, [ebx + OFF(gdt)]
	mov [OFF(gdtr) + 2], eax
	lea eax, [ebx + OFF(pm32)]
	mov [OFF(far32)], eax
	o32 lgdt [OFF(gdtr)]
	mov eax, cr0
	or al, 1                        ; PE
	mov cr0, eax
	o32 jmp far [OFF(far32)]

bits 32
pm32:
	mov ax, 0x10
	mov ds, ax
	mov es, ax
	mov ss, ax
	mov eax, [ebx + OFF(d_cr4)]
	mov cr4, eax                    ; PAE (and what else the BSP had that is safe)
	mov eax, [ebx + OFF(d_cr3)]
	mov cr3, eax                    ; the BSP's page tables (below 4 GiB)
	mov ecx, 0xc0000080             ; IA32_EFER: LME, and NXE as the BSP has it
	mov eax, [ebx + OFF(d_efer)]
	xor edx, edx
	wrmsr
	lea eax, [ebx + OFF(lm64)]
	mov [ebx + OFF(far64)], eax
	mov eax, [ebx + OFF(d_cr0)]
	mov cr0, eax                    ; PG: long mode, compatibility sub-mode
	jmp far [ebx + OFF(far64)]

bits 64
lm64:
	mov rsp, [rbx + OFF(d_stack)]
	mov rdi, [rbx + OFF(d_arg)]
	mov rax, [rbx + OFF(d_entry)]
	call rax                        ; never returns
.halt:
	cli
	hlt
	jmp .halt

align 8
gdt:
	dq 0
	dq 0x00cf9a000000ffff           ; 0x08: 32-bit code, flat
	dq 0x00cf92000000ffff           ; 0x10: data, flat
	dq 0x00209a0000000000           ; 0x18: 64-bit code
gdtr:
	dw 4 * 8 - 1
	dd 0
far32:
	dd 0
	dw 0x08
far64:
	dd 0
	dw 0x18

align 8
; filled by smp.c before each start-up (struct ap_boot_data)
ap_trampoline_data:
d_cr0:   dq 0
d_cr3:   dq 0
d_cr4:   dq 0
d_efer:  dq 0
d_stack: dq 0
d_arg:   dq 0
d_entry: dq 0
ap_trampoline_end:

section .note.GNU-stack noalloc noexec nowrite progbits
