/* Days-to-civil conversion (the proleptic Gregorian calendar, era arithmetic). */
#include "lib/utc.h"

#include "lib/fmt.h"

char *utc_format(int64_t unix_ms, char buf[UTC_STR_LEN + 1])
{
	int64_t secs = unix_ms >= 0 ? unix_ms / 1000 : (unix_ms - 999) / 1000;
	int64_t ms = unix_ms - secs * 1000;
	int64_t days = secs >= 0 ? secs / 86400 : (secs - 86399) / 86400;
	int64_t sod = secs - days * 86400;
	/* shift the epoch to 0000-03-01 so that leap days end each 4/100/400-year cycle */
	int64_t z = days + 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	int64_t d = doy - (153 * mp + 2) / 5 + 1;
	int64_t m = mp < 10 ? mp + 3 : mp - 9;
	int64_t y = yoe + era * 400 + (m <= 2);

	fmt_snprintf(buf, UTC_STR_LEN + 1, "%04lld-%02lld-%02lldT%02lld:%02lld:%02lld.%03lldZ",
		     (long long)y, (long long)m, (long long)d, (long long)(sod / 3600),
		     (long long)(sod / 60 % 60), (long long)(sod % 60), (long long)ms);
	return buf;
}
