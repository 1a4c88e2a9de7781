/*
 * Control requests: the one way the guest asks the host something over
 * VMBus and waits for the answer (version negotiation, GPADL create and
 * teardown, OPENCHANNEL, UNLOAD).  vmbus_request() arms the wait slot,
 * posts, waits with the request's own limit, copies the reply out to the
 * caller and remembers a request it gave up on, so that a late answer is
 * never taken for the answer to a later one.  vmbus_post() is the one
 * HvPostMessage of the bus, retried the way Linux retries it.
 */
#include "drivers/hyperv/hypercall.h"
#include "drivers/vmbus/vmbus_internal.h"
#include "kernel/cpu.h"
#include "kernel/loop.h"
#include "lib/fmt.h"
#include "lib/log.h"
#include "lib/report.h"
#include "lib/str.h"

/*
 * HvPostMessage retries (Linux drivers/hv/connection.c vmbus_post_msg):
 * up to 100 tries on INSUFFICIENT_BUFFERS/MEMORY, and on
 * INVALID_CONNECTION_ID for every message but INITIATE_CONTACT (Linux: "we
 * could get this if we send messages too frequently"); the pause doubles
 * from 1 us and stops growing at 2^21 us (about 2.1 s), so a post gives up
 * after about 168 s.  FreeBSD vmbus_msghc_exec_noresult retries 20 times,
 * 1 ms doubling to 2 s.
 */
#define POST_TRIES 100
#define POST_PAUSE_FIRST_NS 1000ull
#define POST_PAUSE_MAX_NS (1000ull << 21)

static const char *const msg_names[VMBUS_MSG_COUNT] = {
	"INVALID", "OFFERCHANNEL", "RESCIND_CHANNELOFFER", "REQUESTOFFERS",
	"ALLOFFERS_DELIVERED", "OPENCHANNEL", "OPENCHANNEL_RESULT", "CLOSECHANNEL",
	"GPADL_HEADER", "GPADL_BODY", "GPADL_CREATED", "GPADL_TEARDOWN", "GPADL_TORNDOWN",
	"RELID_RELEASED", "INITIATE_CONTACT", "VERSION_RESPONSE", "UNLOAD", "UNLOAD_RESPONSE",
	"OPEN_RESERVED_CHANNEL", "CLOSE_RESERVED_CHANNEL", "CLOSE_RESERVED_RESPONSE",
	"TL_CONNECT_REQUEST", "MODIFYCHANNEL", "TL_CONNECT_RESULT", "MODIFYCHANNEL_RESPONSE",
	"MODIFY_CONNECTION", "MODIFY_CONNECTION_RESPONSE", "PAUSE",
};

const char *vmbus_msg_name(uint32_t type)
{
	return type < VMBUS_MSG_COUNT ? msg_names[type] : "unknown";
}

/* ---- posting ---- */

static bool post_retryable(uint16_t st, uint32_t type)
{
	if (st == HV_STATUS_INSUFFICIENT_BUFFERS || st == HV_STATUS_INSUFFICIENT_MEMORY)
		return true;
	/* INITIATE_CONTACT: INVALID_CONNECTION_ID means "no such connection" (version fallback) */
	return st == HV_STATUS_INVALID_CONNECTION_ID && type != VMBUS_MSG_INITIATE_CONTACT;
}

uint16_t vmbus_post(const void *msg, uint32_t len, const char **why)
{
	static char reason[128];
	uint32_t type = ((const struct vmbus_msg_header *)msg)->type;
	uint64_t pause = POST_PAUSE_FIRST_NS, start = cpu_now_ns();
	uint16_t st, first = HV_STATUS_SUCCESS;
	unsigned tries = 0;

	for (;;) {
		st = hv_post_message(vmb.msg_conn_id, HV_MESSAGE_TYPE_VMBUS, msg, len);
		tries++;
		if (st != HV_STATUS_SUCCESS && first == HV_STATUS_SUCCESS)
			first = st;
		if (st == HV_STATUS_SUCCESS || !post_retryable(st, type) || tries == POST_TRIES)
			break;
		cpu_wait(pause);
		if (pause < POST_PAUSE_MAX_NS)
			pause *= 2;
	}
	if (st == HV_STATUS_SUCCESS && tries > 1) {
		uint64_t ms = (cpu_now_ns() - start) / 1000000;

		log_printf("hvprobe: vmbus: HvPostMessage(%s) succeeded after %u tries over %llu ms (first %s)\n",
			   vmbus_msg_name(type), tries, (unsigned long long)ms, hv_status_name(first));
		/* tolerated, but worth knowing: Linux vmbus_post_msg retries up to 100 times */
		if (vmb.post_retried++ == 0)
			check("vmbus.host.post", CHECK_WARN,
			      "HvPostMessage(%s) returned %s and succeeded on try %u after %llu ms (Linux retries up to %u times)",
			      vmbus_msg_name(type), hv_status_name(first), tries,
			      (unsigned long long)ms, POST_TRIES);
	}
	if (st != HV_STATUS_SUCCESS) {
		fmt_snprintf(reason, sizeof(reason), "HvPostMessage(%s) returned %s%s", vmbus_msg_name(type),
			     hv_status_name(st), tries > 1 ? " on every try" : "");
		log_printf("hvprobe: vmbus: %s (%u tries over %llu ms)\n", reason, tries,
			   (unsigned long long)((cpu_now_ns() - start) / 1000000));
		if (why)
			*why = reason;
	}
	return st;
}

/* ---- replies ---- */

/* Does a reply carrying (@relid, @id) answer what @relid0/@id0 asked for (0 = any)? */
static bool reply_matches(uint32_t relid0, uint32_t id0, uint32_t relid, uint32_t id)
{
	return (!relid0 || relid0 == relid) && (!id0 || id0 == id);
}

/* Remember a request we stopped waiting for; when the list is full, remember that we forgot. */
static void abandon(uint32_t type, uint32_t relid, uint32_t id)
{
	for (unsigned i = 0; i < VMBUS_MAX_ABANDONED; i++) {
		if (!vmb.abandoned[i].type) {
			vmb.abandoned[i] = (struct vmbus_abandoned){ type, relid, id };
			return;
		}
	}
	vmb.forgotten++;
}

/* Forget, and say whether there was, an abandoned request that this reply answers. */
static bool late_reply(uint32_t type, uint32_t relid, uint32_t id)
{
	for (unsigned i = 0; i < VMBUS_MAX_ABANDONED; i++) {
		struct vmbus_abandoned *a = &vmb.abandoned[i];

		if (a->type == type && reply_matches(a->relid, a->id, relid, id)) {
			a->type = 0;
			return true;
		}
	}
	return false;
}

/* Is @type a reply to some request the guest makes (so a forgotten request may explain it)? */
static bool is_reply_type(uint32_t type)
{
	return type == VMBUS_MSG_VERSION_RESPONSE || type == VMBUS_MSG_OPENCHANNEL_RESULT ||
	       type == VMBUS_MSG_GPADL_CREATED || type == VMBUS_MSG_GPADL_TORNDOWN ||
	       type == VMBUS_MSG_UNLOAD_RESPONSE;
}

void vmbus_on_reply(const uint8_t *msg, uint32_t len)
{
	const struct vmbus_msg_header *h = (const void *)msg;
	uint32_t relid = 0, id = 0;

	switch (h->type) {
	case VMBUS_MSG_OPENCHANNEL_RESULT:
		relid = ((const struct vmbus_open_result *)msg)->child_relid;
		id = ((const struct vmbus_open_result *)msg)->open_id;
		break;
	case VMBUS_MSG_GPADL_CREATED:
		relid = ((const struct vmbus_gpadl_created *)msg)->child_relid;
		id = ((const struct vmbus_gpadl_created *)msg)->gpadl;
		break;
	case VMBUS_MSG_GPADL_TORNDOWN:
		id = ((const struct vmbus_gpadl_torndown *)msg)->gpadl;
		break;
	}
	if (vmb.wait.active && !vmb.wait.done && h->type == vmb.wait.type &&
	    reply_matches(vmb.wait.relid, vmb.wait.id, relid, id)) {
		memcpy(vmb.wait.msg, msg, len);
		vmb.wait.len = len;
		vmb.wait.done = true;
		return;
	}
	/* a slow host's answer to a request we gave up on is not a wrong answer to this one */
	if (late_reply(h->type, relid, id) || (vmb.forgotten && is_reply_type(h->type))) {
		log_printf("hvprobe: vmbus: %s (relid %u, id 0x%x) came after we stopped waiting for it (ignored)\n",
			   vmbus_msg_name(h->type), relid, id);
		return;
	}
	/*
	 * Another reply while one request is outstanding is a wrong answer:
	 * each reply answers its own request type (Linux channel_mgmt.c
	 * vmbus_onversion_response, vmbus_onopen_result, vmbus_ongpadl_created).
	 */
	if (vmb.wait.active && !vmb.wait.done) {
		vmb.wait.unexpected = h->type;
		return;
	}
	log_printf("hvprobe: vmbus: %s (relid %u, id 0x%x) that nobody asked for (ignored)\n",
		   vmbus_msg_name(h->type), relid, id);
}

void vmbus_request_rescinded(uint32_t relid)
{
	if (vmb.wait.active && vmb.wait.relid == relid)
		vmb.wait.rescinded = true;
}

bool vmbus_request_busy(void)
{
	return vmb.wait.active;
}

static bool wait_over(void *ctx)
{
	return vmb.wait.done || vmb.wait.unexpected || vmb.wait.rescinded;
}

int vmbus_request(struct vmbus_request *rq, const char **why)
{
	static char reason[160];
	uint64_t start;
	bool ok;

	rq->took_ns = 0;
	rq->post_status = HV_STATUS_SUCCESS;
	rq->rescinded = false;
	if (vmb.wait.active) {
		*why = "another control request is outstanding";
		return -1;
	}
	/* armed before posting, so a fast reply is not missed */
	memset(&vmb.wait, 0, sizeof(vmb.wait));
	vmb.wait.active = true;
	vmb.wait.type = rq->reply;
	vmb.wait.relid = rq->relid;
	vmb.wait.id = rq->id;
	start = cpu_now_ns();
	rq->post_status = vmbus_post(rq->msg, rq->len, why);
	if (rq->post_status == HV_STATUS_SUCCESS && rq->post_more)
		rq->post_status = rq->post_more(rq, why);
	if (rq->post_status != HV_STATUS_SUCCESS) {
		vmb.wait.active = false;
		return -1;
	}
	ok = loop_wait(vmbus_msg_name(rq->reply), wait_over, NULL, start + rq->limit_ns);
	vmb.wait.active = false;
	rq->took_ns = cpu_now_ns() - start;
	if (ok && vmb.wait.done) {
		uint32_t n = vmb.wait.len < rq->out_size ? vmb.wait.len : rq->out_size;

		if (rq->out) {
			memset(rq->out, 0, rq->out_size);
			memcpy(rq->out, vmb.wait.msg, n);
		}
		if (rq->took_ns > VMBUS_REPLY_USUAL_NS)
			log_printf("hvprobe: vmbus: %s came after %llu ms\n", vmbus_msg_name(rq->reply),
				   (unsigned long long)(rq->took_ns / 1000000));
		return 0;
	}
	abandon(rq->reply, rq->relid, rq->id);
	rq->rescinded = vmb.wait.rescinded;
	if (vmb.wait.rescinded)
		fmt_snprintf(reason, sizeof(reason), "the host rescinded relid %u while waiting for %s",
			     rq->relid, vmbus_msg_name(rq->reply));
	else if (vmb.wait.unexpected)
		fmt_snprintf(reason, sizeof(reason), "the host answered with %s instead of %s",
			     vmbus_msg_name(vmb.wait.unexpected), vmbus_msg_name(rq->reply));
	else
		fmt_snprintf(reason, sizeof(reason), "no %s within %llu s", vmbus_msg_name(rq->reply),
			     (unsigned long long)(rq->limit_ns / 1000000000ull));
	*why = reason;
	return -1;
}

bool vmbus_request_late(const struct vmbus_request *rq, char *buf, size_t n)
{
	if (rq->took_ns <= VMBUS_REPLY_USUAL_NS)
		return false;
	fmt_snprintf(buf, n, "%s came after %llu.%03llu s (usually within %llu s; tolerated up to %llu s)",
		     vmbus_msg_name(rq->reply), (unsigned long long)(rq->took_ns / 1000000000ull),
		     (unsigned long long)(rq->took_ns / 1000000 % 1000),
		     (unsigned long long)(VMBUS_REPLY_USUAL_NS / 1000000000ull),
		     (unsigned long long)(rq->limit_ns / 1000000000ull));
	return true;
}
