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

struct runner {
	um_engine *engine;
	um_proc *proc;            /* the (single, for now) process */
	const char *file;         /* script name, for messages */
	FILE *out;                /* where calls are echoed (NULL: quiet) */
	int mismatches;           /* results that differed from expectations */
	struct { char *name; unsigned long value; } vars[RUNNER_MAX_VARS];
	int nvars;
	char *maps_expected;      /* gathered maps text after maps() */
	size_t maps_len;
	int maps_line;            /* line of the maps() call being checked */
	bool ignore_shmem_ino;    /* replay: "/dev/zero (deleted)" inodes differ */
};

/* Outcome of one line: 0 ok, 1 mismatch (reported), 2 bad input (reported). */
int runner_line(struct runner *r, const struct tr_line *l);
/* Finish a pending maps() check; returns as runner_line. */
int runner_flush_maps(struct runner *r);
void runner_free(struct runner *r);

/* Compare two maps texts (optionally ignoring /dev/zero inodes); returns the
 * 1-based line of the first difference, or 0 when equal. */
int maps_compare(const char *got, const char *want, bool ignore_shmem_ino);
/* Print the maps lines of @p within @span bytes of @addr (context). */
void print_maps_around(FILE *out, um_proc *p, unsigned long addr);

#endif
