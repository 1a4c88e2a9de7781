/* UTC calendar arithmetic for printing host times (no time zones, no leap seconds). */
#ifndef HVPROBE_UTC_H
#define HVPROBE_UTC_H

#include <stdint.h>

#define UTC_STR_LEN 24 /* "2026-11-26T10:37:37.123Z" and the terminator */

/* Format @unix_ms (milliseconds since 1970-01-01) as ISO 8601 UTC into @buf. */
char *utc_format(int64_t unix_ms, char buf[UTC_STR_LEN + 1]);

#endif
