/*
 * Fuzz target: what a storage host sends (drivers/storage): packets on the
 * channel, and the SCSI data it leaves in the data buffer.  Byte 0 picks:
 *   0x00-0x3f  a packet: bytes 1-2 its VMBus type, bytes 3-4 the bytes the
 *              request asked (for the SRB checks of a completion), the
 *              rest its payload; bit 0x20: its id is the one in flight,
 *              bit 0x10: the Win8 sense size
 *   0x40       REPORT LUNS data          0x41  standard INQUIRY data
 *   0x42/0x43  READ CAPACITY(10)/(16)    0x44  sector 16 of a DVD
 *   0x45       the first blocks of a disk (byte 1: block size / 512)
 */
#include <stdint.h>
#include <string.h>

#include "drivers/storage/storvsc.h"
#include "drivers/vmbus/vmbus_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

#define IN_FLIGHT 0x53544f5200000007ull

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	static struct vmbus_channel ch;
	static struct storvsc s;
	struct vmbus_packet pkt = { 0 };
	struct scsi_result r;
	struct stor_lun l;
	uint8_t luns[STORVSC_MAX_LUNS];
	char vol[ISO_VOLUME_ID_LEN + 1], text[64];
	const char *why;
	unsigned more;
	uint32_t blocks;

	if (n < 1)
		return 0;
	memset(&l, 0, sizeof(l));
	switch (d[0]) {
	case 0x40:
		scsi_parse_report_luns(d + 1, (uint32_t)(n - 1), luns, STORVSC_MAX_LUNS, &more);
		return 0;
	case 0x41:
		scsi_parse_inquiry(d + 1, (uint32_t)(n - 1), &l);
		return 0;
	case 0x42:
	case 0x43:
		scsi_parse_capacity(d + 1, (uint32_t)(n - 1), d[0] == 0x43, &l, &why);
		return 0;
	case 0x44:
		iso_parse_pvd(d + 1, (uint32_t)(n - 1), vol, &blocks);
		return 0;
	case 0x45:
		if (n >= 2)
			scsi_describe_disk(d + 2, (uint32_t)(n - 2), 512u << (d[1] % 4), text, sizeof(text));
		return 0;
	}
	if (d[0] >= 0x40 || n < 5)
		return 0;
	memset(&ch, 0, sizeof(ch));
	memset(&s, 0, sizeof(s));
	ch.relid = 9;
	ch.state = CH_OPEN;
	s.ch = &ch;
	s.sense_len = d[0] & 0x10 ? VSTOR_SENSE_MAX : VSTOR_SENSE_WIN7;
	s.waiting = true;
	s.wait_id = IN_FLIGHT;
	pkt.type = (uint16_t)(d[1] | d[2] << 8);
	pkt.offset8 = 2;
	pkt.transaction_id = d[0] & 0x20 ? IN_FLIGHT : IN_FLIGHT + 1;
	storvsc_on_packet(&s, &pkt, d + 5, (uint32_t)(n - 5));
	if (s.done)
		scsi_result(&s, (uint32_t)(d[3] | d[4] << 8), &r, &why);
	return 0;
}
