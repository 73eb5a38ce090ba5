/*
 * proctext.h — reading the /proc texts the two executors compare (smaps
 * entries, status lines) and writing the part of status they compare.
 * Used by the engine side (runner.c) and by the native executor, which may
 * not allocate or use stdio once it runs a script: nothing here does.
 */
#ifndef USERMM_PROCTEXT_H
#define USERMM_PROCTEXT_H

#include <stdbool.h>
#include <stddef.h>

/* The value of the first line "NAME:<spaces or tab>N kB" (or "NAME: N" for
 * THPeligible) in text[0..len); 0, or -1 when there is no such line. */
int proc_field(const char *text, size_t len, const char *name, unsigned long *value);

/* Does a line (of smaps) start a VMA's entry: "start-end "?  Its range. */
bool proc_vma_line(const char *line, size_t len, unsigned long *start,
		   unsigned long *end);

/* The entry of smaps text[0..len) whose range holds @addr: its offset in
 * *off and its length, or 0 when no entry holds it. */
size_t proc_smaps_entry(const char *text, size_t len, unsigned long addr, size_t *off);

/* The memory lines of status, in kB. */
struct status_mem {
	unsigned long peak, size, lck, pin, hwm, rss, anon, file, shmem, data,
		      stk, exe, lib, pte, swap, hugetlb;
};

/* Fill @m from status text; 0, or -1 when a line is missing. */
int status_parse(const char *text, size_t len, struct status_mem *m);

/*
 * The comparable form of status (what `usermm diff` records for status()),
 * into buf[size] (NUL-terminated, cut to fit); returns the full length.
 *
 *   VmPeak, VmSize, VmLck, VmPin, VmData, VmStk, VmSwap, HugetlbPages and
 *   VmExe+VmLib (executable mappings in all; the split needs the program
 *   image) are absolute, VmPeak raised to at least @peak_floor;
 *   VmRSS, RssAnon, RssFile, RssShmem are "since start": minus @base's,
 *   which may make them negative.
 *   Left out: VmPTE (page tables are freed at different times) and VmHWM,
 *   which the live kernel does not keep exactly: it raises hiwater_rss
 *   from the per-CPU rss counters' folded total, which lags the exact sum
 *   status prints by up to a batch per CPU (measured on 6.18: touch 3
 *   pages, munmap them, and VmHWM is back where it was).
 */
size_t status_compared(char *buf, size_t size, const struct status_mem *now,
		       const struct status_mem *base, unsigned long peak_floor);

#endif
