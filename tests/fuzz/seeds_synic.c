/*
 * Seeds for the SynIC slot target (fuzz_synic.c): a flags byte, then the
 * 256-byte slots a well-behaved host writes into SINT 2, Pending set on
 * every message but the last of a burst; and one payload size too large.
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "drivers/hyperv/hv_regs.h"
#include "drivers/vmbus/vmbus_regs.h"
#include "tests/fuzz/seeds.h"

#define IRQ 0x01             /* an interrupt with every message */
#define EVENT 0x02           /* a SINT 2 event flag is set as well */
#define WIN10 (3 << 2)       /* VMBus 4.0 */
#define OFFERS 0x20          /* offers were requested */
#define WAITING 0x40         /* a wait for VERSION_RESPONSE is active */

static uint8_t buf[8 * HV_MESSAGE_SIZE + 1];
static size_t pos;

/* Start a seed with @flags. */
static void begin(uint8_t flags)
{
	buf[0] = flags;
	pos = 1;
}

/* One slot: message @type with @len bytes of @p; @pending: more are queued. */
static void slot(uint32_t type, const void *p, uint8_t len, bool pending)
{
	struct hv_message m;

	memset(&m, 0, sizeof(m));
	m.header.message_type = type;
	m.header.payload_size = len;
	m.header.flags = pending ? HV_MESSAGE_FLAG_PENDING : 0;
	memcpy(m.payload, p, len);
	memcpy(buf + pos, &m, sizeof(m));
	pos += sizeof(m);
}

/* An offer of relid @relid whose class starts with byte @cls (heartbeat: 0x39). */
static void offer(uint32_t relid, uint8_t cls, bool pending)
{
	struct vmbus_offer o;

	memset(&o, 0, sizeof(o));
	o.hdr.type = VMBUS_MSG_OFFERCHANNEL;
	o.interface_type.b[0] = cls;
	o.interface_instance.b[15] = (uint8_t)relid;
	o.child_relid = relid;
	o.connection_id = 0x10000 + relid;
	o.is_dedicated_interrupt = 1;
	o.flags = VMBUS_OFFER_FLAG_NAMED_PIPE;
	slot(HV_MESSAGE_TYPE_VMBUS, &o, sizeof(o), pending);
}

static void synic_seeds(void)
{
	struct vmbus_version_response vr = { { VMBUS_MSG_VERSION_RESPONSE, 0 }, 1, 0, 0, 1 };
	struct vmbus_msg_header all = { VMBUS_MSG_ALLOFFERS_DELIVERED, 0 };
	struct vmbus_gpadl_created gc = { { VMBUS_MSG_GPADL_CREATED, 0 }, 1, 0xe1e10, 0 };
	struct vmbus_open_result orr = { { VMBUS_MSG_OPENCHANNEL_RESULT, 0 }, 1, 1, 0 };
	struct hv_timer_message t = { 0, 0, 10000, 10042 };

	begin(IRQ | WIN10 | WAITING);
	slot(HV_MESSAGE_TYPE_VMBUS, &vr, sizeof(vr), false);
	seed_put("synic", "version-response", buf, pos);

	begin(IRQ | WIN10 | OFFERS);
	offer(1, 0x39, true);
	offer(2, 0x31, true);
	slot(HV_MESSAGE_TYPE_VMBUS, &all, sizeof(all), false);
	seed_put("synic", "offers", buf, pos);

	begin(IRQ | EVENT | WIN10);
	slot(HV_MESSAGE_TYPE_VMBUS, &gc, sizeof(gc), true);
	slot(HV_MESSAGE_TYPE_VMBUS, &orr, sizeof(orr), false);
	seed_put("synic", "gpadl-open", buf, pos);

	begin(IRQ | WIN10);
	slot(HV_MESSAGE_TYPE_TIMER_EXPIRED, &t, sizeof(t), true);
	slot(HV_MESSAGE_TYPE_VMBUS, &all, sizeof(all), false);
	seed_put("synic", "timer-then-vmbus", buf, pos);

	begin(EVENT | WIN10);
	slot(HV_MESSAGE_TYPE_NONE, &all, 0, false);
	seed_put("synic", "event-only", buf, pos);

	/* one byte more than a slot holds: dropped, and the next one still delivered */
	begin(IRQ | WIN10 | OFFERS);
	slot(HV_MESSAGE_TYPE_VMBUS, &all, sizeof(all), true);
	((struct hv_message *)(buf + pos - HV_MESSAGE_SIZE))->header.payload_size =
		HV_MESSAGE_PAYLOAD_MAX + 1;
	slot(HV_MESSAGE_TYPE_VMBUS, &all, sizeof(all), false);
	seed_put("synic", "oversized", buf, pos);
}

SEEDS(synic_seeds)
