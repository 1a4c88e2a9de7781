/*
 * hvsim's synthetic SCSI controller (docs/STORAGE-NETWORK.md §1-2), after
 * OpenVMM's storvsp: the initialization state machine (BEGIN, version,
 * properties, END; anything out of order is answered INVALID_DEVICE_STATE),
 * versions up to what the host's VMBus version implies (hvsim's model:
 * 0.13 -> 2.0, 1.1 -> 4.2, 2.4 -> 5.1, 3.0 -> 6.0, 4.0 and later -> 6.2),
 * and a SCSI target on path 0, target 0:
 *   LUN 0  a 1 MiB disk, 512-byte blocks, whose sector 0 says "hvsim disk
 *          LUN 0" and ends in the MBR signature
 *   LUN 1  a DVD of 32 x 2048-byte sectors, sector 16 an ISO 9660 primary
 *          volume descriptor for volume "HVPROBE" (the Gen2 boot DVD)
 *   LUN 2  a 3 TiB disk that reads as zeros: more blocks than READ
 *          CAPACITY(10) can tell, so the guest needs READ CAPACITY(16)
 * Data moves through the one GPA-direct range of each request; answers are
 * completion packets as long as the request (OpenVMM's rule).
 * Quirks: sense_0x14 (sense_info_length 0x14 in every completion, as
 * OpenVMM's storvsp), srb_pending (READ CAPACITY completes PENDING, REPORT
 * LUNS DATA_OVERRUN with the real length), inquiry_error (the DVD's INQUIRY
 * completes ERROR with its data), storvsc_6_0_max (6.2 refused, as OpenVMM),
 * version_echo_zero (the accepted version is not echoed, as Virtuozzo's hv-scsi).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "drivers/storage/storvsc_regs.h"
#include "tools/hvsim/hvsim.h"
#include "tools/hvsim/vmbus/vsp.h"

#define DISK_BLOCKS 2048
#define DISK_BLOCK 512
#define DVD_BLOCKS 32
#define BIG_BLOCKS (3ull << 31) /* 3 TiB of 512-byte blocks */
#define NLUNS 3
#define MAX_TRANSFER 0x40000 /* 256 KiB, as OpenVMM */
#define SUB_CHANNELS 0       /* none offered */
#define BOGUS_ID_XOR 0xdead0000ull

enum state { ST_BEGIN, ST_VERSION, ST_PROPERTIES, ST_END, ST_READY };

struct storvsp {
	enum state state;
	uint16_t version;
	uint64_t requests, srbs, reads, bytes_read, errors, refused_versions;
	bool bogus_sent;
};

struct lun {
	uint8_t type;
	uint32_t block;
	uint64_t blocks;
	const char *product;
	uint8_t *data;                /* NULL: reads as zeros */
};

static struct lun luns[NLUNS];

/* The two media, built once. */
static void media_init(void)
{
	static const char text[] = "hvsim disk LUN 0";
	uint8_t *pvd;

	if (luns[0].data)
		return;
	luns[0] = (struct lun){ 0x00, DISK_BLOCK, DISK_BLOCKS, "Virtual Disk    ",
				calloc(DISK_BLOCKS, DISK_BLOCK) };
	luns[1] = (struct lun){ 0x05, 2048, DVD_BLOCKS, "Virtual DVD-ROM ", calloc(DVD_BLOCKS, 2048) };
	luns[2] = (struct lun){ 0x00, DISK_BLOCK, BIG_BLOCKS, "Virtual Disk    ", NULL };
	if (!luns[0].data || !luns[1].data) {
		fprintf(stderr, "hvsim: storvsp: out of memory\n");
		exit(2);
	}
	memcpy(luns[0].data, text, sizeof(text) - 1);
	luns[0].data[510] = 0x55;
	luns[0].data[511] = 0xaa;
	pvd = luns[1].data + 16 * 2048;
	pvd[0] = 1;
	memcpy(pvd + 1, "CD001", 5);
	pvd[6] = 1;
	memset(pvd + 8, ' ', 64);
	memcpy(pvd + 40, "HVPROBE", 7);
	pvd[80] = DVD_BLOCKS; /* volume space size, both-endian */
	pvd[87] = DVD_BLOCKS;
}

int sim_pages_copy(const uint64_t *pfns, uint32_t npages, uint32_t off, void *buf, uint32_t n,
		   bool to_guest)
{
	uint8_t *b = buf;

	while (n) {
		uint32_t page = off / PAGE_SIZE, in = off % PAGE_SIZE, k = PAGE_SIZE - in;
		uint8_t *p;

		if (page >= npages || pfns[page] > (UINT64_MAX >> 12) ||
		    !(p = sim_gpa(pfns[page] << 12, PAGE_SIZE)))
			return -1;
		if (k > n)
			k = n;
		if (to_guest)
			memcpy(p + in, b, k);
		else
			memcpy(b, p + in, k);
		b += k;
		off += k;
		n -= k;
	}
	return 0;
}

int sim_gpa_range(const struct vmbus_packet *pkt, const uint64_t **pfns, uint32_t *npages,
		  uint32_t *offset, uint32_t *count)
{
	const uint8_t *p = (const uint8_t *)pkt;
	uint32_t hdr = pkt->offset8 * 8u;
	struct vmbus_gpa_header h;
	struct vmbus_gpa_range r;

	if (pkt->type != VMBUS_PKT_DATA_GPA_DIRECT || hdr < 16 + sizeof(h) + sizeof(r))
		return -1;
	memcpy(&h, p + 16, sizeof(h));
	memcpy(&r, p + 16 + sizeof(h), sizeof(r));
	if (h.range_count != 1 || !r.byte_count || r.byte_offset >= PAGE_SIZE)
		return -1;
	*npages = (uint32_t)(((uint64_t)r.byte_offset + r.byte_count + PAGE_SIZE - 1) / PAGE_SIZE);
	if (*npages > (hdr - 16 - sizeof(h) - sizeof(r)) / 8)
		return -1;
	*pfns = (const uint64_t *)(p + 16 + sizeof(h) + sizeof(r)); /* 8-aligned in the copy */
	*offset = r.byte_offset;
	*count = r.byte_count;
	return 0;
}

/* Versions this host accepts: those of its Windows release and older. */
static bool version_ok(uint16_t v)
{
	uint32_t vm = sim_vmbus_cfg.max_version;
	uint16_t max = vm >= VMBUS_VERSION_WIN10	 ? VSTOR_VERSION_WIN10
		       : vm >= VMBUS_VERSION_WIN8_1 ? VSTOR_VERSION_WIN8_1
		       : vm >= VMBUS_VERSION_WIN8   ? VSTOR_VERSION_WIN8
		       : vm >= VMBUS_VERSION_WIN7   ? VSTOR_VERSION_WIN7
						    : VSTOR_VERSION_WIN6;

	if (sim_quirk[QUIRK_STORVSC_6_0_MAX] && max > VSTOR_VERSION_WIN8_1)
		max = VSTOR_VERSION_WIN8_1;
	return v <= max && (v == VSTOR_VERSION_WIN10 || v == VSTOR_VERSION_WIN8_1 ||
			    v == VSTOR_VERSION_WIN8 || v == VSTOR_VERSION_WIN7 || v == VSTOR_VERSION_WIN6);
}

/* A completion of @size bytes (the request's) carrying @p. */
static void complete(struct sim_channel *ch, uint64_t id, struct vstor_packet *p, uint32_t size)
{
	p->operation = VSTOR_OP_COMPLETE_IO;
	p->flags = 0;
	sim_channel_send(ch, VMBUS_PKT_COMPLETION, id, p, size);
}

static void sense(struct vmscsi_request *srb, uint8_t key, uint8_t asc)
{
	memset(srb->sense, 0, sizeof(srb->sense));
	srb->sense[0] = 0x70;
	srb->sense[2] = key;
	srb->sense[7] = 10;
	srb->sense[12] = asc;
	srb->sense_info_length = 18;
	srb->scsi_status = SCSI_STATUS_CHECK_CONDITION;
	srb->srb_status = SRB_STATUS_ERROR | SRB_STATUS_AUTOSENSE_VALID;
	srb->data_transfer_length = 0;
}

/* Run the SCSI command in @srb into @out (up to @max bytes); return bytes to move. */
static uint32_t scsi(struct storvsp *st, struct vmscsi_request *srb, uint8_t *out, uint32_t max)
{
	const uint8_t *cdb = srb->cdb;
	bool here = srb->path_id == 0 && srb->target_id == 0 && srb->lun < NLUNS;
	const struct lun *l = here ? &luns[srb->lun] : NULL;
	uint64_t last;
	uint32_t n = 0, lba, count;

	srb->srb_status = SRB_STATUS_SUCCESS;
	srb->scsi_status = SCSI_STATUS_GOOD;
	srb->sense_info_length = 0;
	if (cdb[0] == SCSI_REPORT_LUNS) {
		memset(out, 0, 8 + 8 * NLUNS);
		out[3] = 8 * NLUNS;
		for (unsigned i = 0; i < NLUNS; i++)
			out[8 + 8 * i + 1] = (uint8_t)i;
		return 8 + 8 * NLUNS;
	}
	if (!l && cdb[0] == SCSI_INQUIRY) {
		memset(out, 0, INQUIRY_STD_LEN);
		out[0] = INQUIRY_NOT_PRESENT;
		return INQUIRY_STD_LEN;
	}
	if (!l) {
		srb->srb_status = SRB_STATUS_INVALID_LUN;
		return 0;
	}
	switch (cdb[0]) {
	case SCSI_TEST_UNIT_READY:
		return 0;
	case SCSI_INQUIRY:
		if ((cdb[1] & 1) || cdb[2]) {
			sense(srb, SENSE_KEY_ILLEGAL_REQUEST, 0x24);
			return 0;
		}
		memset(out, 0, INQUIRY_STD_LEN);
		out[0] = l->type;
		out[1] = l->type == 0x05 ? 0x80 : 0; /* removable */
		out[2] = 5;
		out[3] = 2;
		out[4] = INQUIRY_STD_LEN - 5;
		memcpy(out + 8, "Msft    ", 8);
		memcpy(out + 16, l->product, 16);
		memcpy(out + 32, "1.0 ", 4);
		n = cdb[4] < INQUIRY_STD_LEN ? cdb[4] : INQUIRY_STD_LEN;
		return n;
	case SCSI_READ_CAPACITY10: /* past 2^32 blocks the last LBA reads 0xffffffff */
		last = l->blocks - 1 > 0xffffffffu ? 0xffffffffu : l->blocks - 1;
		memset(out, 0, 8);
		for (int i = 0; i < 4; i++)
			out[i] = (uint8_t)(last >> (24 - 8 * i));
		out[6] = (uint8_t)(l->block >> 8);
		out[7] = (uint8_t)l->block;
		return 8;
	case SCSI_SERVICE_ACTION_IN16:
		if ((cdb[1] & 0x1f) != SCSI_SA_READ_CAPACITY16) {
			sense(srb, SENSE_KEY_ILLEGAL_REQUEST, 0x24);
			return 0;
		}
		memset(out, 0, 32);
		for (int i = 0; i < 8; i++)
			out[i] = (uint8_t)((l->blocks - 1) >> (56 - 8 * i));
		out[10] = (uint8_t)(l->block >> 8);
		out[11] = (uint8_t)l->block;
		n = (uint32_t)cdb[10] << 24 | (uint32_t)cdb[11] << 16 | (uint32_t)cdb[12] << 8 | cdb[13];
		return n < 32 ? n : 32;
	case SCSI_READ10:
		lba = (uint32_t)cdb[2] << 24 | (uint32_t)cdb[3] << 16 | (uint32_t)cdb[4] << 8 | cdb[5];
		count = (uint32_t)cdb[7] << 8 | cdb[8];
		if ((uint64_t)lba + count > l->blocks) {
			sense(srb, SENSE_KEY_ILLEGAL_REQUEST, 0x21);
			return 0;
		}
		n = count * l->block;
		if (n > max) {
			srb->srb_status = 0x06; /* INVALID_REQUEST: the buffer is smaller than the read */
			return 0;
		}
		if (l->data)
			memcpy(out, l->data + (uint64_t)lba * l->block, n);
		else
			memset(out, 0, n);
		st->reads++;
		st->bytes_read += n;
		return n;
	default:
		sense(srb, SENSE_KEY_ILLEGAL_REQUEST, 0x20); /* invalid command operation code */
		return 0;
	}
}

/* The completion's quirks (quirks.def) for command @op, which moved @n bytes. */
static void quirks(struct vmscsi_request *srb, uint8_t op, uint32_t n)
{
	bool ok = SRB_STATUS(srb->srb_status) == SRB_STATUS_SUCCESS;

	if (sim_quirk[QUIRK_SENSE_0X14]) { /* OpenVMM: 0x14 whatever the version or outcome */
		if (!srb->sense_info_length)
			memset(srb->sense, 0, sizeof(srb->sense)); /* the CDB shared the space */
		srb->sense_info_length = VSTOR_SENSE_MAX;
	}
	if (!ok)
		return;
	if (sim_quirk[QUIRK_SRB_PENDING] && (op == SCSI_READ_CAPACITY10 || op == SCSI_SERVICE_ACTION_IN16))
		srb->srb_status = SRB_STATUS_PENDING;
	if (sim_quirk[QUIRK_SRB_PENDING] && op == SCSI_REPORT_LUNS)
		srb->srb_status = SRB_STATUS_DATA_OVERRUN; /* fewer bytes than asked: n is kept */
	if (sim_quirk[QUIRK_INQUIRY_ERROR] && op == SCSI_INQUIRY && srb->lun == 1 && n)
		srb->srb_status = SRB_STATUS_ERROR;
}

/* EXECUTE_SRB: the command, its data into the guest's range, the completion. */
static void execute(struct sim_channel *ch, struct storvsp *st, const struct vmbus_packet *pkt,
		    struct vstor_packet *p, uint32_t size)
{
	static uint8_t data[MAX_TRANSFER];
	const uint64_t *pfns = NULL;
	uint32_t npages = 0, off = 0, count = 0, max, n;
	struct vmscsi_request *srb = &p->srb;
	uint8_t op = srb->cdb[0];
	bool read10 = op == SCSI_READ10;

	st->srbs++;
	if (srb->data_transfer_length &&
	    (sim_gpa_range(pkt, &pfns, &npages, &off, &count) || count < srb->data_transfer_length)) {
		sim_vmbus_guest_error("storvsp: an SRB for %u bytes without one GPA range that holds them",
				      srb->data_transfer_length);
		st->errors++;
		srb->srb_status = 0x06; /* INVALID_REQUEST */
		srb->data_transfer_length = 0;
		p->status = VSTOR_STATUS_SUCCESS;
		complete(ch, pkt->transaction_id, p, size);
		return;
	}
	max = srb->data_transfer_length < MAX_TRANSFER ? srb->data_transfer_length : MAX_TRANSFER;
	n = scsi(st, srb, data, max);
	if (n > max)
		n = max;
	if (n && sim_pages_copy(pfns, npages, off, data, n, true)) {
		sim_vmbus_guest_error("storvsp: the SRB's range leaves guest RAM");
		st->errors++;
		n = 0;
	}
	srb->data_transfer_length = n;
	quirks(srb, op, n);
	if (read10 && srb->srb_status == SRB_STATUS_SUCCESS && sim_mb_fire(MB_STORAGE_OVERLONG_TRANSFER))
		srb->data_transfer_length = n + 512;
	/* the vstor status follows the SRB's (OpenVMM: IO_DEVICE_ERROR for failures) */
	p->status = SRB_STATUS(srb->srb_status) == SRB_STATUS_SUCCESS ||
				    SRB_STATUS(srb->srb_status) == SRB_STATUS_PENDING
			    ? VSTOR_STATUS_SUCCESS
			    : 0xc0000185u;
	if (read10 && !st->bogus_sent && sim_mb_fire(MB_STORAGE_UNKNOWN_ID)) {
		st->bogus_sent = true;
		fprintf(stderr, "hvsim: storvsp: misbehaving: a completion for request id 0x%llx first\n",
			(unsigned long long)(pkt->transaction_id ^ BOGUS_ID_XOR));
		complete(ch, pkt->transaction_id ^ BOGUS_ID_XOR, p, size);
	}
	complete(ch, pkt->transaction_id, p, size);
}

void sim_storvsp_packet(struct sim_channel *ch, const struct vmbus_packet *pkt, const void *payload,
			uint32_t len)
{
	struct storvsp *st = ch->priv;
	struct vstor_packet p;
	uint32_t size;
	enum state want;

	if (!st)
		return;
	if (!(pkt->flags & VMBUS_PKT_FLAG_COMPLETION_REQUESTED) || pkt->type == VMBUS_PKT_COMPLETION ||
	    len < 12) {
		sim_vmbus_guest_error("storvsp: packet type %u flags %u of %u bytes: not a request (ignored)",
				      pkt->type, pkt->flags, len);
		st->errors++;
		return;
	}
	st->requests++;
	size = len < VSTOR_PACKET_WIN8 ? len : VSTOR_PACKET_WIN8;
	memset(&p, 0, sizeof(p));
	memcpy(&p, payload, size);
	want = p.operation == VSTOR_OP_BEGIN_INITIALIZATION	 ? ST_BEGIN
	       : p.operation == VSTOR_OP_QUERY_PROTOCOL_VERSION ? ST_VERSION
	       : p.operation == VSTOR_OP_QUERY_PROPERTIES	 ? ST_PROPERTIES
	       : p.operation == VSTOR_OP_END_INITIALIZATION	 ? ST_END
								 : ST_READY;
	if (want != st->state || (p.operation != VSTOR_OP_EXECUTE_SRB && want == ST_READY)) {
		sim_vmbus_guest_error("storvsp: operation %u in state %u: INVALID_DEVICE_STATE", p.operation,
				      st->state);
		st->errors++;
		p.status = VSTOR_STATUS_INVALID_DEVICE_STATE;
		complete(ch, pkt->transaction_id, &p, size);
		return;
	}
	p.status = VSTOR_STATUS_SUCCESS;
	switch (p.operation) {
	case VSTOR_OP_BEGIN_INITIALIZATION:
		st->state = ST_VERSION;
		break;
	case VSTOR_OP_QUERY_PROTOCOL_VERSION:
		if (!version_ok(p.version.major_minor)) {
			st->refused_versions++;
			p.status = VSTOR_STATUS_REVISION_MISMATCH;
			break;
		}
		st->version = p.version.major_minor;
		st->state = ST_PROPERTIES;
		if (sim_quirk[QUIRK_VERSION_ECHO_ZERO]) /* Virtuozzo hv-scsi: a zeroed answer */
			p.version.major_minor = 0;
		break;
	case VSTOR_OP_QUERY_PROPERTIES:
		memset(&p.properties, 0, sizeof(p.properties));
		p.properties.max_transfer_bytes = MAX_TRANSFER;
		p.properties.max_channel_count = SUB_CHANNELS;
		p.properties.flags = st->version >= VSTOR_VERSION_WIN8 ? VSTOR_PROPERTY_MULTI_CHANNEL : 0;
		st->state = ST_END;
		break;
	case VSTOR_OP_END_INITIALIZATION:
		st->state = ST_READY;
		break;
	default:
		execute(ch, st, pkt, &p, size);
		return;
	}
	complete(ch, pkt->transaction_id, &p, size);
}

void sim_storvsp_open(struct sim_channel *ch)
{
	media_init();
	free(ch->priv);
	ch->priv = calloc(1, sizeof(struct storvsp));
}

void sim_storvsp_close(struct sim_channel *ch)
{
	struct storvsp *st = ch->priv;

	if (st && st->state != ST_READY)
		fprintf(stderr, "hvsim: storvsp: channel %u closed before END_INITIALIZATION\n", ch->relid);
}

void sim_storvsp_report(const struct sim_channel *ch)
{
	const struct storvsp *st = ch->priv;

	if (!st)
		return;
	fprintf(stderr, "hvsim: storvsp: channel %u: protocol %u.%u (%llu refused), %llu requests, %llu SRBs, %llu reads of %llu bytes, %llu guest errors\n",
		ch->relid, st->version >> 8, st->version & 0xff, (unsigned long long)st->refused_versions,
		(unsigned long long)st->requests, (unsigned long long)st->srbs,
		(unsigned long long)st->reads, (unsigned long long)st->bytes_read,
		(unsigned long long)st->errors);
}
