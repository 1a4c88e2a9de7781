#!/bin/bash
# bench/soak.sh [N] — a nested soak: N runs of hvprobe on the nested host
# (./run.sh --host nested --expect qemu), back to back, each with an L1 boot
# of its own (the honest soak: every run goes through the whole chain, outer
# QEMU, L1 kernel and init, L2 QEMU, OVMF, hvprobe, as a user's run does;
# one L1 shared by N runs would soak L2 and hvprobe only), and counts
#   infra  infrastructure failures: L1 did not boot or offered no KVM, the
#          outer QEMU crashed, or time ran out before the guest printed its
#          banner (run.sh exit 2 without hvprobe having started);
#   guest  guest-caused failures: a verdict FAIL, or a guest that started
#          (printed its banner) and then hung (no verdict, or no power-off);
#   pass   the verdict PASS.
# run.sh's own single retry of a recognised launcher failure (status 200-209)
# stays on: a run that needed it is counted as a pass or failure by its end,
# and its retry is shown.  Prints a markdown table (one row per run, then the
# totals) on stdout; progress on stderr.  Files: build/soak/run-I/.
# Exit status: 0 no guest-caused failure, 1 at least one, 2 usage.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2

n=${1:-3}
[[ $n =~ ^[1-9][0-9]*$ ]] || { echo "usage: bench/soak.sh [N]  (N nested runs, default 3)" >&2; exit 2; }
out=build/soak
rm -rf "$out"
mkdir -p "$out"
make -s all hvreport >&2 || { echo "soak.sh: build failed" >&2; exit 2; }

declare -A count=([pass]=0 [guest]=0 [infra]=0)
rows=()
t_all=$SECONDS
for ((i = 1; i <= n; i++)); do
	d=$out/run-$i
	t0=$SECONDS
	./run.sh --host nested --expect qemu --quiet --timeout 120 --out "$d" >/dev/null 2>"$d.stderr"
	st=$? secs=$((SECONDS - t0))
	log=$d/serial.log
	started=0 verdict=
	[[ -r $log ]] && grep -q '^hvprobe .*: Hyper-V guest interface conformance' "$log" && started=1
	[[ -r $log ]] && verdict=$(sed -n 's/^hvprobe: verdict \([A-Z-]*\).*/\1/p' "$log" | tail -n 1)
	retried=$(grep -c 'retrying once' "$d.stderr")
	why=$(grep -v '^hvprobe\|^ *[|+]' "$d.stderr" | tail -n 1 | cut -c1-120)
	if ((st == 0)); then
		class=pass why="verdict PASS"
	elif grep -q 'outer QEMU (TCG) crashed\|L1 got no KVM\|L1: \|before the guest printed anything\|printed nothing' "$d.stderr" ||
		((st == 2 && !started)); then
		class=infra
	elif [[ $verdict == FAIL ]]; then
		class=guest why="verdict FAIL: $(grep -m3 '^not ok' "$log" | sed 's/^not ok [0-9]* - //' | cut -d: -f1 | tr '\n' ' ')"
	elif ((started)); then
		class=guest why="hung after it started: ${why:-no verdict}"
	else
		class=infra
	fi
	count[$class]=$((count[$class] + 1))
	rows+=("| $i | $secs | $st | $class | ${retried:-0} | ${why//|/\\|} |")
	echo "soak.sh: run $i/$n: $class ($st, ${secs} s)" >&2
done

echo "| run | wall s | run.sh status | class | launcher retries | what |"
echo "|---:|---:|---:|---|---:|---|"
printf '%s\n' "${rows[@]}"
echo
echo "$n nested runs in $((SECONDS - t_all)) s: ${count[pass]} passed, ${count[guest]} guest-caused failures, ${count[infra]} infrastructure failures."
((count[guest] == 0))
