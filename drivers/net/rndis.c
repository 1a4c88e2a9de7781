/*
 * RNDIS over NVSP (docs/STORAGE-NETWORK.md §4).  Control messages go out as
 * SEND_RNDIS_PKT on the control channel with the message in one GPA-direct
 * range (as Linux); their replies come back through the receive buffer and
 * are matched by request id.  The one frame sent, an ARP probe, goes
 * through section 0 of the send buffer on the data channel.  Every length
 * in a message from the host is checked against the range that carried it.
 */
#include "drivers/net/netvsc.h"

#include <stdarg.h>

#include "kernel/cpu.h"
#include "kernel/loop.h"
#include "lib/fmt.h"
#include "lib/log.h"
#include "lib/report.h"
#include "lib/str.h"

#define RNDIS_ID_BASE 0x52440000u   /* "RD": request ids */
#define RX_WAIT_NS 200000000ull     /* after the send: how long frames may take */
#define LINK_CHANGES_MAX 2          /* more state changes in one run is flapping */
#define MIN_MTU 68
#define FILTER \
	(NDIS_PACKET_TYPE_DIRECTED | NDIS_PACKET_TYPE_ALL_MULTICAST | NDIS_PACKET_TYPE_BROADCAST)

static void mac_str(const uint8_t *m, char buf[18])
{
	fmt_snprintf(buf, 18, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
}

static uint32_t le32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

/* A malformed message: it fails the request waiting for it, or the receive path. */
static int bad(struct netvsc *n, uint32_t type, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int bad(struct netvsc *n, uint32_t type, const char *fmt, ...)
{
	static char reason[96];
	va_list ap;

	va_start(ap, fmt);
	fmt_vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	if ((type & RNDIS_COMPLETION) && n->rndis_waiting && !n->rndis_done) {
		n->rndis_error = reason;
		n->rndis_done = true;
		return -1;
	}
	if (n->rx_findings++ == 0)
		str_copy(n->rx_error, reason, sizeof(n->rx_error));
	log_printf("hvprobe: net: relid %u: %s\n", n->ch->relid, reason);
	return -1;
}

static void set_link(struct netvsc *n, int state)
{
	if (n->link != LINK_UNKNOWN && n->link != state) {
		n->link_changes++;
		log_printf("hvprobe: net: relid %u: link %s\n", n->ch->relid,
			   state == NDIS_MEDIA_CONNECTED ? "up" : "down");
	}
	n->link = state;
}

/* RNDIS_PACKET_MSG: one Ethernet frame, counted. */
static int packet(struct netvsc *n, const uint8_t *msg, uint32_t len)
{
	struct rndis_packet p;
	const uint8_t *f;
	char src[18];

	if (len < sizeof(p))
		return bad(n, RNDIS_PACKET_MSG, "an RNDIS packet message of %u bytes", len);
	memcpy(&p, msg, sizeof(p));
	if (p.data_offset < sizeof(p) - RNDIS_OFFSET_BASE ||
	    p.data_offset > len - RNDIS_OFFSET_BASE ||
	    p.data_len > len - RNDIS_OFFSET_BASE - p.data_offset || p.data_len < ETH_HLEN)
		return bad(n, RNDIS_PACKET_MSG, "an RNDIS packet with %u data bytes at %u in %u bytes",
			   p.data_len, p.data_offset, len);
	f = msg + RNDIS_OFFSET_BASE + p.data_offset;
	if (!n->frames++) {
		mac_str(f + ETH_ALEN, src);
		fmt_snprintf(n->first_frame, sizeof(n->first_frame), "%s from %s",
			     f[12] == 0x08 && f[13] == 0x06   ? "ARP"
			     : f[12] == 0x08 && f[13] == 0x00 ? "IPv4"
			     : f[12] == 0x86 && f[13] == 0xdd ? "IPv6"
							      : "a frame",
			     src);
	}
	n->frame_bytes += p.data_len;
	return 0;
}

/* A control completion: the reply to the request in flight, by request id and type. */
static int reply(struct netvsc *n, const uint8_t *msg, uint32_t len, uint32_t type)
{
	uint32_t id;

	if (len < 16)
		return bad(n, type, "RNDIS completion 0x%08x of %u bytes", type, len);
	id = le32(msg + 8);
	if (!n->rndis_waiting || n->rndis_done || id != n->rndis_id || type != n->rndis_expect) {
		netvsc_finding(n, "RNDIS completion 0x%08x for request %u, which is not outstanding", type, id);
		return -1;
	}
	n->rndis_len = len;
	memcpy(n->rndis_reply, msg, len < RNDIS_REPLY_MAX ? len : RNDIS_REPLY_MAX);
	n->rndis_done = true;
	return 0;
}

/*
 * RNDIS_INDICATE_STATUS_MSG (@mlen bytes by its header, @range in its
 * receive range): link changes.  The status buffer must lie inside the range
 * ([MS-RNDIS] 2.2.10; Linux netvsc_linkstatus_callback rejects it
 * otherwise).  Why not inside msg_len: vSwitches before Windows Server 2019
 * ("pre-Fe") left the buffer out of msg_len, and Linux bounds it by the
 * range for that reason; such a buffer is counted and warned about.
 */
static int status(struct netvsc *n, const uint8_t *msg, uint32_t mlen, uint32_t range)
{
	struct rndis_indicate_status s;

	if (mlen < sizeof(s))
		return bad(n, RNDIS_INDICATE_STATUS_MSG, "a status indication of %u bytes", mlen);
	memcpy(&s, msg, sizeof(s));
	if (s.buf_len && (s.buf_offset > range - RNDIS_OFFSET_BASE ||
			  s.buf_len > range - RNDIS_OFFSET_BASE - s.buf_offset))
		return bad(n, RNDIS_INDICATE_STATUS_MSG,
			   "a status indication with %u bytes at %u in a %u-byte range", s.buf_len,
			   s.buf_offset, range);
	if (s.buf_len && (uint64_t)s.buf_offset + s.buf_len > mlen - RNDIS_OFFSET_BASE)
		n->pre_fe_status++;
	n->indications++;
	if (s.status == RNDIS_STATUS_MEDIA_CONNECT)
		set_link(n, NDIS_MEDIA_CONNECTED);
	else if (s.status == RNDIS_STATUS_MEDIA_DISCONNECT)
		set_link(n, NDIS_MEDIA_DISCONNECTED);
	return 0;
}

int rndis_receive(struct netvsc *n, const uint8_t *msg, uint32_t len, uint32_t channel)
{
	uint32_t type, mlen;

	if (len < 8)
		return bad(n, 0, "an RNDIS message of %u bytes", len);
	type = le32(msg);
	mlen = le32(msg + 4);
	if (mlen < 8 || mlen > len)
		return bad(n, type, "RNDIS message 0x%08x says %u bytes; its range holds %u", type, mlen, len);
	switch (type) {
	case RNDIS_PACKET_MSG:
		return packet(n, msg, mlen);
	case RNDIS_INDICATE_STATUS_MSG:
		return status(n, msg, mlen, len);
	case RNDIS_INITIALIZE_CMPLT:
	case RNDIS_QUERY_CMPLT:
	case RNDIS_SET_CMPLT:
	case RNDIS_RESET_CMPLT:
	case RNDIS_KEEPALIVE_CMPLT:
		return reply(n, msg, mlen, type);
	default: /* Linux rndis_filter_receive logs an unhandled type and goes on */
		if (!n->unknown_rndis++)
			n->unknown_type = type;
		log_printf("hvprobe: net: relid %u: RNDIS message type 0x%08x on channel %u: ignored\n",
			   n->ch->relid, type, channel);
		return 0;
	}
}

struct rndis_wait {
	struct netvsc *n;
	int slot;
};

static bool rndis_over(void *ctx)
{
	struct rndis_wait *w = ctx;

	return (w->n->rndis_done && w->n->pending[w->slot].done) || w->n->ch->state != CH_OPEN ||
	       w->n->ch->broken;
}

/* Send control message @msg (@len bytes); wait for the host's @expect reply in n->rndis_reply. */
static int rndis_request(struct netvsc *n, const void *msg, uint32_t len, uint32_t expect,
			 const char **why)
{
	static char reason[80];
	struct nvsp_rndis_pkt m = { NVSP_MSG1_SEND_RNDIS_PKT, NVSP_CHANNEL_CONTROL,
				    NVSP_NO_SECTION, 0 };
	uint8_t buf[NVSP_MSG_SIZE] = { 0 };
	struct rndis_wait w = { n, nvsp_reserve(n) };
	const struct nvsp_pending *p;
	uint64_t start;

	if (w.slot < 0) {
		*why = "too many NVSP transactions in flight";
		return -1;
	}
	p = &n->pending[w.slot];
	memcpy(n->ctl, msg, len);
	memcpy(buf, &m, sizeof(m));
	n->rndis_waiting = true;
	n->rndis_done = false;
	n->rndis_error = NULL;
	n->rndis_expect = expect;
	if (vmbus_send_gpa(n->ch, p->id, buf, sizeof(buf), n->ctl, len)) {
		n->pending[w.slot].used = n->rndis_waiting = false;
		*why = "the outbound ring refused the message";
		return -1;
	}
	start = cpu_now_ns();
	loop_wait("an RNDIS reply", rndis_over, &w, start + NETVSC_TIMEOUT_NS);
	if (!rndis_over(&w)) { /* Linux rndis_filter_query_device waits without a limit */
		loop_wait("a late RNDIS reply", rndis_over, &w, start + NETVSC_LATE_NS);
		if (n->rndis_done && p->done)
			netvsc_late(n, cpu_now_ns() - start);
	}
	n->rndis_waiting = n->pending[w.slot].used = false;
	if (n->rndis_error) {
		*why = n->rndis_error;
		return -1;
	}
	if (!n->rndis_done || !p->done) {
		*why = !n->rndis_done ? "no RNDIS reply within 30 s" : "no NVSP completion within 30 s";
		return -1;
	}
	if (p->len < 8 || le32(p->msg) != NVSP_MSG1_SEND_RNDIS_PKT_COMPLETE ||
	    le32(p->msg + 4) != NVSP_STAT_SUCCESS) {
		fmt_snprintf(reason, sizeof(reason), "NVSP completed the message as type %u status %u",
			     p->len >= 4 ? le32(p->msg) : 0, p->len >= 8 ? le32(p->msg + 4) : 0);
		*why = reason;
		return -1;
	}
	return 0;
}

/* QUERY @oid: the value (at least @min bytes) in *@info; 0, or -1 with *@why. */
static int query(struct netvsc *n, uint32_t oid, uint32_t min, const uint8_t **info,
		 const char **why)
{
	static char reason[96];
	struct rndis_query q = { { RNDIS_QUERY_MSG, sizeof(q) }, ++n->rndis_id, oid, 0, 0, 0 };
	struct rndis_query_cmplt c;
	uint32_t have;

	if (rndis_request(n, &q, sizeof(q), RNDIS_QUERY_CMPLT, why))
		return -1;
	memcpy(&c, n->rndis_reply, sizeof(c));
	have = n->rndis_len < RNDIS_REPLY_MAX ? n->rndis_len : RNDIS_REPLY_MAX;
	if (n->rndis_len < sizeof(c) || c.status != RNDIS_STATUS_SUCCESS || c.info_len < min ||
	    c.info_offset > have - RNDIS_OFFSET_BASE ||
	    c.info_len > have - RNDIS_OFFSET_BASE - c.info_offset) {
		fmt_snprintf(reason, sizeof(reason),
			     "QUERY 0x%08x: status 0x%08x, %u bytes at %u in a %u-byte reply", oid,
			     c.status, c.info_len, c.info_offset, n->rndis_len);
		*why = reason;
		return -1;
	}
	*info = n->rndis_reply + RNDIS_OFFSET_BASE + c.info_offset;
	return 0;
}

/*
 * INITIALIZE: 0, or -1 with *@why.  [MS-RNDIS] 2.2.2: version 1, medium
 * 802.3, at least one packet per message; Linux rndis_filter_init_device
 * takes 1 << alignment factor, so past 31 it has no meaning.
 */
static int initialize(struct netvsc *n, const struct rndis_initialize_cmplt **out, const char **why)
{
	static char reason[112];
	static struct rndis_initialize_cmplt c;
	struct rndis_initialize m = { { RNDIS_INITIALIZE_MSG, sizeof(m) }, RNDIS_ID_BASE,
				      RNDIS_MAJOR_VERSION, RNDIS_MINOR_VERSION, RNDIS_MAX_XFER };

	n->rndis_id = RNDIS_ID_BASE;

	if (rndis_request(n, &m, sizeof(m), RNDIS_INITIALIZE_CMPLT, why))
		return -1;
	memcpy(&c, n->rndis_reply, sizeof(c));
	if (n->rndis_len < sizeof(c) || c.status != RNDIS_STATUS_SUCCESS ||
	    c.major != RNDIS_MAJOR_VERSION || c.medium != RNDIS_MEDIUM_802_3 ||
	    !c.max_pkt_per_msg || c.pkt_alignment_factor > 31) {
		fmt_snprintf(reason, sizeof(reason),
			     "INITIALIZE_CMPLT of %u bytes: status 0x%08x, version %u.%u, medium %u, %u packets per message, alignment 2^%u",
			     n->rndis_len, c.status, c.major, c.minor, c.medium, c.max_pkt_per_msg,
			     c.pkt_alignment_factor);
		*why = reason;
		return -1;
	}
	*out = &c;
	return 0;
}

/* An ARP probe (RFC 5227: sender address 0) for a link-local address, through send section 0. */
static void send_probe(struct netvsc *n)
{
	static const uint8_t arp_head[8] = { 0x00, 0x01, 0x08, 0x00, ETH_ALEN, 4, 0x00, 0x01 };
	struct rndis_packet *p = (struct rndis_packet *)n->tx;
	/* a 169.254.1.0-169.254.254.255 address from the MAC (RFC 3927) */
	uint8_t ip[4] = { 169, 254, (uint8_t)(1 + n->mac[4] % 254), n->mac[5] };
	uint8_t *f = n->tx + sizeof(*p);
	uint32_t total = sizeof(*p) + ETH_MIN_FRAME;
	struct nvsp_rndis_pkt m = { NVSP_MSG1_SEND_RNDIS_PKT, NVSP_CHANNEL_DATA, 0, total };
	const struct nvsp_rndis_pkt_complete *c;
	uint8_t buf[NVSP_MSG_SIZE] = { 0 };
	int slot = nvsp_reserve(n);
	const char *why = NULL;

	if (slot < 0) {
		check("net.send", CHECK_FAIL, "relid %u: no NVSP transaction free (an hvprobe limit)",
		      n->ch->relid);
		return;
	}
	/* a packet larger than a send section goes by GPA-direct, as Linux netvsc_send does */
	if (n->tx_section_size < total) {
		m.section_index = NVSP_NO_SECTION;
		m.section_size = 0;
	}
	memset(n->tx, 0, total);
	p->h.type = RNDIS_PACKET_MSG;
	p->h.len = total;
	p->data_offset = sizeof(*p) - RNDIS_OFFSET_BASE;
	p->data_len = ETH_MIN_FRAME;
	memset(f, 0xff, ETH_ALEN);                     /* broadcast */
	memcpy(f + ETH_ALEN, n->mac, ETH_ALEN);
	f[12] = ETH_TYPE_ARP >> 8;
	f[13] = ETH_TYPE_ARP & 0xff;
	memcpy(f + ETH_HLEN, arp_head, sizeof(arp_head)); /* Ethernet/IPv4, request */
	memcpy(f + ETH_HLEN + 8, n->mac, ETH_ALEN);       /* sender MAC; sender IP 0 */
	memcpy(f + ETH_HLEN + 24, ip, 4);                 /* target IP */
	memcpy(buf, &m, sizeof(m));
	if (m.section_index == NVSP_NO_SECTION
		    ? vmbus_send_gpa(n->ch, n->pending[slot].id, buf, sizeof(buf), n->tx, total)
		    : vmbus_send(n->ch, VMBUS_PKT_DATA_INBAND, VMBUS_PKT_FLAG_COMPLETION_REQUESTED,
				 n->pending[slot].id, buf, sizeof(buf))) {
		n->pending[slot].used = false;
		why = "the outbound ring refused it";
	} else if (nvsp_wait(n, slot, &why)) {
		c = (const void *)n->pending[slot].msg;
		if (n->pending[slot].len < sizeof(*c) ||
		    c->type != NVSP_MSG1_SEND_RNDIS_PKT_COMPLETE || c->status != NVSP_STAT_SUCCESS)
			why = "completed with another message or a failure status";
	}
	check_that("net.send", !why, "relid %u: a %u-byte ARP probe for 169.254.%u.%u %s: %s",
		   n->ch->relid, ETH_MIN_FRAME, ip[2], ip[3],
		   m.section_index == NVSP_NO_SECTION ? "by GPA-direct (send sections too small)"
						      : "through send section 0",
		   why ? why : "completed, status SUCCESS");
}

static bool frame_seen(void *ctx)
{
	struct netvsc *n = ctx;

	return n->frames || n->ch->state != CH_OPEN || n->ch->broken;
}

void rndis_start(struct netvsc *n)
{
	const struct rndis_initialize_cmplt *c;
	struct {
		struct rndis_query q;
		uint32_t filter;
	} set = { { { RNDIS_SET_MSG, sizeof(set) }, 0, OID_GEN_CURRENT_PACKET_FILTER, 4,
		    sizeof(struct rndis_query) - RNDIS_OFFSET_BASE, 0 }, FILTER };
	const uint8_t *v;
	const char *why;
	char mac[18];

	if (initialize(n, &c, &why)) {
		check("net.rndis", vmbus_unfinished(n->ch), "relid %u: INITIALIZE: %s", n->ch->relid, why);
		return;
	}
	if (query(n, OID_802_3_PERMANENT_ADDRESS, ETH_ALEN, &v, &why)) {
		check("net.mac", vmbus_unfinished(n->ch), "relid %u: %s", n->ch->relid, why);
	} else {
		memcpy(n->mac, v, ETH_ALEN);
		mac_str(n->mac, mac);
		/* a station address: not a group address, not all zeros */
		n->mac_ok = !(n->mac[0] & 1) && memcmp(n->mac, "\0\0\0\0\0\0", ETH_ALEN);
		check_that("net.mac", n->mac_ok, "relid %u: permanent address %s%s", n->ch->relid, mac,
			   n->mac_ok ? "" : " is not a station address");
	}
	if (query(n, OID_GEN_MEDIA_CONNECT_STATUS, 4, &v, &why)) {
		str_copy(n->link_why, why, sizeof(n->link_why));
	} else {
		set_link(n, le32(v) ? NDIS_MEDIA_DISCONNECTED : NDIS_MEDIA_CONNECTED);
		if (query(n, OID_GEN_MAXIMUM_FRAME_SIZE, 4, &v, &why))
			str_copy(n->link_why, why, sizeof(n->link_why));
		else if ((n->mtu = le32(v)) < MIN_MTU)
			fmt_snprintf(n->link_why, sizeof(n->link_why), "an MTU of %u (at least %u)",
				     n->mtu, MIN_MTU);
	}
	set.q.request_id = ++n->rndis_id;
	if (rndis_request(n, &set, sizeof(set), RNDIS_SET_CMPLT, &why)) {
		check("net.rndis", vmbus_unfinished(n->ch), "relid %u: SET packet filter: %s", n->ch->relid, why);
		return;
	}
	if (le32(n->rndis_reply + 12) != RNDIS_STATUS_SUCCESS) {
		check("net.rndis", CHECK_FAIL, "relid %u: SET packet filter: status 0x%08x", n->ch->relid,
		      le32(n->rndis_reply + 12));
		return;
	}
	n->rndis_up = true;
	check("net.rndis", CHECK_PASS,
	      "relid %u: RNDIS %u.%u, medium 802.3, %u packets of %u B per message, alignment 2^%u; packet filter 0x%x set",
	      n->ch->relid, c->major, c->minor, c->max_pkt_per_msg, c->max_xfer_size,
	      c->pkt_alignment_factor, FILTER);
	if (!n->mac_ok) {
		check("net.send", CHECK_SKIP, "relid %u: no station address to send from", n->ch->relid);
		return;
	}
	send_probe(n);
	loop_wait("received frames", frame_seen, n, cpu_now_ns() + RX_WAIT_NS);
}

void rndis_report(struct netvsc *n)
{
	if (!n->rndis_up)
		check("net.link", CHECK_SKIP, "relid %u: RNDIS never came up", n->ch->relid);
	else if (n->link_why[0])
		check("net.link", CHECK_FAIL, "relid %u: %s", n->ch->relid, n->link_why);
	else {
		char extra[160];
		struct fmt_buf fb = FMT_BUF(extra);

		/* flapping: no guest rejects it (Linux netvsc_link_change follows every change);
		 * a pre-Fe status length: Linux netvsc_linkstatus_callback works around it */
		if (n->link_changes > LINK_CHANGES_MAX)
			fmt_add(&fb, " (flapping)");
		if (n->pre_fe_status)
			fmt_add(&fb, "; %u status buffer%s past msg_len, inside the range (pre-Fe vSwitch; Linux netvsc_linkstatus_callback)",
				n->pre_fe_status, n->pre_fe_status == 1 ? "" : "s");
		check("net.link",
		      n->link_changes > LINK_CHANGES_MAX || n->pre_fe_status ? CHECK_WARN : CHECK_PASS,
		      "relid %u: link %s, MTU %u; %u status indications, %u state change%s%s", n->ch->relid,
		      n->link == NDIS_MEDIA_CONNECTED ? "up" : "down", n->mtu, n->indications,
		      n->link_changes, n->link_changes == 1 ? "" : "s", extra);
	}
	if (n->rx_findings)
		check("net.receive", CHECK_FAIL, "relid %u: %u bad messages; first: %s", n->ch->relid,
		      n->rx_findings, n->rx_error);
	else if (n->frames)
		check("net.receive", CHECK_PASS, "relid %u: %llu frames, %llu bytes; first: %s",
		      n->ch->relid, (unsigned long long)n->frames,
		      (unsigned long long)n->frame_bytes, n->first_frame);
	else
		check("net.receive", CHECK_SKIP, "relid %u: no frame arrived", n->ch->relid);
}
