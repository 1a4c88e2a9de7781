/* Unit tests of the page allocator (lib/pagealloc.c). */
#include "lib/pagealloc.h"

#include "tests/unit/unit.h"

#define PG 4096ull

static uint8_t bitmap[4096];

static void test_init_counts(void)
{
	struct page_alloc pa;
	/* unsorted, one unaligned range, one overlapping */
	struct pa_range r[] = {
		{ 0x200000, 16 },
		{ 0x100000, 8 },
		{ 0x300800, 4 },   /* unaligned: 3 whole pages */
		{ 0x104000, 8 },   /* overlaps pages 4..7 of the second range */
	};

	EXPECT(pa_bitmap_bytes(r, 4) == ((0x304000 - 0x100000) / PG + 7) / 8); /* 516 bits */
	pa_init(&pa, r, 4, bitmap);
	EXPECT(pa.base == 0x100000);
	EXPECT(pa.total == 16 + 12 + 3);
	EXPECT(pa.free == pa.total);
}

static void test_alloc_free_contiguous(void)
{
	struct page_alloc pa;
	struct pa_range r[] = { { 0x100000, 4 }, { 0x200000, 8 } };
	uint64_t a, b, c;

	pa_init(&pa, r, 2, bitmap);
	a = pa_alloc(&pa, 3);
	EXPECT(a == 0x100000);
	b = pa_alloc(&pa, 2); /* does not fit in the 1 page left below 0x200000 */
	EXPECT(b == 0x200000);
	c = pa_alloc(&pa, 6); /* only 6 left at 0x202000 */
	EXPECT(c == 0x202000);
	EXPECT(pa_alloc(&pa, 2) == 0); /* 1 page free in all */
	EXPECT(pa.free == 1);
	EXPECT(pa_alloc(&pa, 1) == 0x103000);
	EXPECT(pa_free(&pa, b, 2) == 0);
	EXPECT(pa_alloc(&pa, 2) == 0x200000);
}

static void test_refuses_bad_frees(void)
{
	struct page_alloc pa;
	struct pa_range r[] = { { 0x100000, 4 }, { 0x110000, 4 } };
	uint64_t a;

	pa_init(&pa, r, 2, bitmap);
	a = pa_alloc(&pa, 2);
	EXPECT(pa_free(&pa, a, 2) == 0);
	EXPECT(pa_free(&pa, a, 2) == -1);         /* double free */
	EXPECT(pa_free(&pa, 0x108000, 1) == -1);  /* a hole between ranges: not RAM */
	EXPECT(pa_free(&pa, 0x100800, 1) == -1);  /* unaligned */
	EXPECT(pa_free(&pa, 0x1000, 1) == -1);    /* below the managed span */
	EXPECT(pa_free(&pa, 0x113000, 2) == -1);  /* runs past the end */
	EXPECT(pa_free(&pa, 0x100000, 0) == -1);
	EXPECT(pa.free == 8);
}

static void test_exhaust_and_wrap(void)
{
	struct page_alloc pa;
	struct pa_range r[] = { { 0x100000, 64 } };
	uint64_t got[64];

	pa_init(&pa, r, 1, bitmap);
	for (int i = 0; i < 64; i++) {
		got[i] = pa_alloc(&pa, 1);
		EXPECT(got[i] == 0x100000 + (uint64_t)i * PG);
	}
	EXPECT(pa_alloc(&pa, 1) == 0);
	EXPECT(pa_free(&pa, got[5], 1) == 0);
	EXPECT(pa_alloc(&pa, 1) == got[5]); /* the search wraps past the hint */
	EXPECT(pa_alloc(&pa, 0) == 0);
}

struct unit_test unit_tests[] = {
	{ "pagealloc.init_counts", test_init_counts },
	{ "pagealloc.alloc_free_contiguous", test_alloc_free_contiguous },
	{ "pagealloc.refuses_bad_frees", test_refuses_bad_frees },
	{ "pagealloc.exhaust_and_wrap", test_exhaust_and_wrap },
	{ NULL, NULL },
};

UNIT_MAIN
