/*
 * UTF-16LE <-> UTF-8, strictly.  Hyper-V's integration services carry
 * text as UTF-16LE with a NUL terminator and a size in bytes that counts
 * the terminator (KVP keys and values, fcopy file names:
 * docs/PROTOCOL.md §5.7, §5.9).  The callers pass the protocol's field
 * sizes as @n / @cap (KVP key 512 bytes, value 2048, fcopy name 520).
 *
 * Malformed input is refused, never repaired: an odd byte count, a
 * missing terminator, a NUL before the terminator, a lone surrogate, or
 * (UTF-8) an invalid, overlong or surrogate encoding.  On failure the
 * functions return -1 and set *@why to a short reason for the log.
 */
#ifndef HVPROBE_UTF16_H
#define HVPROBE_UTF16_H

#include <stddef.h>

/*
 * Decode @n bytes of UTF-16LE at @src (the last code unit must be the
 * NUL terminator, the only NUL) into NUL-terminated UTF-8 at @dst
 * (@cap bytes).  Returns the UTF-8 length without the NUL.
 */
int utf16le_to_utf8(const void *src, size_t n, char *dst, size_t cap, const char **why);

/*
 * The lenient form, as Linux's utf16s_to_utf8s() reads host text: decode
 * the code units at @src up to the first NUL or the end of its @n bytes,
 * terminated or not; *@units says how many were decoded.  Lone surrogates
 * are still refused.
 */
int utf16le_text_to_utf8(const void *src, size_t n, char *dst, size_t cap, size_t *units,
			 const char **why);

/*
 * Encode the NUL-terminated UTF-8 string @src as UTF-16LE with its
 * terminator at @dst (@cap bytes).  Returns the bytes written, the
 * terminator included (the protocol's "size").
 */
int utf8_to_utf16le(const char *src, void *dst, size_t cap, const char **why);

/*
 * The size in bytes, terminator included, of the UTF-16LE string at @src
 * within a field of @cap bytes (fcopy names have no size field); 0 when
 * the field holds no terminator.
 */
size_t utf16le_field_size(const void *src, size_t cap);

#endif
