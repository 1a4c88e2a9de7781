#!/bin/bash
# bench/fuzz.sh [RUNS] — run every libFuzzer target for a fixed number of
# executions from the seed corpus and print a markdown table: executions,
# wall time, executions per second, coverage (libFuzzer's "cov" edges),
# corpus size and findings.  The goal in BENCHMARKS.md is ten million
# executions per target with no finding.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-10000000}
make -s fuzz
out=build/bench/fuzz
rm -rf "$out"
mkdir -p "$out"
build/fuzz/seeds "$out/seeds"

echo "| target | executions | seconds | exec/s | coverage (edges) | corpus | findings |"
echo "|---|---:|---:|---:|---:|---:|---:|"
for bin in build/fuzz/fuzz_*; do
	t=${bin##*/fuzz_}
	mkdir -p "$out/corpus/$t"
	cp "$out/seeds/$t"/* "$out/corpus/$t/"
	start=$EPOCHREALTIME
	set +e
	"$bin" -runs="$runs" -seed=1 -print_final_stats=1 -artifact_prefix="$out/$t-" \
		"$out/corpus/$t" >"$out/$t.log" 2>&1
	st=$?
	set -e
	secs=$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.0f", b - a }')
	done_runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$out/$t.log")
	cov=$(grep -oE 'cov: [0-9]+' "$out/$t.log" | tail -n 1 | cut -d' ' -f2)
	corpus=$(find "$out/corpus/$t" -type f | wc -l)
	findings=$(find "$out" -maxdepth 1 -name "$t-*" | wc -l)
	((st == 0)) || findings="$findings (exit $st)"
	echo "| $t | ${done_runs:-?} | $secs | $(( ${done_runs:-0} / (secs > 0 ? secs : 1) )) | ${cov:-?} | $corpus | $findings |"
done
