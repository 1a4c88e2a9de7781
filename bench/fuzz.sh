#!/bin/bash
# bench/fuzz.sh [RUNS [BUDGET [TARGET[:SECONDS]...]]] — run libFuzzer targets
# one at a time (at nice 10: other jobs keep their cores) for RUNS
# executions each from the seed corpus and print a markdown table:
# executions, wall time, executions per second, coverage (libFuzzer's "cov"
# edges), corpus size, findings (crashes, leaks, timeouts, out-of-memory; a
# slow unit is replayed and shown under "ended by") and what ended the run.
# A target's time cap (-max_total_time) is TARGET:SECONDS, or else its share of what is left of
# BUDGET seconds (0 = no cap): name the fast targets first, and the time
# they do not need goes to the slow ones.  TARGETs default to every target.
# Each run replaces only its targets' results under build/bench/fuzz.  The
# goal in BENCHMARKS.md is ten million executions per target, no finding.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-10000000}
budget=${2:-0}
shift $(($# < 2 ? $# : 2))
make -s fuzz
targets=("$@")
((${#targets[@]})) || targets=($(cd build/fuzz && ls fuzz_* | sed 's/^fuzz_//'))
out=build/bench/fuzz
rm -rf "$out/seeds"
mkdir -p "$out"
build/fuzz/seeds "$out/seeds"

echo "bench/fuzz.sh $runs $budget ${targets[*]}: $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores"
echo
echo "| target | executions | seconds | exec/s | coverage (edges) | corpus | findings | ended by |"
echo "|---|---:|---:|---:|---:|---:|---:|---|"
left=${#targets[@]}
spent=0
for spec in "${targets[@]}"; do
	t=${spec%%:*}
	cap=0
	if [[ $spec == *:* ]]; then
		cap=${spec#*:}
	elif ((budget)); then
		cap=$(( (budget - spent) / left > 1 ? (budget - spent) / left : 1 ))
	fi
	rm -rf "$out/corpus/$t" "$out/$t.log" "$out/$t"-*
	mkdir -p "$out/corpus/$t"
	cp "$out/seeds/$t"/* "$out/corpus/$t/"
	start=$EPOCHREALTIME
	set +e
	nice -n 10 "build/fuzz/fuzz_$t" -runs="$runs" -max_total_time="$cap" -seed=1 \
		-print_final_stats=1 -artifact_prefix="$out/$t-" "$out/corpus/$t" >"$out/$t.log" 2>&1
	st=$?
	set -e
	secs=$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.0f", b - a }')
	spent=$((spent + secs))
	left=$((left - 1))
	done_runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$out/$t.log")
	cov=$(grep -oE 'cov: [0-9]+' "$out/$t.log" | tail -n 1 | cut -d' ' -f2)
	corpus=$(find "$out/corpus/$t" -type f | wc -l)
	# a slow unit is no bug by itself: libFuzzer writes one for any input that
	# took over 10 s, which a fuzzer at nice 10 starved of CPU also produces;
	# each is replayed and its time shown instead of counted as a finding
	findings=$(find "$out" -maxdepth 1 -name "$t-*" ! -name "$t-slow-unit-*" | wc -l)
	slow=
	for u in "$out/$t"-slow-unit-*; do
		[[ -e $u ]] || continue
		slow+="; slow unit ${u##*-slow-unit-}: $("build/fuzz/fuzz_$t" "$u" 2>&1 | sed -n 's/^Executed .* in \([0-9]* ms\)$/\1/p') when replayed"
	done
	if ((st != 0)); then
		ended="exit status $st"
	elif ((${done_runs:-0} >= runs)); then
		ended="runs"
	else
		ended="time cap ($cap s)"
	fi
	echo "| $t | ${done_runs:-?} | $secs | $(( ${done_runs:-0} / (secs > 0 ? secs : 1) )) | ${cov:-?} | $corpus | $findings | $ended$slow |"
done
