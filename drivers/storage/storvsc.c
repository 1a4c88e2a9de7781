/*
 * storvsc: the synthetic SCSI controller's VSP protocol (docs/STORAGE-NETWORK.md
 * §1): BEGIN_INITIALIZATION, QUERY_PROTOCOL_VERSION newest first,
 * QUERY_PROPERTIES, END_INITIALIZATION, then scsi.c's commands.  One
 * request is in flight at a time; its completion is matched by request id,
 * and every length the host gives is checked before use.  The protocol runs
 * in the opened() callback: its waits run the loop, whose channel poller
 * delivers the completions to storvsc_on_packet().
 */
#include "drivers/storage/storvsc.h"

#include <stdarg.h>

#include "kernel/cpu.h"
#include "kernel/loop.h"
#include "kernel/policy.h"
#include "lib/fmt.h"
#include "lib/log.h"
#include "lib/report.h"
#include "lib/str.h"

#define MAX_CONTROLLERS 4
#define REQUEST_ID_BASE 0x53544f5200000000ull /* "STOR": ids are never 0 */
#define MIN_TRANSFER 4096                     /* a host must move at least a page */

/* Newest first; the request block grew at Win8 (VSTOR_SRB_LEN_*). */
static const uint16_t versions[] = {
	VSTOR_VERSION_WIN10, VSTOR_VERSION_WIN8_1, VSTOR_VERSION_WIN8, VSTOR_VERSION_WIN7,
	VSTOR_VERSION_WIN6,
};

static struct storvsc controllers[MAX_CONTROLLERS];
static unsigned ncontrollers;

void storvsc_finding(struct storvsc *s, const char *fmt, ...)
{
	char reason[REPORT_REASON_MAX];
	va_list ap;

	va_start(ap, fmt);
	fmt_vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	report_finding("storage.protocol", CHECK_FAIL, &s->findings, "relid %u: %s", s->ch->relid, reason);
}

void storvsc_tolerate(struct storvsc *s, const char *fmt, ...)
{
	char reason[96];
	va_list ap;

	va_start(ap, fmt);
	fmt_vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	if (s->tolerated++ == 0)
		str_copy(s->tolerated_why, reason, sizeof(s->tolerated_why));
	log_printf("hvprobe: storage: relid %u: %s\n", s->ch->relid, reason);
}

void storvsc_on_packet(struct storvsc *s, const struct vmbus_packet *pkt, const uint8_t *payload,
		       uint32_t len)
{
	uint32_t op;

	s->packets++;
	if (pkt->type == VMBUS_PKT_COMPLETION ||
	    (pkt->type == VMBUS_PKT_DATA_INBAND && pkt->transaction_id)) {
		/* Linux takes an in-band answer carrying the id as well */
		if (!s->waiting || s->done || pkt->transaction_id != s->wait_id) {
			storvsc_finding(s, "a completion for request id 0x%llx, which is not outstanding",
					(unsigned long long)pkt->transaction_id);
			return;
		}
		memset(&s->resp, 0, sizeof(s->resp));
		memcpy(&s->resp, payload, len < sizeof(s->resp) ? len : sizeof(s->resp));
		s->resp_len = len;
		s->done = true;
		s->completions++;
		return;
	}
	if (pkt->type != VMBUS_PKT_DATA_INBAND) {
		storvsc_finding(s, "packet type %u on the storage channel (want 6 or 11)", pkt->type);
		return;
	}
	if (len < sizeof(op)) {
		storvsc_finding(s, "a %u-byte packet cannot hold an operation", len);
		return;
	}
	memcpy(&op, payload, sizeof(op));
	s->unsolicited++;
	if (op == VSTOR_OP_ENUMERATE_BUS || op == VSTOR_OP_REMOVE_DEVICE ||
	    op == VSTOR_OP_EVENT_NOTIFICATION || op == VSTOR_OP_FCHBA_DATA)
		log_printf("hvprobe: storage: relid %u: the host sent operation %u (%s)\n",
			   s->ch->relid, op, op == VSTOR_OP_FCHBA_DATA ? "Fibre Channel names" : "LUNs changed");
	else /* Linux storvsc_on_receive ignores other operations */
		storvsc_tolerate(s, "an unsolicited packet with operation %u, ignored", op);
}

static bool request_over(void *ctx)
{
	struct storvsc *s = ctx;

	return s->done || s->ch->broken || s->ch->state != CH_OPEN;
}

int storvsc_request(struct storvsc *s, struct vstor_packet *p, void *data, uint32_t data_len,
		    const char **why)
{
	static char reason[96];
	uint64_t start;
	int r;

	p->flags = VSTOR_FLAG_REQUEST_COMPLETION;
	p->status = 0;
	s->wait_id = REQUEST_ID_BASE + ++s->next_id;
	s->waiting = true;
	s->done = false;
	if (data)
		r = vmbus_send_gpa(s->ch, s->wait_id, p, s->pkt_size, data, data_len);
	else
		r = vmbus_send(s->ch, VMBUS_PKT_DATA_INBAND, VMBUS_PKT_FLAG_COMPLETION_REQUESTED,
			       s->wait_id, p, s->pkt_size);
	if (r) {
		s->waiting = false;
		*why = "the outbound ring refused the request";
		return -1;
	}
	start = cpu_now_ns();
	loop_wait("a storage completion", request_over, s, start + STORVSC_TIMEOUT_NS);
	if (!request_over(s) && p->operation == VSTOR_OP_EXECUTE_SRB) {
		loop_wait("a late storage completion", request_over, s, start + STORVSC_SRB_LATE_NS);
		if (s->done)
			storvsc_tolerate(s, "an SRB completed after %llu ms (within its 60 s time-out)",
					 (unsigned long long)((cpu_now_ns() - start) / 1000000));
	}
	s->waiting = false;
	if (!s->done) {
		*why = s->ch->state != CH_OPEN ? "the channel went away"
		       : s->ch->broken	       ? "the channel's ring broke"
		       : p->operation == VSTOR_OP_EXECUTE_SRB ? "no completion within its 60 s time-out"
							      : "no completion within 5 s";
		return -1;
	}
	if (s->resp_len < VSTOR_PACKET_WIN7) {
		fmt_snprintf(reason, sizeof(reason), "a %u-byte completion (a vstor packet is at least %u)",
			     s->resp_len, VSTOR_PACKET_WIN7);
		*why = reason;
		return -1;
	}
	if (s->resp.operation != VSTOR_OP_COMPLETE_IO) {
		fmt_snprintf(reason, sizeof(reason), "a completion with operation %u (want COMPLETE_IO)",
			     s->resp.operation);
		*why = reason;
		return -1;
	}
	return 0;
}

/* One initialization step: the request must complete with status 0. */
static int init_step(struct storvsc *s, uint32_t op, const char *name)
{
	struct vstor_packet p;
	const char *why;

	memset(&p, 0, sizeof(p));
	p.operation = op;
	if (storvsc_request(s, &p, NULL, 0, &why)) {
		check("storage.init", vmbus_unfinished(s->ch), "relid %u: %s: %s", s->ch->relid, name, why);
		return -1;
	}
	if (s->resp.status != VSTOR_STATUS_SUCCESS) {
		check("storage.init", CHECK_FAIL, "relid %u: %s completed with status 0x%08x",
		      s->ch->relid, name, s->resp.status);
		return -1;
	}
	return 0;
}

/* QUERY_PROTOCOL_VERSION newest first (REVISION_MISMATCH: try the next): storage.version. */
static int negotiate(struct storvsc *s)
{
	char refused[48];
	struct fmt_buf fb = FMT_BUF(refused);
	struct vstor_packet p;
	const char *why;

	for (unsigned i = 0; i < ARRAY_SIZE(versions); i++) {
		uint16_t v = versions[i];

		memset(&p, 0, sizeof(p));
		p.operation = VSTOR_OP_QUERY_PROTOCOL_VERSION;
		p.version.major_minor = v;
		if (storvsc_request(s, &p, NULL, 0, &why)) {
			check("storage.version", vmbus_unfinished(s->ch), "relid %u: version %u.%u: %s", s->ch->relid,
			      v >> 8, v & 0xff, why);
			return -1;
		}
		if (s->resp.status == VSTOR_STATUS_REVISION_MISMATCH) {
			fmt_add(&fb, "%s%u.%u", fb.len ? ", " : "", v >> 8, v & 0xff);
			continue;
		}
		if (s->resp.status != VSTOR_STATUS_SUCCESS) {
			check("storage.version", CHECK_FAIL, "relid %u: version %u.%u: status 0x%08x",
			      s->ch->relid, v >> 8, v & 0xff, s->resp.status);
			return -1;
		}
		s->version = v;
		s->pkt_size = v >= VSTOR_VERSION_WIN8 ? VSTOR_PACKET_WIN8 : VSTOR_PACKET_WIN7;
		s->srb_len = v >= VSTOR_VERSION_WIN8 ? VSTOR_SRB_LEN_WIN8 : VSTOR_SRB_LEN_WIN7;
		s->sense_len = v >= VSTOR_VERSION_WIN8 ? VSTOR_SENSE_MAX : VSTOR_SENSE_WIN7;
		/* hosts echo the accepted version (OpenVMM storvsp); mu_msvm asserts it only in
		 * debug builds and Linux storvsc_channel_init never reads it (Virtuozzo's
		 * hv-scsi leaves it 0): a wrong echo is a warning */
		check("storage.version",
		      s->resp.version.major_minor == v ? CHECK_PASS : CHECK_WARN,
		      "relid %u: protocol %u.%u%s%s%s, echoed as 0x%04x", s->ch->relid, v >> 8,
		      v & 0xff, fb.len ? " (refused: " : "", refused, fb.len ? ")" : "",
		      s->resp.version.major_minor);
		return 0;
	}
	check("storage.version", CHECK_FAIL, "relid %u: the host refused every version: %s",
	      s->ch->relid, refused);
	return -1;
}

/* The VSP initialization: storage.init (and storage.version). */
static int storvsc_init(struct storvsc *s)
{
	const struct vstor_channel_properties *pr = &s->resp.properties;

	s->pkt_size = VSTOR_PACKET_WIN7; /* before the version is known (mu_msvm, older Linux) */
	if (init_step(s, VSTOR_OP_BEGIN_INITIALIZATION, "BEGIN_INITIALIZATION") || negotiate(s) ||
	    init_step(s, VSTOR_OP_QUERY_PROPERTIES, "QUERY_PROPERTIES"))
		return -1;
	s->props = *pr;
	if (init_step(s, VSTOR_OP_END_INITIALIZATION, "END_INITIALIZATION"))
		return -1;
	/* Linux and mu_msvm size every transfer by it: less than a page moves nothing */
	return check_that("storage.init", s->props.max_transfer_bytes >= MIN_TRANSFER,
			  "relid %u: initialized; max transfer %u KiB, multi-channel %u (%u sub-channels)",
			  s->ch->relid, s->props.max_transfer_bytes / 1024,
			  s->props.flags & VSTOR_PROPERTY_MULTI_CHANNEL, s->props.max_channel_count)
		       ? 0
		       : -1;
}

static void storvsc_opened(struct vmbus_channel *ch)
{
	struct storvsc *s;

	if (ncontrollers == MAX_CONTROLLERS) {
		log_printf("hvprobe: storage: relid %u: more than %u controllers; not driven\n", ch->relid,
			   MAX_CONTROLLERS);
		return;
	}
	s = &controllers[ncontrollers++];
	memset(s, 0, sizeof(*s));
	s->ch = ch;
	ch->priv = s;
	s->io = cpu_alloc_pages(STORVSC_IO_PAGES);
	if (!s->io) {
		check("storage.init", CHECK_FAIL, "relid %u: no memory for the data buffer", ch->relid);
		return;
	}
	if (storvsc_init(s) == 0)
		storvsc_scan(s);
}

static void storvsc_packet(struct vmbus_channel *ch, const struct vmbus_packet *pkt,
			   const uint8_t *payload, uint32_t len)
{
	if (ch->priv)
		storvsc_on_packet(ch->priv, pkt, payload, len);
}

static void storvsc_report(struct vmbus_channel *ch)
{
	struct storvsc *s = ch->priv;

	if (s && !s->findings && s->tolerated)
		check_warn("storage.protocol",
			   "relid %u: %llu packets from the host, every completion matched its request; %u tolerated: %s",
			   ch->relid, (unsigned long long)s->packets, s->tolerated, s->tolerated_why);
	else if (s && !s->findings)
		check("storage.protocol", CHECK_PASS,
		      "relid %u: %llu packets from the host, every completion matched its request",
		      ch->relid, (unsigned long long)s->packets);
}

/* No SCSI controller offered: a Gen2 Hyper-V VM boots from one. */
static void storvsc_absent(const struct vmbus_device *dev)
{
	check_missing("storage.init", "the host offers no synthetic SCSI controller (%s)", dev->name);
}

const struct vmbus_device_ops storvsc_device_ops = {
	.ring_pages = 8, /* 28 KiB each way: one request in flight needs little */
	.opened = storvsc_opened,
	.packet = storvsc_packet,
	.report = storvsc_report,
	.absent = storvsc_absent,
};
