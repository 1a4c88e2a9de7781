/*
 * Hypercalls (TLFS v6.0b §3, Hypercall Interface).  All go through
 * cpu_hypercall(), the seam's ~10-instruction call into the page.
 */
#include "drivers/hyperv/hypercall.h"

#include "drivers/hyperv/hv_regs.h"
#include "drivers/hyperv/msr.h"
#include "kernel/cpu.h"
#include "lib/fmt.h"
#include "lib/log.h"
#include "lib/report.h"
#include "lib/str.h"

/* A connection id nobody uses, for the self-test (ids are 24 bits). */
#define SELFTEST_CONNECTION_ID 0x00fedcbau

static const struct {
	uint16_t status;
	const char *name;
} status_names[] = {
	{ HV_STATUS_SUCCESS, "SUCCESS" },
	{ HV_STATUS_INVALID_HYPERCALL_CODE, "INVALID_HYPERCALL_CODE" },
	{ HV_STATUS_INVALID_HYPERCALL_INPUT, "INVALID_HYPERCALL_INPUT" },
	{ HV_STATUS_INVALID_ALIGNMENT, "INVALID_ALIGNMENT" },
	{ HV_STATUS_INVALID_PARAMETER, "INVALID_PARAMETER" },
	{ HV_STATUS_ACCESS_DENIED, "ACCESS_DENIED" },
	{ HV_STATUS_INSUFFICIENT_MEMORY, "INSUFFICIENT_MEMORY" },
	{ HV_STATUS_INVALID_VP_INDEX, "INVALID_VP_INDEX" },
	{ HV_STATUS_INVALID_PORT_ID, "INVALID_PORT_ID" },
	{ HV_STATUS_INVALID_CONNECTION_ID, "INVALID_CONNECTION_ID" },
	{ HV_STATUS_INSUFFICIENT_BUFFERS, "INSUFFICIENT_BUFFERS" },
	{ HV_STATUS_INVALID_SYNIC_STATE, "INVALID_SYNIC_STATE" },
	{ HV_STATUS_NO_RESOURCES, "NO_RESOURCES" },
	{ HV_STATUS_TIMEOUT, "TIMEOUT" },
	{ HV_STATUS_CALL_PENDING, "CALL_PENDING" },
};

static struct hv_post_message_input *post_page; /* 8-byte aligned, inside one page */
static bool ready;

const char *hv_status_name(uint16_t status)
{
	static char other[16];

	for (size_t i = 0; i < ARRAY_SIZE(status_names); i++)
		if (status_names[i].status == status)
			return status_names[i].name;
	fmt_snprintf(other, sizeof(other), "status 0x%04x", status);
	return other;
}

static bool page_is_zero(const uint8_t *p)
{
	for (unsigned i = 0; i < PAGE_SIZE; i++)
		if (p[i])
			return false;
	return true;
}

bool hv_hypercall_setup(void)
{
	void *page = cpu_hypercall_page();
	uint64_t gpfn, old, want, got;

	if (!page) {
		/* not the host's fault, but nothing that needs hypercalls can run */
		check("hv.hypercall.page", CHECK_FAIL, "the firmware gave no executable page for it");
		return false;
	}
	gpfn = cpu_virt_to_phys(page) >> HV_MSR_GPFN_SHIFT;

	/*
	 * TLFS §3.13 (establishing the hypercall interface): with a guest OS ID
	 * set, writing the GPA and the enable bit makes the hypervisor fill the
	 * page with the calling sequence (KVM kvm_hv_set_msr_pw(): vmcall or
	 * vmmcall); a locked MSR keeps its page until reset.
	 */
	if (hv_msr_read(HV_MSR_HYPERCALL, &old)) {
		check("hv.hypercall.page", CHECK_FAIL, "rdmsr HYPERCALL (0x%x) raised #GP",
		      HV_MSR_HYPERCALL);
		return false;
	}
	if ((old & HV_HYPERCALL_LOCKED) && (old & HV_MSR_ENABLE) &&
	    (old >> HV_MSR_GPFN_SHIFT) != gpfn) {
		/* a locked page stays where the firmware put it until reset */
		check("hv.hypercall.page", CHECK_FAIL,
		      "the hypercall MSR is locked (0x%llx) at another page", (unsigned long long)old);
		return false;
	}
	want = (gpfn << HV_MSR_GPFN_SHIFT) | (old & HV_MSR_RSVDP_MASK & ~HV_HYPERCALL_LOCKED) |
	       HV_MSR_ENABLE;
	if (hv_msr_write_verify("hv.hypercall.page", HV_MSR_HYPERCALL, want,
				~HV_MSR_RSVDP_MASK | HV_MSR_ENABLE, &got))
		return false;
	if (page_is_zero(page)) {
		check("hv.hypercall.page", CHECK_FAIL,
		      "enabled at GPA 0x%llx (MSR 0x%llx) but the page is still all zero",
		      (unsigned long long)(gpfn << HV_MSR_GPFN_SHIFT), (unsigned long long)got);
		return false;
	}
	post_page = cpu_alloc_pages(1);
	if (!post_page) {
		check("hv.hypercall.page", CHECK_FAIL, "no memory for the hypercall input page");
		return false;
	}
	check("hv.hypercall.page", CHECK_PASS, "enabled at GPA 0x%llx, starts %02x %02x %02x %02x",
	      (unsigned long long)(gpfn << HV_MSR_GPFN_SHIFT), ((uint8_t *)page)[0],
	      ((uint8_t *)page)[1], ((uint8_t *)page)[2], ((uint8_t *)page)[3]);
	ready = true;
	return true;
}

uint16_t hv_call(uint16_t code, uint64_t input, uint64_t output)
{
	return (uint16_t)(cpu_hypercall(code, input, output) & HV_HYPERCALL_RESULT_MASK);
}

uint16_t hv_call_fast(uint16_t code, uint64_t a, uint64_t b)
{
	return (uint16_t)(cpu_hypercall(code | HV_HYPERCALL_FAST, a, b) & HV_HYPERCALL_RESULT_MASK);
}

/*
 * One HvPostMessage, no retry: whether and how long to retry is the
 * caller's policy (VMBus retries as Linux vmbus_post_msg does:
 * drivers/vmbus/request.c).
 */
uint16_t hv_post_message(uint32_t connection_id, uint32_t type, const void *payload,
			 uint32_t size)
{
	if (!ready || size > HV_MESSAGE_PAYLOAD_MAX)
		return HV_STATUS_INVALID_PARAMETER;
	memset(post_page, 0, sizeof(*post_page));
	post_page->connection_id = connection_id;
	post_page->message_type = type;
	post_page->payload_size = size;
	memcpy(post_page->payload, payload, size);
	return hv_call(HV_CALL_POST_MESSAGE, cpu_virt_to_phys(post_page), 0);
}

uint16_t hv_signal_event(uint32_t connection_id, uint16_t flag)
{
	return hv_call_fast(HV_CALL_SIGNAL_EVENT, connection_id | ((uint64_t)flag << 32), 0);
}

/*
 * hv.hypercall.fast: a fast HvSignalEvent to a connection nobody registered.
 * What a correct host answers depends on the SignalEvents privilege
 * (CPUID 0x40000003 EBX bit 5):
 * - granted: the call is decoded and the connection looked up; the TLFS
 *   page HvCallSignalEvent gives INVALID_CONNECTION_ID for an unknown id; KVM answers INVALID_PORT_ID
 *   (arch/x86/kvm/hyperv.c kvm_hvcall_signal_event(): no eventfd) and QEMU
 *   INVALID_CONNECTION_ID (hw/hyperv/hyperv.c hyperv_hcall_signal_event()).
 * - not granted: HvCallSignalEvent gives ACCESS_DENIED ("does not possess
 *   the SignalEvents privilege"), as
 *   KVM does with hv-enforce-cpuid (hyperv.c hv_check_hypercall_access()).
 *   Without hv-enforce-cpuid KVM does not look at the privilege: an unknown
 *   connection falls through to the POST_MESSAGE case, which answers
 *   INVALID_HYPERCALL_INPUT while the vCPU's SynIC is inactive (kvm_hv_hypercall(),
 *   "don't bother userspace if it has no way to handle it").  A guest never
 *   signals without the privilege (Linux vmbus_set_event() is reached only
 *   through VMBus), so that answer is a warning, not a failure.
 * SUCCESS is always wrong: no port is bound to the connection (HvCallSignalEvent).
 */
static void check_signal_event(const struct hv_info *hv)
{
	bool granted = hv->privileges & HV_PRIV_SIGNAL_EVENTS;
	uint16_t st = hv_signal_event(SELFTEST_CONNECTION_ID, 0);
	const char *name = hv_status_name(st);

	if (st == HV_STATUS_SUCCESS)
		check("hv.hypercall.fast", CHECK_FAIL,
		      "fast HvSignalEvent to unknown connection 0x%x returned SUCCESS (SignalEvents %s)",
		      SELFTEST_CONNECTION_ID, granted ? "granted" : "not granted");
	else if (granted && (st == HV_STATUS_INVALID_CONNECTION_ID || st == HV_STATUS_INVALID_PORT_ID))
		check("hv.hypercall.fast", CHECK_PASS,
		      "fast HvSignalEvent to unknown connection 0x%x returned %s",
		      SELFTEST_CONNECTION_ID, name);
	else if (granted && st == HV_STATUS_ACCESS_DENIED)
		/* TLFS HvCallSignalEvent: ACCESS_DENIED only without the privilege */
		check("hv.hypercall.fast", CHECK_FAIL,
		      "fast HvSignalEvent returned ACCESS_DENIED although SignalEvents is granted");
	else if (!granted && st == HV_STATUS_ACCESS_DENIED)
		check("hv.hypercall.fast", CHECK_PASS,
		      "fast HvSignalEvent without the SignalEvents privilege returned ACCESS_DENIED");
	else if (granted)
		check_warn("hv.hypercall.fast",
			   "fast HvSignalEvent to unknown connection 0x%x returned %s (TLFS: INVALID_CONNECTION_ID; KVM: INVALID_PORT_ID)",
			   SELFTEST_CONNECTION_ID, name);
	else
		check_warn("hv.hypercall.fast",
			   "fast HvSignalEvent without the SignalEvents privilege returned %s (TLFS: ACCESS_DENIED; KVM without hv-enforce-cpuid and a SynIC: INVALID_HYPERCALL_INPUT)",
			   name);
}

void hv_hypercall_selftest(const struct hv_info *hv)
{
	uint16_t st;

	/*
	 * Call code 0 is reserved: the TLFS (Hypercall Interface, hypercall
	 * status codes) answers an unsupported call code with INVALID_HYPERCALL_CODE, as KVM does
	 * (arch/x86/kvm/hyperv.c kvm_hv_hypercall(), default case).
	 */
	st = hv_call(0, cpu_virt_to_phys(post_page), 0);
	check_that("hv.hypercall.call", st == HV_STATUS_INVALID_HYPERCALL_CODE,
		   "slow call with reserved code 0 returned %s (want INVALID_HYPERCALL_CODE)",
		   hv_status_name(st));
	check_signal_event(hv);
}
