/*
 * NVSP, the network VSP protocol (docs/STORAGE-NETWORK.md §3; checked
 * against Linux drivers/net/hyperv/hyperv_net.h + netvsc.c, OpenVMM
 * netvsp/src/protocol.rs and iPXE drivers/net/netvsc.h).  Every message is
 * a u32 type and its body in one VMBus packet: requests in band,
 * answers as completions; received data comes in transfer-page packets
 * (type 7) whose ranges point into the guest's receive buffer.
 */
#ifndef HVPROBE_NETVSC_REGS_H
#define HVPROBE_NETVSC_REGS_H

#include <stdint.h>

#include "drivers/vmbus/vmbus_regs.h"

/* ---- versions: u32 (major << 16) | minor, newest first ---- */
#define NVSP_VERSION_61 0x00060001u
#define NVSP_VERSION_6 0x00060000u
#define NVSP_VERSION_5 0x00050000u
#define NVSP_VERSION_4 0x00040000u
#define NVSP_VERSION_2 0x00030002u
#define NVSP_VERSION_1 0x00000002u  /* "0.2" (sic) */

/* NDIS version sent after INIT: 6.1 up to NVSP 4, 6.30 after (Linux) */
#define NDIS_VERSION_6_1 0x00060001u
#define NDIS_VERSION_6_30 0x0006001eu

/* message types */
enum nvsp_msg_type {
	NVSP_MSG_INIT = 1,
	NVSP_MSG_INIT_COMPLETE = 2,
	NVSP_MSG1_SEND_NDIS_VERSION = 100,
	NVSP_MSG1_SEND_RECV_BUF = 101,
	NVSP_MSG1_SEND_RECV_BUF_COMPLETE = 102,
	NVSP_MSG1_REVOKE_RECV_BUF = 103,
	NVSP_MSG1_SEND_SEND_BUF = 104,
	NVSP_MSG1_SEND_SEND_BUF_COMPLETE = 105,
	NVSP_MSG1_REVOKE_SEND_BUF = 106,
	NVSP_MSG1_SEND_RNDIS_PKT = 107,
	NVSP_MSG1_SEND_RNDIS_PKT_COMPLETE = 108,
	NVSP_MSG2_SEND_NDIS_CONFIG = 125,
	NVSP_MSG4_SEND_VF_ASSOCIATION = 128,
	NVSP_MSG4_SWITCH_DATA_PATH = 129,
	NVSP_MSG5_SEND_INDIRECTION_TABLE = 134,
};

/* status */
#define NVSP_STAT_NONE 0
#define NVSP_STAT_SUCCESS 1
#define NVSP_STAT_FAIL 2

/* the messages a guest sends are padded to this (Linux's sizeof(struct nvsp_message)) */
#define NVSP_MSG_SIZE 40             /* 0x28, NVSP 6.1; 0x1c before */
#define NVSP_MSG_SIZE_V1 28

struct nvsp_init {                   /* NVSP_MSG_INIT */
	uint32_t type;
	uint32_t min_version, max_version; /* the same version: one at a time */
} VMBUS_PACKED;

struct nvsp_init_complete {          /* NVSP_MSG_INIT_COMPLETE */
	uint32_t type;
	uint32_t negotiated_version;  /* deprecated: OpenVMM sends 0xffffffff from v2 on */
	uint32_t max_mdl_chain_length;
	uint32_t status;
} VMBUS_PACKED;
_Static_assert(sizeof(struct nvsp_init_complete) == 16, "INIT_COMPLETE is 16 bytes");

struct nvsp_ndis_version {           /* NVSP_MSG1_SEND_NDIS_VERSION */
	uint32_t type;
	uint32_t major, minor;
} VMBUS_PACKED;

struct nvsp_ndis_config {            /* NVSP_MSG2_SEND_NDIS_CONFIG (v2 and later) */
	uint32_t type;
	uint32_t mtu;                 /* with the 14-byte Ethernet header: 1514 */
	uint32_t reserved;
	uint64_t capabilities;        /* b0 vmq, b1 chimney, b2 sriov, b3 802.1q, ... */
} VMBUS_PACKED;
_Static_assert(sizeof(struct nvsp_ndis_config) == 20, "NDIS_CONFIG is 20 bytes");
#define NVSP_CAP_IEEE8021Q (1ull << 3)

struct nvsp_send_buf {               /* NVSP_MSG1_SEND_RECV_BUF / SEND_SEND_BUF */
	uint32_t type;
	uint32_t gpadl;
	uint16_t id;                  /* receive buffer: the transfer page set id */
	uint16_t reserved;
} VMBUS_PACKED;

struct nvsp_recv_buf_section {
	uint32_t offset;
	uint32_t sub_alloc_size;
	uint32_t num_sub_allocs;
	uint32_t end_offset;
} VMBUS_PACKED;

struct nvsp_recv_buf_complete {      /* NVSP_MSG1_SEND_RECV_BUF_COMPLETE */
	uint32_t type;
	uint32_t status;
	uint32_t num_sections;        /* 1: no host has sent more */
	struct nvsp_recv_buf_section section;
} VMBUS_PACKED;
_Static_assert(sizeof(struct nvsp_recv_buf_complete) == 28, "RECV_BUF_COMPLETE is 28 bytes");

struct nvsp_send_buf_complete {      /* NVSP_MSG1_SEND_SEND_BUF_COMPLETE */
	uint32_t type;
	uint32_t status;
	uint32_t section_size;        /* the host chooses it: 6144 (OpenVMM) */
} VMBUS_PACKED;

struct nvsp_revoke_buf {             /* NVSP_MSG1_REVOKE_RECV_BUF / REVOKE_SEND_BUF */
	uint32_t type;
	uint16_t id;
} VMBUS_PACKED;

struct nvsp_rndis_pkt {              /* NVSP_MSG1_SEND_RNDIS_PKT, both directions */
	uint32_t type;
	uint32_t channel_type;        /* NVSP_CHANNEL_* */
	uint32_t section_index;       /* into the send buffer, or NVSP_NO_SECTION */
	uint32_t section_size;
} VMBUS_PACKED;
_Static_assert(sizeof(struct nvsp_rndis_pkt) == 16, "SEND_RNDIS_PKT is 16 bytes");
#define NVSP_CHANNEL_DATA 0
#define NVSP_CHANNEL_CONTROL 1
#define NVSP_NO_SECTION 0xffffffffu

struct nvsp_rndis_pkt_complete {     /* NVSP_MSG1_SEND_RNDIS_PKT_COMPLETE, both directions */
	uint32_t type;
	uint32_t status;
} VMBUS_PACKED;

#endif
