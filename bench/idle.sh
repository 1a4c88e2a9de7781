#!/bin/bash
# bench/idle.sh — what a second of guest idle time costs in wall time on the
# nested host: hvprobe as it is (cpu_wait halts, the local APIC timer ends the
# halt) against the tree before that change (cpu_wait spun with PAUSE).
#
# Each variant boots on tools/host/nested (QEMU 10 as L2) with a short and a
# long observation window, RUNS times, the four boots interleaved.  The
# difference of the median wall times divided by the difference in window is
# the wall cost of one guest second of waiting, free of the boot's own cost.
# Prints a markdown table of medians; progress on stderr.
set -euo pipefail
cd "$(dirname "$0")/.."

usage() {
	cat <<'USAGE'
usage: bench/idle.sh [-n RUNS] [--base REV] [--short S] [--long S] [--only spin|halt]

  -n RUNS      boots of each variant and window (default 3)

  --base REV   the spinning tree (default: the parent of the commit that made
               cpu_wait halt)
  --short S    the short observation window (default 2)
  --long S     the long one (default 32)
  --only V     boot only one variant
Files: build/bench/idle/ (the base worktree, ISOs, per-boot logs).
USAGE
}

base=$(git log --format=%h -1 --grep='^kernel/x86: cpu_wait halts')^ short=2 long=32 variants='spin halt' runs=3
while (($#)); do
	case "$1" in
	-n) runs=${2:?}; shift ;;
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
[[ $runs =~ ^[1-9][0-9]*$ ]] || die "-n takes a positive integer"

out=build/bench/idle
rm -rf "$out"
mkdir -p "$out"
make -s efi >&2 || die "build failed"
cp build/hvprobe.efi "$out/halt.efi"
git worktree add -f --detach "$out/base" "$base" >&2 2>/dev/null || die "cannot check out $base"
trap 'git worktree remove --force "$out/base" 2>/dev/null' EXIT
make -s -C "$out/base" efi >&2 || die "build of $base failed"
cp "$out/base/build/hvprobe.efi" "$out/spin.efi"

# boot VARIANT WINDOW RUN: one nested boot; appends its wall seconds to VARIANT-WINDOW.times
boot() {
	local name=$1-$2 t0
	if [[ ! -r $out/$name.iso ]]; then
		printf 'expect=qemu\nobserve=%s\n' "$2" >"$out/$name.cfg"
		SOURCE_DATE_EPOCH=1767225600 tools/mkiso.sh "$out/$1.efi" "$out/$name.cfg" "$out/$name.iso" 2>/dev/null ||
			die "ISO build failed"
	fi
	echo "idle.sh: run $3: $1, observe=$2" >&2
	t0=$EPOCHREALTIME
	tools/host/nested "$out/$name.iso" "$out/$name-$3" 300 >"$out/$name-$3.serial" 2>"$out/$name-$3.stderr" || true
	grep -q 'hvprobe: verdict PASS' "$out/$name-$3.serial" || die "$name: no PASS (see $out/$name-$3.serial)"
	awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f\n", b - a }' >>"$out/$name.times"
}

median() { sort -n "$1" | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

for ((i = 1; i <= runs; i++)); do
	for v in $variants; do
		boot "$v" "$short" "$i"
		boot "$v" "$long" "$i"
	done
done
echo "| cpu_wait | median wall s, observe=$short | median wall s, observe=$long | wall s per guest s waited | runs |"
echo "|---|---:|---:|---:|---:|"
for v in $variants; do
	a=$(median "$out/$v-$short.times") b=$(median "$out/$v-$long.times")
	echo "| $v | $a | $b | $(awk -v a="$a" -v b="$b" -v d=$((long - short)) 'BEGIN { printf "%.2f", (b - a) / d }') | $runs |"
done
