/*
 * Dynamic Memory, the hv_balloon device (Linux drivers/hv/hv_balloon.c): balloon.c
 * speaks the protocol and reports the balloon.* checks; pages.c keeps the
 * ranges of pages the guest gave the host, so a page is never given twice
 * and only pages that were given are ever taken back.
 */
#ifndef HVPROBE_BALLOON_H
#define HVPROBE_BALLOON_H

#include <stdbool.h>
#include <stdint.h>

#include "drivers/balloon/dm_regs.h"
#include "drivers/vmbus/vmbus.h"

#define BALLOON_FLOOR_PAGES 8192         /* keep 32 MiB for ourselves (half of a smaller guest) */
#define BALLOON_CHUNK_PAGES 512          /* allocate 2 MiB at a time, as Linux, then less */
/*
 * Ranges per BALLOON_RESPONSE (a 4 KiB message holds 510): 16 keeps one
 * poll's work to 32 MiB of pages, so a 2 GiB request (QEMU's largest) does
 * not stall the loop; the host takes as many messages as it needs.
 */
#define BALLOON_RANGES_PER_MESSAGE 16
_Static_assert(BALLOON_RANGES_PER_MESSAGE <= DM_RESPONSE_MAX_RANGES, "a response fits 4 KiB");
#define BALLOON_MAX_RANGES 1024          /* ranges the guest can hold given */

extern const struct vmbus_device_ops balloon_device_ops;

/* The loop poller: status reports and the answers still to send (true: it sent one). */
bool balloon_poll(void *ctx);

/*
 * For the fuzz targets: forget everything (the pages given stay allocated)
 * and drive @ch as if its handshake ended with capabilities accepted when
 * @ready; @suppress: the host asked for no status reports.
 */
void balloon_reset(struct vmbus_channel *ch, bool ready, bool suppress);

/* ---- pages.c ---- */

/* Forget every range (the pages themselves are not freed). */
void bl_pages_reset(void);
/* Pages and ranges the host holds now; range @i of them (false past the last). */
uint64_t bl_pages_held(void);
unsigned bl_pages_ranges(void);
bool bl_pages_range(unsigned i, uint64_t *pfn, uint64_t *count);
/*
 * Take one range of at most @want pages (<= BALLOON_CHUNK_PAGES) from the
 * allocator, leaving at least @floor pages free: its first PFN in *@pfn and
 * its length, or 0 when nothing can be given (*@why: why).
 */
uint32_t bl_pages_take(uint32_t want, uint64_t floor, uint64_t *pfn, const char **why);
/* The host gives back [@pfn, @pfn + @count): freed if every page was given; 0, or -1 (nothing freed). */
int bl_pages_give_back(uint64_t pfn, uint64_t count, const char **why);

#endif
