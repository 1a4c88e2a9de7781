/*
 * hvprobe-sim: the guest's portable code run as a Linux process against
 * the simulated host.
 *
 *   hvprobe-sim [--scenario FILE] [--config FILE] [--profile NAME]
 *               [--misbehave NAME]... [--list]
 *
 * A scenario (a .scn file in tests/sim) is a declarative file of "key = value" lines:
 *   profile = hyperv-2019          the host profile (see --list)
 *   guest = expect=hyperv          a line for the guest's hvprobe.cfg (repeatable)
 *   misbehave = irq_storm          a host misbehaviour (repeatable, see --list)
 *   expect = ...                   read by tests/sim/run, ignored here
 * The guest's console goes to stdout; the exit status follows QEMU's
 * isa-debug-exit convention, (status << 1) | 1, so run.sh treats both alike.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/bootinfo.h"
#include "tools/hvsim/hvsim.h"

#define ARENA_GPA 0x10000000ull   /* guest RAM starts at 256 MiB */
#define ARENA_SIZE (64ull << 20)

const char *const sim_misbehaviour_names[MB_COUNT] = {
	[MB_GUEST_OS_ID_IGNORED] = "guest_os_id_ignored",
	[MB_VERSION_ZERO] = "version_zero",
	[MB_HYPERCALL_MSR_IGNORED] = "hypercall_msr_ignored",
	[MB_HYPERCALL_PAGE_UNFILLED] = "hypercall_page_unfilled",
	[MB_HYPERCALL_ACCEPT_ALL] = "hypercall_accept_all",
	[MB_SYNIC_VERSION_WRONG] = "synic_version_wrong",
	[MB_SYNIC_MSR_GP] = "synic_msr_gp",
	[MB_SIMP_IGNORED] = "simp_ignored",
	[MB_TIMER_SILENT] = "timer_silent",
	[MB_MESSAGE_BAD_SIZE] = "message_bad_size",
	[MB_MESSAGE_NO_IRQ] = "message_no_irq",
	[MB_IRQ_WITHOUT_MESSAGE] = "irq_without_message",
	[MB_IRQ_STORM] = "irq_storm",
	[MB_REF_COUNTER_FROZEN] = "ref_counter_frozen",
	[MB_REF_TSC_WRONG] = "ref_tsc_wrong",
};
bool sim_mb[MB_COUNT];

void sim_memory_init(uint64_t gpa, uint64_t size);

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
		printf("  %s\n", sim_misbehaviour_names[i]);
}

int main(int argc, char **argv)
{
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
		else
			usage_error("unknown option", a);
		i++;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	fprintf(stderr, "hvsim: host profile %s: %s\n", sim.profile->name, sim.profile->about);

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
