/*
 * hvsim's Dynamic Memory host, written from Linux hv_balloon.c and QEMU
 * hv-balloon.c, not from the guest.  The guest speaks first:
 *   VERSION_REQUEST       accepted up to "dm_version =" (default 2.0)
 *   CAPABILITIES_REPORT   accepted; status reports wanted unless
 *                         "dm_status_reports = 0" (QEMU's default), hot-remove
 *                         announced with "dm_hot_remove = 1" (as QEMU does)
 *   STATUS_REPORT         read and judged: about once a second, numbers
 *                         within the guest's RAM
 * then the scenario's operations at their times, one at a time (the next
 * waits for the guest's answer to the last):
 *   balloon = S N    BALLOON_REQUEST for N pages; every page given must be
 *                    guest RAM and not given already; the host "discards"
 *                    it (fills it with a poison byte)
 *   unballoon = S N [skip=K]
 *                    gives back up to N pages it holds (after the lowest K),
 *                    in requests of at most 64 ranges (more_pages on all but
 *                    the last), after checking the poison is intact (the
 *                    guest left them alone)
 *   hot_add = S N    MEM_HOT_ADD_REQUEST for N pages above guest RAM, with a
 *                    region (as QEMU sends it)
 * Misbehaviours: dm_size_too_large (a BALLOON_REQUEST whose header claims
 * 4096 bytes, 16 sent), dm_unballoon_unknown (2 s after the capabilities,
 * 4 pages the guest never gave: its first RAM pages).
 * Quirks: balloon_huge (2 s after the capabilities, a request for QEMU's
 * largest, 585728 pages, more than the guest has), balloon_back_to_back
 * (requests for 512 and 256 pages right behind the CAPABILITIES_RESPONSE,
 * the second before the first is answered).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "drivers/balloon/dm_regs.h"
#include "tools/hvsim/hvsim.h"
#include "tools/hvsim/vmbus/input_dm.h"

#define NS_PER_S 1000000000ull
#define PAGE_SHIFT 12
#define MAX_OPS 32
#define UNBALLOON_MAX_RANGES 64
#define POISON 0xdb                        /* what a "discarded" page holds */
#define MB_DELAY_NS (2 * NS_PER_S)         /* misbehaviours: this long after the capabilities */
#define UNKNOWN_PAGES 4                    /* dm_unballoon_unknown: pages returned */
#define TOO_LARGE_SIZE 4096                /* dm_size_too_large: what the header claims */
#define REPORT_GAP_NS (3 * NS_PER_S)       /* a status gap longer than this is a guest error */
#define HOT_ADD_ALIGN_PAGES (128ull << 8)  /* QEMU aligns hot-added memory to 128 MiB */
#define HUGE_PAGES 585728                  /* QEMU hv-balloon's HV_BALLOON_HR_CHUNK_PAGES */
#define BACK_TO_BACK_1 512                 /* balloon_back_to_back: the two requests */
#define BACK_TO_BACK_2 256

enum op_kind { OP_BALLOON, OP_UNBALLOON, OP_HOT_ADD, OP_HUGE, OP_UNKNOWN, OP_NONE };
static const char *const op_names[] = { "balloon", "unballoon", "hot_add", "balloon (huge)",
					"unballoon (unknown pages)" };

/* Scenario configuration. */
static struct {
	struct {
		uint64_t at_ns;
		enum op_kind kind;
		uint32_t pages, skip;
		bool done;
	} ops[MAX_OPS];
	unsigned nops;
	uint32_t max_version;
	bool suppress, hot_remove;
} dmcfg = { .max_version = DM_VERSION_WIN10 };

enum dm_state { DM_WAIT_VERSION, DM_WAIT_CAPS, DM_READY };

/* The host's side of the one DM channel. */
static struct {
	struct sim_channel *ch;
	uint64_t generation;
	enum dm_state state;
	uint32_t version, trans;
	uint64_t caps;
	char tried[64];                    /* versions the guest proposed */
	enum op_kind busy;                 /* the operation waiting for the guest */
	uint64_t want, got;                /* its pages */
	unsigned finals;                   /* BALLOON_REQUESTs in flight: final responses awaited */
	bool no_hot_add;                   /* the guest said "stop trying" */
	uint8_t *held;                     /* one byte per guest RAM page: the host has it */
	uint64_t base_pfn, npfn, nheld;
	unsigned reports;
	uint64_t last_report_ns, max_gap;
	struct dm_status last;
	uint64_t ballooned, unballooned, errors, ops_done;
} dh;

static uint64_t generations;

/* A guest protocol error on the DM channel: stderr, the bus's count and ours. */
static void __attribute__((format(printf, 1, 2))) guest_error(const char *fmt, ...)
{
	char buf[200];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	dh.errors++;
	sim_vmbus_guest_error("dynamic memory (relid %u): %s", dh.ch->relid, buf);
}

/* Send one DM message of @type, @size bytes at @m (its header filled in here). */
static void send_msg(void *m, uint16_t type, uint32_t size, uint32_t trans)
{
	struct dm_header *h = m;

	h->type = type;
	h->size = (uint16_t)size;
	h->trans_id = trans;
	sim_channel_send(dh.ch, VMBUS_PKT_DATA_INBAND, 0, m, size);
}

/* ---- the pages the host holds ---- */

/* Guest page @pfn as host memory, or NULL outside guest RAM. */
static uint8_t *page(uint64_t pfn)
{
	return pfn >= dh.base_pfn && pfn - dh.base_pfn < dh.npfn ? sim_gpa(pfn << PAGE_SHIFT, 4096) : NULL;
}

/* The guest gave [@pfn, +@n): check and take each page. */
static void take_range(uint64_t pfn, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++) {
		uint8_t *p = page(pfn + i);

		if (!p) {
			guest_error("gave PFN 0x%llx: not guest RAM", (unsigned long long)(pfn + i));
			return;
		}
		if (dh.held[pfn + i - dh.base_pfn]) {
			guest_error("gave PFN 0x%llx a second time", (unsigned long long)(pfn + i));
			continue;
		}
		dh.held[pfn + i - dh.base_pfn] = 1;
		dh.nheld++;
		memset(p, POISON, 4096); /* discarded: the guest must not touch it now */
	}
}

/* Give the page at index @i back: it must still hold the poison. */
static void return_page(uint64_t i)
{
	uint8_t *p = page(dh.base_pfn + i);

	for (unsigned b = 0; b < 4096; b++)
		if (p[b] != POISON) {
			guest_error("ballooned PFN 0x%llx was written while the host held it (byte %u)",
				    (unsigned long long)(dh.base_pfn + i), b);
			break;
		}
	dh.held[i] = 0;
	dh.nheld--;
}

/* ---- operations ---- */

/* UNBALLOON_REQUESTs for up to @pages held pages after the lowest @skip, at most 64 ranges each. */
static bool send_unballoon(uint64_t pages, uint64_t skip)
{
	uint8_t buf[sizeof(struct dm_unballoon_request) + 8 * UNBALLOON_MAX_RANGES];
	struct dm_unballoon_request *u = (void *)buf;
	uint64_t i = 0, sent = 0;

	for (; i < dh.npfn && (skip || !dh.held[i]); i++)
		skip -= dh.held[i];
	if (i == dh.npfn) {
		fprintf(stderr, "hvsim: dm: unballoon: the host holds no pages to give back\n");
		return false;
	}
	while (sent < pages) {
		uint32_t n = 0;

		for (; i < dh.npfn && n < UNBALLOON_MAX_RANGES && sent < pages; i++) {
			uint64_t start = i, range;

			if (!dh.held[i])
				continue;
			while (i < dh.npfn && dh.held[i] && sent < pages && i - start < DM_RANGE_MAX_COUNT) {
				return_page(i++);
				sent++;
			}
			range = DM_RANGE(dh.base_pfn + start, i - start);
			memcpy(buf + sizeof(*u) + 8 * n++, &range, sizeof(range));
		}
		u->range_count = n;
		u->more_pages = sent < pages && dh.nheld ? DM_MORE_PAGES : 0;
		send_msg(u, DM_UNBALLOON_REQUEST, (uint32_t)sizeof(*u) + 8 * n, ++dh.trans);
		if (!u->more_pages)
			break;
	}
	dh.unballooned += sent;
	dh.want = sent;
	return true;
}

/* Start operation @kind for @pages (@skip: see send_unballoon); false when it needs no answer. */
static bool start_op(enum op_kind kind, uint32_t pages, uint32_t skip)
{
	struct dm_balloon_request b = { { 0, 0, 0 }, pages, 0 };
	struct dm_hot_add_request ha;
	uint64_t r;

	dh.got = 0;
	dh.want = pages;
	switch (kind) {
	case OP_HUGE:
		/* QEMU asks RAM minus the target, capped at its chunk; its RAM counts pages the
		 * guest's firmware and allocator never see */
		b.num_pages = HUGE_PAGES;
		fprintf(stderr, "hvsim: dm: quirk (balloon_huge): a BALLOON_REQUEST for %u pages; the guest has %llu\n",
			b.num_pages, (unsigned long long)dh.npfn);
		dh.want = b.num_pages;
		/* fall through */
	case OP_BALLOON:
		send_msg(&b, DM_BALLOON_REQUEST, sizeof(b), ++dh.trans);
		dh.finals = 1;
		return true;
	case OP_UNBALLOON:
		return send_unballoon(pages, skip);
	case OP_UNKNOWN: {
		uint8_t buf[sizeof(struct dm_unballoon_request) + 8];
		struct dm_unballoon_request *u = (void *)buf;

		r = DM_RANGE(dh.base_pfn + 1, UNKNOWN_PAGES);
		u->more_pages = 0;
		u->range_count = 1;
		memcpy(buf + sizeof(*u), &r, sizeof(r));
		fprintf(stderr, "hvsim: dm: misbehaving (dm_unballoon_unknown): giving back PFN 0x%llx, %u pages, never ballooned\n",
			(unsigned long long)(dh.base_pfn + 1), UNKNOWN_PAGES);
		send_msg(u, DM_UNBALLOON_REQUEST, sizeof(buf), ++dh.trans);
		return true;
	}
	case OP_HOT_ADD:
		if (dh.no_hot_add) {
			fprintf(stderr, "hvsim: dm: hot_add: the guest said to stop trying: not sent\n");
			return false;
		}
		if (!(dh.caps & DM_CAP_HOT_ADD))
			fprintf(stderr, "hvsim: dm: hot_add: the guest reported no hot-add capability; sent as the scenario asks\n");
		r = (dh.base_pfn + dh.npfn + HOT_ADD_ALIGN_PAGES - 1) / HOT_ADD_ALIGN_PAGES * HOT_ADD_ALIGN_PAGES;
		ha.range = ha.region = DM_RANGE(r, pages);
		send_msg(&ha, DM_HOT_ADD_REQUEST, sizeof(ha), ++dh.trans);
		return true;
	default:
		return false;
	}
}

static void pump_timer(uint64_t arg);

/* Start the earliest operation that is due, or arm the timer for the next one. */
static void pump(void)
{
	for (;;) {
		unsigned best = MAX_OPS;

		if (dh.state != DM_READY || dh.busy != OP_NONE)
			return;
		for (unsigned i = 0; i < dmcfg.nops; i++)
			if (!dmcfg.ops[i].done && (best == MAX_OPS || dmcfg.ops[i].at_ns < dmcfg.ops[best].at_ns))
				best = i;
		if (best == MAX_OPS)
			return;
		if (dmcfg.ops[best].at_ns > sim.now_ns) {
			sim_at(dmcfg.ops[best].at_ns, pump_timer, dh.generation);
			return;
		}
		dmcfg.ops[best].done = true;
		sim_vmbus_trace("dm: %s %u pages", op_names[dmcfg.ops[best].kind], dmcfg.ops[best].pages);
		if (start_op(dmcfg.ops[best].kind, dmcfg.ops[best].pages, dmcfg.ops[best].skip))
			dh.busy = dmcfg.ops[best].kind;
	}
}

/* Timer: an operation may be due (ignored when the channel closed since). */
static void pump_timer(uint64_t arg)
{
	if (dh.ch && arg == dh.generation)
		pump();
}

/* The guest answered the operation in flight: the next one may start. */
static void op_done(void)
{
	dh.busy = OP_NONE;
	dh.ops_done++;
	pump();
}

/* ---- the guest's messages ---- */

/* VERSION_REQUEST: accepted when the host knows it and it is not newer than allowed. */
static void on_version(const struct dm_version_request *m)
{
	struct dm_version_response r = { { 0, 0, 0 }, 0 };
	size_t n = strlen(dh.tried);

	snprintf(dh.tried + n, sizeof(dh.tried) - n, "%s%u.%u%s", n ? ", " : "", m->version >> 16,
		 m->version & 0xffff, m->flags & DM_VERSION_LAST_ATTEMPT ? " (last)" : "");
	if (dh.state != DM_WAIT_VERSION) {
		guest_error("VERSION_REQUEST after the version was agreed");
		return;
	}
	if ((m->version == DM_VERSION_WIN10 || m->version == DM_VERSION_WIN8 ||
	     m->version == DM_VERSION_WIN7) && m->version <= dmcfg.max_version) {
		r.flags = DM_ACCEPTED;
		dh.version = m->version;
		dh.state = DM_WAIT_CAPS;
	}
	send_msg(&r, DM_VERSION_RESPONSE, sizeof(r), m->hdr.trans_id); /* QEMU echoes the id */
}

/* CAPABILITIES_REPORT: accepted; the misbehaviours and operations may start. */
static void on_caps(const struct dm_caps_report *m)
{
	struct dm_caps_response r = { { 0, 0, 0 }, DM_ACCEPTED | (dmcfg.suppress ? DM_CAPS_SUPPRESS_REPORTS : 0) |
							      (dmcfg.hot_remove ? DM_CAPS_HOT_REMOVE : 0) };

	if (dh.state != DM_WAIT_CAPS) {
		guest_error("CAPABILITIES_REPORT %s", dh.state == DM_READY ? "twice" : "before a version was agreed");
		return;
	}
	dh.caps = m->caps;
	if (!(m->caps & DM_CAP_BALLOON))
		fprintf(stderr, "hvsim: dm: the guest does not balloon (caps 0x%llx)\n",
			(unsigned long long)m->caps);
	send_msg(&r, DM_CAPABILITIES_RESPONSE, sizeof(r), m->hdr.trans_id);
	dh.state = DM_READY;
	if (sim_quirk[QUIRK_BALLOON_BACK_TO_BACK] && dh.busy == OP_NONE) {
		/* both in the ring before the guest has read the response: each gets its answer */
		struct dm_balloon_request b1 = { { 0, 0, 0 }, BACK_TO_BACK_1, 0 }, b2 = { { 0, 0, 0 }, BACK_TO_BACK_2, 0 };

		fprintf(stderr, "hvsim: dm: quirk (balloon_back_to_back): BALLOON_REQUESTs for %u and %u pages right behind the CAPABILITIES_RESPONSE\n",
			BACK_TO_BACK_1, BACK_TO_BACK_2);
		send_msg(&b1, DM_BALLOON_REQUEST, sizeof(b1), ++dh.trans);
		send_msg(&b2, DM_BALLOON_REQUEST, sizeof(b2), ++dh.trans);
		dh.busy = OP_BALLOON;
		dh.got = 0;
		dh.want = BACK_TO_BACK_1 + BACK_TO_BACK_2;
		dh.finals = 2;
	}
	if (sim_mb_fire(MB_DM_SIZE_TOO_LARGE)) {
		struct dm_balloon_request b = { { DM_BALLOON_REQUEST, TOO_LARGE_SIZE, ++dh.trans }, 1, 0 };

		fprintf(stderr, "hvsim: dm: misbehaving (dm_size_too_large): a BALLOON_REQUEST claiming %u bytes, %u sent\n",
			TOO_LARGE_SIZE, (unsigned)sizeof(b));
		sim_channel_send(dh.ch, VMBUS_PKT_DATA_INBAND, 0, &b, sizeof(b));
	}
	pump();
}

/* STATUS_REPORT: cadence and plausible numbers. */
static void on_status(const struct dm_status *m)
{
	if (dh.state != DM_READY)
		guest_error("STATUS_REPORT before the capabilities were agreed");
	if (dmcfg.suppress && !dh.reports)
		guest_error("STATUS_REPORT although the host asked for none");
	if (dh.reports && sim.now_ns - dh.last_report_ns > dh.max_gap)
		dh.max_gap = sim.now_ns - dh.last_report_ns;
	if (dh.reports && sim.now_ns - dh.last_report_ns > REPORT_GAP_NS && dh.busy == OP_NONE)
		guest_error("%llu ms between status reports (want about 1000)",
			    (unsigned long long)((sim.now_ns - dh.last_report_ns) / 1000000));
	if (m->num_avail > dh.npfn)
		guest_error("status report: %llu pages available, more than the %llu of guest RAM",
			    (unsigned long long)m->num_avail, (unsigned long long)dh.npfn);
	dh.reports++;
	dh.last_report_ns = sim.now_ns;
	dh.last = *m;
}

/* BALLOON_RESPONSE: the pages given, for the request in flight. */
static void on_balloon_response(const struct dm_balloon_response *m, uint32_t size)
{
	uint32_t n = m->more_count >> 1;

	if (dh.busy != OP_BALLOON && dh.busy != OP_HUGE) {
		guest_error("BALLOON_RESPONSE without a BALLOON_REQUEST");
		return;
	}
	if (size != sizeof(*m) + 8ull * n) {
		guest_error("BALLOON_RESPONSE of %u bytes with %u ranges", size, n);
		return;
	}
	for (uint32_t i = 0; i < n; i++) {
		uint64_t r;

		memcpy(&r, (const uint8_t *)m + sizeof(*m) + 8 * i, sizeof(r));
		take_range(DM_RANGE_START(r), DM_RANGE_COUNT(r));
		dh.got += DM_RANGE_COUNT(r);
	}
	if ((m->more_count & DM_MORE_PAGES) || --dh.finals)
		return;
	if (dh.got > dh.want)
		guest_error("gave %llu pages for a request of %llu", (unsigned long long)dh.got,
			    (unsigned long long)dh.want);
	fprintf(stderr, "hvsim: dm: balloon: asked %llu pages, got %llu\n", (unsigned long long)dh.want,
		(unsigned long long)dh.got);
	dh.ballooned += dh.got;
	op_done();
}

/* A message from the guest: its header, then by type. */
void sim_dm_packet(struct sim_channel *ch, const struct vmbus_packet *pkt, const void *payload,
		   uint32_t len)
{
	static const uint16_t min[] = {
		[DM_VERSION_REQUEST] = sizeof(struct dm_version_request),
		[DM_CAPABILITIES_REPORT] = sizeof(struct dm_caps_report),
		[DM_STATUS_REPORT] = sizeof(struct dm_status),
		[DM_BALLOON_RESPONSE] = sizeof(struct dm_balloon_response),
		[DM_UNBALLOON_RESPONSE] = sizeof(struct dm_unballoon_response),
		[DM_HOT_ADD_RESPONSE] = sizeof(struct dm_hot_add_response),
	};
	struct dm_header h;
	const void *m = payload;

	if (ch != dh.ch)
		return;
	if (pkt->type != VMBUS_PKT_DATA_INBAND || len < sizeof(h)) {
		guest_error("packet type %u with %u payload bytes: ignored", pkt->type, len);
		return;
	}
	memcpy(&h, payload, sizeof(h));
	if (h.type >= sizeof(min) / sizeof(min[0]) || !min[h.type] || h.size < min[h.type] ||
	    h.size > len || len - h.size >= 8) {
		guest_error("message type %u, header size %u, in a %u-byte packet: ignored", h.type, h.size, len);
		return;
	}
	switch (h.type) {
	case DM_VERSION_REQUEST:
		on_version(m);
		break;
	case DM_CAPABILITIES_REPORT:
		on_caps(m);
		break;
	case DM_STATUS_REPORT:
		on_status(m);
		break;
	case DM_BALLOON_RESPONSE:
		on_balloon_response(m, h.size);
		break;
	case DM_UNBALLOON_RESPONSE:
		if (dh.busy != OP_UNBALLOON && dh.busy != OP_UNKNOWN)
			guest_error("UNBALLOON_RESPONSE without an UNBALLOON_REQUEST");
		else
			op_done();
		break;
	case DM_HOT_ADD_RESPONSE: {
		struct dm_hot_add_response r;

		memcpy(&r, m, sizeof(r));
		if (dh.busy != OP_HOT_ADD) {
			guest_error("HOT_ADD_RESPONSE without a request");
			break;
		}
		fprintf(stderr, "hvsim: dm: hot_add: %u of %llu pages added, result %u%s\n", r.page_count,
			(unsigned long long)dh.want, r.result,
			r.result && !r.page_count ? " (the guest says: stop trying)" : "");
		if (r.page_count > dh.want)
			guest_error("HOT_ADD_RESPONSE claims %u pages of %llu", r.page_count,
				    (unsigned long long)dh.want);
		dh.no_hot_add = r.result && r.page_count < dh.want;
		op_done();
		break;
	}
	}
}

/* ---- channel hooks ---- */

/* The DM channel opened: fresh state, guest RAM mapped, misbehaviours queued once. */
void sim_dm_open(struct sim_channel *ch)
{
	static bool mb_added;

	free(dh.held);
	memset(&dh, 0, sizeof(dh));
	dh.ch = ch;
	dh.generation = ++generations;
	dh.busy = OP_NONE;
	dh.base_pfn = sim.arena_gpa >> PAGE_SHIFT;
	dh.npfn = sim.arena_size >> PAGE_SHIFT;
	dh.held = calloc(dh.npfn ? dh.npfn : 1, 1);
	if (!dh.held) {
		perror("hvsim: dm");
		exit(2);
	}
	ch->priv = &dh;
	if (!mb_added) { /* the misbehaviours' operations, once per run */
		mb_added = true;
		for (int k = OP_HUGE; k <= OP_UNKNOWN; k++) {
			if (!(k == OP_HUGE ? sim_quirk[QUIRK_BALLOON_HUGE] : sim_mb_fire(MB_DM_UNBALLOON_UNKNOWN)) ||
			    dmcfg.nops == MAX_OPS)
				continue;
			dmcfg.ops[dmcfg.nops++] = (typeof(dmcfg.ops[0])){ MB_DELAY_NS, (enum op_kind)k, 0, 0, false };
		}
	}
}

/* Closed: the timer is disarmed; a reopen negotiates again. */
void sim_dm_close(struct sim_channel *ch)
{
	if (ch != dh.ch)
		return;
	dh.generation = ++generations; /* disarms the timer */
	dh.state = DM_WAIT_VERSION;
}

/* The DM host's line at power off. */
void sim_dm_report(const struct sim_channel *ch)
{
	if (ch != dh.ch)
		return;
	fprintf(stderr, "hvsim: dm: versions proposed: %s; %s; caps 0x%llx; %u status reports (longest gap %llu ms, last: %llu available, %llu committed); %llu pages ballooned, %llu given back, %llu held; %llu operations answered%s; %llu guest errors\n",
		dh.tried[0] ? dh.tried : "none",
		dh.version ? "a version agreed" : "no version agreed", (unsigned long long)dh.caps,
		dh.reports, (unsigned long long)(dh.max_gap / 1000000),
		(unsigned long long)dh.last.num_avail, (unsigned long long)dh.last.num_committed,
		(unsigned long long)dh.ballooned, (unsigned long long)dh.unballooned,
		(unsigned long long)dh.nheld, (unsigned long long)dh.ops_done,
		dh.busy != OP_NONE ? ", one still waiting" : "", (unsigned long long)dh.errors);
}

/* ---- scenario keys ---- */

/* "balloon|unballoon|hot_add = SECONDS PAGES", unballoon with an optional "skip=K" */
static void add_op(enum op_kind kind, const char *key, char *val)
{
	char *save = NULL, *t = strtok_r(val, " \t", &save);

	if (dmcfg.nops == MAX_OPS || !t) {
		fprintf(stderr, "hvprobe-sim: %s: SECONDS PAGES (at most %u operations)\n", key, MAX_OPS);
		exit(2);
	}
	dmcfg.ops[dmcfg.nops].at_ns = sim_seconds(key, t);
	dmcfg.ops[dmcfg.nops].kind = kind;
	dmcfg.ops[dmcfg.nops].pages = (uint32_t)sim_number(key, strtok_r(NULL, " \t", &save),
							   DM_RANGE_MAX_COUNT);
	t = strtok_r(NULL, " \t", &save);
	if (t && kind == OP_UNBALLOON && !strncmp(t, "skip=", 5))
		dmcfg.ops[dmcfg.nops].skip = (uint32_t)sim_number(key, t + 5, UINT32_MAX);
	else if (t) {
		fprintf(stderr, "hvprobe-sim: %s: unexpected %s\n", key, t);
		exit(2);
	}
	dmcfg.nops++;
}

/* The DM host's scenario keys: 1 when @key is one (exits on a bad value). */
int sim_dm_key(const char *key, char *val)
{
	if (!strcmp(key, "balloon"))
		add_op(OP_BALLOON, key, val);
	else if (!strcmp(key, "unballoon"))
		add_op(OP_UNBALLOON, key, val);
	else if (!strcmp(key, "hot_add"))
		add_op(OP_HOT_ADD, key, val);
	else if (!strcmp(key, "dm_status_reports"))
		dmcfg.suppress = !sim_number(key, val, 1);
	else if (!strcmp(key, "dm_hot_remove"))
		dmcfg.hot_remove = sim_number(key, val, 1);
	else if (!strcmp(key, "dm_version")) {
		if (!strcmp(val, "2.0"))
			dmcfg.max_version = DM_VERSION_WIN10;
		else if (!strcmp(val, "1.0"))
			dmcfg.max_version = DM_VERSION_WIN8;
		else if (!strcmp(val, "0.3"))
			dmcfg.max_version = DM_VERSION_WIN7;
		else {
			fprintf(stderr, "hvprobe-sim: dm_version: 2.0, 1.0 or 0.3\n");
			exit(2);
		}
	} else
		return 0;
	return 1;
}
