/*
 * Reading a serial log: the guest's JSON check and metric lines, its notes
 * (the hypervisor vendor, VMBus offers), the summary and the verdict.  Lines
 * may carry firmware escape sequences and carriage returns; a log cut short
 * by a crash simply has no verdict.
 */
#include "tools/hvreport/log.h"

#include <stdlib.h>
#include <string.h>

#define GROW(arr, n) (arr = realloc(arr, (n + 1) * sizeof(*arr)))

/* Remove ESC [ ... letter, ESC ( X and carriage returns in place. */
static void strip_escapes(char *s)
{
	char *w = s;

	for (char *p = s; *p; p++) {
		if (*p == '\r')
			continue;
		if (*p == 0x1b && p[1] == '[') {
			p += 2;
			while (*p && !((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z')))
				p++;
			if (!*p)
				break;
			continue;
		}
		if (*p == 0x1b && (p[1] == '(' || p[1] == ')') && p[2]) {
			p += 2;
			continue;
		}
		*w++ = *p;
	}
	*w = '\0';
}

/* The JSON string value of "key" in a flat one-line object, unescaped; NULL if absent. */
static char *json_str(const char *line, const char *key)
{
	char pat[64], *out, *w;
	const char *p;

	snprintf(pat, sizeof(pat), "\"%s\":\"", key);
	p = strstr(line, pat);
	if (!p)
		return NULL;
	p += strlen(pat);
	out = w = malloc(strlen(p) + 1);
	for (; *p && *p != '"'; p++) {
		if (*p == '\\' && p[1]) {
			p++;
			if (*p == 'u' && strlen(p) >= 5) {
				*w++ = (char)strtol((char[]){ p[3], p[4], 0 }, NULL, 16);
				p += 4;
			} else {
				*w++ = *p == 'n' ? '\n' : *p == 't' ? '\t' : *p;
			}
		} else {
			*w++ = *p;
		}
	}
	*w = '\0';
	return out;
}

static long long json_num(const char *line, const char *key, long long dflt)
{
	char pat[64];
	const char *p;

	snprintf(pat, sizeof(pat), "\"%s\":", key);
	p = strstr(line, pat);
	return p ? strtoll(p + strlen(pat), NULL, 10) : dflt;
}

static char *dup_between(const char *s, const char *start, const char *end)
{
	const char *a = strstr(s, start), *b;

	if (!a)
		return NULL;
	a += strlen(start);
	b = strstr(a, end);
	return b ? strndup(a, (size_t)(b - a)) : strdup(a);
}

static void read_check(struct run *r, const char *line)
{
	struct check c = { json_str(line, "check"), json_str(line, "result"),
			   json_str(line, "reason"), (long)json_num(line, "n", 0),
			   json_num(line, "t_ms", 0) };

	if (!c.id || !c.result) {
		free(c.id), free(c.result), free(c.reason);
		return;
	}
	if (!c.reason)
		c.reason = strdup("");
	GROW(r->checks, r->nchecks);
	r->checks[r->nchecks++] = c;
	if (!strcmp(c.id, "vmbus.connect") && !strcmp(c.result, "pass"))
		r->vmbus = dup_between(c.reason, "version ", " ");
}

static void read_metric(struct run *r, const char *line)
{
	struct metric m = { json_str(line, "metric"), json_num(line, "t_ms", 0),
			    json_str(line, "kind"), 0 };

	if (!m.name)
		return;
	m.value = (double)(strstr(line, "\"offset_us\"") ? json_num(line, "offset_us", 0)
							: json_num(line, "seq", 0));
	GROW(r->metrics, r->nmetrics);
	r->metrics[r->nmetrics++] = m;
}

/* "hvprobe: vmbus: offer relid 3 timesync class ... instance ... connection ..." */
static void read_offer(struct run *r, const char *line)
{
	struct offer o;
	const char *p = strstr(line, "offer relid ");
	char name[64] = "";

	if (!p || sscanf(p, "offer relid %ld %63s", &o.relid, name) != 2)
		return;
	o.name = strdup(name[0] == '(' ? "unknown" : name);
	o.class = dup_between(line, " class ", " ");
	o.instance = dup_between(line, " instance ", " ");
	GROW(r->offers, r->noffers);
	r->offers[r->noffers++] = o;
}

int run_read(FILE *f, struct run *r)
{
	char *line = NULL;
	size_t cap = 0;

	memset(r, 0, sizeof(*r));
	while (getline(&line, &cap, f) > 0) {
		char v[32];

		strip_escapes(line);
		line[strcspn(line, "\n")] = '\0';
		if (!*line)
			continue;
		free(r->last_line);
		r->last_line = strdup(line);
		if (!strncmp(line, "{\"check\":", 9))
			read_check(r, line);
		else if (!strncmp(line, "{\"metric\":", 10))
			read_metric(r, line);
		else if (!strncmp(line, "# hypervisor vendor ", 20)) {
			r->vendor = dup_between(line, "vendor \"", "\"");
			r->interface = dup_between(line, "interface ", "\n");
		} else if (!strncmp(line, "hvprobe: vmbus: offer relid", 27))
			read_offer(r, line);
		else if (sscanf(line, "hvprobe: %ld passed, %ld failed, %ld skipped, %ld warning",
				&r->passed, &r->failed, &r->skipped, &r->warnings) >= 3)
			r->summary = true;
		else if (sscanf(line, "hvprobe: verdict %31s", v) == 1)
			r->verdict = strdup(v);
	}
	free(line);
	return 0;
}

const char *check_layer(const struct check *c, char *buf, size_t n)
{
	size_t k = strcspn(c->id, ".");

	snprintf(buf, n, "%.*s", (int)k, c->id);
	return buf;
}

void run_free(struct run *r)
{
	for (size_t i = 0; i < r->nchecks; i++)
		free(r->checks[i].id), free(r->checks[i].result), free(r->checks[i].reason);
	for (size_t i = 0; i < r->noffers; i++)
		free(r->offers[i].name), free(r->offers[i].class), free(r->offers[i].instance);
	for (size_t i = 0; i < r->nmetrics; i++)
		free(r->metrics[i].name), free(r->metrics[i].kind);
	free(r->checks), free(r->offers), free(r->metrics);
	free(r->verdict), free(r->vendor), free(r->interface), free(r->vmbus), free(r->last_line);
}
