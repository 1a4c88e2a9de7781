/*
 * hvsim's time sync host (OpenVMM timesync.rs), an IC service on the
 * ic_host.c framework: one SYNC, then a SAMPLE every 5 s; the layout by the
 * negotiated version (4.0: TimesyncMessageV4, else 1.0/3.0).  parent_time
 * runs from 2026-01-01 in virtual time; the no_timesync_sync misbehaviour
 * and the time_backwards and clock_step quirks bend it.
 */
#include <stdio.h>
#include <string.h>

#include "tools/hvsim/hvsim.h"
#include "tools/hvsim/ic/ic_host.h"

#define TIMESYNC_PERIOD_NS (5 * SIM_IC_NS_PER_S) /* OpenVMM's SAMPLE_PERIOD */
#define TIME_BACKWARDS_AT 3                   /* time_backwards: the third time message... */
#define TIME_BACKWARDS_100NS (600 * 10000000ull) /* ...is 10 minutes early */
#define CLOCK_STEP_AT 3                       /* clock_step: the third time message shows the step... */
#define CLOCK_STEP_100NS (2 * 10000000ull)    /* ...2 s back; the fourth is a SYNC */
/* parent_time at boot: 2026-01-01T00:00:00Z in 100 ns since 1601 */
#define EPOCH_2026 (IC_EPOCH_1601_TO_1970 + 17672256000000000ull)
#define TIMESYNC_V1_LEN 28                    /* 3 times, flags, 3 reserved */
#define TIMESYNC_V4_LEN 24                    /* 2 times, flags, leap, stratum, 5 reserved */

/* The time sync channel's state (ic_host.h: one struct per service). */
static struct {
	const struct ic_host *h;
	bool due;
	uint64_t sent, syncs, samples, ok;
} tss;

/* The channel opened: start afresh. */
static void ts_open(struct ic_host *h)
{
	memset(&tss, 0, sizeof(tss));
	tss.h = h;
}

/* One time message: SYNC first, then SAMPLEs; parent_time from virtual time. */
static void ts_send(struct ic_host *h)
{
	uint8_t data[TIMESYNC_V1_LEN] = { 0 };
	uint64_t parent = EPOCH_2026 + sim.now_ns / 100;
	uint8_t flags = tss.sent || sim_mb[MB_NO_TIMESYNC_SYNC] ? IC_TIMESYNC_SAMPLE : IC_TIMESYNC_SYNC;
	uint16_t len;

	if (!tss.sent && sim_mb_fire(MB_NO_TIMESYNC_SYNC))
		sim_ic_misbehaving(h, MB_NO_TIMESYNC_SYNC, "the first time message is a SAMPLE; no SYNC ever");
	/* clock_step: from the third message on the host clock is 2 s behind; the fourth is a SYNC */
	if (sim_quirk[QUIRK_CLOCK_STEP] && tss.sent + 1 >= CLOCK_STEP_AT) {
		parent -= CLOCK_STEP_100NS;
		if (tss.sent + 1 == CLOCK_STEP_AT)
			fprintf(stderr, "hvsim: ic: timesync: quirk clock_step: the host clock steps back 2 s; a SYNC follows\n");
		if (tss.sent + 1 == CLOCK_STEP_AT + 1)
			flags = IC_TIMESYNC_SYNC;
	}
	if (tss.sent + 1 == TIME_BACKWARDS_AT && sim_quirk_fire(QUIRK_TIME_BACKWARDS)) {
		parent -= TIME_BACKWARDS_100NS;
		sim_ic_quirk(h, QUIRK_TIME_BACKWARDS, "the third time message is 10 minutes early");
	}
	if (sim_ic_version(h).major >= 4) {
		struct ic_timesync_v4 m = { parent, sim.now_ns / 100, flags, 0, 0 };

		memcpy(data, &m, sizeof(m));
		len = TIMESYNC_V4_LEN;
	} else {
		struct ic_timesync_v1 m = { parent, 0, 0, flags };

		memcpy(data, &m, sizeof(m));
		len = TIMESYNC_V1_LEN;
	}
	if (sim_ic_send(h, IC_MSG_TIMESYNC, data, len, flags)) {
		tss.sent++;
		tss.syncs += flags == IC_TIMESYNC_SYNC;
		tss.samples += flags == IC_TIMESYNC_SAMPLE;
	}
}

/* A time message when one is due and nothing is outstanding. */
static void ts_pump(struct ic_host *h)
{
	if (sim_ic_busy(h) || !tss.due)
		return;
	tss.due = false;
	ts_send(h);
}

/* Every 5 s: a SAMPLE is due. */
static void ts_tick(uint64_t arg)
{
	struct ic_host *h = sim_ic_timer_host(arg);

	if (!h)
		return;
	if (sim_ic_busy(h) && sim_ic_first_late(h))
		sim_ic_guest_error(h, "a time message is still unanswered after 5 s: this sample waits");
	tss.due = true;
	ts_pump(h);
	sim_at(sim.now_ns + TIMESYNC_PERIOD_NS, ts_tick, arg);
}

/* Negotiated: the SYNC now, then a SAMPLE every 5 s. */
static void ts_start(struct ic_host *h)
{
	tss.due = true;
	ts_pump(h);
	sim_at(sim.now_ns + TIMESYNC_PERIOD_NS, ts_tick, sim_ic_timer_arg(h));
}

/* The answer to a time message: S_OK (the data is echoed, unchecked). */
static void ts_answer(struct ic_host *h, const struct txn *t, const struct ic_msg_header *m,
		      const uint8_t *data, uint32_t len)
{
	if (m->status != IC_S_OK)
		sim_ic_guest_error(h, "time message %s answered with status 0x%08x",
			    sim_ic_txn_value(t) == IC_TIMESYNC_SYNC ? "SYNC" : "SAMPLE", m->status);
	else
		tss.ok++;
}

/* The time sync line at power off. */
static void ts_report(const struct ic_host *h)
{
	fprintf(stderr, "hvsim: ic:   timesync: %llu time messages (%llu SYNC, %llu SAMPLE) in the %s layout, %llu answered S_OK%s%s\n",
		(unsigned long long)tss.sent, (unsigned long long)tss.syncs,
		(unsigned long long)tss.samples, sim_ic_version(h).major >= 4 ? "4.0" : "1.0/3.0",
		(unsigned long long)tss.ok,
		sim_quirk[QUIRK_TIME_BACKWARDS] && tss.sent >= TIME_BACKWARDS_AT ? "; the third was 10 minutes early (time_backwards)" : "",
		sim_mb[MB_NO_TIMESYNC_SYNC] ? "; no SYNC (no_timesync_sync)" : "");
}

const struct sim_ic_service sim_ic_timesync = {
	"timesync", IC_MSG_TIMESYNC, &sim_ic_cfg.timesync, ts_start, ts_pump, ts_answer, ts_report, ts_open,
};
