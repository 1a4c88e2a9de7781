/*
 * hvsim's integration-service framework (OpenVMM hyperv_ic common.rs;
 * Linux hv_util.c for what a guest expects), written from the
 * specification, not from the guest: on open the host sends NEGOTIATE (its
 * framework and service versions, ascending as OpenVMM lists them), checks
 * the answer and runs the service, each in its own file:
 *
 *   ic_heartbeat.c  a request every 2 s (virtual), answer = sequence + 1
 *   ic_timesync.c   one SYNC, then a SAMPLE every 5 s, layout by version
 *   ic_shutdown.c   one request when the scenario says ("shutdown =")
 *   ic_kvp.c, ic_vss.c, ic_fcopy.c (ic_services.h)
 *
 * Every request is a transaction (TRANSACTION|REQUEST, IC transaction id
 * 0, a fresh VMBus transaction id; ic_txid_zero: 0 there too, answers taken
 * in order).  The host keeps one outstanding per channel (ic_back_to_back:
 * now and then two) and checks each answer (TRANSACTION|RESPONSE, the same
 * ids and message type, the service's rules).
 *
 * Under the openvmm profile the framing is OpenVMM's (hyperv_ic common.rs,
 * vmbus_async pipe.rs): every packet DATA_INBAND without a completion
 * request and VMBus transaction id 0 (the profile's ic_txid_zero), a pipe
 * header {1, exact length}; NEGOTIATE with both IC header versions zero and
 * 8 + 4 * (framework + service versions) data bytes; timesync offers 4.0
 * only, each message 24 bytes (TimesyncMessageV4), SYNC first then a SAMPLE
 * every 5 s (OpenVMM: 5 s after each answer); shutdown 2060 bytes, reason PLANNED, timeout 0;
 * heartbeat (hyperv_ic has no heartbeat host) the 16 bytes of
 * hyperv_ic_protocol's HeartbeatMessage; KVP (ic_kvp.c) 2580-byte messages.  Guest mistakes go
 * to stderr through sim_vmbus_channel_error() and are counted per channel.
 * The IC misbehaviours (hvsim.h) each break one rule, on the heartbeat
 * channel unless they belong to time sync, and say so on stderr.
 */
#include "tools/hvsim/ic/ic_host.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tools/hvsim/hvsim.h"

#define NS_PER_S 1000000000ull
#define SHUTDOWN_REASON_PLANNED 0x80000000u   /* SHTDN_REASON_FLAG_PLANNED, as OpenVMM sends */
#define NEGOTIATE_GRACE_NS NS_PER_S           /* open this long without an answer: unserved */
#define MAX_TXN 8
#define MSG_MAX (IC_HEADERS + SIM_IC_DATA_MAX)
#define NEGOTIATE_MAX (sizeof(struct ic_negotiate) + 2 * SIM_IC_MAX_VERSIONS * sizeof(struct ic_version))

struct sim_ic_config sim_ic_cfg = {
	.framework = { 2, { { 1, 0 }, { 3, 0 } } },
	.heartbeat = { 2, { { 1, 0 }, { 3, 0 } } },
	.shutdown = { 4, { { 1, 0 }, { 3, 0 }, { 3, 1 }, { 3, 2 } } },
	.timesync = { 3, { { 1, 0 }, { 3, 0 }, { 4, 0 } } },
	.shutdown_flags = IC_SHUTDOWN_FORCE,
	.shutdown_reason = SHUTDOWN_REASON_PLANNED,
};

/* One message the host sent and may still hear about. */
struct txn {
	bool used;
	bool request;              /* a well-formed request: the guest owes an answer */
	uint64_t id;               /* VMBus transaction id (0 under ic_txid_zero) */
	uint64_t seq;              /* the order it was sent in */
	uint16_t msgtype;
	uint64_t value;            /* heartbeat: the sequence sent; timesync, shutdown: the flags */
};

enum ic_state { IC_NEGOTIATING, IC_READY, IC_FAILED, IC_CLOSED };

/* The host's side of one open IC channel. */
struct ic_host {
	const struct sim_ic_service *svc;
	struct sim_channel *ch;
	enum ic_state state;
	uint64_t generation;       /* timers armed for an older open are ignored */
	uint64_t opened_ns;
	uint64_t next_id, next_seq;
	struct txn txn[MAX_TXN];
	const struct sim_ic_versions *offered_fw, *offered_sv;
	struct ic_version framework, version; /* in the header: negotiated (before: the oldest offered) */
	bool negotiated;
	char failure[160];         /* why negotiation failed */
	/* statistics */
	uint64_t sent, requests, answers, errors, late, unanswered_at_close;
	/* ic_unknown_type (a message type the service does not know) */
	bool unknown_answered;
	uint32_t unknown_status;
};

static struct ic_host hosts[SIM_VMBUS_MAX_CHANNELS];
static uint64_t generations;

/* ---- helpers ---- */

/* The openvmm profile: OpenVMM's exact IC framing (see the file comment). */
static bool openvmm(void)
{
	return sim.profile && !strcmp(sim.profile->name, "openvmm");
}

/* "3.0" */
static const char *vstr(struct ic_version v, char buf[16])
{
	snprintf(buf, 16, "%u.%u", v.major, v.minor);
	return buf;
}

/* A version list as "1.0 3.0". */
static const char *vlist(const struct sim_ic_versions *l, char *buf, size_t n)
{
	size_t pos = 0;

	buf[0] = '\0';
	for (unsigned i = 0; i < l->n && pos < n; i++)
		pos += (size_t)snprintf(buf + pos, n - pos, "%s%u.%u", i ? " " : "", l->v[i].major,
					l->v[i].minor);
	return buf;
}

/* Virtual time @ns as "12.345". */
static const char *secs(uint64_t ns, char buf[32])
{
	snprintf(buf, 32, "%llu.%03llu", (unsigned long long)(ns / NS_PER_S),
		 (unsigned long long)(ns / 1000000 % 1000));
	return buf;
}

/* The name of an HRESULT the ICs use. */
static const char *status_name(uint32_t s)
{
	switch (s) {
	case IC_S_OK:
		return "S_OK";
	case IC_E_FAIL:
		return "E_FAIL";
	case IC_E_NOT_SUPPORTED:
		return "not supported";
	case IC_E_INVALIDARG:
		return "E_INVALIDARG";
	default:
		return s & 0x80000000u ? "a failure" : "a success code";
	}
}

/* Is @v in @l? */
static bool offered(const struct sim_ic_versions *l, struct ic_version v)
{
	for (unsigned i = 0; i < l->n; i++)
		if (l->v[i].major == v.major && l->v[i].minor == v.minor)
			return true;
	return false;
}

/* A misbehaviour happening now, named on stderr. */
static void misbehaving(const struct ic_host *h, enum sim_misbehaviour mb, const char *what)
{
	fprintf(stderr, "hvsim: ic: %s: misbehaving (%s): %s\n", h->svc->name,
		sim_misbehaviour_names[mb], what);
}

/* ---- timers: armed per open, identified by generation and channel ---- */

/* A timer's argument for @h: its generation and channel. */
static uint64_t timer_arg(const struct ic_host *h)
{
	return h->generation << 8 | h->ch->index;
}

/* The host a timer belongs to, or NULL when its channel closed since. */
static struct ic_host *timer_host(uint64_t arg)
{
	struct ic_host *h = &hosts[(arg & 0xff) % SIM_VMBUS_MAX_CHANNELS];

	return h->ch && h->generation == arg >> 8 && h->state != IC_CLOSED ? h : NULL;
}

/* ---- transactions and sending ---- */

/* A request is outstanding: nothing more may be sent (one transaction per IC). */
static bool busy(const struct ic_host *h)
{
	for (unsigned i = 0; i < MAX_TXN; i++)
		if (h->txn[i].used && h->txn[i].request)
			return true;
	return false;
}

/* A free slot; else the oldest one that expects no answer; else NULL. */
static struct txn *txn_new(struct ic_host *h)
{
	struct txn *old = NULL;

	for (unsigned i = 0; i < MAX_TXN; i++) {
		if (!h->txn[i].used)
			return &h->txn[i];
		if (!h->txn[i].request && (!old || h->txn[i].seq < old->seq))
			old = &h->txn[i];
	}
	return old;
}

/*
 * The message an answer with VMBus transaction id @id belongs to, or NULL.
 * ic_txid_zero: OpenVMM ignores the id (common.rs read_message) and takes
 * answers in order: the oldest request still waiting.
 */
static struct txn *txn_find(struct ic_host *h, uint64_t id)
{
	struct txn *oldest = NULL;

	for (unsigned i = 0; i < MAX_TXN; i++) {
		struct txn *t = &h->txn[i];

		if (!t->used)
			continue;
		if (sim_quirk[QUIRK_IC_TXID_ZERO]) {
			if (t->request && (!oldest || t->seq < oldest->seq))
				oldest = t;
		} else if (t->id == id) {
			return t;
		}
	}
	return oldest;
}

/* Send @len raw bytes as one DATA_INBAND packet and remember it. */
static bool send_raw(struct ic_host *h, const void *buf, uint32_t len, uint16_t msgtype,
		     uint64_t value, bool request)
{
	struct txn *t = txn_new(h);

	if (!t) {
		fprintf(stderr, "hvsim: ic: %s: %u transactions outstanding: message type %u not sent\n",
			h->svc->name, MAX_TXN, msgtype);
		return false;
	}
	/* ic_txid_zero: OpenVMM's pipe writes every packet with transaction id 0, no completion flag */
	*t = (struct txn){ true, request, sim_quirk[QUIRK_IC_TXID_ZERO] ? 0 : ++h->next_id,
			   ++h->next_seq, msgtype, value };
	if (sim_channel_send(h->ch, VMBUS_PKT_DATA_INBAND, t->id, buf, len) < 0) {
		fprintf(stderr, "hvsim: ic: %s: message type %u not sent (channel %u closed or its ring broken)\n",
			h->svc->name, msgtype, h->ch->relid);
		t->used = false;
		return false;
	}
	h->sent++;
	h->requests += request;
	sim_vmbus_trace("ic %s -> guest: message type %u, %u bytes, transaction %llu%s", h->svc->name,
			msgtype, len, (unsigned long long)t->id, request ? "" : " (no answer expected)");
	return true;
}

/* Build one IC message (pipe header, IC header with our versions, @data) into @buf. */
static uint32_t build(const struct ic_host *h, uint8_t *buf, uint16_t msgtype, uint8_t flags,
		      const void *data, uint16_t len)
{
	struct ic_pipe_header pipe = { IC_PIPE_DATA, (uint32_t)(sizeof(struct ic_msg_header) + len) };
	struct ic_msg_header m = { h->framework, msgtype, h->version, len, IC_S_OK, 0, flags, { 0, 0 } };

	/* OpenVMM's NEGOTIATE leaves both versions in the IC header zero (common.rs negotiate) */
	if (msgtype == IC_MSG_NEGOTIATE && openvmm())
		m.framework = m.service = (struct ic_version){ 0, 0 };

	memcpy(buf, &pipe, sizeof(pipe));
	memcpy(buf + sizeof(pipe), &m, sizeof(m));
	memcpy(buf + IC_HEADERS, data, len);
	return (uint32_t)IC_HEADERS + len;
}

/* Send one request of @msgtype carrying @data (TRANSACTION|REQUEST). */
static bool send_request(struct ic_host *h, uint16_t msgtype, const void *data, uint16_t len,
			 uint64_t value)
{
	uint8_t buf[MSG_MAX];

	return send_raw(h, buf, build(h, buf, msgtype, IC_FLAG_TRANSACTION | IC_FLAG_REQUEST, data, len),
			msgtype, value, true);
}

/* NEGOTIATE (OpenVMM common.rs negotiate()): counts, framework versions, then service versions. */
static void send_negotiate(struct ic_host *h)
{
	static const struct sim_ic_versions unknown = { 1, { { 9, 0 } } };
	uint8_t data[NEGOTIATE_MAX];
	struct ic_negotiate n = { 0 };
	size_t fw_len, sv_len;

	static const struct sim_ic_versions openvmm_timesync = { 1, { { 4, 0 } } };

	h->offered_fw = &sim_ic_cfg.framework;
	h->offered_sv = h->svc->offered;
	/* OpenVMM's timesync offers 4.0 only (timesync.rs TIMESYNC_VERSIONS), unless the scenario says */
	if (openvmm() && h->svc == &sim_ic_timesync && !sim_ic_cfg.timesync_set)
		h->offered_sv = &openvmm_timesync;
	if (h->svc == &sim_ic_heartbeat && sim_mb_fire(MB_IC_NO_COMMON_VERSION)) {
		h->offered_fw = h->offered_sv = &unknown;
		misbehaving(h, MB_IC_NO_COMMON_VERSION, "NEGOTIATE offers framework 9.0, heartbeat 9.0 only");
	}
	n.framework_count = (uint16_t)h->offered_fw->n;
	n.service_count = (uint16_t)h->offered_sv->n;
	fw_len = h->offered_fw->n * sizeof(struct ic_version);
	sv_len = h->offered_sv->n * sizeof(struct ic_version);
	memcpy(data, &n, sizeof(n));
	memcpy(data + sizeof(n), h->offered_fw->v, fw_len);
	memcpy(data + sizeof(n) + fw_len, h->offered_sv->v, sv_len);
	/* until negotiated, the header carries the oldest versions: every guest reads those */
	h->framework = h->offered_fw->v[0];
	h->version = h->offered_sv->v[0];
	send_request(h, IC_MSG_NEGOTIATE, data, (uint16_t)(sizeof(n) + fw_len + sv_len), 0);
}

/* The guest's answer to NEGOTIATE: one framework and one service version we offered. */
static void negotiate_answer(struct ic_host *h, const struct ic_msg_header *m, const uint8_t *data,
			     uint32_t len)
{
	struct ic_negotiate n;
	struct ic_version v[2];
	char a[16], b[16];

	h->state = IC_FAILED;
	if (len < sizeof(n)) {
		sim_ic_guest_error(h, "NEGOTIATE answered with %u bytes of data (the counts alone are 8)", len);
		snprintf(h->failure, sizeof(h->failure), "a %u-byte NEGOTIATE answer", len);
	} else if (memcpy(&n, data, sizeof(n)), !n.framework_count && !n.service_count) {
		/* the guest's way to say "no common version" (Linux): not an error */
		snprintf(h->failure, sizeof(h->failure), "the guest found no common version (zero counts)");
	} else if (n.framework_count != 1 || n.service_count != 1 || len < sizeof(n) + sizeof(v)) {
		sim_ic_guest_error(h, "NEGOTIATE answered with %u framework and %u %s versions in %u bytes (want 1 and 1)",
			    n.framework_count, n.service_count, h->svc->name, len);
		snprintf(h->failure, sizeof(h->failure), "counts %u/%u in the answer", n.framework_count,
			 n.service_count);
	} else if (memcpy(v, data + sizeof(n), sizeof(v)),
		   !offered(h->offered_fw, v[0]) || !offered(h->offered_sv, v[1])) {
		sim_ic_guest_error(h, "NEGOTIATE answer chose framework %s, %s %s: not among those offered",
			    vstr(v[0], a), h->svc->name, vstr(v[1], b));
		snprintf(h->failure, sizeof(h->failure), "the guest chose versions never offered");
	} else {
		if (m->status != IC_S_OK)
			sim_ic_guest_error(h, "NEGOTIATE answered with status 0x%08x", m->status);
		h->state = IC_READY;
		h->negotiated = true;
		h->framework = v[0];
		h->version = v[1];
		sim_vmbus_trace("ic %s: negotiated framework %s, %s %s", h->svc->name, vstr(v[0], a),
				h->svc->name, vstr(v[1], b));
		h->svc->start(h);
		return;
	}
	fprintf(stderr, "hvsim: ic: %s: negotiation failed: %s; the IC is unusable\n", h->svc->name,
		h->failure);
}

/* ---- the device hooks ---- */

/* Channel open: the host speaks first with NEGOTIATE; the service starts afresh. */
void sim_ic_open(struct sim_channel *ch)
{
	struct ic_host *h = &hosts[ch->index];

	memset(h, 0, sizeof(*h));
	h->svc = ch->dev->data;
	h->ch = ch;
	h->generation = ++generations;
	h->state = IC_NEGOTIATING;
	h->opened_ns = sim.now_ns;
	ch->priv = h;
	/* the host speaks first */
	send_negotiate(h);
	if (h->svc->open)
		h->svc->open(h);
}

/* Check the framing of one packet from the guest; false (logged) when it is broken. */
static bool check_framing(struct ic_host *h, const struct vmbus_packet *pkt, const uint8_t *p,
			  uint32_t len, struct ic_msg_header *out)
{
	struct ic_pipe_header pipe;
	struct ic_msg_header m;

	if (pkt->type != VMBUS_PKT_DATA_INBAND) {
		sim_ic_guest_error(h, "packet type %u (ICs use %u, DATA_INBAND): ignored", pkt->type,
			    VMBUS_PKT_DATA_INBAND);
		return false;
	}
	if (len < IC_HEADERS) {
		sim_ic_guest_error(h, "a %u-byte packet (the pipe and IC headers are 28): ignored", len);
		return false;
	}
	memcpy(&pipe, p, sizeof(pipe));
	memcpy(&m, p + sizeof(pipe), sizeof(m));
	if (pipe.flags != IC_PIPE_DATA || pipe.msgsize < sizeof(m) || pipe.msgsize > len - sizeof(pipe)) {
		sim_ic_guest_error(h, "pipe header type %u, msgsize %u in a %u-byte packet: ignored", pipe.flags,
			    pipe.msgsize, len);
		return false;
	}
	if (m.msgsize > pipe.msgsize - sizeof(m)) {
		sim_ic_guest_error(h, "IC header claims %u data bytes, the pipe message holds %u: ignored",
			    m.msgsize, (unsigned)(pipe.msgsize - sizeof(m)));
		return false;
	}
	*out = m;
	return true;
}

/* A packet from the guest: framing, then the transaction it answers, then the service. */
void sim_ic_packet(struct sim_channel *ch, const struct vmbus_packet *pkt, const void *payload,
		   uint32_t len)
{
	struct ic_host *h = ch->priv;
	struct ic_msg_header hdr, *m = &hdr;
	struct txn t, *slot;

	if (!h || h->ch != ch || h->state == IC_CLOSED || !check_framing(h, pkt, payload, len, &hdr))
		return;
	slot = txn_find(h, pkt->transaction_id);
	if (!slot) {
		sim_ic_guest_error(h, "a message with transaction id %llu, which no request of ours has: ignored",
			    (unsigned long long)pkt->transaction_id);
		return;
	}
	t = *slot;
	slot->used = false;
	h->answers++;
	if (!t.request) {
		sim_ic_guest_error(h, "answered our message type %u (transaction %llu), which was no valid request",
			    t.msgtype, (unsigned long long)t.id);
		return;
	}
	if ((m->flags & (IC_FLAG_TRANSACTION | IC_FLAG_RESPONSE)) != (IC_FLAG_TRANSACTION | IC_FLAG_RESPONSE) ||
	    m->transaction_id != 0 || m->msgtype != t.msgtype) {
		/* OpenVMM: "invalid transaction response"; the answer is not used */
		sim_ic_guest_error(h, "answer to message type %u has flags 0x%x, IC transaction id %u, message type %u (want 0x5, 0, %u)",
			    t.msgtype, m->flags, m->transaction_id, m->msgtype, t.msgtype);
	} else if (t.msgtype == IC_MSG_NEGOTIATE) {
		negotiate_answer(h, m, (const uint8_t *)payload + IC_HEADERS, m->msgsize);
	} else if (t.msgtype == h->svc->msgtype) {
		h->svc->answer(h, &t, m, (const uint8_t *)payload + IC_HEADERS, m->msgsize);
	} else {
		/* ic_unknown_type: a guest must refuse what it does not know */
		h->unknown_answered = true;
		h->unknown_status = m->status;
		if (m->status == IC_S_OK)
			sim_ic_guest_error(h, "answered icmsgtype %u with S_OK (want a failure status)", t.msgtype);
	}
	if (h->state == IC_READY)
		h->svc->pump(h);
}

/* Channel closed: outstanding requests are counted and dropped, timers disarmed. */
void sim_ic_close(struct sim_channel *ch)
{
	struct ic_host *h = ch->priv;
	const struct vmbus_ring_control *ctl;
	char t[32];

	if (!h || h->ch != ch)
		return;
	for (unsigned i = 0; i < MAX_TXN; i++) {
		h->unanswered_at_close += h->txn[i].used && h->txn[i].request;
		h->txn[i].used = false;
	}
	/*
	 * A guest that read NEGOTIATE must answer it: the host waits for that
	 * answer forever (OpenVMM common.rs negotiate).  A guest that never read
	 * the ring (its open failed on its side) is not blamed here.
	 */
	ctl = sim_ring_control(&ch->out);
	if (h->state == IC_NEGOTIATING && ctl && ch->out.index &&
	    __atomic_load_n(&ctl->read_index, __ATOMIC_ACQUIRE) == ch->out.index &&
	    sim.now_ns - h->opened_ns > NEGOTIATE_GRACE_NS)
		sim_ic_guest_error(h, "read NEGOTIATE and never answered it (the channel was open %s s)",
			    secs(sim.now_ns - h->opened_ns, t));
	h->state = IC_CLOSED;
	h->generation = ++generations; /* disarms its timers */
}

/* The channel's IC lines at power off: versions, counts, the service's own line. */
void sim_ic_report(const struct sim_channel *ch)
{
	const struct ic_host *h = ch->priv;
	char a[16], b[16], fw[64], sv[64];

	if (!h || h->ch != ch)
		return;
	fprintf(stderr, "hvsim: ic: %s: offered framework %s, %s %s; ", h->svc->name,
		vlist(h->offered_fw, fw, sizeof(fw)), h->svc->name, vlist(h->offered_sv, sv, sizeof(sv)));
	if (h->failure[0])
		fprintf(stderr, "negotiation failed (%s)", h->failure);
	else if (h->negotiated)
		fprintf(stderr, "negotiated framework %s, %s %s", vstr(h->framework, a), h->svc->name,
			vstr(h->version, b));
	else
		fprintf(stderr, "NEGOTIATE never answered");
	fprintf(stderr, "; %llu messages sent (%llu requests), %llu answers, %llu late, %llu unanswered at close, %llu guest errors\n",
		(unsigned long long)h->sent, (unsigned long long)h->requests,
		(unsigned long long)h->answers, (unsigned long long)h->late,
		(unsigned long long)h->unanswered_at_close, (unsigned long long)h->errors);
	if (!h->failure[0] && h->svc->report)
		h->svc->report(h);
}

/* The counts, for the self-test. */
bool sim_ic_stats(const struct sim_channel *ch, struct sim_ic_stats *s)
{
	const struct ic_host *h = ch->dev->on_open == sim_ic_open ? ch->priv : NULL;

	if (!h || h->ch != ch)
		return false;
	*s = (struct sim_ic_stats){ h->negotiated, h->failure[0] != '\0', h->sent, h->answers, h->errors,
				    h->late };
	return true;
}

/* ---- configuration ---- */

/* The configurable version lists, by name. */
struct sim_ic_versions *sim_ic_versions_named(const char *name)
{
	static const struct {
		const char *name;
		struct sim_ic_versions *list;
	} lists[] = {
		{ "framework", &sim_ic_cfg.framework },
		{ "heartbeat", &sim_ic_cfg.heartbeat },
		{ "shutdown", &sim_ic_cfg.shutdown },
		{ "timesync", &sim_ic_cfg.timesync },
	};

	/* asked for by "ic_versions =": a list the scenario sets (openvmm's timesync default yields) */
	sim_ic_cfg.timesync_set |= !strcmp(name, "timesync");
	for (size_t i = 0; i < sizeof(lists) / sizeof(lists[0]); i++)
		if (!strcmp(lists[i].name, name))
			return lists[i].list;
	return NULL;
}

/* "M.m", each part 0..65535. */
int sim_ic_version_parse(const char *s, struct ic_version *v)
{
	char *end;
	unsigned long maj = strtoul(s, &end, 10), min;

	if (end == s || *end != '.' || maj > 0xffff)
		return -1;
	s = end + 1;
	min = strtoul(s, &end, 10);
	if (end == s || *end || min > 0xffff)
		return -1;
	v->major = (uint16_t)maj;
	v->minor = (uint16_t)min;
	return 0;
}

/* ---- for the services in their own files (ic_heartbeat.c ... ic_fcopy.c): ic_host.h ---- */

/* One request of @msgtype, if its data fits. */
bool sim_ic_send(struct ic_host *h, uint16_t msgtype, const void *data, uint16_t len, uint64_t value)
{
	return len <= SIM_IC_DATA_MAX && send_request(h, msgtype, data, len, value);
}

/* A request is outstanding. */
bool sim_ic_busy(const struct ic_host *h)
{
	return busy(h);
}

/* The value @t was sent with. */
uint64_t sim_ic_txn_value(const struct txn *t)
{
	return t->value;
}

/* The negotiated service version. */
struct ic_version sim_ic_version(const struct ic_host *h)
{
	return h->version;
}

/* A guest protocol error on @h's channel: logged, counted per channel. */
void sim_ic_guest_error(struct ic_host *h, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	sim_vmbus_channel_verror(h->ch, h->svc->name, &h->errors, fmt, ap);
	va_end(ap);
}

/* A misbehaviour happening now (misbehaving for other files). */
void sim_ic_misbehaving(const struct ic_host *h, unsigned mb, const char *what)
{
	misbehaving(h, (enum sim_misbehaviour)mb, what);
}

/* Quirk @q acts on @h's channel: what it does, on stderr. */
void sim_ic_quirk(const struct ic_host *h, unsigned q, const char *what)
{
	fprintf(stderr, "hvsim: ic: %s: quirk (%s): %s\n", h->svc->name, sim_quirk_names[q], what);
}

/* A timer argument for @h. */
uint64_t sim_ic_timer_arg(const struct ic_host *h)
{
	return timer_arg(h);
}

/* The host a timer belongs to, or NULL once its channel closed. */
struct ic_host *sim_ic_timer_host(uint64_t arg)
{
	return timer_host(arg);
}

/* The host of channel @index, closed or not (a timer that outlives the channel). */
struct ic_host *sim_ic_host_at(unsigned index)
{
	return &hosts[index % SIM_VMBUS_MAX_CHANNELS];
}

/* @h's channel index. */
unsigned sim_ic_channel_index(const struct ic_host *h)
{
	return h->ch->index;
}

/* The openvmm profile (OpenVMM's exact framing). */
bool sim_ic_openvmm(void)
{
	return openvmm();
}

/* Negotiated and running. */
bool sim_ic_ready(const struct ic_host *h)
{
	return h->state == IC_READY;
}

/* Why negotiation failed, or NULL when it did not. */
const char *sim_ic_failure(const struct ic_host *h)
{
	return h->state == IC_FAILED ? h->failure : NULL;
}

/* A message came due while a request is unanswered: counted late; true the first time. */
bool sim_ic_first_late(struct ic_host *h)
{
	return !h->late++;
}

/* The guest answered a message type the service does not know (ic_unknown_type): its status. */
bool sim_ic_unknown_answer(const struct ic_host *h, uint32_t *status)
{
	*status = h->unknown_status;
	return h->unknown_answered;
}

/* Build one message into @buf (MSG_MAX bytes): its length. */
uint32_t sim_ic_build(const struct ic_host *h, uint8_t *buf, uint16_t msgtype, uint8_t flags,
		      const void *data, uint16_t len)
{
	return build(h, buf, msgtype, flags, data, len);
}

/* Send @len bytes as they are and remember them (@request: an answer is owed). */
bool sim_ic_send_raw(struct ic_host *h, const void *buf, uint32_t len, uint16_t msgtype,
		     uint64_t value, bool request)
{
	return send_raw(h, buf, len, msgtype, value, request);
}

/* Virtual time @ns as "12.345". */
const char *sim_ic_secs(uint64_t ns, char buf[32])
{
	return secs(ns, buf);
}

/* The name of an HRESULT the ICs use. */
const char *sim_ic_status_name(uint32_t s)
{
	return status_name(s);
}

/* "ic_versions = LIST M.m [M.m...]": replaces what NEGOTIATE offers for LIST. */
void sim_ic_key_versions(const char *key, char *val)
{
	char *save = NULL, *tok = strtok_r(val, " \t", &save);
	struct sim_ic_versions *l = tok ? sim_ic_versions_named(tok) : NULL;

	if (!l)
		sim_usage_error("ic_versions: not framework, heartbeat, shutdown or timesync", tok);
	l->n = 0;
	while ((tok = strtok_r(NULL, " \t", &save))) {
		if (l->n == SIM_IC_MAX_VERSIONS || sim_ic_version_parse(tok, &l->v[l->n]))
			sim_usage_error("bad or too many IC versions", tok);
		l->n++;
	}
	if (!l->n)
		sim_usage_error("ic_versions lists no version", NULL);
}
