/*
 * Dynamic Memory (hv_balloon) wire formats (from Linux drivers/hv/hv_balloon.c
 * and QEMU hw/hyperv/hv-balloon.c, include/hw/hyperv/dynmem-proto.h).  Raw DATA_INBAND packets, no pipe
 * header; every message starts with dm_header, whose size covers the whole
 * message.  Shared with hvsim's DM host.
 */
#ifndef HVPROBE_DM_REGS_H
#define HVPROBE_DM_REGS_H

#include <stddef.h>
#include <stdint.h>

#define DM_PACKED __attribute__((packed))

/* versions: major << 16 | minor; "VERSION_3" of the protocol is numbered 2.0 */
#define DM_VERSION_WIN7 0x00000003u      /* 0.3 */
#define DM_VERSION_WIN8 0x00010000u      /* 1.0: adds INFO_MESSAGE */
#define DM_VERSION_WIN10 0x00020000u     /* 2.0: newest (Linux, QEMU accept up to it) */

enum dm_msg_type {
	DM_ERROR = 0,
	DM_VERSION_REQUEST = 1,          /* guest -> host */
	DM_VERSION_RESPONSE = 2,
	DM_CAPABILITIES_REPORT = 3,      /* guest -> host */
	DM_CAPABILITIES_RESPONSE = 4,
	DM_STATUS_REPORT = 5,            /* guest -> host, about once a second, no answer */
	DM_BALLOON_REQUEST = 6,
	DM_BALLOON_RESPONSE = 7,         /* guest -> host */
	DM_UNBALLOON_REQUEST = 8,
	DM_UNBALLOON_RESPONSE = 9,       /* guest -> host */
	DM_HOT_ADD_REQUEST = 10,
	DM_HOT_ADD_RESPONSE = 11,        /* guest -> host */
	DM_INFO_MESSAGE = 12,            /* host -> guest, 1.0 and later */
};

struct dm_header {
	uint16_t type;
	uint16_t size;                   /* the whole message, this header included */
	uint32_t trans_id;               /* the guest makes its own (incrementing) */
} DM_PACKED;
_Static_assert(sizeof(struct dm_header) == 8, "DM header is 8 bytes");

struct dm_version_request {
	struct dm_header hdr;
	uint32_t version;
	uint32_t flags;                  /* b0: is_last_attempt */
} DM_PACKED;
_Static_assert(sizeof(struct dm_version_request) == 16, "version request is 16 bytes");
#define DM_VERSION_LAST_ATTEMPT 1u

struct dm_version_response {
	struct dm_header hdr;
	uint64_t flags;                  /* b0: is_accepted */
} DM_PACKED;
_Static_assert(sizeof(struct dm_version_response) == 16, "version response is 16 bytes");
#define DM_ACCEPTED 1u

struct dm_caps_report {
	struct dm_header hdr;
	uint64_t caps;                   /* DM_CAP_* */
	uint64_t min_page_cnt;           /* Linux 0 */
	uint64_t max_page_number;        /* Linux all-ones */
} DM_PACKED;
_Static_assert(sizeof(struct dm_caps_report) == 32, "capabilities report is 32 bytes");
#define DM_CAP_BALLOON 0x1u
#define DM_CAP_HOT_ADD 0x2u
#define DM_CAP_HOT_ADD_ALIGN_SHIFT 2     /* b5:2: log2 of the hot-add alignment in MiB */

struct dm_caps_response {
	struct dm_header hdr;
	uint64_t flags;
} DM_PACKED;
_Static_assert(sizeof(struct dm_caps_response) == 16, "capabilities response is 16 bytes");
/* b0 is_accepted; b1 hot_remove, b2 suppress_pressure_reports (QEMU dynmem-proto.h) */
#define DM_CAPS_HOT_REMOVE 0x2u
#define DM_CAPS_SUPPRESS_REPORTS 0x4u

struct dm_status {
	struct dm_header hdr;
	uint64_t num_avail;              /* 4 KiB pages */
	uint64_t num_committed;          /* the only field hosts use */
	uint64_t page_file_size;
	uint64_t zero_free;
	uint32_t page_file_writes;
	uint32_t io_diff;
} DM_PACKED;
_Static_assert(sizeof(struct dm_status) == 48, "status report is 48 bytes");
_Static_assert(offsetof(struct dm_status, num_committed) == 16, "num_committed at 16");

struct dm_balloon_request {
	struct dm_header hdr;
	uint32_t num_pages;
	uint32_t reserved;
} DM_PACKED;
_Static_assert(sizeof(struct dm_balloon_request) == 16, "balloon request is 16 bytes");

/* a page range: b39:0 start PFN, b63:40 page count */
#define DM_RANGE(start, count) (((uint64_t)(count) << 40) | ((uint64_t)(start) & DM_RANGE_PFN_MASK))
#define DM_RANGE_PFN_MASK 0xffffffffffull
#define DM_RANGE_START(r) ((r) & DM_RANGE_PFN_MASK)
#define DM_RANGE_COUNT(r) ((uint32_t)((r) >> 40))
#define DM_RANGE_MAX_COUNT 0xffffffu

struct dm_balloon_response {
	struct dm_header hdr;
	uint32_t reserved;
	uint32_t more_count;             /* b0 more_pages, b31:1 range_count */
	uint64_t ranges[];
} DM_PACKED;
_Static_assert(sizeof(struct dm_balloon_response) == 16, "balloon response header is 16 bytes");
#define DM_MORE_PAGES 1u
#define DM_MSG_MAX 4096                  /* each balloon response fits one page (Linux) */
#define DM_RESPONSE_MAX_RANGES ((DM_MSG_MAX - sizeof(struct dm_balloon_response)) / 8) /* 510 */

struct dm_unballoon_request {
	struct dm_header hdr;
	uint32_t more_pages;             /* b0 */
	uint32_t range_count;
	uint64_t ranges[];
} DM_PACKED;
_Static_assert(sizeof(struct dm_unballoon_request) == 16, "unballoon request header is 16 bytes");

struct dm_unballoon_response {
	struct dm_header hdr;
} DM_PACKED;
_Static_assert(sizeof(struct dm_unballoon_response) == 8, "unballoon response is 8 bytes");

struct dm_hot_add_request {
	struct dm_header hdr;
	uint64_t range;                  /* the pages to add */
	uint64_t region;                 /* optional (header size 24): the region to add them in */
} DM_PACKED;
_Static_assert(sizeof(struct dm_hot_add_request) == 24, "hot-add request with region is 24 bytes");
#define DM_HOT_ADD_MIN (sizeof(struct dm_header) + 8)

struct dm_hot_add_response {
	struct dm_header hdr;
	uint32_t page_count;             /* pages added */
	uint32_t result;                 /* 1 success; 1 with 0 pages: "stop trying" */
} DM_PACKED;
_Static_assert(sizeof(struct dm_hot_add_response) == 16, "hot-add response is 16 bytes");

struct dm_info_message {
	struct dm_header hdr;
	uint32_t reserved;
	uint32_t info_size;              /* bytes of info after this */
} DM_PACKED;
_Static_assert(sizeof(struct dm_info_message) == 16, "info message header is 16 bytes");

struct dm_info_header {
	uint32_t type;                   /* 0: max page count (u64 data) */
	uint32_t data_size;
} DM_PACKED;
_Static_assert(sizeof(struct dm_info_header) == 8, "info header is 8 bytes");
#define DM_INFO_MAX_PAGE_COUNT 0

#endif
