/* Unit tests of lib/guid.c: the mixed-endian wire layout both ways. */
#include "lib/guid.h"

#include "tests/unit/unit.h"

static void test_wire_layout(void)
{
	/* docs/PROTOCOL.md (Conventions): the shutdown IC's class GUID on the wire */
	static const uint8_t wire[16] = { 0x31, 0x60, 0x0b, 0x0e, 0x13, 0x52, 0x34, 0x49,
					  0x81, 0x8b, 0x38, 0xd9, 0x0c, 0xed, 0x39, 0xdb };
	struct guid g = GUID_INIT(0x0e0b6031, 0x5213, 0x4934, 0x81, 0x8b, 0x38, 0xd9, 0x0c, 0xed,
				  0x39, 0xdb);
	struct guid p;
	char buf[GUID_STR_LEN];

	EXPECT(memcmp(g.b, wire, 16) == 0);
	EXPECT_STR(guid_format(&g, buf), "0e0b6031-5213-4934-818b-38d90ced39db");
	EXPECT(guid_parse("0E0B6031-5213-4934-818B-38D90CED39DB", &p) == 0);
	EXPECT(guid_equal(&p, &g));
}

static void test_parse_rejects(void)
{
	struct guid p;

	EXPECT(guid_parse("0e0b6031-5213-4934-818b-38d90ced39d", &p) == -1);   /* short */
	EXPECT(guid_parse("0e0b6031-5213-4934-818b-38d90ced39dbx", &p) == -1); /* long */
	EXPECT(guid_parse("0e0b6031x5213-4934-818b-38d90ced39db", &p) == -1);  /* separator */
	EXPECT(guid_parse("0e0b6031-5213-4934-818b-38d90ced39dg", &p) == -1);  /* not hex */
	EXPECT(guid_parse("", &p) == -1);
}

static void test_zero(void)
{
	struct guid z = { { 0 } }, one = { { 0 } };

	one.b[15] = 1;
	EXPECT(guid_is_zero(&z));
	EXPECT(!guid_is_zero(&one));
	EXPECT(!guid_equal(&z, &one));
}

struct unit_test unit_tests[] = {
	{ "guid.wire_layout", test_wire_layout },
	{ "guid.parse_rejects", test_parse_rejects },
	{ "guid.zero", test_zero },
	{ NULL, NULL },
};

UNIT_MAIN
