/* Unit tests of lib/fmt.c: every conversion, flag, width and truncation. */
#include "lib/fmt.h"

#include <stdint.h>

#include "tests/unit/unit.h"

static char buf[256];

#define F(...) (fmt_snprintf(buf, sizeof(buf), __VA_ARGS__), buf)

static void test_integers(void)
{
	EXPECT_STR(F("%d", 0), "0");
	EXPECT_STR(F("%d %i", -42, 42), "-42 42");
	EXPECT_STR(F("%u", 4294967295u), "4294967295");
	EXPECT_STR(F("%lld", (long long)INT64_MIN), "-9223372036854775808");
	EXPECT_STR(F("%llu", (unsigned long long)UINT64_MAX), "18446744073709551615");
	EXPECT_STR(F("%x %X", 0xbeefu, 0xbeefu), "beef BEEF");
	EXPECT_STR(F("%lx", 0x123456789abcdefUL), "123456789abcdef");
	EXPECT_STR(F("%o", 8u), "10");
	EXPECT_STR(F("%zu", (size_t)77), "77");
	EXPECT_STR(F("%hhu", 0x1ff), "255");
	EXPECT_STR(F("%hd", 0x18000), "-32768");
}

static void test_width_flags(void)
{
	EXPECT_STR(F("%5d|", 42), "   42|");
	EXPECT_STR(F("%-5d|", 42), "42   |");
	EXPECT_STR(F("%05d", -42), "-0042");
	EXPECT_STR(F("%016llx", 0xabcull), "0000000000000abc");
	EXPECT_STR(F("%*d", 4, 7), "   7");
	EXPECT_STR(F("%-*d|", 3, 7), "7  |");
	EXPECT_STR(F("%.3s", "abcdef"), "abc");
	EXPECT_STR(F("%.*s", 2, "abcdef"), "ab");
	/* a precision bounds the read: the string need not be terminated (found by fuzzing) */
	static const char unterminated[3] = { 'x', 'y', 'z' };
	EXPECT_STR(F("%.*s", 3, unterminated), "xyz");
	EXPECT_STR(F("%6s|%-6s|", "ab", "cd"), "    ab|cd    |");
}

static void test_misc(void)
{
	const char *volatile nul = NULL; /* volatile: hide the NULL from -Wformat */
	const char *volatile unknown = "%q"; /* an unknown conversion prints verbatim */

	EXPECT_STR(F("%c%c", 'o', 'k'), "ok");
	EXPECT_STR(F("%s", nul), "(null)");
	EXPECT_STR(F("100%%"), "100%");
	EXPECT_STR(F("%p", (void *)0x1000), "0x1000");
	/* a format that is not a literal, on purpose: the one place -Wformat=2 is told to look away */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
#pragma GCC diagnostic ignored "-Wformat-security"
	EXPECT_STR(F(unknown), "%q");
#pragma GCC diagnostic pop
}

static void test_truncation(void)
{
	char small[8];
	int n = fmt_snprintf(small, sizeof(small), "%s", "0123456789");

	EXPECT(n == 10);
	EXPECT_STR(small, "0123456");
	n = fmt_snprintf(small, 1, "abc");
	EXPECT(n == 3 && small[0] == '\0');
	EXPECT(fmt_snprintf(NULL, 0, "%d", 12345) == 5);
}

static void test_json_escape(void)
{
	char out[64];
	size_t pos = 0;

	fmt_json_escape(out, sizeof(out), &pos, "a\"b\\c\n\x01");
	EXPECT_STR(out, "a\\\"b\\\\c\\u000a\\u0001");
	EXPECT(pos == strlen(out));
	pos = 0;
	fmt_json_escape(out, 4, &pos, "abcdef");
	EXPECT_STR(out, "abc");
	EXPECT(pos == 6);
}

static void test_builder(void)
{
	char b[12];
	struct fmt_buf fb = FMT_BUF(b);

	EXPECT_STR(b, "");
	fmt_add(&fb, "%s%u", fb.len ? ", " : "", 1u);
	fmt_add(&fb, "%s%u", fb.len ? ", " : "", 22u);
	EXPECT_STR(b, "1, 22");
	EXPECT(fb.len == 5);
	fmt_add(&fb, "-%s", "overflowing");  /* cut at the end, still terminated */
	EXPECT_STR(b, "1, 22-overf");
	EXPECT(fb.len == sizeof(b) - 1);
	fmt_add(&fb, "more");                /* a full builder stays as it is */
	EXPECT_STR(b, "1, 22-overf");
	EXPECT(fb.len == sizeof(b) - 1);
}

struct unit_test unit_tests[] = {
	{ "fmt.builder", test_builder },
	{ "fmt.integers", test_integers },
	{ "fmt.width_flags", test_width_flags },
	{ "fmt.misc", test_misc },
	{ "fmt.truncation", test_truncation },
	{ "fmt.json_escape", test_json_escape },
	{ NULL, NULL },
};

UNIT_MAIN
