/* Seeds for the core targets: rings, VMBus messages, the first ICs, the config. */
#include <string.h>

#include "drivers/ic/ic_regs.h"
#include "drivers/vmbus/vmbus_regs.h"
#include "tests/fuzz/seeds.h"

/* vmbus_msg: version byte, then length-prefixed messages */
static size_t add_msg(uint8_t *buf, size_t pos, const void *m, size_t len)
{
	buf[pos] = (uint8_t)len;
	memcpy(buf + pos + 1, m, len);
	return pos + 1 + len;
}

static void vmbus_seeds(void)
{
	uint8_t buf[1024];
	size_t pos = 0;
	struct vmbus_version_response vr = { { VMBUS_MSG_VERSION_RESPONSE, 0 }, 1, 0, 0, 1 };
	struct vmbus_offer o;
	struct vmbus_msg_header all = { VMBUS_MSG_ALLOFFERS_DELIVERED, 0 };
	struct vmbus_gpadl_created gc = { { VMBUS_MSG_GPADL_CREATED, 0 }, 1, 0xe1e10, 0 };
	struct vmbus_open_result orr = { { VMBUS_MSG_OPENCHANNEL_RESULT, 0 }, 1, 1, 0 };
	struct vmbus_relid_msg rescind = { { VMBUS_MSG_RESCIND_CHANNELOFFER, 0 }, 1 };
	struct vmbus_gpadl_torndown td = { { VMBUS_MSG_GPADL_TORNDOWN, 0 }, 0xe1e10 };

	memset(&o, 0, sizeof(o));
	o.hdr.type = VMBUS_MSG_OFFERCHANNEL;
	o.interface_type.b[0] = 0x39; /* heartbeat's first byte; the rest as offered */
	o.child_relid = 1;
	o.connection_id = 0x10001;
	o.is_dedicated_interrupt = 1;
	o.flags = VMBUS_OFFER_FLAG_NAMED_PIPE;
	buf[pos++] = 0x33; /* version 4.0, offers requested, a wait active */
	pos = add_msg(buf, pos, &vr, sizeof(vr));
	pos = add_msg(buf, pos, &o, sizeof(o));
	pos = add_msg(buf, pos, &all, sizeof(all));
	pos = add_msg(buf, pos, &gc, sizeof(gc));
	pos = add_msg(buf, pos, &orr, sizeof(orr));
	pos = add_msg(buf, pos, &rescind, sizeof(rescind));
	pos = add_msg(buf, pos, &td, sizeof(td));
	seed_put("vmbus_msg", "session", buf, pos);
	seed_put("vmbus_msg", "offer", buf + 1 + sizeof(vr) + 1 - 1, 1 + 1 + sizeof(o));
}

/* ic: selector byte, packet type (2 bytes), then pipe + IC headers + data */
static void ic_seed(const char *name, uint8_t sel, uint16_t msgtype, struct ic_version sv,
		    const void *data, uint16_t len)
{
	uint8_t buf[4096];
	struct ic_pipe_header pipe = { IC_PIPE_DATA, (uint32_t)(sizeof(struct ic_msg_header) + len) };
	struct ic_msg_header h = { { 3, 0 }, msgtype, sv, len, 0, 0,
				   IC_FLAG_TRANSACTION | IC_FLAG_REQUEST, { 0, 0 } };

	buf[0] = sel;
	buf[1] = VMBUS_PKT_DATA_INBAND;
	buf[2] = 0;
	memcpy(buf + 3, &pipe, sizeof(pipe));
	memcpy(buf + 3 + sizeof(pipe), &h, sizeof(h));
	memcpy(buf + 3 + IC_HEADERS, data, len);
	seed_put("ic", name, buf, 3 + IC_HEADERS + len);
}

static void ic_seeds(void)
{
	struct {
		struct ic_negotiate n;
		struct ic_version v[4];
	} neg = { { 2, 2, 0 }, { { 1, 0 }, { 3, 0 }, { 1, 0 }, { 3, 0 } } };
	struct ic_heartbeat hb = { 41, { 0 } };
	struct ic_shutdown sd = { 0x80000000u, 0, IC_SHUTDOWN_FORCE, "planned" };
	struct ic_timesync_v4 t4 = { IC_EPOCH_1601_TO_1970 + 17640000000000000ull, 12345,
				     IC_TIMESYNC_SYNC, 0, 0 };
	struct ic_timesync_v1 t1 = { IC_EPOCH_1601_TO_1970 + 17640000000000000ull, 0, 0,
				     IC_TIMESYNC_SAMPLE };

	ic_seed("negotiate-heartbeat", 0x00, IC_MSG_NEGOTIATE, (struct ic_version){ 0, 0 }, &neg,
		sizeof(neg));
	ic_seed("heartbeat", 0x10, IC_MSG_HEARTBEAT, (struct ic_version){ 3, 0 }, &hb, sizeof(hb));
	ic_seed("shutdown", 0x11, IC_MSG_SHUTDOWN, (struct ic_version){ 3, 2 }, &sd, 12 + 8);
	ic_seed("timesync-v4", 0x32, IC_MSG_TIMESYNC, (struct ic_version){ 4, 0 }, &t4,
		sizeof(t4) + 3);
	ic_seed("timesync-v3", 0x12, IC_MSG_TIMESYNC, (struct ic_version){ 3, 0 }, &t1,
		sizeof(t1) + 3);
}

static void ring_seeds(void)
{
	/* indices (write 32, read 0), then one 24-byte packet and its trailer */
	uint8_t buf[16 + 32] = { 32, 0, 0, 0 };
	uint16_t desc[4] = { 6, 2, 3, 0 };

	memcpy(buf + 16, desc, sizeof(desc));
	memcpy(buf + 16 + 16, "payload!", 8);
	seed_put("ring", "one-packet", buf, sizeof(buf));
}

static void config_seeds(void)
{
	static const char cfg[] = "expect=hyperv\nobserve=15\nfinish=serve\ndeadline=60\n"
				  "guest_os_id=0x8100000000000000\nvmbus_version=4.0\nverbose=1\n";

	seed_put("config", "all-keys", cfg, sizeof(cfg) - 1);
}

static void core_seeds(void)
{
	vmbus_seeds();
	ic_seeds();
	ring_seeds();
	config_seeds();
}

SEEDS(core_seeds)
