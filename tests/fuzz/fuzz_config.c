/* Fuzz target: the hvprobe.cfg parser and the run options built on it. */
#include <stddef.h>
#include <stdint.h>

#include "kernel/options.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	options_load((const char *)d, n);
	return 0;
}
