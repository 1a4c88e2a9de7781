#!/bin/bash
# bench/idle.sh — what a second of guest idle time costs in wall time on the
# nested host: hvprobe as it is (cpu_wait halts, the local APIC timer ends the
# halt) against the tree before that change (cpu_wait spun with PAUSE).
#
# Each variant boots twice on tools/host/nested (QEMU 10 as L2): with a short
# and a long observation window.  The difference in wall time divided by the
# difference in window is the wall cost of one guest second of waiting, free
# of the boot's own cost.  Prints a markdown table; progress on stderr.
set -euo pipefail
cd "$(dirname "$0")/.."

usage() {
	cat <<'USAGE'
usage: bench/idle.sh [--base REV] [--short S] [--long S] [--only spin|halt]

  --base REV   the spinning tree (default: the parent of the commit that made
               cpu_wait halt)
  --short S    the short observation window (default 2)
  --long S     the long one (default 32)
  --only V     boot only one variant
Files: build/bench/idle/ (the base worktree, ISOs, per-boot logs).
USAGE
}

base=$(git log --format=%h -1 --grep='^kernel/x86: cpu_wait halts')^ short=2 long=32 variants='spin halt'
while (($#)); do
	case "$1" in
	--base) base=${2:?}; shift ;;
	--short) short=${2:?}; shift ;;
	--long) long=${2:?}; shift ;;
	--only) variants=${2:?}; shift ;;
	-h | --help) usage; exit 0 ;;
	*) echo "idle.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
	esac
	shift
done
die() { echo "idle.sh: $*" >&2; exit 2; }
if ! [[ $short =~ ^[0-9]+$ && $long =~ ^[0-9]+$ ]] || ((long <= short)); then
	die "--long must exceed --short"
fi

out=build/bench/idle
rm -rf "$out"
mkdir -p "$out"
make -s efi >&2 || die "build failed"
cp build/hvprobe.efi "$out/halt.efi"
git worktree add -f --detach "$out/base" "$base" >&2 2>/dev/null || die "cannot check out $base"
trap 'git worktree remove --force "$out/base" 2>/dev/null' EXIT
make -s -C "$out/base" efi >&2 || die "build of $base failed"
cp "$out/base/build/hvprobe.efi" "$out/spin.efi"

# boot VARIANT WINDOW: one nested boot; prints its wall seconds
boot() {
	local name=$1-$2 t0
	printf 'expect=qemu\nobserve=%s\n' "$2" >"$out/$name.cfg"
	SOURCE_DATE_EPOCH=1767225600 tools/mkiso.sh "$out/$1.efi" "$out/$name.cfg" "$out/$name.iso" 2>/dev/null ||
		die "ISO build failed"
	t0=$EPOCHREALTIME
	tools/host/nested "$out/$name.iso" "$out/$name" 300 >"$out/$name.serial" 2>"$out/$name.stderr" || true
	grep -q 'hvprobe: verdict PASS' "$out/$name.serial" || die "$name: no PASS (see $out/$name.serial)"
	awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }'
}

echo "| cpu_wait | wall s, observe=$short | wall s, observe=$long | wall s per guest s waited |"
echo "|---|---:|---:|---:|"
for v in $variants; do
	echo "idle.sh: $v: observe=$short, then observe=$long" >&2
	a=$(boot "$v" "$short")
	b=$(boot "$v" "$long")
	echo "| $v | $a | $b | $(awk -v a="$a" -v b="$b" -v d=$((long - short)) 'BEGIN { printf "%.2f", (b - a) / d }') |"
done
