/* The terminal summary: passed / failed / skipped / warned per layer, then each failure and warning. */
#include <string.h>

#include "tools/hvreport/log.h"

#define MAX_LAYERS 16

void write_summary(FILE *f, const struct run *r, bool colour)
{
	struct {
		char name[32];
		long n[4];
	} layers[MAX_LAYERS];
	size_t nl = 0;
	const char *red = colour ? "\033[31m" : "", *green = colour ? "\033[32m" : "",
		   *yellow = colour ? "\033[33m" : "", *bold = colour ? "\033[1m" : "",
		   *off = colour ? "\033[0m" : "";
	const char *vc;

	for (size_t i = 0; i < r->nchecks; i++) {
		const struct check *c = &r->checks[i];
		char layer[32];
		size_t k;
		int res = !strcmp(c->result, "pass") ? 0 : !strcmp(c->result, "fail") ? 1 :
			  !strcmp(c->result, "skip") ? 2 : 3;

		check_layer(c, layer, sizeof(layer));
		for (k = 0; k < nl && strcmp(layers[k].name, layer); k++)
			;
		if (k == nl) {
			if (nl == MAX_LAYERS)
				continue;
			memset(&layers[nl], 0, sizeof(layers[nl]));
			strcpy(layers[nl].name, layer);
			nl++;
		}
		layers[k].n[res]++;
	}
	fprintf(f, "%-10s %7s %7s %7s %7s\n", "layer", "passed", "failed", "skipped", "warned");
	for (size_t k = 0; k < nl; k++)
		fprintf(f, "%-10s %s%7ld%s %s%7ld%s %s%7ld%s %s%7ld%s\n", layers[k].name,
			layers[k].n[0] ? green : "", layers[k].n[0], off,
			layers[k].n[1] ? red : "", layers[k].n[1], off,
			layers[k].n[2] ? yellow : "", layers[k].n[2], off,
			layers[k].n[3] ? yellow : "", layers[k].n[3], off);
	for (size_t i = 0; i < r->nchecks; i++)
		if (!strcmp(r->checks[i].result, "fail"))
			fprintf(f, "%sFAIL%s %s: %s\n", red, off, r->checks[i].id, r->checks[i].reason);
	for (size_t i = 0; i < r->nchecks; i++)
		if (!strcmp(r->checks[i].result, "warn"))
			fprintf(f, "%sWARN%s %s: %s\n", yellow, off, r->checks[i].id, r->checks[i].reason);
	vc = !r->verdict ? red : !strcmp(r->verdict, "PASS") ? green : !strcmp(r->verdict, "FAIL") ? red : yellow;
	if (r->verdict)
		fprintf(f, "%sverdict %s%s%s\n", bold, vc, r->verdict, off);
	else
		fprintf(f, "%sno verdict%s: the log ends at \"%s\"\n", red, off,
			r->last_line ? r->last_line : "");
}
