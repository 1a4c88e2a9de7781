/*
 * The LUNs behind a storvsc controller (docs/STORAGE-NETWORK.md §2): REPORT
 * LUNS (INQUIRY of LUNs 0-7 when the host refuses it), INQUIRY, READ
 * CAPACITY(10) and (16) when a disk outgrows it, then a READ(10) of the
 * first blocks of a disk, or of sector 16 of a DVD: the ISO 9660 primary
 * volume descriptor.  Data moves by GPA-direct into the controller's
 * buffer, which is zeroed first; only the bytes the host says it moved
 * (never more than asked) are looked at.
 */
#include "drivers/storage/storvsc.h"

#include <stdarg.h>

#include "lib/fmt.h"
#include "lib/report.h"
#include "lib/str.h"

#define PROBE_LUNS 8          /* without REPORT LUNS: LUNs 0-7 */
#define REPORT_LUNS_BYTES (8 + 8 * 32)
#define DISK_READ_BYTES 4096  /* the first blocks of a disk */
#define MIN_BLOCK 512
#define MAX_BLOCK 4096
#define TIMEOUT_S 60          /* srb time_out_value, as Linux */

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* @n bytes of an ASCII field: printable only, trailing spaces dropped. */
static void copy_text(char *dst, const uint8_t *src, uint32_t n)
{
	uint32_t len = 0;

	for (uint32_t i = 0; i < n; i++)
		dst[len++] = src[i] >= 0x20 && src[i] < 0x7f ? (char)src[i] : '?';
	while (len && dst[len - 1] == ' ')
		len--;
	dst[len] = '\0';
}

/* "1 MiB" for @bytes (rounded down). */
static void add_size(struct fmt_buf *t, uint64_t bytes)
{
	static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB", "PiB" };
	unsigned u = 0;

	while (bytes >= 1024 && u + 1 < ARRAY_SIZE(units)) {
		bytes /= 1024;
		u++;
	}
	fmt_add(t, "%llu %s", (unsigned long long)bytes, units[u]);
}

int scsi_result(struct storvsc *s, uint32_t asked, struct scsi_result *r, const char **why)
{
	static char reason[96];
	const struct vmscsi_request *srb = &s->resp.srb;
	const uint8_t *sense = srb->sense;

	memset(r, 0, sizeof(*r));
	r->srb_status = srb->srb_status;
	r->scsi_status = srb->scsi_status;
	/* the sense area is 0x14 bytes at every version: mu_msvm StorChannelCompletionRoutine
	 * stops on more; OpenVMM's storvsp says 0x14 in every completion, even below 5.1 */
	if (srb->sense_info_length > VSTOR_SENSE_MAX) {
		fmt_snprintf(reason, sizeof(reason), "%u sense bytes in a %u-byte sense area",
			     srb->sense_info_length, VSTOR_SENSE_MAX);
		*why = reason;
		return -1;
	}
	/* mu_msvm StorChannelCompletionRoutine stops on a length past the buffer (Linux
	 * storvsc_command_completion clamps it, calling it a value to validate) */
	if (srb->data_transfer_length > asked) {
		fmt_snprintf(reason, sizeof(reason), "the host says it moved %u bytes; %u were asked",
			     srb->data_transfer_length, asked);
		*why = reason;
		return -1;
	}
	r->moved = srb->data_transfer_length;
	if (SRB_STATUS(r->srb_status) == SRB_STATUS_PENDING && r->scsi_status == SCSI_STATUS_GOOD) {
		/* mu_msvm StorChannelCopyPacketDataToRequest takes PENDING as success */
		storvsc_tolerate(s, "SRB_STATUS_PENDING in a completion, taken as success (as mu_msvm)");
		r->srb_status = (uint8_t)((r->srb_status & ~0x3fu) | SRB_STATUS_SUCCESS);
	} else if (SRB_STATUS(r->srb_status) == SRB_STATUS_DATA_OVERRUN &&
		   r->scsi_status == SCSI_STATUS_GOOD) {
		/* Windows reports a short transfer so, with the length moved: Linux
		 * storvsc_command_completion keeps data_transfer_length for it */
		r->srb_status = (uint8_t)((r->srb_status & ~0x3fu) | SRB_STATUS_SUCCESS);
	}
	if (r->scsi_status != SCSI_STATUS_CHECK_CONDITION ||
	    !(r->srb_status & SRB_STATUS_AUTOSENSE_VALID) || srb->sense_info_length < 4)
		return 0;
	if ((sense[0] & 0x7e) == 0x72) { /* descriptor format */
		r->sense_key = sense[1] & 0xf;
		r->asc = sense[2];
		r->ascq = sense[3];
	} else if (srb->sense_info_length >= 14) { /* fixed format */
		r->sense_key = sense[2] & 0xf;
		r->asc = sense[12];
		r->ascq = sense[13];
	}
	return 0;
}

static bool scsi_ok(const struct scsi_result *r)
{
	return SRB_STATUS(r->srb_status) == SRB_STATUS_SUCCESS &&
	       r->scsi_status == SCSI_STATUS_GOOD;
}

static void add_outcome(struct fmt_buf *t, const struct scsi_result *r)
{
	fmt_add(t, "SRB 0x%02x, SCSI 0x%02x", r->srb_status, r->scsi_status);
	if (r->sense_key || r->asc)
		fmt_add(t, ", sense %x/%02x/%02x", r->sense_key, r->asc, r->ascq);
}

/* @cdb on @lun, reading up to @asked bytes into s->io: 0 with the outcome in @r, or -1 (*@why). */
static int scsi_execute(struct storvsc *s, uint8_t lun, const uint8_t *cdb, uint8_t cdb_len,
			uint32_t asked, struct scsi_result *r, const char **why)
{
	struct vstor_packet p;

	memset(s->io, 0, asked);
	memset(&p, 0, sizeof(p));
	p.operation = VSTOR_OP_EXECUTE_SRB;
	p.srb.length = (uint16_t)s->srb_len;
	p.srb.lun = lun;
	p.srb.cdb_length = cdb_len;
	memcpy(p.srb.cdb, cdb, cdb_len);
	p.srb.sense_info_length = (uint8_t)s->sense_len;
	p.srb.data_in = VSTOR_DATA_IN;
	p.srb.data_transfer_length = asked;
	/* Win8 fields: beyond the packet before 5.1, so harmless to fill */
	p.srb.srb_flags = SRB_FLAGS_DATA_IN | SRB_FLAGS_DISABLE_SYNCH_TRANSFER;
	p.srb.time_out_value = TIMEOUT_S;
	if (storvsc_request(s, &p, s->io, asked, why))
		return -1;
	return scsi_result(s, asked, r, why);
}

unsigned scsi_parse_report_luns(const uint8_t *d, uint32_t n, uint8_t *luns, unsigned max,
				unsigned *more)
{
	uint32_t listed, have, count = 0;

	*more = 0;
	if (n < 8)
		return 0;
	listed = be32(d) / 8;
	have = (n - 8) / 8;
	for (uint32_t i = 0; i < listed && i < have; i++) {
		const uint8_t *e = d + 8 + 8 * i;
		/* peripheral (00) or flat (01) addressing: 14 bits of LUN */
		uint32_t lun = (uint32_t)(e[0] & 0x3f) << 8 | e[1];

		if (lun > 255 || count == max)
			(*more)++;
		else
			luns[count++] = (uint8_t)lun;
	}
	if (listed > have)
		*more += listed - have;
	return count;
}

bool scsi_parse_inquiry(const uint8_t *d, uint32_t n, struct stor_lun *l)
{
	if (n < 1 || d[0] == INQUIRY_NOT_PRESENT || (d[0] >> 5) != 0)
		return false;
	l->type = d[0] & 0x1f;
	copy_text(l->vendor, d + 8, n >= 16 ? 8 : 0);
	copy_text(l->product, d + 16, n >= 32 ? 16 : 0);
	copy_text(l->revision, d + 32, n >= 36 ? 4 : 0);
	return true;
}

int scsi_parse_capacity(const uint8_t *d, uint32_t n, bool sixteen, struct stor_lun *l,
			const char **why)
{
	uint64_t last;
	uint32_t bl;

	if (n < (sixteen ? 12u : 8u)) {
		*why = "capacity data too short";
		return -1;
	}
	last = sixteen ? (uint64_t)be32(d) << 32 | be32(d + 4) : be32(d);
	bl = be32(d + (sixteen ? 8 : 4));
	if (bl < MIN_BLOCK || bl > MAX_BLOCK || (bl & (bl - 1))) {
		*why = "a block length that is not a power of two from 512 to 4096";
		return -1;
	}
	if (last == UINT64_MAX) {
		*why = "a last LBA of 2^64-1";
		return -1;
	}
	l->blocks = last + 1;
	l->block_len = bl;
	return 0;
}

int iso_parse_pvd(const uint8_t *d, uint32_t n, char vol[ISO_VOLUME_ID_LEN + 1], uint32_t *blocks)
{
	if (n < ISO_VOLUME_BLOCKS_OFF + 4 || d[0] != ISO_PVD_TYPE ||
	    memcmp(d + ISO_ID_OFF, "CD001", 5) || d[6] != 1)
		return -1;
	copy_text(vol, d + ISO_VOLUME_ID_OFF, ISO_VOLUME_ID_LEN);
	memcpy(blocks, d + ISO_VOLUME_BLOCKS_OFF, sizeof(*blocks)); /* the little-endian copy */
	return 0;
}

void scsi_describe_disk(const uint8_t *d, uint32_t n, uint32_t block_len, char *buf, uint32_t size)
{
	char tb[REPORT_REASON_MAX];
	struct fmt_buf t = FMT_BUF(tb);
	uint32_t text = 0, nonzero = 0;

	for (uint32_t i = 0; i < n; i++)
		nonzero += d[i] != 0;
	while (text < n && text < 24 && d[text] >= 0x20 && d[text] < 0x7f)
		text++;
	if (!nonzero)
		fmt_add(&t, "all zeros");
	if (text >= 4)
		fmt_add(&t, "text \"%.*s\"", (int)text, (const char *)d);
	if (n >= 512 && d[510] == 0x55 && d[511] == 0xaa)
		fmt_add(&t, "%sMBR signature", t.len ? ", " : "");
	if (n >= 8 && block_len <= n - 8 && !memcmp(d + block_len, "EFI PART", 8))
		fmt_add(&t, "%sGPT header", t.len ? ", " : "");
	if (!t.len && n >= 4)
		fmt_add(&t, "data %02x %02x %02x %02x...", d[0], d[1], d[2], d[3]);
	str_copy(buf, t.buf, size);
}

/* REPORT LUNS on LUN 0 into @luns (*@n of them); -1 when the host refused it. */
static int report_luns(struct storvsc *s, uint8_t *luns, unsigned *n, struct fmt_buf *t)
{
	uint8_t cdb[12] = { SCSI_REPORT_LUNS };
	struct scsi_result r;
	const char *why;
	unsigned more;

	put_be32(cdb + 6, REPORT_LUNS_BYTES);
	if (scsi_execute(s, 0, cdb, sizeof(cdb), REPORT_LUNS_BYTES, &r, &why) || !scsi_ok(&r)) {
		fmt_add(t, "no REPORT LUNS; ");
		return -1;
	}
	*n = scsi_parse_report_luns(s->io, r.moved, luns, STORVSC_MAX_LUNS, &more);
	if (more)
		fmt_add(t, "%u LUNs not examined; ", more);
	return 0;
}

/* INQUIRY of every candidate: s->luns; storage.inquiry. Returns -1 on a failure. */
static int inquiry_all(struct storvsc *s, const uint8_t *cand, unsigned n, struct fmt_buf *t)
{
	static const uint8_t cdb_template[6] = { SCSI_INQUIRY, 0, 0, 0, INQUIRY_STD_LEN, 0 };
	struct scsi_result r;
	const char *why;

	for (unsigned i = 0; i < n && s->nluns < STORVSC_MAX_LUNS; i++) {
		struct stor_lun *l = &s->luns[s->nluns];

		memset(l, 0, sizeof(*l));
		l->lun = cand[i];
		if (scsi_execute(s, cand[i], cdb_template, 6, INQUIRY_STD_LEN, &r, &why)) {
			check("storage.inquiry", CHECK_FAIL, "relid %u: LUN %u: %s", s->ch->relid, cand[i], why);
			return -1;
		}
		if (SRB_STATUS(r.srb_status) == SRB_STATUS_INVALID_LUN)
			continue;
		if (!scsi_ok(&r)) {
			/* Hyper-V mishandles some INQUIRYs: Linux storvsc_on_io_completion forces
			 * every INQUIRY completion to success and uses what came */
			storvsc_tolerate(s, "LUN %u: INQUIRY answered SRB 0x%02x, SCSI 0x%02x (Linux forces INQUIRY to success)",
					 cand[i], r.srb_status, r.scsi_status);
			if (r.moved < INQUIRY_STD_LEN)
				continue;
		}
		if (!scsi_parse_inquiry(s->io, r.moved, l))
			continue;
		/* T10 SPC-4 6.6.2: standard INQUIRY data is at least 36 bytes */
		if (r.moved < INQUIRY_STD_LEN) {
			check("storage.inquiry", CHECK_FAIL, "relid %u: LUN %u: %u bytes of INQUIRY data (at least %u)",
			      s->ch->relid, cand[i], r.moved, INQUIRY_STD_LEN);
			return -1;
		}
		fmt_add(t, "%sLUN %u ", s->nluns ? "; " : "", l->lun);
		if (l->type == SCSI_TYPE_DISK || l->type == SCSI_TYPE_CDROM)
			fmt_add(t, "%s", l->type == SCSI_TYPE_DISK ? "disk" : "DVD");
		else
			fmt_add(t, "type 0x%02x", l->type);
		fmt_add(t, " \"%s %s %s\"", l->vendor, l->product, l->revision);
		s->nluns++;
	}
	if (!s->nluns)
		check("storage.inquiry", CHECK_SKIP, "relid %u: %sno LUNs on this controller",
		      s->ch->relid, t->buf);
	else
		check("storage.inquiry", CHECK_PASS, "relid %u: %s", s->ch->relid, t->buf);
	return 0;
}

/* READ CAPACITY(10), and (16) past 2^32 blocks, for LUN @l; -1 with *@t filled on failure. */
static int capacity(struct storvsc *s, struct stor_lun *l, struct fmt_buf *t)
{
	uint8_t cdb10[10] = { SCSI_READ_CAPACITY10 }, cdb16[16] = { SCSI_SERVICE_ACTION_IN16,
								       SCSI_SA_READ_CAPACITY16 };
	struct scsi_result r;
	const char *why;
	bool sixteen = false;

	if (scsi_execute(s, l->lun, cdb10, sizeof(cdb10), 8, &r, &why))
		goto transport;
	if (r.scsi_status == SCSI_STATUS_CHECK_CONDITION && r.sense_key == SENSE_KEY_NOT_READY &&
	    r.asc == SENSE_ASC_NO_MEDIUM) {
		l->no_medium = true;
		fmt_add(t, "LUN %u no medium", l->lun);
		return 0;
	}
	if (scsi_ok(&r) && r.moved >= 4 && be32(s->io) == 0xffffffffu) {
		sixteen = true;
		put_be32(cdb16 + 10, 32);
		if (scsi_execute(s, l->lun, cdb16, sizeof(cdb16), 32, &r, &why))
			goto transport;
	}
	if (!scsi_ok(&r)) {
		fmt_add(t, "LUN %u READ CAPACITY(%u): ", l->lun, sixteen ? 16 : 10);
		add_outcome(t, &r);
		return -1;
	}
	if (scsi_parse_capacity(s->io, r.moved, sixteen, l, &why))
		goto transport;
	fmt_add(t, "LUN %u %llu x %u B (", l->lun, (unsigned long long)l->blocks, l->block_len);
	add_size(t, l->blocks * l->block_len);
	fmt_add(t, "%s)", sixteen ? ", READ CAPACITY(16)" : "");
	return 0;
transport:
	fmt_add(t, "LUN %u READ CAPACITY(%u): %s", l->lun, sixteen ? 16 : 10, why);
	return -1;
}

/* READ(10) of a disk's first blocks or a DVD's volume descriptor; -1 on failure. */
static int read_first(struct storvsc *s, const struct stor_lun *l, struct fmt_buf *t)
{
	uint8_t cdb[10] = { SCSI_READ10 };
	bool dvd = l->type == SCSI_TYPE_CDROM;
	uint32_t lba = dvd ? ISO_PVD_LBA : 0, count, bytes, vblocks;
	char what[64], vol[ISO_VOLUME_ID_LEN + 1];
	struct scsi_result r;
	const char *why;

	if (dvd && (l->block_len != ISO_SECTOR || l->blocks <= ISO_PVD_LBA)) {
		fmt_add(t, "LUN %u: a DVD of %llu x %u B has no sector 16", l->lun,
		    (unsigned long long)l->blocks, l->block_len);
		return -1;
	}
	count = dvd ? 1 : DISK_READ_BYTES / l->block_len;
	if (count > l->blocks)
		count = (uint32_t)l->blocks;
	bytes = count * l->block_len;
	put_be32(cdb + 2, lba);
	cdb[7] = (uint8_t)(count >> 8);
	cdb[8] = (uint8_t)count;
	if (scsi_execute(s, l->lun, cdb, sizeof(cdb), bytes, &r, &why)) {
		fmt_add(t, "LUN %u READ(10): %s", l->lun, why);
		return -1;
	}
	if (!scsi_ok(&r) || r.moved != bytes) {
		fmt_add(t, "LUN %u READ(10) of %u B at LBA %u: moved %u, ", l->lun, bytes, lba, r.moved);
		add_outcome(t, &r);
		return -1;
	}
	if (!dvd) {
		scsi_describe_disk(s->io, bytes, l->block_len, what, sizeof(what));
		fmt_add(t, "LUN %u LBA 0-%u: %s", l->lun, count - 1, what);
		return 0;
	}
	if (iso_parse_pvd(s->io, bytes, vol, &vblocks)) {
		fmt_add(t, "LUN %u sector 16 is no ISO 9660 volume descriptor (%02x \"%.5s\")", l->lun,
		    s->io[0], (const char *)s->io + 1);
		return -1;
	}
	fmt_add(t, "LUN %u sector 16: CD001, volume \"%s\", %u blocks", l->lun, vol, vblocks);
	return 0;
}

void storvsc_scan(struct storvsc *s)
{
	uint8_t cand[STORVSC_MAX_LUNS];
	unsigned n = 0;
	char tb[REPORT_REASON_MAX], capb[REPORT_REASON_MAX], rdb[REPORT_REASON_MAX];
	struct fmt_buf t = FMT_BUF(tb), cap = FMT_BUF(capb), rd = FMT_BUF(rdb);
	int bad = 0;

	if (report_luns(s, cand, &n, &t))
		for (n = 0; n < PROBE_LUNS; n++)
			cand[n] = (uint8_t)n;
	if (inquiry_all(s, cand, n, &t) || !s->nluns)
		return;
	for (unsigned i = 0; i < s->nluns && !bad; i++) {
		if (s->luns[i].type != SCSI_TYPE_DISK && s->luns[i].type != SCSI_TYPE_CDROM)
			continue;
		fmt_add(&cap, "%s", cap.len ? "; " : "");
		bad = capacity(s, &s->luns[i], &cap);
	}
	check_that("storage.capacity", !bad, "relid %u: %s", s->ch->relid,
		   cap.len ? cap.buf : "no disk or DVD");
	if (bad)
		return;
	for (unsigned i = 0; i < s->nluns && !bad; i++) {
		const struct stor_lun *l = &s->luns[i];

		if ((l->type != SCSI_TYPE_DISK && l->type != SCSI_TYPE_CDROM) || l->no_medium)
			continue;
		fmt_add(&rd, "%s", rd.len ? "; " : "");
		bad = read_first(s, l, &rd);
	}
	if (!rd.len)
		check("storage.read", CHECK_SKIP, "relid %u: nothing to read (no medium)", s->ch->relid);
	else
		check_that("storage.read", !bad, "relid %u: %s", s->ch->relid, rd.buf);
}
