/*
 * KVP / Data Exchange (Linux drivers/hv/hv_kvp.c and tools/hv/hv_kvp_daemon.c,
 * OpenVMM hyperv_ic/src/kvp.rs): every operation, every pool.  The host reads the Auto pool (what hvprobe is) and the Guest pool
 * (hvprobe's report: kvp_items.c), pushes its own identity into the Auto
 * External pool and admin data into the External pool; both are kept in
 * bounded stores and logged, so the serial log says which host this was.
 *
 * Statuses (as Linux's hv_kvp_daemon answers): a GET or DELETE of a key
 * that is not there, the end of an enumeration and a SET the store cannot
 * take all answer 0x80070103 (ERROR_NO_MORE_ITEMS, Linux HV_S_CONT);
 * hvprobe has no network adapter, so GET_IP_INFO answers E_FAIL (the
 * daemon's kvp_mac_to_ip() finds no interface with that MAC) and
 * SET_IP_INFO 0x80041002 (HV_GUID_NOTFOUND: kvp_get_if_name() finds no
 * interface with that GUID); a malformed message or text is E_INVALIDARG;
 * writes into the pools hvprobe owns (Guest, Auto, Auto Internal) and
 * unknown operations are "not supported" (0x80070032).
 */
#include "drivers/ic/ic.h"
#include "drivers/ic/kvp_items.h"
#include "drivers/ic/kvp_regs.h"
#include "kernel/cpu.h"
#include "lib/log.h"
#include "lib/report.h"
#include "lib/str.h"
#include "lib/utf16.h"

#define EXTERNAL_ITEMS 32                       /* the External pool's store */
#define HOST_ITEMS 16                           /* the Auto External pool's store */
#define KEY_TEXT (KVP_MAX_KEY_SIZE / 2 * 3 + 1) /* UTF-8 of a full key: <= 3 bytes a unit */
#define VALUE_TEXT (KVP_MAX_VALUE_SIZE / 2 * 3 + 1)
#define RECORD_HEAD 12                          /* value_type, key_size, value_size */
#define RECORD_VALUE (RECORD_HEAD + KVP_MAX_KEY_SIZE) /* the value's offset in a record */

static const struct ic_version versions[] = { { 1, 0 }, { 3, 0 }, { 4, 0 } };

static const char *const pool_names[KVP_POOLS] = { "External", "Guest", "Auto", "Auto External",
						   "Auto Internal" };

/* A pool the host writes: whole records, in the order they were first set. */
struct store {
	struct kvp_value *items;
	unsigned n, max;
};

/* One KVP channel's state (a host may offer the service twice), from cpu_alloc_pages. */
struct kvp_state {
	struct kvp_value external_items[EXTERNAL_ITEMS], host_items[HOST_ITEMS];
	struct store external, host;
	unsigned enum_next[KVP_POOLS];  /* the index the current walk asks for next */
	unsigned walks[KVP_POOLS];      /* walks that reached the end */
	unsigned walked[KVP_POOLS];     /* items in the last complete walk */
	unsigned gets[KVP_POOLS], found[KVP_POOLS];
	unsigned sets, stored, updated, full, deletes, deleted, readonly;
	unsigned ip_gets, ip_sets;
	bool enum_finding;
};

static struct kvp_state *kvp;   /* the channel being served */

/* Select @ic's state, allocating it (empty stores) on first use; false when out of memory. */
static bool kvp_attach(struct ic_channel *ic)
{
	if (!ic->state) {
		ic->state = cpu_alloc_pages((sizeof(*kvp) + PAGE_SIZE - 1) / PAGE_SIZE);
		if (!ic->state) {
			log_printf("hvprobe: kvp: no memory for the channel's stores\n");
			return false;
		}
		kvp = ic->state;
		kvp->external = (struct store){ kvp->external_items, 0, EXTERNAL_ITEMS };
		kvp->host = (struct store){ kvp->host_items, 0, HOST_ITEMS };
	}
	kvp = ic->state;
	return true;
}

/* Host text for the log: control characters (a forged log line) become '?'. */
static char *printable(char *s)
{
	for (char *c = s; *c; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			*c = '?';
	return s;
}

/* A record's key as UTF-8; false (a finding) when it is malformed. */
static bool key_text(struct ic_channel *ic, const char *op, unsigned pool, const uint8_t *key,
		     uint32_t size, char out[KEY_TEXT])
{
	char label[48];

	/* Source: OpenVMM kvp.rs parse_str() refuses a size beyond the field ("string length too large") */
	if (size > KVP_MAX_KEY_SIZE) {
		ic_finding(ic, "message", "%s key_size %u is larger than the %u-byte key field", op, size,
			   KVP_MAX_KEY_SIZE);
		return false;
	}
	fmt_snprintf(label, sizeof(label), "%s in the %s pool: the key", op, pool_names[pool]);
	return ic_utf16(ic, label, key, size, out, KEY_TEXT) >= 0;
}

/* Stored host text (already judged by ic_utf16) as UTF-8: up to its first NUL or @n bytes. */
static int text_of(const uint8_t *src, size_t n, char *out, size_t cap, const char **why)
{
	size_t units;

	if (n > KVP_MAX_VALUE_SIZE)
		n = KVP_MAX_VALUE_SIZE;
	return utf16le_text_to_utf8(src, n, out, cap, &units, why);
}

/* A record's value as text: strings decoded, numbers in decimal; false when malformed. */
static bool value_text(const struct kvp_value *v, char out[VALUE_TEXT], const char **why)
{
	uint64_t n = 0;

	switch (v->value_type) {
	case KVP_REG_SZ:
	case KVP_REG_EXPAND_SZ:
		return v->value_size <= KVP_MAX_VALUE_SIZE &&
		       text_of(v->value, v->value_size, out, VALUE_TEXT, why) >= 0;
	case KVP_REG_DWORD:
	case KVP_REG_U64:
	case KVP_REG_QWORD:
		if (v->value_size != (v->value_type == KVP_REG_DWORD ? 4u : 8u)) {
			*why = "a size that does not match its type";
			return false;
		}
		memcpy(&n, v->value, v->value_size);
		fmt_snprintf(out, VALUE_TEXT, "%llu (0x%llx)", (unsigned long long)n, (unsigned long long)n);
		return true;
	default:
		*why = "a type that is not 1 (REG_SZ), 2, 4 (DWORD), 8 or 11 (64-bit)";
		return false;
	}
}

/* Write UTF-8 @s as a UTF-16 field; text that cannot be encoded is sent as ASCII. */
static uint32_t encode(const char *s, uint8_t *field, size_t cap)
{
	char ascii[KVP_ITEM_VALUE_MAX];
	const char *why;
	int n;

	memset(field, 0, cap);
	n = utf8_to_utf16le(s, field, cap, &why);
	if (n >= 0)
		return (uint32_t)n;
	/* a reason cut inside a UTF-8 sequence, or too long: plain ASCII, truncated */
	str_copy(ascii, s, cap / 2 < sizeof(ascii) ? cap / 2 : sizeof(ascii));
	for (char *c = ascii; *c; c++)
		if ((unsigned char)*c >= 0x80)
			*c = '?';
	memset(field, 0, cap);
	n = utf8_to_utf16le(ascii, field, cap, &why);
	return n > 0 ? (uint32_t)n : 0;
}

/* Fill record @v with one of our items (REG_SZ). */
static void put_item(struct kvp_value *v, const char *key, const char *value)
{
	v->value_type = KVP_REG_SZ;
	v->key_size = encode(key, v->key, sizeof(v->key));
	v->value_size = encode(value, v->value, sizeof(v->value));
}

/* The store behind a pool the host writes, or NULL for a pool hvprobe owns. */
static struct store *store_of(unsigned pool)
{
	return pool == KVP_POOL_EXTERNAL ? &kvp->external :
	       pool == KVP_POOL_AUTO_EXTERNAL ? &kvp->host : NULL;
}

/* The stored record whose key is @key (same size and bytes), or NULL. */
static struct kvp_value *store_find(struct store *s, const uint8_t *key, uint32_t size)
{
	for (unsigned i = 0; i < s->n; i++)
		if (s->items[i].key_size == size && !memcmp(s->items[i].key, key, size))
			return &s->items[i];
	return NULL;
}

/* The number of items @pool holds now. */
static unsigned pool_count(unsigned pool)
{
	struct store *s = store_of(pool);

	return s ? s->n : kvp_items_count(pool);
}

/* SET: store a host record (External, Auto External); the others are ours. */
static uint32_t kvp_set(struct ic_channel *ic, unsigned pool, struct kvp_value *v, uint32_t avail)
{
	char key[KEY_TEXT], value[VALUE_TEXT], old[VALUE_TEXT];
	const char *why, *tag = pool == KVP_POOL_AUTO_EXTERNAL ? "host" : "external";
	struct store *s = store_of(pool);
	struct kvp_value *item;

	if (v->value_size > KVP_MAX_VALUE_SIZE || avail < RECORD_VALUE + v->value_size) {
		ic_finding(ic, "message", "SET value_size %u: larger than the %u-byte value field or the %u-byte message",
			   v->value_size, KVP_MAX_VALUE_SIZE, avail + KVP_BODY);
		return IC_E_INVALIDARG;
	}
	if (!key_text(ic, "SET", pool, v->key, v->key_size, key))
		return IC_E_INVALIDARG;
	if (v->value_type == KVP_REG_SZ || v->value_type == KVP_REG_EXPAND_SZ) {
		char label[64];

		fmt_snprintf(label, sizeof(label), "SET of %s in the %s pool: the value", printable(key),
			     pool_names[pool]);
		if (ic_utf16(ic, label, v->value, v->value_size, value, VALUE_TEXT) < 0)
			return IC_E_INVALIDARG;
	} else if (!value_text(v, value, &why)) {
		ic_finding(ic, v->value_type == KVP_REG_SZ || v->value_type == KVP_REG_EXPAND_SZ ? "utf16" : "message",
			   "SET of %s in the %s pool: the value (type %u, %u bytes) has %s",
			   printable(key), pool_names[pool], v->value_type, v->value_size, why);
		return IC_E_INVALIDARG;
	}
	printable(key);
	printable(value);
	if (!s) {
		kvp->readonly++;
		log_printf("hvprobe: kvp: SET of %s into the %s pool refused (not supported): that pool holds hvprobe's own items\n",
			   key, pool_names[pool]);
		return IC_E_NOT_SUPPORTED;
	}
	kvp->sets += pool == KVP_POOL_EXTERNAL;
	item = store_find(s, v->key, v->key_size);
	if (item) {
		value_text(item, old, &why);
		log_printf("hvprobe: kvp %s: %s = %s (replaces %s)\n", tag, key, value, printable(old));
		kvp->updated += pool == KVP_POOL_EXTERNAL;
	} else if (s->n == s->max) {
		/* full: refused, never evicted; 0x80070103 is Linux's answer to a failed SET */
		log_printf("hvprobe: kvp %s: %s refused: the store is full (%u items)\n", tag, key, s->max);
		kvp->full += pool == KVP_POOL_EXTERNAL;
		return IC_ERROR_NO_MORE_ITEMS;
	} else {
		item = &s->items[s->n++];
		log_printf("hvprobe: kvp %s: %s = %s\n", tag, key, value);
		kvp->stored += pool == KVP_POOL_EXTERNAL;
	}
	memset(item, 0, sizeof(*item));
	item->value_type = v->value_type;
	item->key_size = v->key_size;
	item->value_size = v->value_size;
	memcpy(item->key, v->key, v->key_size);
	memcpy(item->value, v->value, v->value_size);
	return IC_S_OK;
}

/* GET: the value of a key, in place; the log shows the answer as it went out. */
static uint32_t kvp_get(struct ic_channel *ic, unsigned pool, struct kvp_value *v)
{
	char key[KEY_TEXT], item[KVP_ITEM_VALUE_MAX], value[VALUE_TEXT];
	struct store *s = store_of(pool);
	struct kvp_value *found;
	const char *why;

	if (!key_text(ic, "GET", pool, v->key, v->key_size, key))
		return IC_E_INVALIDARG;
	printable(key);
	kvp->gets[pool]++;
	if (s && (found = store_find(s, v->key, v->key_size)) != NULL) {
		v->value_type = found->value_type;
		v->value_size = found->value_size;
		memset(v->value, 0, sizeof(v->value));
		memcpy(v->value, found->value, found->value_size);
	} else if (!s && kvp_item_find(pool, key, item)) {
		v->value_type = KVP_REG_SZ;
		v->value_size = encode(item, v->value, sizeof(v->value));
	} else {
		log_debug("hvprobe: kvp: GET of %s in the %s pool: no such item\n", key, pool_names[pool]);
		return IC_ERROR_NO_MORE_ITEMS;
	}
	kvp->found[pool]++;
	if (!value_text(v, value, &why))
		str_copy(value, "(unreadable)", sizeof(value));
	if (s)
		log_printf("hvprobe: kvp %s: the host read %s = %s\n",
			   pool == KVP_POOL_EXTERNAL ? "external" : "host", key, printable(value));
	else
		log_debug("hvprobe: kvp: the host read %s of the %s pool: %s\n", key, pool_names[pool],
			  printable(value));
	return IC_S_OK;
}

/* DELETE: remove a host record, keeping the others in order. */
static uint32_t kvp_delete(struct ic_channel *ic, unsigned pool, struct kvp_msg_delete *m,
			   uint32_t len)
{
	char key[KEY_TEXT];
	struct store *s = store_of(pool);
	struct kvp_value *item;

	if (m->key_size <= KVP_MAX_KEY_SIZE && len < 8 + m->key_size) {
		ic_finding(ic, "message", "DELETE key_size %u in a %u-byte message", m->key_size, len);
		return IC_E_INVALIDARG;
	}
	if (!key_text(ic, "DELETE", pool, m->key, m->key_size, key))
		return IC_E_INVALIDARG;
	printable(key);
	if (!s) {
		kvp->readonly++;
		log_printf("hvprobe: kvp: DELETE of %s in the %s pool refused (not supported): that pool holds hvprobe's own items\n",
			   key, pool_names[pool]);
		return IC_E_NOT_SUPPORTED;
	}
	kvp->deletes += pool == KVP_POOL_EXTERNAL;
	item = store_find(s, m->key, m->key_size);
	if (!item) {
		log_printf("hvprobe: kvp %s: DELETE of %s: no such item\n",
			   pool == KVP_POOL_EXTERNAL ? "external" : "host", key);
		return IC_ERROR_NO_MORE_ITEMS;
	}
	memmove(item, item + 1, (size_t)(&s->items[--s->n] - item) * sizeof(*item));
	kvp->deleted += pool == KVP_POOL_EXTERNAL;
	log_printf("hvprobe: kvp %s: %s deleted\n", pool == KVP_POOL_EXTERNAL ? "external" : "host", key);
	return IC_S_OK;
}

/* ENUMERATE: item @index of the pool; ERROR_NO_MORE_ITEMS ends the walk. */
static uint32_t kvp_enumerate(struct ic_channel *ic, unsigned pool, struct kvp_msg_enumerate *m)
{
	char key[KVP_ITEM_KEY_MAX], value[KVP_ITEM_VALUE_MAX];
	struct store *s = store_of(pool);
	unsigned next = kvp->enum_next[pool];

	/*
	 * A walk goes 0, 1, 2, ... until our ERROR_NO_MORE_ITEMS (OpenVMM's
	 * enumerate callers, Hyper-V); 0 starts a new one.  Linux's daemon
	 * answers any index (kvp_pool_enumerate), so another order is a warning.
	 */
	if (m->index && m->index != next) {
		kvp->enum_finding = true;
		if (next)
			ic_warning(ic, "enumerate", "the host asked for item %u of the %s pool after item %u (a walk goes 0, 1, 2, ...)",
				   m->index, pool_names[pool], next - 1);
		else
			ic_warning(ic, "enumerate", "the host began a walk of the %s pool at item %u (walks start at 0)",
				   pool_names[pool], m->index);
	}
	kvp->enum_next[pool] = m->index + 1;
	if (m->index >= pool_count(pool)) {
		kvp->walks[pool]++;
		kvp->walked[pool] = m->index;
		kvp->enum_next[pool] = 0;
		log_debug("hvprobe: kvp: the host read the %s pool: %u items\n", pool_names[pool], m->index);
		return IC_ERROR_NO_MORE_ITEMS;
	}
	if (s) {
		m->data = s->items[m->index];
	} else {
		kvp_item_at(pool, m->index, key, value);
		put_item(&m->data, key, value);
	}
	return IC_S_OK;
}

/*
 * GET_IP_INFO / SET_IP_INFO: hvprobe has no network adapter.  Linux's
 * tools/hv/hv_kvp_daemon.c answers a GET for an unknown MAC with HV_E_FAIL
 * (kvp_mac_to_ip) and a SET for an unknown adapter GUID with
 * HV_GUID_NOTFOUND (kvp_get_if_name); we answer the same.
 */
static uint32_t kvp_ip_info(uint8_t op, const uint8_t *data, uint32_t len)
{
	char id[KEY_TEXT] = "(none)";
	const uint8_t *adapter = data + KVP_IP_BODY;
	size_t size = len >= KVP_IP_BODY + 2 * KVP_ADAPTER_ID_UNITS ?
			      utf16le_field_size(adapter, 2 * KVP_ADAPTER_ID_UNITS) : 0;
	const char *why;
	uint32_t status = op == KVP_OP_GET_IP_INFO ? IC_E_FAIL : KVP_E_GUID_NOT_FOUND;

	/* the adapter id's layout differs by version (KVP 5.0 is binary): for the log only */
	if (size && utf16le_to_utf8(adapter, size, id, sizeof(id), &why) < 0)
		str_copy(id, "(not UTF-16)", sizeof(id));
	if (op == KVP_OP_GET_IP_INFO)
		kvp->ip_gets++;
	else
		kvp->ip_sets++;
	log_printf("hvprobe: kvp: %s for adapter %s answered 0x%08x: hvprobe has no network adapter\n",
		   op == KVP_OP_GET_IP_INFO ? "GET_IP_INFO" : "SET_IP_INFO", printable(id), status);
	return status;
}

/* One KVP request: the header, then the operation's fixed layout. */
static uint32_t kvp_request(struct ic_channel *ic, uint8_t *data, uint32_t len)
{
	/* the record-carrying operations: GET, SET, ENUMERATE need the whole record */
	static const uint32_t min_len[] = { sizeof(struct kvp_msg_get_set), KVP_BODY + RECORD_VALUE,
					    KVP_BODY + 4, sizeof(struct kvp_msg_enumerate) };
	uint8_t op, pool;

	if (!kvp_attach(ic))
		return IC_E_FAIL;
	if (len < 2) {
		ic_finding(ic, "message", "a KVP message of %u bytes (operation and pool are 2)", len);
		return IC_E_INVALIDARG;
	}
	op = data[0];
	pool = data[1];
	/* Source: Linux uapi hyperv.h (KVP_OP_COUNT, 6, only counts the operations), OpenVMM kvp.rs */
	if (op > KVP_OP_LAST) {
		ic_finding(ic, "operation", "KVP operation %u (0-5 are defined; Linux's KVP_OP_COUNT, 6, is the number of operations, not one)",
			   op);
		return IC_E_NOT_SUPPORTED;
	}
	if (op == KVP_OP_GET_IP_INFO || op == KVP_OP_SET_IP_INFO)
		return kvp_ip_info(op, data, len);
	if (pool >= KVP_POOLS) {
		ic_finding(ic, "pool", "KVP operation %u on pool %u (pools are 0-4)", op, pool);
		return IC_E_INVALIDARG;
	}
	if (len < min_len[op]) {
		ic_finding(ic, "message", "KVP operation %u in %u bytes (its layout needs %u)", op, len,
			   min_len[op]);
		return IC_E_INVALIDARG;
	}
	switch (op) {
	case KVP_OP_GET:
		return kvp_get(ic, pool, &((struct kvp_msg_get_set *)(void *)data)->data);
	case KVP_OP_SET:
		return kvp_set(ic, pool, &((struct kvp_msg_get_set *)(void *)data)->data, len - KVP_BODY);
	case KVP_OP_DELETE:
		return kvp_delete(ic, pool, (struct kvp_msg_delete *)(void *)data, len);
	default:
		return kvp_enumerate(ic, pool, (struct kvp_msg_enumerate *)(void *)data);
	}
}

/* ic.kvp.host: who pushed what into the Auto External pool. */
static void report_host(void)
{
	char reason[REPORT_REASON_MAX], key[KEY_TEXT], value[VALUE_TEXT];
	const char *why;
	struct fmt_buf fb = FMT_BUF(reason);

	if (!kvp->host.n) {
		check("ic.kvp.host", CHECK_SKIP,
		      "the host pushed no identity items (HostName, VirtualMachineName...) into the Auto External pool");
		return;
	}
	for (unsigned i = 0; i < kvp->host.n; i++) {
		const struct kvp_value *v = &kvp->host.items[i];

		if (text_of(v->key, v->key_size, key, sizeof(key), &why) < 0 ||
		    !value_text(v, value, &why))
			continue;
		fmt_add(&fb, "%s%s=%s", fb.len ? ", " : "", printable(key), printable(value));
	}
	check("ic.kvp.host", CHECK_PASS, "%u item%s: %s", kvp->host.n, kvp->host.n == 1 ? "" : "s", reason);
}

/* How the host read pool @pool, for ic.kvp.enumerate. */
static const char *walk_text(unsigned pool, char *buf, size_t n)
{
	if (kvp->walks[pool])
		fmt_snprintf(buf, n, "the %s pool %u time%s (%u items)", pool_names[pool], kvp->walks[pool],
			     kvp->walks[pool] == 1 ? "" : "s", kvp->walked[pool]);
	else
		fmt_snprintf(buf, n, "never the whole %s pool", pool_names[pool]);
	return buf;
}

/* The service's checks at the end of the run. */
static void kvp_report(struct ic_channel *ic)
{
	char a[64], g[64];

	if (!kvp_attach(ic))
		return;
	report_host();
	if (!kvp->enum_finding) {
		if (kvp->walks[KVP_POOL_AUTO] || kvp->walks[KVP_POOL_GUEST])
			check("ic.kvp.enumerate", CHECK_PASS, "the host read %s and %s; %u GET%s of them",
			      walk_text(KVP_POOL_AUTO, a, sizeof(a)), walk_text(KVP_POOL_GUEST, g, sizeof(g)),
			      kvp->gets[KVP_POOL_AUTO] + kvp->gets[KVP_POOL_GUEST],
			      kvp->gets[KVP_POOL_AUTO] + kvp->gets[KVP_POOL_GUEST] == 1 ? "" : "s");
		else
			check("ic.kvp.enumerate", CHECK_SKIP,
			      "the host enumerated neither the Auto nor the Guest pool to its end");
	}
	if (kvp->sets || kvp->gets[KVP_POOL_EXTERNAL] || kvp->deletes || kvp->readonly)
		check("ic.kvp.external", CHECK_PASS,
		      "%u SET (%u new, %u replaced, %u refused: store full), %u GET (%u found), %u DELETE (%u removed); %u of %u items held; %u refused writes to hvprobe's own pools",
		      kvp->sets, kvp->stored, kvp->updated, kvp->full, kvp->gets[KVP_POOL_EXTERNAL],
		      kvp->found[KVP_POOL_EXTERNAL], kvp->deletes, kvp->deleted, kvp->external.n, EXTERNAL_ITEMS,
		      kvp->readonly);
	else
		check("ic.kvp.external", CHECK_SKIP, "the host set no External pool item");
	if (kvp->ip_gets || kvp->ip_sets)
		check("ic.kvp.ip_info", CHECK_PASS,
		      "%u GET_IP_INFO answered 0x%08x (E_FAIL), %u SET_IP_INFO answered 0x%08x (no such adapter), as Linux's daemon does: hvprobe has no network stack",
		      kvp->ip_gets, IC_E_FAIL, kvp->ip_sets, KVP_E_GUID_NOT_FOUND);
}

const struct ic_service ic_kvp = {
	.name = "kvp",
	.msgtype = IC_MSG_KVP,
	.versions = versions,
	.nversions = ARRAY_SIZE(versions),
	.request = kvp_request,
	.report = kvp_report,
};
