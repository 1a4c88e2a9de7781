/*
 * Writes the fuzz targets' seed corpora from valid messages:
 *   seeds DIR  ->  DIR/<target>/<name> files
 * Each seed is what a well-behaved host sends, so the fuzzer starts from
 * deep inside every parser rather than from random bytes.  The seeds of
 * each area live in tests/fuzz/seeds_*.c and register themselves with
 * SEEDS(); this file only writes them.
 */
#include "tests/fuzz/seeds.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

static const char *root;
static void (*generators[64])(void);
static unsigned ngenerators;

void seeds_register(void (*fn)(void))
{
	if (ngenerators < 64)
		generators[ngenerators++] = fn;
}

void seed_put(const char *target, const char *name, const void *data, size_t n)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", root, target);
	if (mkdir(path, 0755) && errno != EEXIST) {
		perror(path);
		exit(1);
	}
	snprintf(path, sizeof(path), "%s/%s/%s", root, target, name);
	f = fopen(path, "wb");
	if (!f || fwrite(data, 1, n, f) != n) {
		perror(path);
		exit(1);
	}
	fclose(f);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: seeds DIR\n");
		return 2;
	}
	root = argv[1];
	if (mkdir(root, 0755) && errno != EEXIST) {
		perror(root);
		return 1;
	}
	for (unsigned i = 0; i < ngenerators; i++)
		generators[i]();
	return 0;
}
