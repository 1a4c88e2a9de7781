/*
 * What every scenario parser shares (scenario.c, main.c and the areas'
 * sim_*_key_* parsers): the usage error and the number reader.  Its own
 * file so that hvsim's self-test links the areas without main.c.
 */
#include <stdio.h>
#include <stdlib.h>

#include "tools/hvsim/hvsim.h"

/* A bad command line or scenario value: message on stderr, exit status 2. */
void sim_usage_error(const char *msg, const char *arg)
{
	fprintf(stderr, "hvprobe-sim: %s%s%s (see --list)\n", msg, arg ? ": " : "", arg ? arg : "");
	exit(2);
}

/* A decimal or 0x number that fits @max; exits on anything else. */
unsigned long sim_scenario_number(const char *key, const char *val, unsigned long max)
{
	char *end;
	unsigned long n = strtoul(val, &end, 0);

	if (!*val || *end || *val == '-' || n > max)
		sim_usage_error("bad number for", key);
	return n;
}
