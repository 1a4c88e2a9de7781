/*
 * Time synchronization (HYPERV-PROTOCOL.md §5.6): every message version's
 * layout, SYNC and SAMPLE.  We keep a wall clock from the host's time and
 * the reference counter, and check that host times are plausible and move
 * forward at the rate of the reference counter.
 */
#include "drivers/hyperv/hv_regs.h"
#include "drivers/ic/ic.h"
#include "kernel/cpu.h"
#include "kernel/options.h"
#include "lib/log.h"
#include "lib/report.h"
#include "lib/str.h"
#include "lib/utc.h"

#define T_2000 (IC_EPOCH_1601_TO_1970 + 9466848000000000ull)   /* 2000-01-01 */
#define T_2200 (IC_EPOCH_1601_TO_1970 + 72257817600000000ull)  /* 2200-01-01 */
#define SYNC_GRACE_NS 1000000000ull  /* a host sends SYNC right after NEGOTIATE: allow 1 s */
#define DRIFT_LIMIT_100NS 10000000ull  /* 1 s between samples is too much */

static const struct ic_version versions[] = { { 1, 0 }, { 3, 0 }, { 4, 0 } };

struct ts_state {
	unsigned syncs, samples, probes, backwards, implausible;
	bool have_prev;
	uint64_t prev_parent, prev_ref, prev_at_ns;
	uint64_t max_drift;         /* 100 ns, |offset| between consecutive samples */
	uint64_t max_gap_ns, sum_gap_ns;
	uint64_t parent, ref;        /* the newest: our wall clock's base */
};

static struct ts_state states[IC_MAX_CHANNELS];

static uint64_t ref_now(void)
{
	uint64_t r = 0;

	if (cpu_rdmsr(HV_MSR_TIME_REF_COUNT, &r))
		r = cpu_now_ns() / 100;
	return r;
}

static int64_t to_unix_ms(uint64_t filetime)
{
	return (int64_t)((filetime - IC_EPOCH_1601_TO_1970) / 10000);
}

static uint32_t ts_request(struct ic_channel *ic, uint8_t *data, uint32_t len)
{
	struct ts_state *ts = &states[ic->index];
	bool v4 = ic->version.major >= 4;
	uint64_t parent, ref, now = cpu_now_ns();
	uint8_t flags;
	char utc[UTC_STR_LEN + 1];

	if (len < (v4 ? sizeof(struct ic_timesync_v4) : sizeof(struct ic_timesync_v1))) {
		ic_finding(ic, "message", "a %u.%u time sample of %u bytes (want %zu)",
			   ic->version.major, ic->version.minor, len,
			   v4 ? sizeof(struct ic_timesync_v4) : sizeof(struct ic_timesync_v1));
		return IC_E_INVALIDARG;
	}
	if (v4) {
		const struct ic_timesync_v4 *m = (const void *)data;

		parent = m->parent_time;
		ref = m->vm_reference_time;
		flags = m->flags;
	} else {
		const struct ic_timesync_v1 *m = (const void *)data;

		parent = m->parent_time;
		ref = ref_now();
		flags = m->flags;
	}
	if (flags & IC_TIMESYNC_SYNC)
		ts->syncs++;
	else if (flags & IC_TIMESYNC_SAMPLE)
		ts->samples++;
	else
		ts->probes++;
	if (parent < T_2000 || parent > T_2200) {
		ts->implausible++;
		ic_finding(ic, "plausible", "host time %llu (100 ns since 1601) is outside 2000..2200",
			   (unsigned long long)parent);
		return IC_S_OK;
	}
	if (ts->have_prev) {
		/* where the host's clock should be, from the reference counter's advance;
		 * unsigned arithmetic: both values come from the host and may be anything */
		uint64_t expected = ts->prev_parent + (ref - ts->prev_ref);
		uint64_t drift = parent - expected;
		uint64_t gap = now - ts->prev_at_ns;

		if (drift > INT64_MAX)
			drift = -drift; /* magnitude of a negative difference */
		if (parent < ts->prev_parent) {
			ts->backwards++;
			ic_finding(ic, "monotonic", "host time went backwards by %llu ms between samples",
				   (unsigned long long)((ts->prev_parent - parent) / 10000));
		}
		if (drift > ts->max_drift)
			ts->max_drift = drift;
		if (gap > ts->max_gap_ns)
			ts->max_gap_ns = gap;
		ts->sum_gap_ns += gap;
	}
	/* offset: how far this sample is from where the previous one predicted */
	report_metric("timesync", "\"kind\":\"%s\",\"host_ms\":%lld,\"offset_us\":%lld",
		      flags & IC_TIMESYNC_SYNC ? "sync" : flags & IC_TIMESYNC_SAMPLE ? "sample" : "probe",
		      (long long)to_unix_ms(parent),
		      ts->have_prev ? (long long)(int64_t)(parent - (ts->prev_parent + (ref - ts->prev_ref))) / 10 : 0ll);
	ts->have_prev = true;
	ts->prev_parent = parent;
	ts->prev_ref = ref;
	ts->prev_at_ns = now;
	ts->parent = parent;
	ts->ref = ref;
	log_debug("hvprobe: timesync %s: host %s\n",
		  flags & IC_TIMESYNC_SYNC ? "SYNC" : flags & IC_TIMESYNC_SAMPLE ? "SAMPLE" : "probe",
		  utc_format(to_unix_ms(parent), utc));
	return IC_S_OK;
}

static void ts_report(struct ic_channel *ic)
{
	const struct ts_state *ts = &states[ic->index];
	char utc[UTC_STR_LEN + 1];
	unsigned total = ts->syncs + ts->samples + ts->probes;
	uint64_t wall, since = cpu_now_ns() - ic->negotiated_at_ns;

	if (ts->syncs)
		check("ic.timesync.sync", CHECK_PASS, "%u SYNC message%s", ts->syncs,
		      ts->syncs == 1 ? "" : "s");
	else if (since < SYNC_GRACE_NS)
		check("ic.timesync.sync", CHECK_SKIP,
		      "negotiated only %llu ms before the end of the run: too soon to expect a SYNC",
		      (unsigned long long)(since / 1000000));
	else
		check("ic.timesync.sync", opt.expect == EXPECT_HYPERV ? CHECK_FAIL : CHECK_SKIP,
		      "no SYNC within %llu ms of negotiation (%u other time messages)",
		      (unsigned long long)(since / 1000000), total);
	if (!total || ts->implausible == total) {
		check("ic.timesync.samples", CHECK_SKIP, "no plausible time message in the window");
		return;
	}
	/* our wall clock: the newest host time advanced by the reference counter since */
	wall = ts->parent + (ref_now() - ts->ref);
	check("ic.timesync.samples", CHECK_PASS,
	      "%u messages (%u SYNC, %u SAMPLE); host time now %s; mean interval %llu ms; max offset between samples %llu us",
	      total, ts->syncs, ts->samples, utc_format(to_unix_ms(wall), utc),
	      (unsigned long long)(total > 1 ? ts->sum_gap_ns / (total - 1) / 1000000 : 0),
	      (unsigned long long)(ts->max_drift / 10));
	if (!ts->backwards)
		check_that("ic.timesync.monotonic", ts->max_drift <= DRIFT_LIMIT_100NS,
			   "host time moved forward with the reference counter (max offset %llu us)",
			   (unsigned long long)(ts->max_drift / 10));
}

const struct ic_service ic_timesync = {
	.name = "timesync",
	.msgtype = IC_MSG_TIMESYNC,
	.versions = versions,
	.nversions = ARRAY_SIZE(versions),
	.request = ts_request,
	.report = ts_report,
};
