/*
 * hvsim's VSS host (Linux hv_snapshot.c, OpenVMM vss.rs), a backup as Hyper-V runs
 * one ("vss = backup", ic_services.h): CHECK_HOT_BACKUP, GET_DM_INFO,
 * FREEZE, THAW, BACKUP_COMPLETE, one transaction at a time; "vss = all"
 * adds CREATE, DELETE and AUTO_RECOVER.  A guest that declines the hot
 * backup (a failure status) gets no FREEZE: the host falls back to a
 * crash-consistent checkpoint.  Layouts follow OpenVMM's
 * hyperv_ic_protocol/src/vss.rs (FREEZE and AUTO_RECOVER carry Message2:
 * backup type, flags, LUN count, 260 LUN descriptors).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "drivers/ic/vss_regs.h"
#include "tools/hvsim/hvsim.h"
#include "tools/hvsim/ic/ic_host.h"
#include "tools/hvsim/ic/ic_services.h"

#define NS_PER_S 1000000000ull
#define MAX_VHD_COUNT 260
#define LUN_INFO 24
#define SIMPLE_LEN 32                                  /* header + 24 data bytes */
#define MESSAGE2_LEN (20 + MAX_VHD_COUNT * LUN_INFO)   /* 6260 */
#define MESSAGE3_LEN (32 + MAX_VHD_COUNT * (LUN_INFO + 4)) /* 7312 */
#define VSS_BT_FULL 1
#define MAX_STEPS 16

static const char *const op_names[VSS_OPS] = {
	"CREATE", "DELETE", "CHECK_HOT_BACKUP", "GET_DM_INFO", "BACKUP_COMPLETE", "FREEZE", "THAW",
	"AUTO_RECOVER", "QUERY_GUEST_CLUSTER_INFORMATION",
};

static struct sim_ic_versions vss_versions = { 4, { { 4, 0 }, { 5, 0 }, { 6, 0 }, { 7, 0 } } };

static struct {
	bool set, all;
	uint64_t at_ns;
} cfg = { false, false, 5 * NS_PER_S };

static struct {
	const struct ic_host *h;
	uint8_t steps[MAX_STEPS];
	unsigned nsteps, next, answered;
	bool waiting, declined, started;
	uint32_t status[MAX_STEPS];
	uint64_t started_ns;
} vs;

/* Queue operation @op. */
static void add(uint8_t op)
{
	if (vs.nsteps < MAX_STEPS)
		vs.steps[vs.nsteps++] = op;
}

/* Send the next operation when nothing is outstanding. */
static void vss_pump(struct ic_host *h)
{
	static uint8_t buf[MESSAGE3_LEN];
	uint8_t op;
	uint16_t len = SIMPLE_LEN;

	if (sim_ic_busy(h) || vs.waiting || vs.next >= vs.nsteps)
		return;
	op = vs.steps[vs.next];
	if (vs.declined && (op == VSS_OP_FREEZE || op == VSS_OP_THAW)) {
		vs.status[vs.next++] = IC_E_FAIL;   /* not sent: the host falls back */
		vss_pump(h);
		return;
	}
	memset(buf, 0, sizeof(buf));
	buf[0] = op;
	if (op == VSS_OP_FREEZE || op == VSS_OP_AUTO_RECOVER) {
		struct vss_msg_freeze f = { { op, { 0 } }, VSS_BT_FULL, 0, 1 };

		memcpy(buf, &f, sizeof(f));
		buf[sizeof(f)] = 1; /* one LUN: bus type 1, the rest zero */
		len = MESSAGE2_LEN;
	} else if (op == VSS_OP_QUERY_CLUSTER_INFO) {
		len = MESSAGE3_LEN;
	}
	vs.waiting = true;
	sim_ic_send(h, IC_MSG_VSS, buf, len, vs.next);
}

/* The backup's moment: queue the operations (and the misbehaviours') and start. */
static void vss_due(uint64_t arg)
{
	struct ic_host *h = sim_ic_timer_host(arg);

	if (!h)
		return;
	vs.started = true;
	vs.started_ns = sim.now_ns;
	fprintf(stderr, "hvsim: ic: vss: backup starts at %llu ms\n", (unsigned long long)(sim.now_ns / 1000000));
	if (sim_quirk_fire(QUIRK_VSS_THAW_WITHOUT_FREEZE)) {
		sim_ic_quirk(h, QUIRK_VSS_THAW_WITHOUT_FREEZE, "a THAW before any FREEZE");
		add(VSS_OP_THAW);
	}
	add(VSS_OP_HOT_BACKUP);
	add(VSS_OP_GET_DM_INFO);
	if (cfg.all)
		add(VSS_OP_CREATE);
	add(VSS_OP_FREEZE);
	if (sim_mb_fire(MB_VSS_DOUBLE_FREEZE)) {
		sim_ic_misbehaving(h, MB_VSS_DOUBLE_FREEZE, "a second FREEZE before the THAW");
		add(VSS_OP_FREEZE);
	}
	add(VSS_OP_THAW);
	add(VSS_OP_BACKUP_COMPLETE);
	if (cfg.all) {
		add(VSS_OP_DELETE);
		add(VSS_OP_AUTO_RECOVER);
	}
	if (sim_mb_fire(MB_VSS_CLUSTER_QUERY)) {
		sim_ic_misbehaving(h, MB_VSS_CLUSTER_QUERY, "QUERY_GUEST_CLUSTER_INFORMATION (a 6.0 operation) after negotiating 5.0");
		add(VSS_OP_QUERY_CLUSTER_INFO);
	}
	vss_pump(h);
}

/* Negotiated: the backup at its time. */
static void vss_start(struct ic_host *h)
{
	memset(&vs, 0, sizeof(vs));
	vs.h = h;
	if (cfg.set || sim_quirk[QUIRK_VSS_THAW_WITHOUT_FREEZE] || sim_mb[MB_VSS_DOUBLE_FREEZE] ||
	    sim_mb[MB_VSS_CLUSTER_QUERY])
		sim_at(cfg.at_ns > sim.now_ns ? cfg.at_ns : sim.now_ns, vss_due, sim_ic_timer_arg(h));
}

/* Each answer: option (a) (S_OK, hot backup flags 0x5) or a consistent (b). */
static void vss_answer(struct ic_host *h, const struct txn *t, const struct ic_msg_header *m,
		       const uint8_t *data, uint32_t len)
{
	unsigned i = (unsigned)sim_ic_txn_value(t);
	uint8_t op = i < vs.nsteps ? vs.steps[i] : 0;
	uint32_t flags = 0;

	vs.waiting = false;
	if (i >= vs.nsteps)
		return;
	vs.status[i] = m->status;
	vs.next = i + 1;
	vs.answered++;
	if (len >= 12)
		memcpy(&flags, data + 8, sizeof(flags));
	if (op == VSS_OP_HOT_BACKUP && m->status != IC_S_OK) {
		vs.declined = true;
		fprintf(stderr, "hvsim: ic: vss: hot backup declined (0x%08x): a crash-consistent checkpoint instead\n",
			m->status);
	} else if (op == VSS_OP_HOT_BACKUP && flags != VSS_HBU_NO_AUTO_RECOVERY) {
		sim_ic_guest_error(h, "CHECK_HOT_BACKUP answered flags 0x%x (Linux: 0x5)", flags);
	} else if (m->status != IC_S_OK && op != VSS_OP_QUERY_CLUSTER_INFO) {
		sim_ic_guest_error(h, "%s answered 0x%08x after agreeing to a hot backup", op_names[op],
				   m->status);
	}
}

/* The VSS line at power off. */
static void vss_report(const struct ic_host *h)
{
	if (vs.h != h || !vs.started) {
		fprintf(stderr, "hvsim: ic:   vss: no backup (the scenario asks for none)\n");
		return;
	}
	fprintf(stderr, "hvsim: ic:   vss: backup at %llu ms:", (unsigned long long)(vs.started_ns / 1000000));
	for (unsigned i = 0; i < vs.nsteps; i++)
		fprintf(stderr, "%s %s %s0x%08x", i ? "," : "", op_names[vs.steps[i]],
			i < vs.next ? "" : "(never sent) ", vs.status[i]);
	fprintf(stderr, "\n");
}

const struct sim_ic_service sim_ic_vss = {
	"vss", IC_MSG_VSS, &vss_versions, vss_start, vss_pump, vss_answer, vss_report, NULL,
};

/* "vss = backup|all [at=SECONDS]" */
bool sim_vss_key(const char *key, char *val)
{
	char *save = NULL, *tok;

	if (strcmp(key, "vss"))
		return false;
	tok = strtok_r(val, " \t", &save);
	if (!tok || (strcmp(tok, "backup") && strcmp(tok, "all")))
		sim_ic_services_error(key, "want backup or all", tok);
	cfg.set = true;
	cfg.all = !strcmp(tok, "all");
	while ((tok = strtok_r(NULL, " \t", &save))) {
		char *end;

		if (strncmp(tok, "at=", 3))
			sim_ic_services_error(key, "bad option", tok);
		cfg.at_ns = strtoull(tok + 3, &end, 0) * NS_PER_S;
		if (end == tok + 3 || *end)
			sim_ic_services_error(key, "want at=SECONDS", tok);
	}
	return true;
}
