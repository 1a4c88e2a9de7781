/*
 * hvsim's VMBus host, configuration: the versions it knows, the scenario's
 * VMBus keys (scenario.c's table calls the sim_vmbus_key_* parsers) and the
 * set-up that turns them and the profile's defaults into offered channels.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tools/hvsim/hvsim.h"
#include "tools/hvsim/vmbus/vmbus.h"
#include "tools/hvsim/vmbus/vmbus_host.h"

#define cfg sim_vmbus_cfg
#define channels sim_vmbus_channels
#define nchannels sim_vmbus_nchannels

struct sim_vmbus_config sim_vmbus_cfg = {
	.conn_id = VMBUS_MESSAGE_CONNECTION_ID,
	.delay_ns = 1000000,
};

static const struct {
	uint32_t v;
	const char *name;
} versions[] = {
	{ VMBUS_VERSION_WS2008, "0.13" },     { VMBUS_VERSION_WIN7, "1.1" },
	{ VMBUS_VERSION_WIN8, "2.4" },        { VMBUS_VERSION_WIN8_1, "3.0" },
	{ VMBUS_VERSION_WIN10, "4.0" },       { VMBUS_VERSION_WIN10_V4_1, "4.1" },
	{ VMBUS_VERSION_WIN10_V5, "5.0" },    { VMBUS_VERSION_WIN10_V5_1, "5.1" },
	{ VMBUS_VERSION_WIN10_V5_2, "5.2" },  { VMBUS_VERSION_WIN10_V5_3, "5.3" },
	{ VMBUS_VERSION_WIN10_V6_0, "6.0" },
};
#define NVERSIONS (sizeof(versions) / sizeof(versions[0]))

/* ---- versions ---- */

/* "none", "0.13" ... "6.0" -> *v (0 for none); 0 on success. */
int sim_vmbus_version_parse(const char *s, uint32_t *v)
{
	if (!strcmp(s, "none")) {
		*v = 0;
		return 0;
	}
	for (unsigned i = 0; i < NVERSIONS; i++) {
		if (!strcmp(versions[i].name, s)) {
			*v = versions[i].v;
			return 0;
		}
	}
	return -1;
}

/* "5.2" for 0x00050002. */
const char *sim_vmbus_version_name(uint32_t v, char *buf)
{
	if (!v)
		return "none";
	snprintf(buf, 16, "%u.%u", v >> 16, v & 0xffff);
	return buf;
}

/* Is @v one of the versions this host accepts (every one up to the configured highest)? */
bool sim_vmbus_version_supported(uint32_t v)
{
	for (unsigned i = 0; i < NVERSIONS; i++)
		if (versions[i].v == v)
			return v <= cfg.max_version;
	return false;
}

/* --list: the versions and the offerable devices. */
void sim_vmbus_list(void)
{
	printf("vmbus versions (scenario \"vmbus =\"):\n  none");
	for (unsigned i = 0; i < NVERSIONS; i++)
		printf(" %s", versions[i].name);
	printf("\nvmbus devices (scenario \"offer =\"):\n");
	for (unsigned i = 0; i < sim_ndevices; i++) {
		char g[GUID_STR_LEN];

		printf("  %-10s %s%s\n", sim_devices[i].name, guid_format(&sim_devices[i].class, g),
		       sim_devices[i].pipe ? "  (integration service)" : "");
	}
}


/* ---- set-up: the offers ---- */

/* A configuration that cannot run: message, exit status 2. */
static __attribute__((noreturn)) void config_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "hvprobe-sim: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(2);
}

/* @relid is used by a channel or a configured offer. */
static bool relid_taken(uint32_t relid)
{
	for (unsigned i = 0; i < nchannels; i++)
		if (channels[i].relid == relid)
			return true;
	for (unsigned i = 0; i < cfg.noffers; i++)
		if (cfg.offers[i].relid == relid)
			return true;
	return false;
}

/* Add channel for @dev (@relid 0: the lowest free one). */
static struct sim_channel *add_channel(const struct sim_device *dev, uint32_t relid,
				       const struct guid *instance)
{
	struct sim_channel *ch = &channels[nchannels];
	bool dev_seen = false;

	for (unsigned i = 0; i < nchannels; i++)
		dev_seen |= channels[i].dev == dev;
	if (!relid)
		for (relid = 1; relid_taken(relid); relid++)
			;
	ch->index = nchannels++;
	ch->dev = dev;
	ch->relid = relid;
	ch->connection_id = CONNECTION_ID_BASE + relid;
	ch->class = dev->class;
	if (instance)
		ch->instance = *instance;
	else if (!dev_seen && !guid_is_zero(&dev->instance))
		ch->instance = dev->instance;
	else /* hvsim's own: 6876736d-0000-4000-8000-00000000NNNN ("hvsm", NNNN = offer number) */
		ch->instance = (struct guid)GUID_INIT(0x6876736d, 0, 0x4000, 0x80, 0, 0, 0, 0, 0,
						      ((ch->index + 1) >> 8) & 0xff, (ch->index + 1) & 0xff);
	return ch;
}

/* The profile's defaults where the scenario said nothing, then the channels to offer. */
void sim_vmbus_init(void)
{
	if (!cfg.version_set)
		cfg.max_version = sim.profile->vmbus_version;
	if (!cfg.offers_set && sim.profile->vmbus_offers) {
		char list[256], *save = NULL;

		snprintf(list, sizeof(list), "%s", sim.profile->vmbus_offers);
		for (char *n = strtok_r(list, " ", &save); n; n = strtok_r(NULL, " ", &save)) {
			const struct sim_device *dev = sim_device_find(n);

			if (!dev || cfg.noffers == SIM_VMBUS_MAX_OFFERS)
				config_error("profile %s: bad offer list", sim.profile->name);
			cfg.offers[cfg.noffers++] = (struct sim_offer_cfg){ dev, 0, false, { { 0 } } };
		}
	}
	if (!cfg.max_version)
		return;
	for (unsigned i = 0; i < cfg.noffers; i++)
		for (unsigned k = 0; k < i; k++)
			if (cfg.offers[i].relid && cfg.offers[i].relid == cfg.offers[k].relid)
				config_error("two offers with relid %u (misbehave = vmbus_duplicate_relid does that)",
					     cfg.offers[i].relid);
	for (unsigned i = 0; i < cfg.noffers; i++)
		add_channel(cfg.offers[i].dev, cfg.offers[i].relid,
			    cfg.offers[i].instance_set ? &cfg.offers[i].instance : NULL);
	if (sim_mb[MB_VMBUS_ZERO_GUID])
		memset(&add_channel(sim_device_find("unknown"), 0, NULL)->class, 0, sizeof(struct guid));
	if (sim_mb[MB_VMBUS_DUPLICATE_RELID]) {
		while (nchannels < 2)
			add_channel(sim_device_find("unknown"), 0, NULL);
		channels[0].relid = 1; /* connection ids stay apart */
		channels[1].relid = 1;
	}
}

/* ---- the scenario's VMBus keys (scenario.c's table) ---- */

/* "vmbus = 5.2": the highest version accepted (none: no VMBus). */
void sim_vmbus_key_version(const char *key, char *val)
{
	if (sim_vmbus_version_parse(val, &sim_vmbus_cfg.max_version))
		sim_usage_error("unknown VMBus version", val);
	sim_vmbus_cfg.version_set = true;
}

/* "vmbus_conn_id = N": msg_conn_id answered for >= 5.0. */
void sim_vmbus_key_conn_id(const char *key, char *val)
{
	sim_vmbus_cfg.conn_id = (uint32_t)sim_scenario_number(key, val, UINT32_MAX);
}

/* "vmbus_ping = N": N pings after each open. */
void sim_vmbus_key_ping(const char *key, char *val)
{
	sim_vmbus_cfg.ping = (unsigned)sim_scenario_number(key, val, 1000);
}

/* "rescind = NAME [MS]": a hot removal of device NAME, MS ms (default 3000) after its channel opened. */
void sim_vmbus_key_rescind(const char *key, char *val)
{
	char *name = strtok(val, " \t"), *ms = strtok(NULL, " \t");

	sim_vmbus_cfg.rescind_dev = name ? sim_device_find(name) : NULL;
	if (!sim_vmbus_cfg.rescind_dev)
		sim_usage_error("rescind: unknown device", name ? name : "");
	sim_vmbus_cfg.rescind_ns = (ms ? (uint64_t)sim_scenario_number(key, ms, 3600000) : 3000) * 1000000ull;
}

/* "vmbus_trace = 1": every message and packet on stderr. */
void sim_vmbus_key_trace(const char *key, char *val)
{
	sim_vmbus_cfg.trace = sim_scenario_number(key, val, 1);
}

/* "offer = NAME [relid=N] [instance=GUID]" or "offer = none" */
void sim_vmbus_key_offer(const char *key, char *val)
{
	struct sim_vmbus_config *c = &sim_vmbus_cfg;
	struct sim_offer_cfg *o;
	char *save = NULL, *tok = strtok_r(val, " \t", &save);

	c->offers_set = true;
	if (tok && !strcmp(tok, "none"))
		return;
	if (c->noffers == SIM_VMBUS_MAX_OFFERS)
		sim_usage_error("too many offers", tok);
	o = &c->offers[c->noffers];
	memset(o, 0, sizeof(*o));
	o->dev = tok ? sim_device_find(tok) : NULL;
	if (!o->dev)
		sim_usage_error("unknown VMBus device", tok ? tok : "(none)");
	while ((tok = strtok_r(NULL, " \t", &save))) {
		if (!strncmp(tok, "relid=", 6)) {
			o->relid = (uint32_t)sim_scenario_number("relid", tok + 6, VMBUS_MAX_RELID);
			if (!o->relid)
				sim_usage_error("relid 0 is reserved", tok);
		} else if (!strncmp(tok, "instance=", 9) && !guid_parse(tok + 9, &o->instance)) {
			o->instance_set = true;
		} else {
			sim_usage_error("bad offer option", tok);
		}
	}
	c->noffers++;
}

/* "vmbus_delay_ms = N [MESSAGE]": every control message, or only MESSAGE, handled N ms later. */
void sim_vmbus_key_delay(const char *key, char *val)
{
	char *save = NULL, *ms = strtok_r(val, " \t", &save), *name = strtok_r(NULL, " \t", &save);
	uint64_t ns = sim_scenario_number("vmbus_delay_ms", ms ? ms : "", 600000) * 1000000ull;

	if (!name) {
		sim_vmbus_cfg.delay_ns = ns;
		return;
	}
	sim_vmbus_cfg.delay_type = sim_vmbus_msg_type(name);
	if (!sim_vmbus_cfg.delay_type || strtok_r(NULL, " \t", &save))
		sim_usage_error("vmbus_delay_ms: N, then at most one message a guest sends", name);
	sim_vmbus_cfg.delay_type_ns = ns;
}
