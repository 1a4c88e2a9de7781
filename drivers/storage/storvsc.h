/*
 * The synthetic SCSI controller driver (storvsc): storvsc.c speaks the VSP
 * protocol (initialization, one request in flight, completions matched by
 * request id); scsi.c finds the LUNs and reads them (INQUIRY, READ
 * CAPACITY, READ(10)).  The parsers of host bytes are declared here so
 * that tests/fuzz/fuzz_storvsc.c can reach them.
 */
#ifndef HVPROBE_STORVSC_H
#define HVPROBE_STORVSC_H

#include <stdbool.h>
#include <stdint.h>

#include "drivers/storage/storvsc_regs.h"
#include "drivers/vmbus/vmbus.h"

#define STORVSC_MAX_LUNS 8             /* LUNs examined per controller */
#define STORVSC_IO_PAGES 2             /* the SCSI data buffer: 8 KiB */
#define STORVSC_TIMEOUT_NS 5000000000ull /* Linux waits 5 s for each init step */
/* an SRB may take up to the time_out_value we give it (Linux gives 60 s too): after
 * STORVSC_TIMEOUT_NS a completion is a warning with its time */
#define STORVSC_SRB_LATE_NS 60000000000ull

struct stor_lun {
	uint8_t lun, type;             /* SCSI_TYPE_* */
	char vendor[9], product[17], revision[5];
	uint64_t blocks;
	uint32_t block_len;
	bool no_medium;
};

/* The sense of a failed command and what the host says it moved. */
struct scsi_result {
	uint8_t srb_status, scsi_status;
	uint8_t sense_key, asc, ascq;
	uint32_t moved;                /* data_transfer_length, checked <= asked */
};

struct storvsc {
	struct vmbus_channel *ch;
	uint16_t version;              /* negotiated, 0 before */
	uint32_t pkt_size, srb_len, sense_len;
	struct vstor_channel_properties props;
	uint8_t *io;                   /* STORVSC_IO_PAGES pages for SCSI data */
	/* the one request in flight */
	uint64_t next_id, wait_id;
	bool waiting, done;
	uint32_t resp_len;
	struct vstor_packet resp;
	/* what the host sent besides answers */
	uint64_t packets, completions, unsolicited;
	unsigned findings;
	unsigned tolerated;             /* host habits real guests accept: storage.protocol warns */
	char tolerated_why[96];         /* the first of them */
	unsigned nluns;
	struct stor_lun luns[STORVSC_MAX_LUNS];
};

/* storvsc.c */
extern const struct vmbus_device_ops storvsc_device_ops;
/*
 * Send @p (status, flags and id filled in here) and wait for its
 * completion in s->resp: 0, or -1 with *@why.  @data: the @data_len bytes
 * the host moves (GPA-direct), or NULL.
 */
int storvsc_request(struct storvsc *s, struct vstor_packet *p, void *data, uint32_t data_len,
		    const char **why);
/* One packet from the host (the channel's packet callback; fuzzed). */
void storvsc_on_packet(struct storvsc *s, const struct vmbus_packet *pkt, const uint8_t *payload,
		       uint32_t len);
/* A host protocol error: storage.protocol fails (once per controller). */
void storvsc_finding(struct storvsc *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* scsi.c */
/* The LUN checks: storage.inquiry, storage.capacity, storage.read. */
void storvsc_scan(struct storvsc *s);
/* Validate the SRB of the completion in s->resp for a command that asked @asked bytes. */
/* A host habit real guests accept (printf-style): counted, the first kept for storage.protocol. */
void storvsc_tolerate(struct storvsc *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int scsi_result(struct storvsc *s, uint32_t asked, struct scsi_result *r, const char **why);
/* REPORT LUNS data: up to @max LUN numbers (< 256) into @luns; *@more: entries left out. */
unsigned scsi_parse_report_luns(const uint8_t *d, uint32_t n, uint8_t *luns, unsigned max,
				unsigned *more);
/* Standard INQUIRY data: false when no LUN is present there. */
bool scsi_parse_inquiry(const uint8_t *d, uint32_t n, struct stor_lun *l);
/* READ CAPACITY(10) or (16) data into @l: 0, or -1 with *@why. */
int scsi_parse_capacity(const uint8_t *d, uint32_t n, bool sixteen, struct stor_lun *l,
			const char **why);
/* A primary volume descriptor: 0 with the volume id (trimmed) in @vol, or -1. */
int iso_parse_pvd(const uint8_t *d, uint32_t n, char vol[ISO_VOLUME_ID_LEN + 1], uint32_t *blocks);
/* What the first blocks of a disk look like, one phrase into @buf. */
void scsi_describe_disk(const uint8_t *d, uint32_t n, uint32_t block_len, char *buf, uint32_t size);

#endif
