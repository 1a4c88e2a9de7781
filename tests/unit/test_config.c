/* Unit tests of the hvprobe.cfg parser (lib/config.c). */
#include "lib/config.h"

#include "tests/unit/unit.h"

static uint64_t num;
static unsigned choice;
static char str[8];
static const char *const colours[] = { "red", "green", NULL };
static const struct config_key keys[] = {
	{ "num", CONFIG_U64, &num, 1, 1000, NULL, "" },
	{ "colour", CONFIG_ENUM, &choice, 0, 0, colours, "" },
	{ "name", CONFIG_STR, str, 0, sizeof(str), NULL, "" },
};

static char warnings[4096];

static void warn(const char *msg)
{
	strcat(warnings, msg);
	strcat(warnings, "\n");
}

static int parse(const char *text)
{
	num = 7;
	choice = 0;
	strcpy(str, "dflt");
	warnings[0] = '\0';
	return config_parse(text, strlen(text), keys, 3, warn);
}

static void test_good(void)
{
	EXPECT(parse("num=42\ncolour=green\nname=abc\n") == 0);
	EXPECT(num == 42 && choice == 1);
	EXPECT_STR(str, "abc");
	EXPECT_STR(warnings, "");
}

static void test_spacing_comments_crlf(void)
{
	EXPECT(parse("# comment\r\n\r\n  num = 0x10  # trailing\r\n\tcolour=green") == 0);
	EXPECT(num == 16 && choice == 1);
	EXPECT_STR(warnings, "");
}

static void test_bad_lines_named(void)
{
	EXPECT(parse("num=5\nbogus=1\ncolour=blue\nnoequals\nnum=abc\nnum=5000\n=3\nname=toolongvalue\nnum=\n") == 8);
	EXPECT(num == 5 && choice == 0); /* good line applied; bad ones keep defaults */
	EXPECT_STR(str, "dflt");
	EXPECT(strstr(warnings, "hvprobe.cfg:2: unknown key: 'bogus=1'; line ignored") != NULL);
	EXPECT(strstr(warnings, "hvprobe.cfg:3: colour: 'blue' is not one of red|green; using the default") != NULL);
	EXPECT(strstr(warnings, "hvprobe.cfg:4: expected key=value: 'noequals'") != NULL);
	EXPECT(strstr(warnings, "hvprobe.cfg:5: num: 'abc' is not a number") != NULL);
	EXPECT(strstr(warnings, "hvprobe.cfg:6: num: '5000' is out of range 1..1000") != NULL);
	EXPECT(strstr(warnings, "hvprobe.cfg:7: missing key before '='") != NULL);
	EXPECT(strstr(warnings, "hvprobe.cfg:8: name: 'toolongvalue' is too long") != NULL);
	EXPECT(strstr(warnings, "hvprobe.cfg:9: num: missing value; using the default") != NULL);
}

static void test_numbers(void)
{
	uint64_t v;

	EXPECT(config_parse_u64("18446744073709551615", 20, &v) == 0 && v == UINT64_MAX);
	EXPECT(config_parse_u64("18446744073709551616", 20, &v) == -1);
	EXPECT(config_parse_u64("0xffffffffffffffff", 18, &v) == 0 && v == UINT64_MAX);
	EXPECT(config_parse_u64("0x1ffffffffffffffff", 19, &v) == -1);
	EXPECT(config_parse_u64("0x", 2, &v) == -1);
	EXPECT(config_parse_u64("", 0, &v) == -1);
	EXPECT(config_parse_u64("12a", 3, &v) == -1);
}

static void test_long_line_and_no_newline(void)
{
	char text[600];

	memset(text, 'x', 300);
	strcpy(text + 300, "=1\nnum=9");
	EXPECT(parse(text) == 1);
	EXPECT(strstr(warnings, "hvprobe.cfg:1: line is too long") != NULL);
	EXPECT(num == 9);
}

struct unit_test unit_tests[] = {
	{ "config.good", test_good },
	{ "config.spacing_comments_crlf", test_spacing_comments_crlf },
	{ "config.bad_lines_named", test_bad_lines_named },
	{ "config.numbers", test_numbers },
	{ "config.long_line_and_no_newline", test_long_line_and_no_newline },
	{ NULL, NULL },
};

UNIT_MAIN
