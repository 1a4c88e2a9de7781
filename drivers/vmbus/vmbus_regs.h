/*
 * VMBus wire formats (checked against Linux
 * include/linux/hyperv.h, OpenVMM vmbus_core/src/protocol.rs and mu_msvm
 * VmbusDxe/ChannelMessages.h).  Every channel message is the payload of a
 * SynIC message of type 1 (host -> guest on SINT 2) or of HvPostMessage
 * (guest -> host), at most 240 bytes, starting with struct vmbus_msg_header.
 */
#ifndef HVPROBE_VMBUS_REGS_H
#define HVPROBE_VMBUS_REGS_H

#include <stdint.h>

#include "lib/guid.h"

#define VMBUS_PACKED __attribute__((packed))
#define VMBUS_ASSERT_SIZE(t, n) _Static_assert(sizeof(t) == (n), #t " is " #n " bytes")
#define VMBUS_ASSERT_OFF(t, f, n) \
	_Static_assert(__builtin_offsetof(t, f) == (n), #t "." #f " is at offset " #n)

/* ---- versions (Linux hyperv.h VERSION_*): u32 (major << 16) | minor ---- */
#define VMBUS_VERSION(maj, min) (((uint32_t)(maj) << 16) | (min))
#define VMBUS_VERSION_WS2008 VMBUS_VERSION(0, 13)
#define VMBUS_VERSION_WIN7 VMBUS_VERSION(1, 1)
#define VMBUS_VERSION_WIN8 VMBUS_VERSION(2, 4)
#define VMBUS_VERSION_WIN8_1 VMBUS_VERSION(3, 0)
#define VMBUS_VERSION_WIN10 VMBUS_VERSION(4, 0)
#define VMBUS_VERSION_WIN10_V4_1 VMBUS_VERSION(4, 1)
#define VMBUS_VERSION_WIN10_V5 VMBUS_VERSION(5, 0)
#define VMBUS_VERSION_WIN10_V5_1 VMBUS_VERSION(5, 1)
#define VMBUS_VERSION_WIN10_V5_2 VMBUS_VERSION(5, 2)
#define VMBUS_VERSION_WIN10_V5_3 VMBUS_VERSION(5, 3)
#define VMBUS_VERSION_WIN10_V6_0 VMBUS_VERSION(6, 0)

/* ---- connection ids (Linux hyperv.h VMBUS_MESSAGE_CONNECTION_ID*) ---- */
#define VMBUS_MESSAGE_CONNECTION_ID 1     /* control messages, < 5.0 */
#define VMBUS_MESSAGE_CONNECTION_ID_4 4   /* INITIATE_CONTACT for >= 5.0 */
#define VMBUS_EVENT_CONNECTION_ID 2       /* pre-Win7 shared event */
#define VMBUS_MESSAGE_SINT 2
#define VMBUS_MAX_RELID 2047              /* relids are 1..2047 */

/* ---- channel message types (Linux hyperv.h enum vmbus_channel_message_type) ---- */
enum vmbus_msg_type {
	VMBUS_MSG_INVALID = 0,
	VMBUS_MSG_OFFERCHANNEL = 1,
	VMBUS_MSG_RESCIND_CHANNELOFFER = 2,
	VMBUS_MSG_REQUESTOFFERS = 3,
	VMBUS_MSG_ALLOFFERS_DELIVERED = 4,
	VMBUS_MSG_OPENCHANNEL = 5,
	VMBUS_MSG_OPENCHANNEL_RESULT = 6,
	VMBUS_MSG_CLOSECHANNEL = 7,
	VMBUS_MSG_GPADL_HEADER = 8,
	VMBUS_MSG_GPADL_BODY = 9,
	VMBUS_MSG_GPADL_CREATED = 10,
	VMBUS_MSG_GPADL_TEARDOWN = 11,
	VMBUS_MSG_GPADL_TORNDOWN = 12,
	VMBUS_MSG_RELID_RELEASED = 13,
	VMBUS_MSG_INITIATE_CONTACT = 14,
	VMBUS_MSG_VERSION_RESPONSE = 15,
	VMBUS_MSG_UNLOAD = 16,
	VMBUS_MSG_UNLOAD_RESPONSE = 17,
	VMBUS_MSG_COUNT = 28, /* types up to 27 exist (OpenVMM vmbus_core protocol.rs) */
};

struct vmbus_msg_header {
	uint32_t type;
	uint32_t padding;
} VMBUS_PACKED;
VMBUS_ASSERT_SIZE(struct vmbus_msg_header, 8);

/* 1: OFFERCHANNEL (H) */
#define VMBUS_OFFER_USER_DEFINED 120
struct vmbus_offer {
	struct vmbus_msg_header hdr;
	struct guid interface_type;   /* class: which device */
	struct guid interface_instance;
	uint64_t reserved1, reserved2;
	uint16_t flags;
	uint16_t mmio_megabytes;
	uint8_t user_defined[VMBUS_OFFER_USER_DEFINED]; /* pipe offers: u32 pipe_mode first */
	uint16_t sub_channel_index;
	uint16_t mmio_megabytes_optional;
	uint32_t child_relid;
	uint8_t monitor_id;
	uint8_t monitor_allocated;    /* b0 */
	uint16_t is_dedicated_interrupt; /* b0, >= 1.1 */
	uint32_t connection_id;       /* >= 1.1: guest -> host signal connection */
} VMBUS_PACKED;
VMBUS_ASSERT_SIZE(struct vmbus_offer, 196);
VMBUS_ASSERT_OFF(struct vmbus_offer, flags, 56);
VMBUS_ASSERT_OFF(struct vmbus_offer, user_defined, 60);
VMBUS_ASSERT_OFF(struct vmbus_offer, sub_channel_index, 180);
VMBUS_ASSERT_OFF(struct vmbus_offer, child_relid, 184);
VMBUS_ASSERT_OFF(struct vmbus_offer, monitor_id, 188);
VMBUS_ASSERT_OFF(struct vmbus_offer, connection_id, 192);
#define VMBUS_OFFER_SIZE_WS2008 190   /* pre-Win7 offers stop before is_dedicated_interrupt */

#define VMBUS_OFFER_FLAG_ENUMERATE 0x0001
#define VMBUS_OFFER_FLAG_NAMED_PIPE 0x0010

/* 2: RESCIND_CHANNELOFFER (H), 7: CLOSECHANNEL (G), 13: RELID_RELEASED (G) */
struct vmbus_relid_msg {
	struct vmbus_msg_header hdr;
	uint32_t child_relid;
} VMBUS_PACKED;
VMBUS_ASSERT_SIZE(struct vmbus_relid_msg, 12);

/* 5: OPENCHANNEL (G) */
struct vmbus_open_channel {
	struct vmbus_msg_header hdr;
	uint32_t child_relid;
	uint32_t open_id;             /* echoed in the result */
	uint32_t ring_gpadl;
	uint32_t target_vp;           /* VP index for host -> guest interrupts */
	uint32_t downstream_ring_offset; /* pages of the guest -> host ring */
	uint8_t user_data[120];
} VMBUS_PACKED;
VMBUS_ASSERT_SIZE(struct vmbus_open_channel, 148);

/* 6: OPENCHANNEL_RESULT (H) */
struct vmbus_open_result {
	struct vmbus_msg_header hdr;
	uint32_t child_relid;
	uint32_t open_id;
	uint32_t status;              /* 0 = success */
} VMBUS_PACKED;
VMBUS_ASSERT_SIZE(struct vmbus_open_result, 20);

/* 8: GPADL_HEADER (G): one range, PFNs follow */
#define VMBUS_GPADL_HEADER_PFNS 26    /* (240 - 28) / 8 */
struct vmbus_gpadl_header {
	struct vmbus_msg_header hdr;
	uint32_t child_relid;
	uint32_t gpadl;
	uint16_t range_buflen;        /* 8 + 8 * total PFNs */
	uint16_t rangecount;          /* 1 */
	uint32_t byte_count;
	uint32_t byte_offset;
	uint64_t pfn[];
} VMBUS_PACKED;
VMBUS_ASSERT_SIZE(struct vmbus_gpadl_header, 28);

/* 9: GPADL_BODY (G): the PFNs that did not fit */
#define VMBUS_GPADL_BODY_PFNS 28      /* (240 - 16) / 8 */
struct vmbus_gpadl_body {
	struct vmbus_msg_header hdr;
	uint32_t msgnumber;
	uint32_t gpadl;
	uint64_t pfn[];
} VMBUS_PACKED;
VMBUS_ASSERT_SIZE(struct vmbus_gpadl_body, 16);

/* 10: GPADL_CREATED (H) */
struct vmbus_gpadl_created {
	struct vmbus_msg_header hdr;
	uint32_t child_relid;
	uint32_t gpadl;
	uint32_t status;              /* 0 = success */
} VMBUS_PACKED;
VMBUS_ASSERT_SIZE(struct vmbus_gpadl_created, 20);

/* 11: GPADL_TEARDOWN (G) */
struct vmbus_gpadl_teardown {
	struct vmbus_msg_header hdr;
	uint32_t child_relid;
	uint32_t gpadl;
} VMBUS_PACKED;
VMBUS_ASSERT_SIZE(struct vmbus_gpadl_teardown, 16);

/* 12: GPADL_TORNDOWN (H) */
struct vmbus_gpadl_torndown {
	struct vmbus_msg_header hdr;
	uint32_t gpadl;
} VMBUS_PACKED;
VMBUS_ASSERT_SIZE(struct vmbus_gpadl_torndown, 12);

/* 14: INITIATE_CONTACT (G) */
struct vmbus_initiate_contact {
	struct vmbus_msg_header hdr;
	uint32_t version;
	uint32_t target_vcpu;
	union {
		uint64_t interrupt_page;  /* < 5.0 (only used < 2.4) */
		struct {
			uint8_t msg_sint; /* >= 5.0 */
			uint8_t msg_vtl;
			uint8_t reserved[2];
			uint32_t feature_flags; /* 6.0 */
		} VMBUS_PACKED;
	};
	uint64_t monitor_page1;       /* parent -> child */
	uint64_t monitor_page2;       /* child -> parent */
} VMBUS_PACKED;
VMBUS_ASSERT_SIZE(struct vmbus_initiate_contact, 40);
VMBUS_ASSERT_OFF(struct vmbus_initiate_contact, msg_sint, 16);

/* 15: VERSION_RESPONSE (H) */
struct vmbus_version_response {
	struct vmbus_msg_header hdr;
	uint8_t version_supported;
	uint8_t connection_state;     /* 0 ok, 1 low resources, 2 unknown failure */
	uint16_t padding;
	uint32_t msg_conn_id;         /* >= 5.0: the connection id for later messages */
} VMBUS_PACKED;
VMBUS_ASSERT_SIZE(struct vmbus_version_response, 16);

/* 3, 4, 16, 17: header only */

/* ---- ring buffers (Linux hyperv.h struct hv_ring_buffer) ---- */
struct vmbus_ring_control {
	volatile uint32_t write_index;   /* owned by the writer */
	volatile uint32_t read_index;    /* owned by the reader */
	volatile uint32_t interrupt_mask;
	volatile uint32_t pending_send_sz;
	uint32_t reserved[12];
	volatile uint32_t feature_bits;  /* b0: pending_send_sz supported */
} VMBUS_PACKED;
VMBUS_ASSERT_OFF(struct vmbus_ring_control, feature_bits, 64);
#define VMBUS_RING_CONTROL_SIZE 4096
#define VMBUS_RING_FEAT_PENDING_SEND_SZ 1u

/* packet descriptor (Linux hyperv.h struct vmpacket_descriptor) */
struct vmbus_packet {
	uint16_t type;
	uint16_t offset8;             /* header length / 8 */
	uint16_t len8;                /* packet length / 8, trailer excluded */
	uint16_t flags;
	uint64_t transaction_id;
} VMBUS_PACKED;
VMBUS_ASSERT_SIZE(struct vmbus_packet, 16);

#define VMBUS_PKT_DATA_INBAND 6
#define VMBUS_PKT_DATA_XFER_PAGES 7   /* ranges of a transfer page set (netvsc receive) */
#define VMBUS_PKT_DATA_GPA_DIRECT 9   /* ranges of guest pages (gpa_direct.c) */
#define VMBUS_PKT_COMPLETION 11
#define VMBUS_PKT_FLAG_COMPLETION_REQUESTED 1
#define VMBUS_PKT_TRAILER 8           /* u64: ring offset the packet started at, << 32 */

/* type 9, between descriptor and payload: this header, then each range
 * (Linux vmbus_packet_mpb_array, OpenVMM GpaDirectHeader) */
struct vmbus_gpa_header {
	uint32_t reserved;
	uint32_t range_count;
} VMBUS_PACKED;
struct vmbus_gpa_range {
	uint32_t byte_count;
	uint32_t byte_offset;         /* into the first page */
	uint64_t pfn[];               /* ceil((byte_offset + byte_count) / 4096) of them */
} VMBUS_PACKED;
VMBUS_ASSERT_SIZE(struct vmbus_gpa_header, 8);
VMBUS_ASSERT_SIZE(struct vmbus_gpa_range, 8);

/* type 7, between descriptor and payload: this header, then range_count ranges of the
 * transfer page set (Linux vmtransfer_page_packet_header, OpenVMM TransferPageHeader) */
struct vmbus_xfer_header {
	uint16_t set_id;              /* netvsc: its receive buffer id */
	uint8_t sender_owns_set;
	uint8_t reserved;
	uint32_t range_count;
} VMBUS_PACKED;
struct vmbus_xfer_range {
	uint32_t byte_count;
	uint32_t byte_offset;         /* into the set */
} VMBUS_PACKED;
VMBUS_ASSERT_SIZE(struct vmbus_xfer_header, 8);
VMBUS_ASSERT_SIZE(struct vmbus_xfer_range, 8);

#endif
