/*
 * hvsim's synthetic network adapter (docs/STORAGE-NETWORK.md §3-4), after
 * OpenVMM's netvsp: NVSP INIT with versions up to what the host's VMBus
 * version implies (hvsim's model: 0.13 -> 1, 1.1 -> 2, 2.4 -> 4, 3.0 -> 5,
 * 4.x -> 6, 5.0 and later -> 6.1), NDIS config and version, the guest's
 * receive buffer (1728-byte sub-allocations) and send buffer (6144-byte
 * sections) found through their GPADLs, and RNDIS: INITIALIZE, QUERY of
 * the permanent address 00:15:5d:68:76:01, the media state (connected) and
 * the MTU (1500), SET of the packet filter.  Once the filter is set, the
 * host indicates MEDIA_CONNECT and three ARP requests from a "router".
 * Messages to the guest are transfer-page packets (type 7) naming one
 * sub-allocation; the guest must complete each before it is reused.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "drivers/net/netvsc_regs.h"
#include "drivers/net/rndis_regs.h"
#include "tools/hvsim/hvsim.h"
#include "tools/hvsim/vmbus/vsp.h"

#define SUB_ALLOC 1728
#define MAX_SUBS 1024
#define SEND_SECTION 6144    /* OpenVMM's section size */
#define RNDIS_MAX 4096       /* the largest RNDIS message this host takes by GPA range */
_Static_assert(SEND_SECTION >= RNDIS_MAX, "the message buffer holds a whole send section");
#define HOST_MTU 1500
#define RX_FRAMES 3
#define FLAPS 3
#define BAD_LENGTH_EXTRA 16

static const uint8_t mac[ETH_ALEN] = { 0x00, 0x15, 0x5d, 0x68, 0x76, 0x01 };
static const uint8_t router[ETH_ALEN] = { 0x00, 0x15, 0x5d, 0x00, 0x00, 0x01 };

struct netvsp {
	uint32_t version, ndis_version, mtu, filter;
	uint32_t rx_gpadl, tx_gpadl, rx_subs;
	uint16_t rx_id;
	bool rx_ok, tx_ok, rndis_up, injected;
	uint8_t used[MAX_SUBS];
	uint64_t sent_frames, sent_arp, indications, completed, dropped, errors;
};

static void guest_error(struct netvsp *st, const char *what, uint32_t v)
{
	st->errors++;
	sim_vmbus_guest_error("netvsp: %s (%u)", what, v);
}

static bool version_ok(uint32_t v)
{
	uint32_t vm = sim_vmbus_cfg.max_version;
	uint32_t max = vm >= VMBUS_VERSION_WIN10_V5 ? NVSP_VERSION_61
		       : vm >= VMBUS_VERSION_WIN10  ? NVSP_VERSION_6
		       : vm >= VMBUS_VERSION_WIN8_1 ? NVSP_VERSION_5
		       : vm >= VMBUS_VERSION_WIN8   ? NVSP_VERSION_4
		       : vm >= VMBUS_VERSION_WIN7   ? NVSP_VERSION_2
						    : NVSP_VERSION_1;

	return v <= max && (v == NVSP_VERSION_61 || v == NVSP_VERSION_6 || v == NVSP_VERSION_5 ||
			    v == NVSP_VERSION_4 || v == NVSP_VERSION_2 || v == NVSP_VERSION_1);
}

/* An NVSP message padded to the version's size (OpenVMM), as a completion of @id. */
static void nvsp_complete(struct sim_channel *ch, struct netvsp *st, uint64_t id, const void *msg,
			  uint32_t len)
{
	uint8_t buf[NVSP_MSG_SIZE] = { 0 };

	memcpy(buf, msg, len);
	sim_channel_send(ch, VMBUS_PKT_COMPLETION, id, buf,
			 st->version >= NVSP_VERSION_61 ? NVSP_MSG_SIZE : NVSP_MSG_SIZE_V1);
}

/*
 * A packet with a header straight into the guest's ring (sim_channel_send
 * writes only plain packets): the same steps as sim_ring_write.  -1 when
 * there is no room now; the message is then dropped, as a NIC drops.
 */
static int ring_write_raw(struct sim_channel *ch, const void *pkt, uint32_t len)
{
	struct vmbus_ring_control *ctl = sim_ring_control(&ch->out);
	uint32_t r, w = ch->out.index, used, total = len + VMBUS_PKT_TRAILER;
	uint64_t trailer = (uint64_t)w << 32;

	if (!ch->open || ch->out.broken || !ctl || ch->backlog)
		return -1;
	r = __atomic_load_n(&ctl->read_index, __ATOMIC_ACQUIRE);
	if (!sim_ring_index_ok(&ch->out, r))
		return -1;
	used = w >= r ? w - r : ch->out.size - r + w;
	if (total >= ch->out.size - used)
		return -1;
	sim_ring_put(&ch->out, w, pkt, len);
	sim_ring_put(&ch->out, (w + len) % ch->out.size, &trailer, sizeof(trailer));
	ch->out.index = (w + total) % ch->out.size;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	__atomic_store_n(&ctl->write_index, ch->out.index, __ATOMIC_RELEASE);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	ch->packets_out++;
	ch->bytes_out += len;
	if (__atomic_load_n(&ctl->read_index, __ATOMIC_ACQUIRE) == w &&
	    !__atomic_load_n(&ctl->interrupt_mask, __ATOMIC_ACQUIRE))
		sim_vmbus_interrupt_guest(ch);
	return 0;
}

/* An RNDIS message for the guest: into a free sub-allocation, announced by a type 7 packet. */
static void indicate(struct sim_channel *ch, struct netvsp *st, uint32_t channel, const void *msg,
		     uint32_t len)
{
	struct {
		struct vmbus_packet d;
		struct vmbus_xfer_header x;
		struct vmbus_xfer_range r;
		struct nvsp_rndis_pkt m;
	} __attribute__((packed)) p;
	const uint64_t *pfns;
	uint32_t npages, i;

	for (i = 0; i < st->rx_subs && st->used[i]; i++)
		;
	pfns = st->rx_ok ? sim_gpadl_pages(ch, st->rx_gpadl, &npages) : NULL;
	if (i == st->rx_subs || !pfns || len > SUB_ALLOC ||
	    sim_pages_copy(pfns, npages, i * SUB_ALLOC, (void *)msg, len, true)) {
		st->dropped++;
		return;
	}
	memset(&p, 0, sizeof(p));
	p.d = (struct vmbus_packet){ VMBUS_PKT_DATA_XFER_PAGES, (16 + 16) / 8, sizeof(p) / 8,
				     VMBUS_PKT_FLAG_COMPLETION_REQUESTED, i };
	p.x = (struct vmbus_xfer_header){ st->rx_id, 0, 0, 1 };
	p.r = (struct vmbus_xfer_range){ len, i * SUB_ALLOC };
	p.m = (struct nvsp_rndis_pkt){ NVSP_MSG1_SEND_RNDIS_PKT, channel, NVSP_NO_SECTION, 0 };
	if (channel == NVSP_CHANNEL_CONTROL && sim_mb_fire(MB_RNDIS_BAD_LENGTH)) {
		uint32_t claimed = len + BAD_LENGTH_EXTRA; /* the message says more than the range holds */

		sim_pages_copy(pfns, npages, i * SUB_ALLOC + 4, &claimed, 4, true);
	}
	if (ring_write_raw(ch, &p, sizeof(p))) {
		st->dropped++;
		return;
	}
	st->used[i] = 1;
	st->indications++;
}

static void indicate_status(struct sim_channel *ch, struct netvsp *st, uint32_t status)
{
	struct rndis_indicate_status s = { { RNDIS_INDICATE_STATUS_MSG, sizeof(s) }, status, 0, 0 };

	indicate(ch, st, NVSP_CHANNEL_CONTROL, &s, sizeof(s));
}

/*
 * quirk rndis_pre_fe_status: a LINK_SPEED_CHANGE whose msg_len stops before
 * its 4-byte status buffer, as vSwitches before Windows Server 2019 sent it
 * (Linux netvsc_linkstatus_callback's comment); the range holds all of it.
 */
static void indicate_pre_fe_speed(struct sim_channel *ch, struct netvsp *st)
{
	struct {
		struct rndis_indicate_status s;
		uint32_t speed;         /* in 100 bit/s units: 10 Gbit/s */
	} __attribute__((packed)) m = { { { RNDIS_INDICATE_STATUS_MSG, sizeof(m.s) },
					  RNDIS_STATUS_LINK_SPEED_CHANGE, sizeof(m.speed),
					  sizeof(m.s) - sizeof(m.s.h) }, 100000000 };

	fprintf(stderr, "hvsim: netvsp: quirk (rndis_pre_fe_status): LINK_SPEED_CHANGE with msg_len %u in a %u-byte range\n",
		(unsigned)sizeof(m.s), (unsigned)sizeof(m));
	indicate(ch, st, NVSP_CHANNEL_CONTROL, &m, sizeof(m));
}

/* After the first packet filter: link up, then a few ARP requests from the router. */
static void inject(struct sim_channel *ch, struct netvsp *st)
{
	for (int i = 0; sim_quirk_fire(QUIRK_LINK_FLAPS) && i < FLAPS; i++) {
		indicate_status(ch, st, RNDIS_STATUS_MEDIA_DISCONNECT);
		indicate_status(ch, st, RNDIS_STATUS_MEDIA_CONNECT);
	}
	if (!sim_quirk_fire(QUIRK_LINK_FLAPS))
		indicate_status(ch, st, RNDIS_STATUS_MEDIA_CONNECT);
	if (sim_quirk[QUIRK_RNDIS_PRE_FE_STATUS])
		indicate_pre_fe_speed(ch, st);
	for (int i = 0; i < RX_FRAMES; i++) {
		struct {
			struct rndis_packet p;
			uint8_t f[ETH_MIN_FRAME];
		} __attribute__((packed)) m;
		static const uint8_t arp[8] = { 0, 1, 8, 0, 6, 4, 0, 1 };

		memset(&m, 0, sizeof(m));
		m.p.h = (struct rndis_header){ RNDIS_PACKET_MSG, sizeof(m) };
		m.p.data_offset = sizeof(m.p) - RNDIS_OFFSET_BASE;
		m.p.data_len = ETH_MIN_FRAME;
		memset(m.f, 0xff, ETH_ALEN);
		memcpy(m.f + ETH_ALEN, router, ETH_ALEN);
		m.f[12] = 0x08;
		m.f[13] = 0x06;
		memcpy(m.f + 14, arp, sizeof(arp));
		memcpy(m.f + 22, router, ETH_ALEN);
		memcpy(m.f + 28, (uint8_t[]){ 192, 168, 0, 1 }, 4);
		memcpy(m.f + 38, (uint8_t[]){ 192, 168, 0, (uint8_t)(10 + i) }, 4);
		indicate(ch, st, NVSP_CHANNEL_DATA, &m, sizeof(m));
	}
}

/* One RNDIS message from the guest; false when it is malformed. */
static bool rndis(struct sim_channel *ch, struct netvsp *st, const uint8_t *msg, uint32_t len)
{
	struct rndis_query q;
	uint8_t out[64] = { 0 };
	struct rndis_query_cmplt *qc = (void *)out;
	uint32_t type, mlen, value = 0, vlen = 4;
	const void *v = &value;

	if (len < 8)
		return false;
	memcpy(&type, msg, 4);
	memcpy(&mlen, msg + 4, 4);
	if (mlen > len || mlen < 8)
		return false;
	if (type == RNDIS_PACKET_MSG) {
		struct rndis_packet p;

		if (mlen < sizeof(p))
			return false;
		memcpy(&p, msg, sizeof(p));
		if (p.data_offset > mlen - 8 || p.data_len > mlen - 8 - p.data_offset || p.data_len < ETH_HLEN)
			return false;
		st->sent_frames++;
		st->sent_arp += msg[8 + p.data_offset + 12] == 0x08 && msg[8 + p.data_offset + 13] == 0x06;
		return true;
	}
	if (type == RNDIS_HALT_MSG) {
		st->rndis_up = false;
		return true;
	}
	if (mlen < 12)
		return false;
	memcpy(out + 8, msg + 8, 4); /* every completion echoes the request id */
	switch (type) {
	case RNDIS_INITIALIZE_MSG: {
		struct rndis_initialize_cmplt *c = (void *)out;

		if (mlen < sizeof(struct rndis_initialize))
			return false;
		c->h = (struct rndis_header){ RNDIS_INITIALIZE_CMPLT, sizeof(*c) };
		c->major = RNDIS_MAJOR_VERSION;
		c->device_flags = 1; /* connectionless */
		c->medium = RNDIS_MEDIUM_802_3;
		c->max_pkt_per_msg = 8;
		c->max_xfer_size = RNDIS_MAX;
		c->pkt_alignment_factor = 3;
		st->rndis_up = true;
		indicate(ch, st, NVSP_CHANNEL_CONTROL, c, sizeof(*c));
		return true;
	}
	case RNDIS_QUERY_MSG:
		if (mlen < sizeof(q))
			return false;
		memcpy(&q, msg, sizeof(q));
		if (q.oid == OID_802_3_PERMANENT_ADDRESS) {
			v = mac;
			vlen = ETH_ALEN;
		} else if (q.oid == OID_GEN_MAXIMUM_FRAME_SIZE) {
			value = st->mtu ? st->mtu - ETH_HLEN : HOST_MTU;
		} else if (q.oid == OID_GEN_MEDIA_CONNECT_STATUS) {
			value = 0; /* connected */
		} else {
			vlen = 0;
			qc->status = RNDIS_STATUS_NOT_SUPPORTED;
		}
		qc->h = (struct rndis_header){ RNDIS_QUERY_CMPLT, (uint32_t)sizeof(*qc) + vlen };
		qc->info_len = vlen;
		qc->info_offset = vlen ? sizeof(*qc) - RNDIS_OFFSET_BASE : 0;
		memcpy(out + sizeof(*qc), v, vlen);
		indicate(ch, st, NVSP_CHANNEL_CONTROL, out, qc->h.len);
		return true;
	case RNDIS_SET_MSG:
		if (mlen < sizeof(q))
			return false;
		memcpy(&q, msg, sizeof(q));
		((struct rndis_simple_cmplt *)out)->h = (struct rndis_header){ RNDIS_SET_CMPLT, 16 };
		if (q.oid == OID_GEN_CURRENT_PACKET_FILTER && q.info_len == 4 &&
		    q.info_offset <= mlen - 12)
			memcpy(&st->filter, msg + 8 + q.info_offset, 4);
		indicate(ch, st, NVSP_CHANNEL_CONTROL, out, 16);
		if (st->filter && !st->injected) {
			st->injected = true;
			inject(ch, st);
		}
		return true;
	case RNDIS_KEEPALIVE_MSG:
		((struct rndis_simple_cmplt *)out)->h = (struct rndis_header){ RNDIS_KEEPALIVE_CMPLT, 16 };
		indicate(ch, st, NVSP_CHANNEL_CONTROL, out, 16);
		return true;
	default:
		return false;
	}
}

/* SEND_RNDIS_PKT: the message from the send buffer or the packet's GPA range. */
static uint32_t send_rndis(struct sim_channel *ch, struct netvsp *st, const struct vmbus_packet *pkt,
			   const struct nvsp_rndis_pkt *m)
{
	static uint8_t msg[SEND_SECTION]; /* >= RNDIS_MAX */
	const uint64_t *pfns;
	uint32_t npages, off, count;

	if (m->section_index != NVSP_NO_SECTION) {
		pfns = st->tx_ok ? sim_gpadl_pages(ch, st->tx_gpadl, &npages) : NULL;
		if (!pfns || m->section_size > SEND_SECTION ||
		    m->section_index >= npages * PAGE_SIZE / SEND_SECTION ||
		    sim_pages_copy(pfns, npages, m->section_index * SEND_SECTION, msg,
				   m->section_size, false)) {
			guest_error(st, "SEND_RNDIS_PKT outside the send buffer, section", m->section_index);
			return NVSP_STAT_FAIL;
		}
		count = m->section_size;
	} else if (sim_gpa_range(pkt, &pfns, &npages, &off, &count) || count > RNDIS_MAX ||
		   sim_pages_copy(pfns, npages, off, msg, count, false)) {
		guest_error(st, "SEND_RNDIS_PKT without a send section or one valid GPA range", count);
		return NVSP_STAT_FAIL;
	}
	if (!rndis(ch, st, msg, count)) {
		guest_error(st, "a malformed RNDIS message of bytes", count);
		return 5; /* INVALID_RNDIS_PACKET */
	}
	return NVSP_STAT_SUCCESS;
}

void sim_netvsp_packet(struct sim_channel *ch, const struct vmbus_packet *pkt, const void *payload,
		       uint32_t len)
{
	struct netvsp *st = ch->priv;
	uint8_t m[NVSP_MSG_SIZE] = { 0 };
	uint32_t type, status = NVSP_STAT_SUCCESS;
	const struct nvsp_init *init = (const void *)m;
	const struct nvsp_send_buf *buf = (const void *)m;
	const uint64_t *pfns;
	uint32_t npages;

	if (!st)
		return;
	memcpy(m, payload, len < sizeof(m) ? len : sizeof(m));
	memcpy(&type, m, 4);
	if (pkt->type == VMBUS_PKT_COMPLETION) { /* the guest is done with a sub-allocation */
		if (len < 8 || type != NVSP_MSG1_SEND_RNDIS_PKT_COMPLETE ||
		    pkt->transaction_id >= st->rx_subs || !st->used[pkt->transaction_id]) {
			guest_error(st, "a completion for no receive indication, id", (uint32_t)pkt->transaction_id);
			return;
		}
		st->used[pkt->transaction_id] = 0;
		st->completed++;
		return;
	}
	if (len < 4) {
		guest_error(st, "an NVSP message of bytes", len);
		return;
	}
	switch (type) {
	case NVSP_MSG_INIT: {
		struct nvsp_init_complete c = { NVSP_MSG_INIT_COMPLETE, 0xffffffffu, 34, NVSP_STAT_FAIL };

		if (len >= sizeof(*init) && version_ok(init->max_version)) {
			st->version = init->max_version;
			c.status = NVSP_STAT_SUCCESS;
		}
		if (!(pkt->flags & VMBUS_PKT_FLAG_COMPLETION_REQUESTED)) {
			guest_error(st, "INIT without a completion requested", type);
			return;
		}
		nvsp_complete(ch, st, pkt->transaction_id, &c, sizeof(c));
		return;
	}
	case NVSP_MSG2_SEND_NDIS_CONFIG:
		memcpy(&st->mtu, m + 4, 4);
		break;
	case NVSP_MSG1_SEND_NDIS_VERSION: {
		const struct nvsp_ndis_version *nv = (const void *)m;

		st->ndis_version = nv->major << 16 | (nv->minor & 0xffff);
		break;
	}
	case NVSP_MSG1_SEND_RECV_BUF: {
		struct nvsp_recv_buf_complete c = { NVSP_MSG1_SEND_RECV_BUF_COMPLETE, NVSP_STAT_FAIL, 1,
						    { 0 } };
		uint32_t subs;

		pfns = sim_gpadl_pages(ch, buf->gpadl, &npages);
		if (!pfns || (st->version >= NVSP_VERSION_2 && !st->mtu)) {
			guest_error(st, "SEND_RECV_BUF without a GPADL or before NDIS config, GPADL", buf->gpadl);
		} else {
			st->rx_gpadl = buf->gpadl;
			st->rx_id = buf->id;
			subs = npages * PAGE_SIZE / SUB_ALLOC;
			st->rx_subs = subs < MAX_SUBS ? subs : MAX_SUBS;
			st->rx_ok = true;
			c.status = NVSP_STAT_SUCCESS;
			c.section = (struct nvsp_recv_buf_section){ 0, SUB_ALLOC, st->rx_subs,
								    SUB_ALLOC * st->rx_subs };
		}
		nvsp_complete(ch, st, pkt->transaction_id, &c, sizeof(c));
		return;
	}
	case NVSP_MSG1_SEND_SEND_BUF: {
		struct nvsp_send_buf_complete c = { NVSP_MSG1_SEND_SEND_BUF_COMPLETE, NVSP_STAT_FAIL,
						    SEND_SECTION };

		if (sim_gpadl_pages(ch, buf->gpadl, &npages)) {
			st->tx_gpadl = buf->gpadl;
			st->tx_ok = true;
			c.status = NVSP_STAT_SUCCESS;
		} else {
			guest_error(st, "SEND_SEND_BUF without a GPADL", buf->gpadl);
		}
		nvsp_complete(ch, st, pkt->transaction_id, &c, sizeof(c));
		return;
	}
	case NVSP_MSG1_REVOKE_RECV_BUF:
		st->rx_ok = false;
		break;
	case NVSP_MSG1_REVOKE_SEND_BUF:
		st->tx_ok = false;
		break;
	case NVSP_MSG1_SEND_RNDIS_PKT:
		if (len < sizeof(struct nvsp_rndis_pkt) || !st->rx_ok) {
			guest_error(st, "SEND_RNDIS_PKT before the receive buffer, bytes", len);
			return;
		}
		status = send_rndis(ch, st, pkt, (const struct nvsp_rndis_pkt *)m);
		if (pkt->flags & VMBUS_PKT_FLAG_COMPLETION_REQUESTED) {
			struct nvsp_rndis_pkt_complete c = { NVSP_MSG1_SEND_RNDIS_PKT_COMPLETE, status };

			nvsp_complete(ch, st, pkt->transaction_id, &c, sizeof(c));
		}
		return;
	default:
		guest_error(st, "an NVSP message this host does not know, type", type);
		return;
	}
	if (pkt->flags & VMBUS_PKT_FLAG_COMPLETION_REQUESTED) /* an empty completion (OpenVMM) */
		sim_channel_send(ch, VMBUS_PKT_COMPLETION, pkt->transaction_id, m, 0);
}

void sim_netvsp_open(struct sim_channel *ch)
{
	free(ch->priv);
	ch->priv = calloc(1, sizeof(struct netvsp));
}

void sim_netvsp_close(struct sim_channel *ch)
{
	struct netvsp *st = ch->priv;

	if (st) {
		st->rx_ok = st->tx_ok = false;
		memset(st->used, 0, sizeof(st->used));
	}
}

void sim_netvsp_report(const struct sim_channel *ch)
{
	const struct netvsp *st = ch->priv;

	if (!st)
		return;
	fprintf(stderr, "hvsim: netvsp: channel %u: NVSP %u.%u, NDIS %u.%u, MTU %u, filter 0x%x; %llu frames from the guest (%llu ARP); %llu messages indicated, %llu completed by the guest, %llu dropped; %llu guest errors\n",
		ch->relid, st->version >> 16, st->version & 0xffff, st->ndis_version >> 16,
		st->ndis_version & 0xffff, st->mtu, st->filter, (unsigned long long)st->sent_frames,
		(unsigned long long)st->sent_arp, (unsigned long long)st->indications,
		(unsigned long long)st->completed, (unsigned long long)st->dropped,
		(unsigned long long)st->errors);
}
