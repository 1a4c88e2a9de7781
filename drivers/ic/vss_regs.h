/*
 * VSS / Backup wire format (icmsgtype 5: Linux include/uapi/linux/hyperv.h
 * (hv_vss_msg) and OpenVMM
 * hyperv_ic_protocol/src/vss.rs).  The service data is a u8 operation and
 * 7 reserved bytes, then the operation's data; we read and write only the
 * u32 flags at +8 and echo the rest.
 */
#ifndef HVPROBE_VSS_REGS_H
#define HVPROBE_VSS_REGS_H

#include <stdint.h>

#include "drivers/ic/ic_regs.h"

/* operations, and the message version that introduced them (OpenVMM) */
#define VSS_OP_CREATE 0
#define VSS_OP_DELETE 1
#define VSS_OP_HOT_BACKUP 2              /* CHECK_HOT_BACKUP */
#define VSS_OP_GET_DM_INFO 3             /* GET_DIRECT_MAPPED_DEVICES_INFO */
#define VSS_OP_BACKUP_COMPLETE 4         /* >= 4.0 */
#define VSS_OP_FREEZE 5                  /* >= 5.0 */
#define VSS_OP_THAW 6                    /* >= 5.0 */
#define VSS_OP_AUTO_RECOVER 7            /* >= 5.0 */
#define VSS_OP_QUERY_CLUSTER_INFO 8      /* QUERY_GUEST_CLUSTER_INFORMATION, >= 6.0 */
#define VSS_OPS 9

/* HOT_BACKUP answer flags (Linux VSS_HBU_NO_AUTO_RECOVERY) */
#define VSS_HBU_NO_AUTO_RECOVERY 0x00000005u

struct vss_header {
	uint8_t operation;
	uint8_t reserved[7];
} IC_PACKED;
_Static_assert(sizeof(struct vss_header) == 8, "VSS header is 8 bytes");

/* HOT_BACKUP, GET_DM_INFO (and OpenVMM's other 4-byte forms): flags at +8 */
struct vss_msg_flags {
	struct vss_header hdr;
	uint32_t flags;
} IC_PACKED;
_Static_assert(sizeof(struct vss_msg_flags) == 12, "VSS flags message is 12 bytes");

/* FREEZE and AUTO_RECOVER (OpenVMM Message2): what we log of them */
struct vss_msg_freeze {
	struct vss_header hdr;
	uint32_t backup_type;
	uint32_t flags;
	uint32_t lun_count;
} IC_PACKED;
_Static_assert(sizeof(struct vss_msg_freeze) == 20, "VSS freeze prefix is 20 bytes");

#endif
