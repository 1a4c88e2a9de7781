#!/bin/bash
# Run hvsim's VMBus host self-test (tools/hvsim/test/vmbus_selftest.c, built
# by `make sim`): the host's own files, no guest drivers, with sanitizers.
set -euo pipefail
cd "$(dirname "$0")/../../.."
out=build/hvsim-test
bin=$out/vmbus_selftest
[[ -x $bin ]] || { echo "missing $bin (make sim)"; exit 1; }
"$bin" 2>"$out/vmbus_selftest.stderr" || { tail -n 40 "$out/vmbus_selftest.stderr"; exit 1; }
