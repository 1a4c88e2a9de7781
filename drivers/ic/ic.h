/*
 * The integration-service framework: every IC channel is driven by the
 * same code (ic.c) and differs only in its service row, whose handler has
 * one shape: validated request in, status and edited data out.
 */
#ifndef HVPROBE_IC_H
#define HVPROBE_IC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "drivers/ic/ic_regs.h"
#include "drivers/vmbus/vmbus.h"

struct ic_channel;

/*
 * A host may offer a service more than once: services keep state per
 * channel.  As many as VMBus keeps channels (drivers/vmbus: 64, never
 * reused), so every IC channel the guest opens has its state and is served
 * (16 once left the 17th open and silent).
 */
#define IC_MAX_CHANNELS 64

struct ic_service {
	const char *name;                  /* as in the device table: check ids ic.<name>.* */
	uint16_t msgtype;
	const struct ic_version *versions; /* service versions we speak, ascending */
	unsigned nversions;
	/*
	 * One request of @msgtype: @data holds @len bytes of service data
	 * (the IC header's msgsize, already checked against the packet).
	 * Edit the data in place for the response; return the HRESULT.
	 */
	uint32_t (*request)(struct ic_channel *ic, uint8_t *data, uint32_t len);
	/* after the response went out (shutdown acts here) */
	void (*responded)(struct ic_channel *ic);
	/* end of the run: the service's own checks */
	void (*report)(struct ic_channel *ic);
};

struct ic_channel {
	const struct ic_service *svc;
	struct vmbus_channel *ch;
	bool negotiated;
	struct ic_version framework, version;   /* what NEGOTIATE chose */
	unsigned index;                         /* 0..IC_MAX_CHANNELS-1: per-channel service state */
	uint64_t negotiated_at_ns;
	uint64_t requests, responses;
	unsigned findings;                      /* protocol errors seen (each reported once) */
	void *state;                            /* the service's own */
};

/* The vmbus_device_ops every IC row uses. */
extern const struct vmbus_device_ops ic_device_ops;

/* Report a host protocol error on @ic once per kind: check ic.<name>.<what> failed. */
void ic_finding(struct ic_channel *ic, const char *what, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* A tolerated host habit on @ic, once per kind: check ic.<name>.<what> warns. */
void ic_warning(struct ic_channel *ic, const char *what, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * Host text (UTF-16LE, @n bytes, at most IC_TEXT_MAX) as UTF-8 at @dst, as
 * Linux reads it: up to the first NUL or @n.  A lone surrogate fails
 * ic.<name>.utf16 and returns -1; a missing or early terminator warns.
 */
#define IC_TEXT_MAX 2048
int ic_utf16(struct ic_channel *ic, const char *what, const uint8_t *src, size_t n, char *dst,
	     size_t cap);

/*
 * For the fuzz targets: forget which findings were reported, so that each
 * input reports (and formats) its own, not only the first input to find one.
 */
void ic_reset_findings(void);

/* Services (one file each). */
extern const struct ic_service ic_heartbeat, ic_shutdown, ic_timesync;
extern const struct ic_service ic_kvp, ic_vss, ic_fcopy;

/* File copy: keep at most @bytes of copied files in memory, all together (0: refuse every file). */
void ic_fcopy_set_limit(uint64_t bytes);

/* Shutdown: has the host asked us to power off or reboot? */
bool ic_shutdown_requested(bool *reboot);

#endif
