/*
 * The synthetic SCSI controller's wire formats (docs/STORAGE-NETWORK.md §1;
 * checked against Linux drivers/scsi/storvsc_drv.c, OpenVMM
 * storvsp_protocol/src/lib.rs and mu_msvm StorvscDxe/VstorageProtocol.h),
 * and the few SCSI and ISO 9660 layouts the driver reads (SPC-4, SBC-3,
 * MMC, ECMA-119).  Every VSP message is one vstor_packet in a VMBus packet:
 * requests in band (SCSI data by GPA-direct), answers as completions.
 */
#ifndef HVPROBE_STORVSC_REGS_H
#define HVPROBE_STORVSC_REGS_H

#include <stdint.h>

#include "drivers/vmbus/vmbus_regs.h"

/* ---- protocol versions: u16 (major << 8) | minor, newest first ---- */
#define VSTOR_VERSION(maj, min) ((uint16_t)(((maj) << 8) | (min)))
#define VSTOR_VERSION_WIN10 VSTOR_VERSION(6, 2)   /* Linux only; not in OpenVMM */
#define VSTOR_VERSION_WIN8_1 VSTOR_VERSION(6, 0)  /* "Blue" */
#define VSTOR_VERSION_WIN8 VSTOR_VERSION(5, 1)    /* first with the 0x34-byte request */
#define VSTOR_VERSION_WIN7 VSTOR_VERSION(4, 2)
#define VSTOR_VERSION_WIN6 VSTOR_VERSION(2, 0)    /* WS2008 */

/* operations */
enum vstor_operation {
	VSTOR_OP_COMPLETE_IO = 1,
	VSTOR_OP_REMOVE_DEVICE = 2,
	VSTOR_OP_EXECUTE_SRB = 3,
	VSTOR_OP_RESET_LUN = 4,
	VSTOR_OP_RESET_ADAPTER = 5,
	VSTOR_OP_RESET_BUS = 6,
	VSTOR_OP_BEGIN_INITIALIZATION = 7,
	VSTOR_OP_END_INITIALIZATION = 8,
	VSTOR_OP_QUERY_PROTOCOL_VERSION = 9,
	VSTOR_OP_QUERY_PROPERTIES = 10,
	VSTOR_OP_ENUMERATE_BUS = 11,
	VSTOR_OP_FCHBA_DATA = 12,
	VSTOR_OP_CREATE_SUB_CHANNELS = 13,
	VSTOR_OP_EVENT_NOTIFICATION = 14,
};

#define VSTOR_FLAG_REQUEST_COMPLETION 0x1

/* NTSTATUS values in vstor_packet.status */
#define VSTOR_STATUS_SUCCESS 0x00000000u
#define VSTOR_STATUS_REVISION_MISMATCH 0xc0000059u /* "try an older version" */
#define VSTOR_STATUS_INVALID_DEVICE_STATE 0xc0000184u

/* The SCSI request block: 0x24 bytes before Win8 (5.1), 0x34 from then on. */
#define VSTOR_CDB_MAX 16
#define VSTOR_SENSE_MAX 0x14        /* 0x12 before Win8 */
#define VSTOR_SENSE_WIN7 0x12
struct vmscsi_request {
	uint16_t length;              /* of this request as the version defines it */
	uint8_t srb_status;
	uint8_t scsi_status;
	uint8_t port_number;          /* OpenVMM: reserved */
	uint8_t path_id;
	uint8_t target_id;
	uint8_t lun;
	uint8_t cdb_length;
	uint8_t sense_info_length;    /* guest: sense bytes it takes; host: sense bytes given */
	uint8_t data_in;              /* VSTOR_DATA_* */
	uint8_t properties;
	uint32_t data_transfer_length; /* guest: bytes asked; host: bytes moved */
	union {
		uint8_t cdb[VSTOR_CDB_MAX];
		uint8_t sense[VSTOR_SENSE_MAX];
	};
	/* Win8 and later */
	uint16_t reserve;
	uint8_t queue_tag;
	uint8_t queue_action;
	uint32_t srb_flags;
	uint32_t time_out_value;      /* seconds */
	uint32_t queue_sort_key;
} VMBUS_PACKED;
VMBUS_ASSERT_OFF(struct vmscsi_request, data_transfer_length, 12);
VMBUS_ASSERT_OFF(struct vmscsi_request, cdb, 16);
VMBUS_ASSERT_OFF(struct vmscsi_request, reserve, 0x24);
VMBUS_ASSERT_SIZE(struct vmscsi_request, 0x34);
#define VSTOR_SRB_LEN_WIN7 0x24
#define VSTOR_SRB_LEN_WIN8 0x34

#define VSTOR_DATA_OUT 0              /* write */
#define VSTOR_DATA_IN 1               /* read */
#define VSTOR_DATA_NONE 2

#define SRB_FLAGS_DISABLE_SYNCH_TRANSFER 0x00000008u
#define SRB_FLAGS_DATA_IN 0x00000040u

/* srb_status: a 6-bit code and two flags */
#define SRB_STATUS(s) ((s) & 0x3f)
#define SRB_STATUS_PENDING 0x00
#define SRB_STATUS_SUCCESS 0x01
#define SRB_STATUS_ERROR 0x04
#define SRB_STATUS_DATA_OVERRUN 0x12
#define SRB_STATUS_INVALID_LUN 0x20
#define SRB_STATUS_QUEUE_FROZEN 0x40
#define SRB_STATUS_AUTOSENSE_VALID 0x80

/* QUERY_PROPERTIES answer */
struct vstor_channel_properties {
	uint32_t reserved;
	uint16_t max_channel_count;   /* sub-channels the host offers */
	uint16_t reserved2;
	uint32_t flags;               /* b0 multi-channel */
	uint32_t max_transfer_bytes;
	uint64_t reserved3;
} VMBUS_PACKED;
VMBUS_ASSERT_SIZE(struct vstor_channel_properties, 24);
#define VSTOR_PROPERTY_MULTI_CHANNEL 0x1

/* QUERY_PROTOCOL_VERSION request (the host echoes it) */
struct vstor_protocol_version {
	uint16_t major_minor;
	uint16_t revision;            /* Windows build, informative; 0 */
} VMBUS_PACKED;
VMBUS_ASSERT_SIZE(struct vstor_protocol_version, 4);

struct vstor_packet {
	uint32_t operation;           /* enum vstor_operation */
	uint32_t flags;               /* VSTOR_FLAG_* */
	uint32_t status;              /* NTSTATUS, set by the host */
	union {
		struct vmscsi_request srb;
		struct vstor_channel_properties properties;
		struct vstor_protocol_version version;
		uint16_t sub_channel_count;
		uint8_t buffer[VSTOR_SRB_LEN_WIN8];
	};
} VMBUS_PACKED;
VMBUS_ASSERT_OFF(struct vstor_packet, srb, 12);
VMBUS_ASSERT_SIZE(struct vstor_packet, 0x40);
#define VSTOR_PACKET_WIN7 0x30        /* 12 + 0x24: also the size before negotiation */
#define VSTOR_PACKET_WIN8 0x40

/* ---- SCSI (T10 SPC-4 / SBC-3 / MMC-6): big-endian fields in CDBs and data ---- */
#define SCSI_TEST_UNIT_READY 0x00
#define SCSI_INQUIRY 0x12             /* byte 4: allocation length */
#define SCSI_READ_CAPACITY10 0x25     /* data: u32 last LBA, u32 block length */
#define SCSI_READ10 0x28              /* bytes 2-5 LBA, 7-8 blocks */
#define SCSI_SERVICE_ACTION_IN16 0x9e /* byte 1 = 0x10: READ CAPACITY(16), bytes 10-13 length */
#define SCSI_SA_READ_CAPACITY16 0x10  /* data: u64 last LBA, u32 block length */
#define SCSI_REPORT_LUNS 0xa0         /* bytes 6-9 allocation length; data: u32 list */
					/* length, 4 reserved, then 8 bytes per LUN */

#define SCSI_STATUS_GOOD 0x00
#define SCSI_STATUS_CHECK_CONDITION 0x02

#define INQUIRY_STD_LEN 36            /* vendor 8-15, product 16-31, revision 32-35 */
#define INQUIRY_NOT_PRESENT 0x7f      /* qualifier 3, type 0x1f: no LUN here */
#define SCSI_TYPE_DISK 0x00
#define SCSI_TYPE_CDROM 0x05

/* fixed-format sense data: byte 2 low nibble key, 12 ASC, 13 ASCQ */
#define SENSE_KEY_NOT_READY 0x2
#define SENSE_KEY_ILLEGAL_REQUEST 0x5
#define SENSE_ASC_NO_MEDIUM 0x3a

/* ---- ISO 9660 (ECMA-119 §8.4): the primary volume descriptor ---- */
#define ISO_SECTOR 2048
#define ISO_PVD_LBA 16
#define ISO_PVD_TYPE 1                /* byte 0 */
#define ISO_ID_OFF 1                  /* "CD001" */
#define ISO_VOLUME_ID_OFF 40          /* 32 d-characters, space padded */
#define ISO_VOLUME_ID_LEN 32
#define ISO_VOLUME_BLOCKS_OFF 80      /* u32 LE then u32 BE */

#endif
