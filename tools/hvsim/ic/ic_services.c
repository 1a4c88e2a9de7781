/*
 * What hvsim's KVP, VSS and fcopy hosts share (ic_services.h): the
 * scenario-key entry point and UTF-16 text, written from the
 * specification (UTF-16LE, NUL-terminated, sizes in bytes with the NUL).
 */
#include "tools/hvsim/ic/ic_services.h"

#include <stdio.h>
#include <stdlib.h>

/* Offer a scenario key to each host in turn. */
bool sim_ic_services_key(const char *key, char *val)
{
	return sim_kvp_key(key, val) || sim_vss_key(key, val) || sim_fcopy_key(key, val);
}

/* A bad scenario value ends the run before it starts. */
void sim_ic_services_error(const char *key, const char *msg, const char *val)
{
	fprintf(stderr, "hvprobe-sim: %s: %s%s%s\n", key, msg, val ? ": " : "", val ? val : "");
	exit(2);
}

/* One code point from UTF-8 at *@s (scenario text: trusted, but never read past its NUL). */
static uint32_t next_code_point(const uint8_t **s)
{
	const uint8_t *p = *s;
	uint32_t c = *p++;
	int more = c >= 0xf0 ? 3 : c >= 0xe0 ? 2 : c >= 0xc0 ? 1 : 0;

	if (more)
		c &= 0x3fu >> more;
	while (more-- && (*p & 0xc0) == 0x80)
		c = c << 6 | (*p++ & 0x3fu);
	*s = p;
	return c;
}

/* UTF-8 -> UTF-16LE with surrogate pairs and the terminator. */
int sim_utf16_encode(const char *s, uint8_t *dst, size_t cap)
{
	const uint8_t *p = (const uint8_t *)s;
	size_t pos = 0;

	for (;;) {
		uint32_t c = *p ? next_code_point(&p) : 0, u[2];
		unsigned n = 1;

		u[0] = c;
		if (c >= 0x10000) {
			u[0] = 0xd800 + ((c - 0x10000) >> 10);
			u[1] = 0xdc00 + ((c - 0x10000) & 0x3ff);
			n = 2;
		}
		if (pos + 2 * n > cap)
			return -1;
		for (unsigned i = 0; i < n; i++) {
			dst[pos++] = (uint8_t)u[i];
			dst[pos++] = (uint8_t)(u[i] >> 8);
		}
		if (!c)
			return (int)pos;
	}
}

/* Strict UTF-16LE -> printable UTF-8 for the host's log. */
const char *sim_utf16_decode(const uint8_t *src, uint32_t size, char *out, size_t n, const char **why)
{
	size_t pos = 0;

	if (size % 2 || size < 2) {
		*why = "an odd or zero size";
		return NULL;
	}
	if (src[size - 2] || src[size - 1]) {
		*why = "no NUL terminator at the end of its size";
		return NULL;
	}
	for (uint32_t i = 0; i + 2 < size; i += 2) {
		uint32_t c = (uint32_t)(src[i] | src[i + 1] << 8), lo;

		if (c >= 0xdc00 && c < 0xe000) {
			*why = "a lone low surrogate";
			return NULL;
		}
		if (c >= 0xd800 && c < 0xdc00) {
			lo = i + 4 <= size ? (uint32_t)(src[i + 2] | src[i + 3] << 8) : 0;
			if (lo < 0xdc00 || lo >= 0xe000) {
				*why = "a lone high surrogate";
				return NULL;
			}
			c = 0x10000 + ((c - 0xd800) << 10) + (lo - 0xdc00);
			i += 2;
		}
		/* the host's log: UTF-8, NUL and control characters as '?' */
		if (c < 0x20 || c == 0x7f)
			c = '?';
		if (pos + 5 > n)
			break;
		if (c < 0x80) {
			out[pos++] = (char)c;
		} else if (c < 0x800) {
			out[pos++] = (char)(0xc0 | c >> 6);
			out[pos++] = (char)(0x80 | (c & 0x3f));
		} else if (c < 0x10000) {
			out[pos++] = (char)(0xe0 | c >> 12);
			out[pos++] = (char)(0x80 | (c >> 6 & 0x3f));
			out[pos++] = (char)(0x80 | (c & 0x3f));
		} else {
			out[pos++] = (char)(0xf0 | c >> 18);
			out[pos++] = (char)(0x80 | (c >> 12 & 0x3f));
			out[pos++] = (char)(0x80 | (c >> 6 & 0x3f));
			out[pos++] = (char)(0x80 | (c & 0x3f));
		}
	}
	out[pos] = '\0';
	return out;
}
