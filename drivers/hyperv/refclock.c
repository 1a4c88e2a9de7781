/*
 * The partition reference time (TLFS v6.0b §12.3-12.7; Linux
 * drivers/clocksource/hyperv_timer.c):
 * the TIME_REF_COUNT MSR and the reference TSC page, both in 100 ns units.
 * Each is checked against the TSC clock calibrated at boot, and the better
 * one becomes the kernel's clock.  Also the frequency MSRs, against the
 * rates measured at boot.
 */
#include "drivers/hyperv/hv_regs.h"
#include "drivers/hyperv/msr.h"
#include "drivers/hyperv/platform.h"
#include "kernel/cpu.h"
#include "lib/fmt.h"
#include "lib/report.h"

#define CROSSCHECK_NS 50000000ull      /* compare over 50 ms */
#define CROSSCHECK_TOLERANCE_PCT 10    /* nested and emulated hosts are noisy */
#define TSC_PAGE_TOLERANCE_100NS 10000 /* page and MSR agree within 1 ms */
#define TSC_PAGE_RETRIES 100
#define FREQUENCY_TOLERANCE_PCT 10     /* calibration under emulation is a few % off */

static struct hv_ref_tsc_page *tsc_page;

static uint64_t read_ref_msr(void)
{
	uint64_t v = 0;

	cpu_rdmsr(HV_MSR_TIME_REF_COUNT, &v);
	return v;
}

/* Time from the TSC page, or 0 when the page says "not usable" (sequence 0). */
static uint64_t read_ref_page(void)
{
	for (int i = 0; i < TSC_PAGE_RETRIES; i++) {
		uint32_t seq = tsc_page->sequence;
		uint64_t scale, tsc;
		int64_t offset;

		if (seq == 0)
			return 0;
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		scale = tsc_page->scale;
		offset = tsc_page->offset;
		tsc = cpu_rdtsc();
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		if (tsc_page->sequence == seq)
			return (uint64_t)(((unsigned __int128)tsc * scale) >> 64) + (uint64_t)offset;
	}
	return 0;
}

static uint64_t read_ref_best(void)
{
	uint64_t t = tsc_page ? read_ref_page() : 0;

	return t ? t : read_ref_msr();
}

/* hv.clock.reference: TIME_REF_COUNT moves at 10 MHz, as the TSC clock says. */
static bool check_reference_counter(void)
{
	uint64_t r0, r1, t0, t1, ref_ns, tsc_ns, diff;

	if (hv_msr_read(HV_MSR_TIME_REF_COUNT, &r0)) {
		check("hv.clock.reference", CHECK_FAIL,
		      "rdmsr TIME_REF_COUNT raised #GP although AccessPartitionReferenceCounter is granted");
		return false;
	}
	t0 = cpu_now_ns();
	while ((t1 = cpu_now_ns()) - t0 < CROSSCHECK_NS)
		cpu_relax();
	r1 = read_ref_msr();
	if (r1 <= r0) {
		check("hv.clock.reference", CHECK_FAIL,
		      "TIME_REF_COUNT did not advance in %llu ms (%llu -> %llu)",
		      (unsigned long long)(CROSSCHECK_NS / 1000000), (unsigned long long)r0,
		      (unsigned long long)r1);
		return false;
	}
	ref_ns = (r1 - r0) * 100;
	tsc_ns = t1 - t0;
	diff = ref_ns > tsc_ns ? ref_ns - tsc_ns : tsc_ns - ref_ns;
	return check_that("hv.clock.reference", diff * 100 <= tsc_ns * CROSSCHECK_TOLERANCE_PCT,
			  "TIME_REF_COUNT advanced %llu us while the TSC clock advanced %llu us (%lld ppm)",
			  (unsigned long long)(ref_ns / 1000), (unsigned long long)(tsc_ns / 1000),
			  (long long)(((int64_t)ref_ns - (int64_t)tsc_ns) * 1000000 / (int64_t)tsc_ns));
}

/* hv.clock.reference_tsc: the TSC page, when enabled, tells the same time as the MSR. */
static void check_reference_tsc_page(void)
{
	uint64_t got, page_t, msr_t, diff;
	struct hv_ref_tsc_page *page = cpu_alloc_pages(1);

	if (!page) {
		check("hv.clock.reference_tsc", CHECK_FAIL, "no memory for the reference TSC page");
		return;
	}
	if (hv_msr_write_verify("hv.clock.reference_tsc", HV_MSR_REFERENCE_TSC,
				cpu_virt_to_phys(page) | HV_MSR_ENABLE, ~HV_MSR_RSVDP_MASK, &got))
		return;
	tsc_page = page;
	page_t = read_ref_page();
	msr_t = read_ref_msr();
	if (page_t == 0) {
		check("hv.clock.reference_tsc", CHECK_SKIP,
		      "page enabled but its sequence is 0: not usable here (TLFS: read the MSR instead)");
		tsc_page = NULL;
		return;
	}
	diff = msr_t > page_t ? msr_t - page_t : page_t - msr_t;
	if (!check_that("hv.clock.reference_tsc", diff <= TSC_PAGE_TOLERANCE_100NS,
			"page time %llu vs TIME_REF_COUNT %llu (scale 0x%llx, offset %lld): %llu us apart",
			(unsigned long long)page_t, (unsigned long long)msr_t,
			(unsigned long long)tsc_page->scale, (long long)tsc_page->offset,
			(unsigned long long)diff / 10))
		tsc_page = NULL;
}

/* @claimed Hz (the host's: any value) within the tolerance of @measured Hz? */
static bool rate_agrees(uint64_t claimed, uint64_t measured)
{
	uint64_t diff = claimed > measured ? claimed - measured : measured - claimed;

	return claimed && diff <= measured / 100 * FREQUENCY_TOLERANCE_PCT;
}

/* "1234.567 MHz" into @buf. */
static const char *mhz(char *buf, size_t n, uint64_t hz)
{
	fmt_snprintf(buf, n, "%llu.%03llu MHz", (unsigned long long)(hz / 1000000),
		     (unsigned long long)(hz / 1000 % 1000));
	return buf;
}

/*
 * hv.clock.frequencies: TSC_FREQUENCY and APIC_FREQUENCY against the TSC rate
 * calibrated at boot and the local APIC timer's measured input clock.  A
 * guest that trusts them (Linux skips its own calibration) keeps wrong time
 * when they are off.
 */
static void check_frequencies(const struct hv_info *hv)
{
	uint64_t tsc, apic, mt = cpu_tsc_hz(), ma = cpu_apic_timer_hz();
	char a[24], b[24], c[24], d[24];

	if (!(hv->privileges & HV_PRIV_FREQUENCY_MSRS)) {
		check("hv.clock.frequencies", CHECK_SKIP, "the host grants no AccessFrequencyMsrs privilege");
		return;
	}
	if (hv_msr_read(HV_MSR_TSC_FREQUENCY, &tsc) || hv_msr_read(HV_MSR_APIC_FREQUENCY, &apic)) {
		check("hv.clock.frequencies", CHECK_FAIL,
		      "rdmsr TSC_FREQUENCY or APIC_FREQUENCY raised #GP although AccessFrequencyMsrs is granted");
		return;
	}
	if (!mt) {
		check("hv.clock.frequencies", CHECK_SKIP,
		      "TSC_FREQUENCY %s, APIC_FREQUENCY %s: no measured TSC rate to hold them against",
		      mhz(a, sizeof(a), tsc), mhz(b, sizeof(b), apic));
		return;
	}
	check_that("hv.clock.frequencies", rate_agrees(tsc, mt) && (!ma || rate_agrees(apic, ma)),
		   "TSC_FREQUENCY %s (measured %s), APIC_FREQUENCY %s (measured %s; within %u%% wanted)",
		   mhz(a, sizeof(a), tsc), mhz(b, sizeof(b), mt), mhz(c, sizeof(c), apic),
		   ma ? mhz(d, sizeof(d), ma) : "no APIC timer", FREQUENCY_TOLERANCE_PCT);
}

void hv_clock_setup(const struct hv_info *hv)
{
	check_frequencies(hv);
	if (!(hv->privileges & HV_PRIV_REF_COUNTER)) {
		check("hv.clock.reference", CHECK_SKIP,
		      "the host grants no AccessPartitionReferenceCounter privilege; keeping the TSC clock");
		return;
	}
	if (!check_reference_counter())
		return;
	if (hv->privileges & HV_PRIV_REF_TSC)
		check_reference_tsc_page();
	else
		check("hv.clock.reference_tsc", CHECK_SKIP,
		      "the host grants no AccessPartitionReferenceTsc privilege");
	cpu_clock_use_reference(read_ref_best);
}
