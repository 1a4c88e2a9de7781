/*
 * What hvprobe publishes over KVP (see kvp_items.h).
 *
 * Auto pool (2): the intrinsic items of Msvm_KvpExchangeComponent's
 * GuestIntrinsicExchangeItems, in Linux's index order for the first ten
 * (hv_kvp_daemon.c) and then the Windows-only ones (MSDOC,
 * Msvm_KvpExchangeDataItem).  Values are honest for hvprobe: its name and
 * version, no domain, no IP stack, no service pack.
 *
 * Guest pool (1): the report, recomputed on every read:
 *   hvprobe.verdict      "RUNNING: PASS so far" / "RUNNING: FAIL so far" until the report is finished, then PASS,
 *                        FAIL or NO-HYPERV (as the serial verdict line)
 *   hvprobe.summary      "N passed, N failed, N skipped[, N warnings]"
 *   hvprobe.check.NNN    check NNN (1-based, as in TAP) as its TAP line:
 *                        "ok 7 - vmbus.connect: version 5.2 ..."
 */
#include "drivers/ic/kvp_items.h"

#include "drivers/ic/kvp_regs.h"
#include "kernel/version.h"
#include "lib/fmt.h"
#include "lib/report.h"
#include "lib/str.h"

#define CHECK_PREFIX "hvprobe.check."

/* "0.1.0" -> the digits of part @n (0: major, 1: minor), "0" when absent. */
static void version_part(unsigned n, char *out, size_t size)
{
	const char *p = HVPROBE_VERSION;
	size_t k = 0;

	while (n && *p)
		if (*p++ == '.')
			n--;
	while (*p >= '0' && *p <= '9' && k + 1 < size)
		out[k++] = *p++;
	if (!k && size > 1)
		out[k++] = '0';
	out[k] = '\0';
}

/* The Auto pool: key and fixed value, or NULL value for a computed one. */
static const struct {
	const char *key;
	const char *value;
} auto_items[] = {
	{ "FullyQualifiedDomainName", "hvprobe" },      /* no domain: the bare name */
	{ "IntegrationServicesVersion", HVPROBE_VERSION },
	{ "NetworkAddressIPv4", "" },                   /* no IP stack: no addresses */
	{ "NetworkAddressIPv6", "" },
	{ "OSBuildNumber", HVPROBE_VERSION },
	{ "OSName", "hvprobe" },
	{ "OSMajorVersion", NULL },
	{ "OSMinorVersion", NULL },
	{ "OSVersion", HVPROBE_VERSION },
	/* PROCESSOR_ARCHITECTURE_AMD64, as Windows reports it (Linux sends uname's "x86_64") */
	{ "ProcessorArchitecture", "9" },
	/* Windows-only items: not Windows (VER_PLATFORM_WIN32_NT would be 2), no service pack */
	{ "OSPlatformId", "0" },
	{ "CSDVersion", "" },
	{ "ServicePackMajor", "0" },
	{ "ServicePackMinor", "0" },
	{ "SuiteMask", "0" },
	{ "ProductType", "0" },                         /* neither workstation (1) nor server (3) */
};

/* Auto item @i's value. */
static void auto_value(unsigned i, char value[KVP_ITEM_VALUE_MAX])
{
	if (auto_items[i].value)
		str_copy(value, auto_items[i].value, KVP_ITEM_VALUE_MAX);
	else
		version_part(!strcmp(auto_items[i].key, "OSMinorVersion"), value, KVP_ITEM_VALUE_MAX);
}

/* Checks the report can return (it keeps the first REPORT_MAX_CHECKS). */
static unsigned checks_kept(void)
{
	unsigned n = report_total();

	return n < REPORT_MAX_CHECKS ? n : REPORT_MAX_CHECKS;
}

/*
 * The verdict as the serial line will say it; before report_finish() the
 * verdict so far, so that a host reading KVP while the guest serves (it
 * cannot read it after power off) still learns whether anything failed.
 */
static const char *verdict(void)
{
	if (!report_finished())
		return report_count(CHECK_FAIL) ? "RUNNING: FAIL so far" : "RUNNING: PASS so far";
	/* a KVP channel exists only on a host with the Hyper-V interface */
	return report_count(CHECK_FAIL) ? "FAIL" : "PASS";
}

/* Check @n (0-based) as its TAP line. */
static void check_line(unsigned n, char value[KVP_ITEM_VALUE_MAX])
{
	const struct check_record *c = report_get(n);

	if (!c)
		value[0] = '\0';
	else if (c->result == CHECK_SKIP || c->result == CHECK_WARN)
		fmt_snprintf(value, KVP_ITEM_VALUE_MAX, "ok %u - %s # %s %s", n + 1, c->id,
			     c->result == CHECK_SKIP ? "SKIP" : "WARN", c->reason);
	else
		fmt_snprintf(value, KVP_ITEM_VALUE_MAX, "%s %u - %s: %s",
			     c->result == CHECK_PASS ? "ok" : "not ok", n + 1, c->id, c->reason);
}

/* Auto: the table; Guest: verdict, summary and every kept check. */
unsigned kvp_items_count(unsigned pool)
{
	if (pool == KVP_POOL_AUTO)
		return ARRAY_SIZE(auto_items);
	if (pool == KVP_POOL_GUEST)
		return 2 + checks_kept();
	return 0;
}

/* Item @index: Auto from the table, Guest computed from the report now. */
bool kvp_item_at(unsigned pool, unsigned index, char key[KVP_ITEM_KEY_MAX],
		 char value[KVP_ITEM_VALUE_MAX])
{
	if (index >= kvp_items_count(pool))
		return false;
	if (pool == KVP_POOL_AUTO) {
		str_copy(key, auto_items[index].key, KVP_ITEM_KEY_MAX);
		auto_value(index, value);
	} else if (index == 0) {
		str_copy(key, "hvprobe.verdict", KVP_ITEM_KEY_MAX);
		str_copy(value, verdict(), KVP_ITEM_VALUE_MAX);
	} else if (index == 1) {
		str_copy(key, "hvprobe.summary", KVP_ITEM_KEY_MAX);
		report_summary(value, KVP_ITEM_VALUE_MAX);
	} else {
		fmt_snprintf(key, KVP_ITEM_KEY_MAX, CHECK_PREFIX "%03u", index - 1);
		check_line(index - 2, value);
	}
	return true;
}

/* "hvprobe.check.NNN" -> NNN (1-based); 0 when @key is not such a name. */
static unsigned check_number(const char *key)
{
	size_t plen = sizeof(CHECK_PREFIX) - 1;
	unsigned n = 0;

	if (strncmp(key, CHECK_PREFIX, plen) || !key[plen])
		return 0;
	for (const char *p = key + plen; *p; p++) {
		if (*p < '0' || *p > '9' || n > REPORT_MAX_CHECKS)
			return 0;
		n = n * 10 + (unsigned)(*p - '0');
	}
	return n;
}

/* A GET by key: checks by number, the rest by a scan. */
bool kvp_item_find(unsigned pool, const char *key, char value[KVP_ITEM_VALUE_MAX])
{
	char k[KVP_ITEM_KEY_MAX];
	unsigned n;

	if (pool == KVP_POOL_GUEST && (n = check_number(key)) != 0)
		return n <= checks_kept() && kvp_item_at(pool, n + 1, k, value) && !strcmp(k, key);
	/* the Auto items, or the Guest pool's verdict and summary */
	n = pool == KVP_POOL_GUEST ? 2 : kvp_items_count(pool);
	for (unsigned i = 0; i < n; i++)
		if (kvp_item_at(pool, i, k, value) && !strcmp(k, key))
			return true;
	return false;
}
