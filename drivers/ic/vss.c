/*
 * VSS / Backup (Linux drivers/hv/hv_snapshot.c and tools/hv/hv_vss_daemon.c,
 * OpenVMM hyperv_ic_protocol/src/vss.rs).  hvprobe has no file system, so
 * it claims support consistently, with Linux's statuses and flags: CHECK_HOT_BACKUP answers
 * S_OK with flags 0x5 (VSS_HBU_NO_AUTO_RECOVERY), GET_DM_INFO S_OK with
 * flags 0, FREEZE S_OK (nothing to flush), THAW S_OK, and every other
 * defined operation S_OK.  An operation number beyond 8 is refused
 * ("not supported", where Linux would say S_OK to anything).
 *
 * Host findings: a FREEZE while frozen (ic.vss.sequence; a THAW without a
 * FREEZE and a freeze still held at the end are warnings); an operation
 * newer than the negotiated version (OpenVMM vss.rs versions) or unknown
 * (ic.vss.operation); a short message (ic.vss.message).
 */
#include "drivers/ic/ic.h"
#include "drivers/ic/vss_regs.h"
#include "kernel/cpu.h"
#include "lib/log.h"
#include "lib/report.h"
#include "lib/str.h"

/* Linux speaks only 5.0; 4.0 lacks FREEZE/THAW; >= 6.0 grows freeze messages past our ring */
static const struct ic_version versions[] = { { 4, 0 }, { 5, 0 } };

static const struct {
	const char *name;          /* as the protocol names it */
	const char *check;         /* ic.vss.<check> */
	uint16_t since;            /* the message version (major) that introduced it */
	const char *answer;        /* what we answered, for the check's reason */
	const char *flags_note;    /* answered S_OK with flags: what they say (NULL: no flags) */
} ops[VSS_OPS] = {
	[VSS_OP_CREATE] = { "CREATE", "ic.vss.create", 0, "S_OK", NULL },
	[VSS_OP_DELETE] = { "DELETE", "ic.vss.delete", 0, "S_OK", NULL },
	[VSS_OP_HOT_BACKUP] = { "CHECK_HOT_BACKUP", "ic.vss.hot_backup", 0,
				"S_OK", " (VSS_HBU_NO_AUTO_RECOVERY): live backup supported" },
	[VSS_OP_GET_DM_INFO] = { "GET_DM_INFO", "ic.vss.dm_info", 0,
				 "S_OK", " (no directly mapped devices)" },
	[VSS_OP_BACKUP_COMPLETE] = { "BACKUP_COMPLETE", "ic.vss.backup_complete", 4, "S_OK", NULL },
	[VSS_OP_FREEZE] = { "FREEZE", "ic.vss.freeze", 5, "S_OK: nothing to flush (no file system)", NULL },
	[VSS_OP_THAW] = { "THAW", "ic.vss.thaw", 5, "S_OK", NULL },
	[VSS_OP_AUTO_RECOVER] = { "AUTO_RECOVER", "ic.vss.auto_recover", 5, "S_OK: nothing to recover", NULL },
	[VSS_OP_QUERY_CLUSTER_INFO] = { "QUERY_GUEST_CLUSTER_INFORMATION", "ic.vss.cluster_info", 6,
					"S_OK: hvprobe is in no guest cluster", NULL },
};

/* One VSS channel's state (a host may offer the service twice), from cpu_alloc_pages. */
struct vss_state {
	unsigned answered[VSS_OPS];     /* answered S_OK */
	uint32_t flags[VSS_OPS];        /* the flags of the last such answer */
	bool frozen;
	uint64_t frozen_ms;
};

static struct vss_state *vss;   /* the channel being served */

/* Select @ic's state, allocating it (thawed, nothing seen) on first use. */
static bool vss_attach(struct ic_channel *ic)
{
	if (!ic->state)
		ic->state = cpu_alloc_pages(1);
	vss = ic->state;
	return vss != NULL;
}

_Static_assert(sizeof(struct vss_state) <= PAGE_SIZE, "VSS state fits a page");

/* FREEZE / THAW: keep the order the host must follow. */
static void vss_sequence(struct ic_channel *ic, uint8_t op, const uint8_t *data, uint32_t len)
{
	uint64_t now_ms = cpu_now_ns() / 1000000;
	struct vss_msg_freeze f = { { 0, { 0 } }, 0, 0, 0 };

	if (op == VSS_OP_FREEZE) {
		/*
		 * Source: Linux hv_vss_daemon.c freezes with FIFREEZE, and Linux
		 * lets only the first freeze of a file system succeed: a second
		 * FREEZE cannot be honoured by a Linux guest.
		 */
		if (vss->frozen)
			ic_finding(ic, "sequence", "a second FREEZE at %llu ms: frozen since %llu ms, no THAW between",
				   (unsigned long long)now_ms, (unsigned long long)vss->frozen_ms);
		memcpy(&f, data, len < sizeof(f) ? len : sizeof(f));
		log_printf("hvprobe: vss: FREEZE (backup type %u, flags 0x%x, LUN count %u): nothing to flush, no file system\n",
			   f.backup_type, f.flags, f.lun_count);
		vss->frozen = true;
		vss->frozen_ms = now_ms;
	} else {
		/* harmless (nothing to thaw) and no source calls it an error: a warning */
		if (!vss->frozen)
			ic_warning(ic, "sequence", "THAW at %llu ms without a FREEZE before it",
				   (unsigned long long)now_ms);
		else
			log_printf("hvprobe: vss: THAW after %llu ms frozen\n",
				   (unsigned long long)(now_ms - vss->frozen_ms));
		vss->frozen = false;
	}
}

/* One VSS request: every defined operation is answered as option (a) says. */
static uint32_t vss_request(struct ic_channel *ic, uint8_t *data, uint32_t len)
{
	struct vss_msg_flags *m = (void *)data;
	uint8_t op;

	if (!vss_attach(ic))
		return IC_E_FAIL;
	if (len < sizeof(struct vss_header)) {
		ic_finding(ic, "message", "a VSS message of %u bytes (the header alone is 8)", len);
		return IC_E_INVALIDARG;
	}
	op = data[0];
	/* Source: Linux uapi hyperv.h hv_vss_op and OpenVMM vss.rs list operations 0-8 */
	if (op >= VSS_OPS) {
		ic_finding(ic, "operation", "VSS operation %u (0-8 are defined): refused", op);
		return IC_E_NOT_SUPPORTED;
	}
	if (ic->version.major < ops[op].since)
		ic_finding(ic, "operation", "%s needs VSS %u.0; the host negotiated %u.%u", ops[op].name,
			   ops[op].since, ic->version.major, ic->version.minor);
	if ((op == VSS_OP_HOT_BACKUP || op == VSS_OP_GET_DM_INFO) && len < sizeof(*m)) {
		ic_finding(ic, "message", "%s in %u bytes: no room for its flags at +8", ops[op].name, len);
		return IC_E_INVALIDARG;
	}
	switch (op) {
	case VSS_OP_HOT_BACKUP:
		m->flags = VSS_HBU_NO_AUTO_RECOVERY;
		break;
	case VSS_OP_GET_DM_INFO:
		m->flags = 0;
		break;
	case VSS_OP_FREEZE:
	case VSS_OP_THAW:
		vss_sequence(ic, op, data, len);
		break;
	default:
		log_printf("hvprobe: vss: %s answered S_OK\n", ops[op].name);
		break;
	}
	/* the report says what went out: the count and the flags in the message */
	vss->answered[op]++;
	if (len >= sizeof(*m))
		vss->flags[op] = m->flags;
	return IC_S_OK;
}

/* One check per operation the host sent; a skip when it sent none. */
static void vss_report(struct ic_channel *ic)
{
	unsigned total = 0;

	if (!vss_attach(ic))
		return;
	/* the window may end mid-backup (Linux hv_snapshot.c allows a freeze many minutes): a warning */
	if (vss->frozen)
		ic_warning(ic, "sequence", "the FREEZE at %llu ms was not thawed before the end of the run",
			   (unsigned long long)vss->frozen_ms);
	for (unsigned op = 0; op < VSS_OPS; op++) {
		total += vss->answered[op];
		if (!vss->answered[op])
			continue;
		if (ops[op].flags_note)
			check(ops[op].check, CHECK_PASS, "%u %s answered %s with flags 0x%x%s", vss->answered[op],
			      ops[op].name, ops[op].answer, vss->flags[op], ops[op].flags_note);
		else
			check(ops[op].check, CHECK_PASS, "%u %s answered %s", vss->answered[op], ops[op].name,
			      ops[op].answer);
	}
	if (!total)
		check("ic.vss.backup", CHECK_SKIP, "the host ran no backup: no VSS request in the window");
}

const struct ic_service ic_vss = {
	.name = "vss",
	.msgtype = IC_MSG_VSS,
	.versions = versions,
	.nversions = ARRAY_SIZE(versions),
	.request = vss_request,
	.report = vss_report,
};
