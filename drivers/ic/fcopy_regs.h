/*
 * Guest file copy (Guest Service Interface) wire format (icmsgtype 7,
 * Linux include/uapi/linux/hyperv.h; checked against Linux's former
 * include/uapi/linux/hyperv.h (hv_fcopy_hdr, hv_start_fcopy, hv_do_fcopy)
 * and tools/hv/hv_fcopy_uio_daemon.c).  Every message starts with a u32
 * operation and two unused service GUIDs.
 */
#ifndef HVPROBE_FCOPY_REGS_H
#define HVPROBE_FCOPY_REGS_H

#include <stdint.h>

#include "drivers/ic/ic_regs.h"
#include "lib/guid.h"

#define FCOPY_START_FILE_COPY 0
#define FCOPY_WRITE_TO_FILE 1
#define FCOPY_COMPLETE 2
#define FCOPY_CANCEL 3

/* START copy_flags */
#define FCOPY_OVER_WRITE 0x1
#define FCOPY_CREATE_PATH 0x2

#define FCOPY_PATH_UNITS 260          /* W_MAX_PATH UTF-16 code units */
#define FCOPY_FRAGMENT 6144           /* DATA_FRAGMENT: 6 KiB per WRITE_TO_FILE */

/* HRESULTs (Linux HV_ERROR_ALREADY_EXISTS, HV_ERROR_DISK_FULL) */
#define FCOPY_E_ALREADY_EXISTS 0x80070050u
#define FCOPY_E_DISK_FULL 0x80070070u

struct fcopy_header {
	uint32_t operation;
	struct guid service_id0;      /* unused */
	struct guid service_id1;      /* unused */
} IC_PACKED;
_Static_assert(sizeof(struct fcopy_header) == 36, "fcopy header is 36 bytes");

struct fcopy_start {
	struct fcopy_header hdr;
	uint16_t file_name[FCOPY_PATH_UNITS];
	uint16_t path_name[FCOPY_PATH_UNITS];
	uint32_t copy_flags;
	uint64_t file_size;
} IC_PACKED;
_Static_assert(sizeof(struct fcopy_start) == 1088, "START_FILE_COPY is 1088 bytes");

struct fcopy_write {
	struct fcopy_header hdr;
	uint32_t pad;
	uint64_t offset;
	uint32_t size;
	uint8_t data[FCOPY_FRAGMENT];
} IC_PACKED;
_Static_assert(sizeof(struct fcopy_write) == 6196, "WRITE_TO_FILE is 6196 bytes");
_Static_assert(__builtin_offsetof(struct fcopy_write, data) == 52, "fragment data at +52");

#endif
