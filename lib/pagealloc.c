/* Bitmap page allocator (see pagealloc.h). */
#include "lib/pagealloc.h"

#include <stdbool.h>

#include "lib/str.h"

#define PG_SHIFT 12
#define PA_PAGE_SIZE (1ull << PG_SHIFT) /* the allocator deals in 4 KiB pages */

static bool bit_get(const struct page_alloc *pa, uint64_t i)
{
	return pa->bitmap[i >> 3] & (1u << (i & 7));
}

static void bit_put(struct page_alloc *pa, uint64_t i, bool used)
{
	if (used)
		pa->bitmap[i >> 3] |= (uint8_t)(1u << (i & 7));
	else
		pa->bitmap[i >> 3] &= (uint8_t)~(1u << (i & 7));
}

/* Page-aligned [first, last) page numbers of a range; empty when first >= last. */
static void range_pages(const struct pa_range *r, uint64_t *first, uint64_t *last)
{
	*first = (r->base + PA_PAGE_SIZE - 1) >> PG_SHIFT;
	*last = (r->base >> PG_SHIFT) + r->pages; /* floor of the end address */
}

static void span_of(const struct pa_range *ranges, size_t n, uint64_t *lo, uint64_t *hi)
{
	*lo = UINT64_MAX;
	*hi = 0;
	for (size_t i = 0; i < n; i++) {
		uint64_t f, l;

		range_pages(&ranges[i], &f, &l);
		if (f >= l)
			continue;
		if (f < *lo)
			*lo = f;
		if (l > *hi)
			*hi = l;
	}
	if (*lo > *hi)
		*lo = *hi = 0;
}

size_t pa_bitmap_bytes(const struct pa_range *ranges, size_t n)
{
	uint64_t lo, hi;

	span_of(ranges, n, &lo, &hi);
	return (size_t)((hi - lo + 7) / 8);
}

void pa_init(struct page_alloc *pa, const struct pa_range *ranges, size_t n, uint8_t *bitmap)
{
	uint64_t lo, hi;

	span_of(ranges, n, &lo, &hi);
	pa->base = lo << PG_SHIFT;
	pa->span = hi - lo;
	pa->bitmap = bitmap;
	pa->ranges = ranges;
	pa->nranges = n;
	pa->total = pa->free = pa->hint = 0;
	memset(bitmap, 0xff, (size_t)((pa->span + 7) / 8));
	for (size_t i = 0; i < n; i++) {
		uint64_t f, l;

		range_pages(&ranges[i], &f, &l);
		for (uint64_t p = f; p < l; p++) {
			if (!bit_get(pa, p - lo))
				continue; /* overlapping ranges: count a page once */
			bit_put(pa, p - lo, false);
			pa->total++;
		}
	}
	pa->free = pa->total;
}

uint64_t pa_alloc(struct page_alloc *pa, uint64_t n)
{
	if (n == 0 || n > pa->free)
		return 0;
	for (int pass = 0; pass < 2; pass++) {
		uint64_t start = pass ? 0 : pa->hint;
		uint64_t end = pass ? pa->hint : pa->span;
		uint64_t run = 0;

		for (uint64_t i = start; i < end; i++) {
			if (bit_get(pa, i)) {
				run = 0;
				continue;
			}
			if (++run < n)
				continue;
			uint64_t first = i + 1 - n;

			for (uint64_t j = first; j <= i; j++)
				bit_put(pa, j, true);
			pa->free -= n;
			pa->hint = i + 1 < pa->span ? i + 1 : 0;
			return pa->base + (first << PG_SHIFT);
		}
	}
	return 0;
}

/* True when every page of [p, p+n) lies inside a RAM range given at init. */
static bool in_ranges(const struct page_alloc *pa, uint64_t p, uint64_t n)
{
	while (n) {
		uint64_t covered = 0;

		for (size_t i = 0; i < pa->nranges && !covered; i++) {
			uint64_t f, l;

			range_pages(&pa->ranges[i], &f, &l);
			if (p >= f && p < l)
				covered = l - p < n ? l - p : n;
		}
		if (!covered)
			return false;
		p += covered;
		n -= covered;
	}
	return true;
}

int pa_free(struct page_alloc *pa, uint64_t phys, uint64_t n)
{
	uint64_t first;

	if (phys < pa->base || (phys & (PA_PAGE_SIZE - 1)))
		return -1;
	first = (phys - pa->base) >> PG_SHIFT;
	if (n == 0 || first >= pa->span || n > pa->span - first)
		return -1;
	if (!in_ranges(pa, (phys >> PG_SHIFT), n))
		return -1; /* not RAM we manage */
	for (uint64_t i = first; i < first + n; i++)
		if (!bit_get(pa, i))
			return -1; /* double free, or a page that was never ours */
	for (uint64_t i = first; i < first + n; i++)
		bit_put(pa, i, false);
	pa->free += n;
	return 0;
}
