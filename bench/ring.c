/*
 * Ring-buffer throughput in the user-mode build: the guest's ring_write +
 * ring_read (drivers/vmbus/ring.c) moving packets of 64 B, 1 KiB and
 * 4 KiB through a 16 KiB ring (an IC channel's size), against memcpy of the same bytes measured
 * in the same run.  Prints a markdown table of medians over repetitions.
 *   build/bench/ring [REPS]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "drivers/vmbus/ring.h"

#define RING_BYTES (4 * 4096) /* 12 KiB of data, as an IC channel */
#define BYTES_PER_REP (64u << 20) /* move 64 MiB per measurement */

static uint8_t *mem;
static uint8_t src[8192], dst[8192];

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* MiB/s through the ring: write one packet, read it back, repeat. */
static double ring_rate(uint32_t size)
{
	struct vmbus_ring w, r;
	uint32_t n = BYTES_PER_REP / size, len;
	const char *why;
	bool sig;
	double t0;

	ring_init(&w, mem, RING_BYTES, true);
	r = w;
	t0 = now_s();
	for (uint32_t i = 0; i < n; i++) {
		if (ring_write(&w, 6, 0, i, src, size, &sig, &why) ||
		    ring_read(&r, dst, sizeof(dst), &len, &sig, &why)) {
			fprintf(stderr, "ring error: %s\n", why);
			exit(1);
		}
	}
	return (double)n * size / (1 << 20) / (now_s() - t0);
}

static double memcpy_rate(uint32_t size)
{
	uint32_t n = BYTES_PER_REP / size;
	double t0 = now_s();

	for (uint32_t i = 0; i < n; i++) {
		memcpy(dst, src, size);
		__asm__ volatile("" : : "r"(dst) : "memory"); /* keep the copy */
	}
	return (double)n * size / (1 << 20) / (now_s() - t0);
}

int main(int argc, char **argv)
{
	static const uint32_t sizes[] = { 64, 1024, 4096 };
	int reps = argc > 1 ? atoi(argv[1]) : 9;
	double rr[64], mr[64];

	if (reps < 1 || reps > 64)
		reps = 9;
	mem = aligned_alloc(4096, RING_BYTES);
	memset(src, 0xa5, sizeof(src));
	printf("| packet | ring write+read (MiB/s) | memcpy (MiB/s) | ring / memcpy |\n");
	printf("|---:|---:|---:|---:|\n");
	for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
		/* alternate the two so that machine noise hits both alike */
		for (int i = 0; i < reps; i++) {
			rr[i] = ring_rate(sizes[s]);
			mr[i] = memcpy_rate(sizes[s]);
		}
		qsort(rr, (size_t)reps, sizeof(double), cmp);
		qsort(mr, (size_t)reps, sizeof(double), cmp);
		printf("| %u B | %.0f | %.0f | %.1f%% |\n", sizes[s], rr[reps / 2], mr[reps / 2],
		       100.0 * rr[reps / 2] / mr[reps / 2]);
	}
	return 0;
}
