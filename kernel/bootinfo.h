/*
 * What the UEFI entry (boot/) hands the kernel after ExitBootServices.
 * Plain C types only: the kernel never sees a UEFI header.
 */
#ifndef HVPROBE_BOOTINFO_H
#define HVPROBE_BOOTINFO_H

#include <stdint.h>

#include "lib/pagealloc.h"

#define BOOT_MAX_RANGES 128
#define BOOT_CONFIG_MAX 4096

enum boot_reset_kind {
	BOOT_RESET_SHUTDOWN,
	BOOT_RESET_COLD,
};

struct boot_info {
	/* free RAM (UEFI EfiConventionalMemory above 1 MiB) */
	struct pa_range ram[BOOT_MAX_RANGES];
	uint32_t nram;
	uint32_t ram_dropped;        /* ranges beyond BOOT_MAX_RANGES */
	uint32_t map_entries;        /* descriptors in the final memory map */
	uint32_t ebs_attempts;       /* ExitBootServices calls it took */
	uint64_t tsc_hz;             /* TSC frequency */
	const char *tsc_reference;   /* what it was measured against */
	uint64_t tsc_origin;          /* TSC when efi_main started: time zero */
	/* \hvprobe.cfg as read from the boot volume (not terminated) */
	char config[BOOT_CONFIG_MAX];
	uint32_t config_len;
	int32_t config_status;       /* 0 read, 1 absent, 2 truncated, <0 UEFI error */
	/*
	 * A zeroed page for the hypercall page, allocated as EfiLoaderCode so
	 * that it stays executable in UEFI's page tables (free RAM may be
	 * mapped no-execute); 0 when the firmware gave none.
	 */
	uint64_t hypercall_page;
	/* smp: the ACPI RSDP (0: none), a reserved page below 1 MiB for the AP trampoline (0: none) */
	uint64_t acpi_rsdp;
	uint64_t ap_page;
	/* UEFI runtime ResetSystem, wrapped by boot/; NULL in the sim build */
	void (*reset)(enum boot_reset_kind kind);
};

/* The portable conformance run (kernel/main.c). */
__attribute__((noreturn)) void hvprobe_main(const struct boot_info *bi);

#endif
