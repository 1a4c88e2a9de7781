#!/bin/bash
# bench/boot.sh — boot-time benchmark: hvprobe against a minimal gnu-efi app
# (bench/hello), both booted exactly as run.sh --host tcg boots hvprobe.
# Prints a markdown table of medians on stdout; progress goes to stderr.
set -euo pipefail
shopt -s lastpipe
cd "$(dirname "$0")/.."

usage() {
	cat <<'USAGE'
usage: bench/boot.sh [-n RUNS] [--timeout SECONDS] [--no-make] [--baseline EFI]

Boots hello and hvprobe alternately (hello, hvprobe, hello, ...) RUNS times
each under QEMU TCG + OVMF, and measures the wall time from QEMU start to
  - the final line ("hello: done" / "hvprobe: verdict ..."), and
  - QEMU's exit.
Prints the medians, hvprobe - hello in ms, hvprobe / hello, and the EFI sizes.

  -n RUNS             boots of each image (default 7)
  --timeout SECONDS   per-boot limit (default 60)
  --no-make           use the existing build/hvprobe.efi instead of running make
  --baseline EFI      boot an hvprobe built earlier (EFI) instead of hello, to
                      compare two builds of hvprobe side by side (same config)
  -h, --help          this text

Files: build/bench/ (ISOs, per-boot serial logs in logs/, raw times in runs.tsv).
USAGE
}

runs=7 timeout=60 domake=1 baseline=
while (($#)); do
	case "$1" in
	-n) runs=${2:?}; shift ;;
	--timeout) timeout=${2:?}; shift ;;
	--no-make) domake=0 ;;
	--baseline) baseline=$(realpath "${2:?}") || exit 2; shift ;;
	-h | --help) usage; exit 0 ;;
	*) echo "boot.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
	esac
	shift
done
[[ $runs =~ ^[1-9][0-9]*$ ]] || { echo "boot.sh: -n takes a positive integer" >&2; exit 2; }
[[ $timeout =~ ^[1-9][0-9]*$ ]] || { echo "boot.sh: --timeout takes whole seconds" >&2; exit 2; }

die() { echo "boot.sh: $*" >&2; exit 2; }

out=build/bench
logs=$out/logs
tools/deps.sh run || exit 2
if ((domake)); then
	make -s efi >&2 || die "hvprobe build failed"
fi
[[ -r build/hvprobe.efi ]] || die "build/hvprobe.efi is missing"
# the floor: hello, or an earlier hvprobe (--baseline) with the same config
mkdir -p "$out"
if [[ -n $baseline ]]; then
	base=baseline base_iso=$out/baseline.iso base_mark="hvprobe: verdict " base_status=5
	cp "$baseline" "$out/baseline.efi"
	tools/mkiso.sh "$out/baseline.efi" tools/default.cfg "$base_iso" 2>>"$out/mkiso.stderr" ||
		die "baseline ISO build failed"
else
	base=hello base_iso=$out/hello.iso base_mark="hello: done" base_status=1
	bench/hello/build.sh "$out" || die "hello build failed"
fi
# hvprobe's ISO as run.sh makes it with no --set: tools/default.cfg.
tools/mkiso.sh build/hvprobe.efi tools/default.cfg "$out/hvprobe.iso" 2>"$out/mkiso.stderr" ||
	{ cat "$out/mkiso.stderr" >&2; die "hvprobe ISO build failed"; }
rm -rf "$logs"
mkdir -p "$logs"

ovmf_code=/usr/share/OVMF/OVMF_CODE_4M.fd
ovmf_vars=/usr/share/OVMF/OVMF_VARS_4M.fd
[[ -r $ovmf_code && -r $ovmf_vars ]] || die "OVMF not found in /usr/share/OVMF"

# Firmware writes terminal escape sequences on the serial line: strip them (as run.sh).
strip() { sed -u -e 's/\x1b\[[0-9;?=]*[A-Za-z]//g' -e 's/\x1b[()][A-Z0-9]//g' -e 's/\r//g'; }

# Times are microseconds: ${EPOCHREALTIME/[.,]/} (its separator follows the locale).

# boot NAME ISO MARK LOG — boot ISO once; sets line_us (QEMU start → first line
# containing MARK, -1 if none), exit_us (QEMU start → exit), status, final.
boot() {
	local name=$1 iso=$2 mark=$3 log=$4 t0 t line
	# A fresh private copy each boot: both images start from the same variables.
	cp "$ovmf_vars" "$out/OVMF_VARS.fd"
	# The command line of run.sh, with this ISO.
	# shellcheck disable=SC2054  # commas inside QEMU option values
	local qemu=(qemu-system-x86_64 -machine q35,smm=off -accel tcg -cpu max -m 256M -smp 1
		-nodefaults -display none -no-reboot
		-drive if=pflash,format=raw,unit=0,readonly=on,file="$ovmf_code"
		-drive if=pflash,format=raw,unit=1,file="$out/OVMF_VARS.fd"
		-drive if=none,id=cd,format=raw,media=cdrom,readonly=on,file="$iso"
		-device ide-cd,drive=cd,bootindex=0
		-device isa-debug-exit,iobase=0xf4,iosize=0x04
		-chardev stdio,id=com1,signal=off -serial chardev:com1)
	line_us=-1 final=
	t0=${EPOCHREALTIME/[.,]/}
	# lastpipe: the loop runs in this shell, so line_us and final survive it.
	# No forks in the loop: each line is timed as it arrives.  QEMU's status
	# is the guest's exit code, not an error: no errexit around the pipeline.
	set +e
	timeout --kill-after=5 "$timeout" "${qemu[@]}" </dev/null 2>"$log.stderr" | strip |
		while IFS= read -r line || [[ -n $line ]]; do
			t=${EPOCHREALTIME/[.,]/}
			printf '%s\n' "$line" >&3
			if ((line_us < 0)) && [[ $line == *"$mark"* ]]; then
				line_us=$((t - t0)) final=${line#*"$mark"}
			fi
		done 3>"$log"
	status=${PIPESTATUS[0]}
	t=${EPOCHREALTIME/[.,]/}
	set -e
	exit_us=$((t - t0))
	case "$status" in
	124 | 137) die "$name: timeout after ${timeout}s (log: $log)" ;;
	esac
	((line_us >= 0)) || die "$name: QEMU exited ($status) without '$mark' (log: $log)"
}

# median of integers on stdin (mean of the middle two for an even count)
median() {
	sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2];
		else printf "%d\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

tsv=$out/runs.tsv
printf 'run\timage\tline_us\texit_us\tqemu_status\n' >"$tsv"
hvprobe_verdict=
for ((i = 1; i <= runs; i++)); do
	boot "$base" "$base_iso" "$base_mark" "$logs/$base-$i.log"
	((status == base_status)) || die "$base: QEMU exit status $status, expected $base_status (isa-debug-exit)"
	printf '%d\t%s\t%d\t%d\t%d\n' "$i" "$base" "$line_us" "$exit_us" "$status" >>"$tsv"
	printf 'boot.sh: %d/%d %-8s line %6d ms  exit %6d ms\n' "$i" "$runs" "$base" \
		$((line_us / 1000)) $((exit_us / 1000)) >&2

	boot hvprobe "$out/hvprobe.iso" "hvprobe: verdict " "$logs/hvprobe-$i.log"
	hvprobe_verdict=${final%% *}
	printf '%d\thvprobe\t%d\t%d\t%d\n' "$i" "$line_us" "$exit_us" "$status" >>"$tsv"
	printf 'boot.sh: %d/%d hvprobe  line %6d ms  exit %6d ms  (%s, status %d)\n' "$i" "$runs" \
		$((line_us / 1000)) $((exit_us / 1000)) "$hvprobe_verdict" "$status" >&2
done

col() { awk -F'\t' -v img="$1" -v c="$2" 'NR > 1 && $2 == img { print $c }' "$tsv" | median; }
h_line=$(col "$base" 3) p_line=$(col hvprobe 3)
h_exit=$(col "$base" 4) p_exit=$(col hvprobe 4)
h_size=$(stat -c %s "$out/$base.efi") p_size=$(stat -c %s build/hvprobe.efi)

# ms with one decimal, signed difference, ratio with three decimals
ms() { awk -v u="$1" 'BEGIN { printf "%.1f", u / 1000 }'; }
dms() { awk -v u="$1" 'BEGIN { printf "%+.1f", u / 1000 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'; }
pct() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%+.1f%%", (a / b - 1) * 100 }'; }

cat <<EOF
| median of $runs alternated boots | $base | hvprobe | hvprobe − $base | hvprobe / $base |
|---|---:|---:|---:|---:|
| QEMU start → final line (ms) | $(ms "$h_line") | $(ms "$p_line") | $(dms $((p_line - h_line))) | $(ratio "$p_line" "$h_line") ($(pct "$p_line" "$h_line")) |
| QEMU start → QEMU exit (ms) | $(ms "$h_exit") | $(ms "$p_exit") | $(dms $((p_exit - h_exit))) | $(ratio "$p_exit" "$h_exit") ($(pct "$p_exit" "$h_exit")) |
| EFI binary (bytes) | $h_size | $p_size | $(printf '%+d' $((p_size - h_size))) | $(ratio "$p_size" "$h_size") |

EOF
time_ok=$(awk -v a="$p_line" -v b="$h_line" 'BEGIN { print (a < b * 1.05) ? "met" : "NOT met" }')
size_ok=$( ((p_size < 131072)) && echo met || echo "NOT met")
echo "hvprobe verdict: $hvprobe_verdict. Target: hvprobe's own work adds under 5% to the firmware's time" \
	"($(pct "$p_line" "$h_line") to the final line: $time_ok); the EFI binary stays under 128 KiB" \
	"($p_size bytes: $size_ok)."
