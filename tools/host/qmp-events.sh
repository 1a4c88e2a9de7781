#!/bin/bash
# qmp-events.sh QMP — record QEMU's guest-crash events from its monitor (QMP):
# with hv-crash, a guest that writes CrashNotify into HV_X64_MSR_CRASH_CTL
# makes QEMU emit GUEST_PANICKED with P0-P4 as info.arg1-arg5 (KVM exits with
# KVM_SYSTEM_EVENT_CRASH; QEMU target/i386 x86_cpu_get_crash_info).  Started
# in the background by tools/host/kvm when the hv-* list has hv-crash; one
# line per event on stdout: "qmp: event JSON" (the event as QEMU sent it).
# Ends when killed.  QMP sends no event before qmp_capabilities, hence the
# handshake.  FIFOs QMP.in and QMP.out as in qmp-balloon.sh.
set -uo pipefail
(($# == 1)) || { echo "usage: qmp-events.sh QMP" >&2; exit 1; }
exec {to}<>"$1.in" {from}<>"$1.out" || exit 1
while IFS= read -r -u "$from" line; do
	line=${line%$'\r'}
	case $line in
	'{"QMP"'*) printf '%s\n' '{"execute":"qmp_capabilities"}' >&"$to" ;;
	*'"event": "GUEST_PANICKED"'* | *'"event":"GUEST_PANICKED"'* | *'"event": "GUEST_CRASHLOADED"'*)
		printf 'qmp: event %s\n' "$line" ;;
	esac
done
