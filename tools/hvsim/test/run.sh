#!/bin/bash
# Build and run hvsim's VMBus host self-test (tools/hvsim/test/vmbus_selftest.c):
# the host's own files, no guest drivers, with the sim build's flags and sanitizers.
set -euo pipefail
cd "$(dirname "$0")/../../.."
out=build/hvsim-test
mkdir -p "$out"
hvsim=$(ls tools/hvsim/*.c | grep -v '/main\.c$')
${CC:-cc} -std=gnu11 -O1 -g -Wall -Wextra -Werror -Wno-unused-parameter -Wshadow -Wvla \
	-I. -fsanitize=address,undefined -fno-sanitize-recover=all -o "$out/vmbus_selftest" \
	tools/hvsim/test/vmbus_selftest.c $hvsim lib/guid.c lib/pagealloc.c lib/str.c
"$out/vmbus_selftest" 2>"$out/vmbus_selftest.stderr" || { tail -n 40 "$out/vmbus_selftest.stderr"; exit 1; }
