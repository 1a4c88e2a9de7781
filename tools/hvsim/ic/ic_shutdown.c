/*
 * hvsim's shutdown host (OpenVMM shutdown.rs), an IC service on the
 * ic_host.c framework: one request when the scenario says ("shutdown =",
 * sim_ic_cfg), its answer judged by the flags, and a watchdog: a guest that
 * accepted and still runs 30 s later is an error.
 */
#include <stdio.h>
#include <string.h>

#include "tools/hvsim/hvsim.h"
#include "tools/hvsim/ic/ic_host.h"

#define SHUTDOWN_GRACE_NS (30 * SIM_IC_NS_PER_S) /* accepted but still running after this: an error */

static bool sds_done;         /* one shutdown request per run */

/* The shutdown channel's state (ic_host.h: one struct per service). */
static struct {
	const struct ic_host *h;
	bool due, sent, answered;
	uint32_t status;
	uint64_t sent_ns, answer_ns;
} sds;

static void sd_due(uint64_t arg);

/* The channel opened: start afresh; arm the scenario's request. */
static void sd_open(struct ic_host *h)
{
	memset(&sds, 0, sizeof(sds));
	sds.h = h;
	if (sim_ic_cfg.shutdown_set && !sds_done)
		sim_at(sim_ic_cfg.shutdown_ns > sim.now_ns ? sim_ic_cfg.shutdown_ns : sim.now_ns, sd_due,
		       sim_ic_timer_arg(h));
}

/* Flags 0-3 (power off, reboot, forced or not) are accepted; hibernate and the rest refused. */
static bool sd_acceptable(uint32_t flags)
{
	return flags <= (IC_SHUTDOWN_FORCE | IC_SHUTDOWN_RESTART);
}

/* What shutdown flags ask for, in words. */
static const char *sd_action(uint32_t flags)
{
	if (flags & ~(IC_SHUTDOWN_FORCE | IC_SHUTDOWN_RESTART | IC_SHUTDOWN_HIBERNATE))
		return "unknown flags";
	if (flags & IC_SHUTDOWN_HIBERNATE)
		return "hibernate";
	return flags & IC_SHUTDOWN_RESTART ? "reboot" : "power off";
}

/* The scenario's shutdown request, once it is due and the channel idle. */
static void sd_pump(struct ic_host *h)
{
	struct ic_shutdown s = { sim_ic_cfg.shutdown_reason, sim_ic_cfg.shutdown_timeout,
				 sim_ic_cfg.shutdown_flags, { 0 } };
	char t[32];

	if (sim_ic_busy(h) || !sds.due)
		return;
	sds.due = false;
	/* the display message is UTF-16LE text */
	for (size_t i = 0; sim_ic_cfg.shutdown_message[i] && 2 * i + 1 < IC_SHUTDOWN_MESSAGE; i++)
		s.display_message[2 * i] = (uint8_t)sim_ic_cfg.shutdown_message[i];
	if (!sim_ic_send(h, IC_MSG_SHUTDOWN, &s, sizeof(s), s.flags))
		return;
	sds.sent = true;
	sds.sent_ns = sim.now_ns;
	fprintf(stderr, "hvsim: ic: shutdown: asked the guest to %s (flags 0x%x, reason 0x%08x, timeout %u s) at %s s\n",
		sd_action(s.flags), s.flags, s.reason_code, s.timeout_seconds, sim_ic_secs(sim.now_ns, t));
}

/* The scenario's moment: ask as soon as the channel is negotiated and idle. */
static void sd_due(uint64_t arg)
{
	struct ic_host *h = sim_ic_timer_host(arg);

	if (!h || sds_done)
		return;
	sds_done = true;
	if (sim_ic_failure(h)) {
		fprintf(stderr, "hvsim: ic: shutdown: the request cannot be sent: negotiation failed (%s)\n",
			sim_ic_failure(h));
		return;
	}
	sds.due = true;
	if (sim_ic_ready(h))
		sd_pump(h);
}

/* The guest accepted 30 s ago (even if it closed the channel since) and still runs. */
static void sd_watchdog(uint64_t arg)
{
	struct ic_host *h = sim_ic_host_at((unsigned)arg);
	char t[32];

	sim_ic_guest_error(h, "accepted the request to %s at %s s and is still running 30 s later",
		    sd_action(sim_ic_cfg.shutdown_flags), sim_ic_secs(sds.answer_ns, t));
}

/* Negotiated: a request that fell due while negotiating goes now. */
static void sd_start(struct ic_host *h)
{
	sd_pump(h);
}

/* The guest's status: S_OK for flags 0-3, a failure for the rest; then it should act. */
static void sd_answer(struct ic_host *h, const struct txn *t, const struct ic_msg_header *m,
		      const uint8_t *data, uint32_t len)
{
	uint32_t flags = (uint32_t)sim_ic_txn_value(t);
	char ts[32];

	sds.answered = true;
	sds.status = m->status;
	sds.answer_ns = sim.now_ns;
	fprintf(stderr, "hvsim: ic: shutdown: the guest answered 0x%08x (%s) at %s s\n", m->status,
		sim_ic_status_name(m->status), sim_ic_secs(sim.now_ns, ts));
	if (sd_acceptable(flags) && m->status != IC_S_OK)
		sim_ic_guest_error(h, "refused to %s (flags 0x%x) with 0x%08x (want S_OK)", sd_action(flags), flags,
			    m->status);
	else if (!sd_acceptable(flags) && m->status == IC_S_OK)
		sim_ic_guest_error(h, "accepted %s (flags 0x%x) with S_OK (want E_FAIL: it cannot do that)",
			    sd_action(flags), flags);
	if (m->status == IC_S_OK)
		sim_at(sim.now_ns + SHUTDOWN_GRACE_NS, sd_watchdog, sim_ic_channel_index(h));
}

/* The shutdown line at power off: asked, answered, acted. */
static void sd_report(const struct ic_host *h)
{
	uint32_t flags = sim_ic_cfg.shutdown_flags;
	char a[32], b[32];

	if (!sim_ic_cfg.shutdown_set)
		fprintf(stderr, "hvsim: ic:   shutdown: no request (the scenario asks for none)\n");
	else if (!sds.sent)
		fprintf(stderr, "hvsim: ic:   shutdown: the request due at %s s was never sent\n",
			sim_ic_secs(sim_ic_cfg.shutdown_ns, a));
	else if (!sds.answered)
		fprintf(stderr, "hvsim: ic:   shutdown: asked to %s at %s s; never answered\n",
			sd_action(flags), sim_ic_secs(sds.sent_ns, a));
	else if (sds.status == IC_S_OK)
		fprintf(stderr, "hvsim: ic:   shutdown: asked to %s at %s s; accepted (S_OK); the guest stopped %s s after its answer (%s expected)\n",
			sd_action(flags), sim_ic_secs(sds.sent_ns, a), sim_ic_secs(sim.now_ns - sds.answer_ns, b),
			sd_acceptable(flags) ? sd_action(flags) : "refusal");
	else
		fprintf(stderr, "hvsim: ic:   shutdown: asked to %s at %s s; refused with 0x%08x (%s)%s\n",
			sd_action(flags), sim_ic_secs(sds.sent_ns, a), sds.status, sim_ic_status_name(sds.status),
			sd_acceptable(flags) ? ", but it should have accepted" : ", as it should");
}

const struct sim_ic_service sim_ic_shutdown = {
	"shutdown", IC_MSG_SHUTDOWN, &sim_ic_cfg.shutdown, sd_start, sd_pump, sd_answer, sd_report, sd_open,
};

/* "shutdown = SECONDS [flags=N] [reason=N] [timeout=N] [message=TEXT]" */
void sim_ic_key_shutdown(const char *key, char *val)
{
	struct sim_ic_config *c = &sim_ic_cfg;
	char *msg = strstr(val, "message="), *save = NULL, *tok;

	if (msg) {
		*msg = '\0';
		msg += 8;
		if (strlen(msg) >= sizeof(c->shutdown_message))
			sim_usage_error("shutdown message too long", msg);
		strcpy(c->shutdown_message, msg);
	}
	tok = strtok_r(val, " \t", &save);
	if (!tok)
		sim_usage_error("shutdown needs SECONDS", NULL);
	c->shutdown_ns = sim_scenario_number("shutdown", tok, 86400) * 1000000000ull;
	c->shutdown_set = true;
	while ((tok = strtok_r(NULL, " \t", &save))) {
		if (!strncmp(tok, "flags=", 6))
			c->shutdown_flags = (uint32_t)sim_scenario_number("shutdown flags", tok + 6, UINT32_MAX);
		else if (!strncmp(tok, "reason=", 7))
			c->shutdown_reason = (uint32_t)sim_scenario_number("shutdown reason", tok + 7, UINT32_MAX);
		else if (!strncmp(tok, "timeout=", 8))
			c->shutdown_timeout = (uint32_t)sim_scenario_number("shutdown timeout", tok + 8, UINT32_MAX);
		else
			sim_usage_error("bad shutdown option", tok);
	}
}
