/*
 * The IC framework (Linux drivers/hv/hv_util.c and channel_mgmt.c
 * vmbus_prep_negotiate_resp(); OpenVMM hyperv_ic/src/common.rs): check the
 * pipe and IC headers of each packet, answer NEGOTIATE with the highest
 * common versions, hand service requests to the service row, and send every
 * response back with TRANSACTION|RESPONSE and the request's VMBus
 * transaction id, whatever it is (OpenVMM sends 0 and ignores it).
 *
 * Lengths are Linux's: the service data is what the packet carries after
 * the 28 bytes of headers; the pipe header's type and size and the IC
 * header's msgsize are not used (Linux's callbacks never read them), and a
 * disagreement is a warning, not a failure.  Our own answers are framed
 * exactly (pipe type 1, both sizes true), as OpenVMM's reader requires.
 */
#include "drivers/ic/ic.h"

#include <stdarg.h>

#include "kernel/cpu.h"
#include "lib/fmt.h"
#include "lib/log.h"
#include "lib/report.h"
#include "lib/str.h"
#include "lib/utf16.h"

#define MAX_FINDINGS 16

/* Framework versions we speak (ascending): 1.0 (WS2008) and 3.0. */
static const struct ic_version frameworks[] = { { 1, 0 }, { 3, 0 } };

static struct ic_channel ics[IC_MAX_CHANNELS];
static unsigned nics;
static uint8_t reply[16384];

/*
 * One finding per (channel, kind, result), so a chatty host does not flood
 * the report: each entry is the report_finding() count of one id
 * ic.<name>.<what>, one for its failure and one for its warning.
 */
static struct {
	const struct ic_channel *ic;
	char what[24];
	unsigned seen[2];                       /* failures, warnings */
} reported[MAX_FINDINGS * 4];
static unsigned nreported;

/* The report_finding() count of ic.<name>.<what> for @result (a spare one when the table is full). */
static unsigned *ic_seen(struct ic_channel *ic, enum check_result result, const char *what)
{
	static unsigned spare;
	unsigned r = result == CHECK_WARN;

	for (unsigned i = 0; i < nreported; i++)
		if (reported[i].ic == ic && !strcmp(reported[i].what, what))
			return &reported[i].seen[r];
	if (nreported < ARRAY_SIZE(reported)) {
		reported[nreported].ic = ic;
		str_copy(reported[nreported].what, what, sizeof(reported[0].what));
		reported[nreported].seen[0] = reported[nreported].seen[1] = 0;
		return &reported[nreported++].seen[r];
	}
	spare = 0;
	return &spare;
}

static FMT_PRINTF(4, 0) void ic_report_finding(struct ic_channel *ic, enum check_result result,
						const char *what, const char *fmt, va_list ap)
{
	unsigned *seen = ic_seen(ic, result, what);
	char id[64];

	if (report_finding_muted(seen))
		return;
	fmt_snprintf(id, sizeof(id), "ic.%s.%s", ic->svc->name, what);
	report_vfinding(id, result, seen, fmt, ap);
}

void ic_finding(struct ic_channel *ic, const char *what, const char *fmt, ...)
{
	va_list ap;

	ic->findings++;
	va_start(ap, fmt);
	ic_report_finding(ic, CHECK_FAIL, what, fmt, ap);
	va_end(ap);
}

void ic_warning(struct ic_channel *ic, const char *what, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ic_report_finding(ic, CHECK_WARN, what, fmt, ap);
	va_end(ap);
}

int ic_utf16(struct ic_channel *ic, const char *what, const uint8_t *src, size_t n, char *dst,
	     size_t cap)
{
	size_t units;
	const char *why;
	int r;

	if (n > IC_TEXT_MAX)
		n = IC_TEXT_MAX;
	r = utf16le_text_to_utf8(src, n, dst, cap, &units, &why);
	/*
	 * Ill-formed UTF-16 (a lone surrogate) is the host's error: OpenVMM
	 * kvp.rs parse_str() refuses it as invalid UTF-16 (Linux's
	 * utf16s_to_utf8s() drops such a unit silently).
	 */
	if (r < 0) {
		ic_finding(ic, "utf16", "%s (%zu bytes) has %s", what, n, why);
		return -1;
	}
	/*
	 * Linux's utf16s_to_utf8s() (hv_kvp.c kvp_send_key) converts up to the
	 * first NUL or the size, whichever comes first; OpenVMM's write_str()
	 * always counts the terminator: a text without one, or with one before
	 * its size, is tolerated as Linux does.
	 */
	if (n != 2 * units + 2)
		ic_warning(ic, "utf16", "%s: %zu bytes, the text ends %s (Linux converts up to the first NUL or the size)",
			   what, n, 2 * units == n ? "without a NUL terminator" : "at a NUL before the size");
	return r;
}

void ic_reset_findings(void)
{
	nreported = 0;
}

static bool version_le(struct ic_version a, struct ic_version b)
{
	return a.major < b.major || (a.major == b.major && a.minor <= b.minor);
}

/* The highest version in @offered that we also speak; false when none. */
static bool pick(const struct ic_version *offered, unsigned n, const struct ic_version *ours,
		 unsigned nours, struct ic_version *out)
{
	bool found = false;

	for (unsigned i = 0; i < n; i++)
		for (unsigned j = 0; j < nours; j++)
			if (offered[i].major == ours[j].major && offered[i].minor == ours[j].minor &&
			    (!found || version_le(*out, offered[i]))) {
				*out = offered[i];
				found = true;
			}
	return found;
}

static void list_versions(char *buf, size_t n, const struct ic_version *v, unsigned count)
{
	struct fmt_buf fb = { buf, n, 0 };

	buf[0] = '\0';
	for (unsigned i = 0; i < count; i++)
		fmt_add(&fb, "%s%u.%u", i ? " " : "", v[i].major, v[i].minor);
}

/*
 * NEGOTIATE: rewrite the data as the chosen pair, or zero counts (Linux
 * vmbus_prep_negotiate_resp(): the counts must fit the packet, else no
 * version is chosen; OpenVMM common.rs negotiate() needs 1 and 1 back).
 */
static uint32_t negotiate(struct ic_channel *ic, struct ic_msg_header *h, uint8_t *data,
			  uint32_t len)
{
	struct ic_negotiate *n = (void *)data;
	char fw[64], sv[64], id[64];
	struct ic_version f, s;
	bool okf, oks;

	if (len < sizeof(*n) ||
	    (uint32_t)(n->framework_count + n->service_count) > (len - sizeof(*n)) / 4) {
		ic_finding(ic, "negotiate", "NEGOTIATE with %u bytes of data cannot hold its version counts",
			   len);
		return IC_E_INVALIDARG;
	}
	list_versions(fw, sizeof(fw), n->versions, n->framework_count);
	list_versions(sv, sizeof(sv), n->versions + n->framework_count, n->service_count);
	okf = pick(n->versions, n->framework_count, frameworks, ARRAY_SIZE(frameworks), &f);
	oks = pick(n->versions + n->framework_count, n->service_count, ic->svc->versions,
		   ic->svc->nversions, &s);
	fmt_snprintf(id, sizeof(id), "ic.%s.negotiate", ic->svc->name);
	if (!okf || !oks) {
		/* "no common version" is answered with zero counts (Linux) */
		n->framework_count = n->service_count = 0;
		h->msgsize = sizeof(*n);
		check(id, CHECK_FAIL, "no common %s version: host offers framework %s, %s %s",
		      okf ? ic->svc->name : "framework", fw, ic->svc->name, sv);
		return IC_S_OK;
	}
	n->framework_count = n->service_count = 1;
	n->versions[0] = f;
	n->versions[1] = s;
	h->msgsize = sizeof(*n) + 2 * sizeof(struct ic_version);
	if (!ic->negotiated)
		check(id, CHECK_PASS, "framework %u.%u, %s %u.%u (host offered framework %s; %s %s)",
		      f.major, f.minor, ic->svc->name, s.major, s.minor, fw, ic->svc->name, sv);
	if (!ic->negotiated)
		ic->negotiated_at_ns = cpu_now_ns();
	ic->negotiated = true;
	ic->framework = f;
	ic->version = s;
	return IC_S_OK;
}

/* Attach IC state to @ch (its device row names the service); none when the table is full. */
static void ic_attach(struct vmbus_channel *ch)
{
	struct ic_channel *ic;

	if (nics == IC_MAX_CHANNELS)
		return;
	ic = &ics[nics];
	memset(ic, 0, sizeof(*ic));
	ic->index = nics++;
	ic->svc = ch->dev->data;
	ic->ch = ch;
	ch->priv = ic;
}

/* The channel's IC state, attached on first use (the drain at open may come first). */
static struct ic_channel *ic_of(struct vmbus_channel *ch)
{
	if (!ch->priv)
		ic_attach(ch);
	return ch->priv;
}

/* @size names the @avail bytes of a padded payload: at most 7 short of them. */
static bool fits(uint32_t size, uint32_t avail)
{
	return size <= avail && avail - size < 8;
}

/* One inbound packet on an IC channel. */
static void ic_packet(struct vmbus_channel *ch, const struct vmbus_packet *pkt,
		      const uint8_t *payload, uint32_t len)
{
	struct ic_channel *ic = ic_of(ch);
	struct ic_pipe_header *pipe = (void *)reply;
	struct ic_msg_header *h = (void *)(reply + sizeof(*pipe));
	uint8_t *data = reply + IC_HEADERS;
	uint32_t status, dlen;

	if (!ic)
		return; /* more IC channels than IC_MAX_CHANNELS */
	if (pkt->type != VMBUS_PKT_DATA_INBAND) {
		ic_finding(ic, "packet", "packet type %u on an IC channel (want %u, DATA_INBAND)",
			   pkt->type, VMBUS_PKT_DATA_INBAND);
		return;
	}
	/* Source: Linux hv_util.c callbacks drop a packet shorter than ICMSG_HDR (28) unanswered */
	if (len < IC_HEADERS || len > sizeof(reply)) {
		ic_finding(ic, "message", "a %u-byte message: %s", len,
			   len < IC_HEADERS ? "shorter than the 28-byte pipe and IC headers" :
					      "longer than the 16 KiB ring");
		return;
	}
	memcpy(reply, payload, len);
	/*
	 * The payload ends on an 8-byte boundary (VMBus pads packets): the
	 * sizes may fall up to 7 bytes short of it.  Linux reads neither the
	 * pipe header nor icmsgsize, only the packet length (hv_util.c recvlen);
	 * OpenVMM's pipe.rs reads only pipe type 1 (DATA).
	 */
	if (pipe->flags != IC_PIPE_DATA || !fits(pipe->msgsize, len - sizeof(*pipe)))
		ic_warning(ic, "message", "pipe header type %u, size %u in a %u-byte packet (want type 1 and the packet's length): Linux ignores the pipe header",
			   pipe->flags, pipe->msgsize, len);
	dlen = len - (uint32_t)IC_HEADERS;
	if (fits(h->msgsize, dlen))
		dlen = h->msgsize;
	else
		ic_warning(ic, "message", "IC header says %u bytes of data, the packet carries %u: Linux uses the packet length",
			   h->msgsize, dlen);
	/*
	 * A request is TRANSACTION|REQUEST: OpenVMM's hosts always set both
	 * (common.rs), and Windows ignores a time message that is not a
	 * transaction (OpenVMM timesync.rs).  A RESPONSE flag names an answer,
	 * which a host never sends us (OpenVMM common.rs read_message() refuses
	 * the mirror mistake as "invalid transaction response").
	 */
	if ((h->flags & IC_FLAG_RESPONSE) || !(h->flags & IC_FLAG_TRANSACTION)) {
		ic_finding(ic, "message", "flags 0x%x: a response or a non-transaction where a request belongs",
			   h->flags);
		return;
	}
	/*
	 * No rule on how many requests are in flight: Linux's heartbeat and
	 * time sync callbacks loop over back-to-back requests, KVP and VSS
	 * defer reading until the current one is done (hv_util.c, hv_kvp.c).
	 */
	ic->requests++;
	h->msgsize = (uint16_t)dlen;
	if (h->msgtype == IC_MSG_NEGOTIATE) {
		status = negotiate(ic, h, data, dlen);
	} else if (h->msgtype != ic->svc->msgtype) {
		ic_finding(ic, "message", "message type %u on the %s channel (want %u or NEGOTIATE)",
			   h->msgtype, ic->svc->name, ic->svc->msgtype);
		status = IC_E_FAIL;
	} else if (!ic->negotiated) {
		ic_finding(ic, "message", "a %s request before NEGOTIATE", ic->svc->name);
		status = IC_E_FAIL;
	} else {
		status = ic->svc->request(ic, data, dlen);
	}
	h->status = status;
	h->flags = IC_FLAG_TRANSACTION | IC_FLAG_RESPONSE;
	pipe->flags = IC_PIPE_DATA;
	pipe->msgsize = (uint32_t)(sizeof(*h) + h->msgsize);
	len = (uint32_t)IC_HEADERS + h->msgsize;
	if (vmbus_send(ch, VMBUS_PKT_DATA_INBAND, 0, pkt->transaction_id, reply, len) == 0)
		ic->responses++;
	if (h->msgtype == ic->svc->msgtype && ic->svc->responded)
		ic->svc->responded(ic);
}

/* Attach at open, so a host that never speaks is still reported; it speaks first (NEGOTIATE). */
static void ic_opened(struct vmbus_channel *ch)
{
	const struct ic_service *svc = ch->dev->data;
	char id[64];

	if (ic_of(ch))
		return;
	/* cannot happen while IC_MAX_CHANNELS covers VMBus's table; never silently */
	fmt_snprintf(id, sizeof(id), "ic.%s.negotiate", svc->name);
	check(id, CHECK_SKIP, "relid %u: more IC channels than hvprobe's table holds (%u): not served",
	      ch->relid, IC_MAX_CHANNELS);
}

static void ic_report(struct vmbus_channel *ch)
{
	struct ic_channel *ic = ch->priv;
	char id[64];

	if (!ic)
		return;
	fmt_snprintf(id, sizeof(id), "ic.%s.negotiate", ic->svc->name);
	if (!ic->negotiated && !ic->requests)
		check(id, CHECK_FAIL, "the host never sent NEGOTIATE on the open %s channel",
		      ic->svc->name);
	if (ic->negotiated && ic->svc->report)
		ic->svc->report(ic);
}

const struct vmbus_device_ops ic_device_ops = {
	.ring_pages = 4, /* 16 KiB each way, as Linux's ICs (OVMM's largest message fits) */
	.opened = ic_opened,
	.packet = ic_packet,
	.report = ic_report,
};
