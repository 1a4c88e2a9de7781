/*
 * The image's self-relocation, called by gnu-efi's crt0 before efi_main.
 *
 * hvprobe.so is linked at address 0 and the firmware loads it anywhere, so
 * every absolute pointer in its data must have the load address added.  The
 * link packs those pointers as DT_RELR (ld -z pack-relative-relocs): a list
 * of 64-bit words, each either an address to relocate (even) or a bitmap of
 * the 63 words after the last address (odd).  That is about a tenth of the
 * size of the 24-byte Elf64_Rela entries gnu-efi's own _relocate reads,
 * which kept build/hvprobe.efi within 128 KiB.  DT_RELA entries of type
 * R_X86_64_RELATIVE are still applied, for pointers ld cannot pack (odd
 * addresses).  Format: the System V gABI's DT_RELR proposal, as adopted by
 * binutils 2.38 and glibc 2.36.
 *
 * This runs before any relocation, so it must not read a pointer from the
 * image's data: only its arguments, locals and code.
 */
#include <stdint.h>

/* The ELF dynamic tags and relocation type this reads (System V gABI). */
enum {
	DT_NULL = 0,
	DT_RELA = 7,
	DT_RELASZ = 8,
	DT_RELAENT = 9,
	DT_RELRSZ = 35,
	DT_RELR = 36,
	R_X86_64_RELATIVE = 8,
};

struct elf64_dyn {
	int64_t tag;
	uint64_t val;
};

struct elf64_rela {
	uint64_t offset;
	uint64_t info;
	int64_t addend;
};

_Static_assert(sizeof(struct elf64_dyn) == 16, "Elf64_Dyn");
_Static_assert(sizeof(struct elf64_rela) == 24, "Elf64_Rela");

uint64_t _relocate(uint64_t base, const struct elf64_dyn *dyn, void *image, void *systab);

/* Apply the RELR list of @size bytes at @relr to the image at @base. */
static void apply_relr(uint64_t base, const uint64_t *relr, uint64_t size)
{
	uint64_t *where = 0;

	for (uint64_t i = 0; i < size / 8; i++) {
		uint64_t e = relr[i];

		if (!(e & 1)) {
			where = (uint64_t *)(base + e);
			*where++ += base;
			continue;
		}
		for (unsigned bit = 1; bit < 64; bit++)
			if (e >> bit & 1)
				where[bit - 1] += base;
		where += 63;
	}
}

/*
 * crt0's relocation hook: @base is where the firmware loaded the image, @dyn
 * its dynamic section.  Returns 0 (EFI_SUCCESS), or 1 (EFI_LOAD_ERROR) for a
 * RELA table without an entry size, which a correct link never makes.
 */
uint64_t _relocate(uint64_t base, const struct elf64_dyn *dyn, void *image, void *systab)
{
	uint64_t rela = 0, relasz = 0, relaent = 0, relr = 0, relrsz = 0;

	(void)image;
	(void)systab;
	for (; dyn->tag != DT_NULL; dyn++) {
		if (dyn->tag == DT_RELA)
			rela = dyn->val;
		else if (dyn->tag == DT_RELASZ)
			relasz = dyn->val;
		else if (dyn->tag == DT_RELAENT)
			relaent = dyn->val;
		else if (dyn->tag == DT_RELR)
			relr = dyn->val;
		else if (dyn->tag == DT_RELRSZ)
			relrsz = dyn->val;
	}
	if (relr)
		apply_relr(base, (const uint64_t *)(base + relr), relrsz);
	if (!rela)
		return 0;
	if (!relaent)
		return 1;
	for (uint64_t off = 0; off + relaent <= relasz; off += relaent) {
		const struct elf64_rela *r = (const void *)(base + rela + off);

		if ((uint32_t)r->info == R_X86_64_RELATIVE)
			*(uint64_t *)(base + r->offset) = base + (uint64_t)r->addend;
	}
	return 0;
}
