/* results.json: every check with id, result, reason and timing; host identity; metrics. */
#include "tools/hvreport/log.h"

void write_json(FILE *f, const struct run *r)
{
	fprintf(f, "{\n  \"verdict\": ");
	if (r->verdict)
		put_json_string(f, r->verdict);
	else
		fputs("null", f);
	fprintf(f, ",\n  \"complete\": %s,\n", r->verdict ? "true" : "false");
	fprintf(f, "  \"summary\": {\"passed\": %ld, \"failed\": %ld, \"skipped\": %ld, \"warnings\": %ld},\n",
		r->passed, r->failed, r->skipped, r->warnings);
	fprintf(f, "  \"host\": {\"vendor\": ");
	put_json_string(f, r->vendor ? r->vendor : "");
	fprintf(f, ", \"vmbus_version\": ");
	put_json_string(f, r->vmbus ? r->vmbus : "");
	fprintf(f, ", \"offers\": [");
	for (size_t i = 0; i < r->noffers; i++) {
		fprintf(f, "%s{\"relid\": %ld, \"name\": ", i ? ", " : "", r->offers[i].relid);
		put_json_string(f, r->offers[i].name);
		fprintf(f, ", \"class\": ");
		put_json_string(f, r->offers[i].class ? r->offers[i].class : "");
		fprintf(f, ", \"instance\": ");
		put_json_string(f, r->offers[i].instance ? r->offers[i].instance : "");
		fputc('}', f);
	}
	fprintf(f, "]},\n  \"checks\": [\n");
	for (size_t i = 0; i < r->nchecks; i++) {
		const struct check *c = &r->checks[i];

		fprintf(f, "    {\"id\": ");
		put_json_string(f, c->id);
		fprintf(f, ", \"result\": ");
		put_json_string(f, c->result);
		fprintf(f, ", \"reason\": ");
		put_json_string(f, c->reason);
		fprintf(f, ", \"n\": %ld, \"t_ms\": %lld}%s\n", c->n, c->t_ms,
			i + 1 < r->nchecks ? "," : "");
	}
	fprintf(f, "  ],\n  \"metrics\": [\n");
	for (size_t i = 0; i < r->nmetrics; i++) {
		const struct metric *m = &r->metrics[i];

		fprintf(f, "    {\"metric\": ");
		put_json_string(f, m->name);
		fprintf(f, ", \"t_ms\": %lld, \"value\": %.0f", m->t_ms, m->value);
		if (m->kind) {
			fprintf(f, ", \"kind\": ");
			put_json_string(f, m->kind);
		}
		fprintf(f, "}%s\n", i + 1 < r->nmetrics ? "," : "");
	}
	fprintf(f, "  ]\n}\n");
}
