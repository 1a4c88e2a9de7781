/*
 * Guest file copy, the Guest Service Interface (Linux tools/hv/hv_fcopy_uio_daemon.c,
 * include/uapi/linux/hyperv.h hv_start_fcopy/hv_do_fcopy):
 * Copy-VMFile sends START_FILE_COPY, 6 KiB WRITE_TO_FILE fragments in
 * order, then COMPLETE_FCOPY (or CANCEL_FCOPY).  hvprobe has no storage:
 * a file is kept in memory (cpu_alloc_pages), every file together at most
 * the limit the kernel set (ic_fcopy_set_limit: hvprobe.cfg fcopy_max),
 * and reported with its
 * name, size and SHA-256 (check ic.fcopy.file).
 *
 * Statuses (Linux's fcopy daemon): S_OK; 0x80070050 ERROR_ALREADY_EXISTS
 * for a name we hold when OVER_WRITE is clear; 0x80070070 ERROR_DISK_FULL
 * when the file does not fit; E_FAIL for the rest.  Host findings
 * (ic.fcopy.sequence, .message, .utf16, .operation, .fragment, .complete):
 * messages without a copy, malformed messages and names, a fragment beyond
 * the size START_FILE_COPY declared or a COMPLETE short of it (the host
 * contradicts its own declaration: Linux's daemon would store a file of
 * another size without noticing); warnings (ic.fcopy.fragment, .sequence):
 * fragments out of order or overlapping, a START during a copy, which
 * Linux's daemon handles (each fragment at its offset).
 */
#include "drivers/ic/fcopy_regs.h"
#include "drivers/ic/ic.h"
#include "kernel/cpu.h"
#include "lib/log.h"
#include "lib/report.h"
#include "lib/sha256.h"
#include "lib/str.h"
#include "lib/utf16.h"

#define MAX_FILES 8
#define NAME_TEXT (FCOPY_PATH_UNITS * 3 + 1)   /* UTF-8 of 260 UTF-16 units */

static const struct ic_version versions[] = { { 1, 1 } };

struct file {
	char name[NAME_TEXT], path[NAME_TEXT];   /* printable UTF-8 */
	uint64_t size;
	uint8_t *data;
	size_t pages;
};

/* One fcopy channel's state (a host may offer the service twice), from cpu_alloc_pages. */
struct fcopy_state {
	struct file files[MAX_FILES];            /* complete files */
	unsigned nfiles;
	uint64_t kept;                           /* their bytes */
	bool active;                             /* a copy in progress: */
	struct file cur;
	uint64_t written;                        /* the highest fragment end so far */
	unsigned fragments;
	unsigned exists, too_large, cancelled;   /* refusals and cancels, for the report */
	char first_exists[NAME_TEXT], first_too_large[NAME_TEXT], first_cancel[160];
};

static struct fcopy_state *fc;   /* the channel being served */
static uint64_t limit;           /* bytes of files kept, all together (ic_fcopy_set_limit) */

void ic_fcopy_set_limit(uint64_t bytes)
{
	limit = bytes;
}

/* Select @ic's state, allocating it (no files) on first use. */
static bool fcopy_attach(struct ic_channel *ic)
{
	if (!ic->state)
		ic->state = cpu_alloc_pages((sizeof(*fc) + PAGE_SIZE - 1) / PAGE_SIZE);
	fc = ic->state;
	return fc != NULL;
}

/* Give back a file's pages. */
static void file_free(struct file *f)
{
	if (f->data)
		cpu_free_pages(f->data, f->pages);
	f->data = NULL;
	f->pages = 0;
}

/* Drop the copy in progress (cancel, or a copy that cannot complete). */
static void drop_current(void)
{
	file_free(&fc->cur);
	fc->active = false;
}

/* A UTF-16 name field as printable UTF-8; false (a finding) when malformed. */
static bool name_text(struct ic_channel *ic, const char *what, const void *field,
		      char out[NAME_TEXT])
{
	/* the field has no size: the text ends at its NUL (none: the whole field, a warning) */
	size_t size = utf16le_field_size(field, 2 * FCOPY_PATH_UNITS);
	char label[48];

	fmt_snprintf(label, sizeof(label), "START_FILE_COPY: the %s", what);
	if (ic_utf16(ic, label, field, size ? size : 2 * FCOPY_PATH_UNITS, out, NAME_TEXT) < 0)
		return false;
	for (char *c = out; *c; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			*c = '?';
	return true;
}

/* The complete file named @path/@name, or NULL. */
static struct file *file_find(const char *path, const char *name)
{
	for (unsigned i = 0; i < fc->nfiles; i++)
		if (!strcmp(fc->files[i].name, name) && !strcmp(fc->files[i].path, path))
			return &fc->files[i];
	return NULL;
}

/* START_FILE_COPY: check the name, the space and an existing file; take the pages. */
static uint32_t fcopy_start_copy(struct ic_channel *ic, const struct fcopy_start *m)
{
	struct file f = { .size = m->file_size };
	struct file *old;
	const uint8_t *raw = (const void *)m;
	uint32_t status;

	if (!name_text(ic, "file name", raw + offsetof(struct fcopy_start, file_name), f.name) ||
	    !name_text(ic, "path", raw + offsetof(struct fcopy_start, path_name), f.path))
		return IC_E_INVALIDARG;
	if (!f.name[0]) {
		ic_finding(ic, "message", "START_FILE_COPY with an empty file name");
		return IC_E_INVALIDARG;
	}
	/* Linux's uio daemon simply opens the new file: the old copy is dropped, a warning */
	if (fc->active) {
		ic_warning(ic, "sequence", "START_FILE_COPY of %s while %s was in progress (%llu of %llu bytes): that copy is dropped",
			   f.name, fc->cur.name, (unsigned long long)fc->written,
			   (unsigned long long)fc->cur.size);
		drop_current();
	}
	old = file_find(f.path, f.name);
	if (old && !(m->copy_flags & FCOPY_OVER_WRITE)) {
		status = FCOPY_E_ALREADY_EXISTS;
		log_printf("hvprobe: fcopy: %s (path %s) refused (0x%08x): it exists and OVER_WRITE is clear\n",
			   f.name, f.path, status);
		if (!fc->exists++)
			str_copy(fc->first_exists, f.name, sizeof(fc->first_exists));
		return status;
	}
	if (old) {
		/* OVER_WRITE: the old content goes now, as opening with O_TRUNC does */
		fc->kept -= old->size;
		file_free(old);
		*old = fc->files[--fc->nfiles];
	}
	f.pages = (size_t)((f.size + PAGE_SIZE - 1) / PAGE_SIZE);
	if (f.size > limit - fc->kept || fc->nfiles == MAX_FILES ||
	    (f.pages && !(f.data = cpu_alloc_pages(f.pages)))) {
		status = FCOPY_E_DISK_FULL;
		log_printf("hvprobe: fcopy: %s (%llu bytes) refused (0x%08x): %llu of fcopy_max=%llu bytes free, %u of %u files held\n",
			   f.name, (unsigned long long)f.size, status,
			   (unsigned long long)(limit - fc->kept), (unsigned long long)limit, fc->nfiles,
			   MAX_FILES);
		if (!fc->too_large++)
			str_copy(fc->first_too_large, f.name, sizeof(fc->first_too_large));
		return status;
	}
	log_printf("hvprobe: fcopy: START %s (path %s, flags 0x%x, %llu bytes)\n", f.name, f.path,
		   m->copy_flags, (unsigned long long)f.size);
	fc->cur = f;
	fc->active = true;
	fc->written = 0;
	fc->fragments = 0;
	return IC_S_OK;
}

/*
 * WRITE_TO_FILE: one fragment at its offset.  Linux's uio daemon
 * (hv_copy_data) writes each fragment with pwrite() at its offset, whatever
 * the order: Copy-VMFile sends them in order, and another order (a gap, an
 * overlap) is a warning, written where it says (a gap reads as zeros).
 */
static uint32_t fcopy_write(struct ic_channel *ic, const struct fcopy_write *m, uint32_t len)
{
	uint64_t end = m->offset + m->size;

	if (m->size > FCOPY_FRAGMENT || len < offsetof(struct fcopy_write, data) + m->size) {
		ic_finding(ic, "message", "a WRITE_TO_FILE fragment of %u bytes in a %u-byte message (at most %u)",
			   m->size, len, FCOPY_FRAGMENT);
		return IC_E_INVALIDARG;
	}
	if (!fc->active) {
		ic_finding(ic, "sequence", "WRITE_TO_FILE with no copy in progress");
		return IC_E_FAIL;
	}
	/*
	 * The host declared the file's size in START_FILE_COPY (Linux
	 * include/uapi/linux/hyperv.h hv_start_fcopy file_size): a fragment past
	 * it contradicts that; Linux's pwrite() (hv_copy_data) would silently
	 * grow the file.  Refused, and a failure.
	 */
	if (end < m->offset || end > fc->cur.size) {
		ic_finding(ic, "fragment", "a fragment at %llu..%llu beyond the %llu bytes %s declared (refused: hvprobe keeps the declared size)",
			   (unsigned long long)m->offset, (unsigned long long)end,
			   (unsigned long long)fc->cur.size, fc->cur.name);
		return IC_E_FAIL;
	}
	if (m->offset != fc->written)
		ic_warning(ic, "fragment", "a fragment at %llu of %s %s (%llu bytes written so far): written at its offset",
			   (unsigned long long)m->offset, fc->cur.name,
			   m->offset < fc->written ? "overlaps what was written" : "is out of order",
			   (unsigned long long)fc->written);
	if (m->size)
		memcpy(fc->cur.data + m->offset, m->data, m->size);
	if (end > fc->written)
		fc->written = end;
	fc->fragments++;
	return IC_S_OK;
}

/* COMPLETE_FCOPY: every declared byte arrived: keep the file, report its digest. */
static uint32_t fcopy_complete(struct ic_channel *ic)
{
	char hex[SHA256_HEX];

	if (!fc->active) {
		ic_finding(ic, "sequence", "COMPLETE_FCOPY with no copy in progress");
		return IC_E_FAIL;
	}
	/*
	 * COMPLETE short of the size START_FILE_COPY declared (Linux
	 * include/uapi/linux/hyperv.h hv_start_fcopy file_size): the host ends a
	 * copy it has not made, which Linux's daemon would keep as a short file
	 * (hv_copy_finished closes it whatever was written).  Refused, the
	 * partial file dropped, and a failure.
	 */
	if (fc->written != fc->cur.size) {
		if (!fc->fragments)
			ic_finding(ic, "complete", "COMPLETE_FCOPY of %s (%llu bytes) before any fragment",
				   fc->cur.name, (unsigned long long)fc->cur.size);
		else
			ic_finding(ic, "complete", "COMPLETE_FCOPY of %s after %llu of its %llu bytes",
				   fc->cur.name, (unsigned long long)fc->written,
				   (unsigned long long)fc->cur.size);
		drop_current();
		return IC_E_FAIL;
	}
	sha256_hex(fc->cur.data, (size_t)fc->cur.size, hex);
	log_printf("hvprobe: fcopy: received %s (path %s): %llu bytes in %u fragment%s, sha256 %s\n",
		   fc->cur.name, fc->cur.path, (unsigned long long)fc->cur.size, fc->fragments,
		   fc->fragments == 1 ? "" : "s", hex);
	check("ic.fcopy.file", CHECK_PASS, "%s: %llu bytes, sha256 %s", fc->cur.name,
	      (unsigned long long)fc->cur.size, hex);
	fc->files[fc->nfiles++] = fc->cur;
	fc->kept += fc->cur.size;
	fc->active = false;
	return IC_S_OK;
}

/* One fcopy request. */
static uint32_t fcopy_request(struct ic_channel *ic, uint8_t *data, uint32_t len)
{
	/* COMPLETE and CANCEL carry nothing after the operation we need */
	static const uint32_t min_len[] = { sizeof(struct fcopy_start), offsetof(struct fcopy_write, data),
					    sizeof(uint32_t), sizeof(uint32_t) };
	uint32_t op;

	if (!fcopy_attach(ic))
		return IC_E_FAIL;
	if (len < sizeof(op)) {
		ic_finding(ic, "message", "an fcopy message of %u bytes", len);
		return IC_E_INVALIDARG;
	}
	memcpy(&op, data, sizeof(op));
	if (op > FCOPY_CANCEL) {
		ic_finding(ic, "operation", "fcopy operation %u (0-3 are defined)", op);
		return IC_E_FAIL;
	}
	if (len < min_len[op]) {
		ic_finding(ic, "message", "fcopy operation %u in %u bytes (its layout needs %u)", op, len,
			   min_len[op]);
		return IC_E_INVALIDARG;
	}
	switch (op) {
	case FCOPY_START_FILE_COPY:
		return fcopy_start_copy(ic, (const void *)data);
	case FCOPY_WRITE_TO_FILE:
		return fcopy_write(ic, (const void *)data, len);
	case FCOPY_COMPLETE:
		return fcopy_complete(ic);
	default:
		if (fc->active) {
			log_printf("hvprobe: fcopy: CANCEL of %s after %llu of %llu bytes: the partial file is dropped\n",
				   fc->cur.name, (unsigned long long)fc->written,
				   (unsigned long long)fc->cur.size);
			if (!fc->cancelled++)
				fmt_snprintf(fc->first_cancel, sizeof(fc->first_cancel), "%.100s after %llu of %llu bytes",
					     fc->cur.name, (unsigned long long)fc->written,
					     (unsigned long long)fc->cur.size);
			drop_current();
		} else {
			log_printf("hvprobe: fcopy: CANCEL with no copy in progress: nothing to drop\n");
		}
		return IC_S_OK;
	}
}

/* The refusals and cancels the host caused; a skip when it copied nothing. */
static void fcopy_report(struct ic_channel *ic)
{
	if (!fcopy_attach(ic))
		return;
	if (fc->exists)
		check("ic.fcopy.exists", CHECK_PASS,
		      "%u START_FILE_COPY refused 0x%08x (first: %.100s): the file exists and OVER_WRITE is clear",
		      fc->exists, FCOPY_E_ALREADY_EXISTS, fc->first_exists);
	if (fc->too_large)
		check("ic.fcopy.too_large", CHECK_PASS,
		      "%u START_FILE_COPY refused 0x%08x (first: %.80s): larger than the %llu bytes fcopy_max leaves",
		      fc->too_large, FCOPY_E_DISK_FULL, fc->first_too_large,
		      (unsigned long long)limit);
	if (fc->cancelled)
		check("ic.fcopy.cancel", CHECK_PASS, "%u cop%s cancelled (first: %s): the partial file dropped",
		      fc->cancelled, fc->cancelled == 1 ? "y" : "ies", fc->first_cancel);
	if (fc->active)
		log_printf("hvprobe: fcopy: the copy of %s was still in progress (%llu of %llu bytes)\n",
			   fc->cur.name, (unsigned long long)fc->written, (unsigned long long)fc->cur.size);
	if (!fc->nfiles && !fc->exists && !fc->too_large && !fc->cancelled)
		check("ic.fcopy.file", CHECK_SKIP, "the host copied no file (Copy-VMFile)");
}

const struct ic_service ic_fcopy = {
	.name = "fcopy",
	.msgtype = IC_MSG_FCOPY,
	.versions = versions,
	.nversions = ARRAY_SIZE(versions),
	.request = fcopy_request,
	.report = fcopy_report,
};
