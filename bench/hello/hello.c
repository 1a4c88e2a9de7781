/*
 * hello — the boot benchmark's floor: a minimal gnu-efi application that
 * prints "hello: done" on COM1 and powers the machine off.  Built with the
 * same flags and linker script as hvprobe (bench/hello/build.sh), so the
 * time QEMU takes to run it is the firmware's own time.
 */
#include <efi.h>
#include <efilib.h>

#define COM1 0x3f8
#define COM1_LSR (COM1 + 5)
#define LSR_THRE 0x20          /* transmit holding register empty */
#define LSR_TEMT 0x40          /* transmitter empty: the last bit has left */
#define DEBUG_EXIT_PORT 0xf4   /* QEMU isa-debug-exit: status (v << 1) | 1 */

static inline void outb(UINT16 port, UINT8 v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline void outl(UINT16 port, UINT32 v)
{
	__asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port));
}

static inline UINT8 inb(UINT16 port)
{
	UINT8 v;

	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

/* COM1 as the firmware left it (OVMF: 115200 8N1); bounded wait per byte. */
static void serial_puts(const char *s)
{
	for (; *s; s++) {
		for (UINT32 spin = 0; spin < 100000 && !(inb(COM1_LSR) & LSR_THRE); spin++)
			;
		outb(COM1, (UINT8)*s);
	}
}

/* Called by crt0 with the SysV convention: not EFIAPI. */
EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab)
{
	InitializeLib(image, systab);
	serial_puts("hello: done\r\n");
	/* Let the last byte leave the UART before QEMU goes away. */
	for (UINT32 spin = 0; spin < 100000 && !(inb(COM1_LSR) & LSR_TEMT); spin++)
		;
	outl(DEBUG_EXIT_PORT, 0);
	/* No isa-debug-exit device: power off through the firmware. */
	RT->ResetSystem(EfiResetShutdown, EFI_SUCCESS, 0, NULL);
	return EFI_SUCCESS;
}
