/* GUID text form <-> Microsoft wire layout (see guid.h). */
#include "lib/guid.h"

#include "lib/str.h"

/* byte index of each hex pair in text order: Data1..3 are little endian */
static const uint8_t text_order[16] = { 3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15 };

char *guid_format(const struct guid *g, char *buf)
{
	static const char hex[] = "0123456789abcdef";
	char *p = buf;

	for (int i = 0; i < 16; i++) {
		uint8_t v = g->b[text_order[i]];

		if (i == 4 || i == 6 || i == 8 || i == 10)
			*p++ = '-';
		*p++ = hex[v >> 4];
		*p++ = hex[v & 15];
	}
	*p = '\0';
	return buf;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int guid_parse(const char *s, struct guid *g)
{
	int i = 0;

	for (int pos = 0; pos < 36; pos++) {
		int hi, lo;

		if (pos == 8 || pos == 13 || pos == 18 || pos == 23) {
			if (s[pos] != '-')
				return -1;
			continue;
		}
		/* stop at the first bad character: never read past a short string's end */
		hi = hexval(s[pos]);
		if (hi < 0)
			return -1;
		lo = hexval(s[pos + 1]);
		if (lo < 0)
			return -1;
		g->b[text_order[i++]] = (uint8_t)(hi << 4 | lo);
		pos++;
	}
	return s[36] == '\0' ? 0 : -1;
}

bool guid_equal(const struct guid *a, const struct guid *b)
{
	return memcmp(a, b, sizeof(*a)) == 0;
}

bool guid_is_zero(const struct guid *g)
{
	for (int i = 0; i < 16; i++)
		if (g->b[i])
			return false;
	return true;
}
