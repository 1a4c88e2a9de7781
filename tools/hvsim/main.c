/*
 * hvprobe-sim: the guest's portable code run as a Linux process against
 * the simulated host.
 *
 *   hvprobe-sim [--scenario FILE] [--config FILE] [--profile NAME]
 *               [--misbehave NAME]... [--quirk NAME]... [--list]
 *
 * A scenario (a .scn file in tests/sim) is a declarative file of "key = value" lines:
 *   profile = hyperv-2019          the host profile (see --list)
 *   guest = expect=hyperv          a line for the guest's hvprobe.cfg (repeatable)
 *   misbehave = irq_storm          a host misbehaviour (repeatable, see --list)
 *   quirk = ic_txid_zero           a legal host habit (repeatable, see --list); a
 *                                  profile's own quirks are always on
 *   expect = ...                   read by tests/sim/run, ignored here
 * and for the VMBus host (vmbus/config.c; without them the profile's defaults apply):
 *   vmbus = 5.2                    highest version accepted: none, 0.13, 1.1, 2.4,
 *                                  3.0, 4.0, 4.1, 5.0, 5.1, 5.2, 5.3 or 6.0
 *   vmbus_conn_id = 1              msg_conn_id answered for >= 5.0 (default 1)
 *   offer = NAME [relid=N] [instance=GUID]
 *                                  offer a device (repeatable, in this order; NAME
 *                                  from --list; relids 1, 2, 3... unless given);
 *                                  "offer = none" offers nothing
 *   vmbus_delay_ms = 1 [MESSAGE]   control messages are answered this much later, in
 *                                  order; with MESSAGE (a guest message: OPENCHANNEL,
 *                                  GPADL_HEADER, INITIATE_CONTACT...) only that one
 *   vmbus_ping = N                 after each open, N "hvsim ping <n>" packets
 *   vmbus_trace = 1                every VMBus message and packet on stderr
 * and for the integration services (ic/ic_host.c):
 *   shutdown = SECONDS [flags=N] [reason=N] [timeout=N] [message=TEXT]
 *                                  the shutdown IC asks the guest to shut down
 *                                  SECONDS after boot (virtual time); flags 1
 *                                  (forced power off) unless given, 2 reboot,
 *                                  4 hibernate; reason 0x80000000 (planned);
 *                                  TEXT (the rest of the line) is the display
 *                                  message
 *   ic_versions = LIST M.m...      the versions NEGOTIATE offers, ascending; LIST
 *                                  is framework (1.0 3.0), heartbeat (1.0 3.0),
 *                                  shutdown (1.0 3.0 3.1 3.2) or timesync
 *                                  (1.0 3.0 4.0)
 * and for the keyboard, mouse and Dynamic Memory hosts (vmbus/input_dm.h):
 *   key = SECONDS CODE [release] [e0] [e1] [unicode]
 *   pointer = SECONDS X Y BUTTONS
 *   balloon | unballoon | hot_add = SECONDS PAGES   (unballoon: [skip=K])
 *   dm_version = 2.0|1.0|0.3       dm_status_reports = 1|0       dm_hot_remove = 0|1
 * and for the KVP, VSS and guest file copy hosts (ic/ic_services.h):
 *   kvp_host | kvp_set | kvp_get | kvp_delete | kvp_enumerate | kvp_count |
 *   kvp_ip | kvp_fill | kvp_poll = ...
 *   vss = backup|all [at=SECONDS]
 *   fcopy = NAME SIZE [path=P] [overwrite] [cancel=N] [at=SECONDS]
 * The guest's console goes to stdout; the exit status follows QEMU's
 * isa-debug-exit convention, (status << 1) | 1, so run.sh treats both alike.
 * hvsim's own log goes to stderr: every rule it saw the guest break is a
 * "hvsim: ...guest error: ..." line, and the last line is always
 * "hvsim: guest errors: N" (tests/sim/run fails a scenario on any).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/bootinfo.h"
#include "kernel/cpu.h"
#include "lib/log.h"
#include "tools/hvsim/hvsim.h"
#include "tools/hvsim/ic/ic_host.h"
#include "tools/hvsim/ic/ic_services.h"
#include "tools/hvsim/vmbus/input_dm.h"
#include "tools/hvsim/vmbus/vmbus.h"

#define ARENA_GPA 0x10000000ull   /* guest RAM starts at 256 MiB */
#define ARENA_SIZE (64ull << 20)

/* the scenario names: the enum names in lower case */
static const char *const mb_about[MB_COUNT] = {
#define MB(e, about) about,
#include "tools/hvsim/misbehaviours.def"
#undef MB
};
static const char *const quirk_about[QUIRK_COUNT] = {
#define QUIRK(e, about) about,
#include "tools/hvsim/quirks.def"
#undef QUIRK
};
static char mb_names[MB_COUNT][40], quirk_names[QUIRK_COUNT][40];
const char *const sim_misbehaviour_names[MB_COUNT] = {
#define MB(e, about) mb_names[MB_##e],
#include "tools/hvsim/misbehaviours.def"
#undef MB
};
const char *const sim_quirk_names[QUIRK_COUNT] = {
#define QUIRK(e, about) quirk_names[QUIRK_##e],
#include "tools/hvsim/quirks.def"
#undef QUIRK
};
bool sim_mb[MB_COUNT];
bool sim_quirk[QUIRK_COUNT];

/* Fill @dst with the lower-case form of "A_B" */
static void lower_name(char *dst, size_t n, const char *src)
{
	size_t i;

	for (i = 0; src[i] && i + 1 < n; i++)
		dst[i] = (char)((src[i] >= 'A' && src[i] <= 'Z') ? src[i] - 'A' + 'a' : src[i]);
	dst[i] = '\0';
}

/* The scenario names, from the enum names (before anything is parsed). */
static void names_init(void)
{
	static const char *const mb_enum[MB_COUNT] = {
#define MB(e, about) #e,
#include "tools/hvsim/misbehaviours.def"
#undef MB
	};
	static const char *const quirk_enum[QUIRK_COUNT] = {
#define QUIRK(e, about) #e,
#include "tools/hvsim/quirks.def"
#undef QUIRK
	};

	for (int i = 0; i < MB_COUNT; i++)
		lower_name(mb_names[i], sizeof(mb_names[i]), mb_enum[i]);
	for (int i = 0; i < QUIRK_COUNT; i++)
		lower_name(quirk_names[i], sizeof(quirk_names[i]), quirk_enum[i]);
}


static struct boot_info bi;

static __attribute__((noreturn)) void usage_error(const char *msg, const char *arg)
{
	fprintf(stderr, "hvprobe-sim: %s%s%s (see --list)\n", msg, arg ? ": " : "", arg ? arg : "");
	exit(2);
}

static void set_profile(const char *name)
{
	sim.profile = sim_profile_find(name);
	if (!sim.profile)
		usage_error("unknown profile", name);
}

static void set_misbehaviour(const char *name)
{
	for (int i = 0; i < MB_COUNT; i++) {
		if (!strcmp(sim_misbehaviour_names[i], name)) {
			sim_mb[i] = true;
			return;
		}
	}
	usage_error("unknown misbehaviour", name);
}

static void set_quirk(const char *name)
{
	for (int i = 0; i < QUIRK_COUNT; i++) {
		if (!strcmp(sim_quirk_names[i], name)) {
			sim_quirk[i] = true;
			return;
		}
	}
	usage_error("unknown quirk", name);
}

/* A profile's quirks: its space-separated list. */
static void set_profile_quirks(void)
{
	const char *q = sim.profile->quirks;
	char name[40];

	while (q && *q) {
		size_t n = strcspn(q, " ");

		if (n && n < sizeof(name)) {
			memcpy(name, q, n);
			name[n] = '\0';
			set_quirk(name);
		}
		q += n + (q[n] == ' ');
	}
}

static void add_guest_line(const char *line)
{
	size_t n = strlen(line);

	if (bi.config_len + n + 1 > sizeof(bi.config))
		usage_error("guest configuration too long", NULL);
	memcpy(bi.config + bi.config_len, line, n);
	bi.config_len += (uint32_t)n;
	bi.config[bi.config_len++] = '\n';
}

static void read_config(const char *path)
{
	FILE *f = fopen(path, "r");
	size_t n;

	if (!f)
		usage_error("cannot open config", path);
	n = fread(bi.config + bi.config_len, 1, sizeof(bi.config) - bi.config_len, f);
	bi.config_len += (uint32_t)n;
	fclose(f);
}

/* A decimal or 0x number that fits @max; exits on anything else. */
static unsigned long number(const char *key, const char *val, unsigned long max)
{
	char *end;
	unsigned long n = strtoul(val, &end, 0);

	if (!*val || *end || *val == '-' || n > max)
		usage_error("bad number for", key);
	return n;
}

/* "offer = NAME [relid=N] [instance=GUID]" or "offer = none" */
static void add_offer(char *val)
{
	struct sim_vmbus_config *c = &sim_vmbus_cfg;
	struct sim_offer_cfg *o;
	char *save = NULL, *tok = strtok_r(val, " \t", &save);

	c->offers_set = true;
	if (tok && !strcmp(tok, "none"))
		return;
	if (c->noffers == SIM_VMBUS_MAX_OFFERS)
		usage_error("too many offers", tok);
	o = &c->offers[c->noffers];
	memset(o, 0, sizeof(*o));
	o->dev = tok ? sim_device_find(tok) : NULL;
	if (!o->dev)
		usage_error("unknown VMBus device", tok ? tok : "(none)");
	while ((tok = strtok_r(NULL, " \t", &save))) {
		if (!strncmp(tok, "relid=", 6)) {
			o->relid = (uint32_t)number("relid", tok + 6, VMBUS_MAX_RELID);
			if (!o->relid)
				usage_error("relid 0 is reserved", tok);
		} else if (!strncmp(tok, "instance=", 9) && !guid_parse(tok + 9, &o->instance)) {
			o->instance_set = true;
		} else {
			usage_error("bad offer option", tok);
		}
	}
	c->noffers++;
}

/* "vmbus_delay_ms = N [MESSAGE]": every control message, or only MESSAGE, handled N ms later. */
static void set_vmbus_delay(char *val)
{
	char *save = NULL, *ms = strtok_r(val, " \t", &save), *name = strtok_r(NULL, " \t", &save);
	uint64_t ns = number("vmbus_delay_ms", ms ? ms : "", 600000) * 1000000ull;

	if (!name) {
		sim_vmbus_cfg.delay_ns = ns;
		return;
	}
	sim_vmbus_cfg.delay_type = sim_vmbus_msg_type(name);
	if (!sim_vmbus_cfg.delay_type || strtok_r(NULL, " \t", &save))
		usage_error("vmbus_delay_ms: N, then at most one message a guest sends", name);
	sim_vmbus_cfg.delay_type_ns = ns;
}

/* "shutdown = SECONDS [flags=N] [reason=N] [timeout=N] [message=TEXT]" */
static void set_shutdown(char *val)
{
	struct sim_ic_config *c = &sim_ic_cfg;
	char *msg = strstr(val, "message="), *save = NULL, *tok;

	if (msg) {
		*msg = '\0';
		msg += 8;
		if (strlen(msg) >= sizeof(c->shutdown_message))
			usage_error("shutdown message too long", msg);
		strcpy(c->shutdown_message, msg);
	}
	tok = strtok_r(val, " \t", &save);
	if (!tok)
		usage_error("shutdown needs SECONDS", NULL);
	c->shutdown_ns = number("shutdown", tok, 86400) * 1000000000ull;
	c->shutdown_set = true;
	while ((tok = strtok_r(NULL, " \t", &save))) {
		if (!strncmp(tok, "flags=", 6))
			c->shutdown_flags = (uint32_t)number("shutdown flags", tok + 6, UINT32_MAX);
		else if (!strncmp(tok, "reason=", 7))
			c->shutdown_reason = (uint32_t)number("shutdown reason", tok + 7, UINT32_MAX);
		else if (!strncmp(tok, "timeout=", 8))
			c->shutdown_timeout = (uint32_t)number("shutdown timeout", tok + 8, UINT32_MAX);
		else
			usage_error("bad shutdown option", tok);
	}
}

/* "ic_versions = LIST M.m [M.m...]": replaces what NEGOTIATE offers for LIST. */
static void set_ic_versions(char *val)
{
	char *save = NULL, *tok = strtok_r(val, " \t", &save);
	struct sim_ic_versions *l = tok ? sim_ic_versions_named(tok) : NULL;

	if (!l)
		usage_error("ic_versions: not framework, heartbeat, shutdown or timesync", tok);
	l->n = 0;
	while ((tok = strtok_r(NULL, " \t", &save))) {
		if (l->n == SIM_IC_MAX_VERSIONS || sim_ic_version_parse(tok, &l->v[l->n]))
			usage_error("bad or too many IC versions", tok);
		l->n++;
	}
	if (!l->n)
		usage_error("ic_versions lists no version", NULL);
}

static char *trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n' || e[-1] == '\r'))
		*--e = '\0';
	return s;
}

static void read_scenario(const char *path)
{
	FILE *f = fopen(path, "r");
	char line[512];
	unsigned lineno = 0;

	if (!f)
		usage_error("cannot open scenario", path);
	while (fgets(line, sizeof(line), f)) {
		char *s = trim(line), *eq, *key, *val;

		lineno++;
		if (!*s || *s == '#')
			continue;
		eq = strchr(s, '=');
		if (!eq) {
			fprintf(stderr, "%s:%u: expected key = value\n", path, lineno);
			exit(2);
		}
		*eq = '\0';
		key = trim(s);
		val = trim(eq + 1);
		if (!strcmp(key, "profile"))
			set_profile(val);
		else if (!strcmp(key, "guest"))
			add_guest_line(val);
		else if (!strcmp(key, "misbehave"))
			set_misbehaviour(val);
		else if (!strcmp(key, "quirk"))
			set_quirk(val);
		else if (!strcmp(key, "vmbus")) {
			if (sim_vmbus_version_parse(val, &sim_vmbus_cfg.max_version))
				usage_error("unknown VMBus version", val);
			sim_vmbus_cfg.version_set = true;
		} else if (!strcmp(key, "vmbus_conn_id"))
			sim_vmbus_cfg.conn_id = (uint32_t)number(key, val, UINT32_MAX);
		else if (!strcmp(key, "offer"))
			add_offer(val);
		else if (!strcmp(key, "vmbus_delay_ms"))
			set_vmbus_delay(val);
		else if (!strcmp(key, "vmbus_ping"))
			sim_vmbus_cfg.ping = (unsigned)number(key, val, 1000);
		else if (!strcmp(key, "vmbus_trace"))
			sim_vmbus_cfg.trace = number(key, val, 1);
		else if (!strcmp(key, "shutdown"))
			set_shutdown(val);
		else if (!strcmp(key, "ic_versions"))
			set_ic_versions(val);
		else if (sim_input_dm_key(key, val))
			; /* key, pointer, balloon, unballoon, hot_add, dm_* (vmbus/input_dm.h) */
		else if (sim_ic_services_key(key, val))
			; /* kvp_*, vss, fcopy (ic/ic_services.h) */
		else if (strcmp(key, "expect") && strcmp(key, "about")) {
			fprintf(stderr, "%s:%u: unknown key '%s'\n", path, lineno, key);
			exit(2);
		}
	}
	fclose(f);
}

static void list(void)
{
	printf("profiles:\n");
	sim_profile_list();
	printf("misbehaviours:\n");
	for (int i = 0; i < MB_COUNT; i++)
		printf("  %-28s %s\n", sim_misbehaviour_names[i], mb_about[i]);
	printf("quirks (legal or tolerated host habits; \"quirk = NAME\"):\n");
	for (int i = 0; i < QUIRK_COUNT; i++)
		printf("  %-28s %s\n", sim_quirk_names[i], quirk_about[i]);
	sim_vmbus_list();
}

int main(int argc, char **argv)
{
	log_attach(cpu_console_write, cpu_now_ns);
	names_init();
	set_profile("hyperv-2019");
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(a, "--list")) {
			list();
			return 0;
		}
		if (!v)
			usage_error("missing value after", a);
		if (!strcmp(a, "--scenario"))
			read_scenario(v);
		else if (!strcmp(a, "--config"))
			read_config(v);
		else if (!strcmp(a, "--profile"))
			set_profile(v);
		else if (!strcmp(a, "--misbehave"))
			set_misbehaviour(v);
		else if (!strcmp(a, "--quirk"))
			set_quirk(v);
		else
			usage_error("unknown option", a);
		i++;
	}
	set_profile_quirks();
	setvbuf(stdout, NULL, _IOLBF, 0);
	fprintf(stderr, "hvsim: host profile %s: %s\n", sim.profile->name, sim.profile->about);
	for (int q = 0; q < QUIRK_COUNT; q++)
		if (sim_quirk[q])
			fprintf(stderr, "hvsim: quirk %s\n", sim_quirk_names[q]);
	sim_vmbus_init();

	sim_memory_init(ARENA_GPA, ARENA_SIZE);
	for (unsigned s = 0; s < HV_SINT_COUNT; s++)
		sim.sint[s] = HV_SINT_MASKED; /* reset value */
	if (sim_mb[MB_IRQ_WITHOUT_MESSAGE])
		sim.storm_left = 20;
	if (sim_mb[MB_IRQ_STORM])
		sim.storm_left = 10000;

	bi.ram[0].base = ARENA_GPA + PAGE_SIZE;
	bi.ram[0].pages = ARENA_SIZE / PAGE_SIZE - 1;
	bi.nram = 1;
	bi.map_entries = 1;
	bi.tsc_hz = 2500000000ull;
	bi.tsc_reference = "hvsim's virtual clock";
	bi.config_status = bi.config_len ? 0 : 1;
	hvprobe_main(&bi);
}
