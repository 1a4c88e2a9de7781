/* Unit tests of the report (lib/report.c): TAP, JSON lines, summary, verdict. */
#include "lib/report.h"

#include <stdint.h>

#include "tests/unit/unit.h"

static void test_lines(void)
{
	unit_console_reset();
	unit_now_ns = 1500000000ull;
	report_begin();
	check("a.pass", CHECK_PASS, "value %d", 3);
	check("b.fail", CHECK_FAIL, "said \"no\"\nreally");
	check("c.skip", CHECK_SKIP, "not here");
	report_note("a note");
	EXPECT(strstr(unit_console, "TAP version 13\n") == unit_console);
	EXPECT(strstr(unit_console, "ok 1 - a.pass: value 3\n") != NULL);
	EXPECT(strstr(unit_console, "not ok 2 - b.fail: said \"no\" really\n") != NULL);
	EXPECT(strstr(unit_console, "ok 3 - c.skip # SKIP not here\n") != NULL);
	EXPECT(strstr(unit_console, "{\"check\":\"a.pass\",\"result\":\"pass\",\"n\":1,\"t_ms\":1500,\"reason\":\"value 3\"}\n") != NULL);
	EXPECT(strstr(unit_console, "{\"check\":\"b.fail\",\"result\":\"fail\",\"n\":2,\"t_ms\":1500,\"reason\":\"said \\\"no\\\" really\"}\n") != NULL);
	EXPECT(strstr(unit_console, "# a note\n") != NULL);
	EXPECT(report_count(CHECK_PASS) == 1 && report_count(CHECK_FAIL) == 1 &&
	       report_count(CHECK_SKIP) == 1);
	EXPECT_STR(report_get(1)->id, "b.fail");
	EXPECT(report_get(3) == NULL);
}

static void test_verdicts(void)
{
	unit_console_reset();
	report_begin();
	check("x", CHECK_PASS, "fine");
	report_set_hyperv(true);
	EXPECT(report_finish() == EXIT_PASS);
	EXPECT(strstr(unit_console, "1..1\nhvprobe: 1 passed, 0 failed, 0 skipped\nhvprobe: verdict PASS\n") != NULL);

	unit_console_reset();
	report_begin();
	check("x", CHECK_SKIP, "no interface");
	EXPECT(report_finish() == EXIT_NO_HYPERV);
	EXPECT(strstr(unit_console, "hvprobe: verdict NO-HYPERV") != NULL);

	unit_console_reset();
	report_begin();
	report_set_hyperv(true);
	check("x", CHECK_FAIL, "broken");
	EXPECT(report_finish() == EXIT_FAIL);
	EXPECT(strstr(unit_console, "hvprobe: 0 passed, 1 failed, 0 skipped\nhvprobe: verdict FAIL\n") != NULL);
	/* a second finish (the panic path) prints nothing new */
	unit_console_reset();
	EXPECT(report_finish() == EXIT_FAIL);
	EXPECT_STR(unit_console, "");

	/* warnings: shown on the check and counted beside the summary, never a failure */
	unit_console_reset();
	report_begin();
	report_set_hyperv(true);
	check("x", CHECK_PASS, "fine");
	check_warn("y.late", "answered after %u ms", 7000u);
	check_warn("z.habit", "tolerated");
	EXPECT(strstr(unit_console, "ok 2 - y.late # WARN answered after 7000 ms\n") != NULL);
	EXPECT(strstr(unit_console, "{\"check\":\"y.late\",\"result\":\"warn\",") != NULL);
	EXPECT(report_count(CHECK_WARN) == 2 && report_total() == 3);
	EXPECT(report_finish() == EXIT_PASS);
	EXPECT(strstr(unit_console, "hvprobe: 1 passed, 0 failed, 0 skipped, 2 warnings\nhvprobe: verdict PASS\n") != NULL);
}

static void test_check_that_and_long_reason(void)
{
	char longr[600];

	unit_console_reset();
	report_begin();
	EXPECT(check_that("t.ok", 1 + 1 == 2, "math") == true);
	EXPECT(check_that("t.bad", false, "nope") == false);
	memset(longr, 'r', sizeof(longr) - 1);
	longr[sizeof(longr) - 1] = '\0';
	check("t.long", CHECK_PASS, "%s", longr);
	EXPECT(strlen(report_get(2)->reason) == REPORT_REASON_MAX - 1);
	EXPECT(strstr(unit_console, "\"reason\":\"rrrr") != NULL);
}

static void test_finding_once(void)
{
	unsigned seen = 0;

	unit_console_reset();
	report_begin();
	report_finding("dev.message", CHECK_FAIL, &seen, "bad size %u", 7u);
	report_finding("dev.message", CHECK_FAIL, &seen, "bad size %u", 8u);
	report_finding("dev.message", CHECK_FAIL, &seen, "bad size %u", 9u);
	EXPECT(seen == 3);
	EXPECT(report_count(CHECK_FAIL) == 1);
	EXPECT(strstr(unit_console, "not ok 1 - dev.message: bad size 7\n") != NULL);
	EXPECT(strstr(unit_console, "hvprobe: dev.message: bad size 9\n") != NULL);
	EXPECT(strstr(unit_console, "ok 2 -") == NULL);
}

/* A flood of findings: REPORT_FINDING_LINES lines, one notice, then only the count. */
static void test_finding_flood(void)
{
	unsigned seen = 0, lines = 0;

	unit_console_reset();
	report_begin();
	for (unsigned i = 0; i < 100; i++)
		report_finding("dev.flood", CHECK_WARN, &seen, "finding %u", i);
	for (const char *p = unit_console; (p = strstr(p, "dev.flood")); p++)
		lines++;
	EXPECT(seen == 100);
	EXPECT(report_count(CHECK_WARN) == 1);
	EXPECT(strstr(unit_console, "hvprobe: dev.flood: finding 15\n") != NULL);
	EXPECT(strstr(unit_console, "finding 16") == NULL);
	EXPECT(strstr(unit_console, "hvprobe: dev.flood: more findings like these are counted, not logged\n") != NULL);
	/* the check's TAP line and its JSON line, 15 logged, the notice */
	EXPECT(lines == 2 + 15 + 1);
	EXPECT(report_finding_muted(&seen) && seen == 101);
}

struct unit_test unit_tests[] = {
	{ "report.finding_once", test_finding_once },
	{ "report.finding_flood", test_finding_flood },
	{ "report.lines", test_lines },
	{ "report.verdicts", test_verdicts },
	{ "report.check_that_and_long_reason", test_check_that_and_long_reason },
	{ NULL, NULL },
};

UNIT_MAIN
