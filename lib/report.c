/* The conformance report: TAP 13 + JSON lines, summary and verdict. */
#include "lib/report.h"

#include <stdarg.h>

#include "lib/log.h"
#include "lib/str.h"

static struct check_record records[REPORT_MAX_CHECKS];
static unsigned nrecords;   /* checks seen (may exceed REPORT_MAX_CHECKS) */
static unsigned counts[CHECK_RESULTS];
static bool hyperv_present;
static bool finished;

static const char *const result_names[CHECK_RESULTS] = { "pass", "fail", "skip", "warn" };

void report_begin(void)
{
	nrecords = 0;
	for (unsigned i = 0; i < CHECK_RESULTS; i++)
		counts[i] = 0;
	hyperv_present = false;
	finished = false;
	log_printf("TAP version 13\n");
}

static void record(const char *id, enum check_result r, const char *fmt, va_list ap)
{
	char reason[REPORT_REASON_MAX], json[REPORT_ID_MAX + 2 * REPORT_REASON_MAX + 96];
	unsigned long long t_ms = log_now_ns() / 1000000u;
	unsigned n = ++nrecords;
	struct fmt_buf jb = FMT_BUF(json);

	fmt_vsnprintf(reason, sizeof(reason), fmt, ap);
	/* a reason is one line: fold anything that would break TAP or JSON lines */
	for (char *c = reason; *c; c++)
		if (*c == '\n' || *c == '\r')
			*c = ' ';
	counts[r]++;
	if (n <= REPORT_MAX_CHECKS) {
		struct check_record *rec = &records[n - 1];

		str_copy(rec->id, id, sizeof(rec->id));
		str_copy(rec->reason, reason, sizeof(rec->reason));
		rec->result = r;
		rec->t_ms = t_ms;
	}

	if (r == CHECK_SKIP || r == CHECK_WARN)
		log_printf("ok %u - %s # %s %s\n", n, id, r == CHECK_SKIP ? "SKIP" : "WARN", reason);
	else
		log_printf("%s %u - %s: %s\n", r == CHECK_PASS ? "ok" : "not ok", n, id, reason);

	/* fmt_json_escape() appends at a position: the builder's own (it may pass the end; fmt_add then adds nothing) */
	fmt_add(&jb, "{\"check\":\"");
	fmt_json_escape(jb.buf, jb.size, &jb.len, id);
	fmt_add(&jb, "\",\"result\":\"%s\",\"n\":%u,\"t_ms\":%llu,\"reason\":\"", result_names[r], n, t_ms);
	fmt_json_escape(jb.buf, jb.size, &jb.len, reason);
	fmt_add(&jb, "\"}");
	log_printf("%s\n", json);
}

void check(const char *id, enum check_result r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	record(id, r, fmt, ap);
	va_end(ap);
}

void check_va(const char *id, enum check_result r, const char *fmt, va_list ap)
{
	record(id, r, fmt, ap);
}

void check_warn(const char *id, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	record(id, CHECK_WARN, fmt, ap);
	va_end(ap);
}

bool check_that(const char *id, bool ok, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	record(id, ok ? CHECK_PASS : CHECK_FAIL, fmt, ap);
	va_end(ap);
	return ok;
}

bool report_finding_muted(unsigned *seen)
{
	if (*seen <= REPORT_FINDING_LINES)
		return false;
	(*seen)++;
	return true;
}

/*
 * A later finding is only logged, formatted once straight into its line:
 * "hvprobe: ID: reason", the reason cut as a check's is.  Past
 * REPORT_FINDING_LINES it is only counted: a hostile host makes thousands,
 * and a 100-byte line costs 9 ms at 115200 baud (the fuzz targets spent
 * most of their time formatting them).
 */
void report_vfinding(const char *id, enum check_result r, unsigned *seen, const char *fmt,
		     va_list ap)
{
	char line[sizeof("hvprobe: : \n") + REPORT_ID_MAX + REPORT_REASON_MAX];
	size_t len;
	int n;

	if (report_finding_muted(seen))
		return;
	if ((*seen)++ == 0) {
		record(id, r, fmt, ap);
		return;
	}
	if (*seen == REPORT_FINDING_LINES + 1) {
		log_printf("hvprobe: %s: more findings like these are counted, not logged\n", id);
		return;
	}
	n = fmt_snprintf(line, sizeof(line) - REPORT_REASON_MAX, "hvprobe: %s: ", id);
	len = (size_t)n < sizeof(line) - REPORT_REASON_MAX ? (size_t)n
							   : sizeof(line) - REPORT_REASON_MAX - 1;
	n = fmt_vsnprintf(line + len, REPORT_REASON_MAX, fmt, ap);
	len += (size_t)n < REPORT_REASON_MAX ? (size_t)n : REPORT_REASON_MAX - 1;
	line[len++] = '\n';
	log_write(line, len);
}

void report_finding(const char *id, enum check_result r, unsigned *seen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report_vfinding(id, r, seen, fmt, ap);
	va_end(ap);
}

void report_note(const char *fmt, ...)
{
	char buf[256];
	va_list ap;

	va_start(ap, fmt);
	fmt_vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	log_printf("# %s\n", buf);
}

void report_metric(const char *name, const char *fields, ...)
{
	char buf[256];
	va_list ap;

	va_start(ap, fields);
	fmt_vsnprintf(buf, sizeof(buf), fields, ap);
	va_end(ap);
	log_printf("{\"metric\":\"%s\",\"t_ms\":%llu,%s}\n", name,
		   (unsigned long long)(log_now_ns() / 1000000u), buf);
}

void report_set_hyperv(bool present)
{
	hyperv_present = present;
}

unsigned report_count(enum check_result r)
{
	return counts[r];
}

unsigned report_total(void)
{
	return nrecords;
}

void report_summary(char *buf, size_t size)
{
	size_t n = (size_t)fmt_snprintf(buf, size, "%u passed, %u failed, %u skipped",
					counts[CHECK_PASS], counts[CHECK_FAIL], counts[CHECK_SKIP]);

	if (counts[CHECK_WARN] && n < size)
		fmt_snprintf(buf + n, size - n, ", %u warning%s", counts[CHECK_WARN],
			     counts[CHECK_WARN] == 1 ? "" : "s");
}

const struct check_record *report_get(unsigned n)
{
	return n < nrecords && n < REPORT_MAX_CHECKS ? &records[n] : NULL;
}

bool report_finished(void)
{
	return finished;
}

enum exit_status report_finish(void)
{
	enum exit_status st;
	const char *verdict;
	char summary[96];

	if (counts[CHECK_FAIL])
		st = EXIT_FAIL, verdict = "FAIL";
	else if (!hyperv_present)
		st = EXIT_NO_HYPERV, verdict = "NO-HYPERV";
	else
		st = EXIT_PASS, verdict = "PASS";
	if (finished)
		return st;
	finished = true;
	log_printf("1..%u\n", nrecords);
	report_summary(summary, sizeof(summary));
	log_printf("hvprobe: %s\n", summary);
	log_printf("hvprobe: verdict %s%s\n", verdict,
		   st == EXIT_NO_HYPERV ? " (no Hyper-V interface)" : "");
	return st;
}
