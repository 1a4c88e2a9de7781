/*
 * hvprobe.cfg: "key=value" lines.  '#' starts a comment, blank lines and
 * surrounding white space are ignored, CRLF line ends are accepted.  A bad
 * line is reported with its number and skipped; the key keeps its default.
 */
#ifndef HVPROBE_CONFIG_H
#define HVPROBE_CONFIG_H

#include <stddef.h>
#include <stdint.h>

enum config_type {
	CONFIG_U64,  /* decimal or 0x-prefixed hexadecimal, within [min, max] */
	CONFIG_ENUM, /* one of the names in choices[], stored as its index */
	CONFIG_STR,  /* copied into a buffer of size max */
};

struct config_key {
	const char *name;
	enum config_type type;
	void *dst;                /* uint64_t*, unsigned*, or char[max] */
	uint64_t min, max;        /* U64 range; STR buffer size */
	const char *const *choices; /* ENUM names, NULL-terminated */
	const char *help;
};

/* Called once per bad line with a complete message naming the line. */
typedef void (*config_warn_fn)(const char *msg);

/* Parse @len bytes of @text against @keys; return the number of bad lines. */
int config_parse(const char *text, size_t len, const struct config_key *keys,
		 size_t nkeys, config_warn_fn warn);

/* Parse an unsigned number (decimal or 0x hex); return 0 on success. */
int config_parse_u64(const char *s, size_t len, uint64_t *out);

#endif
