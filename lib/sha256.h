/*
 * SHA-256 (FIPS 180-4), for the digest of files the host copies to us
 * (drivers/ic/fcopy.c).  Integer only: the kernel has no floating point.
 */
#ifndef HVPROBE_SHA256_H
#define HVPROBE_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define SHA256_DIGEST 32
#define SHA256_HEX (2 * SHA256_DIGEST + 1)  /* 64 hex digits and the NUL */

struct sha256 {
	uint32_t h[8];
	uint64_t bytes;        /* message length so far */
	uint8_t block[64];
	size_t used;           /* bytes in @block */
};

/* Start a digest. */
void sha256_init(struct sha256 *s);
/* Add @n bytes at @p. */
void sha256_update(struct sha256 *s, const void *p, size_t n);
/* Finish: the digest into @out (@s must be re-initialised to be used again). */
void sha256_final(struct sha256 *s, uint8_t out[SHA256_DIGEST]);
/* The digest of @n bytes at @p as lower-case hex into @hex; returns @hex. */
char *sha256_hex(const void *p, size_t n, char hex[SHA256_HEX]);

#endif
