#!/bin/bash
# deps.sh GROUP — make sure the Debian packages GROUP needs are installed.
# As root, installs what is missing; otherwise prints the exact apt-get
# line and exits 2.  Groups: build, run, test.
set -euo pipefail

build_pkgs="gcc make binutils nasm gnu-efi xorriso mtools"
run_pkgs="$build_pkgs qemu-system-x86 ovmf debootstrap cpio lz4 python3"
test_pkgs="$run_pkgs clang libclang-rt-14-dev python3 python3-lxml chromium yamllint"

case "${1:-}" in
build) want=$build_pkgs ;;
run) want=$run_pkgs ;;
test) want=$test_pkgs ;;
*) echo "usage: $0 build|run|test" >&2; exit 2 ;;
esac

missing=()
for p in $want; do
	st=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
	[[ $st == "install ok installed" ]] || missing+=("$p")
done
((${#missing[@]} == 0)) && exit 0

line="apt-get install -y --no-install-recommends ${missing[*]}"
if [[ $(id -u) != 0 ]]; then
	echo "hvprobe: missing Debian packages: ${missing[*]}" >&2
	echo "hvprobe: install them as root with:" >&2
	echo "  $line" >&2
	exit 2
fi
echo "hvprobe: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >&2
# shellcheck disable=SC2086
$line >&2 || { echo "hvprobe: package installation failed: $line" >&2; exit 2; }
