/* Unit tests of the kernel's freestanding string functions (lib/str.c). */
#include <stddef.h>

#include "lib/str.h"
#include "tests/unit/unit.h"

static void test_memmove_overlap(void)
{
	char a[] = "abcdefgh";

	fs_memmove(a + 2, a, 5);
	EXPECT_STR(a, "ababcdeh");
	strcpy(a, "abcdefgh");
	fs_memmove(a, a + 3, 5);
	EXPECT_STR(a, "defghfgh");
	EXPECT(fs_memmove(a, a, 3) == a);
}

static void test_compare(void)
{
	EXPECT(fs_memcmp("abc", "abd", 3) < 0);
	EXPECT(fs_memcmp("abd", "abc", 3) > 0);
	EXPECT(fs_memcmp("abc", "abd", 2) == 0);
	EXPECT(fs_memcmp("\xff", "\x01", 1) > 0); /* unsigned bytes */
	EXPECT(fs_strcmp("abc", "abc") == 0);
	EXPECT(fs_strcmp("ab", "abc") < 0);
	EXPECT(fs_strcmp("b", "abc") > 0);
	EXPECT(fs_strncmp("abcx", "abcy", 3) == 0);
	EXPECT(fs_strncmp("abcx", "abcy", 4) < 0);
	EXPECT(fs_strlen("") == 0 && fs_strlen("hvprobe") == 7);
}

static void test_str_copy(void)
{
	char d[4];

	EXPECT(str_copy(d, "ab", sizeof(d)) == 2);
	EXPECT_STR(d, "ab");
	EXPECT(str_copy(d, "abcdef", sizeof(d)) == 6);
	EXPECT_STR(d, "abc");
}

struct unit_test unit_tests[] = {
	{ "str.memmove_overlap", test_memmove_overlap },
	{ "str.compare", test_compare },
	{ "str.copy", test_str_copy },
	{ NULL, NULL },
};

UNIT_MAIN
