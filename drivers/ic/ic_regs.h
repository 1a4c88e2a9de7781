/*
 * Integration-service framing and payloads (Linux include/linux/hyperv.h icmsg_hdr,
 * checked against Linux include/linux/hyperv.h, OpenVMM hyperv_ic_protocol
 * and FreeBSD vmbus_icreg.h).  Every IC packet is a DATA_INBAND packet whose
 * payload is a pipe header, an IC message header, then the service data.
 */
#ifndef HVPROBE_IC_REGS_H
#define HVPROBE_IC_REGS_H

#include <stdint.h>

#define IC_PACKED __attribute__((packed))

/* pipe header (message-mode pipe offers) */
struct ic_pipe_header {
	uint32_t flags;        /* 1 = DATA */
	uint32_t msgsize;      /* bytes after this header */
} IC_PACKED;
_Static_assert(sizeof(struct ic_pipe_header) == 8, "pipe header is 8 bytes");
#define IC_PIPE_DATA 1

struct ic_version {
	uint16_t major, minor; /* two u16s, major first (not a u32!) */
} IC_PACKED;
_Static_assert(sizeof(struct ic_version) == 4, "IC version is 4 bytes");

struct ic_msg_header {
	struct ic_version framework;
	uint16_t msgtype;
	struct ic_version service;
	uint16_t msgsize;      /* bytes of service data after this header */
	uint32_t status;       /* HRESULT, set by the responder */
	uint8_t transaction_id;
	uint8_t flags;
	uint8_t reserved[2];
} IC_PACKED;
_Static_assert(sizeof(struct ic_msg_header) == 20, "IC message header is 20 bytes");

#define IC_HEADERS (sizeof(struct ic_pipe_header) + sizeof(struct ic_msg_header)) /* 28 */

/* icmsgtype */
#define IC_MSG_NEGOTIATE 0
#define IC_MSG_HEARTBEAT 1
#define IC_MSG_KVP 2
#define IC_MSG_SHUTDOWN 3
#define IC_MSG_TIMESYNC 4
#define IC_MSG_VSS 5
#define IC_MSG_FCOPY 7

/* icflags */
#define IC_FLAG_TRANSACTION 0x01
#define IC_FLAG_REQUEST 0x02
#define IC_FLAG_RESPONSE 0x04

/* HRESULTs */
#define IC_S_OK 0x00000000u
#define IC_E_FAIL 0x80004005u
#define IC_ERROR_NO_MORE_ITEMS 0x80070103u
#define IC_E_NOT_SUPPORTED 0x80070032u
#define IC_E_INVALIDARG 0x80070057u

/* NEGOTIATE data: counts, then framework versions, then service versions */
struct ic_negotiate {
	uint16_t framework_count;
	uint16_t service_count;
	uint32_t reserved;
	struct ic_version versions[];
} IC_PACKED;
_Static_assert(sizeof(struct ic_negotiate) == 8, "negotiate header is 8 bytes");

/* HEARTBEAT data */
struct ic_heartbeat {
	uint64_t sequence;
	uint32_t reserved[8];
} IC_PACKED;
#define IC_HEARTBEAT_MIN 8     /* only the sequence is required (Linux) */

/* SHUTDOWN data */
#define IC_SHUTDOWN_MESSAGE 2048
struct ic_shutdown {
	uint32_t reason_code;
	uint32_t timeout_seconds;
	uint32_t flags;
	uint8_t display_message[IC_SHUTDOWN_MESSAGE];
} IC_PACKED;
#define IC_SHUTDOWN_MIN 12
#define IC_SHUTDOWN_FORCE 0x1
#define IC_SHUTDOWN_RESTART 0x2
#define IC_SHUTDOWN_HIBERNATE 0x4

/* TIMESYNC data, versions 1.0 and 3.0 */
struct ic_timesync_v1 {
	uint64_t parent_time;   /* UTC, 100 ns since 1601-01-01 */
	uint64_t child_time;
	uint64_t round_trip_time;
	uint8_t flags;
} IC_PACKED;
_Static_assert(sizeof(struct ic_timesync_v1) == 25, "timesync 1.0/3.0 data is 25 bytes");

/* TIMESYNC data, version 4.0 */
struct ic_timesync_v4 {
	uint64_t parent_time;
	uint64_t vm_reference_time; /* our reference time when parent_time was taken */
	uint8_t flags;
	uint8_t leap_indicator;
	uint8_t stratum;
} IC_PACKED;
_Static_assert(sizeof(struct ic_timesync_v4) == 19, "timesync 4.0 data is 19 bytes (+ reserved)");

#define IC_TIMESYNC_PROBE 0
#define IC_TIMESYNC_SYNC 0x1
#define IC_TIMESYNC_SAMPLE 0x2

/* 100 ns intervals between 1601-01-01 and 1970-01-01 */
#define IC_EPOCH_1601_TO_1970 116444736000000000ull

#endif
