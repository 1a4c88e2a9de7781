/*
 * The conformance report.
 *
 * Every check has a stable id ("hv.cpuid.interface"), a result and a
 * one-line reason.  Each is printed as it happens, twice:
 *   ok 3 - hv.cpuid.interface: "Hv#1", vendor "Microsoft Hv"
 *   {"check":"hv.cpuid.interface","result":"pass","n":3,"t_ms":12,"reason":"..."}
 * (TAP 13 and one JSON object per line).  report_finish() prints the plan,
 * "hvprobe: N passed, N failed, N skipped" (", N warnings" follows when there
 * are any) and the verdict line "hvprobe: verdict PASS|FAIL|NO-HYPERV", and
 * returns the exit status.
 *
 * A warning is a deviation that real guests tolerate (Linux works around it,
 * or the TLFS allows it): shown everywhere, never a failure.  Its TAP line is
 * "ok N - ID # WARN REASON" (a TAP consumer sees a passed test with a
 * comment), its JSON result "warn".
 */
#ifndef HVPROBE_REPORT_H
#define HVPROBE_REPORT_H

#include <stdbool.h>
#include <stddef.h>

#include "lib/exit_status.h"
#include "lib/fmt.h"

enum check_result {
	CHECK_PASS,
	CHECK_FAIL,
	CHECK_SKIP,
	CHECK_WARN,
	CHECK_RESULTS, /* how many results there are */
};

#define REPORT_ID_MAX 64
#define REPORT_REASON_MAX 192
#define REPORT_MAX_CHECKS 512

struct check_record {
	char id[REPORT_ID_MAX];
	char reason[REPORT_REASON_MAX];
	enum check_result result;
	unsigned long long t_ms;
};

/* Start a report: prints the TAP header.  Resets all counts. */
void report_begin(void);

/* Record one check with its reason (printf-style). */
void check(const char *id, enum check_result r, const char *fmt, ...) FMT_PRINTF(3, 4);

/* check() with the reason's arguments in @ap. */
void check_va(const char *id, enum check_result r, const char *fmt, va_list ap) FMT_PRINTF(3, 0);

/* Record a warning: the host deviates in a way real guests tolerate. */
void check_warn(const char *id, const char *fmt, ...) FMT_PRINTF(2, 3);

/* Record pass when @ok, fail otherwise; returns @ok. */
bool check_that(const char *id, bool ok, const char *fmt, ...) FMT_PRINTF(3, 4);

/*
 * A finding about the host, reported once: the first one that @seen has
 * not counted records check @id with result @r (CHECK_FAIL or CHECK_WARN)
 * and the reason; the next REPORT_FINDING_LINES - 1 are only logged
 * ("hvprobe: ID: reason"), and the rest only counted, so a misbehaving host
 * can flood neither the report nor the console.  *@seen counts them all.
 */
#define REPORT_FINDING_LINES 16
void report_finding(const char *id, enum check_result r, unsigned *seen, const char *fmt, ...)
	FMT_PRINTF(4, 5);
void report_vfinding(const char *id, enum check_result r, unsigned *seen, const char *fmt,
		     va_list ap) FMT_PRINTF(4, 0);
/*
 * True, and the finding counted in *@seen, when one more finding for @seen
 * would be neither recorded nor logged: callers that build the id or the
 * reason at a cost ask first.
 */
bool report_finding_muted(unsigned *seen);

/* A TAP comment line ("# ..."): information that is not a check. */
void report_note(const char *fmt, ...) FMT_PRINTF(1, 2);

/*
 * A measurement for plots, one JSON line: {"metric":"@name","t_ms":..,@fields}.
 * @fields is a printf-formatted list of JSON members without braces.
 */
void report_metric(const char *name, const char *fields, ...) FMT_PRINTF(2, 3);

/* Tell the report whether the host has a Hyper-V interface (for the verdict). */
void report_set_hyperv(bool present);

/* Counts so far; report_total() is the number of checks of any result. */
unsigned report_count(enum check_result r);
unsigned report_total(void);
/* "N passed, N failed, N skipped[, N warnings]" into @buf. */
void report_summary(char *buf, size_t size);
/* The n-th recorded check (0-based), NULL past the end. */
const struct check_record *report_get(unsigned n);

/*
 * Print plan, summary and verdict; return the exit status.  Idempotent:
 * a second call (e.g. from the panic path) prints nothing new.
 */
enum exit_status report_finish(void);

/* True once report_finish() has run. */
bool report_finished(void);

#endif
