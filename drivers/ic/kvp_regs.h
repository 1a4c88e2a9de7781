/*
 * KVP / Data Exchange wire format (icmsgtype 2: Linux
 * include/uapi/linux/hyperv.h, OpenVMM hyperv_ic_protocol/src/kvp.rs).  The service data after the IC header is
 * a 2-byte header (operation, pool), then the body: at +4 (u32-aligned)
 * for GET/SET/DELETE/ENUMERATE, at +2 for the IP-info operations.
 */
#ifndef HVPROBE_KVP_REGS_H
#define HVPROBE_KVP_REGS_H

#include <stdint.h>

#include "drivers/ic/ic_regs.h"

/* operations */
#define KVP_OP_GET 0
#define KVP_OP_SET 1
#define KVP_OP_DELETE 2
#define KVP_OP_ENUMERATE 3
#define KVP_OP_GET_IP_INFO 4
#define KVP_OP_SET_IP_INFO 5
/*
 * The last operation.  Linux's uapi hyperv.h goes on with KVP_OP_COUNT (6),
 * but that is the enum's count of operations, not one; OpenVMM's
 * hyperv_ic_protocol kvp.rs KvpOperation ends at SET_IP_ADDRESS_INFO (5).
 */
#define KVP_OP_LAST KVP_OP_SET_IP_INFO

/* pools (MSDOC: registry keys under HKLM\SOFTWARE\Microsoft\Virtual Machine) */
#define KVP_POOL_EXTERNAL 0       /* the host's admin data (WMI AddKvpItems) */
#define KVP_POOL_GUEST 1          /* what the guest publishes */
#define KVP_POOL_AUTO 2           /* the guest's intrinsic items (OS name, FQDN...) */
#define KVP_POOL_AUTO_EXTERNAL 3  /* the host describes itself (HostName...) */
#define KVP_POOL_AUTO_INTERNAL 4  /* guest-internal, never exchanged (OpenVMM) */
#define KVP_POOLS 5

/* value types (Windows registry types) */
#define KVP_REG_SZ 1
#define KVP_REG_EXPAND_SZ 2
#define KVP_REG_DWORD 4
#define KVP_REG_U64 8             /* Linux's 64-bit type */
#define KVP_REG_QWORD 11          /* OpenVMM's (Windows REG_QWORD); both accepted */

/* sizes in bytes, the UTF-16 terminator included */
#define KVP_MAX_KEY_SIZE 512
#define KVP_MAX_VALUE_SIZE 2048

#define KVP_BODY 4                /* GET/SET/DELETE/ENUMERATE body offset */
#define KVP_IP_BODY 2             /* GET_IP_INFO/SET_IP_INFO body offset (packed) */

/* HRESULTs the KVP answers use besides ic_regs.h's */
#define KVP_E_GUID_NOT_FOUND 0x80041002u  /* Linux HV_GUID_NOTFOUND: SET_IP_INFO, no such adapter */

struct kvp_header {
	uint8_t operation;
	uint8_t pool;
	uint8_t pad[2];
} IC_PACKED;
_Static_assert(sizeof(struct kvp_header) == KVP_BODY, "KVP header and pad are 4 bytes");

/* hv_kvp_exchg_msg_value */
struct kvp_value {
	uint32_t value_type;
	uint32_t key_size;
	uint32_t value_size;
	uint8_t key[KVP_MAX_KEY_SIZE];
	uint8_t value[KVP_MAX_VALUE_SIZE];
} IC_PACKED;
_Static_assert(sizeof(struct kvp_value) == 2572, "the KVP value record is 2572 bytes");

/* GET, SET */
struct kvp_msg_get_set {
	struct kvp_header hdr;
	struct kvp_value data;
} IC_PACKED;
_Static_assert(sizeof(struct kvp_msg_get_set) == 2576, "GET/SET message is 2576 bytes");

/* DELETE */
struct kvp_msg_delete {
	struct kvp_header hdr;
	uint32_t key_size;
	uint8_t key[KVP_MAX_KEY_SIZE];
} IC_PACKED;
_Static_assert(sizeof(struct kvp_msg_delete) == 520, "DELETE message is 520 bytes");

/* ENUMERATE */
struct kvp_msg_enumerate {
	struct kvp_header hdr;
	uint32_t index;
	struct kvp_value data;
} IC_PACKED;
_Static_assert(sizeof(struct kvp_msg_enumerate) == 2580, "ENUMERATE message is 2580 bytes");
_Static_assert(__builtin_offsetof(struct kvp_msg_enumerate, data) == 8, "record at +8");

/* GET_IP_INFO, SET_IP_INFO: hv_kvp_ipaddr_value after a packed 2-byte header */
#define KVP_ADAPTER_ID_UNITS 128
#define KVP_IP_ADDR_UNITS 1024
#define KVP_GATEWAY_UNITS 512
struct kvp_ip_value {
	uint16_t adapter_id[KVP_ADAPTER_ID_UNITS];
	uint8_t addr_family;      /* 0 none, 1 IPv4, 2 IPv6, 3 both */
	uint8_t dhcp_enabled;
	uint16_t ip_addr[KVP_IP_ADDR_UNITS];
	uint16_t sub_net[KVP_IP_ADDR_UNITS];
	uint16_t gate_way[KVP_GATEWAY_UNITS];
	uint16_t dns_addr[KVP_IP_ADDR_UNITS];
} IC_PACKED;
_Static_assert(sizeof(struct kvp_ip_value) == 7426, "the IP-info body is 7426 bytes");

struct kvp_msg_ip {
	uint8_t operation;
	uint8_t pool;
	struct kvp_ip_value ip;
} IC_PACKED;
_Static_assert(sizeof(struct kvp_msg_ip) == 7428, "IP-info message is 7428 bytes");

#endif
