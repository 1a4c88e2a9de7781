/* hvprobe.cfg keys: one table, one place to read what each key does. */
#include "kernel/options.h"

#include "drivers/hyperv/hv_regs.h"
#include "drivers/vmbus/vmbus.h"
#include "lib/config.h"
#include "lib/fmt.h"
#include "lib/log.h"
#include "lib/str.h"

struct options opt;

const char *const expect_names[] = { "none", "qemu", "hyperv", NULL };
static const char *const finish_names[] = { "poweroff", "reboot", "serve", NULL };
const char *const fault_names[] = { "none", "page_fault", "gp", "ud", "divide",
				    "assert", "hang", NULL };
static const char *const bool_names[] = { "0", "1", NULL };

static char vmbus_version_text[8];

static const struct config_key keys[] = {
	{ "expect", CONFIG_ENUM, &opt.expect, 0, 0, expect_names,
	  "expectation profile: what the host must provide" },
	{ "observe", CONFIG_U64, &opt.observe_s, 0, 3600, NULL,
	  "seconds to watch the host before the verdict" },
	{ "finish", CONFIG_ENUM, &opt.finish, 0, 0, finish_names,
	  "after the verdict: power off, reboot, or serve until the host shuts us down" },
	{ "deadline", CONFIG_U64, &opt.deadline_s, 1, 86400, NULL,
	  "global deadline in seconds: a verdict is printed by then" },
	{ "guest_os_id", CONFIG_U64, &opt.guest_os_id, 1, UINT64_MAX, NULL,
	  "guest OS ID to announce (non-zero; default: open source, OS type 0x7f)" },
	{ "vmbus_version", CONFIG_STR, vmbus_version_text, 0, sizeof(vmbus_version_text), NULL,
	  "force one VMBus version, e.g. 4.0 (default: newest the host accepts)" },
	{ "require", CONFIG_STR, opt.require, 0, sizeof(opt.require), NULL,
	  "devices the host must offer, comma-separated (default: the profile's list)" },
	{ "fcopy_max", CONFIG_U64, &opt.fcopy_max, 0, 1ull << 30, NULL,
	  "guest file copy: bytes of copied files kept in memory, all together (default 1 MiB)" },
	{ "verbose", CONFIG_ENUM, &opt.verbose, 0, 0, bool_names, "1 = debug logging" },
	{ "enforce", CONFIG_ENUM, &opt.enforce, 0, 0, bool_names,
	  "1 = host enforces CPUID bits" },
	{ "fault", CONFIG_ENUM, &opt.fault, 0, 0, fault_names,
	  "self-test: raise this fault to exercise the failure path" },
};

static void warn(const char *msg)
{
	log_printf("hvprobe: %s\n", msg);
}

/*
 * The next name in the comma-separated require= list from *@p: its start in
 * @name and its length (spaces around it dropped); false at the end.
 */
static bool next_name(const char **p, const char **name, size_t *len)
{
	const char *s = *p, *end;

	while (*s) {
		while (*s == ' ' || *s == '\t')
			s++;
		end = s;
		while (*end && *end != ',')
			end++;
		*p = *end ? end + 1 : end;
		*name = s;
		*len = (size_t)(end - s);
		while (*len && (s[*len - 1] == ' ' || s[*len - 1] == '\t'))
			(*len)--;
		if (*len)
			return true;
		s = *p;
	}
	*p = s;
	return false;
}

bool options_require_names(const char *name)
{
	size_t n = strlen(name), len;
	const char *p = opt.require, *tok;

	while (next_name(&p, &tok, &len))
		if (len == n && !strncmp(tok, name, n))
			return true;
	return false;
}

static bool known_device(const char *name, size_t len)
{
	const struct vmbus_device *d;

	for (unsigned i = 0; (d = vmbus_device_at(i)); i++)
		if (strlen(d->name) == len && !strncmp(d->name, name, len))
			return true;
	return false;
}

/*
 * Every name in require= must be a device hvprobe knows: an unknown one (a
 * typo) would otherwise require nothing, and a host that offers nothing
 * would pass.  The unknown names go to opt.require_unknown (main.c fails
 * config.require with them); returns how many there were.
 */
static int check_require(void)
{
	const char *p = opt.require, *tok;
	size_t len;
	int bad = 0;
	struct fmt_buf fb = FMT_BUF(opt.require_unknown);

	while (next_name(&p, &tok, &len)) {
		if (known_device(tok, len))
			continue;
		bad++;
		log_printf("hvprobe: hvprobe.cfg: require: unknown device '%.*s'\n", (int)len, tok);
		fmt_add(&fb, "%s'%.*s'", fb.len ? ", " : "", (int)len, tok);
	}
	return bad;
}

/* The known device names, comma-separated, into @buf (for config.require's reason). */
const char *options_device_names(char *buf, size_t n)
{
	const struct vmbus_device *d;
	struct fmt_buf fb = { buf, n, 0 };

	buf[0] = '\0';
	for (unsigned i = 0; (d = vmbus_device_at(i)); i++)
		fmt_add(&fb, "%s%s", i ? ", " : "", d->name);
	return buf;
}

uint32_t options_parse_version(const char *s)
{
	uint64_t maj, min;
	const char *dot = s;

	while (*dot && *dot != '.')
		dot++;
	if (!*dot || config_parse_u64(s, (size_t)(dot - s), &maj) ||
	    config_parse_u64(dot + 1, strlen(dot + 1), &min) || maj > 0xffff || min > 0xffff)
		return 0;
	return (uint32_t)(maj << 16 | min);
}

int options_load(const char *text, size_t len)
{
	int bad;

	opt = (struct options){
		.expect = EXPECT_NONE,
		.finish = FINISH_POWEROFF,
		.fault = FAULT_NONE,
		.verbose = 0,
		.observe_s = OBSERVE_DEFAULT,
		.deadline_s = 600,
		.guest_os_id = HV_GUEST_OS_ID_DEFAULT,
		.fcopy_max = 1u << 20,
	};
	vmbus_version_text[0] = '\0';
	opt.require[0] = '\0';
	bad = config_parse(text, len, keys, ARRAY_SIZE(keys), warn);
	bad += check_require();
	/*
	 * The window by profile: Hyper-V sends a heartbeat every ~2 s and a
	 * time sample every ~5 s, so 15 s sees several of each; QEMU has no
	 * integration services to watch; "none" judges only what is there.
	 */
	if (opt.observe_s == OBSERVE_DEFAULT)
		opt.observe_s = opt.expect == EXPECT_HYPERV ? 15 : opt.expect == EXPECT_QEMU ? 2 : 0;
	if (vmbus_version_text[0]) {
		opt.vmbus_version = options_parse_version(vmbus_version_text);
		if (!opt.vmbus_version) {
			log_printf("hvprobe: hvprobe.cfg: vmbus_version: '%s' is not M.m; negotiating instead\n",
				   vmbus_version_text);
			bad++;
		}
	}
	return bad;
}
