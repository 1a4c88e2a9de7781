/*
 * Heartbeat (Linux drivers/hv/hv_util.c heartbeat_onchannelcallback(),
 * OpenVMM hyperv_ic_protocol heartbeat.rs): answer each request with
 * sequence + 1, and watch the host's cadence (Linux: about every 2 s).
 */
#include "drivers/ic/ic.h"
#include "kernel/cpu.h"
#include "lib/report.h"
#include "lib/str.h"

#define MAX_GAPS 256              /* the newest intervals, for the median */
#define MIN_BEATS_FOR_CADENCE 3
#define FIRST_BEAT_GRACE_NS 3000000000ull  /* one 2 s period and some: too soon to expect one */

static const struct ic_version versions[] = { { 1, 0 }, { 3, 0 } };

/*
 * Per channel: counts and the newest beat's time for every beat, however
 * long the run, and a ring of the newest intervals (ms) for the median.
 * (It once kept the first 1024 beats' times and judged "the last beat"
 * by the 1024th: 34 minutes into a run a correct host looked silent.)
 */
struct hb_state {
	uint64_t n;
	uint64_t first_seq, last_seq;
	uint64_t last_ns;
	uint64_t min_gap_ns, max_gap_ns;
	uint32_t gaps_ms[MAX_GAPS];
};

static struct hb_state states[IC_MAX_CHANNELS];

/*
 * Linux heartbeat_onchannelcallback() needs only the sequence number (8
 * bytes: "the host may not fill [the reserved area] up entirely") and drops
 * a shorter heartbeat unanswered: that is the host's error.
 */
static uint32_t hb_request(struct ic_channel *ic, uint8_t *data, uint32_t len)
{
	struct hb_state *hb = &states[ic->index];
	uint64_t seq, now = cpu_now_ns();

	if (len < IC_HEARTBEAT_MIN) {
		ic_finding(ic, "message", "a heartbeat of %u bytes cannot hold its sequence number", len);
		return IC_E_INVALIDARG;
	}
	memcpy(&seq, data, sizeof(seq));
	if (hb->n == 0) {
		hb->first_seq = seq;
	} else {
		uint64_t gap = now - hb->last_ns, ms = gap / 1000000;

		hb->gaps_ms[(hb->n - 1) % MAX_GAPS] = ms > UINT32_MAX ? UINT32_MAX : (uint32_t)ms;
		if (hb->n == 1 || gap < hb->min_gap_ns)
			hb->min_gap_ns = gap;
		if (gap > hb->max_gap_ns)
			hb->max_gap_ns = gap;
	}
	hb->last_seq = seq;
	hb->last_ns = now;
	hb->n++;
	report_metric("heartbeat", "\"seq\":%llu", (unsigned long long)seq);
	seq++;
	memcpy(data, &seq, sizeof(seq));
	return IC_S_OK;
}

static void sort(uint32_t *v, unsigned n)
{
	for (unsigned i = 1; i < n; i++)
		for (unsigned j = i; j && v[j - 1] > v[j]; j--) {
			uint32_t t = v[j];

			v[j] = v[j - 1];
			v[j - 1] = t;
		}
}

/*
 * The cadence: Linux's hv_util.c says Hyper-V sends a heartbeat "every two
 * seconds"; no source fixes the period, so we judge steadiness against the
 * host's own median: no gap over twice it, and no silence at the end.
 */
static void hb_report(struct ic_channel *ic)
{
	static uint32_t gaps[MAX_GAPS];
	const struct hb_state *hb = &states[ic->index];
	uint64_t ngaps = hb->n ? hb->n - 1 : 0, median, since_last;
	unsigned kept = ngaps < MAX_GAPS ? (unsigned)ngaps : MAX_GAPS;

	/* Source: Linux hv_util.c: Hyper-V sends a heartbeat request every two seconds */
	if (!hb->n) {
		uint64_t since = cpu_now_ns() - ic->negotiated_at_ns;

		check("ic.heartbeat.answered", since < FIRST_BEAT_GRACE_NS ? CHECK_SKIP : CHECK_FAIL,
		      "no heartbeat request in the %llu ms after negotiation",
		      (unsigned long long)(since / 1000000));
		return;
	}
	check("ic.heartbeat.answered", CHECK_PASS, "answered %llu heartbeat request%s (sequence %llu..%llu)",
	      (unsigned long long)hb->n, hb->n == 1 ? "" : "s", (unsigned long long)hb->first_seq,
	      (unsigned long long)hb->last_seq);
	if (hb->n < MIN_BEATS_FOR_CADENCE) {
		check("ic.heartbeat.interval", CHECK_SKIP,
		      "only %llu heartbeat%s in the observation window: no cadence to judge",
		      (unsigned long long)hb->n, hb->n == 1 ? "" : "s");
		return;
	}
	memcpy(gaps, hb->gaps_ms, kept * sizeof(gaps[0]));
	sort(gaps, kept);
	median = gaps[kept / 2] * 1000000ull;
	since_last = cpu_now_ns() - hb->last_ns;
	/*
	 * Source: Linux hv_util.c (a request every two seconds): a host that
	 * stops is broken.  Two intervals and a second of silence is two beats
	 * missed, not jitter: a 10 s observation still sees a stop after 4 s.
	 */
	if (since_last > 2 * median + 1000000000ull)
		check("ic.heartbeat.interval", CHECK_FAIL,
		      "heartbeats stopped: the last was %llu ms ago, the median interval is %llu ms",
		      (unsigned long long)(since_last / 1000000), (unsigned long long)(median / 1000000));
	else
		/* an irregular cadence breaks no guest (Linux answers whenever a request comes): a warning */
		check("ic.heartbeat.interval", hb->max_gap_ns <= 2 * median + 100000000ull ? CHECK_PASS : CHECK_WARN,
		      "%llu intervals: min %llu ms, median %llu ms, max %llu ms",
			   (unsigned long long)ngaps, (unsigned long long)(hb->min_gap_ns / 1000000),
			   (unsigned long long)(median / 1000000),
			   (unsigned long long)(hb->max_gap_ns / 1000000));
}

const struct ic_service ic_heartbeat = {
	.name = "heartbeat",
	.msgtype = IC_MSG_HEARTBEAT,
	.versions = versions,
	.nversions = ARRAY_SIZE(versions),
	.request = hb_request,
	.report = hb_report,
};
