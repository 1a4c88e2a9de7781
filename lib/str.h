/*
 * Memory and string helpers.  The kernel build is freestanding and gets
 * them from lib/str.c; hosted builds (hvsim, unit tests, fuzzers) use the
 * C library's, which have the same contracts.
 */
#ifndef HVPROBE_STR_H
#define HVPROBE_STR_H

#include <stddef.h>

#if __STDC_HOSTED__
#include <string.h>
#else
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
#endif

/* Copy @src into @dst of size @n, always NUL-terminated; return strlen(src). */
size_t str_copy(char *dst, const char *src, size_t n);

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#endif
