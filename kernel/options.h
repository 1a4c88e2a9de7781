/* Run options from hvprobe.cfg (keys, defaults and meaning in options.c). */
#ifndef HVPROBE_OPTIONS_H
#define HVPROBE_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum expect_profile {
	EXPECT_NONE,   /* judge only what the host advertises */
	EXPECT_QEMU,   /* a QEMU/KVM Hyper-V host: the interface must be there */
	EXPECT_HYPERV, /* Microsoft Hyper-V: the interface and its devices */
};

enum finish_action {
	FINISH_POWEROFF,
	FINISH_REBOOT,
	FINISH_SERVE,
};

enum fault_kind {
	FAULT_NONE,
	FAULT_PAGE_FAULT,
	FAULT_GP,
	FAULT_UD,
	FAULT_DIVIDE,
	FAULT_ASSERT,
	FAULT_HANG,
};

#define OBSERVE_DEFAULT UINT64_MAX /* chosen by the profile after parsing */

struct options {
	unsigned expect;      /* enum expect_profile */
	unsigned finish;      /* enum finish_action */
	unsigned fault;       /* enum fault_kind */
	unsigned verbose;     /* 0 or 1 */
	uint64_t observe_s;   /* observation window before the verdict */
	uint64_t deadline_s;  /* global deadline: a verdict by then, whatever happens */
	uint64_t guest_os_id; /* written to HV_MSR_GUEST_OS_ID (hosts change behaviour by it) */
	uint32_t vmbus_version; /* 0: negotiate; else only this (major << 16 | minor) */
	char require[256];    /* comma-separated devices the host must offer ("" = the profile's) */
	char require_unknown[128]; /* names in require= that are no known device: 'a', 'b' */
	uint64_t fcopy_max;   /* bytes of copied files (guest file copy) kept in memory */
	unsigned enforce;     /* 0 or 1: access outside the CPUID bits must be refused (enlight area) */
};

extern struct options opt;

extern const char *const expect_names[];
extern const char *const fault_names[];

/* True when require= names device @name (what a profile demands: kernel/policy.c). */
bool options_require_names(const char *name);

/* The device names require= accepts, comma-separated, into @buf. */
const char *options_device_names(char *buf, size_t n);

/* Parse "M.m" as a VMBus version word; 0 when malformed. */
uint32_t options_parse_version(const char *s);

/* Reset to defaults, then apply @len bytes of hvprobe.cfg; return bad lines. */
int options_load(const char *text, size_t len);

#endif
