/*
 * gen.h — `usermm gen`: deterministic random traces for differential
 * testing against the live kernel (design notes in gen.c).
 */
#ifndef USERMM_GEN_H
#define USERMM_GEN_H

#include <stdio.h>

/* The command's --help text. */
extern const char gen_usage[];

/* Features --without can leave out (gen.c, design note 9). */
#define GEN_W_OTRUNC   1u   /* reopening a file with O_TRUNC */
#define GEN_W_SEEKDATA 2u   /* lseek's SEEK_DATA and SEEK_HOLE */
#define GEN_W_NEGOFF   4u   /* negative offsets and lengths (ftruncate, pread64...) */

struct gen_opts {
	int lines;          /* statements after the prologue */
	int file_mincore;   /* mincore may look at file mappings (gen.c, note 8) */
	unsigned without;   /* GEN_W_* */
};

/* Write the trace for @seed. */
void gen_trace(FILE *out, unsigned long seed, const struct gen_opts *o);

/* `usermm gen SEED [--lines N]`; argv holds the arguments after "gen".
 * Returns the exit status: 0, or 2 on bad usage. */
int gen_main(int argc, char **argv);

#endif
