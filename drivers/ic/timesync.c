/*
 * Time synchronization (Linux drivers/hv/hv_util.c timesync_onchannelcallback()
 * and adj_guesttime(); OpenVMM hyperv_ic/src/timesync.rs): every message
 * version's layout, SYNC and SAMPLE.  We keep a wall clock from the host's
 * time and the reference counter, and check that host times are plausible
 * and move with the reference counter.  As in Linux, a SYNC is a hard
 * request to set the clock (a step there is legal) and a SAMPLE is a hint:
 * a step seen in a SAMPLE is legal when a SYNC follows (a host clock that
 * was set), a warning when none does.
 */
#include "drivers/hyperv/hv_regs.h"
#include "drivers/ic/ic.h"
#include "kernel/cpu.h"
#include "kernel/policy.h"
#include "lib/log.h"
#include "lib/report.h"
#include "lib/str.h"
#include "lib/utc.h"

#define T_2000 (IC_EPOCH_1601_TO_1970 + 9466848000000000ull)   /* 2000-01-01 */
#define T_2200 (IC_EPOCH_1601_TO_1970 + 72257817600000000ull)  /* 2200-01-01 */
#define SYNC_GRACE_NS 1000000000ull  /* a host sends SYNC right after NEGOTIATE: allow 1 s */
#define STEP_100NS 10000000ull  /* 1 s off the reference counter's prediction: a step */

static const struct ic_version versions[] = { { 1, 0 }, { 3, 0 }, { 4, 0 } };

struct ts_state {
	unsigned syncs, samples, probes, implausible;
	unsigned steps, steps_synced;  /* steps seen in SAMPLEs; those a later SYNC settled */
	unsigned pending;              /* steps no SYNC has settled yet */
	uint64_t max_step;             /* 100 ns, the largest step's size */
	bool max_step_back;
	bool have_prev;
	uint64_t prev_parent, prev_ref, prev_at_ns;
	uint64_t max_drift;         /* 100 ns, |offset| between consecutive samples, steps excluded */
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
	/*
	 * UTC in 100 ns since 1601 from the host's system clock (OpenVMM
	 * timesync.rs); Linux sets its clock to whatever a SYNC says, so a date
	 * outside 2000..2200 is a warning (a host clock set wrong), not a failure.
	 */
	if (parent < T_2000 || parent > T_2200) {
		ts->implausible++;
		ic_warning(ic, "plausible", "host time %llu (100 ns since 1601) is outside 2000..2200",
			   (unsigned long long)parent);
		return IC_S_OK;
	}
	/*
	 * 4.0 stamps parent_time with our reference time when it was taken
	 * (OpenVMM timesync.rs TimesyncMessageV4); Linux adj_guesttime() adds
	 * (now - vm_reference_time) unsigned: a stamp from the future wraps.
	 */
	if (v4 && ref > ref_now()) {
		ts->implausible++;
		ic_finding(ic, "plausible", "vm_reference_time %llu is ahead of our reference counter (%llu)",
			   (unsigned long long)ref, (unsigned long long)ref_now());
		return IC_S_OK;
	}
	if (flags & IC_TIMESYNC_SYNC) {
		/* a hard set of the clock (Linux adj_guesttime): any step before it is settled */
		ts->steps_synced += ts->pending;
		ts->pending = 0;
	}
	if (ts->have_prev) {
		/* where the host's clock should be, from the reference counter's advance;
		 * unsigned arithmetic: both values come from the host and may be anything */
		uint64_t expected = ts->prev_parent + (ref - ts->prev_ref);
		uint64_t drift = parent - expected;
		uint64_t gap = now - ts->prev_at_ns;
		bool back = drift > INT64_MAX;

		if (back)
			drift = -drift; /* magnitude of a negative difference */
		if (drift > STEP_100NS && !(flags & IC_TIMESYNC_SYNC)) {
			ts->steps++;
			ts->pending++;
			if (drift > ts->max_step) {
				ts->max_step = drift;
				ts->max_step_back = back;
			}
		} else if (drift > ts->max_drift && !(flags & IC_TIMESYNC_SYNC)) {
			ts->max_drift = drift;
		}
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

	/*
	 * Source: Linux hv_util.c (the first time message after the channel
	 * opens carries SYNC), OpenVMM timesync.rs (sends a SYNC right after
	 * negotiation).
	 */
	if (ts->syncs)
		check("ic.timesync.sync", CHECK_PASS, "%u SYNC message%s", ts->syncs,
		      ts->syncs == 1 ? "" : "s");
	else if (since < SYNC_GRACE_NS)
		check("ic.timesync.sync", CHECK_SKIP,
		      "negotiated only %llu ms before the end of the run: too soon to expect a SYNC",
		      (unsigned long long)(since / 1000000));
	else
		check_missing("ic.timesync.sync",
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
	if (!ts->steps)
		check("ic.timesync.monotonic", CHECK_PASS,
		      "host time moved forward with the reference counter (max offset %llu us)",
		      (unsigned long long)(ts->max_drift / 10));
	else if (!ts->pending)
		check("ic.timesync.monotonic", CHECK_PASS,
		      "%u step%s of the host clock (the largest %llu ms %s) seen in SAMPLEs, each followed by a SYNC; otherwise max offset %llu us",
		      ts->steps, ts->steps == 1 ? "" : "s", (unsigned long long)(ts->max_step / 10000),
		      ts->max_step_back ? "back" : "forward", (unsigned long long)(ts->max_drift / 10));
	else
		/* Source: Linux adj_guesttime() takes SAMPLEs as hints and sets its clock only on SYNC */
		check_warn("ic.timesync.monotonic",
			   "%u step%s of the host clock (the largest %llu ms %s) seen in SAMPLEs, %u with no SYNC after it: Linux sets its clock only on SYNC",
			   ts->steps, ts->steps == 1 ? "" : "s", (unsigned long long)(ts->max_step / 10000),
			   ts->max_step_back ? "back" : "forward", ts->pending);
}

const struct ic_service ic_timesync = {
	.name = "timesync",
	.msgtype = IC_MSG_TIMESYNC,
	.versions = versions,
	.nversions = ARRAY_SIZE(versions),
	.request = ts_request,
	.report = ts_report,
};
