/*
 * hvsim's scenario files: "key = value" lines, every key in one table
 * below (key, the parser it goes to, help).  `hvprobe-sim --list` prints
 * the table; the .scn files in tests/sim are the examples.  The parsers live with what
 * they configure: main.c (profile, guest, misbehaviours, quirks),
 * vmbus/config.c (the VMBus host), ic/ (integration services),
 * input/synth_input.c and balloon/dm_host.c (keyboard, mouse, Dynamic
 * Memory).  A key not in the table stops the run (exit status 2).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tools/hvsim/hvsim.h"
#include "tools/hvsim/ic/ic_host.h"
#include "tools/hvsim/ic/ic_services.h"
#include "tools/hvsim/vmbus/input_dm.h"
#include "tools/hvsim/vmbus/vmbus.h"

/* The input and DM hosts' keys: their own dispatcher knows each. */
static void input_dm_key(const char *key, char *val)
{
	sim_input_dm_key(key, val);
}

/* The KVP, VSS and fcopy hosts' keys: their own dispatcher knows each. */
static void ic_services_key(const char *key, char *val)
{
	sim_ic_services_key(key, val);
}

struct scenario_key {
	const char *key;
	void (*parse)(const char *key, char *val); /* NULL: read by tests/sim/run, ignored here */
	const char *help;
};

static const struct scenario_key keys[] = {
	/* the run */
	{ "profile", sim_key_profile, "NAME: the host profile (see profiles above)" },
	{ "guest", sim_key_guest, "LINE: a line for the guest's hvprobe.cfg (repeatable)" },
	{ "misbehave", sim_key_misbehave, "NAME: a host misbehaviour (repeatable)" },
	{ "quirk", sim_key_quirk, "NAME: a legal host habit (repeatable); a profile's own quirks are always on" },
	{ "expect", NULL, "...: read by tests/sim/run, ignored here" },
	{ "about", NULL, "TEXT: what the scenario tests, ignored here" },
	/* the VMBus host (vmbus/config.c); without them the profile's defaults apply */
	{ "vmbus", sim_vmbus_key_version, "VERSION: highest version accepted (see vmbus versions above)" },
	{ "vmbus_conn_id", sim_vmbus_key_conn_id, "N: msg_conn_id answered for >= 5.0 (default 1)" },
	{ "offer", sim_vmbus_key_offer,
	  "NAME [relid=N] [instance=GUID]: offer a device (repeatable, in this order; relids 1, 2, 3... unless given); \"none\" offers nothing" },
	{ "vmbus_delay_ms", sim_vmbus_key_delay,
	  "N [MESSAGE]: control messages answered N ms later, in order; with MESSAGE (OPENCHANNEL, GPADL_HEADER, ...) only that one" },
	{ "rescind", sim_vmbus_key_rescind,
	  "NAME [MS]: the host rescinds device NAME's channel MS ms (default 3000) after it opened, as a hot removal does" },
	{ "vmbus_ping", sim_vmbus_key_ping, "N: after each open, N \"hvsim ping <n>\" packets" },
	{ "vmbus_trace", sim_vmbus_key_trace, "1: every VMBus message and packet on stderr" },
	/* the integration services (ic/) */
	{ "shutdown", sim_ic_key_shutdown,
	  "SECONDS [flags=N] [reason=N] [timeout=N] [message=TEXT]: the shutdown IC asks SECONDS after boot; flags 1 (forced power off) unless given, 2 reboot, 4 hibernate; reason 0x80000000 (planned)" },
	{ "ic_versions", sim_ic_key_versions,
	  "LIST M.m...: the versions NEGOTIATE offers, ascending; LIST is framework (1.0 3.0), heartbeat (1.0 3.0), shutdown (1.0 3.0 3.1 3.2) or timesync (1.0 3.0 4.0)" },
	{ "kvp_host", ic_services_key, "none | KEY=VALUE: the host's identity items (Auto External pool; repeatable)" },
	{ "kvp_set", ic_services_key, "[pool=N] [type=T] KEY=VALUE: a SET" },
	{ "kvp_get", ic_services_key, "[pool=N] KEY: a GET, checked against what was set" },
	{ "kvp_delete", ic_services_key, "[pool=N] KEY: a DELETE" },
	{ "kvp_enumerate", ic_services_key, "POOL: a walk of one pool" },
	{ "kvp_ip", ic_services_key, "get | set: GET_IP_INFO / SET_IP_INFO" },
	{ "kvp_fill", ic_services_key, "N: N SETs of new External keys" },
	{ "kvp_poll", ic_services_key, "SECONDS: re-read the Guest pool this often" },
	{ "vss", ic_services_key, "backup | all [at=SECONDS]: a backup at SECONDS after boot (default 5)" },
	{ "fcopy", ic_services_key,
	  "NAME SIZE [path=P] [overwrite] [cancel=N] [at=SECONDS]: Copy-VMFile of SIZE bytes (repeatable)" },
	/* the keyboard, mouse and Dynamic Memory hosts (input/, balloon/) */
	{ "key", input_dm_key, "SECONDS CODE [release] [e0] [e1] [unicode]: one keystroke" },
	{ "pointer", input_dm_key, "SECONDS X Y BUTTONS: one input report" },
	{ "balloon", input_dm_key, "SECONDS PAGES: BALLOON_REQUEST" },
	{ "unballoon", input_dm_key, "SECONDS PAGES [skip=K]: give back PAGES it holds (after K)" },
	{ "hot_add", input_dm_key, "SECONDS PAGES: MEM_HOT_ADD_REQUEST" },
	{ "dm_version", input_dm_key, "2.0|1.0|0.3: the newest DM version accepted" },
	{ "dm_status_reports", input_dm_key, "1|0: 0 asks the guest for none" },
	{ "dm_hot_remove", input_dm_key, "0|1: 1 announces hot-remove" },
	/* smp: virtual processors (hyperv/vp.c) */
	{ "vps", sim_key_vps, "N: virtual processors, 1 (default) to 16" },
	/* apmodes: HvCallNotifyLongSpinWait's grant (hyperv/hypercall.c) */
	{ "spin_retries", sim_key_spin_retries,
	  "N: leaf 0x40000004 EBX, spins before HvCallNotifyLongSpinWait (default 0xffffffff: never)" },
};

/* @s without leading blanks and trailing blanks or line ends (in place). */
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

/* The table's row for @key, or NULL. */
static const struct scenario_key *key_find(const char *key)
{
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (!strcmp(keys[i].key, key))
			return &keys[i];
	return NULL;
}

/* Read scenario @path: each "key = value" line to its parser. */
void sim_scenario_read(const char *path)
{
	FILE *f = fopen(path, "r");
	char line[512];
	unsigned lineno = 0;

	if (!f)
		sim_usage_error("cannot open scenario", path);
	while (fgets(line, sizeof(line), f)) {
		char *s = trim(line), *eq, *key, *val;
		const struct scenario_key *k;

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
		k = key_find(key);
		if (!k) {
			fprintf(stderr, "%s:%u: unknown key '%s'\n", path, lineno, key);
			exit(2);
		}
		if (k->parse)
			k->parse(key, val);
	}
	fclose(f);
}

/* --list: every scenario key and what it takes. */
void sim_scenario_list(void)
{
	printf("scenario keys (\"key = value\" lines):\n");
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		printf("  %-18s %s\n", keys[i].key, keys[i].help);
}
