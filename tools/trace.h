/*
 * trace.h — the trace language: parse one line as `strace -f` prints it,
 * and print a call the way strace prints it.
 *
 * The language (docs: /work/shared/BRIEF.md, "The trace language"):
 *
 *     [PID ][$proc ]CALL(ARGS)[ = RESULT][   # comment]
 *
 * PID is "12345 " (strace -f -o) or "[pid 12345] " (strace -f); $proc is a
 * process variable bound by `fork() = $c`.  Real strace output is valid
 * input, including its other lines (signals, exits, <unfinished ...>,
 * <... resumed>, "strace: Process N attached") and its decorations
 * (-t/-tt/-ttt timestamps, -T times, -y fd paths, -i addresses, C comments).
 *
 * Parsing is per line and stateless.  Two things need context and are left
 * to the caller: joining an unfinished call with its resumed half (see
 * tr_join), and gathering the maps text lines that follow a maps() call.
 *
 * Numbers: every argument and result value is kept as the 64-bit register
 * value (unsigned long), negative numbers in two's complement, so -1 is
 * ~0UL.  Flag names resolve through a built-in table of x86-64 Linux values
 * (tr_name_value).  Anything strace prints that is not a number, flag
 * expression, string, NULL or $variable is kept as TR_ARG_RAW text; the
 * caller decides whether a call it executes may have such an argument.
 *
 * Memory: a parsed struct tr_line owns all its strings; tr_line_free releases
 * them (and is safe on a zeroed or already freed line).  Nothing here keeps
 * global state; all functions are reentrant.  No function exits or aborts on
 * bad input: errors come back as -1 plus a message without "FILE:LINE: ",
 * which the caller prefixes.
 */
#ifndef USERMM_TRACE_H
#define USERMM_TRACE_H

#include <stddef.h>

/* ---- parsed lines -------------------------------------------------------- */

enum tr_kind {
	TR_NOTHING,    /* blank line or "# comment": nothing to do */
	TR_CALL,       /* CALL(ARGS)[ = RESULT] */
	TR_UNFINISHED, /* CALL(ARGS... <unfinished ...>: name and args so far */
	TR_RESUMED,    /* <... CALL resumed>REST: name, rest of args, result */
	TR_SIGNAL,     /* --- SIGSEGV {si_signo=..., si_code=..., ...} --- */
	TR_EXIT,       /* +++ exited with N +++ / +++ killed by SIGX +++ */
	TR_MAPS,       /* a /proc/PID/maps line ("start-end perms ..."): raw only */
	TR_NOISE,      /* strace's own messages (Process N attached, ...) */
	TR_FRAGMENT,   /* the rest of a line that strace's stderr message cut
	                * (see tr_join): ") = 0", ", child_tidptr=..." */
};

enum tr_arg_kind {
	TR_ARG_INT,  /* number or flag expression: value */
	TR_ARG_NULL, /* NULL: value 0 */
	TR_ARG_STR,  /* "quoted string" (C escapes decoded): str, len, truncated */
	TR_ARG_VAR,  /* $name, $name+OFF, $name-OFF: name, value = offset */
	TR_ARG_RAW,  /* anything else strace prints ([1, 0], {...}, FUTEX_WAIT):
	              * only text */
};

struct tr_arg {
	enum tr_arg_kind kind;
	unsigned long value; /* INT: the value; VAR: the offset (two's compl.) */
	char *str;           /* STR: decoded bytes, NUL-terminated; else NULL */
	size_t len;          /* STR: byte count (may contain NULs) */
	int truncated;       /* STR: strace printed "..." after the quote */
	char *name;          /* VAR: variable name without '$'; else NULL */
	char *text;          /* the argument as written, trimmed, comments cut */
};

enum tr_res_kind {
	TR_RES_NONE,    /* no "= ..." */
	TR_RES_VALUE,   /* = 0, = 0x7f..., = 3: value */
	TR_RES_ERRNO,   /* = -1 ENOMEM (...), = -1 (errno 2997): err */
	TR_RES_UNKNOWN, /* = ? (err is set when strace adds ERESTARTSYS etc.) */
	TR_RES_BIND,    /* = $a: name */
	TR_RES_SIGNAL,  /* = SIGSEGV SEGV_MAPERR (or a number): sig, and
	                 * si_code if has_code */
	TR_RES_STRING,  /* = "bytes": str, len, truncated */
};

struct tr_result {
	enum tr_res_kind kind;
	unsigned long value;
	int err;           /* positive errno, 0 if none */
	char *name;        /* BIND */
	int sig, si_code;  /* SIGNAL */
	int has_code;      /* SIGNAL: si_code was given */
	char *str;         /* STRING: decoded bytes, NUL-terminated */
	size_t len;
	int truncated;
};

struct tr_line {
	enum tr_kind kind;
	int lineno;
	long pid;           /* strace pid prefix, or the N of "Process N
	                     * attached/detached"; -1 if none */
	char *proc;         /* "$c " prefix: "c"; else NULL */
	char *name;         /* CALL/UNFINISHED/RESUMED: the call's name */
	int nargs;
	struct tr_arg *args;
	struct tr_result res;
	struct {            /* TR_SIGNAL */
		int sig;        /* 0 if the name is unknown */
		int code;       /* si_code; valid when has_code */
		int has_code;
		unsigned long addr; /* si_addr; valid when has_addr */
		int has_addr;
	} signal;
	struct {            /* TR_EXIT */
		int status;     /* "exited with N": N; else -1 */
		int sig;        /* "killed by SIGX": X; else 0 */
		int core;       /* "(core dumped)" */
	} exit;
	int attached;       /* TR_NOISE: 1 attached, 0 detached, -1 other */
	char *raw;          /* the whole line as given (no trailing newline) */
	char *part;         /* UNFINISHED: "CALL(ARGS..." up to the marker;
	                     * RESUMED: the text after "resumed>";
	                     * NOISE: the text before a "strace: " message that
	                     * cut the line, else NULL (all for tr_join) */
	void *pool_;        /* private: the blocks all strings live in */
};

/* Parse one line (len bytes, need not be NUL-terminated; a trailing "\n" or
 * "\r\n" is ignored).  Fills *out (which the caller then owns and frees with
 * tr_line_free) and returns 0, or returns -1 with a message in err (out is
 * then left empty: nothing to free).  lineno is only stored. */
int tr_parse_line(const char *text, size_t len, int lineno, struct tr_line *out,
		  char *err, size_t errlen);

void tr_line_free(struct tr_line *line);

/* Join two halves into the line strace meant to print, parsed into *out:
 *  - an UNFINISHED line with its RESUMED line (same pid, same call name):
 *    *out is the TR_CALL; pid, proc and lineno come from the resumed line
 *    (pid from the unfinished one if the resumed has none: strace drops the
 *    "[pid N]" prefix once only one process is left).  The caller keeps the
 *    pending unfinished line per pid.
 *  - a NOISE line with part != NULL (strace without -o wrote "strace:
 *    Process N attached" into the middle of a line) with the FRAGMENT line
 *    that follows it: *out is whatever the two make (a call, unfinished..).
 * Returns 0 or -1 + message. */
int tr_join(const struct tr_line *unfinished, const struct tr_line *resumed,
	    struct tr_line *out, char *err, size_t errlen);

/* ---- names and numbers (x86-64 Linux) ------------------------------------ */

/* A flag, constant or signal name (PROT_READ, MAP_ANONYMOUS, O_CREAT,
 * MADV_DONTNEED, AT_FDCWD, SEEK_SET, SIGSEGV, MAP_HUGE_SHIFT, ...): 0 and
 * *value set, or -1 if unknown. */
int tr_name_value(const char *name, size_t len, unsigned long *value);

const char *tr_errno_name(int err);      /* "ENOMEM", or NULL if unknown */
int tr_errno_value(const char *name);    /* ENOMEM -> 12, ERRNO_200 -> 200;
                                          * -1 if unknown */
const char *tr_errno_text(int err);      /* strace's text: strerror(err), or
                                          * its own for ERESTART*; never NULL */
const char *tr_signal_name(int sig);     /* "SIGSEGV", "SIGRT_2"; or NULL */
int tr_signal_value(const char *name);   /* SIGSEGV -> 11, SIGRT_2 -> 34; -1 */
/* si_code names for a signal: SEGV_MAPERR, BUS_ADRERR, CLD_EXITED, SI_USER.. */
const char *tr_sicode_name(int sig, int code); /* NULL if unknown */
int tr_sicode_value(const char *name, int *code); /* 0, or -1 if unknown */

/* ---- printing ------------------------------------------------------------- */

#define TR_MAX_ARGS 6

/* A call to print.  args are raw register values.  str/str_len: the string
 * argument of openat/open (path) or store (bytes); NULL prints the register
 * as an address as strace does for a bad pointer.  vec: mincore's vector
 * after a successful call (at least min(pages, 32) bytes); NULL prints the
 * vec register as an address, as strace does when the call failed. */
struct tr_call {
	const char *name;
	int nargs;
	unsigned long args[TR_MAX_ARGS];
	const char *str;
	size_t str_len;
	const unsigned char *vec;
	unsigned long page_size;   /* mincore's pages; 0 = 4096 */
};

#define TR_FMT_ALIGN     1u /* pad so " = " lands in column 40, like strace */
#define TR_FMT_STRACE61  2u /* only names strace 6.1 knows: MAP_DROPPABLE,
                             * MAP_ABOVE4G, MADV_GUARD_* print as numbers */

/* Format "name(args) = result" into buf the way strace prints it, with the
 * argument types of the named call (mmap, munmap, mprotect, pkey_mprotect,
 * mremap, madvise, mlock, mlock2, munlock, mlockall, munlockall, msync,
 * mincore, brk, open, openat, close, dup, dup2, ftruncate, exit, exit_group,
 * and the extensions store, load, fork, maps; other names print their args
 * in hex).  res may be NULL (no " = ..." part).  Returns the length of the
 * full text like snprintf (buf is always NUL-terminated when size > 0). */
int tr_format_call(char *buf, size_t size, const struct tr_call *call,
		   const struct tr_result *res, unsigned flags);

/* The common case: args + the kernel's return value (-4095..-1 = -errno). */
int tr_format_syscall(char *buf, size_t size, const char *name,
		      const unsigned long *args, int nargs, long ret);

/* A result from a kernel return value: VALUE, or ERRNO for -4095..-1. */
struct tr_result tr_result_from_ret(long ret);

/* Quote bytes as strace does ("a\n\0\377"), NUL-terminated; returns the full
 * length like snprintf. */
int tr_quote(char *buf, size_t size, const char *s, size_t len);

#endif
