/*
 * A physical page allocator over a list of free ranges (from the UEFI memory
 * map).  One bit per page between the lowest and highest free page: set =
 * in use or not RAM.  Contiguous first-fit allocation; a free of a page that
 * is not allocated is refused, so no page is ever handed out twice.
 * Pure C over caller-provided storage, so the same code is unit-tested.
 */
#ifndef HVPROBE_PAGEALLOC_H
#define HVPROBE_PAGEALLOC_H

#include <stddef.h>
#include <stdint.h>

struct pa_range {
	uint64_t base;  /* physical address, page aligned */
	uint64_t pages;
};

struct page_alloc {
	uint64_t base;       /* physical address of bit 0 */
	uint64_t span;       /* pages covered by the bitmap */
	uint8_t *bitmap;
	const struct pa_range *ranges; /* kept by the caller for the allocator's life */
	size_t nranges;
	uint64_t total;      /* pages that were free at init */
	uint64_t free;       /* pages free now */
	uint64_t hint;       /* where the next search starts */
};

/* Bytes of bitmap needed to cover @ranges. */
size_t pa_bitmap_bytes(const struct pa_range *ranges, size_t n);

/*
 * Set up @pa over @ranges using @bitmap (pa_bitmap_bytes() long).  Ranges may
 * be unsorted and unaligned; partial pages are dropped.  @ranges must stay
 * valid: pa_free() checks against it.
 */
void pa_init(struct page_alloc *pa, const struct pa_range *ranges, size_t n, uint8_t *bitmap);

/* Allocate @n contiguous pages; return the physical address or 0. */
uint64_t pa_alloc(struct page_alloc *pa, uint64_t n);

/* Free @n pages at @phys; return 0, or -1 if any of them was not allocated. */
int pa_free(struct page_alloc *pa, uint64_t phys, uint64_t n);

#endif
