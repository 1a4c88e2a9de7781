/*
 * Heartbeat (HYPERV-PROTOCOL.md §5.4): answer each request with sequence
 * + 1, and watch the host's cadence (Linux: about every 2 s).  Hyper-V
 * derives a VM's "Status" from these answers.
 */
#include "drivers/ic/ic.h"
#include "kernel/cpu.h"
#include "lib/report.h"
#include "lib/str.h"

#define MAX_BEATS 1024
#define MIN_BEATS_FOR_CADENCE 3

static const struct ic_version versions[] = { { 1, 0 }, { 3, 0 } };

struct hb_state {
	uint64_t at_ns[MAX_BEATS];
	unsigned n;
	uint64_t first_seq, last_seq;
};

static struct hb_state states[IC_MAX_CHANNELS];

static uint32_t hb_request(struct ic_channel *ic, uint8_t *data, uint32_t len)
{
	struct hb_state *hb = &states[ic->index];
	uint64_t seq;

	if (len < IC_HEARTBEAT_MIN) {
		ic_finding(ic, "message", "a heartbeat of %u bytes cannot hold its sequence number", len);
		return IC_E_INVALIDARG;
	}
	memcpy(&seq, data, sizeof(seq));
	if (hb->n == 0)
		hb->first_seq = seq;
	hb->last_seq = seq;
	if (hb->n < MAX_BEATS)
		hb->at_ns[hb->n] = cpu_now_ns();
	hb->n++;
	report_metric("heartbeat", "\"seq\":%llu", (unsigned long long)seq);
	seq++;
	memcpy(data, &seq, sizeof(seq));
	return IC_S_OK;
}

static void sort(uint64_t *v, unsigned n)
{
	for (unsigned i = 1; i < n; i++)
		for (unsigned j = i; j && v[j - 1] > v[j]; j--) {
			uint64_t t = v[j];

			v[j] = v[j - 1];
			v[j - 1] = t;
		}
}

static void hb_report(struct ic_channel *ic)
{
	static uint64_t gaps[MAX_BEATS];
	const struct hb_state *hb = &states[ic->index];
	unsigned n = hb->n < MAX_BEATS ? hb->n : MAX_BEATS, ngaps = n ? n - 1 : 0;
	uint64_t median, since_last;

	if (!hb->n) {
		check("ic.heartbeat.answered", CHECK_FAIL, "no heartbeat request after negotiation");
		return;
	}
	check("ic.heartbeat.answered", CHECK_PASS, "answered %u heartbeat request%s (sequence %llu..%llu)",
	      hb->n, hb->n == 1 ? "" : "s", (unsigned long long)hb->first_seq,
	      (unsigned long long)hb->last_seq);
	if (n < MIN_BEATS_FOR_CADENCE) {
		check("ic.heartbeat.interval", CHECK_SKIP,
		      "only %u heartbeat%s in the observation window: no cadence to judge", n,
		      n == 1 ? "" : "s");
		return;
	}
	for (unsigned i = 0; i < ngaps; i++)
		gaps[i] = hb->at_ns[i + 1] - hb->at_ns[i];
	sort(gaps, ngaps);
	median = gaps[ngaps / 2];
	since_last = cpu_now_ns() - hb->at_ns[n - 1];
	/* steady: no gap over twice the median, and the host has not gone quiet */
	if (since_last > 3 * median + 1000000000ull)
		check("ic.heartbeat.interval", CHECK_FAIL,
		      "heartbeats stopped: the last was %llu ms ago, the median interval is %llu ms",
		      (unsigned long long)(since_last / 1000000), (unsigned long long)(median / 1000000));
	else
		check_that("ic.heartbeat.interval", gaps[ngaps - 1] <= 2 * median + 100000000ull,
			   "%u intervals: min %llu ms, median %llu ms, max %llu ms", ngaps,
			   (unsigned long long)(gaps[0] / 1000000), (unsigned long long)(median / 1000000),
			   (unsigned long long)(gaps[ngaps - 1] / 1000000));
}

const struct ic_service ic_heartbeat = {
	.name = "heartbeat",
	.msgtype = IC_MSG_HEARTBEAT,
	.versions = versions,
	.nversions = ARRAY_SIZE(versions),
	.request = hb_request,
	.report = hb_report,
};
