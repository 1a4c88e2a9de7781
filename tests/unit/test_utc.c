/* Unit tests of lib/utc.c against dates computed independently (date -u). */
#include "lib/utc.h"

#include "tests/unit/unit.h"

static void test_known_dates(void)
{
	char b[UTC_STR_LEN + 1];

	EXPECT_STR(utc_format(0, b), "1970-01-01T00:00:00.000Z");
	EXPECT_STR(utc_format(951782400000LL, b), "2000-02-29T00:00:00.000Z");   /* leap day */
	EXPECT_STR(utc_format(1798288657123LL, b), "2026-12-26T12:37:37.123Z");
	EXPECT_STR(utc_format(4107542399999LL, b), "2100-02-28T23:59:59.999Z"); /* 2100: no leap day */
	EXPECT_STR(utc_format(4107542400000LL, b), "2100-03-01T00:00:00.000Z");
	EXPECT_STR(utc_format(-1, b), "1969-12-31T23:59:59.999Z");
	EXPECT_STR(utc_format(-11644473600000LL, b), "1601-01-01T00:00:00.000Z"); /* FILETIME 0 */
}

struct unit_test unit_tests[] = {
	{ "utc.known_dates", test_known_dates },
	{ NULL, NULL },
};

UNIT_MAIN
