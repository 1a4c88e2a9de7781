#!/bin/bash
# bench/nested.sh — the nested Hyper-V host (tools/host/nested): how long
# from L2 QEMU's start to the VMBus milestone, hvprobe against Debian's own
# Linux kernel, both booted as L2 in ONE nested run (one L1), alternately.
# Prints a markdown table of medians on stdout; progress goes to stderr.
#
# The Linux L2 is the bookworm kernel of the L1 image (SeaBIOS, -kernel, an
# initramfs holding only bench/vmbus-init.c and hv_vmbus.ko), with the same
# machine, hv-* flags and VMBus devices as hvprobe's L2 (tools/host/kvm); its
# milestone is "hv_vmbus: Vmbus version:".  hvprobe's milestone is its
# vmbus.connect result line once it connects to VMBus; until then, its
# verdict line, and the output says so.
#
# Times are host wall clock (bash EPOCHREALTIME) at the moment each line
# reaches the host: L1's job writes "BENCH-START kind n" on L2's console just
# before starting L2's QEMU, "BENCH-END kind n status" after it exits.  The
# table also gives each guest's own clock at its milestone (hvprobe's t_ms
# from efi_main, Linux's printk time from kernel start): under the outer
# QEMU's -icount those count instructions (1 ns each), not wall time.
set -euo pipefail
shopt -s lastpipe
cd "$(dirname "$0")/.."

usage() {
	cat <<'USAGE'
usage: bench/nested.sh [-n RUNS] [--l2-qemu 10|7.2] [--timeout SECONDS] [--no-make]

In one nested run (host QEMU TCG → L1 Linux KVM), boots hvprobe and a Linux
L2 alternately (hvprobe, Linux, hvprobe, ...) RUNS times each, and measures
from each L2 QEMU's start to
  - the VMBus milestone: Linux "hv_vmbus: Vmbus version:"; hvprobe's
    vmbus.connect line, or its verdict line while it has none, and
  - that L2 QEMU's exit.
Prints medians as a markdown table.

  -n RUNS             L2 boots of each kind (default 3)
  --l2-qemu VERSION   L2's QEMU: 10 (default) or 7.2
  --timeout SECONDS   per L2 boot, in L1's (instruction-counted) time (default 60)
  --no-make           use the existing build/hvprobe.efi instead of running make
  -h, --help          this text

Files: build/bench-nested/ (the L2 console in console.log, L1's in l1/,
raw times in runs.tsv).
USAGE
}

runs=3 timeout=60 domake=1 l2q=10
while (($#)); do
	case "$1" in
	-n) runs=${2:?}; shift ;;
	--l2-qemu) l2q=${2:?}; shift ;;
	--timeout) timeout=${2:?}; shift ;;
	--no-make) domake=0 ;;
	-h | --help) usage; exit 0 ;;
	*) echo "nested.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
	esac
	shift
done
die() { echo "nested.sh: $*" >&2; exit 2; }
[[ $runs =~ ^[1-9][0-9]*$ ]] || die "-n takes a positive integer"
[[ $timeout =~ ^[1-9][0-9]*$ ]] || die "--timeout takes whole seconds"
case "$l2q" in 10) suite=trixie ;; 7.2) suite=bookworm ;; *) die "--l2-qemu takes 10 or 7.2" ;; esac

out=build/bench-nested
# shift=0 rather than the launcher's shift=2: at shift=2 the Linux L2 hung in
# 2 of 4 boots (PCI/ACPI set-up, never reaching VMBus); at shift=0, 0 of 5.
export HVPROBE_ICOUNT=${HVPROBE_ICOUNT-shift=0,sleep=off}
tools/deps.sh run || exit 2
command -v gcc >/dev/null || die "gcc is needed for the Linux L2's init"
if ((domake)); then
	make -s efi >&2 || die "hvprobe build failed"
fi
[[ -r build/hvprobe.efi ]] || die "build/hvprobe.efi is missing"
img=$(tools/nested/build.sh "$suite") || die "the nested L1 image could not be built"
rm -rf "$out"
mkdir -p "$out/job" "$out/l2root/modules" "$out/l1"

# hvprobe as the interop tests run it: a Hyper-V host must be there
{ cat tools/default.cfg; echo expect=qemu; } >"$out/hvprobe.cfg"
tools/mkiso.sh build/hvprobe.efi "$out/hvprobe.cfg" "$out/hvprobe.iso" 2>"$out/mkiso.stderr" ||
	{ cat "$out/mkiso.stderr" >&2; die "hvprobe ISO build failed"; }

# The Linux L2: the L1 image's kernel and an initramfs that loads hv_vmbus.
gcc -static -Os -Wall -Wextra -Werror -o "$out/l2root/init" bench/vmbus-init.c || die "vmbus-init build failed"
cp "$img"/modules/* "$out/l2root/modules/"
(cd "$out/l2root" && find . -mindepth 1 | cpio -o -H newc --quiet) >"$out/job/linux-initrd.cpio"
cp "$img/vmlinuz" "$out/job/vmlinuz"
printf 'RUNS=%s\nL2_TIMEOUT=%s\n' "$runs" "$timeout" >"$out/job/env"
# L1's job (tools/nested/init runs /job/run OUTDIR TIMEOUT, stdout on L2's console)
cat >"$out/job/run" <<'JOB'
#!/bin/bash
# bench/nested.sh's job in L1: RUNS x (hvprobe, Linux) L2 boots, marked on L2's console.
l2out=$1
. /job/env
hv=hv-relaxed,hv-vapic,hv-vpindex,hv-runtime,hv-time,hv-synic,hv-stimer,hv-frequencies
dev=(-device vmbus-bridge)
[[ ${HVPROBE_HV_BALLOON:-0} == 1 ]] && dev+=(-device hv-balloon)
for ((i = 1; i <= RUNS; i++)); do
	printf '\nBENCH-START hvprobe %d\n' "$i"
	/job/kvm /job/hvprobe.iso "$l2out/hvprobe-$i" "$L2_TIMEOUT" 2>>"$l2out/bench.stderr"
	printf '\nBENCH-END hvprobe %d %d\n' "$i" "$?"
	printf '\nBENCH-START linux %d\n' "$i"
	timeout --kill-after=5 "$L2_TIMEOUT" qemu-system-x86_64 -machine q35,smm=off -accel kvm \
		-cpu host,kvm=off,$hv -m 256 -smp 1 -nodefaults -display none -no-reboot "${dev[@]}" \
		-kernel /job/vmlinuz -initrd /job/linux-initrd.cpio -append "console=ttyS0 panic=-1" \
		-chardev stdio,id=com1,signal=off -serial chardev:com1 </dev/null 2>>"$l2out/bench.stderr"
	printf '\nBENCH-END linux %d %d\n' "$i" "$?"
done
JOB
chmod +x "$out/job/run"

strip() { sed -u -e 's/\x1b\[[0-9;?=]*[A-Za-z]//g' -e 's/\x1b[()][A-Z0-9]//g' -e 's/\r//g'; }
us() { echo "${EPOCHREALTIME/[.,]/}"; }

# one_run: the whole nested run; fills the arrays below, sets st
declare -A start end mile what status gclock
one_run() {
	start=() end=() mile=() what=() status=() gclock=()
	local t0 cur='' line t
	t0=$(us) l1_us=-1
	set +e
	HVPROBE_L2_QEMU=$l2q HVPROBE_SMP=1 HVPROBE_NESTED_JOB=$out/job \
		tools/host/nested "$out/hvprobe.iso" "$out/l1" $((runs * 2 * timeout)) 2>"$out/host.stderr" |
		strip | while IFS= read -r line; do
		t=$(us)
		printf '%s\n' "$line" >>"$out/console.log"
		case "$line" in
		"BENCH-START "*)
			read -r _ kind n <<<"$line"
			cur=$kind.$n start[$cur]=$t
			((l1_us >= 0)) || l1_us=$((t - t0))
			echo "nested.sh: L2 $kind #$n started" >&2 ;;
		"BENCH-END "*)
			read -r _ kind n s <<<"$line"
			end[$kind.$n]=$t status[$kind.$n]=$s cur='' ;;
		*"hv_vmbus: Vmbus version:"*)
			[[ -n $cur && -z ${mile[$cur]:-} ]] && mile[$cur]=$t what[$cur]="Vmbus version line" &&
				gclock[$cur]=$(sed -n 's/^\[ *\([0-9]*\)\.\([0-9]\{3\}\).*/\1\2/p' <<<"$line") ;;
		'{"check":"vmbus.connect"'*)
			[[ -n $cur ]] && gclock[$cur]=$(sed -n 's/.*"t_ms":\([0-9]*\).*/\1/p' <<<"$line") ;;
		"ok "*" - vmbus.connect"* | "not ok "*" - vmbus.connect"*)
			[[ -n $cur ]] && mile[$cur]=$t what[$cur]="vmbus.connect line" ;;
		"hvprobe: verdict "*)
			[[ -n $cur && -z ${mile[$cur]:-} ]] && mile[$cur]=$t what[$cur]="verdict line" ;;
		esac
	done
	st=${PIPESTATUS[0]}
	set -e
}

: >"$out/console.log"
echo "nested.sh: one nested run, $runs x (hvprobe, Linux) L2 boots, L2 QEMU $l2q" >&2
one_run
if ((st >= 200 && st <= 209)); then
	echo "nested.sh: $(tail -n 1 "$out/host.stderr") (status $st); retrying once" >&2
	: >"$out/console.log"
	one_run
fi
((st == 0)) || die "the nested run failed with status $st: $(tail -n 1 "$out/host.stderr")"

# median of the arguments (mean of the middle two for an even count)
median() {
	printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END {
		if (NR == 0) print "n/a"; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
ms() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.0f", (b - a) / 1000 }'; }

printf 'kind\trun\tstart_to_milestone_ms\tmilestone\tstart_to_exit_ms\tl2_status\tguest_clock_ms\n' >"$out/runs.tsv"
declare -A m_ms e_ms g_ms n_ok
for kind in hvprobe linux; do
	m=() e=() g=()
	for ((i = 1; i <= runs; i++)); do
		k=$kind.$i
		# a boot that hung (L1's timeout ended it) is counted, not timed
		if [[ -z ${start[$k]:-} || -z ${end[$k]:-} || -z ${mile[$k]:-} ]]; then
			echo "nested.sh: L2 $kind #$i did not reach its milestone (status ${status[$k]:-none}; see $out/console.log)" >&2
			printf '%s\t%d\t\t\t\t%s\t\n' "$kind" "$i" "${status[$k]:-none}" >>"$out/runs.tsv"
			continue
		fi
		m+=("$(ms "${start[$k]}" "${mile[$k]}")") e+=("$(ms "${start[$k]}" "${end[$k]}")")
		[[ -n ${gclock[$k]:-} ]] && g+=("${gclock[$k]}")
		printf '%s\t%d\t%s\t%s\t%s\t%s\t%s\n' "$kind" "$i" "${m[-1]}" "${what[$k]}" "${e[-1]}" "${status[$k]}" \
			"${gclock[$k]:-}" >>"$out/runs.tsv"
	done
	n_ok[$kind]=${#m[@]}
	((${#m[@]})) || die "no $kind L2 reached its milestone (see $out/console.log)"
	m_ms[$kind]=$(median "${m[@]}") e_ms[$kind]=$(median "${e[@]}")
	g_ms[$kind]=n/a
	((${#g[@]} == 0)) || g_ms[$kind]=$(median "${g[@]}")
done
hv_what=$(for k in "${!what[@]}"; do if [[ $k == hvprobe.* ]]; then echo "${what[$k]}"; fi; done | sort -u | head -n 1)
sec() { awk -v v="$1" 'BEGIN { printf "%.1f", v / 1000 }'; }

kv=$(sed -n 's/^kernel [^ ]* //p' "$img/versions")
echo "| median of the alternated L2 boots in one L1 | hvprobe (OVMF, UEFI) | Linux $kv (SeaBIOS, -kernel) |"
echo "|---|---:|---:|"
echo "| boots that reached the milestone | ${n_ok[hvprobe]} of $runs | ${n_ok[linux]} of $runs |"
echo "| L2 QEMU start → milestone (s) | $(sec "${m_ms[hvprobe]}") ($hv_what) | $(sec "${m_ms[linux]}") (Vmbus version line) |"
echo "| L2 QEMU start → L2 QEMU exit (s) | $(sec "${e_ms[hvprobe]}") | $(sec "${e_ms[linux]}") |"
gsec() { if [[ $1 == n/a ]]; then echo n/a; else sec "$1"; fi; }
echo "| the guest's own clock at the milestone (s) | $(gsec "${g_ms[hvprobe]}") (t_ms, from efi_main) | $(gsec "${g_ms[linux]}") (printk time, from kernel start) |"
echo
echo "Host QEMU start → first L2 start (L1 boot): $(sec $((l1_us / 1000))) s.  Outer QEMU: -icount ${HVPROBE_ICOUNT:-none} (guest clocks count instructions).  L2 QEMU: $(sed -n 's/^qemu-version //p' "$img/versions"), L1 image $(basename "$img")."
if [[ $hv_what == "verdict line" ]]; then
	echo
	echo "hvprobe does not connect to VMBus yet: its milestone is its verdict line"
	echo "(\"hvprobe: verdict ...\"), not a VMBus version; the comparison is its whole run vs Linux's boot to VMBus."
fi
