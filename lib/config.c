/* The hvprobe.cfg parser (format in config.h). */
#include "lib/config.h"

#include <stdbool.h>

#include "lib/fmt.h"
#include "lib/str.h"

#define CONFIG_LINE_MAX 256

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

int config_parse_u64(const char *s, size_t len, uint64_t *out)
{
	uint64_t v = 0;
	unsigned base = 10;
	size_t i = 0;

	if (len >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		i = 2;
	}
	if (i == len)
		return -1;
	for (; i < len; i++) {
		char c = s[i];
		unsigned d;

		if (c >= '0' && c <= '9')
			d = (unsigned)(c - '0');
		else if (base == 16 && c >= 'a' && c <= 'f')
			d = (unsigned)(c - 'a' + 10);
		else if (base == 16 && c >= 'A' && c <= 'F')
			d = (unsigned)(c - 'A' + 10);
		else
			return -1;
		if (v > (UINT64_MAX - d) / base)
			return -1; /* overflow */
		v = v * base + d;
	}
	*out = v;
	return 0;
}

static bool span_eq(const char *s, size_t len, const char *lit)
{
	return strlen(lit) == len && memcmp(s, lit, len) == 0;
}

/* Apply one key=value pair; return NULL or a description of what is wrong. */
static const char *apply(const struct config_key *k, const char *v, size_t vlen,
			 char *why, size_t whylen)
{
	uint64_t num;

	switch (k->type) {
	case CONFIG_U64:
		if (config_parse_u64(v, vlen, &num))
			return "is not a number";
		if (num < k->min || num > k->max) {
			fmt_snprintf(why, whylen, "is out of range %llu..%llu",
				     (unsigned long long)k->min, (unsigned long long)k->max);
			return why;
		}
		*(uint64_t *)k->dst = num;
		return NULL;
	case CONFIG_ENUM:
		for (unsigned i = 0; k->choices[i]; i++) {
			if (span_eq(v, vlen, k->choices[i])) {
				*(unsigned *)k->dst = i;
				return NULL;
			}
		}
		{
			struct fmt_buf fb = { why, whylen, 0 };

			fmt_add(&fb, "is not one of ");
			for (unsigned i = 0; k->choices[i]; i++)
				fmt_add(&fb, "%s%s", i ? "|" : "", k->choices[i]);
		}
		return why;
	case CONFIG_STR:
		if (vlen + 1 > k->max)
			return "is too long";
		memcpy(k->dst, v, vlen);
		((char *)k->dst)[vlen] = '\0';
		return NULL;
	}
	return "has an unknown type";
}

int config_parse(const char *text, size_t len, const struct config_key *keys,
		 size_t nkeys, config_warn_fn warn)
{
	size_t pos = 0;
	unsigned lineno = 0;
	int bad = 0;
	char msg[CONFIG_LINE_MAX + 128], why[96];

	while (pos < len) {
		size_t start = pos, end, eq, ks, ke, vs, ve;
		const char *problem = NULL;
		const struct config_key *key = NULL;

		while (pos < len && text[pos] != '\n')
			pos++;
		end = pos;
		if (pos < len)
			pos++; /* skip '\n' */
		lineno++;

		/* strip a comment, then white space on both sides */
		for (size_t i = start; i < end; i++) {
			if (text[i] == '#') {
				end = i;
				break;
			}
		}
		while (start < end && is_space(text[start]))
			start++;
		while (end > start && is_space(text[end - 1]))
			end--;
		if (start == end)
			continue;

		for (eq = start; eq < end && text[eq] != '='; eq++)
			;
		ks = start;
		ke = eq;
		while (ke > ks && is_space(text[ke - 1]))
			ke--;
		vs = eq + 1;
		while (vs < end && is_space(text[vs]))
			vs++;
		ve = end;

		if (end - start > CONFIG_LINE_MAX) {
			problem = "line is too long";
		} else if (eq == end) {
			problem = "expected key=value";
		} else if (ke == ks) {
			problem = "missing key before '='";
		} else {
			for (size_t i = 0; i < nkeys; i++)
				if (span_eq(text + ks, ke - ks, keys[i].name))
					key = &keys[i];
			if (!key)
				problem = "unknown key";
			else if (vs == ve)
				problem = "missing value";
			else
				problem = apply(key, text + vs, ve - vs, why, sizeof(why));
		}
		if (!problem)
			continue;
		bad++;
		if (!warn)
			continue;
		if (key && vs == ve)
			fmt_snprintf(msg, sizeof(msg), "hvprobe.cfg:%u: %s: missing value; using the default",
				     lineno, key->name);
		else if (key)
			fmt_snprintf(msg, sizeof(msg),
				     "hvprobe.cfg:%u: %s: '%.*s' %s; using the default",
				     lineno, key->name, (int)(ve - vs), text + vs, problem);
		else
			fmt_snprintf(msg, sizeof(msg), "hvprobe.cfg:%u: %s: '%.*s'; line ignored",
				     lineno, problem, (int)(end - start > 80 ? 80 : end - start),
				     text + start);
		warn(msg);
	}
	return bad;
}
