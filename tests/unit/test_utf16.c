/* Unit tests of lib/utf16.c: valid text both ways, and every refusal with its reason. */
#include "lib/utf16.h"

#include <stdint.h>

#include "tests/unit/unit.h"

/* Decode the @n code units at @u (little-endian on the wire) into @out. */
static int dec(const uint16_t *u, size_t n, char *out, size_t cap, const char **why)
{
	uint8_t b[64];

	for (size_t i = 0; i < n; i++) {
		b[2 * i] = (uint8_t)u[i];
		b[2 * i + 1] = (uint8_t)(u[i] >> 8);
	}
	return utf16le_to_utf8(b, 2 * n, out, cap, why);
}

static void test_ascii_round_trip(void)
{
	uint8_t w[32];
	char s[32];
	const char *why = "";

	EXPECT(utf8_to_utf16le("HostName", w, sizeof(w), &why) == 18);
	EXPECT(w[0] == 'H' && w[1] == 0 && w[16] == 0 && w[17] == 0);
	EXPECT(utf16le_to_utf8(w, 18, s, sizeof(s), &why) == 8);
	EXPECT_STR(s, "HostName");
	EXPECT(utf16le_field_size(w, sizeof(w)) == 18);
}

static void test_empty_string(void)
{
	uint8_t w[2];
	char s[1];
	const char *why = "";

	EXPECT(utf8_to_utf16le("", w, sizeof(w), &why) == 2 && !w[0] && !w[1]);
	EXPECT(utf16le_to_utf8(w, 2, s, sizeof(s), &why) == 0 && s[0] == '\0');
}

static void test_bmp(void)
{
	static const uint16_t u[] = { 0x00e9, 0x20ac, 0x4e2d, 0 }; /* é € 中 */
	uint8_t w[16];
	char s[16];
	const char *why = "";

	EXPECT(dec(u, 4, s, sizeof(s), &why) == 8);
	EXPECT_STR(s, "\xc3\xa9\xe2\x82\xac\xe4\xb8\xad");
	EXPECT(utf8_to_utf16le(s, w, sizeof(w), &why) == 8);
	EXPECT(w[0] == 0xe9 && w[1] == 0x00 && w[2] == 0xac && w[3] == 0x20 && w[4] == 0x2d && w[5] == 0x4e);
}

static void test_surrogate_pair(void)
{
	static const uint16_t u[] = { 'a', 0xd83d, 0xde00, 0 }; /* a U+1F600 */
	uint8_t w[16];
	char s[16];
	const char *why = "";

	EXPECT(dec(u, 4, s, sizeof(s), &why) == 5);
	EXPECT_STR(s, "a\xf0\x9f\x98\x80");
	EXPECT(utf8_to_utf16le(s, w, sizeof(w), &why) == 8);
	EXPECT(w[2] == 0x3d && w[3] == 0xd8 && w[4] == 0x00 && w[5] == 0xde);
	/* the highest code point */
	EXPECT(utf8_to_utf16le("\xf4\x8f\xbf\xbf", w, sizeof(w), &why) == 6);
	EXPECT(w[0] == 0xff && w[1] == 0xdb && w[2] == 0xff && w[3] == 0xdf);
}

static void test_refusals_utf16(void)
{
	static const uint16_t lone_high[] = { 'a', 0xd800, 'b', 0 };
	static const uint16_t high_at_end[] = { 'a', 0xd800, 0 };
	static const uint16_t lone_low[] = { 0xdc00, 0 };
	static const uint16_t no_nul[] = { 'a', 'b' };
	static const uint16_t inner_nul[] = { 'a', 0, 'b', 0 };
	static const uint8_t odd[] = { 'a', 0, 0 };
	char s[16];
	const char *why = "";

	EXPECT(dec(lone_high, 4, s, sizeof(s), &why) == -1);
	EXPECT_STR(why, "a lone high surrogate");
	EXPECT(dec(high_at_end, 3, s, sizeof(s), &why) == -1);
	EXPECT_STR(why, "a lone high surrogate");
	EXPECT(dec(lone_low, 2, s, sizeof(s), &why) == -1);
	EXPECT_STR(why, "a lone low surrogate");
	EXPECT(dec(no_nul, 2, s, sizeof(s), &why) == -1);
	EXPECT_STR(why, "no NUL terminator at the end of its size");
	EXPECT(dec(no_nul, 0, s, sizeof(s), &why) == -1);
	EXPECT_STR(why, "no NUL terminator at the end of its size");
	EXPECT(dec(inner_nul, 4, s, sizeof(s), &why) == -1);
	EXPECT_STR(why, "a NUL before its terminator");
	EXPECT(utf16le_to_utf8(odd, 3, s, sizeof(s), &why) == -1);
	EXPECT_STR(why, "an odd number of bytes");
	EXPECT(utf16le_field_size(no_nul, 4) == 0);
}

static void test_limits(void)
{
	static const uint16_t abc[] = { 'a', 'b', 'c', 0 };
	static const uint16_t euro[] = { 0x20ac, 0 };
	uint8_t w[8];
	char s[4];
	const char *why = "";

	EXPECT(dec(abc, 4, s, 4, &why) == 3);               /* exactly fits */
	EXPECT(dec(abc, 4, s, 3, &why) == -1);              /* no room for the NUL */
	EXPECT_STR(why, "too long for its buffer");
	EXPECT(dec(euro, 2, s, 3, &why) == -1);             /* 3 UTF-8 bytes + NUL */
	EXPECT(utf8_to_utf16le("abc", w, 8, &why) == 8);    /* exactly fits */
	EXPECT(utf8_to_utf16le("abcd", w, 8, &why) == -1);
	EXPECT_STR(why, "too long for its field");
	EXPECT(utf8_to_utf16le("\xf0\x9f\x98\x80", w, 4, &why) == -1); /* a pair + NUL is 6 */
}

static void test_refusals_utf8(void)
{
	static const char *const bad[] = {
		"\x80",                 /* a continuation byte first */
		"\xc3",                 /* truncated */
		"\xe2\x82",             /* truncated */
		"\xc0\xaf",             /* overlong '/' */
		"\xe0\x80\xaf",         /* overlong */
		"\xed\xa0\x80",         /* an encoded surrogate */
		"\xf4\x90\x80\x80",     /* above U+10FFFF */
		"\xff",
	};
	uint8_t w[16];
	const char *why = "";

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		why = "";
		EXPECT(utf8_to_utf16le(bad[i], w, sizeof(w), &why) == -1);
		EXPECT_STR(why, "malformed UTF-8");
	}
}

/* The lenient reading: up to the first NUL or the size, terminated or not. */
static void test_text_lenient(void)
{
	static const uint8_t plain[] = { 'h', 0, 'i', 0 };                  /* no terminator */
	static const uint8_t early[] = { 'a', 0, 0, 0, 'b', 0 };            /* NUL before the size */
	static const uint8_t lone[] = { 'x', 0, 0x3d, 0xd8 };               /* ends in a high surrogate */
	char out[16];
	const char *why = NULL;
	size_t units = 99;

	EXPECT(utf16le_text_to_utf8(plain, sizeof(plain), out, sizeof(out), &units, &why) == 2);
	EXPECT_STR(out, "hi");
	EXPECT(units == 2);
	EXPECT(utf16le_text_to_utf8(early, sizeof(early), out, sizeof(out), &units, &why) == 1);
	EXPECT_STR(out, "a");
	EXPECT(units == 1);
	EXPECT(utf16le_text_to_utf8(lone, sizeof(lone), out, sizeof(out), &units, &why) == -1);
	EXPECT_STR(why, "a lone high surrogate");
	EXPECT(utf16le_text_to_utf8(plain, sizeof(plain), out, 2, &units, &why) == -1);
}

struct unit_test unit_tests[] = {
	{ "utf16.text_lenient", test_text_lenient },
	{ "utf16.ascii_round_trip", test_ascii_round_trip },
	{ "utf16.empty_string", test_empty_string },
	{ "utf16.bmp", test_bmp },
	{ "utf16.surrogate_pair", test_surrogate_pair },
	{ "utf16.refusals_utf16", test_refusals_utf16 },
	{ "utf16.limits", test_limits },
	{ "utf16.refusals_utf8", test_refusals_utf8 },
	{ NULL, NULL },
};

UNIT_MAIN
