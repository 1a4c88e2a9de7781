/*
 * RNDIS 1.0 messages as netvsc carries them (docs/STORAGE-NETWORK.md §4;
 * checked against Linux include/linux/rndis.h + drivers/net/hyperv/
 * rndis_filter.c, OpenVMM netvsp/src/rndisprot.rs and iPXE
 * include/ipxe/rndis.h).  Each message starts with u32 type and u32 total
 * length; "offset" fields count from the byte after those two (the
 * request id), except where noted.
 */
#ifndef HVPROBE_RNDIS_REGS_H
#define HVPROBE_RNDIS_REGS_H

#include <stdint.h>

#include "drivers/vmbus/vmbus_regs.h"

/* message types */
#define RNDIS_PACKET_MSG 0x00000001u
#define RNDIS_INITIALIZE_MSG 0x00000002u
#define RNDIS_HALT_MSG 0x00000003u
#define RNDIS_QUERY_MSG 0x00000004u
#define RNDIS_SET_MSG 0x00000005u
#define RNDIS_RESET_MSG 0x00000006u
#define RNDIS_INDICATE_STATUS_MSG 0x00000007u
#define RNDIS_KEEPALIVE_MSG 0x00000008u
#define RNDIS_COMPLETION 0x80000000u /* | request type: its completion */
#define RNDIS_INITIALIZE_CMPLT (RNDIS_COMPLETION | RNDIS_INITIALIZE_MSG)
#define RNDIS_QUERY_CMPLT (RNDIS_COMPLETION | RNDIS_QUERY_MSG)
#define RNDIS_SET_CMPLT (RNDIS_COMPLETION | RNDIS_SET_MSG)
#define RNDIS_RESET_CMPLT (RNDIS_COMPLETION | RNDIS_RESET_MSG)
#define RNDIS_KEEPALIVE_CMPLT (RNDIS_COMPLETION | RNDIS_KEEPALIVE_MSG)

/* status (NDIS_STATUS) */
#define RNDIS_STATUS_SUCCESS 0x00000000u
#define RNDIS_STATUS_MEDIA_CONNECT 0x4001000bu
#define RNDIS_STATUS_MEDIA_DISCONNECT 0x4001000cu
#define RNDIS_STATUS_LINK_SPEED_CHANGE 0x40010013u
#define RNDIS_STATUS_NOT_SUPPORTED 0xc00000bbu

#define RNDIS_MAJOR_VERSION 1
#define RNDIS_MINOR_VERSION 0
#define RNDIS_MAX_XFER 0x4000        /* Linux's max_xfer_size */
#define RNDIS_MEDIUM_802_3 0

/* OIDs */
#define OID_GEN_MAXIMUM_FRAME_SIZE 0x00010106u  /* u32: the MTU, without the Ethernet header */
#define OID_GEN_CURRENT_PACKET_FILTER 0x0001010eu /* u32 NDIS_PACKET_TYPE_* */
#define OID_GEN_MEDIA_CONNECT_STATUS 0x00010114u  /* u32: 0 connected, 1 disconnected */
#define OID_802_3_PERMANENT_ADDRESS 0x01010101u  /* 6 bytes */
#define NDIS_MEDIA_CONNECTED 0
#define NDIS_MEDIA_DISCONNECTED 1
#define NDIS_PACKET_TYPE_DIRECTED 0x01u
#define NDIS_PACKET_TYPE_ALL_MULTICAST 0x04u
#define NDIS_PACKET_TYPE_BROADCAST 0x08u

struct rndis_header {
	uint32_t type;
	uint32_t len;                 /* of the whole message */
} VMBUS_PACKED;

struct rndis_initialize {            /* RNDIS_INITIALIZE_MSG */
	struct rndis_header h;
	uint32_t request_id;
	uint32_t major, minor;
	uint32_t max_xfer_size;
} VMBUS_PACKED;
_Static_assert(sizeof(struct rndis_initialize) == 24, "INITIALIZE is 24 bytes");

struct rndis_initialize_cmplt {      /* RNDIS_INITIALIZE_CMPLT */
	struct rndis_header h;
	uint32_t request_id;
	uint32_t status;
	uint32_t major, minor;
	uint32_t device_flags;
	uint32_t medium;
	uint32_t max_pkt_per_msg;
	uint32_t max_xfer_size;
	uint32_t pkt_alignment_factor; /* log2 of the alignment */
	uint32_t af_list_offset, af_list_size;
} VMBUS_PACKED;
_Static_assert(sizeof(struct rndis_initialize_cmplt) == 52, "INITIALIZE_CMPLT is 52 bytes");

struct rndis_query {                 /* RNDIS_QUERY_MSG and RNDIS_SET_MSG (+ the value) */
	struct rndis_header h;
	uint32_t request_id;
	uint32_t oid;
	uint32_t info_len;
	uint32_t info_offset;         /* from request_id */
	uint32_t device_vc_handle;
} VMBUS_PACKED;
_Static_assert(sizeof(struct rndis_query) == 28, "QUERY is 28 bytes");

struct rndis_query_cmplt {           /* RNDIS_QUERY_CMPLT */
	struct rndis_header h;
	uint32_t request_id;
	uint32_t status;
	uint32_t info_len;
	uint32_t info_offset;         /* from request_id */
} VMBUS_PACKED;
_Static_assert(sizeof(struct rndis_query_cmplt) == 24, "QUERY_CMPLT is 24 bytes");

struct rndis_simple_cmplt {          /* RNDIS_SET_CMPLT, RESET and KEEPALIVE completions */
	struct rndis_header h;
	uint32_t request_id;
	uint32_t status;
} VMBUS_PACKED;

struct rndis_indicate_status {       /* RNDIS_INDICATE_STATUS_MSG */
	struct rndis_header h;
	uint32_t status;
	uint32_t buf_len;
	uint32_t buf_offset;          /* from status */
} VMBUS_PACKED;

struct rndis_packet {                /* RNDIS_PACKET_MSG */
	struct rndis_header h;
	uint32_t data_offset;         /* from data_offset itself (byte 8) */
	uint32_t data_len;
	uint32_t oob_offset, oob_len, num_oob;
	uint32_t ppi_offset, ppi_len; /* per-packet information */
	uint32_t vc_handle, reserved;
} VMBUS_PACKED;
_Static_assert(sizeof(struct rndis_packet) == 44, "PACKET is 44 bytes");

#define RNDIS_OFFSET_BASE 8          /* offsets count from here */

/* Ethernet and ARP (IEEE 802.3, RFC 826, RFC 5227), for the frame netvsc sends */
#define ETH_ALEN 6
#define ETH_HLEN 14
#define ETH_MIN_FRAME 60             /* without the FCS */
#define ETH_TYPE_ARP 0x0806
#define ETH_TYPE_IPV4 0x0800

#endif
