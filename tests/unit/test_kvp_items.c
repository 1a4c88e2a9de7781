/*
 * Unit tests of drivers/ic/kvp_items.c: the Auto pool hvprobe serves and
 * the Guest pool that carries its report (what a host reads over KVP).
 * The unit build links lib/ only, so the driver file is included here.
 */
#include "drivers/ic/kvp_items.c"

#include "tests/unit/unit.h"

static void test_auto_pool(void)
{
	char key[KVP_ITEM_KEY_MAX], value[KVP_ITEM_VALUE_MAX];

	EXPECT(kvp_items_count(KVP_POOL_AUTO) == 16);
	EXPECT(kvp_item_at(KVP_POOL_AUTO, 0, key, value));
	EXPECT_STR(key, "FullyQualifiedDomainName");
	EXPECT_STR(value, "hvprobe");
	/* Linux's index order for the first ten */
	EXPECT(kvp_item_at(KVP_POOL_AUTO, 9, key, value));
	EXPECT_STR(key, "ProcessorArchitecture");
	EXPECT_STR(value, "9");
	EXPECT(!kvp_item_at(KVP_POOL_AUTO, 16, key, value));
	EXPECT(kvp_item_find(KVP_POOL_AUTO, "OSName", value));
	EXPECT_STR(value, "hvprobe");
	EXPECT(kvp_item_find(KVP_POOL_AUTO, "OSMajorVersion", value));
	EXPECT_STR(value, "0");
	EXPECT(kvp_item_find(KVP_POOL_AUTO, "OSMinorVersion", value));
	EXPECT_STR(value, "1");
	EXPECT(kvp_item_find(KVP_POOL_AUTO, "NetworkAddressIPv4", value));
	EXPECT_STR(value, "");
	EXPECT(!kvp_item_find(KVP_POOL_AUTO, "HostName", value));
	EXPECT(kvp_items_count(KVP_POOL_EXTERNAL) == 0 && kvp_items_count(KVP_POOL_AUTO_INTERNAL) == 0);
}

static void test_guest_pool_report(void)
{
	char key[KVP_ITEM_KEY_MAX], value[KVP_ITEM_VALUE_MAX];

	report_begin();
	check("a.one", CHECK_PASS, "first %d", 1);
	check("b.two", CHECK_FAIL, "second");
	check("c.three", CHECK_SKIP, "third");
	EXPECT(kvp_items_count(KVP_POOL_GUEST) == 5);
	EXPECT(kvp_item_at(KVP_POOL_GUEST, 0, key, value));
	EXPECT_STR(key, "hvprobe.verdict");
	EXPECT_STR(value, "RUNNING: FAIL so far");
	EXPECT(kvp_item_at(KVP_POOL_GUEST, 1, key, value));
	EXPECT_STR(key, "hvprobe.summary");
	EXPECT_STR(value, "1 passed, 1 failed, 1 skipped");
	EXPECT(kvp_item_at(KVP_POOL_GUEST, 2, key, value));
	EXPECT_STR(key, "hvprobe.check.001");
	EXPECT_STR(value, "ok 1 - a.one: first 1");
	EXPECT(kvp_item_find(KVP_POOL_GUEST, "hvprobe.check.002", value));
	EXPECT_STR(value, "not ok 2 - b.two: second");
	EXPECT(kvp_item_find(KVP_POOL_GUEST, "hvprobe.check.003", value));
	EXPECT_STR(value, "ok 3 - c.three # SKIP third");
	EXPECT(!kvp_item_find(KVP_POOL_GUEST, "hvprobe.check.004", value));
	EXPECT(!kvp_item_find(KVP_POOL_GUEST, "hvprobe.check.2", value));   /* names are canonical */
	EXPECT(!kvp_item_find(KVP_POOL_GUEST, "hvprobe.check.", value));
	EXPECT(!kvp_item_at(KVP_POOL_GUEST, 5, key, value));
	report_finish();
	EXPECT(kvp_item_find(KVP_POOL_GUEST, "hvprobe.verdict", value));
	EXPECT_STR(value, "FAIL");
}

static void test_guest_pool_pass(void)
{
	char value[KVP_ITEM_VALUE_MAX];

	report_begin();
	check("a.one", CHECK_PASS, "fine");
	EXPECT(kvp_item_find(KVP_POOL_GUEST, "hvprobe.verdict", value));
	EXPECT_STR(value, "RUNNING: PASS so far");
	report_set_hyperv(true);
	report_finish();
	EXPECT(kvp_item_find(KVP_POOL_GUEST, "hvprobe.verdict", value));
	EXPECT_STR(value, "PASS");
}

struct unit_test unit_tests[] = {
	{ "kvp_items.auto_pool", test_auto_pool },
	{ "kvp_items.guest_pool_report", test_guest_pool_report },
	{ "kvp_items.guest_pool_pass", test_guest_pool_pass },
	{ NULL, NULL },
};

UNIT_MAIN
