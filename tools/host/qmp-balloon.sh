#!/bin/bash
# qmp-balloon.sh QMP MEM SHRINK DEADLINE — one Dynamic Memory cycle driven
# through QEMU's monitor, as a Hyper-V host's management would: lower the
# guest's target from MEM to MEM-SHRINK MiB, wait until QEMU's hv-balloon
# holds the pages the guest gave, read the guest's last status report, raise
# the target back to MEM and wait until the guest has its pages again.
# Started in the background by tools/host/kvm (HVPROBE_BALLOON=SHRINK).
#
# QMP is QEMU's JSON monitor on a pipe chardev: we write QMP.in, read
# QMP.out (FIFOs the launcher made).  One line per step on stderr, prefixed
# "balloon: "; the last is "balloon: cycle complete" or "balloon: FAILED: why".
# Exit status 0 when the cycle completed, 1 otherwise.  Waiting for the
# inflation gives up DEADLINE seconds after the target was set.
#
# Why the target is set at once: hv-balloon keeps a new target until its
# post-init wait ends (50 s after the guest's capabilities report: the delay
# Hyper-V uses, since some Windows guests crash on earlier requests), then
# asks the guest for the difference.  So the first step takes ~50 s.
set -uo pipefail

(($# == 4)) || { echo "usage: qmp-balloon.sh QMP MEM SHRINK DEADLINE" >&2; exit 1; }
qmp=$1 mem=$2 shrink=$3 deadline=$4
MiB=1048576

say() { echo "balloon: $*" >&2; }
fail() { say "FAILED: $*"; exit 1; }

# Read-write opens of a FIFO never block, whether or not QEMU has it open yet.
exec {to}<>"$qmp.in" {from}<>"$qmp.out" || fail "cannot open $qmp.in and $qmp.out"

# next_line SECONDS: the next line from QEMU into $line (no CR); false on timeout
next_line() {
	IFS= read -r -t "$1" -u "$from" line || return 1
	line=${line%$'\r'}
}

# cmd JSON: send a command, leave its answer (events skipped) in $reply;
# an error answer or none within 30 s fails the cycle
cmd() {
	printf '%s\n' "$1" >&"$to"
	while next_line 30; do
		case $line in
		'{"return"'*) reply=$line; return 0 ;;
		'{"error"'*) fail "$1 answered $line" ;;
		esac # an event ({"timestamp": ..., "event": ...})
	done
	fail "no answer to $1 within 30 s"
}

# actual: the guest's memory as QEMU counts it (MiB): RAM minus ballooned pages
actual() {
	cmd '{"execute":"query-balloon"}'
	[[ $reply =~ \"actual\":\ *([0-9]+) ]] || fail "query-balloon answered $reply"
	echo $((BASH_REMATCH[1] / MiB))
}

# set_target MIB
set_target() {
	cmd "{\"execute\":\"balloon\",\"arguments\":{\"value\":$(($1 * MiB))}}"
}

# wait_for below|above MIB SECONDS: poll until actual is at most (below) or at
# least (above) MIB, leaving it in $now; false on timeout
wait_for() {
	local end=$((SECONDS + $3))
	while ((SECONDS < end)); do
		now=$(actual) || exit 1
		case $1 in
		below) ((now <= $2)) && return 0 ;;
		above) ((now >= $2)) && return 0 ;;
		esac
		sleep 1
	done
	return 1
}

line=
while next_line 120; do
	[[ $line == '{"QMP"'* ]] && break
done
[[ $line == '{"QMP"'* ]] || fail "no QMP greeting from QEMU within 120 s"
cmd '{"execute":"qmp_capabilities"}'

start=$(actual) || exit 1
((start == mem)) || fail "QEMU reports $start MiB before any request, not the guest's $mem MiB"
target=$((mem - shrink))
set_target "$target"
t0=$SECONDS
say "target $target MiB set (from $mem MiB); hv-balloon asks the guest after its 50 s post-init wait"
wait_for below "$target" "$deadline" ||
	fail "the guest still has $now MiB $((SECONDS - t0)) s after the target was set to $target MiB"
say "inflated: QEMU reports $now MiB $((SECONDS - t0)) s after the target was set"

cmd '{"execute":"query-hv-balloon-status-report"}'
[[ $reply =~ \"committed\":\ *([0-9]+) ]] ||
	fail "query-hv-balloon-status-report answered $reply"
committed=${BASH_REMATCH[1]}
[[ $reply =~ \"available\":\ *([0-9]+) ]] ||
	fail "query-hv-balloon-status-report answered $reply"
say "status report: guest committed $((committed / MiB)) MiB, available $((BASH_REMATCH[1] / MiB)) MiB"

set_target "$mem"
t0=$SECONDS
wait_for above "$mem" 60 ||
	fail "the guest has $now MiB 60 s after the target was raised back to $mem MiB"
say "deflated: QEMU reports $now MiB $((SECONDS - t0)) s after the target was raised back"
say "cycle complete"
