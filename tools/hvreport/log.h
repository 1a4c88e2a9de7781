/*
 * hvreport: turns a serial log of hvprobe into results.json, junit.xml,
 * report.html and a terminal summary.  log.c reads the log; each writer is
 * its own file.
 */
#ifndef HVREPORT_LOG_H
#define HVREPORT_LOG_H

#include <stdbool.h>
#include <stdio.h>

struct check {
	char *id, *result, *reason;
	long n;
	long long t_ms;
};

struct offer {
	long relid;
	char *name, *class, *instance;
};

struct metric {
	char *name;       /* heartbeat, timesync */
	long long t_ms;
	char *kind;       /* timesync: sync/sample/probe */
	double value;     /* heartbeat: seq; timesync: offset_us */
};

struct run {
	struct check *checks;
	size_t nchecks;
	struct offer *offers;
	size_t noffers;
	struct metric *metrics;
	size_t nmetrics;
	char *verdict;          /* NULL: the log ends before the verdict */
	char *vendor, *interface, *vmbus;
	long passed, failed, skipped, warnings;
	bool summary;
	char *last_line;        /* the log's last line, for a truncated run */
};

/* Read @f (a serial log, escape codes tolerated) into @r; 0 on success. */
int run_read(FILE *f, struct run *r);
void run_free(struct run *r);

/* The layer of a check id: "hv" for "hv.cpuid.interface". */
const char *check_layer(const struct check *c, char *buf, size_t n);

void write_json(FILE *f, const struct run *r);
void write_junit(FILE *f, const struct run *r);
void write_html(FILE *f, const struct run *r);
void write_summary(FILE *f, const struct run *r, bool colour);

/* Output escaping helpers (escape.c). */
void put_json_string(FILE *f, const char *s);
void put_xml(FILE *f, const char *s);

#endif
