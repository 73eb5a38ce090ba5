/*
 * runner.h — executing trace lines against usermm processes: variables,
 * calls, result checks, maps checks.  Shared by `usermm run` and
 * `usermm replay` (tools/usermm.c).
 */
#ifndef USERMM_RUNNER_H
#define USERMM_RUNNER_H

#include <stdbool.h>
#include <stdio.h>
#include "usermm.h"
#include "trace.h"

#define RUNNER_MAX_VARS 256
#define RUNNER_MAX_PROCS 64

struct outcome_log;

struct runner {
	um_engine *engine;
	um_proc *proc;            /* the first process (lines without "$c ") */
	struct { char *name; um_proc *proc; } procs[RUNNER_MAX_PROCS];
	int nprocs;               /* forked processes, by "$c" name */
	struct outcome_log *log;  /* when set, every statement's outcome */
	const char *file;         /* script name, for messages */
	FILE *out;                /* where calls are echoed (NULL: quiet) */
	int mismatches;           /* results that differed from expectations */
	struct { char *name; unsigned long value; } vars[RUNNER_MAX_VARS];
	int nvars;
	char *maps_expected;      /* gathered maps text after maps() */
	size_t maps_len;
	int maps_line;            /* line of the maps() call being checked */
	um_proc *maps_proc;       /* the process it showed */
	bool ignore_shmem_ino;    /* replay: "/dev/zero (deleted)" inodes differ */
	unsigned long peak_floor_kb; /* diff: the native VmPeak at its snapshot;
	                           * status() of the first process reports at
	                           * least that (outcome.h) */
	bool check_vectors;       /* run: compare mincore vectors as written.
	                           * Not in replay: whether a file page is
	                           * resident depends on the host's page cache
	                           * when strace captured the log. */
};

/* Outcome of one line: 0 ok, 1 mismatch (reported), 2 bad input (reported). */
int runner_line(struct runner *r, const struct tr_line *l);
/* Finish a pending maps() check; returns as runner_line. */
int runner_flush_maps(struct runner *r);
void runner_free(struct runner *r);

/* Compare two maps texts (optionally ignoring /dev/zero inodes); returns the
 * 1-based line of the first difference, or 0 when equal. */
int maps_compare(const char *got, const char *want, bool ignore_shmem_ino);
/* One /proc/PID/maps line into a VMA of @p (replay's starting layout, the
 * native executor's); 0, or 2 with a message naming file and line. */
int runner_add_maps_line(um_proc *p, const char *file, int lineno, const char *line);
/* Print the maps lines of @p within @span bytes of @addr (context). */
void print_maps_around(FILE *out, um_proc *p, unsigned long addr);

/* For `usermm diff`: run the script at @path in the engine, in a process
 * started from the native executor's layout (@native->layout_maps, start_brk,
 * brk; fds 0-2 open), recording every executed statement into @out in the
 * format of outcome.h.  Returns 0 when the script ran to its end (whatever
 * the results), 2 on bad input (reported with file and line). */
struct outcome_log;
int runner_engine_outcomes(const char *path, const struct outcome_log *native,
			   struct outcome_log *out);

#endif
