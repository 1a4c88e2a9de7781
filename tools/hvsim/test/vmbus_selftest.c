/*
 * A self-test of hvsim's VMBus host, written against the specification
 * (Linux drivers/hv, OpenVMM vmbus_server), not against the guest's drivers: a tiny
 * scripted guest drives the host through the same hypercalls, MSRs and
 * SynIC pages the real guest uses, one case per forked process (the host
 * keeps static state), and checks what comes back.  Ends with a fuzz pass
 * of random control messages and ring contents under ASan/UBSan.
 *
 *   tools/hvsim/test/run.sh          (builds build/hvsim-test/vmbus_selftest and runs it)
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kernel/panic.h"
#include "tools/hvsim/hvsim.h"
#include "tools/hvsim/ic/ic_host.h"
#include "tools/hvsim/vmbus/vmbus.h"

#define ARENA_GPA 0x10000000ull
#define ARENA_SIZE (16ull << 20)
#define V(maj, min) VMBUS_VERSION(maj, min)

/* ---- what main.c and kernel/ provide in the real binary ---- */
const char *const sim_misbehaviour_names[MB_COUNT];
bool sim_mb[MB_COUNT];
bool sim_mb_fire(enum sim_misbehaviour mb)
{
	return sim_mb[mb];
}
const char *const sim_quirk_names[QUIRK_COUNT];
bool sim_quirk[QUIRK_COUNT];
bool sim_quirk_fire(enum sim_quirk q)
{
	return sim_quirk[q];
}

void fatal(const char *id, const char *fmt, ...)
{
	fprintf(stderr, "fatal %s\n", id);
	exit(99);
}

/* ---- the scripted guest ---- */
static struct hv_post_message_input *post_page;
static struct hv_message *simp;
static uint8_t *siefp;
static int failures;

#define CHECK(c, ...)                                                                  \
	do {                                                                           \
		if (!(c)) {                                                            \
			failures++;                                                    \
			fprintf(stderr, "  FAIL %s:%d: %s: ", __FILE__, __LINE__, #c); \
			fprintf(stderr, __VA_ARGS__);                                  \
			fputc('\n', stderr);                                           \
		}                                                                      \
	} while (0)

static uint64_t gpa_of(const void *p)
{
	return cpu_virt_to_phys(p);
}

/* Boot: profile, memory, hypercall page, SynIC (SIMP, SIEFP, SINT2 unmasked, SCONTROL). */
static void boot(const char *profile)
{
	sim.profile = sim_profile_find(profile);
	sim_memory_init(ARENA_GPA, ARENA_SIZE);
	for (unsigned s = 0; s < HV_SINT_COUNT; s++)
		sim.sint[s] = HV_SINT_MASKED;
	sim_vmbus_init();
	simp = cpu_alloc_pages(1);
	siefp = cpu_alloc_pages(1);
	post_page = cpu_alloc_pages(1);
	sim_wrmsr(HV_MSR_GUEST_OS_ID, HV_GUEST_OS_ID_DEFAULT);
	sim_wrmsr(HV_MSR_HYPERCALL, ARENA_GPA | 1);
	sim_wrmsr(HV_MSR_SIMP, gpa_of(simp) | 1);
	sim_wrmsr(HV_MSR_SIEFP, gpa_of(siefp) | 1);
	sim_wrmsr(HV_MSR_SINT0 + 2, 0x41);
	sim_wrmsr(HV_MSR_SCONTROL, 1);
}

static uint16_t post(uint32_t conn, const void *msg, uint32_t size)
{
	memset(post_page, 0, sizeof(*post_page));
	post_page->connection_id = conn;
	post_page->message_type = 1;
	post_page->payload_size = size;
	memcpy(post_page->payload, msg, size);
	return (uint16_t)sim_hypercall(HV_CALL_POST_MESSAGE, gpa_of(post_page), 0);
}

static uint16_t signal_host(uint32_t conn)
{
	return (uint16_t)sim_hypercall(HV_CALL_SIGNAL_EVENT | HV_HYPERCALL_FAST, conn, 0);
}

/* Let @ns of virtual time pass. */
static void run_for(uint64_t ns)
{
	uint64_t end = sim.now_ns + ns, next;

	/* from event to event, not microsecond by microsecond: nothing happens between */
	for (;;) {
		next = sim_run_events();
		if (sim.now_ns >= end)
			return;
		sim.now_ns = next < end ? next : end;
	}
}

/* Wait up to 50 ms for a VMBus message; its size, or -1. */
static int recv(void *buf)
{
	struct hv_message *slot = &simp[2];
	uint64_t end = sim.now_ns + 50000000, next;

	for (;;) {
		next = sim_run_events();
		if (slot->header.message_type) {
			int size = slot->header.payload_size;

			memcpy(buf, slot->payload, HV_MESSAGE_PAYLOAD_MAX);
			slot->header.message_type = 0;
			if (slot->header.flags & HV_MESSAGE_FLAG_PENDING)
				sim_wrmsr(HV_MSR_EOM, 0);
			return size;
		}
		if (sim.now_ns >= end)
			return -1;
		sim.now_ns = next < end ? next : end;
	}
}

static uint32_t recv_type(void *buf, int *size)
{
	int n = recv(buf);

	if (size)
		*size = n;
	return n < 0 ? 0xffffffffu : ((struct vmbus_msg_header *)buf)->type;
}

/* Test and clear SIEF flag @flag of SINT 2. */
static bool flag_take(unsigned flag)
{
	uint8_t *b = &siefp[2 * HV_EVENT_FLAGS_BYTES + flag / 8], bit = (uint8_t)(1u << (flag % 8));
	bool set = *b & bit;

	*b &= (uint8_t)~bit;
	return set;
}

static void contact(uint32_t conn, uint32_t version, int want_supported)
{
	struct vmbus_initiate_contact ic = { { VMBUS_MSG_INITIATE_CONTACT, 0 }, version, 0, { 0 }, 0, 0 };
	uint8_t buf[256];
	struct vmbus_version_response *r = (void *)buf;
	int size;

	if (version >= V(5, 0))
		ic.msg_sint = 2;
	else if (version < V(2, 4))
		ic.interrupt_page = gpa_of(cpu_alloc_pages(1));
	CHECK(post(conn, &ic, sizeof(ic)) == 0, "post INITIATE_CONTACT");
	CHECK(recv_type(buf, &size) == VMBUS_MSG_VERSION_RESPONSE, "type %u", r->hdr.type);
	CHECK(r->version_supported == want_supported, "supported %u for 0x%x", r->version_supported, version);
	CHECK(size == (version >= V(6, 0) && want_supported ? 20 : 16), "size %d", size);
}

/* REQUESTOFFERS; collect offers into @offers; return how many (ALLOFFERS seen: *all). */
static int request_offers(uint32_t conn, struct vmbus_offer *offers, int max, bool *all, int *offer_size)
{
	struct vmbus_msg_header h = { VMBUS_MSG_REQUESTOFFERS, 0 };
	uint8_t buf[256];
	int n = 0, size;

	*all = false;
	CHECK(post(conn, &h, sizeof(h)) == 0, "post REQUESTOFFERS");
	for (;;) {
		uint32_t t = recv_type(buf, &size);

		if (t == VMBUS_MSG_OFFERCHANNEL && n < max) {
			memcpy(&offers[n++], buf, sizeof(offers[0]));
			if (offer_size)
				*offer_size = size;
		} else {
			*all = t == VMBUS_MSG_ALLOFFERS_DELIVERED;
			return n;
		}
	}
}

/* A guest-side ring pair in one contiguous allocation. */
struct gring {
	uint8_t *base;
	uint32_t pages;
};

static struct vmbus_ring_control *gctl(struct gring *r)
{
	return (struct vmbus_ring_control *)r->base;
}

static uint32_t gsize(struct gring *r)
{
	return (r->pages - 1) * 4096;
}

static void gput(struct gring *r, uint32_t off, const void *p, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		r->base[4096 + (off + i) % gsize(r)] = ((const uint8_t *)p)[i];
}

static void gget(struct gring *r, uint32_t off, void *p, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		((uint8_t *)p)[i] = r->base[4096 + (off + i) % gsize(r)];
}

/* Guest write (Linux ring_buffer.c hv_ringbuffer_write); true when the host should be signalled. */
static bool gwrite(struct gring *r, uint16_t type, uint64_t id, const void *payload, uint32_t len)
{
	struct vmbus_ring_control *c = gctl(r);
	uint32_t total = 16 + ((len + 7) & ~7u) + 8, w = c->write_index, size = gsize(r);
	uint32_t used = (w - c->read_index + size) % size;
	struct vmbus_packet p = { type, 2, (uint16_t)((total - 8) / 8), 0, id };
	uint64_t trailer = (uint64_t)w << 32, zero = 0;

	CHECK(total < size - used, "guest ring full");
	gput(r, w, &p, 16);
	gput(r, w + 16, payload, len);
	gput(r, w + 16 + len, &zero, ((len + 7) & ~7u) - len);
	gput(r, w + total - 8, &trailer, 8);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	c->write_index = (w + total) % size;
	return c->read_index == w && !c->interrupt_mask;
}

/* Guest read of one packet (Linux ring_buffer.c hv_pkt_iter_first); payload length, or -1 when empty. */
static int gread(struct gring *r, struct vmbus_packet *p, void *payload)
{
	struct vmbus_ring_control *c = gctl(r);
	uint32_t rd = c->read_index, size = gsize(r);
	uint64_t trailer;

	if (rd == c->write_index)
		return -1;
	gget(r, rd, p, 16);
	gget(r, rd + p->offset8 * 8, payload, (p->len8 - p->offset8) * 8u);
	gget(r, rd + p->len8 * 8, &trailer, 8);
	CHECK(trailer >> 32 == rd, "trailer 0x%llx at 0x%x", (unsigned long long)trailer, rd);
	c->read_index = (rd + p->len8 * 8 + 8) % size;
	return (p->len8 - p->offset8) * 8;
}

/* GPADL_HEADER (+ BODY) for @pages contiguous pages at @base; returns GPADL_CREATED status. */
static uint32_t gpadl(uint32_t conn, uint32_t relid, uint32_t handle, void *base, uint32_t pages)
{
	uint8_t msg[240], buf[256];
	struct vmbus_gpadl_header *h = (void *)msg;
	uint64_t pfn0 = gpa_of(base) >> 12;
	uint32_t in_header = pages < 26 ? pages : 26, sent;
	struct vmbus_gpadl_created *c = (void *)buf;

	memset(msg, 0, sizeof(msg));
	h->hdr.type = VMBUS_MSG_GPADL_HEADER;
	h->child_relid = relid;
	h->gpadl = handle;
	h->range_buflen = (uint16_t)(8 + 8 * pages);
	h->rangecount = 1;
	h->byte_count = pages * 4096;
	for (uint32_t i = 0; i < in_header; i++)
		h->pfn[i] = pfn0 + i;
	CHECK(post(conn, msg, 28 + 8 * in_header) == 0, "post GPADL_HEADER");
	for (sent = in_header; sent < pages;) {
		struct vmbus_gpadl_body *b = (void *)msg;
		uint32_t n = pages - sent < 28 ? pages - sent : 28;

		memset(msg, 0, sizeof(msg));
		b->hdr.type = VMBUS_MSG_GPADL_BODY;
		b->gpadl = handle;
		for (uint32_t i = 0; i < n; i++)
			b->pfn[i] = pfn0 + sent + i;
		CHECK(post(conn, msg, 16 + 8 * n) == 0, "post GPADL_BODY");
		sent += n;
	}
	if (recv_type(buf, NULL) != VMBUS_MSG_GPADL_CREATED)
		return 0xdeadu;
	CHECK(c->gpadl == handle && c->child_relid == relid, "GPADL_CREATED for 0x%x", c->gpadl);
	return c->status;
}

/* OPENCHANNEL; returns the OPENCHANNEL_RESULT status (or 0xdead: another reply). */
static uint32_t open_channel(uint32_t conn, uint32_t relid, uint32_t handle, uint32_t down, uint8_t *reply)
{
	struct vmbus_open_channel o;
	struct vmbus_open_result *r = (void *)reply;

	memset(&o, 0, sizeof(o));
	o.hdr.type = VMBUS_MSG_OPENCHANNEL;
	o.child_relid = relid;
	o.open_id = relid + 100;
	o.ring_gpadl = handle;
	o.downstream_ring_offset = down;
	CHECK(post(conn, &o, sizeof(o)) == 0, "post OPENCHANNEL");
	if (recv_type(reply, NULL) != VMBUS_MSG_OPENCHANNEL_RESULT)
		return 0xdeadu;
	CHECK(r->child_relid == relid && r->open_id == relid + 100, "result relid %u open_id %u",
	      r->child_relid, r->open_id);
	return r->status;
}

/* A connected guest with offers and channel @relid open on @pages pages (split in half). */
struct opened {
	struct vmbus_offer offers[40];
	int n;
	struct gring out, in; /* guest -> host, host -> guest */
	uint32_t conn;
};

static void connect_and_open(struct opened *o, uint32_t version, uint32_t relid, uint32_t pages,
			     uint32_t status_want)
{
	bool all;
	uint8_t reply[256];
	uint8_t *base = cpu_alloc_pages(pages);

	o->conn = version >= V(5, 0) ? 4 : 1;
	contact(o->conn, version, 1);
	if (version >= V(5, 0))
		o->conn = 1;
	o->n = request_offers(o->conn, o->offers, 40, &all, NULL);
	CHECK(gpadl(o->conn, relid, 0xe1e10 + relid, base, pages) == 0, "gpadl");
	o->out = (struct gring){ base, pages / 2 };
	o->in = (struct gring){ base + pages / 2 * 4096, pages - pages / 2 };
	gctl(&o->out)->feature_bits = 1;
	gctl(&o->in)->feature_bits = 1;
	CHECK(open_channel(o->conn, relid, 0xe1e10 + relid, pages / 2, reply) == status_want, "open status");
}

/* ---- the cases ---- */

static void case_negotiate_ws2019(void)
{
	struct vmbus_offer offers[20];
	bool all;
	int size = 0, n;
	uint8_t buf[256];

	boot("hyperv-2019");
	contact(4, V(6, 0), 0);
	contact(4, V(5, 3), 0);
	CHECK(post(0x2001, buf, 8) == HV_STATUS_INVALID_CONNECTION_ID, "unknown connection");
	contact(4, V(5, 2), 1);
	n = request_offers(1, offers, 20, &all, &size);
	CHECK(n == 10 && all && size == 196, "%d offers, all %d, size %d", n, all, size);
	for (int i = 0; i < n; i++) {
		const struct sim_device *d = sim_vmbus_channel(i)->dev;
		uint32_t mode;

		memcpy(&mode, offers[i].user_defined, 4);
		CHECK(offers[i].child_relid == (uint32_t)i + 1, "relid %u", offers[i].child_relid);
		CHECK(offers[i].connection_id == 0x10000u + i + 1, "conn id 0x%x", offers[i].connection_id);
		CHECK(offers[i].is_dedicated_interrupt == 1 && !offers[i].monitor_allocated, "dedicated");
		CHECK(guid_equal(&offers[i].interface_type, &d->class), "class");
		CHECK(d->pipe == !!(offers[i].flags & VMBUS_OFFER_FLAG_NAMED_PIPE) && (!d->pipe || mode == 4),
		      "%s pipe flags 0x%x mode %u", d->name, offers[i].flags, mode);
	}
	/* a second REQUESTOFFERS is refused silently */
	CHECK(post(1, &(struct vmbus_msg_header){ VMBUS_MSG_REQUESTOFFERS, 0 }, 8) == 0, "post");
	CHECK(recv(buf) < 0, "answer to a second REQUESTOFFERS");
	/* UNLOAD -> UNLOAD_RESPONSE, then silence */
	CHECK(post(1, &(struct vmbus_msg_header){ VMBUS_MSG_UNLOAD, 0 }, 8) == 0, "post");
	CHECK(recv_type(buf, NULL) == VMBUS_MSG_UNLOAD_RESPONSE, "UNLOAD_RESPONSE");
	CHECK(recv(buf) < 0, "something after UNLOAD_RESPONSE");
	/* and a reconnect gets the offers again */
	contact(4, V(5, 2), 1);
	n = request_offers(1, offers, 20, &all, &size);
	CHECK(n == 10 && all, "reconnect: %d offers", n);
}

static void case_old_host(void)
{
	struct vmbus_offer offers[4];
	bool all;
	int n, size;
	struct vmbus_initiate_contact ic = { { VMBUS_MSG_INITIATE_CONTACT, 0 }, V(5, 0), 0, { 0 }, 0, 0 };

	boot("qemu-kvm");
	CHECK(post(4, &ic, sizeof(ic)) == HV_STATUS_INVALID_CONNECTION_ID, "connection 4 on a 4.0 host");
	contact(1, V(4, 1), 0);
	contact(1, V(4, 0), 1);
	n = request_offers(1, offers, 4, &all, &size);
	CHECK(n == 1 && all && offers[0].child_relid == 1, "qemu: %d offers", n);
}

static void case_conn_id(void)
{
	uint8_t buf[256];
	struct vmbus_version_response *r = (void *)buf;
	struct vmbus_initiate_contact ic = { { VMBUS_MSG_INITIATE_CONTACT, 0 }, V(5, 0), 0, { 0 }, 0, 0 };
	struct vmbus_msg_header h = { VMBUS_MSG_REQUESTOFFERS, 0 };

	sim_vmbus_cfg.conn_id = 0x2001;
	boot("hyperv-2019");
	CHECK(post(0x2001, &h, 8) == HV_STATUS_INVALID_CONNECTION_ID, "before contact");
	ic.msg_sint = 2;
	CHECK(post(4, &ic, sizeof(ic)) == 0, "post");
	CHECK(recv_type(buf, NULL) == VMBUS_MSG_VERSION_RESPONSE && r->msg_conn_id == 0x2001, "msg_conn_id %u",
	      r->msg_conn_id);
	CHECK(post(0x2001, &h, 8) == 0, "after contact");
	CHECK(recv_type(buf, NULL) == VMBUS_MSG_OFFERCHANNEL, "offers on the new connection");
}

static void case_rings(void)
{
	struct opened o;
	struct vmbus_packet p;
	char payload[4096];
	int n = 0, len;

	sim_vmbus_cfg.ping = 3;
	boot("hyperv-2019");
	/* relid 8 (video): a generic device; the ICs, input, storage and network hosts speak first */
	connect_and_open(&o, V(5, 2), 8, 40, 0); /* 40 pages: a GPADL_BODY too */
	CHECK(flag_take(8), "SIEF bit 8 after the pings");
	while ((len = gread(&o.in, &p, payload)) >= 0) {
		n++;
		CHECK(p.type == VMBUS_PKT_DATA_INBAND && len == 24 && p.transaction_id == (uint64_t)n &&
			      !strncmp(payload, "hvsim ping", 10),
		      "ping %d: type %u len %d '%s'", n, p.type, len, payload);
	}
	CHECK(n == 3, "%d pings", n);
	/* guest -> host: many packets, wrapping the 19-page ring several times */
	for (int i = 0; i < 5000; i++) {
		char msg[300];

		memset(msg, 'a' + i % 26, sizeof(msg));
		if (gwrite(&o.out, VMBUS_PKT_DATA_INBAND, i, msg, 1 + i % 300))
			CHECK(signal_host(0x10008) == 0, "signal");
		if (i % 50 == 49)
			run_for(20000);
	}
	run_for(20000);
	CHECK(sim_vmbus_channel(7)->packets_in == 5000, "host read %llu packets",
	      (unsigned long long)sim_vmbus_channel(7)->packets_in);
	CHECK(gctl(&o.out)->read_index == gctl(&o.out)->write_index, "host ring drained");
	CHECK(signal_host(0x10002) == HV_STATUS_INVALID_CONNECTION_ID, "signal a closed channel");
	CHECK(signal_host(0xfedcba) == HV_STATUS_INVALID_CONNECTION_ID, "signal nobody");
}

static void case_backlog(void)
{
	struct opened o;
	struct vmbus_packet p;
	char payload[64];
	int n = 0;

	sim_vmbus_cfg.ping = 300; /* 48 bytes each: a 4 KiB ring holds 85 */
	boot("hyperv-2019");
	connect_and_open(&o, V(5, 2), 8, 4, 0); /* video: a generic device */
	CHECK(gctl(&o.in)->pending_send_sz == 48, "pending_send_sz %u", gctl(&o.in)->pending_send_sz);
	for (int rounds = 0; rounds < 20 && n < 300; rounds++) {
		uint32_t pss = gctl(&o.in)->pending_send_sz;
		uint32_t free_before = 4096 - (gctl(&o.in)->write_index - gctl(&o.in)->read_index + 4096) % 4096;

		while (gread(&o.in, &p, payload) >= 0)
			CHECK(p.transaction_id == (uint64_t)++n, "ping %llu, want %d", (unsigned long long)p.transaction_id, n);
		if (pss && free_before <= pss)
			signal_host(0x10008);
		run_for(20000);
	}
	CHECK(n == 300, "%d of 300 pings arrived", n);
	CHECK(gctl(&o.in)->pending_send_sz == 0, "pending_send_sz left at %u", gctl(&o.in)->pending_send_sz);
}

static void case_close_teardown(void)
{
	struct opened o;
	uint8_t buf[256];
	struct vmbus_gpadl_teardown t = { { VMBUS_MSG_GPADL_TEARDOWN, 0 }, 3, 0xe1e13 };
	struct vmbus_relid_msg c = { { VMBUS_MSG_CLOSECHANNEL, 0 }, 3 };

	boot("hyperv-2019");
	connect_and_open(&o, V(5, 2), 3, 8, 0);
	/* teardown while open: deferred until the close */
	CHECK(post(1, &t, sizeof(t)) == 0, "post");
	CHECK(recv(buf) < 0, "TORNDOWN while the channel is open");
	CHECK(post(1, &c, sizeof(c)) == 0, "post");
	CHECK(recv_type(buf, NULL) == VMBUS_MSG_GPADL_TORNDOWN, "TORNDOWN after close");
	CHECK(signal_host(0x10003) == HV_STATUS_INVALID_CONNECTION_ID, "signal after close");
}

static void case_bad_guest(void)
{
	uint8_t msg[240], buf[256];
	struct vmbus_offer offers[20];
	bool all;
	struct gring r;
	uint8_t *base = NULL;
	struct vmbus_gpadl_header *h = (void *)msg;
	struct opened o;

	boot("hyperv-2019");
	/* before contact */
	CHECK(post(1, &(struct vmbus_msg_header){ VMBUS_MSG_REQUESTOFFERS, 0 }, 8) == 0, "post");
	CHECK(recv(buf) < 0, "offers without a connection");
	/* short, unknown, host-direction messages */
	CHECK(post(1, msg, 4) == 0 && recv(buf) < 0, "4-byte message");
	CHECK(post(1, &(struct vmbus_msg_header){ 99, 0 }, 8) == 0 && recv(buf) < 0, "type 99");
	memset(msg, 0, sizeof(msg));
	msg[0] = VMBUS_MSG_VERSION_RESPONSE;
	CHECK(post(1, msg, 16) == 0 && recv(buf) < 0, "host message");
	CHECK(post(1, &(struct vmbus_msg_header){ VMBUS_MSG_INITIATE_CONTACT, 0 }, 8) == 0 && recv(buf) < 0,
	      "short INITIATE_CONTACT");
	contact(1, V(3, 0), 1);
	request_offers(1, offers, 20, &all, NULL);
	/* GPADLs: PFN outside RAM, inconsistent buflen, unknown relid, duplicate handle */
	memset(msg, 0, sizeof(msg));
	h->hdr.type = VMBUS_MSG_GPADL_HEADER;
	h->child_relid = 1;
	h->gpadl = 7;
	h->range_buflen = 16;
	h->rangecount = 1;
	h->byte_count = 4096;
	h->pfn[0] = 0x12345678;
	post(1, msg, 36);
	CHECK(recv_type(buf, NULL) == VMBUS_MSG_GPADL_CREATED && ((struct vmbus_gpadl_created *)buf)->status == 0x8000ffffu,
	      "PFN outside RAM");
	base = cpu_alloc_pages(4);
	h->pfn[0] = gpa_of(base) >> 12;
	h->byte_count = 8192; /* needs 2 PFNs, buflen has 1 */
	post(1, msg, 36);
	CHECK(recv_type(buf, NULL) == VMBUS_MSG_GPADL_CREATED && ((struct vmbus_gpadl_created *)buf)->status,
	      "byte_count vs range_buflen");
	CHECK(gpadl(1, 77, 8, base, 4) == 0x8000ffffu, "unknown relid");
	CHECK(gpadl(1, 1, 9, base, 4) == 0, "good gpadl");
	CHECK(gpadl(1, 1, 9, base, 4) == 0x8000ffffu, "duplicate handle");
	/* body for nobody, teardown of nothing */
	CHECK(post(1, &(struct vmbus_gpadl_body){ { VMBUS_MSG_GPADL_BODY, 0 }, 0, 1234 }, 16) == 0 && recv(buf) < 0,
	      "short body");
	/* OPENCHANNEL with bad splits */
	CHECK(open_channel(1, 1, 9, 1, buf) == 0xc0000001u, "downstream offset 1");
	CHECK(open_channel(1, 1, 9, 3, buf) == 0xc0000001u, "downstream offset 3 of 4");
	CHECK(open_channel(1, 1, 1234, 2, buf) == 0xc0000001u, "unknown gpadl");
	/* corrupt guest ring: the host refuses to read it, no crash */
	r = (struct gring){ base, 2 };
	gctl(&r)->write_index = 12;
	CHECK(open_channel(1, 1, 9, 2, buf) == 0xc0000001u, "open with a bad write_index");
	gctl(&r)->write_index = 0;
	CHECK(open_channel(1, 1, 9, 2, buf) == 0, "open");
	gctl(&r)->write_index = 4000; /* not a multiple of 8 */
	CHECK(signal_host(0x10001) == 0, "signal");
	run_for(100000);
	CHECK(sim_vmbus_channel(0)->in.broken, "corrupt ring noticed");
	/* descriptor lies */
	(void)o;
}

static void case_bad_descriptor(void)
{
	struct opened o;
	struct vmbus_packet bad = { VMBUS_PKT_DATA_INBAND, 1, 4, 0, 0 };

	boot("hyperv-2019");
	connect_and_open(&o, V(5, 2), 1, 8, 0);
	gput(&o.out, 0, &bad, sizeof(bad));
	gctl(&o.out)->write_index = 40;
	signal_host(0x10001);
	run_for(100000);
	CHECK(sim_vmbus_channel(0)->in.broken && sim_vmbus_channel(0)->packets_in == 0, "offset8 1");
}

static void case_legacy(void)
{
	struct vmbus_offer offers[20];
	bool all;
	int size, n;
	uint8_t buf[256];
	struct vmbus_initiate_contact ic = { { VMBUS_MSG_INITIATE_CONTACT, 0 }, V(0, 13), 0, { 0 }, 0, 0 };
	uint8_t *ipage, *base;
	struct gring in;
	struct vmbus_packet p;

	sim_vmbus_cfg.ping = 1;
	boot("hyperv-2019");
	ipage = cpu_alloc_pages(1);
	ic.interrupt_page = gpa_of(ipage);
	post(1, &ic, sizeof(ic));
	CHECK(recv_type(buf, NULL) == VMBUS_MSG_VERSION_RESPONSE && buf[8] == 1, "0.13 accepted");
	n = request_offers(1, offers, 20, &all, &size);
	CHECK(n == 10 && size == 190, "0.13 offers are 190 bytes (%d)", size);
	base = cpu_alloc_pages(4);
	CHECK(gpadl(1, 8, 1, base, 4) == 0, "gpadl");   /* video: a generic device */
	CHECK(open_channel(1, 8, 1, 2, buf) == 0, "open");
	CHECK(flag_take(0) && !flag_take(8) && (ipage[1] & 1), "legacy interrupt: SIEF 0 + page bit 8");
	in = (struct gring){ base + 2 * 4096, 2 };
	CHECK(gread(&in, &p, buf) == 24, "the ping");
	CHECK(signal_host(0x10008) == HV_STATUS_INVALID_CONNECTION_ID, "0.13 has no channel connection ids");
	ipage[2049] |= 1;
	CHECK(signal_host(2) == 0 && !(ipage[2049] & 1), "legacy guest -> host signal");
}

/* ---- the IC hosts (ic/ic_host.c): a scripted guest on the heartbeat channel (relid 1) ---- */

/* Read the host's next IC message into @buf; its length rounded up to 8 (-1: none). */
static int ic_read(struct opened *o, struct vmbus_packet *p, uint8_t *buf)
{
	int len = gread(&o->in, p, buf);

	CHECK(len < 0 || p->type == VMBUS_PKT_DATA_INBAND, "packet type %u", p->type);
	return len;
}

/* Wait up to 2.5 s for the host's next IC message. */
static int ic_wait_read(struct opened *o, struct vmbus_packet *p, uint8_t *buf)
{
	int len = -1;

	for (int ms = 0; ms < 2500 && (len = ic_read(o, p, buf)) < 0; ms++)
		run_for(1000000);
	return len;
}

/* Send @buf back as the answer to @p: flags @flags, and let the host read it. */
static void ic_answer(struct opened *o, const struct vmbus_packet *p, uint8_t *buf, int len, uint8_t flags)
{
	((struct ic_msg_header *)(buf + sizeof(struct ic_pipe_header)))->flags = flags;
	if (gwrite(&o->out, VMBUS_PKT_DATA_INBAND, p->transaction_id, buf, (uint32_t)len))
		signal_host(0x10001);
	run_for(100000);
}

/* NEGOTIATE as the host sends it; answer it choosing framework @fw, heartbeat @hb. */
static void ic_negotiate(struct opened *o, struct ic_version fw, struct ic_version hb)
{
	uint8_t buf[4096];
	struct vmbus_packet p;
	struct ic_pipe_header *pipe = (void *)buf;
	struct ic_msg_header *m = (void *)(buf + sizeof(*pipe));
	struct ic_negotiate *n = (void *)(buf + IC_HEADERS);
	int len = ic_read(o, &p, buf);

	CHECK(len == 56 && pipe->flags == IC_PIPE_DATA && pipe->msgsize == 20 + 8 + 16 &&
		      m->msgtype == IC_MSG_NEGOTIATE && m->flags == (IC_FLAG_TRANSACTION | IC_FLAG_REQUEST) &&
		      m->transaction_id == 0 && m->msgsize == 24,
	      "NEGOTIATE: len %d, pipe %u/%u, type %u, flags 0x%x, size %u", len, pipe->flags, pipe->msgsize,
	      m->msgtype, m->flags, m->msgsize);
	CHECK(n->framework_count == 2 && n->service_count == 2 && n->versions[0].major == 1 &&
		      n->versions[1].major == 3 && n->versions[2].major == 1 && n->versions[3].major == 3,
	      "offers %u/%u", n->framework_count, n->service_count);
	n->framework_count = n->service_count = 1;
	n->versions[0] = fw;
	n->versions[1] = hb;
	m->msgsize = 16;
	ic_answer(o, &p, buf, len, IC_FLAG_TRANSACTION | IC_FLAG_RESPONSE);
}

static void case_ic_negotiate_bad(void)
{
	struct opened o;
	struct sim_ic_stats st;
	struct vmbus_packet p;
	uint8_t buf[4096];

	boot("hyperv-2019");
	connect_and_open(&o, V(5, 2), 1, 8, 0);
	ic_negotiate(&o, (struct ic_version){ 3, 0 }, (struct ic_version){ 9, 9 }); /* never offered */
	CHECK(sim_ic_stats(sim_vmbus_channel(0), &st) && st.failed && !st.negotiated && st.errors == 1,
	      "failed %d, negotiated %d, errors %llu", st.failed, st.negotiated, (unsigned long long)st.errors);
	run_for(5000000000ull);
	CHECK(ic_read(&o, &p, buf) < 0, "a failed IC stays silent");
}

static void case_ic_heartbeat(void)
{
	struct opened o;
	struct sim_ic_stats st;
	struct vmbus_packet p;
	uint8_t buf[4096];
	struct ic_msg_header *m = (void *)(buf + sizeof(struct ic_pipe_header));
	uint64_t seq, want_errors = 0;
	int len;

	boot("hyperv-2019");
	connect_and_open(&o, V(5, 2), 1, 8, 0);
	ic_negotiate(&o, (struct ic_version){ 3, 0 }, (struct ic_version){ 3, 0 });
	CHECK(sim_ic_stats(sim_vmbus_channel(0), &st) && st.negotiated && !st.errors, "negotiated");
	for (int beat = 0; beat < 5; beat++) {
		len = ic_wait_read(&o, &p, buf);
		memcpy(&seq, buf + IC_HEADERS, 8);
		CHECK(len == 72 && m->msgsize == 40 && m->msgtype == IC_MSG_HEARTBEAT && seq == (uint64_t)beat &&
			      m->flags == (IC_FLAG_TRANSACTION | IC_FLAG_REQUEST) && m->framework.major == 3,
		      "beat %d: len %d type %u seq %llu flags 0x%x", beat, len, m->msgtype,
		      (unsigned long long)seq, m->flags);
		CHECK(ic_read(&o, &p, buf + 2048) < 0, "one transaction at a time");
		switch (beat) {
		case 0: /* right */
			seq++;
			break;
		case 1: /* wrong sequence */
			seq += 2;
			want_errors++;
			break;
		case 2: /* flags without RESPONSE */
			seq++;
			m->flags = IC_FLAG_TRANSACTION;
			want_errors++;
			break;
		case 3: /* answered late: the next tick finds it outstanding */
			want_errors++;
			run_for(2100000000ull);
			CHECK(ic_read(&o, &p, buf + 2048) < 0, "no beat while one is unanswered");
			seq++;
			break;
		default:
			seq++;
			break;
		}
		memcpy(buf + IC_HEADERS, &seq, 8);
		ic_answer(&o, &p, buf, len, beat == 2 ? IC_FLAG_TRANSACTION : IC_FLAG_TRANSACTION | IC_FLAG_RESPONSE);
		if (beat == 4) { /* the same answer twice: no request has that id any more */
			ic_answer(&o, &p, buf, len, IC_FLAG_TRANSACTION | IC_FLAG_RESPONSE);
			want_errors++;
		}
	}
	CHECK(sim_ic_stats(sim_vmbus_channel(0), &st) && st.errors == want_errors && st.late == 1,
	      "errors %llu (want %llu), late %llu", (unsigned long long)st.errors,
	      (unsigned long long)want_errors, (unsigned long long)st.late);
}

/* Each misbehaviour, checked by what the guest sees. */
/* A misbehaviour MB_*, or a quirk QUIRK_* as Q(QUIRK_*): the host's rescinds are quirks. */
#define Q(quirk) (MB_COUNT + (quirk))

static void case_misbehaviours(int which)
{
	uint8_t buf[256];
	struct vmbus_offer offers[20];
	bool all;
	int n;
	struct opened o;
	struct vmbus_initiate_contact ic = { { VMBUS_MSG_INITIATE_CONTACT, 0 }, V(5, 2), 0, { 0 }, 0, 0 };

	ic.msg_sint = 2;
	if (which >= Q(0))
		sim_quirk[which - Q(0)] = true;
	else
		sim_mb[which] = true;
	boot("hyperv-2019");
	switch (which) {
	case MB_VMBUS_REFUSE_ALL:
		contact(4, V(5, 2), 0);
		contact(1, V(3, 0), 0);
		break;
	case MB_VMBUS_WRONG_REPLY:
		post(4, &ic, sizeof(ic));
		CHECK(recv_type(buf, NULL) == VMBUS_MSG_ALLOFFERS_DELIVERED, "wrong reply");
		break;
	case MB_VMBUS_SILENT:
		post(4, &ic, sizeof(ic));
		CHECK(recv(buf) < 0, "silent");
		break;
	case MB_VMBUS_NO_ALLOFFERS:
		contact(4, V(5, 2), 1);
		n = request_offers(1, offers, 20, &all, NULL);
		CHECK(n == 10 && !all, "offers without ALLOFFERS (%d, %d)", n, all);
		break;
	case MB_VMBUS_DUPLICATE_RELID:
	case MB_VMBUS_ZERO_GUID:
		contact(4, V(5, 2), 1);
		n = request_offers(1, offers, 20, &all, NULL);
		CHECK(n == 11 || which == MB_VMBUS_DUPLICATE_RELID, "%d offers", n);
		if (which == MB_VMBUS_DUPLICATE_RELID)
			CHECK(offers[0].child_relid == 1 && offers[1].child_relid == 1 &&
				      offers[0].connection_id != offers[1].connection_id, "duplicate relid 1");
		else
			CHECK(guid_is_zero(&offers[10].interface_type), "zero class GUID");
		break;
	case Q(QUIRK_RESCIND_MID_OPEN):
		connect_and_open(&o, V(5, 2), 1, 8, 0xdead);
		{
			uint8_t reply[256];
			struct vmbus_relid_msg rel = { { VMBUS_MSG_RELID_RELEASED, 0 }, 1 };

			/* connect_and_open consumed the RESCIND as "another reply"; now release */
			CHECK(post(1, &rel, sizeof(rel)) == 0 && recv(reply) < 0, "release");
			CHECK(gpadl(1, 1, 55, cpu_alloc_pages(4), 4) == 0x8000ffffu, "gpadl for a released relid");
		}
		break;
	case MB_VMBUS_GPADL_FAIL:
		contact(4, V(5, 2), 1);
		request_offers(1, offers, 20, &all, NULL);
		CHECK(gpadl(1, 1, 1, cpu_alloc_pages(4), 4) == 0x8000ffffu, "gpadl fail");
		break;
	case MB_VMBUS_OPEN_FAIL:
		connect_and_open(&o, V(5, 2), 1, 8, 0xc0000001u);
		break;
	case MB_VMBUS_CORRUPT_RING:
		connect_and_open(&o, V(5, 2), 1, 8, 0);
		CHECK(gctl(&o.in)->write_index == 3 * 4096 + 4, "corrupt write_index %u", gctl(&o.in)->write_index);
		CHECK(flag_take(1), "signalled");
		break;
	case MB_VMBUS_OVERLONG_PACKET: {
		struct vmbus_packet p;

		connect_and_open(&o, V(5, 2), 1, 8, 0);
		memcpy(&p, o.in.base + 4096, sizeof(p));
		CHECK(gctl(&o.in)->write_index == 32 && p.len8 * 8u > 3 * 4096, "len8 %u", p.len8);
		CHECK(flag_take(1), "signalled");
		break;
	}
	case MB_VMBUS_SIGNAL_BEFORE_OPEN: {
		struct vmbus_packet p;

		connect_and_open(&o, V(5, 2), 1, 8, 0);
		CHECK(!flag_take(1), "must not signal");
		CHECK(gread(&o.in, &p, buf) == 24, "a packet is there");
		break;
	}
	case MB_VMBUS_OFFER_AFTER_UNLOAD:
		contact(4, V(5, 2), 1);
		request_offers(1, offers, 20, &all, NULL);
		post(1, &(struct vmbus_msg_header){ VMBUS_MSG_UNLOAD, 0 }, 8);
		CHECK(recv_type(buf, NULL) == VMBUS_MSG_UNLOAD_RESPONSE, "unload");
		CHECK(recv_type(buf, NULL) == VMBUS_MSG_OFFERCHANNEL, "offer after unload");
		break;
	case MB_VMBUS_MESSAGE_SHORT: {
		int size;

		contact(4, V(5, 2), 1);
		request_offers(1, offers, 20, &all, NULL);
		CHECK(gpadl(1, 1, 1, o.out.base = cpu_alloc_pages(4), 4) == 0, "gpadl");
		struct vmbus_open_channel oc = { { VMBUS_MSG_OPENCHANNEL, 0 }, 1, 1, 1, 0, 2, { 0 } };
		post(1, &oc, sizeof(oc));
		CHECK(recv_type(buf, &size) == VMBUS_MSG_OPENCHANNEL_RESULT && size == 10, "size %d", size);
		break;
	}
	case Q(QUIRK_RESCIND_OFFERED): {
		const struct vmbus_relid_msg *r = (const void *)buf;

		contact(4, V(5, 2), 1);
		post(1, &(struct vmbus_msg_header){ VMBUS_MSG_REQUESTOFFERS, 0 }, 8);
		for (n = 0; recv_type(buf, NULL) == VMBUS_MSG_OFFERCHANNEL; n++)
			;
		CHECK(n == 10 && r->hdr.type == VMBUS_MSG_RESCIND_CHANNELOFFER && r->child_relid == 1,
		      "%d offers, then type %u relid %u", n, r->hdr.type, r->child_relid);
		CHECK(recv_type(buf, NULL) == VMBUS_MSG_ALLOFFERS_DELIVERED, "ALLOFFERS_DELIVERED last");
		post(1, &(struct vmbus_relid_msg){ { VMBUS_MSG_RELID_RELEASED, 0 }, 1 }, 12);
		CHECK(recv(buf) < 0 && sim_vmbus_channel(0)->state == SIM_CH_RELEASED, "released");
		break;
	}
	case Q(QUIRK_RESCIND_MID_GPADL):
		contact(4, V(5, 2), 1);
		request_offers(1, offers, 20, &all, NULL);
		CHECK(gpadl(1, 1, 0x77, cpu_alloc_pages(8), 8) == 0xdeadu, "no GPADL_CREATED");
		CHECK(recv(buf) < 0 && sim_vmbus_channel(0)->state == SIM_CH_RESCINDED, "rescinded, nothing more");
		post(1, &(struct vmbus_gpadl_teardown){ { VMBUS_MSG_GPADL_TEARDOWN, 0 }, 1, 0x77 }, 16);
		CHECK(recv(buf) < 0, "the GPADL is gone: no GPADL_TORNDOWN");
		break;
	case Q(QUIRK_RESCIND_AFTER_OPEN): {
		const struct vmbus_relid_msg *r = (const void *)buf;

		connect_and_open(&o, V(5, 2), 1, 8, 0);
		run_for(2900000000ull);
		CHECK(sim_vmbus_channel(0)->state == SIM_CH_OFFERED, "still offered at 2.9 s");
		run_for(200000000ull);
		CHECK(recv_type(buf, NULL) == VMBUS_MSG_RESCIND_CHANNELOFFER && r->child_relid == 1, "rescind");
		CHECK(sim_vmbus_channel(0)->open, "open until the guest closes it");
		post(1, &(struct vmbus_relid_msg){ { VMBUS_MSG_CLOSECHANNEL, 0 }, 1 }, 12);
		post(1, &(struct vmbus_gpadl_teardown){ { VMBUS_MSG_GPADL_TEARDOWN, 0 }, 1, 0xe1e11 }, 16);
		CHECK(recv_type(buf, NULL) == VMBUS_MSG_GPADL_TORNDOWN, "torn down after the rescind");
		post(1, &(struct vmbus_relid_msg){ { VMBUS_MSG_RELID_RELEASED, 0 }, 1 }, 12);
		CHECK(recv(buf) < 0 && sim_vmbus_channel(0)->state == SIM_CH_RELEASED, "released");
		break;
	}
	case MB_VMBUS_OPEN_ANSWERED_AT_UNLOAD: {
		const struct vmbus_open_result *r = (const void *)buf;

		contact(4, V(5, 2), 1);
		request_offers(1, offers, 20, &all, NULL);
		CHECK(gpadl(1, 1, 1, cpu_alloc_pages(4), 4) == 0, "gpadl");
		struct vmbus_open_channel oc = { { VMBUS_MSG_OPENCHANNEL, 0 }, 1, 7, 1, 0, 2, { 0 } };
		post(1, &oc, sizeof(oc));
		CHECK(recv(buf) < 0, "OPENCHANNEL held back");
		post(1, &(struct vmbus_msg_header){ VMBUS_MSG_UNLOAD, 0 }, 8);
		CHECK(recv_type(buf, NULL) == VMBUS_MSG_OPENCHANNEL_RESULT && r->open_id == 7 && r->status,
		      "the held answer, failed, at UNLOAD");
		CHECK(recv_type(buf, NULL) == VMBUS_MSG_UNLOAD_RESPONSE, "then UNLOAD_RESPONSE");
		break;
	}
	}
}

/* UNLOAD at 0.13 (OpenVMM accepts it at every version), and quirk unload_slow. */
static void case_unload_any_version(int slow)
{
	uint8_t buf[256];
	struct vmbus_offer offers[20];
	bool all;

	sim_quirk[QUIRK_UNLOAD_SLOW] = slow;
	boot("hyperv-2019");
	contact(1, V(0, 13), 1);
	request_offers(1, offers, 20, &all, NULL);
	post(1, &(struct vmbus_msg_header){ VMBUS_MSG_UNLOAD, 0 }, 8);
	if (slow) {
		run_for(49000000000ull);
		CHECK(recv(buf) < 0, "no UNLOAD_RESPONSE before 50 s");
		run_for(2000000000ull);
	}
	CHECK(recv_type(buf, NULL) == VMBUS_MSG_UNLOAD_RESPONSE, "UNLOAD_RESPONSE at 0.13");
	sim_quirk[QUIRK_UNLOAD_SLOW] = false;
}

/* Random control messages and ring bytes: the host must neither crash nor trip a sanitizer. */
static void case_fuzz(unsigned seed)
{
	struct opened o;
	uint8_t msg[240], buf[256];

	srand(seed);
	sim_vmbus_cfg.ping = 5;
	boot("hyperv-2019");
	connect_and_open(&o, V(5, 2), 1, 8, 0);
	for (int i = 0; i < 3000; i++) {
		uint32_t size = (uint32_t)rand() % 241;

		for (unsigned k = 0; k < sizeof(msg); k++)
			msg[k] = (uint8_t)rand();
		((struct vmbus_msg_header *)msg)->type = (uint32_t)rand() % 32;
		if (rand() % 4 == 0) /* aim at real relids and handles */
			memcpy(msg + 8, &(uint32_t){ 1 + (uint32_t)rand() % 12 }, 4);
		post(rand() % 3 ? 1 : 4, msg, size);
		if (rand() % 8 == 0)
			o.out.base[rand() % (4 * 4096)] = (uint8_t)rand();
		if (rand() % 8 == 0)
			signal_host(0x10000 + (uint32_t)rand() % 12);
		if (rand() % 16 == 0)
			while (recv(buf) >= 0)
				;
		run_for(2000);
	}
}

static void run_case(const char *name, void (*fn)(int), int arg)
{
	pid_t pid;
	int st;

	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		failures = 0;
		fprintf(stderr, "---- %s\n", name);
		fn(arg);
		exit(failures ? 1 : 0);
	}
	waitpid(pid, &st, 0);
	printf("%s %s\n", WIFEXITED(st) && WEXITSTATUS(st) == 0 ? "ok  " : "FAIL", name);
	if (!WIFEXITED(st) || WEXITSTATUS(st))
		failures++;
}

#define CASE(f) static void f##_(int a) { f(); }
CASE(case_negotiate_ws2019)
CASE(case_old_host)
CASE(case_conn_id)
CASE(case_rings)
CASE(case_backlog)
CASE(case_close_teardown)
CASE(case_bad_guest)
CASE(case_bad_descriptor)
CASE(case_legacy)
CASE(case_ic_negotiate_bad)
CASE(case_ic_heartbeat)
static void case_fuzz_(int a) { case_fuzz((unsigned)a); }

int main(void)
{
	static const struct {
		const char *name;
		int which;
	} mb[] = {
		{ "misbehaviour vmbus_refuse_all", MB_VMBUS_REFUSE_ALL },
		{ "misbehaviour vmbus_wrong_reply", MB_VMBUS_WRONG_REPLY },
		{ "misbehaviour vmbus_silent", MB_VMBUS_SILENT },
		{ "misbehaviour vmbus_no_alloffers", MB_VMBUS_NO_ALLOFFERS },
		{ "misbehaviour vmbus_duplicate_relid", MB_VMBUS_DUPLICATE_RELID },
		{ "misbehaviour vmbus_zero_guid", MB_VMBUS_ZERO_GUID },
		{ "quirk rescind_mid_open", Q(QUIRK_RESCIND_MID_OPEN) },
		{ "misbehaviour vmbus_gpadl_fail", MB_VMBUS_GPADL_FAIL },
		{ "misbehaviour vmbus_open_fail", MB_VMBUS_OPEN_FAIL },
		{ "misbehaviour vmbus_corrupt_ring", MB_VMBUS_CORRUPT_RING },
		{ "misbehaviour vmbus_overlong_packet", MB_VMBUS_OVERLONG_PACKET },
		{ "misbehaviour vmbus_signal_before_open", MB_VMBUS_SIGNAL_BEFORE_OPEN },
		{ "misbehaviour vmbus_offer_after_unload", MB_VMBUS_OFFER_AFTER_UNLOAD },
		{ "misbehaviour vmbus_message_short", MB_VMBUS_MESSAGE_SHORT },
		{ "quirk rescind_offered", Q(QUIRK_RESCIND_OFFERED) },
		{ "quirk rescind_mid_gpadl", Q(QUIRK_RESCIND_MID_GPADL) },
		{ "quirk rescind_after_open", Q(QUIRK_RESCIND_AFTER_OPEN) },
		{ "misbehaviour vmbus_open_answered_at_unload", MB_VMBUS_OPEN_ANSWERED_AT_UNLOAD },
	};

	run_case("negotiate with a WS2019 host, offers, unload, reconnect", case_negotiate_ws2019_, 0);
	run_case("a 4.0 host: connection 4 refused", case_old_host_, 0);
	run_case("vmbus_conn_id", case_conn_id_, 0);
	run_case("rings: pings, 5000 guest packets wrapping", case_rings_, 0);
	run_case("backlog and pending_send_sz", case_backlog_, 0);
	run_case("close and deferred teardown", case_close_teardown_, 0);
	run_case("bad guest input is refused", case_bad_guest_, 0);
	run_case("bad packet descriptor", case_bad_descriptor_, 0);
	run_case("0.13: 190-byte offers, interrupt page", case_legacy_, 0);
	run_case("IC host: NEGOTIATE answered with a version never offered", case_ic_negotiate_bad_, 0);
	run_case("IC host: heartbeat cadence and its checks of the answers", case_ic_heartbeat_, 0);
	run_case("UNLOAD at 0.13", case_unload_any_version, 0);
	run_case("UNLOAD at 0.13, quirk unload_slow", case_unload_any_version, 1);
	for (unsigned i = 0; i < sizeof(mb) / sizeof(mb[0]); i++)
		run_case(mb[i].name, case_misbehaviours, mb[i].which);
	for (int seed = 1; seed <= 8; seed++)
		run_case("fuzz", case_fuzz_, seed);
	printf("%s\n", failures ? "FAILED" : "all passed");
	return failures ? 1 : 0;
}
