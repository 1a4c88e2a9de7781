/*
 * The KVP items hvprobe itself serves (drivers/ic/kvp_items.c): the Auto
 * pool (the intrinsic items Hyper-V shows for a guest, with hvprobe's
 * honest values) and the Guest pool (hvprobe's report, so a host can read
 * the result without a serial port).  Keys and values are UTF-8 here; the
 * protocol code (kvp.c) converts them to UTF-16LE.
 */
#ifndef HVPROBE_KVP_ITEMS_H
#define HVPROBE_KVP_ITEMS_H

#include <stdbool.h>
#include <stddef.h>

#define KVP_ITEM_KEY_MAX 64        /* our keys are short ASCII names */
#define KVP_ITEM_VALUE_MAX 320     /* a check's TAP line fits */

/* How many items pool @pool (KVP_POOL_AUTO or KVP_POOL_GUEST) holds now. */
unsigned kvp_items_count(unsigned pool);

/* Item @index of @pool into @key and @value; false past the end. */
bool kvp_item_at(unsigned pool, unsigned index, char key[KVP_ITEM_KEY_MAX],
		 char value[KVP_ITEM_VALUE_MAX]);

/* The value of @key in @pool; false when the pool has no such item. */
bool kvp_item_find(unsigned pool, const char *key, char value[KVP_ITEM_VALUE_MAX]);

#endif
