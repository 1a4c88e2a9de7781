/*
 * hvprobe-sim: the guest's portable code run as a Linux process against
 * the simulated host.
 *
 *   hvprobe-sim [--scenario FILE] [--config FILE] [--profile NAME]
 *               [--misbehave NAME]... [--quirk NAME]... [--list]
 *
 * A scenario (a .scn file in tests/sim) is a declarative file of "key = value"
 * lines; every key is a row of scenario.c's table, which --list prints
 * (profile, guest, misbehave, quirk, the VMBus host's, the integration
 * services', the keyboard, mouse and Dynamic Memory hosts').
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
static bool mb_fired[MB_COUNT];
bool sim_quirk[QUIRK_COUNT];
static bool quirk_fired[QUIRK_COUNT];

/* @on: a misbehaviour or quirk acts now; say so on stderr, once (tests/sim/matrix reads it). */
static bool fire(bool on, bool *fired, const char *kind, const char *name)
{
	if (on && !*fired) {
		*fired = true;
		fprintf(stderr, "hvsim: %s %s fired\n", kind, name);
	}
	return on;
}

bool sim_mb_fire(enum sim_misbehaviour mb)
{
	return fire(sim_mb[mb], &mb_fired[mb], "misbehaviour", sim_misbehaviour_names[mb]);
}

bool sim_quirk_fire(enum sim_quirk q)
{
	return fire(sim_quirk[q], &quirk_fired[q], "quirk", sim_quirk_names[q]);
}

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

/* "profile = NAME" (and --profile). */
static void set_profile(const char *name)
{
	sim.profile = sim_profile_find(name);
	if (!sim.profile)
		sim_usage_error("unknown profile", name);
}

/* "misbehave = NAME" (and --misbehave). */
static void set_misbehaviour(const char *name)
{
	for (int i = 0; i < MB_COUNT; i++) {
		if (!strcmp(sim_misbehaviour_names[i], name)) {
			sim_mb[i] = true;
			return;
		}
	}
	sim_usage_error("unknown misbehaviour", name);
}

/* "quirk = NAME" (and --quirk). */
static void set_quirk(const char *name)
{
	for (int i = 0; i < QUIRK_COUNT; i++) {
		if (!strcmp(sim_quirk_names[i], name)) {
			sim_quirk[i] = true;
			return;
		}
	}
	sim_usage_error("unknown quirk", name);
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

/* "guest = LINE": one line of the guest's hvprobe.cfg. */
static void add_guest_line(const char *line)
{
	size_t n = strlen(line);

	if (bi.config_len + n + 1 > sizeof(bi.config))
		sim_usage_error("guest configuration too long", NULL);
	memcpy(bi.config + bi.config_len, line, n);
	bi.config_len += (uint32_t)n;
	bi.config[bi.config_len++] = '\n';
}

/* --config FILE: the guest's hvprobe.cfg. */
static void read_config(const char *path)
{
	FILE *f = fopen(path, "r");
	size_t n;

	if (!f)
		sim_usage_error("cannot open config", path);
	n = fread(bi.config + bi.config_len, 1, sizeof(bi.config) - bi.config_len, f);
	bi.config_len += (uint32_t)n;
	fclose(f);
}

/* --list: profiles, misbehaviours, quirks, VMBus versions and devices, scenario keys. */
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
	sim_scenario_list();
}

/* The main-area scenario keys (scenario.c's table). */
void sim_key_profile(const char *key, char *val)
{
	set_profile(val);
}

void sim_key_guest(const char *key, char *val)
{
	add_guest_line(val);
}

void sim_key_misbehave(const char *key, char *val)
{
	set_misbehaviour(val);
}

void sim_key_quirk(const char *key, char *val)
{
	set_quirk(val);
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
			sim_usage_error("missing value after", a);
		if (!strcmp(a, "--scenario"))
			sim_scenario_read(v);
		else if (!strcmp(a, "--config"))
			read_config(v);
		else if (!strcmp(a, "--profile"))
			set_profile(v);
		else if (!strcmp(a, "--misbehave"))
			set_misbehaviour(v);
		else if (!strcmp(a, "--quirk"))
			set_quirk(v);
		else
			sim_usage_error("unknown option", a);
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
	if (sim_quirk_fire(QUIRK_IRQ_WITHOUT_MESSAGE))
		sim.storm_left = 40; /* more than the timer checks' own interrupts */
	if (sim_quirk_fire(QUIRK_IRQ_STORM))
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
