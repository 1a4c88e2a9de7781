/*
 * hvsim's VMBus host, GPADLs: GPADL_HEADER and GPADL_BODY build a range
 * buffer, validated against guest RAM when complete (GPADL_CREATED),
 * GPADL_TEARDOWN (GPADL_TORNDOWN, deferred while an open channel's rings
 * live in it).  Misbehaviour: gpadl_fail.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tools/hvsim/hvsim.h"
#include "tools/hvsim/vmbus/vmbus.h"
#include "tools/hvsim/vmbus/vmbus_host.h"

#define STATUS_GPADL_FAILED 0x8000ffffu /* E_UNEXPECTED, OpenVMM's GPADL_CREATED error */
#define MAX_GPADLS 64

#define bus sim_vmbus_bus

static struct sim_gpadl *gpadls[MAX_GPADLS];

/* The GPADL the guest called @handle, or NULL. */
struct sim_gpadl *sim_gpadl_find(uint32_t handle)
{
	for (unsigned i = 0; i < MAX_GPADLS; i++)
		if (gpadls[i] && gpadls[i]->handle == handle)
			return gpadls[i];
	return NULL;
}

/* Forget @g. */
void sim_gpadl_free(struct sim_gpadl *g)
{
	for (unsigned i = 0; i < MAX_GPADLS; i++)
		if (gpadls[i] == g)
			gpadls[i] = NULL;
	free(g->words);
	free(g);
}

const uint64_t *sim_gpadl_pages(const struct sim_channel *ch, uint32_t handle, uint32_t *npages)
{
	const struct sim_gpadl *g = sim_gpadl_find(handle);

	if (!g || !g->complete || g->teardown_pending || g->relid != ch->relid || g->rangecount != 1 ||
	    g->words[0] >> 32 || (uint32_t)g->words[0] != (g->nwords - 1) * PAGE_SIZE)
		return NULL;
	*npages = g->nwords - 1;
	return g->words + 1;
}

static void send_gpadl_created(uint32_t relid, uint32_t handle, uint32_t status)
{
	struct vmbus_gpadl_created m = { { VMBUS_MSG_GPADL_CREATED, 0 }, relid, handle, status };

	sim_vmbus_send_msg(&m, sizeof(m));
}

static void send_gpadl_torndown(uint32_t handle)
{
	struct vmbus_gpadl_torndown m = { { VMBUS_MSG_GPADL_TORNDOWN, 0 }, handle };

	sim_vmbus_send_msg(&m, sizeof(m));
}

/* GPADL_TORNDOWN for @g, and it is gone (misbehaving: not for a rescinded channel's). */
static void torndown(struct sim_gpadl *g)
{
	struct sim_channel *ch = sim_vmbus_channel_by_relid(g->relid);

	if (ch && ch->state == SIM_CH_RESCINDED && sim_mb_fire(MB_VMBUS_NO_TORNDOWN_AFTER_RESCIND))
		fprintf(stderr, "hvsim: vmbus: misbehaving: GPADL 0x%x of rescinded relid %u: no GPADL_TORNDOWN\n",
			g->handle, g->relid);
	else
		send_gpadl_torndown(g->handle);
	sim_gpadl_free(g);
}

/* Check that the range buffer of @g describes guest RAM consistently. */
static bool gpadl_valid(const struct sim_gpadl *g)
{
	uint32_t i = 0;

	for (unsigned r = 0; r < g->rangecount; r++) {
		uint32_t byte_count, byte_offset, npfn;

		if (i >= g->nwords) {
			sim_vmbus_guest_error("GPADL 0x%x: range_buflen too short for %u ranges", g->handle,
					      g->rangecount);
			return false;
		}
		byte_count = (uint32_t)g->words[i];
		byte_offset = (uint32_t)(g->words[i] >> 32);
		i++;
		if (!byte_count || byte_offset >= PAGE_SIZE) {
			sim_vmbus_guest_error("GPADL 0x%x: range %u has byte_count %u, byte_offset %u",
					      g->handle, r, byte_count, byte_offset);
			return false;
		}
		npfn = (uint32_t)(((uint64_t)byte_offset + byte_count + PAGE_SIZE - 1) / PAGE_SIZE);
		if (npfn > g->nwords - i) {
			sim_vmbus_guest_error("GPADL 0x%x: range %u needs %u PFNs, range_buflen leaves %u",
					      g->handle, r, npfn, g->nwords - i);
			return false;
		}
		for (uint32_t k = 0; k < npfn; k++, i++) {
			uint64_t pfn = g->words[i];

			if (pfn > (UINT64_MAX >> 12) || !sim_gpa(pfn << 12, PAGE_SIZE)) {
				sim_vmbus_guest_error("GPADL 0x%x: PFN 0x%llx is outside guest RAM", g->handle,
						      (unsigned long long)pfn);
				return false;
			}
		}
	}
	if (i != g->nwords) {
		sim_vmbus_guest_error("GPADL 0x%x: range_buflen is %u bytes, the ranges use %u",
				      g->handle, g->nwords * 8, i * 8);
		return false;
	}
	return true;
}

/* All of @g's range buffer arrived: validate it and answer. */
static void gpadl_complete(struct sim_gpadl *g)
{
	struct sim_channel *ch = sim_vmbus_channel_by_relid(g->relid);
	uint32_t status = 0;

	if (ch && (ch->state == SIM_CH_RESCINDED || sim_vmbus_rescind_first_ic(ch, QUIRK_RESCIND_MID_GPADL))) {
		/* the offer is gone, and the GPADL it was half made for with it: no GPADL_CREATED */
		fprintf(stderr, "hvsim: vmbus: GPADL 0x%x for rescinded relid %u: dropped, no GPADL_CREATED\n",
			g->handle, g->relid);
		sim_gpadl_free(g);
		return;
	}
	if (!gpadl_valid(g) || sim_mb_fire(MB_VMBUS_GPADL_FAIL))
		status = STATUS_GPADL_FAILED;
	send_gpadl_created(g->relid, g->handle, status);
	if (status) {
		sim_gpadl_free(g);
		return;
	}
	g->complete = true;
}

/* GPADL_HEADER: a new GPADL and the first words of its range buffer. */
void sim_vmbus_on_gpadl_header(const void *msg, uint32_t size, uint32_t conn)
{
	const struct vmbus_gpadl_header *h = msg;
	uint32_t avail = (size - sizeof(*h) + 8) / 8; /* words from byte_count on */
	struct sim_channel *ch = sim_vmbus_channel_by_relid(h->child_relid);
	struct sim_gpadl *g;
	unsigned slot;

	/*
	 * A header for a rescinded relid not yet released is no guest error:
	 * the guest may have posted it before it saw the rescind (Linux
	 * vmbus_onoffer_rescind wakes the waiting vmbus_establish_gpadl).
	 */
	if (!ch || (ch->state != SIM_CH_OFFERED && ch->state != SIM_CH_RESCINDED)) {
		sim_vmbus_guest_error("GPADL_HEADER 0x%x for relid %u, which is not offered", h->gpadl,
				      h->child_relid);
		send_gpadl_created(h->child_relid, h->gpadl, STATUS_GPADL_FAILED);
		return;
	}
	if (sim_gpadl_find(h->gpadl)) {
		sim_vmbus_guest_error("GPADL_HEADER reuses handle 0x%x", h->gpadl);
		send_gpadl_created(h->child_relid, h->gpadl, STATUS_GPADL_FAILED);
		return;
	}
	if (!h->rangecount || h->range_buflen < 16 || h->range_buflen % 8 || (size - 20) % 8 ||
	    avail > h->range_buflen / 8u) {
		sim_vmbus_guest_error("GPADL_HEADER 0x%x: rangecount %u, range_buflen %u in a %u-byte message",
				      h->gpadl, h->rangecount, h->range_buflen, size);
		send_gpadl_created(h->child_relid, h->gpadl, STATUS_GPADL_FAILED);
		return;
	}
	for (slot = 0; slot < MAX_GPADLS && gpadls[slot]; slot++)
		;
	g = slot < MAX_GPADLS ? calloc(1, sizeof(*g)) : NULL;
	if (g)
		g->words = calloc(h->range_buflen / 8, sizeof(uint64_t));
	if (!g || !g->words) {
		fprintf(stderr, "hvsim: vmbus: no room for GPADL 0x%x\n", h->gpadl);
		if (g)
			free(g);
		send_gpadl_created(h->child_relid, h->gpadl, STATUS_GPADL_FAILED);
		return;
	}
	gpadls[slot] = g;
	g->handle = h->gpadl;
	g->relid = h->child_relid;
	g->rangecount = h->rangecount;
	g->nwords = h->range_buflen / 8;
	g->have = avail;
	memcpy(g->words, (const uint8_t *)msg + 20, avail * 8);
	if (g->have == g->nwords)
		gpadl_complete(g);
}

/* GPADL_BODY: more of a GPADL's range buffer. */
void sim_vmbus_on_gpadl_body(const void *msg, uint32_t size, uint32_t conn)
{
	const struct vmbus_gpadl_body *b = msg;
	struct sim_gpadl *g = sim_gpadl_find(b->gpadl);
	uint32_t n = (size - sizeof(*b)) / 8;

	if (!g || g->complete) {
		sim_vmbus_guest_error("GPADL_BODY for gpadl 0x%x, which no GPADL_HEADER started: ignored",
				      b->gpadl);
		return;
	}
	if ((size - sizeof(*b)) % 8 || n == 0 || n > g->nwords - g->have) {
		sim_vmbus_guest_error("GPADL_BODY for gpadl 0x%x carries %u bytes, %u PFNs were still due",
				      b->gpadl, size - (uint32_t)sizeof(*b), g->nwords - g->have);
		send_gpadl_created(g->relid, g->handle, STATUS_GPADL_FAILED);
		sim_gpadl_free(g);
		return;
	}
	memcpy(g->words + g->have, (const uint8_t *)msg + sizeof(*b), n * 8);
	g->have += n;
	if (g->have == g->nwords)
		gpadl_complete(g);
}

/* GPADL_TEARDOWN: answered GPADL_TORNDOWN once no open channel uses it. */
void sim_vmbus_on_gpadl_teardown(const void *msg, uint32_t size, uint32_t conn)
{
	const struct vmbus_gpadl_teardown *t = msg;
	struct sim_gpadl *g = sim_gpadl_find(t->gpadl);

	if (!g || !g->complete || g->relid != t->child_relid) {
		sim_vmbus_guest_error("GPADL_TEARDOWN of gpadl 0x%x on relid %u: no such GPADL: ignored",
				      t->gpadl, t->child_relid);
		return;
	}
	if (g->teardown_pending) {
		sim_vmbus_guest_error("a second GPADL_TEARDOWN of gpadl 0x%x: ignored", t->gpadl);
		return;
	}
	if (g->user) {
		/* the host answers once the channel using it is closed */
		sim_vmbus_guest_error("GPADL_TEARDOWN of gpadl 0x%x while channel %u still uses it: deferred",
				      t->gpadl, g->user->relid);
		g->teardown_pending = true;
		return;
	}
	torndown(g);
}

/* The channel using @g closed: a teardown that waited for it completes (when connected). */
void sim_gpadl_release(struct sim_gpadl *g)
{
	g->user = NULL;
	if (g->teardown_pending && bus.connected)
		torndown(g);
}

/* The connection dropped: every GPADL is revoked. */
void sim_gpadl_free_all(void)
{
	for (unsigned i = 0; i < MAX_GPADLS; i++)
		if (gpadls[i])
			sim_gpadl_free(gpadls[i]);
}
