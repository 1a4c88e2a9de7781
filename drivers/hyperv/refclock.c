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
static uint64_t ref_tsc_hz; /* the TSC's rate measured against TIME_REF_COUNT; 0: not measured */

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

/*
 * hv.clock.reference: TIME_REF_COUNT moves at 10 MHz (TLFS §12.4; KVM
 * get_time_ref_counter()).  It is held against the TSC clock calibrated at
 * boot against UEFI Stall(), which is our own measurement and can be off
 * under emulation (the nested host's Stall() ran 33% slow against both the
 * reference counter and TSC_FREQUENCY): a rate difference is a warning.  The
 * TSC's rate by the reference counter is kept for hv.clock.frequencies.
 */
static bool check_reference_counter(void)
{
	uint64_t r0, r1, c0, c1, t0, t1, ref_ns, tsc_ns, diff;

	if (hv_msr_read(HV_MSR_TIME_REF_COUNT, &r0)) {
		/* TLFS §12.4: readable with AccessPartitionReferenceCounter */
		check("hv.clock.reference", CHECK_FAIL,
		      "rdmsr TIME_REF_COUNT raised #GP although AccessPartitionReferenceCounter is granted");
		return false;
	}
	c0 = cpu_rdtsc();
	t0 = cpu_now_ns();
	while ((t1 = cpu_now_ns()) - t0 < CROSSCHECK_NS)
		cpu_relax();
	r1 = read_ref_msr();
	c1 = cpu_rdtsc();
	if (r1 <= r0) {
		/* TLFS §12.4: the counter increases monotonically in 100 ns units */
		check("hv.clock.reference", CHECK_FAIL,
		      "TIME_REF_COUNT did not advance in %llu ms (%llu -> %llu)",
		      (unsigned long long)(CROSSCHECK_NS / 1000000), (unsigned long long)r0,
		      (unsigned long long)r1);
		return false;
	}
	ref_ns = (r1 - r0) * 100;
	tsc_ns = t1 - t0;
	/* 64 bits suffice: 50 ms of a 20 GHz TSC times 10^7 is 10^16 */
	ref_tsc_hz = (c1 - c0) * 10000000ull / (r1 - r0);
	diff = ref_ns > tsc_ns ? ref_ns - tsc_ns : tsc_ns - ref_ns;
	check("hv.clock.reference",
	      diff * 100 <= tsc_ns * CROSSCHECK_TOLERANCE_PCT ? CHECK_PASS : CHECK_WARN,
	      "TIME_REF_COUNT advanced %llu us while the TSC clock (calibrated against UEFI Stall()) advanced %llu us (%lld ppm)",
	      (unsigned long long)(ref_ns / 1000), (unsigned long long)(tsc_ns / 1000),
	      (long long)(((int64_t)ref_ns - (int64_t)tsc_ns) * 1000000 / (int64_t)tsc_ns));
	return true;
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
	/*
	 * TLFS §12.7: the page's scale and offset turn the TSC into the same
	 * reference time TIME_REF_COUNT gives; Linux's hyperv_timer.c uses the
	 * page as its clocksource and the MSR as the fallback, so they must agree.
	 */
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
 * hv.clock.frequencies: TSC_FREQUENCY and APIC_FREQUENCY (TLFS §12, the
 * frequency MSRs; KVM returns its virtual TSC and APIC bus rates).  A guest
 * trusts them instead of calibrating: Linux arch/x86/kernel/cpu/mshyperv.c
 * sets tsc_khz from TSC_FREQUENCY (hv_get_tsc_khz()) and the APIC timer
 * period from APIC_FREQUENCY.  The witness for the TSC is its rate measured
 * against the host's own TIME_REF_COUNT: if they disagree, the host
 * contradicts itself and a Linux guest keeps two clocks that drift apart.
 * Without the reference counter the only witness is our UEFI Stall()
 * calibration, so a disagreement is a warning.  The APIC timer's input
 * clock was measured against that same calibration, so it is rescaled by
 * the TSC witness (their ratio does not depend on the calibration).
 */
static void check_frequencies(const struct hv_info *hv)
{
	uint64_t tsc, apic, mt = cpu_tsc_hz(), ma = cpu_apic_timer_hz(), wt, wa;
	char a[24], b[24], c[24], d[24];
	bool ok;

	if (!(hv->privileges & HV_PRIV_FREQUENCY_MSRS)) {
		check("hv.clock.frequencies", CHECK_SKIP, "the host grants no AccessFrequencyMsrs privilege");
		return;
	}
	if (hv_msr_read(HV_MSR_TSC_FREQUENCY, &tsc) || hv_msr_read(HV_MSR_APIC_FREQUENCY, &apic)) {
		/* TLFS: AccessFrequencyRegs grants read access to both MSRs */
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
	wt = ref_tsc_hz ? ref_tsc_hz : mt;
	/* in kHz, so 64 bits hold the product (no 128-bit division in the kernel) */
	wa = ma && mt >= 1000 ? ma * (wt / 1000) / (mt / 1000) : 0;
	ok = rate_agrees(tsc, wt) && (!wa || rate_agrees(apic, wa));
	check("hv.clock.frequencies", ok ? CHECK_PASS : ref_tsc_hz ? CHECK_FAIL : CHECK_WARN,
	      "TSC_FREQUENCY %s (measured %s against %s), APIC_FREQUENCY %s (measured %s; within %u%% wanted)",
	      mhz(a, sizeof(a), tsc), mhz(b, sizeof(b), wt),
	      ref_tsc_hz ? "TIME_REF_COUNT" : "UEFI Stall()", mhz(c, sizeof(c), apic),
	      wa ? mhz(d, sizeof(d), wa) : "no APIC timer", FREQUENCY_TOLERANCE_PCT);
}

void hv_clock_setup(const struct hv_info *hv)
{
	if (!(hv->privileges & HV_PRIV_REF_COUNTER)) {
		check("hv.clock.reference", CHECK_SKIP,
		      "the host grants no AccessPartitionReferenceCounter privilege; keeping the TSC clock");
		check_frequencies(hv);
		return;
	}
	if (!check_reference_counter()) {
		check_frequencies(hv);
		return;
	}
	check_frequencies(hv);
	if (hv->privileges & HV_PRIV_REF_TSC)
		check_reference_tsc_page();
	else
		check("hv.clock.reference_tsc", CHECK_SKIP,
		      "the host grants no AccessPartitionReferenceTsc privilege");
	cpu_clock_use_reference(read_ref_best);
}
