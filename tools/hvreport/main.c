/*
 * hvreport LOG OUTDIR — from a serial log of hvprobe, write
 * OUTDIR/results.json, OUTDIR/junit.xml and OUTDIR/report.html, and print
 * the summary table (coloured on a terminal).  Exit 0 when the log has a
 * verdict, 1 when it ends before one.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tools/hvreport/log.h"

static int emit(const char *dir, const char *name, void (*fn)(FILE *, const struct run *),
		const struct run *r)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (!f) {
		perror(path);
		return -1;
	}
	fn(f, r);
	return fclose(f);
}

int main(int argc, char **argv)
{
	struct run r;
	FILE *log;
	const char *term = getenv("TERM");
	bool colour;
	int status;

	if (argc != 3) {
		fprintf(stderr, "usage: hvreport SERIAL.LOG OUTDIR\n");
		return 2;
	}
	log = fopen(argv[1], "r");
	if (!log) {
		perror(argv[1]);
		return 2;
	}
	run_read(log, &r);
	fclose(log);
	if (emit(argv[2], "results.json", write_json, &r) ||
	    emit(argv[2], "junit.xml", write_junit, &r) ||
	    emit(argv[2], "report.html", write_html, &r)) {
		run_free(&r);
		return 2;
	}
	colour = isatty(STDOUT_FILENO) && term && strcmp(term, "dumb") && !getenv("NO_COLOR");
	write_summary(stdout, &r, colour);
	status = r.verdict ? 0 : 1;
	run_free(&r);
	return status;
}
