#!/bin/bash
# build.sh SUITE — build (or find in the cache) the L1 image of the nested
# chain whose L2 QEMU comes from Debian SUITE: trixie (QEMU 10) or bookworm
# (QEMU 7.2).  Prints the image directory on stdout; progress goes to stderr.
# The image directory holds:
#   vmlinuz         Debian 12's kernel (linux-image-amd64), for L1 (and bench/nested.sh's L2)
#   l1.cpio.lz4      L1's initramfs: SUITE's minbase root + qemu-system-x86, ovmf, kmod,
#                   procps, the kernel's KVM modules, tools/nested/init as /init
#                   (the L2 launcher comes with each run's /job: tools/host/nested)
#   modules/        hv_vmbus.ko and what it needs, in load order (modules/order), for
#                   bench/nested.sh's Linux L2
#   versions        what went in (package versions, the key)
#
# Only Debian's archive is used, through private apt state under the cache
# (the host's apt configuration is neither read nor changed): the kernel comes
# from bookworm (`apt-get download` + `dpkg-deb -x`, never installed on the
# host), the root from `debootstrap --variant=minbase SUITE`.
#
# Cache: ${HVPROBE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/hvprobe}/nested/SUITE-KEY,
# KEY = hash of the kernel package and version, SUITE's qemu-system-x86 and
# ovmf versions, the mirror and this directory's files.  The
# package indexes are refreshed once a day (HVPROBE_NESTED_REFRESH=1: now);
# when the archive cannot be reached, the last image built is used.
# Environment: HVPROBE_DEBIAN_MIRROR (default http://deb.debian.org/debian).
#
# Why lz4: L1's kernel unpacks the initramfs under the outer QEMU's TCG, on
# every run: measured to L1's init, lz4 8.1 s, uncompressed 8.2 s (but 200 MB
# to copy per run), zstd 11.0 s, gzip 11.2 s.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)

suite=${1:-}
case "$suite" in
trixie | bookworm) ;;
*) echo "usage: $0 trixie|bookworm" >&2; exit 2 ;;
esac

mirror=${HVPROBE_DEBIAN_MIRROR:-http://deb.debian.org/debian}
cache=${HVPROBE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/hvprobe}/nested
t0=$SECONDS
say() { printf 'nested: [%3ds] %s\n' $((SECONDS - t0)) "$*" >&2; }
die() { printf 'nested: image build failed: %s\n' "$*" >&2; exit 1; }

[[ $(id -u) == 0 ]] || die "building the image needs root (debootstrap, chroot)"
for tool in debootstrap cpio lz4 dpkg-deb apt-get flock chroot; do
	command -v "$tool" >/dev/null || die "$tool not found (Debian packages: debootstrap cpio lz4)"
done
mkdir -p "$cache"
# One lock for the package indexes (short), one per suite for its build.
exec 9>"$cache/.lock"
flock -w 600 9 || die "another build holds $cache/.lock"

# apt_view NAME SUITE: private apt state for SUITE in $cache/apt/NAME; sets
# the array aptopts.  Refreshes the index when older than a day.
apt_view() {
	local d=$cache/apt/$1
	mkdir -p "$d/lists/partial" "$d/archives/partial" "$d/empty"
	# rewritten only when it changes: apt rebuilds its cache when these are newer
	local src
	src=$(printf 'deb %s %s main' "$mirror" "$2")
	[[ $(cat "$d/sources.list" 2>/dev/null) == "$src" ]] || echo "$src" >"$d/sources.list"
	[[ -e $d/status ]] || : >"$d/status"
	aptopts=(-o "Dir::Etc::SourceList=$d/sources.list" -o "Dir::Etc::SourceParts=$d/empty"
		-o "Dir::Etc::Preferences=$d/empty/none" -o "Dir::Etc::PreferencesParts=$d/empty"
		-o "Dir::State::Lists=$d/lists" -o "Dir::Cache=$d" -o "Dir::Cache::Archives=$d/archives"
		-o "Dir::State::status=$d/status" -o APT::Architecture=amd64
		-o Acquire::Languages=none -o APT::Sandbox::User=root)
	local stamp=$d/lists/.fresh
	if [[ ${HVPROBE_NESTED_REFRESH:-0} == 1 || ! -e $stamp ]] ||
		[[ -n $(find "$stamp" -mmin +1440) ]]; then
		say "reading the $2 package index from $mirror"
		if apt-get "${aptopts[@]}" -qq update >"$d/update.log" 2>&1 && [[ -n $(ls "$d/lists"/*Packages* 2>/dev/null) ]]; then
			touch "$stamp"
		elif [[ -e $stamp ]]; then
			say "cannot refresh the $2 index; using the one from $(date -r "$stamp" +%F)"
		else
			say "cannot read the $2 index ($(grep -m1 -E '^(E|W):' "$d/update.log" || echo 'apt-get update failed'))"
			return 1
		fi
	fi
}

# resolved NAME: "package version" lines for what the build takes from the
# apt view NAME (the kernel package linux-image-amd64 depends on, its version,
# qemu-system-x86, ovmf), computed once per index refresh: apt-cache needs ~1 s
# a call on these indexes.
resolved() {
	local d=$cache/apt/$1 kpkg
	if [[ ! -s $d/resolved || $d/lists/.fresh -nt $d/resolved ]]; then
		kpkg=$(apt-cache "${aptopts[@]}" show --no-all-versions linux-image-amd64 2>/dev/null |
			sed -n 's/^Depends: .*\(linux-image-[0-9][^ ,]*-amd64\).*/\1/p' | head -n 1)
		echo "kernel-package ${kpkg:-none}" >"$d/resolved.tmp"
		apt-cache "${aptopts[@]}" show --no-all-versions ${kpkg:+"$kpkg"} qemu-system-x86 ovmf 2>/dev/null |
			awk '/^Package: / { p = $2 } /^Version: / { print p, $2 }' >>"$d/resolved.tmp"
		mv "$d/resolved.tmp" "$d/resolved"
	fi
	cat "$d/resolved"
}
# version NAME PKG: PKG's candidate version in the apt view NAME
version() { resolved "$1" | awk -v p="$2" '$1 == p { print $2; exit }'; }

# last_image: the newest complete image of this suite, when the archive is unreachable
last_image() {
	local d last=
	for d in "$cache/$suite"-*/done; do
		[[ -e $d && ( -z $last || $d -nt $last ) ]] && last=$d
	done
	[[ -n $last ]] && dirname "$last"
}

offline() {
	local last
	last=$(last_image) || true
	if [[ -n $last ]]; then
		say "using the last image built: $last"
		echo "$last"
		exit 0
	fi
	die "$1"
}

apt_view bookworm bookworm || offline "cannot reach the Debian archive at $mirror for bookworm"
kpkg=$(version bookworm kernel-package)
kver=$(version bookworm "$kpkg")
[[ -n $kpkg && $kpkg != none && -n $kver ]] || offline "no linux-image-amd64 in bookworm's index"
kaptopts=("${aptopts[@]}")
apt_view "$suite" "$suite" || offline "cannot reach the Debian archive at $mirror for $suite"
qver=$(version "$suite" qemu-system-x86) over=$(version "$suite" ovmf)
[[ -n $qver && -n $over ]] || offline "no qemu-system-x86 or ovmf in $suite's index"

scripts=$(cat "$here/build.sh" "$here/init" | sha256sum | cut -c1-16)
versions="suite $suite
mirror $mirror
kernel $kpkg $kver
qemu-system-x86 $qver
ovmf $over
scripts $scripts"
key=$(sha256sum <<<"$versions" | cut -c1-12)
img=$cache/$suite-$key
if [[ -e $img/done ]]; then
	echo "$img"
	exit 0
fi
exec 9>&-
exec 8>"$cache/.lock-$suite"
flock -w 3600 8 || die "another build holds $cache/.lock-$suite"
if [[ -e $img/done ]]; then # built while we waited
	echo "$img"
	exit 0
fi

say "building the L1 image for $suite (QEMU $qver, kernel $kver): a few minutes, once"
work=$cache/.build-$suite
rm -rf "$work"
mkdir -p "$work"
trap 'rm -rf "$work"' EXIT

# The kernel package is kept: both suites' images use it.
kdeb=$cache/kernel/${kpkg}_${kver//:/%3a}_amd64.deb
if [[ ! -e $kdeb ]]; then
	say "downloading $kpkg $kver"
	mkdir -p "$cache/kernel" "$work/dl"
	(cd "$work/dl" && apt-get "${kaptopts[@]}" -qq download "$kpkg=$kver" >"$work/download.log" 2>&1) ||
		die "apt-get download $kpkg: $(grep -m1 '^E:' "$work/download.log" || tail -n 1 "$work/download.log")"
	rm -f "$cache/kernel"/*.deb
	mv "$work"/dl/linux-image-*.deb "$kdeb"
fi
mkdir "$work/kernel"
dpkg-deb -x "$kdeb" "$work/kernel" || die "dpkg-deb -x $kdeb failed"
kname=$(ls "$work/kernel/lib/modules")
cp "$work/kernel/boot/vmlinuz-$kname" "$work/vmlinuz"

say "debootstrap $suite (minbase + qemu-system-x86 ovmf kmod procps)"
root=$work/root
# Progress: one line each time debootstrap starts another kind of step.
if ! debootstrap --variant=minbase --include=qemu-system-x86,kmod,procps,ovmf \
	"$suite" "$root" "$mirror" 2>&1 | tee "$work/debootstrap.log" |
	awk -v t0="$(date +%s)" '
		function show(s) { printf "nested:   debootstrap (%3ds) %s\n", systime() - t0, s > "/dev/stderr"; fflush("/dev/stderr") }
		$1 != "I:" || $2 == "Validating" { next }
		$2 == "Retrieving" && NF >= 4 { if (n++ % 40 == 0) show("I: Retrieving packages: " n ", " $3 "..."); next }
		!seen[$2]++ { show($0) }'; then
	die "debootstrap $suite: $(grep -E '^(E|W):' "$work/debootstrap.log" | tail -n 1)"
fi

say "trimming the root and adding the KVM modules"
# Nothing in L1 reads documentation, translations or package state; every
# megabyte left is unpacked by L1's kernel under TCG on every boot.
# Nor the 32-bit and microvm QEMUs, iconv's modules, other firmware than
# OVMF_CODE/VARS_4M, or the other architectures' firmware (~60 MB in all).
rm -rf "$root"/usr/share/{doc,man,info,locale,lintian,linda} "$root"/var/cache/apt/* \
	"$root"/var/lib/apt/lists/* "$root"/var/cache/debconf/*-old "$root"/var/log/* \
	"$root"/var/lib/dpkg/info "$root"/usr/share/ovmf "$root"/usr/lib/x86_64-linux-gnu/gconv \
	"$root"/usr/bin/qemu-system-i386 "$root"/usr/bin/qemu-system-x86_64-microvm
find "$root/usr/share/OVMF" -type f ! -name OVMF_CODE_4M.fd ! -name OVMF_VARS_4M.fd -delete
find "$root/usr/share/qemu" -maxdepth 1 \( -name '*.dtb' -o -name 'openbios-*' -o -name 'hppa-*' \
	-o -name 'palcode-*' -o -name 's390-*' -o -name 'skiboot.lid' -o -name 'slof.bin' \
	-o -name 'u-boot*' -o -name 'opensbi-*' -o -name 'npcm*' -o -name 'QEMU,*' \) -delete
# The kernel's modules, then only what KVM and VMBus need of them.
mkdir -p "$root/lib/modules"
mv "$work/kernel/lib/modules/$kname" "$root/lib/modules/$kname"
chroot "$root" depmod "$kname" || die "depmod failed"
# shellcheck disable=SC2016
keep=$(chroot "$root" modprobe --set-version "$kname" --show-depends -a kvm_amd kvm_intel hv_vmbus |
	awk '$1 == "insmod" { print $2 }' | sort -u)
[[ -n $keep ]] || die "no KVM modules in $kpkg"
mkdir "$work/keep"
while read -r m; do
	mkdir -p "$work/keep/$(dirname "$m")"
	cp "$root$m" "$work/keep/$m"
done <<<"$keep"
rm -rf "$root/lib/modules/$kname/kernel"
cp -a "$work/keep/lib/modules/$kname/kernel" "$root/lib/modules/$kname/"
chroot "$root" depmod "$kname" || die "depmod failed"
# hv_vmbus and its dependencies, in load order, for a Linux L2 (bench/nested.sh)
mkdir "$work/modules"
chroot "$root" modprobe --set-version "$kname" --show-depends hv_vmbus |
	awk '$1 == "insmod" { print $2 }' | while read -r m; do
	cp "$root$m" "$work/modules/"
	basename "$m" >>"$work/modules/order"
done
[[ -s $work/modules/order ]] || die "no hv_vmbus module in $kpkg"

say "adding init"
install -m 755 "$here/init" "$root/init"
balloon=0
chroot "$root" qemu-system-x86_64 -device help 2>/dev/null | grep -q '"hv-balloon"' && balloon=1
qemu_version=$(chroot "$root" qemu-system-x86_64 --version | sed -n 's/^QEMU emulator version \([^ ]*\).*/\1/p')
printf 'HVPROBE_HV_BALLOON=%s\nHVPROBE_L2_QEMU_VERSION=%s\n' "$balloon" "$qemu_version" >"$root/etc/hvprobe-l2.env"

say "packing the initramfs"
# lz4's legacy format (-l) is the one the kernel reads.
(cd "$root" && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc --quiet) | lz4 -q -9 -l >"$work/l1.cpio.lz4" ||
	die "cpio | lz4 failed"
printf '%s\nkey %s\nqemu-version %s\nhv-balloon %s\nsize %s\n' "$versions" "$key" "$qemu_version" "$balloon" \
	"$(du -sh "$root" | cut -f1)" >"$work/versions"

rm -rf "$img" "$root" "$work/kernel" "$work/keep"
mkdir -p "$img"
mv "$work/vmlinuz" "$work/l1.cpio.lz4" "$work/modules" "$work/versions" "$work/debootstrap.log" "$img/"
touch "$img/done"
# older images of this suite are superseded
for old in "$cache/$suite"-*; do
	[[ $old == "$img" ]] || rm -rf "$old"
done
say "image ready: $img ($(du -sh "$img/l1.cpio.lz4" | cut -f1) initramfs)"
echo "$img"
