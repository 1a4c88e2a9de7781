/* Seed corpus generators for the fuzz targets (see seeds.c). */
#ifndef HVPROBE_FUZZ_SEEDS_H
#define HVPROBE_FUZZ_SEEDS_H

#include <stddef.h>

/* Write one seed file DIR/@target/@name. */
void seed_put(const char *target, const char *name, const void *data, size_t n);

void seeds_register(void (*fn)(void));

/* Register @fn to run when the seeds program starts (one line per file). */
#define SEEDS(fn)                                                          \
	__attribute__((constructor)) static void register_##fn(void)       \
	{                                                                  \
		seeds_register(fn);                                        \
	}

#endif
