/*
 * hvsim's integration-service hosts (OpenVMM hyperv_ic): the framework
 * (ic_host.c) and the services on it (heartbeat, shutdown, time sync, KVP,
 * VSS, fcopy: ic_<service>.c).  Each is a device row (vmbus/vmbus_dev.c)
 * whose .data names its service; all share the hooks below.  The host speaks first (NEGOTIATE), keeps one
 * transaction outstanding per channel and checks every answer.
 *
 * Scenario keys (scenario.c's table: sim_ic_key_*) fill sim_ic_cfg:
 *   shutdown = SECONDS [flags=N] [reason=N] [timeout=N] [message=TEXT]
 *   ic_versions = framework|heartbeat|shutdown|timesync M.m [M.m...]
 */
#ifndef HVSIM_IC_HOST_H
#define HVSIM_IC_HOST_H

#include <stdbool.h>
#include <stdint.h>

#include "drivers/ic/ic_regs.h"
#include "tools/hvsim/vmbus/vmbus.h"

#define SIM_IC_MAX_VERSIONS 8
#define SIM_IC_MESSAGE_MAX 128     /* shutdown display text, ASCII (sent as UTF-16) */

/* A version list the host offers in NEGOTIATE, ascending as OpenVMM lists them. */
struct sim_ic_versions {
	unsigned n;
	struct ic_version v[SIM_IC_MAX_VERSIONS];
};

struct sim_ic_config {
	struct sim_ic_versions framework, heartbeat, shutdown, timesync;
	bool timesync_set;         /* ic_versions = timesync ... given */
	/* "shutdown =": one shutdown request this long after boot (virtual time) */
	bool shutdown_set;
	uint64_t shutdown_ns;
	uint32_t shutdown_flags, shutdown_reason, shutdown_timeout;
	char shutdown_message[SIM_IC_MESSAGE_MAX];
};

extern struct sim_ic_config sim_ic_cfg;

/* The offered list named @name ("framework", "heartbeat", ...), or NULL. */
struct sim_ic_versions *sim_ic_versions_named(const char *name);
/* "3.0" -> *v; 0 on success. */
int sim_ic_version_parse(const char *s, struct ic_version *v);
/* "shutdown = ..." (ic_shutdown.c) and "ic_versions = ..." (ic_host.c). */
void sim_ic_key_shutdown(const char *key, char *val);
void sim_ic_key_versions(const char *key, char *val);

/* The services (a device row's .data). */
struct sim_ic_service;
extern const struct sim_ic_service sim_ic_heartbeat, sim_ic_shutdown, sim_ic_timesync;
extern const struct sim_ic_service sim_ic_kvp, sim_ic_vss, sim_ic_fcopy;

/* What one IC host saw (the self-test reads it). */
struct sim_ic_stats {
	bool negotiated, failed;
	uint64_t sent, answers, errors, late;
};
/* @ch's IC host counts into @s; false when @ch has no IC host. */
bool sim_ic_stats(const struct sim_channel *ch, struct sim_ic_stats *s);

/* The device hooks every IC row uses. */
void sim_ic_open(struct sim_channel *ch);
void sim_ic_packet(struct sim_channel *ch, const struct vmbus_packet *pkt, const void *payload,
		   uint32_t len);
void sim_ic_close(struct sim_channel *ch);
void sim_ic_report(const struct sim_channel *ch);

/* ---- the service interface, for IC hosts in other files (ic_kvp.c, ic_vss.c, ic_fcopy.c) ---- */
#define SIM_IC_DATA_MAX 8192       /* the largest service data a host sends (KVP IP info: 7428) */

struct ic_host;                    /* one open IC channel, the host's side (ic_host.c) */
struct txn;                        /* one message the host sent (ic_host.c) */

/* A service: its message type, what it offers, and its steps (ic_host.c calls them). */
struct sim_ic_service {
	const char *name;
	uint16_t msgtype;
	struct sim_ic_versions *offered;
	/* negotiated: arm the service's timers */
	void (*start)(struct ic_host *h);
	/* send whatever is due, if no transaction is outstanding */
	void (*pump)(struct ic_host *h);
	/* the answer to one of its requests (@data: @len bytes after the IC header) */
	void (*answer)(struct ic_host *h, const struct txn *t, const struct ic_msg_header *m,
		       const uint8_t *data, uint32_t len);
	/* more lines at power off */
	void (*report)(const struct ic_host *h);
	/* optional: the channel opened (NEGOTIATE sent): the service's state starts afresh */
	void (*open)(struct ic_host *h);
};

/*
 * Service state: each service keeps one file-static struct (one channel
 * per service: one device row each) that names the ic_host it belongs to.
 */

/* Send one request (TRANSACTION|REQUEST) of @msgtype with @len bytes of @data; @value comes back with its answer. */
bool sim_ic_send(struct ic_host *h, uint16_t msgtype, const void *data, uint16_t len, uint64_t value);
/* A request is outstanding: nothing more may be sent (one transaction per IC). */
bool sim_ic_busy(const struct ic_host *h);
/* The value a request was sent with. */
uint64_t sim_ic_txn_value(const struct txn *t);
/* The negotiated service version. */
struct ic_version sim_ic_version(const struct ic_host *h);
/* A guest protocol error on @h's channel: stderr, the bus's count and the channel's. */
/* A guest protocol error on @h's channel: logged, counted per channel (sim_vmbus_channel_error). */
void sim_ic_guest_error(struct ic_host *h, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Misbehaviour @mb (enum sim_misbehaviour) happening now, named on stderr. */
void sim_ic_misbehaving(const struct ic_host *h, unsigned mb, const char *what);
/* Quirk @q (enum sim_quirk) acting now, named on stderr. */
void sim_ic_quirk(const struct ic_host *h, unsigned q, const char *what);
/* Timers: sim_at(when, fn, sim_ic_timer_arg(h)); fn's sim_ic_timer_host(arg) is NULL once the channel closed. */
uint64_t sim_ic_timer_arg(const struct ic_host *h);
struct ic_host *sim_ic_timer_host(uint64_t arg);
/* The host of channel @index, closed or not (for a timer that outlives its channel). */
struct ic_host *sim_ic_host_at(unsigned index);
/* @h's channel index. */
unsigned sim_ic_channel_index(const struct ic_host *h);
/* The openvmm profile: OpenVMM's exact IC framing. */
bool sim_ic_openvmm(void);
/* Negotiated and running. */
bool sim_ic_ready(const struct ic_host *h);
/* Why negotiation failed, or NULL when it has not. */
const char *sim_ic_failure(const struct ic_host *h);
/* A message came due while a request is unanswered: counted late; true the first time. */
bool sim_ic_first_late(struct ic_host *h);
/* ic_unknown_type: whether the guest answered the unknown message type, and its status. */
bool sim_ic_unknown_answer(const struct ic_host *h, uint32_t *status);
/* Build one message (pipe header, IC header, @data) into @buf of SIM_IC_MSG_MAX bytes: its length. */
uint32_t sim_ic_build(const struct ic_host *h, uint8_t *buf, uint16_t msgtype, uint8_t flags,
		      const void *data, uint16_t len);
/* Send @len bytes as they are and remember them (@request: the guest owes an answer). */
bool sim_ic_send_raw(struct ic_host *h, const void *buf, uint32_t len, uint16_t msgtype,
		     uint64_t value, bool request);
/* Virtual time @ns as "12.345". */
const char *sim_ic_secs(uint64_t ns, char buf[32]);
/* The name of an HRESULT the ICs use. */
const char *sim_ic_status_name(uint32_t s);

#define SIM_IC_NS_PER_S 1000000000ull
#define SIM_IC_MSG_MAX (IC_HEADERS + SIM_IC_DATA_MAX)

#endif
