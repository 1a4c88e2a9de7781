/*
 * A small printf-style formatter.  Supports %d %i %u %x %X %o %c %s %p %%,
 * the flags '-' and '0', a field width (or '*'), a precision for %s, and
 * the length modifiers hh h l ll z.  No floating point: the kernel is built
 * without SSE.
 */
#ifndef HVPROBE_FMT_H
#define HVPROBE_FMT_H

#include <stdarg.h>
#include <stddef.h>

#define FMT_PRINTF(a, b) __attribute__((format(printf, a, b)))

/* Format into @buf (size @n, always terminated); return the untruncated length. */
int fmt_vsnprintf(char *buf, size_t n, const char *fmt, va_list ap);
int fmt_snprintf(char *buf, size_t n, const char *fmt, ...) FMT_PRINTF(3, 4);

/*
 * A bounded string builder: text appended piece by piece into a caller's
 * buffer, always terminated, silently cut at the end (len never passes
 * size - 1), so no caller clamps an offset by hand.
 *   char b[64]; struct fmt_buf fb = FMT_BUF(b);
 *   fmt_add(&fb, "%s%u", fb.len ? ", " : "", n);
 */
struct fmt_buf {
	char *buf;
	size_t size, len;
};
#define FMT_BUF(array) { (array), sizeof(array), ((array)[0] = '\0', 0) }
void fmt_add(struct fmt_buf *b, const char *fmt, ...) FMT_PRINTF(2, 3);
void fmt_vadd(struct fmt_buf *b, const char *fmt, va_list ap);

/*
 * Append @s to @buf (size @n, offset *@pos) as the body of a JSON string:
 * quotes, backslashes and control characters escaped.
 */
void fmt_json_escape(char *buf, size_t n, size_t *pos, const char *s);

#endif
