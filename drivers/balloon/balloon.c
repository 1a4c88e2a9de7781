/*
 * Dynamic Memory (Linux drivers/hv/hv_balloon.c, QEMU hw/hyperv/hv-balloon.c):
 * propose versions newest first (2.0, 1.0, 0.3 marked last), report
 * capabilities (ballooning yes; hot-add no: this guest cannot use memory
 * that appears later), then a status report about once a second (unless
 * the host asks for none), and serve the host's requests:
 *   BALLOON_REQUEST    give pages (pages.c), never below a floor we keep,
 *                      answered in messages of 16 ranges (32 MiB) at most;
 *                      a request that comes while another is answered waits
 *                      its turn (Linux balloon_onchannelcallback serves it),
 *                      one larger than the guest gets what can be spared
 *                      (Linux balloon_up answers it in part)
 *   UNBALLOON_REQUEST  take back exactly pages we gave, then one response
 *   MEM_HOT_ADD        "0 pages, success": do not try again (Linux's answer
 *                      when it cannot hot-add)
 * Requests are taken from the ring in the packet callback; the answers and
 * the reports go out from a loop poller, as the ring has room, so nothing
 * waits inside the callback.  QEMU's hv-balloon sends no request until
 * 50 s after the capabilities, and only when told to: a run without one
 * skips those checks.
 *
 * Checks: balloon.version, balloon.caps, balloon.status, balloon.inflate,
 * balloon.deflate, balloon.hot_add, and balloon.message for a malformed or
 * unexpected message (once; a warning for a tolerated one).
 */
#include "drivers/balloon/balloon.h"

#include <stdarg.h>

#include "kernel/cpu.h"
#include "kernel/loop.h"
#include "kernel/policy.h"
#include "lib/log.h"
#include "lib/report.h"
#include "lib/str.h"

#define NS_PER_S 1000000000ull
#define DM_TIMEOUT_NS (5 * NS_PER_S)    /* Linux waits 5 s for each answer */
#define STATUS_PERIOD_NS NS_PER_S       /* "about once a second" (Linux post_status) */
#define RING_OVERHEAD 24                /* descriptor + trailer around a packet's payload */
#define WHY_MAX 128
#define QUEUE_MAX 16                    /* BALLOON_REQUESTs waiting behind the one answered */

static const uint32_t versions[] = { DM_VERSION_WIN10, DM_VERSION_WIN8, DM_VERSION_WIN7 };

static struct {
	struct vmbus_channel *ch;
	uint32_t trans;                 /* our last transaction id */
	uint64_t floor, total;          /* pages */
	/* handshake */
	bool waiting_version, waiting_caps, got_version, got_caps, ready, suppress;
	bool caps_ok;                   /* CAPABILITIES_RESPONSE accepted: requests are in order */
	uint64_t answer;                /* the flags of the last VERSION/CAPABILITIES_RESPONSE */
	/* status reports */
	uint64_t status_at, max_gap;
	unsigned reports, dropped;
	struct dm_status last;
	/* BALLOON_REQUEST being answered, and those waiting behind it */
	bool inflating;
	uint32_t left;
	uint32_t queue[QUEUE_MAX];
	unsigned nqueue;
	unsigned requests, messages, ranges, huge;
	uint64_t asked, given;
	const char *short_why;          /* why the last answer gave less than asked */
	/* UNBALLOON_REQUEST, MEM_HOT_ADD */
	bool unballoon_due;
	unsigned unballoons, hot_adds, hot_add_due;
	uint64_t returned, refused, hot_add_asked;
	/* the message the ring had no room for yet */
	uint8_t msg[DM_MSG_MAX];
	uint32_t msg_len;
	/* first reasons to fail */
	char deflate_why[WHY_MAX];
	unsigned failed, warned;        /* balloon.message: report_finding() counts */
} bl;

static bool poller_added;

/* A host error: balloon.message fails once (later ones are logged). */
#define finding(...) report_finding("balloon.message", CHECK_FAIL, &bl.failed, __VA_ARGS__)

/* A tolerated deviation: balloon.message warns once, unless it failed (later ones are logged). */
#define notice(...) report_finding("balloon.message", CHECK_WARN, \
				   bl.failed ? &bl.failed : &bl.warned, __VA_ARGS__)

/* "2.0" */
static const char *vstr(uint32_t v, char buf[12])
{
	fmt_snprintf(buf, 12, "%u.%u", v >> 16, v & 0xffff);
	return buf;
}

/* A message header for @type of @size bytes with our next transaction id. */
static struct dm_header header(uint16_t type, uint32_t size)
{
	return (struct dm_header){ type, (uint16_t)size, ++bl.trans };
}

/* Does the outbound ring have room for a @len-byte payload now? */
static bool room(uint32_t len)
{
	const struct vmbus_ring *r = &bl.ch->out;
	uint32_t w = r->ctl->write_index, rd = r->ctl->read_index, used;

	if (rd >= r->size || w >= r->size)
		return true; /* a broken index: let vmbus_send() say why */
	used = w >= rd ? w - rd : r->size - rd + w;
	return r->size - used > ((len + 7) & ~7u) + RING_OVERHEAD;
}

/* Send @len bytes of @msg as one in-band packet (no completion: the DM protocol answers itself). */
static int send(const void *msg, uint32_t len)
{
	return vmbus_send(bl.ch, VMBUS_PKT_DATA_INBAND, 0, 0, msg, len);
}

/* ---- the host's messages ---- */

/* Start answering a request for @pages (the poller builds the answers). */
static void start_balloon(uint32_t pages)
{
	bl.inflating = true;
	bl.left = pages;
	bl.short_why = NULL;
}

/*
 * BALLOON_REQUEST: start giving pages, or queue the request behind the one
 * being answered.  Why both are legal: Linux balloon_onchannelcallback
 * accepts a request while it balloons (it only logs "Currently
 * ballooning"), and balloon_up gives what it can spare of a request larger
 * than the guest, reporting the rest as not available; QEMU hv-balloon asks
 * for RAM minus the target (up to 585728 pages), RAM the guest's allocator
 * partly never sees.
 */
static void on_balloon(const struct dm_balloon_request *m)
{
	bl.requests++;
	bl.asked += m->num_pages;
	if (m->num_pages > bl.total)
		bl.huge++;
	if (!bl.inflating) {
		start_balloon(m->num_pages);
	} else if (bl.nqueue < QUEUE_MAX) {
		bl.queue[bl.nqueue++] = m->num_pages;
	} else {
		/* 16 waiting: the host gets one answer fewer, never a stall */
		log_printf("hvprobe: balloon: %u BALLOON_REQUESTs waiting; %u pages added to the last\n",
			   QUEUE_MAX, m->num_pages);
		bl.queue[QUEUE_MAX - 1] += m->num_pages;
	}
}

/* UNBALLOON_REQUEST: take back each range we gave; answer after the last message. */
static void on_unballoon(const struct dm_unballoon_request *m, uint32_t size)
{
	const char *why;

	if (m->range_count > (size - sizeof(*m)) / 8) {
		finding("UNBALLOON_REQUEST with %u ranges in %u bytes", m->range_count, size);
		return;
	}
	for (uint32_t i = 0; i < m->range_count; i++) {
		uint64_t r;

		memcpy(&r, (const uint8_t *)m + sizeof(*m) + 8 * i, sizeof(r));
		if (bl_pages_give_back(DM_RANGE_START(r), DM_RANGE_COUNT(r), &why) == 0) {
			bl.returned += DM_RANGE_COUNT(r);
			continue;
		}
		bl.refused += DM_RANGE_COUNT(r);
		if (!bl.deflate_why[0])
			fmt_snprintf(bl.deflate_why, WHY_MAX, "PFN 0x%llx, %u pages: %s; refused",
				     (unsigned long long)DM_RANGE_START(r), DM_RANGE_COUNT(r), why);
	}
	if (!(m->more_pages & DM_MORE_PAGES)) {
		bl.unballoons++;
		bl.unballoon_due = true;
	}
}

/* INFO_MESSAGE: the host's maximum for this guest, logged. */
static void on_info(const struct dm_info_message *m, const uint8_t *p, uint32_t size)
{
	struct dm_info_header ih;
	uint64_t max;

	if (m->info_size > size - sizeof(*m) || m->info_size < sizeof(ih)) {
		finding("INFO_MESSAGE with %u bytes of info in a %u-byte message", m->info_size, size);
		return;
	}
	memcpy(&ih, p + sizeof(*m), sizeof(ih));
	if (ih.type == DM_INFO_MAX_PAGE_COUNT && ih.data_size == 8 &&
	    m->info_size >= sizeof(ih) + 8) {
		memcpy(&max, p + sizeof(*m) + sizeof(ih), sizeof(max));
		log_printf("hvprobe: balloon: the host's maximum for this guest: %llu MiB\n",
			   (unsigned long long)(max >> 8));
	} else {
		log_printf("hvprobe: balloon: INFO_MESSAGE of type %u, %u bytes\n", ih.type, ih.data_size);
	}
}

/* Minimum sizes of the host's messages (0: not one the host sends). */
static uint32_t min_size(uint16_t type)
{
	switch (type) {
	case DM_VERSION_RESPONSE:
		return sizeof(struct dm_version_response);
	case DM_CAPABILITIES_RESPONSE:
		return sizeof(struct dm_caps_response);
	case DM_BALLOON_REQUEST:
		return sizeof(struct dm_balloon_request);
	case DM_UNBALLOON_REQUEST:
		return sizeof(struct dm_unballoon_request);
	case DM_HOT_ADD_REQUEST:
		return DM_HOT_ADD_MIN;
	case DM_INFO_MESSAGE:
		return sizeof(struct dm_info_message);
	default:
		return 0;
	}
}

/* One packet from the host: check the header against the packet, then dispatch. */
static void bl_packet(struct vmbus_channel *ch, const struct vmbus_packet *pkt,
		      const uint8_t *payload, uint32_t len)
{
	static uint8_t m[DM_MSG_MAX + 64] __attribute__((aligned(8)));
	struct dm_header h;

	if (ch != bl.ch || pkt->type == VMBUS_PKT_COMPLETION)
		return;
	if (pkt->type != VMBUS_PKT_DATA_INBAND || len < sizeof(h)) {
		finding("packet type %u with %u payload bytes (want DATA_INBAND, a DM header at least)",
			pkt->type, len);
		return;
	}
	memcpy(&h, payload, sizeof(h));
	if (h.size > len || h.size < sizeof(h)) {
		finding("a message of type %u claims %u bytes; its packet carries %u", h.type, h.size, len);
		return;
	}
	if (!min_size(h.type)) { /* Linux balloon_onchannelcallback logs it as unhandled */
		notice("message type %u (%u bytes) is not one a host sends: ignored", h.type, h.size);
		return;
	}
	if (h.size < min_size(h.type)) {
		finding("message type %u of %u bytes (want %u)", h.type, h.size, min_size(h.type));
		return;
	}
	if (h.size > sizeof(m)) {
		finding("message type %u of %u bytes: more than a DM message holds", h.type, h.size);
		return;
	}
	memcpy(m, payload, h.size);
	switch (h.type) {
	case DM_VERSION_RESPONSE:
	case DM_CAPABILITIES_RESPONSE: {
		bool *waiting = h.type == DM_VERSION_RESPONSE ? &bl.waiting_version : &bl.waiting_caps;

		if (!*waiting) { /* out of order; nothing waits for it, so it is ignored */
			notice("an unsolicited %s: ignored", h.type == DM_VERSION_RESPONSE ? "VERSION_RESPONSE"
											 : "CAPABILITIES_RESPONSE");
			return;
		}
		*waiting = false;
		memcpy(&bl.answer, m + sizeof(h), sizeof(bl.answer));
		*(h.type == DM_VERSION_RESPONSE ? &bl.got_version : &bl.got_caps) = true;
		/* a request may follow in the same poll, before capabilities() returns */
		if (h.type == DM_CAPABILITIES_RESPONSE && (bl.answer & DM_ACCEPTED))
			bl.caps_ok = true;
		return;
	}
	case DM_INFO_MESSAGE:
		on_info((const void *)m, m, h.size);
		return;
	}
	/* out of order, but Linux balloon_onchannelcallback acts on a request in any
	 * state: served once the capabilities are agreed */
	if (!bl.caps_ok)
		notice("message type %u before the capabilities were accepted: served after them", h.type);
	if (h.type == DM_BALLOON_REQUEST)
		on_balloon((const void *)m);
	else if (h.type == DM_UNBALLOON_REQUEST)
		on_unballoon((const void *)m, h.size);
	else if (h.type == DM_HOT_ADD_REQUEST) {
		uint64_t range;

		memcpy(&range, m + sizeof(h), sizeof(range));
		bl.hot_adds++;
		bl.hot_add_due++;
		bl.hot_add_asked += DM_RANGE_COUNT(range);
	}
}

/* ---- what the poller sends ---- */

/* The next BALLOON_RESPONSE: up to 16 ranges; the last one of a request says no more pages. */
static uint32_t build_balloon_response(void)
{
	struct dm_balloon_response *r = (void *)bl.msg;
	uint32_t n = 0, got = 1;
	const char *why = NULL;

	while (n < BALLOON_RANGES_PER_MESSAGE && bl.left) {
		uint64_t pfn, range;

		got = bl_pages_take(bl.left, bl.floor, &pfn, &why);
		if (!got)
			break;
		range = DM_RANGE(pfn, got);
		memcpy((uint8_t *)bl.msg + sizeof(*r) + 8 * n, &range, sizeof(range));
		n++;
		bl.left -= got;
		bl.given += got;
	}
	if (!got && bl.left)
		bl.short_why = why;
	bl.inflating = bl.left && got;
	if (!bl.inflating && bl.nqueue) { /* this answer ends the request: the next one's turn */
		bl.inflating = true;
		bl.left = bl.queue[0];
		memmove(bl.queue, bl.queue + 1, --bl.nqueue * sizeof(bl.queue[0]));
		if (bl.short_why)
			log_printf("hvprobe: balloon: gave less than asked: %s\n", bl.short_why);
		r->hdr = header(DM_BALLOON_RESPONSE, (uint32_t)sizeof(*r) + 8 * n);
		r->reserved = 0;
		r->more_count = n << 1;
		bl.messages++;
		bl.ranges += n;
		bl.short_why = NULL;
		return r->hdr.size;
	}
	r->hdr = header(DM_BALLOON_RESPONSE, (uint32_t)sizeof(*r) + 8 * n);
	r->reserved = 0;
	r->more_count = (bl.inflating ? DM_MORE_PAGES : 0) | n << 1;
	bl.messages++;
	bl.ranges += n;
	if (!bl.inflating && bl.short_why)
		log_printf("hvprobe: balloon: gave less than asked: %s\n", bl.short_why);
	return r->hdr.size;
}

/* The next answer due, built into bl.msg: its length, or 0 when none is due. */
static uint32_t next_answer(void)
{
	if (bl.inflating)
		return build_balloon_response();
	if (bl.unballoon_due) {
		struct dm_unballoon_response *u = (void *)bl.msg;

		bl.unballoon_due = false;
		u->hdr = header(DM_UNBALLOON_RESPONSE, sizeof(*u));
		return sizeof(*u);
	}
	if (bl.hot_add_due) {
		/* result 1 with 0 pages: a permanent "no", the host stops trying (Linux) */
		struct dm_hot_add_response *a = (void *)bl.msg;

		bl.hot_add_due--;
		a->hdr = header(DM_HOT_ADD_RESPONSE, sizeof(*a));
		a->page_count = 0;
		a->result = 1;
		return sizeof(*a);
	}
	return 0;
}

/* A status report with the allocator's numbers, when a second has passed. */
static bool send_status(void)
{
	uint64_t now = cpu_now_ns(), free, total;
	struct dm_status s;

	if (bl.suppress)
		return false;
	if (bl.reports + bl.dropped && now - bl.status_at < STATUS_PERIOD_NS) {
		loop_wake_by(bl.status_at + STATUS_PERIOD_NS);
		return false;
	}
	if (bl.reports && now - bl.status_at > bl.max_gap)
		bl.max_gap = now - bl.status_at;
	bl.status_at = now;
	cpu_page_counts(&free, &total);
	memset(&s, 0, sizeof(s));
	s.hdr = header(DM_STATUS_REPORT, sizeof(s));
	s.num_avail = free;
	/* in use (the pages given to the host included) plus the floor we keep, as Linux adds its floor */
	s.num_committed = (total > free ? total - free : 0) + bl.floor;
	if (!room(sizeof(s)) || send(&s, sizeof(s))) {
		bl.dropped++;
		return false;
	}
	bl.reports++;
	bl.last = s;
	report_metric("balloon", "\"avail\":%llu,\"committed\":%llu,\"ballooned\":%llu",
		      (unsigned long long)s.num_avail, (unsigned long long)s.num_committed,
		      (unsigned long long)bl_pages_held());
	return true;
}

/* Send the answers that are due as the ring has room, then a status report when due. */
bool balloon_poll(void *ctx)
{
	bool did = false;

	if (!bl.ch || !bl.ready || bl.ch->state != CH_OPEN || bl.ch->broken)
		return false;
	for (;;) {
		if (!bl.msg_len)
			bl.msg_len = next_answer();
		if (!bl.msg_len || !room(bl.msg_len))
			break;
		if (send(bl.msg, bl.msg_len))
			log_printf("hvprobe: balloon: an answer of %u bytes was lost\n", bl.msg_len);
		bl.msg_len = 0;
		did = true;
	}
	return send_status() || did;
}

/* ---- the handshake ---- */

/* The wait is over: @ctx's flag is set, or the channel is gone. */
static bool arrived(void *ctx)
{
	return *(bool *)ctx || bl.ch->broken || bl.ch->state != CH_OPEN;
}

/* VERSION_REQUEST newest first until one is accepted: balloon.version. */
static bool negotiate(void)
{
	char refused[40], v[12];
	struct fmt_buf fb = FMT_BUF(refused);

	for (unsigned i = 0; i < ARRAY_SIZE(versions); i++) {
		struct dm_version_request req = { header(DM_VERSION_REQUEST, sizeof(req)), versions[i],
						  i + 1 == ARRAY_SIZE(versions) ? DM_VERSION_LAST_ATTEMPT : 0 };

		bl.got_version = false;
		bl.waiting_version = true;
		if (send(&req, sizeof(req)))
			return check_that("balloon.version", false, "VERSION_REQUEST could not be sent");
		loop_wait("the DM VERSION_RESPONSE", arrived, &bl.got_version, cpu_now_ns() + DM_TIMEOUT_NS);
		bl.waiting_version = false;
		if (!bl.got_version)
			return check_that("balloon.version", false, "no VERSION_RESPONSE to %s within 5 s%s",
					  vstr(versions[i], v), refused[0] ? refused : "");
		if (bl.answer & DM_ACCEPTED)
			return check_that("balloon.version", true, "%s accepted%s", vstr(versions[i], v),
					  refused[0] ? refused : " (the newest)");
		fmt_add(&fb, "%s%s", fb.len ? ", " : " after refusing ", vstr(versions[i], v));
	}
	return check_that("balloon.version", false, "the host refused 2.0, 1.0 and 0.3");
}

/* CAPABILITIES_REPORT (balloon, no hot-add): balloon.caps. */
static bool capabilities(void)
{
	struct dm_caps_report c = { header(DM_CAPABILITIES_REPORT, sizeof(c)), DM_CAP_BALLOON, 0,
				    UINT64_MAX };

	bl.got_caps = false;
	bl.waiting_caps = true;
	if (send(&c, sizeof(c)))
		return check_that("balloon.caps", false, "CAPABILITIES_REPORT could not be sent");
	loop_wait("the DM CAPABILITIES_RESPONSE", arrived, &bl.got_caps, cpu_now_ns() + DM_TIMEOUT_NS);
	bl.waiting_caps = false;
	if (!bl.got_caps)
		return check_that("balloon.caps", false, "no CAPABILITIES_RESPONSE within 5 s");
	bl.suppress = bl.answer & DM_CAPS_SUPPRESS_REPORTS;
	return check_that("balloon.caps", bl.answer & DM_ACCEPTED,
			  "balloon on, hot-add off, floor %llu MiB: %s (host: hot-remove %s, status reports %s)",
			  (unsigned long long)(bl.floor >> 8),
			  bl.answer & DM_ACCEPTED ? "accepted" : "refused: the service is unusable",
			  bl.answer & DM_CAPS_HOT_REMOVE ? "on" : "off",
			  bl.suppress ? "suppressed" : "wanted");
}

/* Open: version, capabilities, then the poller serves the rest. */
static void bl_opened(struct vmbus_channel *ch)
{
	if (bl.ch) {
		log_printf("hvprobe: balloon: relid %u: a second Dynamic Memory device; not driven\n",
			   ch->relid);
		return;
	}
	balloon_reset(ch, false, false);
	if (!negotiate() || !capabilities())
		return;
	if (!poller_added && !loop_add_poller(balloon_poll, NULL)) {
		check("balloon.status", CHECK_FAIL, "no loop poller slot left: no status reports, no answers");
		return;
	}
	poller_added = true;
	bl.ready = true;
	balloon_poll(NULL); /* the first status report now */
}

/* ---- the report ---- */

/* balloon.inflate, balloon.deflate, balloon.hot_add at the end of the run. */
static void report_requests(void)
{
	if (!bl.requests)
		check("balloon.inflate", CHECK_SKIP,
		      "no BALLOON_REQUEST within the observation window (QEMU's hv-balloon waits 50 s, then balloons only when told to)");
	else {
		char huge[96] = "";

		/* more than the guest has: a warning, as Linux balloon_up logs one and answers in part */
		if (bl.huge)
			fmt_snprintf(huge, sizeof(huge),
				     ", more than the %llu this guest has in all (Linux balloon_up answers it in part)",
				     (unsigned long long)bl.total);
		check("balloon.inflate", bl.huge ? CHECK_WARN : CHECK_PASS,
		      "%u request%s for %llu pages%s: gave %llu in %u ranges, %u message%s%s%s", bl.requests,
		      bl.requests == 1 ? "" : "s", (unsigned long long)bl.asked, huge,
		      (unsigned long long)bl.given, bl.ranges, bl.messages, bl.messages == 1 ? "" : "s",
		      bl.short_why ? "; less: " : "", bl.short_why ? bl.short_why : "");
	}
	if (bl.deflate_why[0])
		check("balloon.deflate", CHECK_FAIL, "%s (took back %llu pages, refused %llu)",
		      bl.deflate_why, (unsigned long long)bl.returned, (unsigned long long)bl.refused);
	else if (!bl.unballoons)
		check("balloon.deflate", CHECK_SKIP, "no UNBALLOON_REQUEST within the observation window");
	else
		check("balloon.deflate", CHECK_PASS, "took back %llu pages in %u request%s; %llu still ballooned",
		      (unsigned long long)bl.returned, bl.unballoons, bl.unballoons == 1 ? "" : "s",
		      (unsigned long long)bl_pages_held());
	if (!bl.hot_adds)
		check("balloon.hot_add", CHECK_SKIP, "no MEM_HOT_ADD_REQUEST within the observation window");
	else
		check("balloon.hot_add", CHECK_PASS,
		      "%u request%s for %llu pages answered: 0 added, result 1 (this guest cannot use hot-added memory)",
		      bl.hot_adds, bl.hot_adds == 1 ? "" : "s", (unsigned long long)bl.hot_add_asked);
}

/* End of the run: the status reports, then the requests. */
static void bl_report(struct vmbus_channel *ch)
{
	if (ch != bl.ch || !bl.ready)
		return;
	if (bl.suppress)
		check("balloon.status", CHECK_SKIP,
		      "the host asked for no status reports (QEMU's hv-balloon without status-report=on)");
	else
		check_that("balloon.status", bl.reports > 0,
			   "%u status reports, longest gap %llu ms%s; last: %llu pages available, %llu committed (%llu MiB floor included)",
			   bl.reports, (unsigned long long)(bl.max_gap / 1000000),
			   bl.dropped ? " (some dropped: ring full)" : "",
			   (unsigned long long)bl.last.num_avail, (unsigned long long)bl.last.num_committed,
			   (unsigned long long)(bl.floor >> 8));
	report_requests();
}

/* Not offered: one line says so. */
static void bl_absent(const struct vmbus_device *dev)
{
	check_missing("balloon.version", "the host offers no Dynamic Memory device");
}

/* Fresh state for @ch: floor from the allocator's total (32 MiB, or half a smaller guest). */
void balloon_reset(struct vmbus_channel *ch, bool ready, bool suppress)
{
	uint64_t free;

	memset(&bl, 0, sizeof(bl));
	bl_pages_reset();
	bl.ch = ch;
	bl.ready = ready;
	bl.suppress = suppress;
	cpu_page_counts(&free, &bl.total);
	bl.floor = bl.total < 2 * BALLOON_FLOOR_PAGES ? bl.total / 2 : BALLOON_FLOOR_PAGES;
}

const struct vmbus_device_ops balloon_device_ops = {
	.ring_pages = 5, /* 20 KiB each way, control page included (Linux dm_ring_size) */
	.opened = bl_opened,
	.packet = bl_packet,
	.report = bl_report,
	.absent = bl_absent,
};
