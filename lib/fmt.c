/* printf-style formatting without libc (see fmt.h for what is supported). */
#include "lib/fmt.h"

#include <stdbool.h>
#include <stdint.h>

#include "lib/str.h"

struct out {
	char *buf;
	size_t n;
	size_t pos;
};

static void put(struct out *o, char c)
{
	if (o->pos + 1 < o->n)
		o->buf[o->pos] = c;
	o->pos++;
}

static void pad(struct out *o, char c, int count)
{
	while (count-- > 0)
		put(o, c);
}

/* Emit @digits (already converted, most significant first) with padding. */
static void emit(struct out *o, const char *pfx, const char *digits, int len,
		 int width, bool left, bool zero)
{
	int plen = (int)strlen(pfx);
	int fill = width - len - plen;

	if (!left && !zero)
		pad(o, ' ', fill);
	while (*pfx)
		put(o, *pfx++);
	if (!left && zero)
		pad(o, '0', fill);
	for (int i = 0; i < len; i++)
		put(o, digits[i]);
	if (left)
		pad(o, ' ', fill);
}

static int utoa(uint64_t v, unsigned base, bool upper, char *tmp)
{
	const char *dig = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char rev[24];
	int n = 0;

	do {
		rev[n++] = dig[v % base];
		v /= base;
	} while (v);
	for (int i = 0; i < n; i++)
		tmp[i] = rev[n - 1 - i];
	return n;
}

int fmt_vsnprintf(char *buf, size_t n, const char *fmt, va_list ap)
{
	struct out o = { buf, n, 0 };

	for (; *fmt; fmt++) {
		bool left = false, zero = false;
		int width = 0, prec = -1, lng = 0;
		char tmp[24];

		if (*fmt != '%') {
			put(&o, *fmt);
			continue;
		}
		fmt++;
		for (;; fmt++) {
			if (*fmt == '-')
				left = true;
			else if (*fmt == '0')
				zero = true;
			else
				break;
		}
		if (*fmt == '*') {
			width = va_arg(ap, int);
			if (width < 0) {
				left = true;
				width = -width;
			}
			fmt++;
		}
		while (*fmt >= '0' && *fmt <= '9')
			width = width * 10 + (*fmt++ - '0');
		if (*fmt == '.') {
			prec = 0;
			fmt++;
			if (*fmt == '*') {
				prec = va_arg(ap, int);
				fmt++;
			}
			while (*fmt >= '0' && *fmt <= '9')
				prec = prec * 10 + (*fmt++ - '0');
		}
		for (;; fmt++) {
			if (*fmt == 'l')
				lng = lng < 2 ? lng + 1 : 2;
			else if (*fmt == 'z')
				lng = 2;
			else if (*fmt == 'h')
				lng = lng > -2 ? lng - 1 : -2;
			else
				break;
		}
		switch (*fmt) {
		case 'd':
		case 'i': {
			int64_t v = lng >= 2 ? va_arg(ap, long long)
				  : lng == 1 ? va_arg(ap, long)
					     : va_arg(ap, int);
			uint64_t u = v < 0 ? -(uint64_t)v : (uint64_t)v;

			if (lng == -1)
				v = (short)v, u = v < 0 ? -(uint64_t)v : (uint64_t)v;
			else if (lng == -2)
				v = (signed char)v, u = v < 0 ? -(uint64_t)v : (uint64_t)v;
			emit(&o, v < 0 ? "-" : "", tmp, utoa(u, 10, false, tmp), width, left, zero);
			break;
		}
		case 'u':
		case 'x':
		case 'X':
		case 'o': {
			uint64_t u = lng >= 2 ? va_arg(ap, unsigned long long)
				   : lng == 1 ? va_arg(ap, unsigned long)
					      : va_arg(ap, unsigned int);
			unsigned base = *fmt == 'u' ? 10 : *fmt == 'o' ? 8 : 16;

			if (lng == -1)
				u = (unsigned short)u;
			else if (lng == -2)
				u = (unsigned char)u;
			emit(&o, "", tmp, utoa(u, base, *fmt == 'X', tmp), width, left, zero);
			break;
		}
		case 'p': {
			uintptr_t u = (uintptr_t)va_arg(ap, void *);

			emit(&o, "0x", tmp, utoa(u, 16, false, tmp), width, left, zero);
			break;
		}
		case 'c':
			tmp[0] = (char)va_arg(ap, int);
			emit(&o, "", tmp, 1, width, left, false);
			break;
		case 's': {
			const char *s = va_arg(ap, const char *);
			int len = 0;

			if (!s)
				s = "(null)";
			while ((prec < 0 || len < prec) && s[len]) /* never read past the precision */
				len++;
			emit(&o, "", s, len, width, left, false);
			break;
		}
		case '%':
			put(&o, '%');
			break;
		case '\0':
			fmt--; /* a lone '%' at the end: stop cleanly */
			break;
		default: /* unknown conversion: print it verbatim */
			put(&o, '%');
			put(&o, *fmt);
			break;
		}
	}
	if (n)
		buf[o.pos < n ? o.pos : n - 1] = '\0';
	return (int)o.pos;
}

int fmt_snprintf(char *buf, size_t n, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = fmt_vsnprintf(buf, n, fmt, ap);
	va_end(ap);
	return r;
}

void fmt_json_escape(char *buf, size_t n, size_t *pos, const char *s)
{
	struct out o = { buf, n, *pos };

	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\') {
			put(&o, '\\');
			put(&o, (char)c);
		} else if (c < 0x20 || c == 0x7f) {
			char hex[8];

			fmt_snprintf(hex, sizeof(hex), "\\u%04x", c);
			for (char *h = hex; *h; h++)
				put(&o, *h);
		} else {
			put(&o, (char)c);
		}
	}
	if (n)
		buf[o.pos < n ? o.pos : n - 1] = '\0';
	*pos = o.pos;
}

void fmt_vadd(struct fmt_buf *b, const char *fmt, va_list ap)
{
	if (!b->size || b->len >= b->size - 1)
		return;
	b->len += (size_t)fmt_vsnprintf(b->buf + b->len, b->size - b->len, fmt, ap);
	if (b->len > b->size - 1)
		b->len = b->size - 1; /* cut: the formatter returned the untruncated length */
}

void fmt_add(struct fmt_buf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fmt_vadd(b, fmt, ap);
	va_end(ap);
}
