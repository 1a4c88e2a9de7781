#!/bin/bash
# bench/hello/build.sh [OUTDIR] — build the boot benchmark's floor, a minimal
# gnu-efi app: OUTDIR/hello.efi and OUTDIR/hello.iso (default build/bench).
# Compiler and linker flags are read from the top-level Makefile (BCFLAGS,
# KLDFLAGS), and the link uses linker.ld, so hello is built exactly like
# hvprobe's UEFI entry.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=${1:-build/bench}
mkdir -p "$out"

# One Makefile variable, expanded as make would (no rule of the Makefile runs).
mkvar() {
	local v
	# shellcheck disable=SC2016  # $($*) is for make, not the shell
	v=$(make -s --no-print-directory --eval 'print-var-%: ; @echo $($*)' "print-var-$1")
	[[ -n $v ]] || { echo "build.sh: Makefile variable $1 is empty" >&2; exit 2; }
	printf '%s\n' "$v"
}
cc=$(mkvar CC) ld=$(mkvar LD) objcopy=$(mkvar OBJCOPY)
read -ra bcflags <<<"$(mkvar BCFLAGS)"
read -ra kldflags <<<"$(mkvar KLDFLAGS)"
crt=$(mkvar EFI_CRT) efilib=$(mkvar EFI_LIB)

"$cc" "${bcflags[@]}" -c bench/hello/hello.c -o "$out/hello.o"
"$ld" "${kldflags[@]}" -o "$out/hello.so" "$crt" "$out/hello.o" \
	"$efilib/libefi.a" "$efilib/libgnuefi.a"
# The sections and target of the Makefile's $(B)/hvprobe.efi rule.
"$objcopy" -j .text -j .reloc -j .data -j .bss -j .dynamic -j .dynsym -j .rela \
	--target efi-app-x86_64 --subsystem=10 "$out/hello.so" "$out/hello.efi"
# hello ignores its cfg; mkiso.sh wants one.  xorriso's chatter is shown
# only when it fails.
if ! tools/mkiso.sh "$out/hello.efi" tools/default.cfg "$out/hello.iso" 2>"$out/mkiso.stderr"; then
	cat "$out/mkiso.stderr" >&2
	exit 2
fi
