/* UTF-16LE <-> UTF-8 (see utf16.h): strict both ways, a reason for every refusal. */
#include "lib/utf16.h"

#include <stdint.h>

#define SURROGATE_HIGH 0xd800u
#define SURROGATE_LOW 0xdc00u
#define SURROGATE_END 0xe000u
#define MAX_CODE_POINT 0x10ffffu

/* Code unit @i of the little-endian string at @p. */
static uint16_t unit(const uint8_t *p, size_t i)
{
	return (uint16_t)(p[2 * i] | p[2 * i + 1] << 8);
}

/* Append code point @c as UTF-8 at @dst[*@pos] (@cap bytes, one kept for the NUL). */
static int put_utf8(char *dst, size_t cap, size_t *pos, uint32_t c)
{
	uint8_t b[4];
	size_t n;

	if (c < 0x80) {
		b[0] = (uint8_t)c;
		n = 1;
	} else if (c < 0x800) {
		b[0] = (uint8_t)(0xc0 | c >> 6);
		b[1] = (uint8_t)(0x80 | (c & 0x3f));
		n = 2;
	} else if (c < 0x10000) {
		b[0] = (uint8_t)(0xe0 | c >> 12);
		b[1] = (uint8_t)(0x80 | (c >> 6 & 0x3f));
		b[2] = (uint8_t)(0x80 | (c & 0x3f));
		n = 3;
	} else {
		b[0] = (uint8_t)(0xf0 | c >> 18);
		b[1] = (uint8_t)(0x80 | (c >> 12 & 0x3f));
		b[2] = (uint8_t)(0x80 | (c >> 6 & 0x3f));
		b[3] = (uint8_t)(0x80 | (c & 0x3f));
		n = 4;
	}
	if (*pos + n >= cap)
		return -1;
	for (size_t i = 0; i < n; i++)
		dst[(*pos)++] = (char)b[i];
	return 0;
}

/* @count code units of UTF-16LE at @p (no terminator among them) -> UTF-8 at @dst. */
static int decode_units(const uint8_t *p, size_t count, char *dst, size_t cap, const char **why)
{
	size_t pos = 0;

	for (size_t i = 0; i < count; i++) {
		uint32_t c = unit(p, i);

		if (c == 0) {
			*why = "a NUL before its terminator";
			return -1;
		}
		if (c >= SURROGATE_LOW && c < SURROGATE_END) {
			*why = "a lone low surrogate";
			return -1;
		}
		if (c >= SURROGATE_HIGH && c < SURROGATE_LOW) {
			uint32_t lo = i + 1 < count ? unit(p, i + 1) : 0;

			if (lo < SURROGATE_LOW || lo >= SURROGATE_END) {
				*why = "a lone high surrogate";
				return -1;
			}
			c = 0x10000 + ((c - SURROGATE_HIGH) << 10) + (lo - SURROGATE_LOW);
			i++;
		}
		if (put_utf8(dst, cap, &pos, c)) {
			*why = "too long for its buffer";
			if (cap)
				dst[0] = '\0';
			return -1;
		}
	}
	if (!cap) {
		*why = "too long for its buffer";
		return -1;
	}
	dst[pos] = '\0';
	return (int)pos;
}

/* UTF-16LE (terminator last, sizes in bytes) -> UTF-8; see utf16.h. */
int utf16le_to_utf8(const void *src, size_t n, char *dst, size_t cap, const char **why)
{
	const uint8_t *p = src;
	size_t units = n / 2;

	if (cap)
		dst[0] = '\0';
	if (n % 2) {
		*why = "an odd number of bytes";
		return -1;
	}
	if (!units || unit(p, units - 1) != 0) {
		*why = "no NUL terminator at the end of its size";
		return -1;
	}
	return decode_units(p, units - 1, dst, cap, why);
}

/* UTF-16LE up to its first NUL or @n bytes -> UTF-8; see utf16.h. */
int utf16le_text_to_utf8(const void *src, size_t n, char *dst, size_t cap, size_t *units,
			 const char **why)
{
	const uint8_t *p = src;
	size_t count = 0;

	if (cap)
		dst[0] = '\0';
	while (count < n / 2 && unit(p, count) != 0)
		count++;
	*units = count;
	return decode_units(p, count, dst, cap, why);
}

/* Decode one UTF-8 sequence at @s into *@c; its length, or 0 when malformed. */
static size_t get_utf8(const uint8_t *s, uint32_t *c)
{
	static const uint32_t min[5] = { 0, 0, 0x80, 0x800, 0x10000 };
	size_t n;

	if (s[0] < 0x80) {
		*c = s[0];
		return 1;
	}
	if ((s[0] & 0xe0) == 0xc0)
		n = 2, *c = s[0] & 0x1fu;
	else if ((s[0] & 0xf0) == 0xe0)
		n = 3, *c = s[0] & 0x0fu;
	else if ((s[0] & 0xf8) == 0xf0)
		n = 4, *c = s[0] & 0x07u;
	else
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80) /* also stops at the NUL */
			return 0;
		*c = *c << 6 | (s[i] & 0x3fu);
	}
	if (*c < min[n] || *c > MAX_CODE_POINT || (*c >= SURROGATE_HIGH && *c < SURROGATE_END))
		return 0;
	return n;
}

/* UTF-8 -> UTF-16LE with its terminator; see utf16.h. */
int utf8_to_utf16le(const char *src, void *dst, size_t cap, const char **why)
{
	const uint8_t *s = (const uint8_t *)src;
	uint8_t *d = dst;
	size_t pos = 0;

	for (;;) {
		uint32_t c, u[2];
		size_t len = *s ? get_utf8(s, &c) : 1, nu;

		if (!len) {
			*why = "malformed UTF-8";
			return -1;
		}
		if (!*s)
			c = 0;
		if (c >= 0x10000) {
			u[0] = SURROGATE_HIGH + ((c - 0x10000) >> 10);
			u[1] = SURROGATE_LOW + ((c - 0x10000) & 0x3ff);
			nu = 2;
		} else {
			u[0] = c;
			nu = 1;
		}
		if (pos + 2 * nu > cap) {
			*why = "too long for its field";
			return -1;
		}
		for (size_t i = 0; i < nu; i++) {
			d[pos++] = (uint8_t)u[i];
			d[pos++] = (uint8_t)(u[i] >> 8);
		}
		if (!c)
			return (int)pos;
		s += len;
	}
}

/* The string's size within a fixed field, terminator included; 0 without one. */
size_t utf16le_field_size(const void *src, size_t cap)
{
	const uint8_t *p = src;

	for (size_t i = 0; i < cap / 2; i++)
		if (unit(p, i) == 0)
			return 2 * (i + 1);
	return 0;
}
