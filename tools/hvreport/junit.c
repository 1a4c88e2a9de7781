/*
 * junit.xml: one testcase per check (classname = its layer), failures and
 * skips with their reasons; a warning passes (JUnit has no such outcome)
 * with "WARN: reason" as its system-out, so CI pages still show it.  A log without a verdict adds a failing
 * testcase "hvprobe.verdict", so CI never reads a crashed run as green.
 */
#include <string.h>

#include "tools/hvreport/log.h"

void write_junit(FILE *f, const struct run *r)
{
	long failures = 0, skipped = 0;
	size_t tests = r->nchecks + (r->verdict ? 0 : 1);
	char layer[32];

	for (size_t i = 0; i < r->nchecks; i++) {
		failures += !strcmp(r->checks[i].result, "fail");
		skipped += !strcmp(r->checks[i].result, "skip");
	}
	failures += !r->verdict;
	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	fprintf(f, "<testsuites name=\"hvprobe\" tests=\"%zu\" failures=\"%ld\" errors=\"0\" skipped=\"%ld\">\n",
		tests, failures, skipped);
	fprintf(f, "  <testsuite name=\"hvprobe\" tests=\"%zu\" failures=\"%ld\" errors=\"0\" skipped=\"%ld\">\n",
		tests, failures, skipped);
	for (size_t i = 0; i < r->nchecks; i++) {
		const struct check *c = &r->checks[i];
		double t = i ? (double)(c->t_ms - r->checks[i - 1].t_ms) / 1000.0 : (double)c->t_ms / 1000.0;

		fprintf(f, "    <testcase classname=\"");
		put_xml(f, check_layer(c, layer, sizeof(layer)));
		fprintf(f, "\" name=\"");
		put_xml(f, c->id);
		fprintf(f, "\" time=\"%.3f\"", t < 0 ? 0.0 : t);
		if (!strcmp(c->result, "pass")) {
			fprintf(f, "/>\n");
			continue;
		}
		if (!strcmp(c->result, "warn")) {
			fprintf(f, ">\n      <system-out>WARN: ");
			put_xml(f, c->reason);
			fprintf(f, "</system-out>\n    </testcase>\n");
			continue;
		}
		fprintf(f, ">\n      <%s message=\"", !strcmp(c->result, "fail") ? "failure" : "skipped");
		put_xml(f, c->reason);
		fprintf(f, "\"/>\n    </testcase>\n");
	}
	if (!r->verdict) {
		fprintf(f, "    <testcase classname=\"hvprobe\" name=\"hvprobe.verdict\" time=\"0\">\n");
		fprintf(f, "      <failure message=\"the log ends before a verdict (crash or timeout); last line: ");
		put_xml(f, r->last_line ? r->last_line : "(empty log)");
		fprintf(f, "\"/>\n    </testcase>\n");
	}
	fprintf(f, "  </testsuite>\n</testsuites>\n");
}
