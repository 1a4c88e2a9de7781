/*
 * The synthetic network adapter driver (netvsc): netvsc.c speaks NVSP
 * (version, NDIS version, receive and send buffers as GPADLs, completions
 * matched by transaction id, received transfer pages); rndis.c speaks
 * RNDIS over it (initialize, queries, packet filter, one frame sent, frames
 * counted, link indications).  The parsers of host bytes are declared here
 * so that tests/fuzz/fuzz_netvsc.c can reach them.
 */
#ifndef HVPROBE_NETVSC_H
#define HVPROBE_NETVSC_H

#include <stdbool.h>
#include <stdint.h>

#include "drivers/net/netvsc_regs.h"
#include "drivers/net/rndis_regs.h"
#include "drivers/vmbus/vmbus.h"

#define NETVSC_RX_PAGES 16             /* 64 KiB receive buffer (iPXE's size) */
#define NETVSC_TX_PAGES 16             /* 64 KiB send buffer */
#define NETVSC_RX_ID 0xcafe            /* the receive buffer's page set id (Linux's) */
#define NETVSC_TX_ID 0
#define NETVSC_TIMEOUT_NS 5000000000ull  /* Linux negotiate_nvsp_ver waits 5 s for INIT */
/* after INIT Linux waits without a limit (netvsc_init_buf, rndis_filter_query_device):
 * an answer up to this late is a warning with its time, later a failure */
#define NETVSC_LATE_NS 30000000000ull
#define NETVSC_MAX_PENDING 8           /* NVSP transactions in flight */
#define NETVSC_FRAME_MAX RNDIS_MAX_XFER /* the largest RNDIS message we told the host we take */
#define RNDIS_REPLY_MAX 256
#define LINK_UNKNOWN (-1)

struct nvsp_pending {
	uint64_t id;
	bool used, done;
	uint32_t len;
	uint8_t msg[NVSP_MSG_SIZE];        /* the completion's first bytes */
};

struct netvsc {
	struct vmbus_channel *ch;
	uint32_t nvsp_version, ndis_version;
	uint8_t *rx, *tx, *ctl;            /* receive, send buffers; a page for RNDIS requests */
	uint32_t rx_gpadl, tx_gpadl;
	uint32_t rx_section_size, rx_sections, tx_section_size;
	bool buffers_sent;
	uint64_t next_id;
	struct nvsp_pending pending[NETVSC_MAX_PENDING];
	/* the RNDIS control request in flight */
	uint32_t rndis_id, rndis_expect, rndis_len;
	bool rndis_waiting, rndis_done;
	const char *rndis_error;           /* its reply was malformed: why */
	uint8_t rndis_reply[RNDIS_REPLY_MAX];
	/* what the host told */
	bool rndis_up, mac_ok;
	uint8_t mac[ETH_ALEN];
	uint32_t mtu;
	int link;                          /* NDIS_MEDIA_*, LINK_UNKNOWN */
	char link_why[96];                 /* the link or MTU query failed: why */
	unsigned link_changes, indications;
	unsigned pre_fe_status;            /* status buffers beyond msg_len, inside the range */
	unsigned late;                     /* answers after NETVSC_TIMEOUT_NS */
	uint64_t late_max_ns;
	unsigned unknown_rndis;            /* RNDIS messages of a type Linux leaves unhandled */
	uint32_t unknown_type;             /* the first one's type */
	/* received */
	uint64_t frames, frame_bytes, xfer_packets;
	char first_frame[64];
	unsigned findings, rx_findings;
	char rx_error[96];
};

/* netvsc.c */
extern const struct vmbus_device_ops netvsc_device_ops;
/* One packet from the host (the channel's packet callback; fuzzed). */
void netvsc_on_packet(struct netvsc *n, const struct vmbus_packet *pkt, const uint8_t *payload,
		      uint32_t len);
/* A host protocol error: net.protocol fails (once per adapter). */
void netvsc_finding(struct netvsc *n, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Reserve an NVSP transaction; its index, or -1 when all are in flight. */
int nvsp_reserve(struct netvsc *n);
/* An answer that took @ns, past NETVSC_TIMEOUT_NS: net.protocol warns with the longest. */
void netvsc_late(struct netvsc *n, uint64_t ns);
/* Wait for transaction @slot's completion (loop_wait); false on timeout or a lost channel. */
bool nvsp_wait(struct netvsc *n, int slot, const char **why);

/* rndis.c */
/* RNDIS initialize, queries, filter, one frame sent: net.rndis, net.mac, net.send. */
void rndis_start(struct netvsc *n);
/* One RNDIS message from the receive buffer (@len bytes, the range's), on @channel (fuzzed). */
int rndis_receive(struct netvsc *n, const uint8_t *msg, uint32_t len, uint32_t channel);
/* The end-of-run checks: net.link, net.receive. */
void rndis_report(struct netvsc *n);

#endif
