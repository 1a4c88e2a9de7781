/*
 * Shutdown (Linux drivers/hv/hv_util.c shutdown_onchannelcallback(), OpenVMM
 * hyperv_ic/src/shutdown.rs): answer S_OK first, then act.  Power off and
 * reboot are accepted; hibernate (this kernel has no S4) and flags we do
 * not know are refused with E_FAIL, as Linux does.
 */
#include "drivers/ic/ic.h"
#include "lib/log.h"
#include "lib/report.h"
#include "lib/str.h"

static const struct ic_version versions[] = { { 1, 0 }, { 3, 0 }, { 3, 1 }, { 3, 2 } };

static struct {
	bool requested, reboot, pending;
} sd;

/* The display message as printable ASCII (UTF-16 zero bytes dropped). */
static void message_text(const uint8_t *m, uint32_t len, char *out, size_t n)
{
	size_t k = 0;

	for (uint32_t i = 0; i < len && k + 1 < n; i++) {
		if (!m[i])
			continue;
		out[k++] = (m[i] >= 0x20 && m[i] < 0x7f) ? (char)m[i] : '?';
	}
	out[k] = '\0';
}

static uint32_t sd_request(struct ic_channel *ic, uint8_t *data, uint32_t len)
{
	struct ic_shutdown s;
	char text[96];
	const char *action;
	uint32_t status = IC_S_OK;

	/*
	 * Source: Linux shutdown_onchannelcallback() drops a request shorter
	 * than shutdown_msg_data (2060 bytes) unanswered; OpenVMM always sends
	 * 2060.  We still act on one that holds the flags (12 bytes).
	 */
	if (len < sizeof(struct ic_shutdown))
		ic_finding(ic, "message", "a shutdown request of %u bytes (Linux ignores one shorter than %zu)",
			   len, sizeof(struct ic_shutdown));
	if (len < IC_SHUTDOWN_MIN)
		return IC_E_INVALIDARG;
	memset(&s, 0, sizeof(s));
	memcpy(&s, data, len < sizeof(s) ? len : sizeof(s));
	message_text(s.display_message, len > IC_SHUTDOWN_MIN ? len - IC_SHUTDOWN_MIN : 0, text,
		     sizeof(text));
	switch (s.flags) {
	case 0:
	case IC_SHUTDOWN_FORCE:
		action = "power off";
		sd.pending = true;
		break;
	case IC_SHUTDOWN_RESTART:
	case IC_SHUTDOWN_RESTART | IC_SHUTDOWN_FORCE:
		action = "reboot";
		sd.pending = true;
		sd.reboot = true;
		break;
	case IC_SHUTDOWN_HIBERNATE:
	case IC_SHUTDOWN_HIBERNATE | IC_SHUTDOWN_FORCE:
		action = "refused (E_FAIL): hvprobe cannot hibernate";
		status = IC_E_FAIL;
		break;
	default:
		action = "refused (E_FAIL): unknown flags";
		status = IC_E_FAIL;
		break;
	}
	log_printf("hvprobe: shutdown request: reason 0x%08x, timeout %u s, flags 0x%x%s; message \"%s\"\n",
		   s.reason_code, s.timeout_seconds, s.flags,
		   s.flags & IC_SHUTDOWN_FORCE ? " (force)" : "", text);
	check("ic.shutdown.request", CHECK_PASS, "reason 0x%08x, timeout %u s, flags 0x%x: %s",
	      s.reason_code, s.timeout_seconds, s.flags, action);
	return status;
}

/* The answer went out: now the run may end (kernel/main.c polls for it). */
static void sd_responded(struct ic_channel *ic)
{
	if (sd.pending)
		sd.requested = true;
}

bool ic_shutdown_requested(bool *reboot)
{
	*reboot = sd.reboot;
	return sd.requested;
}

const struct ic_service ic_shutdown = {
	.name = "shutdown",
	.msgtype = IC_MSG_SHUTDOWN,
	.versions = versions,
	.nversions = ARRAY_SIZE(versions),
	.request = sd_request,
	.responded = sd_responded,
};
