#!/bin/bash
# mkiso.sh EFI CFG OUT.iso — a bootable UEFI CD image: an El Torito EFI boot
# image (FAT, EFI/BOOT/BOOTX64.EFI + hvprobe.cfg), with the same two files
# in the ISO 9660 tree.  Reproducible: fixed timestamps and volume ids.
set -euo pipefail
efi=$1 cfg=$2 out=$3
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-1767225600}  # 2026-01-01T00:00:00Z
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/iso/EFI/BOOT"
cp "$efi" "$stage/iso/EFI/BOOT/BOOTX64.EFI"
cp "$cfg" "$stage/iso/hvprobe.cfg"
touch -h -d "@$SOURCE_DATE_EPOCH" "$stage/iso/EFI/BOOT/BOOTX64.EFI" "$stage/iso/hvprobe.cfg"

# FAT image: 1440 KiB is enough for the EFI binary and keeps the ISO small.
img="$stage/efiboot.img"
dd if=/dev/zero of="$img" bs=1024 count=1440 status=none
mformat -i "$img" -f 1440 -N 48565052 ::          # fixed serial: "HVPR"
mmd -i "$img" ::/EFI ::/EFI/BOOT
mcopy -m -i "$img" "$stage/iso/EFI/BOOT/BOOTX64.EFI" ::/EFI/BOOT/BOOTX64.EFI
mcopy -m -i "$img" "$stage/iso/hvprobe.cfg" ::/hvprobe.cfg
mkdir -p "$stage/iso/boot"
mv "$img" "$stage/iso/boot/efiboot.img"
# every file and directory gets the same time, after the tree is complete
find "$stage/iso" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +

# xorriso talks on stderr even when all is well: show it only on failure
xorriso -as mkisofs -quiet -V HVPROBE -volset HVPROBE -R \
  -e boot/efiboot.img -no-emul-boot \
  -o "$out.tmp" "$stage/iso" 2>"$stage/xorriso.log" || { cat "$stage/xorriso.log" >&2; exit 1; }
mv "$out.tmp" "$out"
