/*
 * netvsc: NVSP, the network VSP protocol (docs/STORAGE-NETWORK.md §3).  In
 * the opened() callback: INIT newest version first, NDIS config (v2 and
 * later) and NDIS version, then a receive buffer and a send buffer, each a
 * GPADL of its own announced to the host; rndis.c goes on from there.
 * Requests go in band with a transaction id and wait for their completion;
 * received RNDIS messages come as transfer-page packets whose ranges are
 * checked against the receive buffer before a byte is read, and each is
 * completed so the host can reuse its sub-allocation.
 */
#include "drivers/net/netvsc.h"

#include <stdarg.h>

#include "kernel/cpu.h"
#include "kernel/loop.h"
#include "kernel/policy.h"
#include "lib/fmt.h"
#include "lib/log.h"
#include "lib/report.h"
#include "lib/str.h"

#define MAX_ADAPTERS 4
#define NVSP_ID_BASE 0x4e56535000000000ull /* "NVSP": ids are never 0 */
#define MIN_SECTION 68                      /* Linux NETVSC_MTU_MIN */
#define NDIS_MTU (1500 + ETH_HLEN)

static const uint32_t versions[] = {
	NVSP_VERSION_61, NVSP_VERSION_6, NVSP_VERSION_5, NVSP_VERSION_4, NVSP_VERSION_2,
	NVSP_VERSION_1,
};

static struct netvsc adapters[MAX_ADAPTERS];
static unsigned nadapters;

void netvsc_finding(struct netvsc *n, const char *fmt, ...)
{
	char reason[REPORT_REASON_MAX];
	va_list ap;

	va_start(ap, fmt);
	fmt_vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	report_finding("net.protocol", CHECK_FAIL, &n->findings, "relid %u: %s", n->ch->relid, reason);
}

int nvsp_reserve(struct netvsc *n)
{
	for (int i = 0; i < NETVSC_MAX_PENDING; i++)
		if (!n->pending[i].used) {
			memset(&n->pending[i], 0, sizeof(n->pending[i]));
			n->pending[i].used = true;
			n->pending[i].id = NVSP_ID_BASE + ++n->next_id;
			return i;
		}
	return -1;
}

/* What nvsp_wait waits on: a completion, or the channel gone (rescinded, closed, broken). */
struct nvsp_waiting {
	const struct netvsc *n;
	const struct nvsp_pending *p;
};

static bool pending_over(void *ctx)
{
	const struct nvsp_waiting *w = ctx;

	return w->p->done || w->n->ch->state != CH_OPEN || w->n->ch->broken;
}

/* An answer that took @ns, longer than NETVSC_TIMEOUT_NS: counted for net.protocol. */
void netvsc_late(struct netvsc *n, uint64_t ns)
{
	n->late++;
	if (ns > n->late_max_ns)
		n->late_max_ns = ns;
}

bool nvsp_wait(struct netvsc *n, int slot, const char **why)
{
	struct nvsp_pending *p = &n->pending[slot];
	struct nvsp_waiting w = { n, p };
	uint64_t start = cpu_now_ns();

	loop_wait("an NVSP completion", pending_over, &w, start + NETVSC_TIMEOUT_NS);
	if (!p->done && n->nvsp_version && n->ch->state == CH_OPEN && !n->ch->broken) {
		loop_wait("a late NVSP completion", pending_over, &w, start + NETVSC_LATE_NS);
		if (p->done)
			netvsc_late(n, cpu_now_ns() - start);
	}
	if (!p->done) {
		*why = n->ch->state != CH_OPEN ? "the channel went away"
		       : n->ch->broken	       ? "the channel's ring broke"
		       : n->nvsp_version       ? "no completion within 30 s"
						       : "no completion within 5 s";
		p->used = false;
		return false;
	}
	p->used = false;
	return true;
}

/* Send @msg (padded to NVSP_MSG_SIZE) asking for a completion of type @answer, >= @min bytes. */
static const void *nvsp_request(struct netvsc *n, const void *msg, uint32_t len, uint32_t answer,
				uint32_t min, const char **why)
{
	static char reason[96];
	static uint8_t answer_copy[NVSP_MSG_SIZE];
	uint8_t buf[NVSP_MSG_SIZE] = { 0 };
	int slot = nvsp_reserve(n);
	struct nvsp_pending *p;
	uint32_t type;

	if (slot < 0) {
		*why = "too many NVSP transactions in flight";
		return NULL;
	}
	p = &n->pending[slot];
	memcpy(buf, msg, len);
	if (vmbus_send(n->ch, VMBUS_PKT_DATA_INBAND, VMBUS_PKT_FLAG_COMPLETION_REQUESTED, p->id,
		       buf, NVSP_MSG_SIZE)) {
		p->used = false;
		*why = "the outbound ring refused the message";
		return NULL;
	}
	if (!nvsp_wait(n, slot, why))
		return NULL;
	memcpy(&type, p->msg, sizeof(type));
	if (p->len < min || type != answer) {
		fmt_snprintf(reason, sizeof(reason),
			     "the answer is a %u-byte message of type %u (want type %u, >= %u bytes)",
			     p->len, p->len >= 4 ? type : 0, answer, min);
		*why = reason;
		return NULL;
	}
	memcpy(answer_copy, p->msg, sizeof(answer_copy));
	return answer_copy;
}

/* A message the host does not answer (NDIS version and config, revokes). */
static int nvsp_post(struct netvsc *n, const void *msg, uint32_t len)
{
	uint8_t buf[NVSP_MSG_SIZE] = { 0 };

	memcpy(buf, msg, len);
	return vmbus_send(n->ch, VMBUS_PKT_DATA_INBAND, 0, 0, buf, NVSP_MSG_SIZE);
}

/* One transfer-page packet: RNDIS messages in the receive buffer; completed either way. */
static void receive(struct netvsc *n, const struct vmbus_packet *pkt, const uint8_t *payload,
		    uint32_t len)
{
	static uint8_t copy[NETVSC_FRAME_MAX];
	const uint8_t *raw = (const uint8_t *)pkt;
	uint32_t hdr = pkt->offset8 * 8u, rx_bytes = n->rx_sections * n->rx_section_size;
	struct nvsp_rndis_pkt_complete done = { NVSP_MSG1_SEND_RNDIS_PKT_COMPLETE,
						NVSP_STAT_SUCCESS };
	struct vmbus_xfer_header x = { 0 };
	struct nvsp_rndis_pkt m;

	n->xfer_packets++;
	if (hdr >= 16 + sizeof(x))
		memcpy(&x, raw + 16, sizeof(x));
	memset(&m, 0, sizeof(m));
	memcpy(&m, payload, len < sizeof(m) ? len : sizeof(m));
	if (hdr < 16 + sizeof(x) || len < sizeof(m) || m.type != NVSP_MSG1_SEND_RNDIS_PKT ||
	    x.set_id != NETVSC_RX_ID || !n->rx_sections ||
	    x.range_count > (hdr - 16 - sizeof(x)) / 8) {
		netvsc_finding(n, "a transfer-page packet: set 0x%x, %u ranges in a %u-byte header, NVSP message of %u bytes",
			       x.set_id, x.range_count, hdr, len);
		x.range_count = 0; /* nothing in it is used; it is still completed */
		done.status = NVSP_STAT_FAIL;
	}
	for (uint32_t i = 0; i < x.range_count; i++) {
		struct vmbus_xfer_range r;

		memcpy(&r, raw + 16 + sizeof(x) + 8 * i, sizeof(r));
		if (r.byte_offset > rx_bytes || r.byte_count > rx_bytes - r.byte_offset ||
		    r.byte_count > sizeof(copy)) {
			netvsc_finding(n, "a receive range of %u bytes at %u outside the %u-byte buffer (or over the %u-byte RNDIS maximum)",
				       r.byte_count, r.byte_offset, rx_bytes, NETVSC_FRAME_MAX);
			done.status = NVSP_STAT_FAIL;
			break;
		}
		/* copy out first: the host owns the buffer until we complete */
		memcpy(copy, n->rx + r.byte_offset, r.byte_count);
		if (rndis_receive(n, copy, r.byte_count, m.channel_type))
			done.status = NVSP_STAT_FAIL;
	}
	vmbus_send(n->ch, VMBUS_PKT_COMPLETION, 0, pkt->transaction_id, &done, sizeof(done));
}

void netvsc_on_packet(struct netvsc *n, const struct vmbus_packet *pkt, const uint8_t *payload,
		      uint32_t len)
{
	uint32_t type;

	if (pkt->type == VMBUS_PKT_DATA_XFER_PAGES) {
		receive(n, pkt, payload, len);
		return;
	}
	if (pkt->type != VMBUS_PKT_COMPLETION && pkt->type != VMBUS_PKT_DATA_INBAND) {
		netvsc_finding(n, "packet type %u on the network channel (want 6, 7 or 11)", pkt->type);
		return;
	}
	if (len < sizeof(type)) {
		netvsc_finding(n, "a %u-byte NVSP message", len);
		return;
	}
	memcpy(&type, payload, sizeof(type));
	if (pkt->type == VMBUS_PKT_DATA_INBAND) { /* the host's own: VF, data path, send table */
		log_printf("hvprobe: net: relid %u: NVSP message %u from the host (not used)\n",
			   n->ch->relid, type);
		return;
	}
	for (int i = 0; i < NETVSC_MAX_PENDING; i++) {
		struct nvsp_pending *p = &n->pending[i];

		if (p->used && !p->done && p->id == pkt->transaction_id) {
			memset(p->msg, 0, sizeof(p->msg));
			memcpy(p->msg, payload, len < sizeof(p->msg) ? len : sizeof(p->msg));
			p->len = len;
			p->done = true;
			return;
		}
	}
	netvsc_finding(n, "a completion (NVSP %u) for transaction 0x%llx, which is not outstanding",
		       type, (unsigned long long)pkt->transaction_id);
}

/* INIT with each version, newest first; then NDIS config and version. */
static int negotiate(struct netvsc *n, char *refused, size_t size, const char **why)
{
	struct fmt_buf fb = { refused, size, 0 };

	refused[0] = '\0';
	for (unsigned i = 0; i < ARRAY_SIZE(versions); i++) {
		struct nvsp_init msg = { NVSP_MSG_INIT, versions[i], versions[i] };
		const struct nvsp_init_complete *c = nvsp_request(
			n, &msg, sizeof(msg), NVSP_MSG_INIT_COMPLETE, sizeof(*c), why);

		if (!c)
			return -1;
		if (c->status == NVSP_STAT_SUCCESS) {
			n->nvsp_version = versions[i];
			break;
		}
		fmt_add(&fb, "%s%u.%u", fb.len ? ", " : "", versions[i] >> 16, versions[i] & 0xffff);
	}
	if (!n->nvsp_version) {
		*why = "the host refused every NVSP version";
		return -1;
	}
	if (n->nvsp_version >= NVSP_VERSION_2) {
		struct nvsp_ndis_config cfg = { NVSP_MSG2_SEND_NDIS_CONFIG, NDIS_MTU, 0,
						NVSP_CAP_IEEE8021Q };

		nvsp_post(n, &cfg, sizeof(cfg));
	}
	n->ndis_version = n->nvsp_version <= NVSP_VERSION_4 ? NDIS_VERSION_6_1 : NDIS_VERSION_6_30;
	{
		struct nvsp_ndis_version nv = { NVSP_MSG1_SEND_NDIS_VERSION, n->ndis_version >> 16,
						n->ndis_version & 0xffff };

		nvsp_post(n, &nv, sizeof(nv));
	}
	return 0;
}

/* The receive and send buffers: a GPADL each, announced with SEND_RECV_BUF / SEND_SEND_BUF. */
static int buffers(struct netvsc *n, const char **why)
{
	static char reason[128];
	struct nvsp_send_buf rb = { NVSP_MSG1_SEND_RECV_BUF, 0, NETVSC_RX_ID, 0 };
	struct nvsp_send_buf sb = { NVSP_MSG1_SEND_SEND_BUF, 0, NETVSC_TX_ID, 0 };
	const struct nvsp_recv_buf_complete *rc;
	const struct nvsp_send_buf_complete *sc;
	const uint32_t rx_bytes = NETVSC_RX_PAGES * PAGE_SIZE;
	const uint32_t tx_bytes = NETVSC_TX_PAGES * PAGE_SIZE;

	if (vmbus_gpadl_create(n->ch, n->rx, NETVSC_RX_PAGES, &n->rx_gpadl, why))
		return -1;
	rb.gpadl = n->rx_gpadl;
	rc = nvsp_request(n, &rb, sizeof(rb), NVSP_MSG1_SEND_RECV_BUF_COMPLETE, sizeof(*rc), why);
	n->buffers_sent = true;
	if (!rc)
		return -1;
	/* the host writes section i at i * size: all of it must lie inside the buffer */
	if (rc->status != NVSP_STAT_SUCCESS || rc->num_sections != 1 || rc->section.offset ||
	    rc->section.sub_alloc_size < MIN_SECTION ||
	    (uint64_t)rc->section.sub_alloc_size * rc->section.num_sub_allocs > rx_bytes ||
	    !rc->section.num_sub_allocs) {
		fmt_snprintf(reason, sizeof(reason),
			     "RECV_BUF_COMPLETE status %u, %u sections, %u x %u B at %u for a %u-byte buffer",
			     rc->status, rc->num_sections, rc->section.num_sub_allocs,
			     rc->section.sub_alloc_size, rc->section.offset, rx_bytes);
		*why = reason;
		return -1;
	}
	n->rx_section_size = rc->section.sub_alloc_size;
	n->rx_sections = rc->section.num_sub_allocs;
	if (vmbus_gpadl_create(n->ch, n->tx, NETVSC_TX_PAGES, &n->tx_gpadl, why))
		return -1;
	sb.gpadl = n->tx_gpadl;
	sc = nvsp_request(n, &sb, sizeof(sb), NVSP_MSG1_SEND_SEND_BUF_COMPLETE, sizeof(*sc), why);
	if (!sc)
		return -1;
	if (sc->status != NVSP_STAT_SUCCESS || sc->section_size < MIN_SECTION ||
	    sc->section_size > tx_bytes) {
		fmt_snprintf(reason, sizeof(reason), "SEND_BUF_COMPLETE status %u, sections of %u B in a %u-byte buffer",
			     sc->status, sc->section_size, tx_bytes);
		*why = reason;
		return -1;
	}
	n->tx_section_size = sc->section_size;
	return 0;
}

static void netvsc_opened(struct vmbus_channel *ch)
{
	char refused[48] = "";
	const char *why;
	struct netvsc *n;

	if (nadapters == MAX_ADAPTERS) {
		log_printf("hvprobe: net: relid %u: more than %u adapters; not driven\n", ch->relid,
			   MAX_ADAPTERS);
		return;
	}
	n = &adapters[nadapters++];
	memset(n, 0, sizeof(*n));
	n->ch = ch;
	n->link = LINK_UNKNOWN;
	ch->priv = n;
	n->rx = cpu_alloc_pages(NETVSC_RX_PAGES);
	n->tx = cpu_alloc_pages(NETVSC_TX_PAGES);
	n->ctl = cpu_alloc_pages(1);
	if (!n->rx || !n->tx || !n->ctl) {
		check("net.nvsp", CHECK_FAIL, "relid %u: no memory for the buffers", ch->relid);
		return;
	}
	if (negotiate(n, refused, sizeof(refused), &why) || buffers(n, &why)) {
		check("net.nvsp", vmbus_unfinished(ch), "relid %u: %s%s%s", ch->relid, why,
		      refused[0] ? "; refused: " : "", refused);
		return;
	}
	check("net.nvsp", CHECK_PASS,
	      "relid %u: NVSP %u.%u%s%s%s, NDIS %u.%u; receive buffer %u x %u B, send sections of %u B",
	      ch->relid, n->nvsp_version >> 16, n->nvsp_version & 0xffff, refused[0] ? " (refused: " : "",
	      refused, refused[0] ? ")" : "", n->ndis_version >> 16, n->ndis_version & 0xffff,
	      n->rx_sections, n->rx_section_size, n->tx_section_size);
	rndis_start(n);
}

static void netvsc_packet(struct vmbus_channel *ch, const struct vmbus_packet *pkt,
			  const uint8_t *payload, uint32_t len)
{
	if (ch->priv)
		netvsc_on_packet(ch->priv, pkt, payload, len);
}

/* The end-of-run checks; then the buffers are revoked (and, before VMBus 4.0, torn down). */
static void netvsc_report(struct vmbus_channel *ch)
{
	struct netvsc *n = ch->priv;
	struct nvsp_revoke_buf rr = { NVSP_MSG1_REVOKE_RECV_BUF, NETVSC_RX_ID };
	struct nvsp_revoke_buf rs = { NVSP_MSG1_REVOKE_SEND_BUF, NETVSC_TX_ID };
	const char *why;

	if (!n)
		return;
	rndis_report(n);
	if (!n->findings) {
		char late[64] = "";

		if (n->late)
			fmt_snprintf(late, sizeof(late), "; %u answers after 5 s (longest %llu ms)", n->late,
				     (unsigned long long)(n->late_max_ns / 1000000));
		check("net.protocol", n->unknown_rndis || n->late ? CHECK_WARN : CHECK_PASS,
		      "relid %u: every completion matched a request, %llu transfer-page packets completed%s%s",
		      ch->relid, (unsigned long long)n->xfer_packets,
		      n->unknown_rndis ? "; RNDIS messages of unknown types ignored (as Linux)" : "", late);
	}
	if (!n->buffers_sent)
		return;
	nvsp_post(n, &rr, sizeof(rr));
	nvsp_post(n, &rs, sizeof(rs));
	/* hosts before VMBus 4.0 want the GPADLs gone before CLOSECHANNEL, later ones after */
	if (vmbus_version() >= VMBUS_VERSION_WIN10)
		return;
	for (int i = 0; i < 2; i++) {
		uint32_t g = i ? n->tx_gpadl : n->rx_gpadl;

		if (g && vmbus_gpadl_teardown(ch, g, &why))
			log_printf("hvprobe: net: relid %u: GPADL 0x%x teardown: %s\n", ch->relid, g, why);
	}
}

/* No network adapter offered: a VM may have none, but Hyper-V VMs usually do. */
static void netvsc_absent(const struct vmbus_device *dev)
{
	check_missing("net.nvsp", "the host offers no synthetic network adapter (%s)", dev->name);
}

const struct vmbus_device_ops netvsc_device_ops = {
	.ring_pages = 8, /* 28 KiB each way */
	.opened = netvsc_opened,
	.packet = netvsc_packet,
	.report = netvsc_report,
	.absent = netvsc_absent,
};
