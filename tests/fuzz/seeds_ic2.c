/*
 * Seeds for the KVP, VSS and fcopy targets: sessions a well-behaved host
 * runs (tests/fuzz/ic_session.h: a version byte, then u16-length-prefixed
 * packets), so the fuzzer starts inside every operation.
 */
#include <stddef.h>
#include <string.h>

#include "drivers/ic/fcopy_regs.h"
#include "drivers/ic/kvp_regs.h"
#include "drivers/ic/vss_regs.h"
#include "tests/fuzz/seeds.h"

struct session {
	uint8_t buf[1 << 16];
	size_t len;
};

static struct session s;

/* A new session; @sel: the version byte. */
static void begin(uint8_t sel)
{
	s.buf[0] = sel;
	s.len = 1;
}

/* One request of @msgtype with @len bytes of @data (NEGOTIATE included). */
static void add(uint16_t msgtype, const void *data, uint16_t len)
{
	struct ic_pipe_header pipe = { IC_PIPE_DATA, (uint32_t)(sizeof(struct ic_msg_header) + len) };
	struct ic_msg_header h = { { 3, 0 }, msgtype, { 4, 0 }, len, 0, 0,
				   IC_FLAG_TRANSACTION | IC_FLAG_REQUEST, { 0, 0 } };
	uint16_t total = (uint16_t)(IC_HEADERS + len);

	if (s.len + 2 + total > sizeof(s.buf))
		return;
	s.buf[s.len++] = (uint8_t)total;
	s.buf[s.len++] = (uint8_t)(total >> 8);
	memcpy(s.buf + s.len, &pipe, sizeof(pipe));
	memcpy(s.buf + s.len + sizeof(pipe), &h, sizeof(h));
	memcpy(s.buf + s.len + IC_HEADERS, data, len);
	s.len += total;
}

/* ASCII @str as UTF-16LE with its terminator; the size in bytes. */
static uint32_t utf16(const char *str, uint8_t *dst)
{
	uint32_t n = 0;

	do {
		dst[2 * n] = (uint8_t)str[n];
		dst[2 * n + 1] = 0;
	} while (str[n++]);
	return 2 * n;
}

/* A KVP record message: @op on @pool with @key=@value. */
static void kvp(uint8_t op, uint8_t pool, const char *key, const char *value)
{
	struct kvp_msg_enumerate m;
	struct kvp_msg_get_set *gs = (void *)&m;

	memset(&m, 0, sizeof(m));
	m.hdr.operation = op;
	m.hdr.pool = pool;
	if (op == KVP_OP_DELETE) {
		struct kvp_msg_delete *d = (void *)&m;

		d->key_size = utf16(key, d->key);
	} else if (op != KVP_OP_ENUMERATE) {
		gs->data.value_type = KVP_REG_SZ;
		gs->data.key_size = utf16(key, gs->data.key);
		gs->data.value_size = utf16(value, gs->data.value);
	}
	add(IC_MSG_KVP, &m, sizeof(m));
}

static void kvp_seeds(void)
{
	struct kvp_msg_enumerate e;
	static struct kvp_msg_ip ip;
	struct {
		struct ic_negotiate n;
		struct ic_version v[5];
	} neg = { { 2, 3, 0 }, { { 1, 0 }, { 3, 0 }, { 3, 0 }, { 4, 0 }, { 5, 0 } } };

	begin(2);
	kvp(KVP_OP_SET, KVP_POOL_AUTO_EXTERNAL, "HostName", "host.example");
	kvp(KVP_OP_SET, KVP_POOL_EXTERNAL, "Color", "blue");
	kvp(KVP_OP_GET, KVP_POOL_EXTERNAL, "Color", "");
	kvp(KVP_OP_GET, KVP_POOL_GUEST, "hvprobe.verdict", "");
	kvp(KVP_OP_DELETE, KVP_POOL_EXTERNAL, "Color", "");
	for (uint32_t i = 0; i < 3; i++) {
		memset(&e, 0, sizeof(e));
		e.hdr.operation = KVP_OP_ENUMERATE;
		e.hdr.pool = i ? KVP_POOL_AUTO : KVP_POOL_GUEST;
		e.index = i;
		add(IC_MSG_KVP, &e, sizeof(e));
	}
	memset(&e, 0, sizeof(e));
	e.hdr.operation = KVP_OP_LAST + 1;     /* Linux's KVP_OP_COUNT: an unknown operation */
	e.hdr.pool = KVP_POOL_AUTO;
	add(IC_MSG_KVP, &e, 8);
	ip.operation = KVP_OP_GET_IP_INFO;
	ip.pool = KVP_POOL_GUEST;
	ip.ip.adapter_id[0] = '{';
	add(IC_MSG_KVP, &ip, sizeof(ip));
	seed_put("kvp", "session", s.buf, s.len);

	begin(0x82); /* not negotiated yet: NEGOTIATE first */
	add(IC_MSG_NEGOTIATE, &neg, sizeof(neg));
	kvp(KVP_OP_SET, KVP_POOL_EXTERNAL, "Key", "value");
	seed_put("kvp", "negotiate-then-set", s.buf, s.len);
}

/* A VSS message: @op, then a u32 at +8 and zeros to @len. */
static void vss(uint8_t op, uint16_t len)
{
	static uint8_t m[6260];

	memset(m, 0, sizeof(m));
	m[0] = op;
	m[12] = 1;  /* FREEZE: backup type 1 */
	m[20] = 1;  /* and one LUN */
	add(IC_MSG_VSS, m, len);
}

static void vss_seeds(void)
{
	begin(1); /* 5.0 */
	vss(VSS_OP_HOT_BACKUP, 32);
	vss(VSS_OP_GET_DM_INFO, 32);
	vss(VSS_OP_CREATE, 32);
	vss(VSS_OP_FREEZE, 6260);
	vss(VSS_OP_THAW, 32);
	vss(VSS_OP_BACKUP_COMPLETE, 32);
	vss(VSS_OP_DELETE, 32);
	vss(VSS_OP_AUTO_RECOVER, 6260);
	vss(VSS_OP_QUERY_CLUSTER_INFO, 32);
	seed_put("vss", "backup", s.buf, s.len);
	begin(0);   /* 4.0: FREEZE is too new */
	vss(VSS_OP_THAW, 12);
	vss(VSS_OP_FREEZE, 20);
	vss(VSS_OP_FREEZE, 20);
	seed_put("vss", "out-of-order", s.buf, s.len);
}

/* START_FILE_COPY of @name, @size bytes. */
static void fcopy_start(const char *name, uint64_t size, uint32_t flags)
{
	static struct fcopy_start m;

	memset(&m, 0, sizeof(m));
	m.hdr.operation = FCOPY_START_FILE_COPY;
	utf16(name, (uint8_t *)&m + offsetof(struct fcopy_start, file_name));
	utf16("/tmp", (uint8_t *)&m + offsetof(struct fcopy_start, path_name));
	m.copy_flags = flags;
	m.file_size = size;
	add(IC_MSG_FCOPY, &m, sizeof(m));
}

/* WRITE_TO_FILE of @size bytes at @off. */
static void fcopy_write(uint64_t off, uint32_t size)
{
	static struct fcopy_write m;

	memset(&m, 0, sizeof(m));
	m.hdr.operation = FCOPY_WRITE_TO_FILE;
	m.offset = off;
	m.size = size;
	memset(m.data, 'x', size);
	add(IC_MSG_FCOPY, &m, sizeof(m));
}

/* COMPLETE_FCOPY or CANCEL_FCOPY. */
static void fcopy_end(uint32_t op)
{
	struct fcopy_header m = { op, { { 0 } }, { { 0 } } };

	add(IC_MSG_FCOPY, &m, sizeof(m));
}

static void fcopy_seeds(void)
{
	begin(0);
	fcopy_start("a.txt", 10000, FCOPY_CREATE_PATH);
	fcopy_write(0, FCOPY_FRAGMENT);
	fcopy_write(FCOPY_FRAGMENT, 10000 - FCOPY_FRAGMENT);
	fcopy_end(FCOPY_COMPLETE);
	fcopy_start("a.txt", 100, 0);
	fcopy_start("a.txt", 100, FCOPY_OVER_WRITE);
	fcopy_write(0, 50);
	fcopy_end(FCOPY_CANCEL);
	seed_put("fcopy", "copy-overwrite-cancel", s.buf, s.len);
	begin(0);
	fcopy_start("b.bin", 20000, 0);
	fcopy_end(FCOPY_COMPLETE);
	seed_put("fcopy", "complete-early", s.buf, s.len);
}

static void ic2_seeds(void)
{
	kvp_seeds();
	vss_seeds();
	fcopy_seeds();
}

SEEDS(ic2_seeds)
