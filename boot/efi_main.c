/*
 * The UEFI entry (gnu-efi).  The only file that includes UEFI headers.
 *
 * Reads \hvprobe.cfg from the boot volume, calibrates the TSC against the
 * firmware's Stall(), gathers the memory map, calls ExitBootServices and
 * hands a struct boot_info to the kernel.  After that the only firmware
 * service used is the runtime ResetSystem, to power off or reboot.
 *
 * Only gnu-efi's headers and crt0 (which applies the image's relocations)
 * are used, not its libefi: the firmware's tables are reached directly,
 * which keeps libefi's printing and device-path code out of the image.
 */
#include <efi.h>

#include "kernel/x86/uart16550.h"
#include "kernel/bootinfo.h"
#include "kernel/cpu.h"
#include "kernel/x86/x86.h"
#include "lib/log.h"
#include "lib/str.h"

#define CALIBRATION_US 20000  /* 20 ms of Stall(): ~0.05% resolution at 1 GHz */
#define EBS_ATTEMPTS 8        /* ExitBootServices retries on a stale map key */
#define MAP_SLACK_ENTRIES 16  /* room for descriptors our own allocation adds */
#define ONE_MIB 0x100000ull


static struct boot_info bi;
static EFI_SYSTEM_TABLE *st;
static EFI_BOOT_SERVICES *bs;
static EFI_RUNTIME_SERVICES *rt;

/* Mirror console output to ConOut (as UCS-2, LF -> CRLF) while boot services run. */
static void conout_write(const char *s, size_t n)
{
	CHAR16 buf[128];
	size_t k = 0;

	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\n')
			buf[k++] = L'\r';
		buf[k++] = (CHAR16)(unsigned char)s[i];
		if (k >= ARRAY_SIZE(buf) - 2 || i + 1 == n) {
			buf[k] = 0;
			st->ConOut->OutputString(st->ConOut, buf);
			k = 0;
		}
	}
}

/*
 * True when the firmware's console already goes to a serial port.  Then we
 * do not mirror: OVMF with -nodefaults prints ConOut on COM1, and every
 * line would appear twice.  Hyper-V's Gen2 firmware prints on the video
 * console, where the mirror shows the early messages.
 */
static BOOLEAN conout_is_serial(void)
{
	EFI_GUID global = EFI_GLOBAL_VARIABLE;
	UINT8 buf[1024];
	UINTN size = sizeof(buf);
	EFI_DEVICE_PATH *dp;

	if (EFI_ERROR(rt->GetVariable(L"ConOut", &global, NULL, &size, buf)))
		return FALSE;
	for (UINTN off = 0; off + sizeof(EFI_DEVICE_PATH) <= size;) {
		UINT16 len;

		dp = (EFI_DEVICE_PATH *)(buf + off);
		len = (UINT16)(dp->Length[0] | (dp->Length[1] << 8));
		if (DevicePathType(dp) == MESSAGING_DEVICE_PATH && DevicePathSubType(dp) == MSG_UART_DP)
			return TRUE;
		if (len < sizeof(EFI_DEVICE_PATH))
			break; /* malformed: stop walking */
		off += len;
	}
	return FALSE;
}

/* A UCS-2 firmware string as printable ASCII (others become '?'). */
static const char *ascii(const CHAR16 *w, char *buf, size_t n)
{
	size_t i = 0;

	for (; w && w[i] && i + 1 < n; i++)
		buf[i] = (w[i] >= 0x20 && w[i] < 0x7f) ? (char)w[i] : '?';
	buf[i] = '\0';
	return buf;
}

/* Read \hvprobe.cfg from the volume we were loaded from into bi.config. */
static void read_config(EFI_HANDLE image)
{
	EFI_GUID loaded_image = EFI_LOADED_IMAGE_PROTOCOL_GUID;
	EFI_GUID file_system = EFI_SIMPLE_FILE_SYSTEM_PROTOCOL_GUID;
	EFI_LOADED_IMAGE *li;
	EFI_SIMPLE_FILE_SYSTEM_PROTOCOL *volume;
	EFI_FILE_HANDLE root, f;
	UINTN size = sizeof(bi.config);
	EFI_STATUS s;

	bi.config_status = 1;
	s = bs->HandleProtocol(image, &loaded_image, (void **)&li);
	if (EFI_ERROR(s))
		return;
	/* the volume the image was loaded from (the ISO's EFI boot image) */
	s = bs->HandleProtocol(li->DeviceHandle, &file_system, (void **)&volume);
	if (EFI_ERROR(s) || EFI_ERROR(volume->OpenVolume(volume, &root)))
		return;
	s = root->Open(root, &f, L"\\hvprobe.cfg", EFI_FILE_MODE_READ, 0);
	if (s == EFI_NOT_FOUND) {
		root->Close(root);
		return;
	}
	if (EFI_ERROR(s)) {
		bi.config_status = -(int32_t)(s & 0xffff);
		root->Close(root);
		return;
	}
	s = f->Read(f, &size, bi.config);
	if (EFI_ERROR(s)) {
		bi.config_status = -(int32_t)(s & 0xffff);
	} else {
		char extra;
		UINTN more = 1;

		bi.config_len = (uint32_t)size;
		bi.config_status = 0;
		/* anything past the buffer is not silently dropped: say so */
		if (size == sizeof(bi.config) && !EFI_ERROR(f->Read(f, &more, &extra)) && more)
			bi.config_status = 2;
	}
	f->Close(f);
	root->Close(root);
}

/*
 * One zeroed page of EfiLoaderCode for the hypercall page: the host fills it
 * with its calling sequence and the kernel calls into it, so it must be
 * executable, which UEFI guarantees for loader code and not for free RAM.
 * Kept out of the image itself: 4 KiB of zeros in the .efi file.
 */
static uint64_t alloc_code_page(void)
{
	EFI_PHYSICAL_ADDRESS pa = 0;

	if (EFI_ERROR(bs->AllocatePages(AllocateAnyPages, EfiLoaderCode, 1, &pa))) {
		log_printf("hvprobe: no EfiLoaderCode page for the hypercall page\n");
		return 0;
	}
	memset((void *)(uintptr_t)pa, 0, 4096);
	return pa;
}

/*
 * smp: one page below 1 MiB for the AP trampoline (a SIPI names a page
 * there), reserved now so that nothing else owns it after ExitBootServices;
 * and the ACPI 2.0+ RSDP from the configuration table (UEFI 2.10 §4.6),
 * for the MADT's list of processors.
 */
static void smp_handover(void)
{
	static const EFI_GUID acpi20 = ACPI_20_TABLE_GUID;
	EFI_PHYSICAL_ADDRESS pa = ONE_MIB - 1;

	if (!EFI_ERROR(bs->AllocatePages(AllocateMaxAddress, EfiLoaderCode, 1, &pa)) && pa)
		bi.ap_page = pa;
	for (UINTN i = 0; i < st->NumberOfTableEntries; i++) {
		const EFI_CONFIGURATION_TABLE *t = &st->ConfigurationTable[i];

		if (!memcmp(&t->VendorGuid, &acpi20, sizeof(EFI_GUID)))
			bi.acpi_rsdp = (uint64_t)(uintptr_t)t->VendorTable;
	}
}

/* Measure the TSC frequency against Stall(), the firmware's microsecond delay. */
static uint64_t calibrate_tsc(void)
{
	uint64_t t0 = x86_rdtsc(), t1;

	bs->Stall(CALIBRATION_US);
	t1 = x86_rdtsc();
	return (t1 - t0) * (1000000ull / CALIBRATION_US);
}

/* Keep the free RAM of the final map (EfiConventionalMemory above 1 MiB). */
static void collect_ram(const UINT8 *map, UINTN size, UINTN desc_size)
{
	bi.nram = bi.ram_dropped = 0;
	bi.map_entries = (uint32_t)(size / desc_size);
	for (UINTN off = 0; off + desc_size <= size; off += desc_size) {
		const EFI_MEMORY_DESCRIPTOR *d = (const EFI_MEMORY_DESCRIPTOR *)(map + off);
		uint64_t base = d->PhysicalStart, pages = d->NumberOfPages;

		if (d->Type != EfiConventionalMemory)
			continue;
		if (base < ONE_MIB) {
			uint64_t skip = (ONE_MIB - base) / PAGE_SIZE;

			if (pages <= skip)
				continue;
			base = ONE_MIB;
			pages -= skip;
		}
		if (bi.nram == BOOT_MAX_RANGES) {
			bi.ram_dropped++;
			continue;
		}
		bi.ram[bi.nram].base = base;
		bi.ram[bi.nram].pages = pages;
		bi.nram++;
	}
}

/* Runtime ResetSystem for the kernel's power off (valid after ExitBootServices). */
static void boot_reset(enum boot_reset_kind kind)
{
	rt->ResetSystem(kind == BOOT_RESET_COLD ? EfiResetCold : EfiResetShutdown, EFI_SUCCESS,
			0, NULL);
}

/* gnu-efi's crt0 calls this with the SysV convention: not EFIAPI. */
EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab)
{
	UINTN map_size = 0, map_key, desc_size;
	UINT32 desc_version;
	UINT8 *map = NULL;
	EFI_STATUS s;
	char vendor[64];

	bi.tsc_origin = x86_rdtsc();
	log_attach(cpu_console_write, cpu_now_ns);
	st = systab;
	bs = systab->BootServices;
	rt = systab->RuntimeServices;
	uart_init(UART_COM1);
	if (!conout_is_serial())
		x86_console_set_mirror(conout_write);
	log_printf("hvprobe: UEFI entry; firmware \"%s\" revision 0x%x, UEFI %u.%u\n",
		   ascii(systab->FirmwareVendor, vendor, sizeof(vendor)), systab->FirmwareRevision,
		   systab->Hdr.Revision >> 16, systab->Hdr.Revision & 0xffff);
	read_config(image);
	bi.tsc_hz = calibrate_tsc();
	bi.tsc_reference = "UEFI Stall()";
	bi.reset = boot_reset;
	bi.hypercall_page = alloc_code_page();
	smp_handover();

	/* size the map, then allocate with slack: the allocation itself adds entries */
	bs->GetMemoryMap(&map_size, NULL, &map_key, &desc_size, &desc_version);
	map_size += MAP_SLACK_ENTRIES * (desc_size ? desc_size : sizeof(EFI_MEMORY_DESCRIPTOR));
	s = bs->AllocatePool(EfiLoaderData, map_size, (void **)&map);
	if (EFI_ERROR(s)) {
		log_printf("hvprobe: cannot allocate the memory map (status 0x%llx)\n",
			   (unsigned long long)s);
		return s;
	}
	x86_console_set_mirror(NULL); /* no boot service may be called from here on */
	for (bi.ebs_attempts = 1; bi.ebs_attempts <= EBS_ATTEMPTS; bi.ebs_attempts++) {
		UINTN size = map_size;

		s = bs->GetMemoryMap(&size, (EFI_MEMORY_DESCRIPTOR *)map, &map_key, &desc_size,
				     &desc_version);
		if (EFI_ERROR(s))
			break;
		/*
		 * EFI_INVALID_PARAMETER: the map changed under us (stale key); UEFI
		 * 2.10 §7.4 ExitBootServices() says to get the map again and retry,
		 * as Linux's efi_exit_boot_services() (drivers/firmware/efi/libstub)
		 * does.  Failing every attempt is the FAIL of boot.exit_boot_services.
		 */
		s = bs->ExitBootServices(image, map_key);
		if (!EFI_ERROR(s)) {
			collect_ram(map, size, desc_size);
			kernel_start(&bi);
		}
	}
	log_printf("hvprobe: ExitBootServices failed after %u attempts (status 0x%llx)\n"
		   "hvprobe: verdict FAIL\n", bi.ebs_attempts, (unsigned long long)s);
	return s;
}
