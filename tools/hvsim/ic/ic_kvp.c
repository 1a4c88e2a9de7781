/*
 * hvsim's KVP host, as Hyper-V drives a guest (message layout and checks
 * as OpenVMM's hyperv_ic/src/kvp.rs; statuses as Linux's hv_kvp_daemon.c): once
 * negotiated it pushes its identity into the Auto External pool (pool 3),
 * reads the Auto pool (2) and the Guest pool (1) with index walks that end
 * on ERROR_NO_MORE_ITEMS, then runs the scenario's steps (ic_services.h)
 * and re-reads the Guest pool every kvp_poll seconds.  Every message is
 * the 2580-byte KvpMessage (7428 bytes for IP info).  Answers are checked
 * against what the host set; the misbehaviours each break one rule.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "drivers/ic/kvp_regs.h"
#include "tools/hvsim/hvsim.h"
#include "tools/hvsim/ic/ic_host.h"
#include "tools/hvsim/ic/ic_services.h"

#define NS_PER_S 1000000000ull
#define MAX_STEPS 256
#define MAX_MODEL 64               /* keys the host remembers setting, per pool */
#define MAX_SEEN 48                /* items the host keeps from a walk (for its report) */
#define TEXT 256
#define WALK_LIMIT 1024            /* a walk that never ends is the guest's error */
#define BAD_POOL 7                 /* kvp_pool_out_of_range */
#define OVERSIZE_VALUE 4096        /* kvp_size_too_large: value_size claimed */
#define OP_COUNT 6                 /* kvp_op_count: Linux's KVP_OP_COUNT, no operation */
#define MSG_LEN sizeof(struct kvp_msg_enumerate)   /* OpenVMM's KvpMessage: 2580 bytes */

enum step_kind { ST_SET, ST_GET, ST_DELETE, ST_WALK, ST_OP_COUNT, ST_IP_GET, ST_IP_SET };

struct step {
	enum step_kind kind;
	uint8_t pool;
	uint32_t type;
	char key[TEXT], value[TEXT];
	int mb;                    /* the misbehaviour this step is, or -1 */
};

struct item {
	char key[TEXT], value[TEXT];
};

/* Scenario configuration. */
static struct {
	bool host_set;             /* kvp_host given: replaces the defaults */
	unsigned nhost, nsteps;
	struct item host[16];
	struct step steps[MAX_STEPS];
	uint64_t poll_ns;
} cfg;

static struct sim_ic_versions kvp_versions = { 3, { { 3, 0 }, { 4, 0 }, { 5, 0 } } };

/* Hyper-V's identity items (MSDOC; newer hosts add more, not modelled) */
static const struct item default_host[] = {
	{ "HostName", "hvsim-host.sim.example" },
	{ "PhysicalHostName", "HVSIM-HOST" },
	{ "PhysicalHostNameFullyQualified", "hvsim-host.sim.example" },
	{ "VirtualMachineName", "hvprobe-sim" },
};

/* One open channel's run. */
static struct {
	const struct ic_host *h;
	struct step queue[MAX_STEPS + 32];
	unsigned nqueue, next;
	const struct step *cur;    /* waiting for its answer */
	unsigned index;            /* a walk's index */
	bool walking;
	struct item model[2][MAX_MODEL];  /* what the host set in pools 0 and 3 */
	unsigned nmodel[2];
	struct item seen[KVP_POOLS][MAX_SEEN];
	unsigned nseen[KVP_POOLS], walks[KVP_POOLS], walked[KVP_POOLS];
	unsigned answers, refused, mb_refused, gets_ok;
} kv;

/* ---- the host's model of pools 0 and 3 ---- */

/* @key in the model of @pool (0 or 3), or NULL. */
static struct item *model_find(uint8_t pool, const char *key)
{
	unsigned p = pool == KVP_POOL_EXTERNAL ? 0 : 1;

	for (unsigned i = 0; i < kv.nmodel[p]; i++)
		if (!strcmp(kv.model[p][i].key, key))
			return &kv.model[p][i];
	return NULL;
}

/* The guest accepted a SET: remember it. */
static void model_set(uint8_t pool, const char *key, const char *value)
{
	unsigned p = pool == KVP_POOL_EXTERNAL ? 0 : 1;
	struct item *it = model_find(pool, key);

	if (!it && kv.nmodel[p] < MAX_MODEL)
		it = &kv.model[p][kv.nmodel[p]++];
	if (it) {
		snprintf(it->key, TEXT, "%s", key);
		snprintf(it->value, TEXT, "%s", value);
	}
}

/* The guest accepted a DELETE: forget it. */
static void model_delete(uint8_t pool, const char *key)
{
	unsigned p = pool == KVP_POOL_EXTERNAL ? 0 : 1;
	struct item *it = model_find(pool, key);

	if (it)
		*it = kv.model[p][--kv.nmodel[p]];
}

/* ---- building messages ---- */

/* Fill a value record from text: strings as UTF-16, numbers as 4 or 8 bytes. */
static void fill_value(struct kvp_value *v, const struct step *s)
{
	uint64_t n = strtoull(s->value, NULL, 0);

	v->value_type = s->type;
	v->key_size = (uint32_t)sim_utf16_encode(s->key, v->key, sizeof(v->key));
	if (s->type == KVP_REG_DWORD || s->type == KVP_REG_QWORD || s->type == KVP_REG_U64) {
		v->value_size = s->type == KVP_REG_DWORD ? 4 : 8;
		memcpy(v->value, &n, v->value_size);
	} else {
		v->value_size = (uint32_t)sim_utf16_encode(s->value, v->value, sizeof(v->value));
	}
	/* ic_loose_framing: the host's identity items' sizes leave the NUL terminator out */
	if (sim_quirk[QUIRK_IC_LOOSE_FRAMING] && s->pool == KVP_POOL_AUTO_EXTERNAL &&
	    s->type == KVP_REG_SZ && v->key_size >= 2 && v->value_size >= 2) {
		v->key_size -= 2;
		v->value_size -= 2;
	}
	if (s->mb == MB_KVP_SIZE_TOO_LARGE)
		v->value_size = OVERSIZE_VALUE;
	if (s->mb == MB_KVP_BAD_UTF16) {
		v->key[8] = 0x00;          /* the fifth unit: a high surrogate with no low one */
		v->key[9] = 0xd8;
	}
}

/* Send step @s (or the next index of its walk). */
static void send_step(struct ic_host *h, const struct step *s)
{
	static uint8_t buf[sizeof(struct kvp_msg_ip)];
	struct kvp_msg_enumerate *e = (void *)buf;
	struct kvp_msg_get_set *gs = (void *)buf;
	struct kvp_msg_delete *d = (void *)buf;
	uint32_t len = MSG_LEN;
	static const uint8_t ops[] = { KVP_OP_SET, KVP_OP_GET, KVP_OP_DELETE, KVP_OP_ENUMERATE,
				       OP_COUNT, KVP_OP_GET_IP_INFO, KVP_OP_SET_IP_INFO };

	memset(buf, 0, sizeof(buf));
	buf[0] = ops[s->kind];
	buf[1] = s->pool;
	switch (s->kind) {
	case ST_SET:
		fill_value(&gs->data, s);
		break;
	case ST_GET:
		gs->data.key_size = (uint32_t)sim_utf16_encode(s->key, gs->data.key, sizeof(gs->data.key));
		break;
	case ST_DELETE:
		d->key_size = (uint32_t)sim_utf16_encode(s->key, d->key, sizeof(d->key));
		break;
	case ST_WALK:
		e->index = kv.index;
		break;
	case ST_OP_COUNT:
		break;
	case ST_IP_GET:
	case ST_IP_SET:
		buf[1] = KVP_POOL_GUEST;   /* as OpenVMM sends them */
		sim_utf16_encode("{hvsim-adapter-0}", buf + KVP_IP_BODY, 2 * KVP_ADAPTER_ID_UNITS);
		len = sizeof(struct kvp_msg_ip);
		break;
	}
	kv.cur = s;
	sim_ic_send(h, IC_MSG_KVP, buf, (uint16_t)len, kv.index);
}

/* ---- the run ---- */

/* Append a step to this run's queue. */
static void enqueue(struct step s)
{
	if (kv.nqueue < sizeof(kv.queue) / sizeof(kv.queue[0]))
		kv.queue[kv.nqueue++] = s;
}

/* A SET of @key=@value into @pool (REG_SZ). */
static struct step set_step(uint8_t pool, const char *key, const char *value, int mb)
{
	struct step s = { ST_SET, pool, KVP_REG_SZ, "", "", mb };

	snprintf(s.key, TEXT, "%s", key);
	snprintf(s.value, TEXT, "%s", value);
	return s;
}

/* The next step when nothing is outstanding. */
static void kvp_pump(struct ic_host *h)
{
	if (sim_ic_busy(h) || kv.cur)
		return;
	if (kv.next < kv.nqueue) {
		kv.index = 0;
		send_step(h, &kv.queue[kv.next++]);
	}
}

/* kvp_poll: another read of the Guest pool. */
static void kvp_poll_tick(uint64_t arg)
{
	struct ic_host *h = sim_ic_timer_host(arg);

	if (!h)
		return;
	enqueue((struct step){ ST_WALK, KVP_POOL_GUEST, 0, "", "", -1 });
	kvp_pump(h);
	sim_at(sim.now_ns + cfg.poll_ns, kvp_poll_tick, arg);
}

/* Negotiated: identity pushes, the two walks, the misbehaviours, the scenario's steps. */
static void kvp_start(struct ic_host *h)
{
	const struct item *host = cfg.host_set ? cfg.host : default_host;
	unsigned nhost = cfg.host_set ? cfg.nhost : sizeof(default_host) / sizeof(default_host[0]);

	memset(&kv, 0, sizeof(kv));
	kv.h = h;
	for (unsigned i = 0; i < nhost; i++)
		enqueue(set_step(KVP_POOL_AUTO_EXTERNAL, host[i].key, host[i].value, -1));
	enqueue((struct step){ ST_WALK, KVP_POOL_AUTO, 0, "", "", -1 });
	enqueue((struct step){ ST_WALK, KVP_POOL_GUEST, 0, "", "", -1 });
	if (sim_mb_fire(MB_KVP_SIZE_TOO_LARGE))
		enqueue(set_step(KVP_POOL_EXTERNAL, "hvsim.oversize", "value_size says 4096",
				 MB_KVP_SIZE_TOO_LARGE));
	if (sim_mb_fire(MB_KVP_BAD_UTF16))
		enqueue(set_step(KVP_POOL_EXTERNAL, "hvsim.bad-utf16", "a lone surrogate in the key",
				 MB_KVP_BAD_UTF16));
	if (sim_mb_fire(MB_KVP_POOL_OUT_OF_RANGE))
		enqueue((struct step){ ST_WALK, BAD_POOL, 0, "", "", MB_KVP_POOL_OUT_OF_RANGE });
	if (sim_mb_fire(MB_KVP_OP_COUNT)) {
		sim_ic_misbehaving(h, MB_KVP_OP_COUNT, "a request with operation 6 on the Auto pool");
		enqueue((struct step){ ST_OP_COUNT, KVP_POOL_AUTO, 0, "", "", MB_KVP_OP_COUNT });
	}
	for (unsigned i = 0; i < cfg.nsteps; i++)
		enqueue(cfg.steps[i]);
	if (cfg.poll_ns)
		sim_at(sim.now_ns + cfg.poll_ns, kvp_poll_tick, sim_ic_timer_arg(h));
	kvp_pump(h);
}

/* A record the guest sent back, as text; false (a guest error) when malformed. */
static bool record_text(struct ic_host *h, const struct kvp_value *v, struct item *out)
{
	const char *why;
	uint64_t n = 0;

	if (v->key_size > KVP_MAX_KEY_SIZE ||
	    !sim_utf16_decode(v->key, v->key_size, out->key, TEXT, &why)) {
		sim_ic_guest_error(h, "a KVP record whose key (%u bytes) is malformed", v->key_size);
		return false;
	}
	if (v->value_type == KVP_REG_SZ || v->value_type == KVP_REG_EXPAND_SZ) {
		if (v->value_size <= KVP_MAX_VALUE_SIZE &&
		    sim_utf16_decode(v->value, v->value_size, out->value, TEXT, &why))
			return true;
		sim_ic_guest_error(h, "the value of %s (%u bytes) is malformed", out->key, v->value_size);
		return false;
	}
	if ((v->value_type == KVP_REG_DWORD && v->value_size == 4) ||
	    ((v->value_type == KVP_REG_QWORD || v->value_type == KVP_REG_U64) && v->value_size == 8)) {
		memcpy(&n, v->value, v->value_size);
		snprintf(out->value, TEXT, "%llu", (unsigned long long)n);
		return true;
	}
	sim_ic_guest_error(h, "%s has value type %u, %u bytes", out->key, v->value_type, v->value_size);
	return false;
}

/* One walk answer: an item and the next index, or the end. */
static void walk_answer(struct ic_host *h, const struct step *s, const struct ic_msg_header *m,
			const uint8_t *data, uint32_t len)
{
	const struct kvp_msg_enumerate *e = (const void *)data;
	struct item it;

	if (s->mb == MB_KVP_POOL_OUT_OF_RANGE) {
		if (m->status == IC_S_OK)
			sim_ic_guest_error(h, "answered an ENUMERATE of pool %u with S_OK", BAD_POOL);
		kv.mb_refused += m->status != IC_S_OK;
		kv.cur = NULL;
		return;
	}
	if (m->status != IC_S_OK || kv.index >= WALK_LIMIT) {
		if (m->status != IC_ERROR_NO_MORE_ITEMS)
			sim_ic_guest_error(h, "the walk of pool %u ended at index %u with 0x%08x (want 0x80070103)",
					   s->pool, kv.index, m->status);
		kv.walks[s->pool]++;
		kv.walked[s->pool] = kv.index;
		kv.cur = NULL;
		return;
	}
	if (len < MSG_LEN) {
		sim_ic_guest_error(h, "an ENUMERATE answer of %u bytes (want %zu)", len, MSG_LEN);
		kv.cur = NULL;
		return;
	}
	if (record_text(h, &e->data, &it)) {
		if (kv.index == 0)
			kv.nseen[s->pool] = 0;
		if (kv.nseen[s->pool] < MAX_SEEN)
			kv.seen[s->pool][kv.nseen[s->pool]++] = it;
	}
	kv.index++;
	if (s->pool == KVP_POOL_AUTO && kv.index == 2 && !kv.walks[s->pool] && sim_quirk_fire(QUIRK_KVP_INDEX_JUMPS)) {
		sim_ic_quirk(h, QUIRK_KVP_INDEX_JUMPS, "the Auto pool walk jumps from index 1 to 3");
		kv.index = 3;
	}
	send_step(h, s);
}

/* The guest's answer to the current step. */
static void kvp_answer(struct ic_host *h, const struct txn *t, const struct ic_msg_header *m,
		       const uint8_t *data, uint32_t len)
{
	const struct step *s = kv.cur;
	const struct kvp_msg_get_set *gs = (const void *)data;
	struct item *want, got;
	uint32_t st = m->status;

	if (!s)
		return;
	kv.answers++;
	if (s->kind == ST_WALK) {
		walk_answer(h, s, m, data, len);
		return;
	}
	kv.cur = NULL;
	if (s->mb >= 0) {
		/* kvp_size_too_large, kvp_bad_utf16, kvp_op_count: the guest must refuse */
		if (st == IC_S_OK)
			sim_ic_guest_error(h, "accepted a request it should refuse (%s)", sim_misbehaviour_names[s->mb]);
		kv.mb_refused += st != IC_S_OK;
		return;
	}
	switch (s->kind) {
	case ST_SET:
		if (st == IC_S_OK && (s->pool == KVP_POOL_EXTERNAL || s->pool == KVP_POOL_AUTO_EXTERNAL)) {
			char text[TEXT];

			/* numbers come back in decimal (record_text) */
			if (s->type == KVP_REG_DWORD || s->type == KVP_REG_QWORD || s->type == KVP_REG_U64)
				snprintf(text, TEXT, "%llu", s->type == KVP_REG_DWORD ?
					 (unsigned long long)(uint32_t)strtoull(s->value, NULL, 0) :
					 (unsigned long long)strtoull(s->value, NULL, 0));
			else
				snprintf(text, TEXT, "%s", s->value);
			model_set(s->pool, s->key, text);
		}
		if (st != IC_S_OK) {
			kv.refused++;
			fprintf(stderr, "hvsim: ic: kvp: SET of %s in pool %u refused with 0x%08x\n", s->key,
				s->pool, st);
		}
		break;
	case ST_GET:
		want = s->pool == KVP_POOL_EXTERNAL || s->pool == KVP_POOL_AUTO_EXTERNAL ?
			       model_find(s->pool, s->key) : NULL;
		if (st != IC_S_OK) {
			if (want)
				sim_ic_guest_error(h, "GET of %s answered 0x%08x; it holds %s", s->key, st, want->value);
			fprintf(stderr, "hvsim: ic: kvp: GET of %s in pool %u: 0x%08x (not there)\n", s->key,
				s->pool, st);
		} else if (len >= MSG_LEN - 4 && record_text(h, &gs->data, &got)) {
			if (want && strcmp(got.value, want->value))
				sim_ic_guest_error(h, "GET of %s answered %s; it was set to %s", s->key, got.value,
						   want->value);
			kv.gets_ok++;
			fprintf(stderr, "hvsim: ic: kvp: GET of %s in pool %u: %s\n", s->key, s->pool, got.value);
		}
		break;
	case ST_DELETE:
		if (st == IC_S_OK)
			model_delete(s->pool, s->key);
		fprintf(stderr, "hvsim: ic: kvp: DELETE of %s in pool %u: 0x%08x\n", s->key, s->pool, st);
		break;
	default:
		/* Linux hv_kvp_daemon.c: E_FAIL for a MAC it does not have, GUID_NOTFOUND for a GUID */
		if (st != (s->kind == ST_IP_GET ? IC_E_FAIL : KVP_E_GUID_NOT_FOUND))
			sim_ic_guest_error(h, "%s for an adapter it cannot have answered 0x%08x (want 0x%08x)",
					   s->kind == ST_IP_GET ? "GET_IP_INFO" : "SET_IP_INFO", st,
					   s->kind == ST_IP_GET ? IC_E_FAIL : KVP_E_GUID_NOT_FOUND);
		fprintf(stderr, "hvsim: ic: kvp: %s: 0x%08x\n", s->kind == ST_IP_GET ? "GET_IP_INFO" : "SET_IP_INFO", st);
		break;
	}
	(void)t;
}

/* The items of a walked pool as "k=v, k=v" (the Guest pool: verdict, summary, count). */
static void print_pool(unsigned pool)
{
	if (!kv.walks[pool]) {
		fprintf(stderr, "hvsim: ic:   kvp: pool %u never read to its end\n", pool);
		return;
	}
	fprintf(stderr, "hvsim: ic:   kvp: pool %u read %u time%s, the last %u items:", pool, kv.walks[pool],
		kv.walks[pool] == 1 ? "" : "s", kv.walked[pool]);
	for (unsigned i = 0; i < kv.nseen[pool] && (pool != KVP_POOL_GUEST || i < 2); i++)
		fprintf(stderr, "%s %s=%s", i ? "," : "", kv.seen[pool][i].key, kv.seen[pool][i].value);
	fprintf(stderr, "\n");
}

/* The KVP lines at power off. */
static void kvp_report(const struct ic_host *h)
{
	if (kv.h != h) {
		fprintf(stderr, "hvsim: ic:   kvp: never negotiated\n");
		return;
	}
	fprintf(stderr, "hvsim: ic:   kvp: %u of %u steps run, %u answers, %u SETs refused, %u GETs matched, %u misbehaviour messages refused\n",
		kv.next, kv.nqueue, kv.answers, kv.refused, kv.gets_ok, kv.mb_refused);
	print_pool(KVP_POOL_AUTO);
	print_pool(KVP_POOL_GUEST);
}

const struct sim_ic_service sim_ic_kvp = {
	"kvp", IC_MSG_KVP, &kvp_versions, kvp_start, kvp_pump, kvp_answer, kvp_report, NULL,
};

/* ---- scenario keys ---- */

/* Leading "pool=N" / "type=T" options; returns the rest. */
static char *step_options(const char *key, char *val, struct step *s)
{
	static const struct {
		const char *name;
		uint32_t type;
	} types[] = { { "sz", KVP_REG_SZ }, { "expand_sz", KVP_REG_EXPAND_SZ }, { "dword", KVP_REG_DWORD },
		      { "qword", KVP_REG_QWORD }, { "u64", KVP_REG_U64 } };

	for (;;) {
		while (*val == ' ' || *val == '\t')
			val++;
		if (!strncmp(val, "pool=", 5)) {
			s->pool = (uint8_t)strtoul(val + 5, &val, 0);
		} else if (!strncmp(val, "type=", 5)) {
			size_t n = strcspn(val + 5, " \t");
			unsigned i;

			for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
				if (strlen(types[i].name) == n && !strncmp(val + 5, types[i].name, n))
					break;
			if (i == sizeof(types) / sizeof(types[0]))
				sim_ic_services_error(key, "type is sz, expand_sz, dword, qword or u64", val);
			s->type = types[i].type;
			val += 5 + n;
		} else {
			return val;
		}
	}
}

/* One step from a scenario line. */
static void add_step(const char *key, char *val, enum step_kind kind)
{
	struct step s = { kind, KVP_POOL_EXTERNAL, KVP_REG_SZ, "", "", -1 };
	char *rest = step_options(key, val, &s), *eq;

	if (cfg.nsteps == MAX_STEPS)
		sim_ic_services_error(key, "too many KVP steps", NULL);
	if (kind == ST_SET) {
		eq = strchr(rest, '=');
		if (!eq || eq == rest)
			sim_ic_services_error(key, "want KEY=VALUE", rest);
		*eq = '\0';
		snprintf(s.value, TEXT, "%s", eq + 1);
	}
	if (!*rest)
		sim_ic_services_error(key, "want a key", NULL);
	snprintf(s.key, TEXT, "%s", rest);
	cfg.steps[cfg.nsteps++] = s;
}

/* A step on one pool: kvp_enumerate. */
static void add_pool_step(const char *key, const char *val, enum step_kind kind)
{
	char *end;
	unsigned long pool = strtoul(val, &end, 0);

	if (!*val || *end || pool > 255 || cfg.nsteps == MAX_STEPS)
		sim_ic_services_error(key, "want a pool number", val);
	cfg.steps[cfg.nsteps++] = (struct step){ kind, (uint8_t)pool, 0, "", "", -1 };
}

/* The kvp_* scenario keys (ic_services.h). */
bool sim_kvp_key(const char *key, char *val)
{
	char *eq, *end;

	if (!strcmp(key, "kvp_host")) {
		cfg.host_set = true;
		if (!strcmp(val, "none"))
			return true;
		eq = strchr(val, '=');
		if (!eq || cfg.nhost == sizeof(cfg.host) / sizeof(cfg.host[0]))
			sim_ic_services_error(key, "want none or KEY=VALUE (at most 16)", val);
		*eq = '\0';
		snprintf(cfg.host[cfg.nhost].key, TEXT, "%s", val);
		snprintf(cfg.host[cfg.nhost++].value, TEXT, "%s", eq + 1);
	} else if (!strcmp(key, "kvp_set")) {
		add_step(key, val, ST_SET);
	} else if (!strcmp(key, "kvp_get")) {
		add_step(key, val, ST_GET);
	} else if (!strcmp(key, "kvp_delete")) {
		add_step(key, val, ST_DELETE);
	} else if (!strcmp(key, "kvp_enumerate")) {
		add_pool_step(key, val, ST_WALK);
	} else if (!strcmp(key, "kvp_ip")) {
		if ((strcmp(val, "get") && strcmp(val, "set")) || cfg.nsteps == MAX_STEPS)
			sim_ic_services_error(key, "want get or set", val);
		cfg.steps[cfg.nsteps++] = (struct step){ strcmp(val, "get") ? ST_IP_SET : ST_IP_GET, 0, 0, "",
							 "", -1 };
	} else if (!strcmp(key, "kvp_fill")) {
		unsigned long n = strtoul(val, &end, 0);

		if (!*val || *end || n > MAX_STEPS - cfg.nsteps)
			sim_ic_services_error(key, "want a count that fits the step list", val);
		for (unsigned long i = 0; i < n; i++) {
			char k[32], v[32];

			snprintf(k, sizeof(k), "hvsim.fill.%lu", i);
			snprintf(v, sizeof(v), "value %lu", i);
			cfg.steps[cfg.nsteps++] = set_step(KVP_POOL_EXTERNAL, k, v, -1);
		}
	} else if (!strcmp(key, "kvp_poll")) {
		unsigned long n = strtoul(val, &end, 0);

		if (!*val || *end || !n || n > 3600)
			sim_ic_services_error(key, "want SECONDS (1-3600)", val);
		cfg.poll_ns = n * NS_PER_S;
	} else {
		return false;
	}
	return true;
}
