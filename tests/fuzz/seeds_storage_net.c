/* Seeds for the storage and network targets: what hvsim's storvsp and netvsp send. */
#include <stdint.h>
#include <string.h>

#include "drivers/net/netvsc_regs.h"
#include "drivers/net/rndis_regs.h"
#include "drivers/storage/storvsc_regs.h"
#include "tests/fuzz/seeds.h"

/* storvsc: a packet seed is selector, type (2 bytes), asked (2 bytes), payload */
static void storvsc_packet_seed(const char *name, uint8_t sel, uint16_t type, uint16_t asked,
				const struct vstor_packet *p, uint32_t len)
{
	uint8_t buf[8 + sizeof(*p)];

	buf[0] = sel;
	buf[1] = (uint8_t)type;
	buf[2] = (uint8_t)(type >> 8);
	buf[3] = (uint8_t)asked;
	buf[4] = (uint8_t)(asked >> 8);
	memcpy(buf + 5, p, len);
	seed_put("storvsc", name, buf, 5 + len);
}

static void storvsc_seeds(void)
{
	static uint8_t big[1 + 4096 + 1];
	struct vstor_packet p;
	uint8_t inq[1 + INQUIRY_STD_LEN] = { 0x41, 0x05, 0x80, 5, 2, 31 };
	uint8_t luns[1 + 32] = { 0x40, 0, 0, 0, 24 };
	uint8_t rc10[1 + 8] = { 0x42, 0, 0, 0x07, 0xff, 0, 0, 0x02, 0 };
	uint8_t rc16[1 + 32] = { 0x43, 0, 0, 0, 1, 0x7f, 0xff, 0xff, 0xff, 0, 0, 2, 0 };

	memset(&p, 0, sizeof(p));
	p.operation = VSTOR_OP_COMPLETE_IO;
	p.srb.length = VSTOR_SRB_LEN_WIN8;
	p.srb.srb_status = 0x01;
	p.srb.data_transfer_length = INQUIRY_STD_LEN;
	storvsc_packet_seed("completion", 0x30, VMBUS_PKT_COMPLETION, INQUIRY_STD_LEN, &p, sizeof(p));
	p.srb.srb_status = 0x84;
	p.srb.scsi_status = SCSI_STATUS_CHECK_CONDITION;
	p.srb.sense_info_length = 18;
	p.srb.sense[0] = 0x70;
	p.srb.sense[2] = SENSE_KEY_NOT_READY;
	p.srb.sense[12] = SENSE_ASC_NO_MEDIUM;
	storvsc_packet_seed("check-condition", 0x30, VMBUS_PKT_COMPLETION, 8, &p, sizeof(p));
	memset(&p, 0, sizeof(p));
	p.operation = VSTOR_OP_ENUMERATE_BUS;
	storvsc_packet_seed("enumerate-bus", 0x00, VMBUS_PKT_DATA_INBAND, 0, &p, VSTOR_PACKET_WIN7);
	memcpy(inq + 9, "Msft    Virtual DVD-ROM 1.0 ", 28);
	seed_put("storvsc", "inquiry", inq, sizeof(inq));
	luns[1 + 9] = 0;
	luns[1 + 17] = 1;
	luns[1 + 25] = 2;
	seed_put("storvsc", "report-luns", luns, sizeof(luns));
	seed_put("storvsc", "capacity10", rc10, sizeof(rc10));
	seed_put("storvsc", "capacity16", rc16, sizeof(rc16));
	big[0] = 0x44;
	big[1] = ISO_PVD_TYPE;
	memcpy(big + 2, "CD001", 5);
	big[7] = 1;
	memset(big + 1 + 8, ' ', 64);
	memcpy(big + 1 + ISO_VOLUME_ID_OFF, "HVPROBE", 7);
	big[1 + ISO_VOLUME_BLOCKS_OFF] = 32;
	seed_put("storvsc", "iso-pvd", big, 1 + ISO_SECTOR);
	memset(big, 0, sizeof(big));
	big[0] = 0x45;
	memcpy(big + 2, "hvsim disk LUN 0", 16);
	big[2 + 510] = 0x55;
	big[2 + 511] = 0xaa;
	memcpy(big + 2 + 512, "EFI PART", 8);
	seed_put("storvsc", "disk", big, 2 + 4096);
}

/* netvsc: a transfer-page packet carrying @msg at offset 0 of the receive buffer */
static void netvsc_xfer_seed(const char *name, uint32_t channel, const void *msg, uint32_t len)
{
	uint8_t buf[2 + 16 + 16 + 512];
	struct vmbus_xfer_header x = { 0xcafe, 0, 0, 1 };
	struct vmbus_xfer_range r = { len, 0 };
	struct nvsp_rndis_pkt m = { NVSP_MSG1_SEND_RNDIS_PKT, channel, NVSP_NO_SECTION, 0 };

	buf[0] = 1;
	buf[1] = 2;
	memcpy(buf + 2, &x, 8);
	memcpy(buf + 10, &r, 8);
	memcpy(buf + 18, &m, 16);
	memcpy(buf + 34, msg, len);
	seed_put("netvsc", name, buf, 34 + len);
}

static void netvsc_seeds(void)
{
	uint8_t buf[2 + 256];
	struct nvsp_init_complete ic = { NVSP_MSG_INIT_COMPLETE, 0xffffffffu, 34, NVSP_STAT_SUCCESS };
	struct nvsp_recv_buf_complete rc = { NVSP_MSG1_SEND_RECV_BUF_COMPLETE, NVSP_STAT_SUCCESS, 1,
					     { 0, 1728, 37, 1728 * 37 } };
	struct rndis_initialize_cmplt init = { { RNDIS_INITIALIZE_CMPLT, sizeof(init) }, 1, 0, 1, 0, 1,
					       0, 8, 4096, 3, 0, 0 };
	struct {
		struct rndis_query_cmplt c;
		uint8_t mac[8];
	} q = { { { RNDIS_QUERY_CMPLT, sizeof(struct rndis_query_cmplt) + 6 }, 1, 0, 6, 16 },
		{ 0x00, 0x15, 0x5d, 0x68, 0x76, 0x01 } };
	struct rndis_indicate_status st = { { RNDIS_INDICATE_STATUS_MSG, sizeof(st) },
					    RNDIS_STATUS_MEDIA_CONNECT, 0, 0 };
	struct {
		struct rndis_packet p;
		uint8_t f[ETH_MIN_FRAME];
	} __attribute__((packed)) frame = { { { RNDIS_PACKET_MSG, sizeof(frame) }, 36, ETH_MIN_FRAME,
					      0, 0, 0, 0, 0, 0, 0 },
					    { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00, 0x15, 0x5d, 0, 0, 1,
					      0x08, 0x06 } };

	buf[0] = 0;
	buf[1] = 2;
	memcpy(buf + 2, &ic, sizeof(ic));
	seed_put("netvsc", "init-complete", buf, 2 + sizeof(ic));
	memcpy(buf + 2, &rc, sizeof(rc));
	seed_put("netvsc", "recv-buf-complete", buf, 2 + sizeof(rc));
	netvsc_xfer_seed("query-mac", NVSP_CHANNEL_CONTROL, &q, sizeof(q.c) + 6);
	netvsc_xfer_seed("media-connect", NVSP_CHANNEL_CONTROL, &st, sizeof(st));
	netvsc_xfer_seed("arp-frame", NVSP_CHANNEL_DATA, &frame, sizeof(frame));
	buf[0] = 2;
	buf[1] = 2; /* INITIALIZE_CMPLT awaited */
	memcpy(buf + 2, &init, sizeof(init));
	seed_put("netvsc", "initialize-cmplt", buf, 2 + sizeof(init));
}

static void storage_net_seeds(void)
{
	storvsc_seeds();
	netvsc_seeds();
}

SEEDS(storage_net_seeds)
