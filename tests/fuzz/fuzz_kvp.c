/*
 * Fuzz target: whole KVP sessions from the host (drivers/ic/kvp.c behind
 * the IC framework): see tests/fuzz/ic_session.h for the input format.
 */
#include "tests/fuzz/ic_session.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	fuzz_ic_session(&ic_kvp, d, n);
	return 0;
}
