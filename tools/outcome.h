/*
 * outcome.h — what one executed script line did, in a form both executors
 * produce and `usermm diff` compares: the engine (tools/runner.c) and the
 * native executor on the live kernel (tools/native.c).
 *
 * The outcome log is text, one record per executed statement, in script
 * order (lines of every process interleaved as the script orders them):
 *
 *   L<line> ret <decimal>[ vec <hex>]   a system call's raw return (value or
 *                                       -errno); mincore adds its vector on
 *                                       success, two hex digits per page
 *   L<line> ret <decimal> data <hex>    read/pread64 into a "string" buffer:
 *                                       the bytes read (when ret > 0)
 *   L<line> ok                          store() completed
 *   L<line> signal <SIG> <CODE> <addr>  store()/load() took a signal:
 *                                       SIGSEGV SEGV_MAPERR|SEGV_ACCERR or
 *                                       SIGBUS BUS_ADRERR, si_addr in hex
 *   L<line> load <hex>                  load() read these bytes
 *   L<line> fork                        fork() made a child (pids differ,
 *                                       so only the fact is recorded)
 *   L<line> exit <status>               a process exited (exit(N) line)
 *   L<line> maps <nbytes>               maps(): followed by exactly nbytes of
 *                                       /proc/PID/maps text, then a newline
 *   L<line> smaps <nbytes>              smaps(ADDR[, "Field"]): the smaps
 *                                       entry of the VMA holding ADDR (0
 *                                       bytes when none does), as for maps
 *   L<line> status <nbytes>             status(): the comparable memory
 *                                       lines (tools/proctext.h:
 *                                       status_compared), as for maps
 *
 * A store writes its bytes one at a time in ascending address order, so one
 * that faults part-way has written the bytes before the faulting one on both
 * sides.
 *
 * The native executor's log opens with the layout it started from, which the
 * engine takes as its initial process:
 *
 *   layout <start_brk hex> <brk hex> <nbytes>[ <VmPeak kB>]
 *   <exactly nbytes of /proc/self/maps text>
 *
 * VmPeak is the executor's at that moment: its setup may have reached a
 * higher total than the layout's, and status() of the first process
 * reports at least that much on both sides.
 */
#ifndef USERMM_OUTCOME_H
#define USERMM_OUTCOME_H

#include <stddef.h>
#include <stdio.h>

enum outcome_kind {
	OC_RET,      /* ret (and vec for mincore) */
	OC_OK,       /* store completed */
	OC_SIGNAL,   /* sig, code, addr */
	OC_LOAD,     /* data/len: the bytes */
	OC_FORK,
	OC_EXIT,     /* ret: status */
	OC_MAPS,     /* data/len: the maps text */
	OC_SMAPS,    /* data/len: one smaps entry */
	OC_STATUS,   /* data/len: the comparable status lines */
};

struct outcome {
	int line;
	enum outcome_kind kind;
	long ret;
	int sig, code;
	unsigned long addr;
	unsigned char *data;     /* OC_LOAD bytes, OC_MAPS text, OC_RET mincore vec
	                          * or (read_data) the bytes a read returned */
	int read_data;           /* OC_RET: data is "data", not "vec" */
	size_t len;
};

struct outcome_log {
	unsigned long start_brk, brk;   /* layout header (native logs) */
	unsigned long peak_kb;          /* its VmPeak (0 when not given) */
	char *layout_maps;              /* NULL when the log has no header */
	struct outcome *v;
	size_t n, cap;
};

/* Write one record as above (to a FILE; the native executor has its own
 * allocation-free writer that must produce the same text). */
void outcome_write(FILE *f, const struct outcome *o);
/* Parse a whole log; 0, or -1 with a message naming the log line on stderr. */
int outcome_log_parse(const char *text, size_t len, struct outcome_log *log);
/* Append a copy of @o (data copied); 0 or -1 on ENOMEM. */
int outcome_log_add(struct outcome_log *log, const struct outcome *o);
void outcome_log_free(struct outcome_log *log);
/* 1 when two records say the same thing.  Maps texts, and the maps line
 * heading an smaps entry, are compared with maps_compare's rule (inodes of
 * "/dev/zero (deleted)" are not compared); the rest byte for byte. */
int outcome_equal(const struct outcome *a, const struct outcome *b);
/* One record in words, for reports ("ret 0x7ffff7ff5000", "SIGSEGV
 * SEGV_ACCERR at 0x...", "load 68 69", ...). */
void outcome_describe(const struct outcome *o, char *buf, size_t size);

#endif
