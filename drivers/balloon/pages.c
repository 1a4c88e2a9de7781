/*
 * The pages the guest has given the host (ballooned): a sorted table of
 * disjoint ranges, adjacent ones merged, because the host may give back any
 * part of them in any grouping (QEMU merges what it got and returns pieces).
 * Pages come from cpu_alloc_pages() and go back through cpu_free_pages(),
 * so the allocator never hands out a page the host holds; a range the host
 * returns is freed only when every page of it is in the table.
 */
#include "drivers/balloon/balloon.h"

#include "kernel/cpu.h"
#include "lib/str.h"

#define PAGE_SHIFT 12
#define SPLIT_RESERVE 16  /* entries kept free so a return can split a range */

struct range {
	uint64_t pfn, count;
};

static struct range held[BALLOON_MAX_RANGES];
static unsigned nheld;

/* Forget the table (tests and a fresh channel). */
void bl_pages_reset(void)
{
	nheld = 0;
}

/* Counted from the table itself, so a report shows what the table says. */
uint64_t bl_pages_held(void)
{
	uint64_t n = 0;

	for (unsigned i = 0; i < nheld; i++)
		n += held[i].count;
	return n;
}

/* Entries in the table. */
unsigned bl_pages_ranges(void)
{
	return nheld;
}

/* Entry @i, for the fuzz target. */
bool bl_pages_range(unsigned i, uint64_t *pfn, uint64_t *count)
{
	if (i >= nheld)
		return false;
	*pfn = held[i].pfn;
	*count = held[i].count;
	return true;
}

/* Index of the first range starting after @pfn. */
static unsigned after(uint64_t pfn)
{
	unsigned lo = 0, hi = nheld;

	while (lo < hi) {
		unsigned mid = (lo + hi) / 2;

		if (held[mid].pfn <= pfn)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Insert [@pfn, +@count) (disjoint from the table); false when the table is full. */
static bool track(uint64_t pfn, uint64_t count)
{
	unsigned i = after(pfn);
	bool left = i > 0 && held[i - 1].pfn + held[i - 1].count == pfn;
	bool right = i < nheld && pfn + count == held[i].pfn;

	if (left && right) {
		held[i - 1].count += count + held[i].count;
		memmove(&held[i], &held[i + 1], (nheld - i - 1) * sizeof(held[0]));
		nheld--;
	} else if (left) {
		held[i - 1].count += count;
	} else if (right) {
		held[i].pfn = pfn;
		held[i].count += count;
	} else {
		if (nheld == BALLOON_MAX_RANGES)
			return false;
		memmove(&held[i + 1], &held[i], (nheld - i) * sizeof(held[0]));
		held[i] = (struct range){ pfn, count };
		nheld++;
	}
	return true;
}

/* Allocate one chunk, halving until the allocator can give it; record it. */
uint32_t bl_pages_take(uint32_t want, uint64_t floor, uint64_t *pfn, const char **why)
{
	uint64_t free, total;
	uint32_t n = want < BALLOON_CHUNK_PAGES ? want : BALLOON_CHUNK_PAGES;

	cpu_page_counts(&free, &total);
	if (free <= floor) {
		*why = "the floor the guest keeps is reached";
		return 0;
	}
	if (nheld + SPLIT_RESERVE >= BALLOON_MAX_RANGES) {
		*why = "the table of ballooned ranges is full";
		return 0;
	}
	if (n > free - floor)
		n = (uint32_t)(free - floor);
	for (; n; n /= 2) {
		void *p = cpu_alloc_pages(n);

		if (!p)
			continue;
		*pfn = cpu_virt_to_phys(p) >> PAGE_SHIFT;
		if (!track(*pfn, n)) {
			cpu_free_pages(p, n);
			break;
		}
		return n;
	}
	*why = "the page allocator has no more to give";
	return 0;
}

/* Free [@pfn, +@count) if it lies inside one entry: whole, head, tail or middle. */
int bl_pages_give_back(uint64_t pfn, uint64_t count, const char **why)
{
	unsigned i = after(pfn);
	struct range *r = i ? &held[i - 1] : NULL;
	uint64_t end = pfn + count;

	if (!count || end < pfn || end > DM_RANGE_PFN_MASK + 1) {
		*why = "an empty or impossible range";
		return -1;
	}
	/* adjacent ranges are merged, so a given-back range lies inside one entry */
	if (!r || pfn >= r->pfn + r->count || end > r->pfn + r->count) {
		*why = "pages the guest never gave (or already took back)";
		return -1;
	}
	if (pfn > r->pfn && end < r->pfn + r->count) { /* from the middle: split */
		if (nheld == BALLOON_MAX_RANGES) {
			*why = "the table of ballooned ranges is full (the range is kept)";
			return -1;
		}
		memmove(&held[i + 1], &held[i], (nheld - i) * sizeof(held[0]));
		held[i] = (struct range){ end, r->pfn + r->count - end };
		nheld++;
		r->count = pfn - r->pfn;
	} else if (pfn == r->pfn && end == r->pfn + r->count) { /* all of it */
		memmove(r, r + 1, (nheld - i) * sizeof(held[0]));
		nheld--;
	} else if (pfn == r->pfn) { /* its head */
		r->pfn = end;
		r->count -= count;
	} else { /* its tail */
		r->count -= count;
	}
	cpu_free_pages(cpu_phys_to_virt(pfn << PAGE_SHIFT), count);
	return 0;
}
