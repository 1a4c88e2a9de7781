/*
 * hvsim's guest file copy host (Linux tools/hv/hv_fcopy_uio_daemon.c), Copy-VMFile as
 * Hyper-V runs it ("fcopy = NAME SIZE ...", ic_services.h; the service is
 * offered only with "offer = fcopy"): START_FILE_COPY, 6 KiB
 * WRITE_TO_FILE fragments in order, COMPLETE_FCOPY; a refused fragment is
 * followed by CANCEL_FCOPY, as the host gives up.  File byte k is
 * k mod 251, so a scenario can name the SHA-256 the guest must report.
 * The misbehaviours and quirks (on the first file) break the order of the messages.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "drivers/ic/fcopy_regs.h"
#include "tools/hvsim/hvsim.h"
#include "tools/hvsim/ic/ic_host.h"
#include "tools/hvsim/ic/ic_services.h"

#define NS_PER_S 1000000000ull
#define MAX_JOBS 16
#define TEXT 128
#define OVERLAP 100                /* fcopy_overlap: the second fragment starts this much early */
#define BEYOND 100                 /* fcopy_fragment_beyond: a fragment this long past the end */
#define MB_FILE "hvsim-mb.bin"     /* the file the misbehaviours use when the scenario names none */
#define MB_FILE_SIZE 20000

struct job {
	char name[TEXT], path[TEXT];
	uint64_t size;
	bool overwrite;
	long cancel_after;         /* fragments before CANCEL_FCOPY; -1: none */
	uint64_t at_ns;
};

static struct sim_ic_versions fcopy_versions = { 1, { { 1, 1 } } };

static struct {
	struct job jobs[MAX_JOBS];
	unsigned njobs;
} cfg;

enum phase { PH_START, PH_WRITE, PH_END, PH_DONE };

static struct {
	const struct ic_host *h;
	unsigned job;              /* the current job */
	enum phase phase;
	bool waiting, failed, due;
	unsigned fragment;         /* fragments sent of the current file */
	uint64_t offset;           /* where the next in-order fragment goes */
	int mb;                    /* the misbehaviour the message in flight is, or -1 */
	char done[MAX_JOBS][TEXT]; /* names copied completely (an overwrite needs the flag) */
	unsigned ndone, copied, refused, cancelled, errors_expected;
} fx;

/* Does a fragment misbehaviour apply to the current (first) file? */
static bool first_file(void)
{
	return fx.job == 0;
}

/* Send one fcopy message: @len bytes at @buf; @mb names a misbehaviour in it. */
static void send(struct ic_host *h, const void *buf, uint16_t len, int mb)
{
	fx.waiting = true;
	fx.mb = mb;
	sim_ic_send(h, IC_MSG_FCOPY, buf, len, fx.phase);
}

/* START_FILE_COPY of the current job. */
static void send_start(struct ic_host *h, const struct job *j)
{
	static struct fcopy_start m;
	int mb = -1;

	memset(&m, 0, sizeof(m));
	m.hdr.operation = FCOPY_START_FILE_COPY;
	sim_utf16_encode(j->name, (uint8_t *)&m + offsetof(struct fcopy_start, file_name), 2 * FCOPY_PATH_UNITS);
	sim_utf16_encode(j->path, (uint8_t *)&m + offsetof(struct fcopy_start, path_name), 2 * FCOPY_PATH_UNITS);
	m.copy_flags = FCOPY_CREATE_PATH | (j->overwrite ? FCOPY_OVER_WRITE : 0);
	m.file_size = j->size;
	if (first_file() && sim_mb_fire(MB_FCOPY_BAD_UTF16)) {
		sim_ic_misbehaving(h, MB_FCOPY_BAD_UTF16, "a file name with a lone low surrogate");
		((uint8_t *)&m)[offsetof(struct fcopy_start, file_name) + 3] = 0xdc; /* unit 1: 0xdcXX */
		((uint8_t *)&m)[offsetof(struct fcopy_start, file_name) + 2] = 0x00;
		mb = MB_FCOPY_BAD_UTF16;
	}
	fx.fragment = 0;
	fx.offset = 0;
	fx.failed = false;
	fprintf(stderr, "hvsim: ic: fcopy: copying %s (%llu bytes) to %s at %llu ms\n", j->name,
		(unsigned long long)j->size, j->path, (unsigned long long)(sim.now_ns / 1000000));
	send(h, &m, sizeof(m), mb);
}

/*
 * One WRITE_TO_FILE: the next fragment, a quirk's (out of order or
 * overlapping: the guest writes it at its offset, and the walk goes on from
 * where it was), or the misbehaviour's (past the declared size).
 */
static void send_fragment(struct ic_host *h, const struct job *j)
{
	static struct fcopy_write m;
	uint64_t off = fx.offset;
	uint32_t size;
	bool moved = false;
	int mb = -1;

	memset(&m, 0, sizeof(m));
	m.hdr.operation = FCOPY_WRITE_TO_FILE;
	if (first_file() && fx.fragment == 1 && j->size > 2 * FCOPY_FRAGMENT && sim_quirk_fire(QUIRK_FCOPY_OUT_OF_ORDER)) {
		sim_ic_quirk(h, QUIRK_FCOPY_OUT_OF_ORDER, "the third fragment is sent second");
		off += FCOPY_FRAGMENT;
		moved = true;
	} else if (first_file() && fx.fragment == 1 && sim_quirk_fire(QUIRK_FCOPY_OVERLAP)) {
		sim_ic_quirk(h, QUIRK_FCOPY_OVERLAP, "the second fragment overlaps the first by 100 bytes");
		off -= OVERLAP;
		moved = true;
	} else if (off >= j->size) {
		sim_ic_misbehaving(h, MB_FCOPY_FRAGMENT_BEYOND, "a 100-byte fragment past the declared size");
		mb = MB_FCOPY_FRAGMENT_BEYOND;
	}
	size = (uint32_t)(mb == MB_FCOPY_FRAGMENT_BEYOND ? BEYOND :
			  j->size - off < FCOPY_FRAGMENT ? j->size - off : FCOPY_FRAGMENT);
	m.offset = off;
	m.size = size;
	for (uint32_t k = 0; k < size; k++)
		m.data[k] = (uint8_t)((off + k) % 251);
	if (mb < 0 && !moved)
		fx.offset = off + size;
	fx.fragment++;
	send(h, &m, sizeof(m), mb);
}

/* COMPLETE_FCOPY, or CANCEL_FCOPY after a refused fragment or when the scenario says. */
static void send_end(struct ic_host *h, bool cancel, int mb)
{
	struct fcopy_header m = { cancel ? FCOPY_CANCEL : FCOPY_COMPLETE, { { 0 } }, { { 0 } } };

	send(h, &m, sizeof(m), mb);
}

/* The next message of the current job, when nothing is outstanding. */
static void fcopy_pump(struct ic_host *h)
{
	const struct job *j;

	if (sim_ic_busy(h) || fx.waiting || !fx.due || fx.job >= cfg.njobs)
		return;
	j = &cfg.jobs[fx.job];
	switch (fx.phase) {
	case PH_START:
		send_start(h, j);
		return;
	case PH_WRITE:
		if (first_file() && !fx.fragment && sim_mb_fire(MB_FCOPY_COMPLETE_EARLY)) {
			sim_ic_misbehaving(h, MB_FCOPY_COMPLETE_EARLY, "COMPLETE_FCOPY before any fragment");
			fx.phase = PH_END;
			send_end(h, false, MB_FCOPY_COMPLETE_EARLY);
		} else if (fx.failed || (j->cancel_after >= 0 && fx.fragment >= (unsigned long)j->cancel_after)) {
			fx.phase = PH_END;
			fx.cancelled++;
			send_end(h, true, -1);
		} else if (fx.offset < j->size ||
			   (first_file() && fx.offset == j->size && sim_mb_fire(MB_FCOPY_FRAGMENT_BEYOND))) {
			send_fragment(h, j);
		} else {
			fx.phase = PH_END;
			send_end(h, false, -1);
		}
		return;
	default:
		return;
	}
}

/* Job @arg's moment (or the previous job ended): start it. */
static void job_due(uint64_t arg)
{
	struct ic_host *h = sim_ic_timer_host(arg);

	if (!h)
		return;
	fx.due = true;
	fcopy_pump(h);
}

/* On to the next job, now or at its time. */
static void next_job(struct ic_host *h)
{
	fx.job++;
	fx.phase = PH_START;
	fx.due = false;
	if (fx.job < cfg.njobs)
		sim_at(cfg.jobs[fx.job].at_ns > sim.now_ns ? cfg.jobs[fx.job].at_ns : sim.now_ns, job_due,
		       sim_ic_timer_arg(h));
}

/* Negotiated: the first job at its time (a misbehaviour or quirk brings its own file). */
static void fcopy_host_start(struct ic_host *h)
{
	bool mb = sim_mb[MB_FCOPY_FRAGMENT_BEYOND] || sim_mb[MB_FCOPY_COMPLETE_EARLY] ||
		  sim_quirk[QUIRK_FCOPY_OUT_OF_ORDER] || sim_quirk[QUIRK_FCOPY_OVERLAP] || sim_mb[MB_FCOPY_BAD_UTF16];

	memset(&fx, 0, sizeof(fx));
	fx.h = h;
	if (!cfg.njobs && mb)
		cfg.jobs[cfg.njobs++] = (struct job){ MB_FILE, "/tmp", MB_FILE_SIZE, false, -1, 2 * NS_PER_S };
	fx.job = (unsigned)-1;
	next_job(h);
}

/* Was @name copied completely before? */
static bool copied_before(const char *name)
{
	for (unsigned i = 0; i < fx.ndone; i++)
		if (!strcmp(fx.done[i], name))
			return true;
	return false;
}

/* Each answer: what the protocol says it must be, then the next message. */
static void fcopy_answer(struct ic_host *h, const struct txn *t, const struct ic_msg_header *m,
			 const uint8_t *data, uint32_t len)
{
	const struct job *j = &cfg.jobs[fx.job < cfg.njobs ? fx.job : 0];
	uint32_t st = m->status;

	fx.waiting = false;
	if (fx.job >= cfg.njobs)
		return;
	if (fx.mb >= 0) {
		/* a misbehaviour's message: the guest must refuse it */
		if (st == IC_S_OK)
			sim_ic_guest_error(h, "answered S_OK to a message it should refuse (%s)",
					   sim_misbehaviour_names[fx.mb]);
		fx.errors_expected += st != IC_S_OK;
	}
	switch (fx.phase) {
	case PH_START:
		if (st != IC_S_OK) {
			if (fx.mb < 0 && copied_before(j->name) && !j->overwrite && st != FCOPY_E_ALREADY_EXISTS)
				sim_ic_guest_error(h, "START of %s again without OVER_WRITE answered 0x%08x (want 0x80070050)",
						   j->name, st);
			fprintf(stderr, "hvsim: ic: fcopy: %s refused: 0x%08x\n", j->name, st);
			fx.refused++;
			next_job(h);
			return;
		}
		if (copied_before(j->name) && !j->overwrite)
			sim_ic_guest_error(h, "START of %s again without OVER_WRITE answered S_OK", j->name);
		fx.phase = PH_WRITE;
		break;
	case PH_WRITE:
		if (st != IC_S_OK) {
			if (fx.mb < 0)
				sim_ic_guest_error(h, "fragment %u of %s answered 0x%08x", fx.fragment, j->name, st);
			fx.failed = true;
		}
		break;
	case PH_END:
		if (st != IC_S_OK && fx.mb < 0)
			sim_ic_guest_error(h, "the end of %s answered 0x%08x", j->name, st);
		if (st == IC_S_OK && !fx.failed && (j->cancel_after < 0 || fx.fragment < (unsigned long)j->cancel_after) &&
		    fx.mb < 0 && fx.ndone < MAX_JOBS) {
			snprintf(fx.done[fx.ndone++], TEXT, "%s", j->name);
			fx.copied++;
		}
		next_job(h);
		return;
	default:
		break;
	}
	(void)t;
}

/* The fcopy line at power off. */
static void fcopy_report(const struct ic_host *h)
{
	if (fx.h != h) {
		fprintf(stderr, "hvsim: ic:   fcopy: never negotiated\n");
		return;
	}
	fprintf(stderr, "hvsim: ic:   fcopy: %u of %u files copied, %u refused at START, %u cancelled, %u misbehaviour messages refused\n",
		fx.copied, cfg.njobs, fx.refused, fx.cancelled, fx.errors_expected);
}

const struct sim_ic_service sim_ic_fcopy = {
	"fcopy", IC_MSG_FCOPY, &fcopy_versions, fcopy_host_start, fcopy_pump, fcopy_answer, fcopy_report, NULL,
};

/* "fcopy = NAME SIZE [path=P] [overwrite] [cancel=N] [at=SECONDS]" */
bool sim_fcopy_key(const char *key, char *val)
{
	char *save = NULL, *name, *size, *tok, *end;
	struct job *j;

	if (strcmp(key, "fcopy"))
		return false;
	name = strtok_r(val, " \t", &save);
	size = strtok_r(NULL, " \t", &save);
	if (!name || !size || cfg.njobs == MAX_JOBS)
		sim_ic_services_error(key, "want NAME SIZE (at most 16 files)", name);
	j = &cfg.jobs[cfg.njobs++];
	*j = (struct job){ "", "/tmp", strtoull(size, &end, 0), false, -1,
			   cfg.njobs > 1 ? 0 : 2 * NS_PER_S };
	if (*end)
		sim_ic_services_error(key, "bad SIZE", size);
	snprintf(j->name, TEXT, "%s", name);
	while ((tok = strtok_r(NULL, " \t", &save))) {
		if (!strncmp(tok, "path=", 5))
			snprintf(j->path, TEXT, "%s", tok + 5);
		else if (!strcmp(tok, "overwrite"))
			j->overwrite = true;
		else if (!strncmp(tok, "cancel=", 7))
			j->cancel_after = strtol(tok + 7, NULL, 0);
		else if (!strncmp(tok, "at=", 3))
			j->at_ns = strtoull(tok + 3, NULL, 0) * NS_PER_S;
		else
			sim_ic_services_error(key, "bad option", tok);
	}
	return true;
}
