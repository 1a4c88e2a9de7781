#!/bin/bash
# run.sh — build hvprobe and run it against a host; see --help.
set -uo pipefail
cd "$(dirname "$0")"

usage() {
	cat <<'USAGE'
usage: ./run.sh [options]

Boots the hvprobe ISO as a guest, streams its serial console to the
terminal and to a log (firmware escape codes removed), and exits with the
guest's verdict.

  --host tcg          QEMU + OVMF, software CPU, no Hyper-V interface (default)
  --config FILE       use FILE as hvprobe.cfg (default: tools/default.cfg)
  --set KEY=VALUE     add a line to hvprobe.cfg (repeatable; wins over --config)
  --timeout SECONDS   give up on the guest after this long (default 120)
  --out DIR           where the log, ISO and firmware variables go (default build/run)
  --quiet             do not stream the console, only print the verdict
  -h, --help          this text

hvprobe.cfg keys: expect=none|qemu|hyperv, observe=SECONDS,
finish=poweroff|reboot|serve, deadline=SECONDS, verbose=0|1,
fault=none|page_fault|gp|ud|divide|assert|hang (self-test of the failure path).

Exit status: 0 PASS, 1 FAIL, 2 infrastructure failure (missing tool,
timeout, QEMU crash), 3 NO-HYPERV (the host has no Hyper-V interface).
USAGE
}

host=tcg config=tools/default.cfg timeout=120 out=build/run quiet=0
sets=()
while (($#)); do
	case "$1" in
	--host) host=${2:?}; shift ;;
	--config) config=${2:?}; shift ;;
	--set) sets+=("${2:?}"); shift ;;
	--timeout) timeout=${2:?}; shift ;;
	--out) out=${2:?}; shift ;;
	--quiet) quiet=1 ;;
	-h | --help) usage; exit 0 ;;
	*) echo "run.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
	esac
	shift
done

infra() { echo "run.sh: infrastructure failure: $*" >&2; exit 2; }

case "$host" in
tcg) ;;
sim | kvm | nested) infra "--host $host is not available in this version" ;;
*) infra "unknown host '$host' (tcg)" ;;
esac
[[ -r $config ]] || infra "cannot read config '$config'"
[[ $timeout =~ ^[0-9]+$ ]] || infra "--timeout takes whole seconds"

tools/deps.sh run || exit 2
make -s all >&2 || infra "build failed"

mkdir -p "$out" || infra "cannot create '$out'"
cfg="$out/hvprobe.cfg" iso="$out/hvprobe.iso" log="$out/serial.log"
{ cat "$config"; printf '%s\n' "${sets[@]+"${sets[@]}"}"; } >"$cfg"
SOURCE_DATE_EPOCH=1767225600 tools/mkiso.sh build/hvprobe.efi "$cfg" "$iso" 2>/dev/null ||
	infra "ISO build failed"

ovmf_code=/usr/share/OVMF/OVMF_CODE_4M.fd
ovmf_vars=/usr/share/OVMF/OVMF_VARS_4M.fd
[[ -r $ovmf_code && -r $ovmf_vars ]] || infra "OVMF not found in /usr/share/OVMF"
# a private copy: booting would otherwise write into the package's template
cp "$ovmf_vars" "$out/OVMF_VARS.fd"

qemu=(qemu-system-x86_64 -machine q35,smm=off -accel tcg -cpu max -m 256M -smp 1
	-nodefaults -display none -no-reboot
	-drive if=pflash,format=raw,unit=0,readonly=on,file="$ovmf_code"
	-drive if=pflash,format=raw,unit=1,file="$out/OVMF_VARS.fd"
	-drive if=none,id=cd,format=raw,media=cdrom,readonly=on,file="$iso"
	-device ide-cd,drive=cd,bootindex=0
	-device isa-debug-exit,iobase=0xf4,iosize=0x04
	-chardev stdio,id=com1,signal=off -serial chardev:com1)

# Firmware writes terminal escape sequences on the serial line: strip them.
strip() { sed -u -e 's/\x1b\[[0-9;?=]*[A-Za-z]//g' -e 's/\x1b[()][A-Z0-9]//g' -e 's/\r//g'; }

if ((quiet)); then
	timeout --kill-after=5 "$timeout" "${qemu[@]}" </dev/null 2>"$out/qemu.stderr" | strip >"$log"
else
	timeout --kill-after=5 "$timeout" "${qemu[@]}" </dev/null 2>"$out/qemu.stderr" | strip | tee "$log"
fi
qemu_status=${PIPESTATUS[0]}

verdict=$(sed -n 's/^hvprobe: verdict \([A-Z-]*\).*/\1/p' "$log" | tail -n 1)
# isa-debug-exit: the guest's status v becomes (v << 1) | 1
case "$qemu_status" in
1) exit_verdict=PASS ;;
3) exit_verdict=FAIL ;;
5) exit_verdict=NO-HYPERV ;;
0) exit_verdict=$verdict ;; # powered off through UEFI ResetSystem
124 | 137) [[ -n $verdict ]] || infra "timeout: no verdict after ${timeout}s (log: $log)"
	echo "run.sh: the guest printed its verdict but did not power off within ${timeout}s" >&2
	exit 1 ;;
*) [[ -n $verdict ]] || infra "QEMU exited with status $qemu_status before a verdict ($(tail -n 2 "$out/qemu.stderr" | tr '\n' ' '))"
	exit_verdict=$verdict ;;
esac
if [[ -z $verdict ]]; then
	echo "run.sh: the guest exited ($exit_verdict) without printing a verdict line" >&2
	exit 1
fi
if [[ $exit_verdict != "$verdict" ]]; then
	echo "run.sh: verdict line says $verdict but the exit status says $exit_verdict" >&2
	exit 1
fi
echo "run.sh: verdict $verdict (log: $log)" >&2
case "$verdict" in
PASS) exit 0 ;;
NO-HYPERV) exit 3 ;;
*) exit 1 ;;
esac
