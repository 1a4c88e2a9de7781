#!/bin/bash
# run.sh — build hvprobe and run it against a host; see --help.
set -uo pipefail
# --matrix FILE [-j N] [--out DIR] [--only NAMES]: every configuration of FILE,
# merged (tools/matrix/README.md); before the cd, so FILE is the caller's path
if [[ ${1:-} == --matrix ]]; then
	"$(dirname "$0")/tools/deps.sh" run || exit 2
	shift
	exec "$(dirname "$0")/tools/matrix/run" "$@"
fi
cd "$(dirname "$0")" || exit 2

usage() {
	cat <<'USAGE'
usage: ./run.sh [options]

Boots the hvprobe ISO as a guest, streams its serial console to the
terminal and to a log (firmware escape codes removed), writes
results.json, junit.xml and report.html next to the log, prints a summary
table, and exits with the guest's verdict.

  --host HOST         kvm: QEMU -accel kvm with the Hyper-V enlightenments and VMBus
                           (+ hv-balloon): a real Hyper-V interface; needs a KVM with
                           Hyper-V support
                      nested: the same on machines without one: host QEMU (TCG) → L1
                           Linux with KVM → L2 QEMU with Hyper-V; builds its L1 image
                           from Debian packages on first use (root, ~1.5 min), then
                           ~1 min a run (tools/nested/README.md)
                      default: kvm where this machine's KVM offers Hyper-V, else nested
                      tcg: QEMU + OVMF, software CPU, no Hyper-V interface
                      sim: hvsim, the simulated Hyper-V host (a Windows Server 2019
                           host unless --scenario says otherwise)
                      (launchers in tools/host/, contract in tools/host/README.md)
  --config FILE       use FILE as hvprobe.cfg (default: tools/default.cfg)
  --set KEY=VALUE     add a line to hvprobe.cfg (repeatable; wins over --config)
  --scenario FILE     with --host sim: a scenario (tests/sim/*.scn) for the host
  --expect PROFILE    hyperv, qemu, none (tools/profiles/*.cfg) or a file of your
                      own: what the host must provide (written into hvprobe.cfg)
  --iso-only          only build OUT/hvprobe.iso with this hvprobe.cfg, for use
                      elsewhere (e.g. tools/hyperv/Run-HvProbe.ps1)
  --l2-qemu VERSION   with --host nested: L2's QEMU, 10 (Debian 13, default) or 7.2
                      (Debian 12: VMBus with no device)
  --smp N             the guest's vCPUs: 1 (default), 2 or 4 (tcg, kvm, nested)
  --hv-flags LIST     with --host kvm or nested: the Hyper-V enlightenments QEMU
                      offers, comma-separated, instead of the full set
                      (hv-relaxed,hv-vapic,hv-vpindex,hv-runtime,hv-time,hv-synic,
                      hv-stimer,hv-frequencies); e.g. hv-relaxed,hv-vpindex,hv-time
                      (no SynIC, so no VMBus: vmbus-bridge and hv-balloon are left
                      out) or a subset with hv-enforce-cpuid
  --balloon MIB       with --host kvm or nested (QEMU 10): a Dynamic Memory cycle
                      through QEMU's monitor: lower the guest's target by MIB, then
                      raise it back (tools/host/qmp-balloon.sh); the guest observes
                      for 70 s unless --set observe= says otherwise, as hv-balloon
                      waits 50 s before its first request; exit status 1 when the
                      cycle did not complete
  --timeout SECONDS   give up on the guest after this long (default 120)
  --out DIR           where the log, ISO and firmware variables go (default build/run)
  --quiet             do not stream the console, only print the verdict
  --matrix FILE [-j N] (first option) run every host configuration in FILE
                      (tools/matrix/README.md), N at a time (default: one per core),
                      into build/matrix/NAME: matrix.html, matrix.json, junit.xml;
                      exit 0 all as wanted, 1 one not, 2 an infrastructure failure
  -h, --help          this text

hvprobe.cfg keys: expect=none|qemu|hyperv, observe=SECONDS,
finish=poweroff|reboot|serve, deadline=SECONDS, verbose=0|1,
fault=none|page_fault|gp|ud|divide|assert|hang (self-test of the failure path).

Exit status: 0 PASS, 1 FAIL, 2 infrastructure failure (missing tool,
timeout, QEMU crash), 3 NO-HYPERV (the host has no Hyper-V interface).
USAGE
}

host='' config=tools/default.cfg timeout=120 out=build/run quiet=0 expect='' iso_only=0
sets=()
while (($#)); do
	case "$1" in
	--host) host=${2:?}; shift ;;
	--config) config=${2:?}; shift ;;
	--set) sets+=("${2:?}"); shift ;;
	--expect) expect=${2:?}; shift ;;
	--iso-only) iso_only=1 ;;
	--scenario) HVPROBE_SCENARIO=$(realpath "${2:?}") || exit 2; export HVPROBE_SCENARIO; shift ;;
	--l2-qemu) HVPROBE_L2_QEMU=${2:?}; export HVPROBE_L2_QEMU; shift ;;
	--smp) HVPROBE_SMP=${2:?}; export HVPROBE_SMP; shift ;;
	--balloon) HVPROBE_BALLOON=${2:?}; export HVPROBE_BALLOON; shift ;;
	--hv-flags) HVPROBE_HV_FLAGS=${2:?}; export HVPROBE_HV_FLAGS; shift ;;
	--timeout) timeout=${2:?}; shift ;;
	--out) out=${2:?}; shift ;;
	--quiet) quiet=1 ;;
	-h | --help) usage; exit 0 ;;
	*) echo "run.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
	esac
	shift
done

infra() { echo "run.sh: infrastructure failure: $*" >&2; exit 2; }

# No --host: a real Hyper-V interface, directly where this machine's KVM has one.
((iso_only)) && host=${host:-tcg} # no host is booted: skip choosing one
if [[ -z $host ]]; then
	if why=$(tools/host/kvm --check 2>&1); then
		host=kvm
	else
		host=nested
		echo "run.sh: using --host nested (${why#kvm: }); --host tcg for QEMU without Hyper-V" >&2
	fi
fi
[[ ${HVPROBE_L2_QEMU:-10} =~ ^(10|7\.2)$ ]] || infra "--l2-qemu takes 10 or 7.2"
[[ ${HVPROBE_SMP:-1} =~ ^[124]$ ]] || infra "--smp takes 1, 2 or 4"
if [[ -n ${HVPROBE_HV_FLAGS:-} ]]; then
	[[ $HVPROBE_HV_FLAGS =~ ^hv-[a-z0-9-]+(=[a-z0-9]+)?(,hv-[a-z0-9-]+(=[a-z0-9]+)?)*$ ]] ||
		infra "--hv-flags takes a comma-separated list of hv-* flags"
	[[ $host == kvm || $host == nested ]] || infra "--hv-flags needs --host kvm or nested"
fi
balloon_sets=()
if [[ -n ${HVPROBE_BALLOON:-} ]]; then
	[[ $HVPROBE_BALLOON =~ ^[1-9][0-9]*$ ]] || infra "--balloon takes MiB"
	[[ $host == kvm || $host == nested ]] || infra "--balloon needs --host kvm or nested"
	balloon_sets=(observe=70) # before --set lines: a user's observe= wins
fi

[[ -x tools/host/$host ]] || infra "unknown host '$host' (one of: $(ls tools/host | grep -v '\.' | tr '\n' ' '))"
[[ -r $config ]] || infra "cannot read config '$config'"
[[ $timeout =~ ^[0-9]+$ ]] || infra "--timeout takes whole seconds"

tools/deps.sh run || exit 2
make -s all hvreport >&2 || infra "build failed"

mkdir -p "$out" || infra "cannot create '$out'"
cfg="$out/hvprobe.cfg" iso="$out/hvprobe.iso" log="$out/serial.log"
# an expectation profile: a built-in name (tools/profiles/NAME.cfg) or a file
profile=''
if [[ -n $expect ]]; then
	if [[ -r tools/profiles/$expect.cfg && $expect != */* ]]; then
		profile=tools/profiles/$expect.cfg
	elif [[ -r $expect ]]; then
		profile=$expect
	else
		infra "--expect: '$expect' is neither hyperv, qemu, none nor a readable file"
	fi
fi
{
	cat "$config"
	[[ -z $profile ]] || cat "$profile"
	printf '%s\n' "${balloon_sets[@]+"${balloon_sets[@]}"}" "${sets[@]+"${sets[@]}"}"
} >"$cfg"
SOURCE_DATE_EPOCH=1767225600 tools/mkiso.sh build/hvprobe.efi "$cfg" "$iso" 2>/dev/null ||
	infra "ISO build failed"
if ((iso_only)); then
	echo "run.sh: $iso (with $cfg): boot it on any host" >&2
	exit 0
fi

# Firmware writes terminal escape sequences on the serial line: strip them.
strip() { sed -u -e 's/\x1b\[[0-9;?=]*[A-Za-z]//g' -e 's/\x1b[()][A-Z0-9]//g' -e 's/\r//g'; }

# launch: one boot through tools/host/$host (contract in tools/host/README.md)
launch() {
	if ((quiet)); then
		tools/host/"$host" "$iso" "$out" "$timeout" 2>"$out/host.stderr" | strip >"$log"
	else
		tools/host/"$host" "$iso" "$out" "$timeout" 2>"$out/host.stderr" | strip | tee "$log"
	fi
	qemu_status=${PIPESTATUS[0]}
}

launch
# infrastructure failures the launcher recognised are retried once
if ((qemu_status >= 200 && qemu_status < 210)); then
	echo "run.sh: $host: $(tail -n 1 "$out/host.stderr") (status $qemu_status); retrying once" >&2
	launch
	((qemu_status >= 200 && qemu_status < 210)) &&
		infra "$host: $(tail -n 1 "$out/host.stderr") (status $qemu_status, twice)"
fi

# results.json, junit.xml and report.html next to the log, and the summary table
build/hvreport "$log" "$out" >&2 || true

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
*) [[ -n $verdict ]] || infra "$host exited with status $qemu_status before a verdict ($(tail -n 2 "$out/host.stderr" | tr '\n' ' '))"
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
# --balloon: the host's side of the cycle (qmp-balloon.sh) must have completed too
if [[ -n ${HVPROBE_BALLOON:-} ]]; then
	grep '^balloon: ' "$out/host.stderr" | sed 's/^/run.sh: /' >&2
	if ! grep -q '^balloon: cycle complete$' "$out/host.stderr"; then
		echo "run.sh: the balloon cycle did not complete (see $out/host.stderr)" >&2
		exit 1
	fi
fi
case "$verdict" in
PASS) exit 0 ;;
NO-HYPERV) exit 3 ;;
*) exit 1 ;;
esac
