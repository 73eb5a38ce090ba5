/*
 * native.c — usermm-native: run a trace-language script on the LIVE kernel
 * and write its outcome log (format: tools/outcome.h) to standard output.
 *
 *   usermm-native SCRIPT        (SCRIPT may be - for standard input)
 *
 * Exit: 0 the script ran to its end and every result written in it held;
 * 1 a written result or maps block differed (reported on stderr as
 * `usermm run` reports it); 2 bad input, or a process of the script died.
 *
 * Design notes
 *
 * The address space is what is measured, so the executor must not change
 * it except through the script's own calls.  Hence:
 *
 *  1. Three phases.  SETUP may allocate: re-exec without ASLR (like
 *     setarch -R); read and parse the whole script and check it (calls,
 *     argument kinds, results, process names, maps blocks); move stdout,
 *     stderr and the pipe pool to fds >= FD_BASE (so the script's first
 *     openat returns 3, as in the engine); install the fault handlers;
 *     make the heap a multiple of HEAP_ROUND long (so [heap] does not
 *     change with small changes to the script); touch STACK_TOUCH bytes of stack so [stack] never
 *     grows later.
 *     SNAPSHOT: /proc/self/maps, the break and start_brk, read with raw
 *     system calls into static buffers and written as the `layout` header.
 *     RUN: system calls, static buffers and the (read-only) parsed script
 *     only: no malloc, no free, no stdio.
 *  2. Processes live in slots: 0 is the main process, 1..MAX_SLOTS-1 are
 *     forked ones.  Every slot has a command pipe (main -> slot) and a reply
 *     pipe (slot -> main), all created before the first fork, so any
 *     process can fork into any free slot.  A forked process has the parsed
 *     script at the same addresses, so a command is only a statement index
 *     plus the argument registers main resolved.
 *  3. Main owns everything that spans processes: the variables, the slot
 *     table (pid, pidfd, parent), the log and the checks.  Other processes
 *     execute and reply; main writes the records, in script order.
 *  4. The pre-pass gives every fork its slot and every line the slot of the
 *     process that runs it (script order), so a `$c` line naming no live
 *     process is bad input before anything runs.
 *  5. An exited child is waited for by the process that can: its parent if
 *     that still runs (a REAP command), else main, which is a subreaper.
 *  6. Main polls a child's pidfd next to its reply pipe, so a child that
 *     dies is reported instead of waited for forever; children poll main's
 *     pidfd next to their command pipe and exit when main is gone.
 *  7. store/load access memory one byte at a time through volatile
 *     pointers, in ascending order, under SIGSEGV/SIGBUS handlers that
 *     siglongjmp back with si_signo, si_code and si_addr.
 *  8. status() compares RSS "since start", so the executor's own pages
 *     must not come and go while the script runs: setup makes every page
 *     of its own VMAs resident (writable ones written, none left on the
 *     zero page) before the snapshot, which also records status as the
 *     baseline and puts its VmPeak in the layout header (the engine's main
 *     process starts below the peak the executor's setup reached).  A
 *     forked process gets the executor's anonymous pages by fork but not
 *     its text (a VMA without an anon_vma is not copied), so it touches
 *     its own VMAs again before it serves: its RSS is then the snapshot's
 *     plus what fork copied of the script's memory, as in the engine, and
 *     the same baseline serves every process.
 *  9. Linux moves pages between LRU lists through per-CPU batches
 *     (lru_add, lru_lazyfree, lru_deactivate, ...) drained whenever a batch
 *     fills or some other call happens to drain it, and smaps shows the
 *     difference: after MADV_FREE a page stays Referenced and not LazyFree
 *     until its batch drains.  The engine drains at once.  So that smaps
 *     is the same every run, setup binds the executor (and so every
 *     process it forks) to the CPU it runs on, and each smaps read first
 *     drains that CPU's batches: POSIX_FADV_DONTNEED of a whole page of a
 *     regular file calls lru_add_drain() (the page lies far past the end of
 *     the file used, the executor's own binary, so nothing is dropped).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "trace.h"
#include "proctext.h"

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#ifndef SYS_close_range
#define SYS_close_range 436
#endif

#define MAX_SLOTS   16                 /* processes: main + 15 */
#define FD_BASE     200                /* the executor's own fds start here */
#define DATA_MAX    (1UL << 20)        /* load bytes, maps text, read buffer */
#define VEC_MAX     (1UL << 20)        /* mincore vector: 4 GiB of range */
#define STACK_TOUCH (512UL * 1024)
#define HEAP_ROUND  (1UL << 20)        /* the heap's size is a multiple */
#define MAX_VARS    256
#define MAX_NAMES   64                 /* process names in the pre-pass */
#define PAGE        4096UL
#define TASK_SIZE   0x7ffffffff000UL   /* x86-64, 4-level page tables */

/* ---- statements ----------------------------------------------------------- */

enum op { OP_NONE, OP_SYSCALL, OP_STORE, OP_LOAD, OP_FORK, OP_EXIT, OP_MAPS, OP_SMAPS,
	  OP_STATUS };

struct call_desc {
	const char *name;
	long nr;
	int nargs, min_args;  /* strace omits a trailing mode argument */
	int str_arg;          /* a string here is passed as a pointer to it */
	int vec_arg;          /* mincore's vector */
	int buf_arg;          /* read's buffer: a string or [..] here = scratch */
	int count_arg;        /* the byte count of write's string or read's buffer */
};

static const struct call_desc calls[] = {
	{ "mmap", SYS_mmap, 6, 6, -1, -1, -1, -1 },
	{ "munmap", SYS_munmap, 2, 2, -1, -1, -1, -1 },
	{ "mprotect", SYS_mprotect, 3, 3, -1, -1, -1, -1 },
	{ "brk", SYS_brk, 1, 1, -1, -1, -1, -1 },
	{ "mremap", SYS_mremap, 5, 4, -1, -1, -1, -1 },
	{ "madvise", SYS_madvise, 3, 3, -1, -1, -1, -1 },
	{ "mlock", SYS_mlock, 2, 2, -1, -1, -1, -1 },
	{ "mlock2", SYS_mlock2, 3, 3, -1, -1, -1, -1 },
	{ "munlock", SYS_munlock, 2, 2, -1, -1, -1, -1 },
	{ "mlockall", SYS_mlockall, 1, 1, -1, -1, -1, -1 },
	{ "munlockall", SYS_munlockall, 0, 0, -1, -1, -1, -1 },
	{ "msync", SYS_msync, 3, 3, -1, -1, -1, -1 },
	{ "mincore", SYS_mincore, 3, 3, -1, 2, -1, -1 },
	{ "open", SYS_open, 3, 2, 0, -1, -1, -1 },
	{ "openat", SYS_openat, 4, 3, 1, -1, -1, -1 },
	{ "close", SYS_close, 1, 1, -1, -1, -1, -1 },
	{ "dup", SYS_dup, 1, 1, -1, -1, -1, -1 },
	{ "ftruncate", SYS_ftruncate, 2, 2, -1, -1, -1, -1 },
	{ "read", SYS_read, 3, 3, -1, -1, 1, 2 },
	{ "write", SYS_write, 3, 3, 1, -1, -1, 2 },
	{ "pread64", SYS_pread64, 4, 4, -1, -1, 1, 2 },
	{ "pwrite64", SYS_pwrite64, 4, 4, 1, -1, -1, 2 },
	{ "lseek", SYS_lseek, 3, 3, -1, -1, -1, -1 },
};

struct stmt {
	struct tr_line l;
	enum op op;
	const struct call_desc *call;  /* OP_SYSCALL */
	int slot;                      /* the process that runs it */
	int child_slot;                /* OP_FORK: the new process's slot */
	char *maps_want;               /* OP_MAPS: expected block, or NULL */
};

static const char *g_file;
static struct stmt *g_stmts;
static int g_nstmts;

/* ---- processes, replies, static buffers ----------------------------------- */

enum cmd_kind { CMD_RUN, CMD_REAP };

struct cmd {
	int kind;
	int idx;                       /* CMD_RUN: statement index */
	unsigned long args[6];         /* resolved registers; REAP: pid */
};

enum rep_kind { REP_RET, REP_OK, REP_SIGNAL, REP_LOAD, REP_FORK, REP_MAPS, REP_SMAPS,
		REP_STATUS, REP_ERROR };

struct reply {
	int kind;
	int sig, code;                 /* REP_SIGNAL */
	long ret;                      /* REP_RET, REP_FORK (pid or -errno) */
	unsigned long addr;            /* REP_SIGNAL: si_addr */
	int read_data;                 /* REP_RET: the data is read()'s bytes */
	size_t len;                    /* bytes of data that follow */
};

struct slot {
	int alive;
	pid_t pid, ppid;
	int pidfd;                     /* main's watch on it; -1 if none */
};

static int g_slot;                 /* the slot of this process */
static struct slot g_rt[MAX_SLOTS];        /* main's view */
static int g_cmd_rd[MAX_SLOTS], g_cmd_wr[MAX_SLOTS];
static int g_rep_rd[MAX_SLOTS], g_rep_wr[MAX_SLOTS];
static int g_main_pidfd = -1;

static struct reply g_rep;
static const unsigned char *g_rep_data;
static unsigned char g_data[DATA_MAX + 1]; /* load, maps, received data + NUL */
static unsigned char g_vec[VEC_MAX];       /* mincore's vector */
static unsigned char g_scratch[DATA_MAX];  /* read()'s buffer */

static struct { const char *name; unsigned long value; } g_vars[MAX_VARS];
static int g_nvars;
static int g_mismatches;

/* ---- fault guard ------------------------------------------------------------ */

static sigjmp_buf g_jmp;
static volatile sig_atomic_t g_guarded;
static volatile int g_fault_sig, g_fault_code;
static volatile unsigned long g_fault_addr;

static void on_fault(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	if (!g_guarded) {
		/* Not ours: die of it (the access is retried with SIG_DFL). */
		signal(sig, SIG_DFL);
		return;
	}
	g_guarded = 0;
	g_fault_sig = sig;
	g_fault_code = si->si_code;
	g_fault_addr = (unsigned long)si->si_addr;
	siglongjmp(g_jmp, 1);
}

__attribute__((noinline))
static void copy_bytes(volatile unsigned char *dst,
		       const volatile unsigned char *src, size_t n)
{
	for (size_t i = 0; i < n; i++)
		dst[i] = src[i];
}

/* Copy byte by byte, ascending; 0, or -1 with g_fault_* set. */
static int guarded_copy(volatile unsigned char *dst,
			const volatile unsigned char *src, size_t n)
{
	if (sigsetjmp(g_jmp, 1))
		return -1;
	g_guarded = 1;
	copy_bytes(dst, src, n);
	g_guarded = 0;
	return 0;
}

/* ---- output without allocation -------------------------------------------- */

/* A write buffer: flushed to fd, or (fd < 0) a string that truncates. */
struct wb {
	int fd;
	char *buf;
	size_t cap, len;
};

static char g_outbuf[1 << 16], g_errbuf[1 << 13];
static struct wb g_out = { 1, g_outbuf, sizeof(g_outbuf), 0 };
static struct wb g_err = { 2, g_errbuf, sizeof(g_errbuf), 0 };

static int write_full(int fd, const void *p, size_t n)
{
	const char *c = p;

	while (n) {
		ssize_t k = write(fd, c, n);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return -1;
		c += k;
		n -= (size_t)k;
	}
	return 0;
}

static int read_full(int fd, void *p, size_t n)
{
	char *c = p;

	while (n) {
		ssize_t k = read(fd, c, n);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return -1;
		c += k;
		n -= (size_t)k;
	}
	return 0;
}

static void wb_flush(struct wb *w)
{
	if (w->fd >= 0 && w->len)
		write_full(w->fd, w->buf, w->len);
	if (w->fd >= 0)
		w->len = 0;
}

static void wb_mem(struct wb *w, const void *p, size_t n)
{
	const char *c = p;

	if (w->fd >= 0 && n > w->cap) {
		wb_flush(w);
		write_full(w->fd, c, n);
		return;
	}
	while (n) {
		size_t room = w->cap - w->len - (w->fd < 0);

		if (!room) {
			if (w->fd < 0)
				break;
			wb_flush(w);
			continue;
		}
		if (room > n)
			room = n;
		memcpy(w->buf + w->len, c, room);
		w->len += room;
		c += room;
		n -= room;
	}
	if (w->fd < 0)
		w->buf[w->len] = '\0';
}

static void wb_str(struct wb *w, const char *s)
{
	wb_mem(w, s, strlen(s));
}

static void wb_udec(struct wb *w, unsigned long v)
{
	char t[24];
	int n = 0;

	do
		t[sizeof(t) - 1 - n++] = (char)('0' + v % 10);
	while (v /= 10);
	wb_mem(w, t + sizeof(t) - n, (size_t)n);
}

static void wb_dec(struct wb *w, long v)
{
	if (v < 0)
		wb_str(w, "-");
	wb_udec(w, v < 0 ? -(unsigned long)v : (unsigned long)v);
}

static void wb_hex(struct wb *w, unsigned long v)
{
	char t[20];
	int n = 0;

	do
		t[sizeof(t) - 1 - n++] = "0123456789abcdef"[v & 15];
	while (v >>= 4);
	wb_str(w, "0x");
	wb_mem(w, t + sizeof(t) - n, (size_t)n);
}

static void wb_hexbytes(struct wb *w, const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char t[2] = { "0123456789abcdef"[p[i] >> 4], "0123456789abcdef"[p[i] & 15] };

		wb_mem(w, t, 2);
	}
}

/* Quote bytes as C does (at most 64 of them, then "..."). */
static void wb_quote(struct wb *w, const unsigned char *p, size_t n)
{
	wb_str(w, "\"");
	for (size_t i = 0; i < n && i < 64; i++) {
		char t[4] = { '\\', 0, 0, 0 };

		if (p[i] == '"' || p[i] == '\\')
			t[1] = (char)p[i], wb_mem(w, t, 2);
		else if (p[i] >= 0x20 && p[i] < 0x7f)
			wb_mem(w, &p[i], 1);
		else {
			t[1] = (char)('0' + (p[i] >> 6));
			t[2] = (char)('0' + ((p[i] >> 3) & 7));
			t[3] = (char)('0' + (p[i] & 7));
			wb_mem(w, t, 4);
		}
	}
	wb_str(w, n > 64 ? "\"..." : "\"");
}

static void wb_uvalue(struct wb *w, unsigned long v)
{
	if (v < 0x10000)
		wb_udec(w, v);
	else
		wb_hex(w, v);
}

/* A system call's return as strace shows it: "-1 ENOMEM", "3", "0x7f..". */
static void wb_value(struct wb *w, long ret)
{
	if (ret < 0 && ret >= -4095) {
		const char *e = tr_errno_name((int)-ret);

		wb_str(w, "-1 ");
		if (e)
			wb_str(w, e);
		else
			wb_str(w, "errno "), wb_dec(w, -ret);
	} else {
		wb_uvalue(w, (unsigned long)ret);
	}
}

static void wb_signal(struct wb *w, int sig, int code, int has_code)
{
	const char *s = tr_signal_name(sig), *c = tr_sicode_name(sig, code);

	if (s)
		wb_str(w, s);
	else
		wb_dec(w, sig);
	if (!has_code)
		return;
	wb_str(w, " ");
	if (c)
		wb_str(w, c);
	else
		wb_dec(w, code);
}

/* "FILE:LINE: " on stderr. */
static void err_at(int line)
{
	wb_str(&g_err, g_file);
	wb_str(&g_err, ":");
	wb_dec(&g_err, line);
	wb_str(&g_err, ": ");
}

static void err_msg(int line, const char *a, const char *b, const char *c)
{
	err_at(line);
	wb_str(&g_err, a);
	wb_str(&g_err, b ? b : "");
	wb_str(&g_err, c ? c : "");
	wb_str(&g_err, "\n");
	wb_flush(&g_err);
}

/* ---- setup: reading and checking the script (may allocate) --------------- */

static int bad(const struct stmt *s, const char *fmt, const char *a)
{
	fprintf(stderr, "%s:%d: ", g_file, s->l.lineno);
	fprintf(stderr, fmt, a);
	fputc('\n', stderr);
	return 2;
}

static char *read_whole(const char *path, size_t *len)
{
	int fd = strcmp(path, "-") ? open(path, O_RDONLY | O_CLOEXEC) : 0;
	size_t cap = 1 << 16;
	char *buf = malloc(cap);
	ssize_t k;

	*len = 0;
	if (fd < 0 || !buf) {
		free(buf);
		return NULL;
	}
	while ((k = read(fd, buf + *len, cap - *len)) > 0) {
		*len += (size_t)k;
		if (*len == cap && !(buf = realloc(buf, cap *= 2)))
			break;
	}
	if (fd)
		close(fd);
	if (k < 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

static int parse_lines(const char *text, size_t len)
{
	char err[256];
	size_t pos = 0;
	int n = 0;

	for (size_t i = 0; i < len; i++)
		n += text[i] == '\n';
	g_stmts = calloc((size_t)n + 1, sizeof(*g_stmts));
	if (!g_stmts)
		return 2;
	while (pos < len) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t ll = nl ? (size_t)(nl - text) - pos : len - pos;
		struct stmt *s = &g_stmts[g_nstmts];

		if (tr_parse_line(text + pos, ll, g_nstmts + 1, &s->l, err, sizeof(err))) {
			fprintf(stderr, "%s:%d: %s\n", g_file, g_nstmts + 1, err);
			return 2;
		}
		g_nstmts++;
		pos += ll + 1;
	}
	return 0;
}

static const struct call_desc *find_call(const char *name)
{
	for (size_t i = 0; i < sizeof(calls) / sizeof(calls[0]); i++)
		if (!strcmp(calls[i].name, name))
			return &calls[i];
	return NULL;
}

static int classify(struct stmt *s)
{
	static const struct { const char *name; enum op op; int nargs; } ext[] = {
		{ "store", OP_STORE, 2 }, { "load", OP_LOAD, 2 }, { "fork", OP_FORK, 0 },
		{ "exit", OP_EXIT, 1 }, { "exit_group", OP_EXIT, 1 }, { "maps", OP_MAPS, 0 },
	};

	if (!strcmp(s->l.name, "smaps") || !strcmp(s->l.name, "status")) {
		int is_smaps = s->l.name[1] == 'm';

		s->op = is_smaps ? OP_SMAPS : OP_STATUS;
		if (is_smaps ? s->l.nargs < 1 || s->l.nargs > 2 : s->l.nargs != 0)
			return bad(s, "%s: wrong number of arguments", s->l.name);
		return 0;
	}
	for (size_t i = 0; i < sizeof(ext) / sizeof(ext[0]); i++)
		if (!strcmp(s->l.name, ext[i].name)) {
			s->op = ext[i].op;
			if (s->l.nargs != ext[i].nargs)
				return bad(s, "%s: wrong number of arguments", s->l.name);
			return 0;
		}
	s->op = OP_SYSCALL;
	s->call = find_call(s->l.name);
	if (!s->call)
		return bad(s, "unknown call '%s'", s->l.name);
	if (s->l.nargs < s->call->min_args || s->l.nargs > s->call->nargs)
		return bad(s, "%s: wrong number of arguments", s->l.name);
	return 0;
}

/* May argument i have this kind? */
static int arg_ok(const struct stmt *s, int i)
{
	enum tr_arg_kind k = s->l.args[i].kind;
	const struct call_desc *c = s->call;

	if (k == TR_ARG_INT || k == TR_ARG_NULL || k == TR_ARG_VAR)
		return !((s->op == OP_STORE || s->op == OP_SMAPS) && i == 1);
	if (s->op == OP_STORE)
		return i == 1 && k == TR_ARG_STR && !s->l.args[i].truncated;
	if (s->op == OP_SMAPS)         /* smaps(ADDR, "Field") */
		return i == 1 && k == TR_ARG_STR;
	if (s->op != OP_SYSCALL)
		return 0;
	if (k == TR_ARG_STR)
		return i == c->str_arg || i == c->buf_arg;
	return i == c->vec_arg || i == c->buf_arg;   /* TR_ARG_RAW */
}

static int result_ok(const struct stmt *s)
{
	enum tr_res_kind k = s->l.res.kind;

	switch (s->op) {
	case OP_SYSCALL:
		return k != TR_RES_SIGNAL && k != TR_RES_STRING;
	case OP_STORE:
		return k == TR_RES_NONE || k == TR_RES_SIGNAL ||
		       (k == TR_RES_VALUE && s->l.res.value == 0);
	case OP_LOAD:
		return k == TR_RES_NONE || k == TR_RES_SIGNAL || k == TR_RES_STRING;
	case OP_FORK:
		return k == TR_RES_NONE || k == TR_RES_BIND;
	case OP_EXIT:
		return k == TR_RES_NONE || k == TR_RES_UNKNOWN;
	case OP_SMAPS:                 /* a field's value in kB */
		return k == TR_RES_NONE || (k == TR_RES_VALUE && s->l.nargs == 2);
	default:
		return k == TR_RES_NONE;
	}
}

static int check_call(struct stmt *s)
{
	int st = classify(s);

	if (!st && s->op == OP_STORE && !arg_ok(s, 1))
		return bad(s, "%s: the bytes must be a whole \"string\"", "store");
	for (int i = 0; !st && i < s->l.nargs; i++)
		if (!arg_ok(s, i)) {
			fprintf(stderr, "%s:%d: %s: argument %d (%s) is not a number\n",
				g_file, s->l.lineno, s->l.name, i + 1,
				s->l.args[i].text ? s->l.args[i].text : "?");
			st = 2;
		}
	if (!st && !result_ok(s))
		st = bad(s, "%s: this kind of result cannot be checked here", s->l.name);
	return st;
}

/* Process names and slots, in script order (design note 4). */
struct prepass {
	struct { const char *name; int slot; } names[MAX_NAMES];
	int nnames;
	int used[MAX_SLOTS];
	int ended;                     /* main exited: later lines never run */
};

static int pp_process(struct prepass *pp, struct stmt *s)
{
	s->slot = 0;
	if (!s->l.proc)
		return 0;
	for (int i = 0; i < pp->nnames; i++)
		if (!strcmp(pp->names[i].name, s->l.proc)) {
			if (pp->names[i].slot < 0)
				return bad(s, "process $%s has exited", s->l.proc);
			s->slot = pp->names[i].slot;
			return 0;
		}
	return bad(s, "unknown process $%s (bind it with fork() = $name)", s->l.proc);
}

static int pp_fork(struct prepass *pp, struct stmt *s)
{
	int k = 1, i;

	while (k < MAX_SLOTS && pp->used[k])
		k++;
	if (k == MAX_SLOTS)
		return bad(s, "%s: more than 15 processes at once", "fork");
	pp->used[k] = 1;
	s->child_slot = k;
	if (s->l.res.kind != TR_RES_BIND)
		return 0;
	for (i = 0; i < pp->nnames && strcmp(pp->names[i].name, s->l.res.name); i++)
		;
	if (i == MAX_NAMES)
		return bad(s, "too many process names (at $%s)", s->l.res.name);
	pp->names[i].name = s->l.res.name;
	pp->names[i].slot = k;
	pp->nnames += i == pp->nnames;
	return 0;
}

static void pp_exit(struct prepass *pp, const struct stmt *s)
{
	if (s->slot == 0) {
		pp->ended = 1;
		return;
	}
	pp->used[s->slot] = 0;
	for (int i = 0; i < pp->nnames; i++)
		if (pp->names[i].slot == s->slot)
			pp->names[i].slot = -1;
}

static int add_maps_line(struct stmt *m, const struct stmt *s)
{
	size_t have = m->maps_want ? strlen(m->maps_want) : 0;
	size_t n = strlen(s->l.raw);
	char *p = realloc(m->maps_want, have + n + 2);

	if (!p)
		return 2;
	memcpy(p + have, s->l.raw, n);
	p[have + n] = '\n';
	p[have + n + 1] = '\0';
	m->maps_want = p;
	return 0;
}

static int check_statement(struct prepass *pp, struct stmt *s)
{
	int st = check_call(s);

	if (!st)
		st = pp_process(pp, s);
	if (!st && s->op == OP_FORK)
		st = pp_fork(pp, s);
	if (!st && s->op == OP_EXIT)
		pp_exit(pp, s);
	return st;
}

static int check_script(void)
{
	struct prepass pp;
	struct stmt *open_maps = NULL;
	int st = 0;

	memset(&pp, 0, sizeof(pp));
	for (int i = 0; i < g_nstmts && !st && !pp.ended; i++) {
		struct stmt *s = &g_stmts[i];

		if (s->l.kind == TR_MAPS) {
			st = open_maps ? add_maps_line(open_maps, s) :
				bad(s, "a maps line outside a maps() block: %s", s->l.raw);
			continue;
		}
		open_maps = NULL;
		if (s->l.kind != TR_CALL)
			continue;      /* comments, strace's other lines */
		st = check_statement(&pp, s);
		if (s->op == OP_MAPS)
			open_maps = s;
	}
	return st;
}

/* ---- setup: process state ---------------------------------------------------- */

/* Like setarch -R: without ADDR_NO_RANDOMIZE, set it and run again.  (The
 * path comes from readlink, which valgrind and qemu answer with the guest
 * program; `usermm diff` sets the flag itself, so no re-exec happens there,
 * and under a tool run directly use `setarch -R TOOL usermm-native`.) */
static void no_aslr(char **argv)
{
	int p = personality(0xffffffff);
	char self[4096];
	ssize_t n;

	if (p == -1 || (p & ADDR_NO_RANDOMIZE))
		return;
	if (personality((unsigned long)p | ADDR_NO_RANDOMIZE) == -1 ||
	    !(personality(0xffffffff) & ADDR_NO_RANDOMIZE))
		return;
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n <= 0)
		return;
	self[n] = '\0';
	execv(self, argv);
	perror("usermm-native: re-exec without ASLR");
}

/* Move fd to the lowest free fd >= FD_BASE, closing the original. */
static int move_high(int fd)
{
	int h = fd < 0 ? -1 : fcntl(fd, F_DUPFD_CLOEXEC, FD_BASE);

	if (fd >= 0)
		close(fd);
	return h;
}

static int setup_fds(void)
{
	int devnull;

	for (int fd = 0; fd < 3; fd++)   /* the engine's process has 0-2 open */
		if (fcntl(fd, F_GETFD) < 0 && open("/dev/null", O_RDWR) != fd)
			return -1;
	syscall(SYS_close_range, 3, ~0U, 0);
	g_out.fd = fcntl(1, F_DUPFD_CLOEXEC, FD_BASE);
	g_err.fd = fcntl(2, F_DUPFD_CLOEXEC, FD_BASE);
	/* The log must not take the script's writes to fd 1. */
	devnull = open("/dev/null", O_WRONLY);
	if (g_out.fd < 0 || g_err.fd < 0 || devnull < 0 || dup2(devnull, 1) < 0)
		return -1;
	close(devnull);
	return 0;
}

static int setup_pipes(void)
{
	for (int k = 1; k < MAX_SLOTS; k++) {
		int c[2], r[2];

		if (pipe2(c, O_CLOEXEC) || pipe2(r, O_CLOEXEC))
			return -1;
		g_cmd_rd[k] = move_high(c[0]);
		g_cmd_wr[k] = move_high(c[1]);
		g_rep_rd[k] = move_high(r[0]);
		g_rep_wr[k] = move_high(r[1]);
		if (g_cmd_rd[k] < 0 || g_cmd_wr[k] < 0 || g_rep_rd[k] < 0 || g_rep_wr[k] < 0)
			return -1;
	}
	g_main_pidfd = move_high((int)syscall(SYS_pidfd_open, getpid(), 0));
	return 0;
}

static int g_drain_fd = -1;   /* design note 9 */

/* Best effort: where the executor may not be bound (a cpuset, another
 * system under --exec) or the binary cannot be opened, smaps after
 * MADV_FREE/COLD may differ from run to run, and nothing else does. */
static int setup_lru_drain(void)
{
	cpu_set_t one;
	int cpu = sched_getcpu();

	if (cpu >= 0) {
		CPU_ZERO(&one);
		CPU_SET(cpu, &one);
		(void)sched_setaffinity(0, sizeof(one), &one);
	}
	g_drain_fd = move_high(open("/proc/self/exe", O_RDONLY));
	return 0;
}

static void lru_drain(void)
{
	if (g_drain_fd >= 0)
		syscall(SYS_fadvise64, g_drain_fd, 1L << 40, 4096L, POSIX_FADV_DONTNEED);
}

static int setup_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_fault;
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGSEGV, &sa, NULL) || sigaction(SIGBUS, &sa, NULL))
		return -1;
	/* Orphans of exited children are ours to wait for (note 5). */
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	return 0;
}

/* Make the heap a multiple of HEAP_ROUND long: the parse's allocations
 * (about 4 KiB a line) then change [heap] only when they cross one, so a
 * script's maps lines stay valid when the script grows a little (by its own
 * maps block, say). */
static unsigned long read_start_brk(void);

static void round_heap(void)
{
	unsigned long b = (unsigned long)syscall(SYS_brk, 0), s = read_start_brk();

	if (s && s <= b)
		syscall(SYS_brk, s + (b - s + HEAP_ROUND - 1) / HEAP_ROUND * HEAP_ROUND);
}

/* Grow [stack] now so that it never grows while the script runs. */
__attribute__((noinline))
static void touch_stack(void)
{
	volatile char buf[STACK_TOUCH];

	for (size_t i = sizeof(buf); i > 0; i -= PAGE)
		buf[i - 1] = 0;
	buf[0] = 0;
}

/* ---- the executor's own pages (design note 8) -------------------------------- */

#define MAX_OWN 64

/* The executor's own VMAs, as the layout snapshot lists them. */
static struct { unsigned long start, end; int writable; } g_own[MAX_OWN];
static int g_nown;
static struct status_mem g_base;   /* status at the snapshot */

static long read_proc(const char *path, unsigned char *buf, size_t cap);

/* One maps line: remember its range unless it is PROT_NONE or [vvar*] /
 * [vsyscall], which have no pages of their own to touch. */
static void own_add(const char *line, size_t len)
{
	const char *perms = memchr(line, ' ', len);
	unsigned long a, b;

	if (g_nown == MAX_OWN || !proc_vma_line(line, len, &a, &b) || !perms ||
	    perms[1] != 'r' || memmem(line, len, "[vvar", 5) ||
	    memmem(line, len, "[vsyscall]", 10))
		return;
	g_own[g_nown].start = a;
	g_own[g_nown].end = b;
	g_own[g_nown++].writable = perms[2] == 'w' && perms[4] == 'p';
}

static int own_ranges(void)
{
	long n = read_proc("/proc/self/maps", g_data, DATA_MAX);
	const char *p = (const char *)g_data, *nl;

	if (n < 0)
		return -1;
	for (g_nown = 0; (nl = strchr(p, '\n')); p = nl + 1)
		own_add(p, (size_t)(nl - p));
	return 0;
}

/* Make every page of the executor's own VMAs resident (writable ones
 * written, so none is left on the zero page), so that its RSS does not
 * move while the script runs. */
static void own_touch(void)
{
	if (sigsetjmp(g_jmp, 1))
		return;
	g_guarded = 1;
	for (int i = 0; i < g_nown; i++)
		for (unsigned long a = g_own[i].start; a < g_own[i].end; a += PAGE) {
			volatile unsigned char *q = (volatile unsigned char *)a;
			unsigned char c = *q;

			if (g_own[i].writable)
				*q = c;
		}
	g_guarded = 0;
}

/* ---- snapshot ----------------------------------------------------------------- */

/* Read a /proc file into buf (NUL-terminated); its length, or -1. */
static long read_proc(const char *path, unsigned char *buf, size_t cap)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t len = 0;
	ssize_t k = 0;

	if (fd < 0)
		return -1;
	while (len < cap - 1 && (k = read(fd, buf + len, cap - 1 - len)) > 0)
		len += (size_t)k;
	close(fd);
	buf[len] = '\0';
	return k < 0 || len >= cap - 1 ? -1 : (long)len;
}

/* start_brk: field 47 of /proc/self/stat (fields count after the ")"). */
static unsigned long read_start_brk(void)
{
	const char *p;
	int field = 2;
	unsigned long v = 0;

	if (read_proc("/proc/self/stat", g_scratch, 4096) < 0)
		return 0;
	p = strrchr((const char *)g_scratch, ')');
	for (; p && *p && field < 47; p++)
		field += *p == ' ';
	for (; p && *p >= '0' && *p <= '9'; p++)
		v = v * 10 + (unsigned long)(*p - '0');
	return v;
}

static int snapshot(void)
{
	long n = read_proc("/proc/self/status", g_data, DATA_MAX);
	unsigned long brk = (unsigned long)syscall(SYS_brk, 0);
	unsigned long start_brk = read_start_brk();

	if (n < 0 || status_parse((const char *)g_data, (size_t)n, &g_base))
		return -1;
	n = read_proc("/proc/self/maps", g_data, DATA_MAX);
	if (n < 0)
		return -1;
	wb_str(&g_out, "layout ");
	wb_hex(&g_out, start_brk);
	wb_str(&g_out, " ");
	wb_hex(&g_out, brk);
	wb_str(&g_out, " ");
	wb_udec(&g_out, (unsigned long)n);
	wb_str(&g_out, " ");
	wb_udec(&g_out, g_base.peak);
	wb_str(&g_out, "\n");
	wb_mem(&g_out, g_data, (size_t)n);
	wb_flush(&g_out);
	return 0;
}

/* ---- executing a statement (any process) ------------------------------------ */

static long sys6(long nr, const unsigned long *a)
{
	long r = syscall(nr, a[0], a[1], a[2], a[3], a[4], a[5]);

	return r == -1 ? -errno : r;
}

static void rep_error(const char *msg)
{
	g_rep.kind = REP_ERROR;
	g_rep_data = (const unsigned char *)msg;
	g_rep.len = strlen(msg);
}

static void exec_syscall(const struct stmt *s, const unsigned long *a)
{
	g_rep.kind = REP_RET;
	g_rep.ret = sys6(s->call->nr, a);
	if (s->call->vec_arg >= 0 && g_rep.ret == 0 &&
	    a[s->call->vec_arg] == (unsigned long)g_vec) {
		g_rep.len = a[1] / PAGE + (a[1] % PAGE != 0);
		g_rep_data = g_vec;
	}
	if (s->call->buf_arg >= 0 && g_rep.ret > 0 &&
	    a[s->call->buf_arg] == (unsigned long)g_scratch) {
		g_rep.len = (size_t)g_rep.ret;
		g_rep_data = g_scratch;
		g_rep.read_data = 1;
	}
}

/* store (to == 1) or load: byte by byte under the fault guard. */
static void exec_access(unsigned long addr, const unsigned char *bytes, size_t len,
			int to)
{
	volatile unsigned char *mem = (volatile unsigned char *)addr;
	int r = to ? guarded_copy(mem, bytes, len) : guarded_copy(g_data, mem, len);

	if (r) {
		g_rep.kind = REP_SIGNAL;
		g_rep.sig = g_fault_sig;
		g_rep.code = g_fault_code;
		g_rep.addr = g_fault_addr;
		return;
	}
	g_rep.kind = to ? REP_OK : REP_LOAD;
	g_rep.len = to ? 0 : len;
	g_rep_data = g_data;
}

static void exec_maps(void)
{
	long n = read_proc("/proc/self/maps", g_data, DATA_MAX);

	if (n < 0) {
		rep_error("cannot read /proc/self/maps (or it is over 1 MiB)");
		return;
	}
	g_rep.kind = REP_MAPS;
	g_rep.len = (size_t)n;
	g_rep_data = g_data;
}

/* smaps(ADDR): the entry of the VMA holding ADDR (empty when none). */
static void exec_smaps(unsigned long addr)
{
	long n;
	size_t off = 0;

	lru_drain();   /* design note 9 */
	n = read_proc("/proc/self/smaps", g_data, DATA_MAX);
	if (n < 0) {
		rep_error("cannot read /proc/self/smaps (or it is over 1 MiB)");
		return;
	}
	g_rep.kind = REP_SMAPS;
	g_rep.len = proc_smaps_entry((const char *)g_data, (size_t)n, addr, &off);
	g_rep_data = g_data + off;
}

static char g_status[1024];

/* status(): the comparable lines (proctext.h), RSS since the snapshot. */
static void exec_status(void)
{
	long n = read_proc("/proc/self/status", g_data, DATA_MAX);
	struct status_mem m;

	if (n < 0 || status_parse((const char *)g_data, (size_t)n, &m)) {
		rep_error("cannot read the memory lines of /proc/self/status");
		return;
	}
	g_rep.kind = REP_STATUS;
	g_rep.len = status_compared(g_status, sizeof(g_status), &m, &g_base, 0);
	g_rep_data = (const unsigned char *)g_status;
}

/* 1 in the new process (which must not reply), else 0. */
static int exec_fork(int child_slot)
{
	pid_t pid = fork();

	if (pid == 0) {
		/* The executor's text is not copied (no anon_vma): fault it
		 * back now, so the child's RSS is the snapshot's plus what
		 * fork copied of the script's memory (design note 8). */
		own_touch();
		g_slot = child_slot;
		return 1;
	}
	g_rep.kind = REP_FORK;
	g_rep.ret = pid < 0 ? -errno : pid;
	return 0;
}

static int exec_stmt(const struct stmt *s, const unsigned long *a)
{
	const struct tr_arg *b = s->op == OP_STORE ? &s->l.args[1] : NULL;

	memset(&g_rep, 0, sizeof(g_rep));
	g_rep_data = NULL;
	switch (s->op) {
	case OP_SYSCALL:
		exec_syscall(s, a);
		break;
	case OP_STORE:
		exec_access(a[0], (const unsigned char *)b->str, b->len, 1);
		break;
	case OP_LOAD:
		exec_access(a[0], NULL, a[1], 0);
		break;
	case OP_MAPS:
		exec_maps();
		break;
	case OP_SMAPS:
		exec_smaps(a[0]);
		break;
	case OP_STATUS:
		exec_status();
		break;
	case OP_FORK:
		return exec_fork((int)a[0]);
	case OP_EXIT:
		syscall(SYS_exit_group, a[0]);
		break;
	case OP_NONE:
		break;
	}
	return 0;
}

/* ---- a child process: serve commands ---------------------------------------- */

/* 0 and a command, or -1 when main is gone. */
static int cmd_recv(struct cmd *c)
{
	for (;;) {
		struct pollfd p[2] = { { g_cmd_rd[g_slot], POLLIN, 0 },
				       { g_main_pidfd, POLLIN, 0 } };

		if (poll(p, g_main_pidfd >= 0 ? 2 : 1, -1) < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (p[0].revents & POLLIN)
			return read_full(g_cmd_rd[g_slot], c, sizeof(*c));
		if (p[1].revents)
			return -1;
	}
}

static void reply_send(void)
{
	write_full(g_rep_wr[g_slot], &g_rep, sizeof(g_rep));
	if (g_rep.len)
		write_full(g_rep_wr[g_slot], g_rep_data, g_rep.len);
}

static void exec_reap(pid_t pid)
{
	int st = 0;
	pid_t r;

	while ((r = waitpid(pid, &st, 0)) < 0 && errno == EINTR)
		;
	memset(&g_rep, 0, sizeof(g_rep));
	g_rep.kind = REP_RET;
	g_rep.ret = r < 0 ? -errno : st;
}

__attribute__((noreturn))
static void child_serve(void)
{
	struct cmd c;

	for (;;) {
		if (cmd_recv(&c))
			syscall(SYS_exit_group, 0);
		if (c.kind == CMD_REAP)
			exec_reap((pid_t)c.args[0]);
		else if (exec_stmt(&g_stmts[c.idx], c.args))
			continue;      /* the new process: now serving its own slot */
		reply_send();
	}
}

/* ---- main: talking to children ---------------------------------------------- */

/* Wait for slot k's reply and read it into g_rep/g_data; -1 if it died. */
static int reply_recv(int k)
{
	for (;;) {
		struct pollfd p[2] = { { g_rep_rd[k], POLLIN, 0 }, { g_rt[k].pidfd, POLLIN, 0 } };

		if (poll(p, g_rt[k].pidfd >= 0 ? 2 : 1, -1) < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (p[0].revents & POLLIN)
			break;
		if (p[1].revents)
			return -1;
	}
	if (read_full(g_rep_rd[k], &g_rep, sizeof(g_rep)) || g_rep.len > DATA_MAX ||
	    read_full(g_rep_rd[k], g_data, g_rep.len))
		return -1;
	g_data[g_rep.len] = '\0';    /* maps texts and messages are strings */
	g_rep_data = g_data;
	return 0;
}

static int remote(int k, const struct cmd *c, int want_reply)
{
	if (write_full(g_cmd_wr[k], c, sizeof(*c)))
		return -1;
	return want_reply ? reply_recv(k) : 0;
}

static void slot_start(const struct stmt *s)
{
	struct slot *n = &g_rt[s->child_slot];

	if (g_rep.ret <= 0)
		return;
	n->alive = 1;
	n->pid = (pid_t)g_rep.ret;
	n->ppid = g_rt[s->slot].pid;
	n->pidfd = move_high((int)syscall(SYS_pidfd_open, n->pid, 0));
}

static void slot_end(int k)
{
	if (g_rt[k].pidfd >= 0)
		close(g_rt[k].pidfd);
	g_rt[k].alive = 0;
	g_rt[k].pidfd = -1;
}

static int slot_of_pid(pid_t pid)
{
	for (int k = 1; k < MAX_SLOTS; k++)
		if (g_rt[k].alive && g_rt[k].pid == pid)
			return k;
	return 0;
}

/* The wait status of slot k's exited process (note 5), or -1. */
static long reap(int k)
{
	int parent = slot_of_pid(g_rt[k].ppid), st = 0;
	struct cmd c = { CMD_REAP, 0, { (unsigned long)g_rt[k].pid } };
	pid_t r;

	if (parent) {
		if (remote(parent, &c, 1) || g_rep.ret < 0)
			return -1;
		return g_rep.ret;
	}
	while ((r = waitpid(g_rt[k].pid, &st, 0)) < 0 && errno == EINTR)
		;
	return r < 0 ? -1 : st;
}

/* ---- main: resolving arguments and variables ---------------------------------- */

static int var_get(const char *name, unsigned long *v)
{
	for (int i = 0; i < g_nvars; i++)
		if (!strcmp(g_vars[i].name, name)) {
			*v = g_vars[i].value;
			return 0;
		}
	return -1;
}

static int var_set(const char *name, unsigned long v)
{
	int i;

	for (i = 0; i < g_nvars && strcmp(g_vars[i].name, name); i++)
		;
	if (i == MAX_VARS)
		return -1;
	g_vars[i].name = name;
	g_vars[i].value = v;
	g_nvars += i == g_nvars;
	return 0;
}

/* mincore's vector, chosen as runner.c chooses it (the engine must agree). */
static unsigned long vec_value(const struct stmt *s, const struct tr_arg *a)
{
	int efault = s->l.res.kind == TR_RES_ERRNO && s->l.res.err == EFAULT;

	if (a->kind == TR_ARG_INT && a->value >= TASK_SIZE)
		return a->value;
	if (a->kind == TR_ARG_RAW && efault)
		return -PAGE;              /* not a user address: access_ok fails */
	if (a->kind == TR_ARG_NULL || (a->kind == TR_ARG_INT && efault))
		return 0;
	return (unsigned long)g_vec;
}

static int arg_value(const struct stmt *s, int i, unsigned long *v)
{
	const struct tr_arg *a = &s->l.args[i];
	const struct call_desc *c = s->call;

	if (c && i == c->vec_arg) {
		*v = vec_value(s, a);
	} else if (c && i == c->buf_arg && (a->kind == TR_ARG_STR || a->kind == TR_ARG_RAW)) {
		*v = (unsigned long)g_scratch;
	} else if (a->kind == TR_ARG_STR) {
		*v = (unsigned long)a->str;
	} else if (a->kind == TR_ARG_VAR) {
		if (var_get(a->name, v)) {
			err_msg(s->l.lineno, "unknown variable $", a->name, NULL);
			return 2;
		}
		*v += a->value;
	} else {
		*v = a->value;
	}
	return 0;
}

/* Limits of the static buffers; 2 (reported) when a call exceeds them. */
static int check_sizes(const struct stmt *s, const unsigned long *a)
{
	const struct call_desc *c = s->call;
	int line = s->l.lineno, b;

	if (s->op == OP_LOAD && a[1] > DATA_MAX)
		return err_msg(line, "load: more than 1 MiB at once", NULL, NULL), 2;
	if (!c)
		return 0;
	b = c->buf_arg >= 0 ? c->buf_arg : c->str_arg;
	if (c->count_arg >= 0 && a[b] == (unsigned long)g_scratch && a[c->count_arg] > DATA_MAX)
		return err_msg(line, c->name, ": more than 1 MiB into a string buffer", NULL), 2;
	if (c->count_arg >= 0 && c->buf_arg < 0 && s->l.args[b].kind == TR_ARG_STR &&
	    a[c->count_arg] > s->l.args[b].len)
		return err_msg(line, c->name, ": the count is longer than the string", NULL), 2;
	if (c->vec_arg >= 0 && a[2] == (unsigned long)g_vec && a[0] + a[1] >= a[0] &&
	    a[0] + a[1] <= TASK_SIZE && a[1] > VEC_MAX * PAGE)
		return err_msg(line, "mincore: more than 4 GiB (the vector is static)", NULL, NULL), 2;
	return 0;
}

static int resolve(const struct stmt *s, unsigned long *a)
{
	int st = 0;

	memset(a, 0, 6 * sizeof(*a));
	for (int i = 0; !st && i < s->l.nargs; i++)
		st = arg_value(s, i, &a[i]);
	if (s->op == OP_FORK)
		a[0] = (unsigned long)s->child_slot;
	return st ? st : check_sizes(s, a);
}

/* ---- main: the log ------------------------------------------------------------- */

static void log_start(const struct stmt *s)
{
	wb_str(&g_out, "L");
	wb_dec(&g_out, s->l.lineno);
	wb_str(&g_out, " ");
}

static void log_ret(long ret)
{
	wb_str(&g_out, "ret ");
	wb_dec(&g_out, ret);
}

static void log_reply(void)
{
	switch (g_rep.kind) {
	case REP_RET:
		log_ret(g_rep.ret);
		if (g_rep.len)
			wb_str(&g_out, g_rep.read_data ? " data " : " vec "),
			wb_hexbytes(&g_out, g_rep_data, g_rep.len);
		break;
	case REP_OK:
		wb_str(&g_out, "ok");
		break;
	case REP_SIGNAL:
		wb_str(&g_out, "signal ");
		wb_signal(&g_out, g_rep.sig, g_rep.code, 1);
		wb_str(&g_out, " ");
		wb_hex(&g_out, g_rep.addr);
		break;
	case REP_LOAD:
		wb_str(&g_out, g_rep.len ? "load " : "load");
		wb_hexbytes(&g_out, g_rep_data, g_rep.len);
		break;
	case REP_FORK:
		if (g_rep.ret > 0)
			wb_str(&g_out, "fork");
		else
			log_ret(g_rep.ret);
		break;
	case REP_SMAPS:
	case REP_STATUS:
		wb_str(&g_out, g_rep.kind == REP_SMAPS ? "smaps " : "status ");
		wb_udec(&g_out, g_rep.len);
		wb_str(&g_out, "\n");
		wb_mem(&g_out, g_rep_data, g_rep.len);
		break;
	case REP_MAPS:
		wb_str(&g_out, "maps ");
		wb_udec(&g_out, g_rep.len);
		wb_str(&g_out, "\n");
		wb_mem(&g_out, g_rep_data, g_rep.len);
		break;
	}
}

static void log_record(const struct stmt *s)
{
	log_start(s);
	log_reply();
	wb_str(&g_out, "\n");
	wb_flush(&g_out);
}

static void log_exit(const struct stmt *s, long status)
{
	log_start(s);
	wb_str(&g_out, "exit ");
	wb_dec(&g_out, status);
	wb_str(&g_out, "\n");
	wb_flush(&g_out);
}

/* ---- main: checking results ------------------------------------------------------ */

static char g_expbuf[256], g_gotbuf[512];

static void report_differs(const struct stmt *s, const char *exp, const char *got)
{
	err_at(s->l.lineno);
	wb_str(&g_err, "result differs\n  call:     ");
	wb_str(&g_err, s->l.raw);
	wb_str(&g_err, "\n  expected: ");
	wb_str(&g_err, exp);
	wb_str(&g_err, "\n  got:      ");
	wb_str(&g_err, got);
	wb_str(&g_err, "\n");
	wb_flush(&g_err);
	g_mismatches++;
}

/* What the reply says, in words, into g_gotbuf. */
static const char *got_text(void)
{
	struct wb w = { -1, g_gotbuf, sizeof(g_gotbuf), 0 };

	g_gotbuf[0] = '\0';
	if (g_rep.kind == REP_RET || g_rep.kind == REP_FORK)
		wb_value(&w, g_rep.ret);
	else if (g_rep.kind == REP_OK)
		wb_str(&w, "0 (stored)");
	else if (g_rep.kind == REP_LOAD)
		wb_quote(&w, g_rep_data, g_rep.len);
	else if (g_rep.kind == REP_SIGNAL) {
		wb_signal(&w, g_rep.sig, g_rep.code, 1);
		wb_str(&w, " at ");
		wb_hex(&w, g_rep.addr);
	}
	return g_gotbuf;
}

static const char *exp_text(const struct tr_result *r)
{
	struct wb w = { -1, g_expbuf, sizeof(g_expbuf), 0 };

	g_expbuf[0] = '\0';
	if (r->kind == TR_RES_VALUE)
		wb_uvalue(&w, r->value);
	else if (r->kind == TR_RES_ERRNO)
		wb_value(&w, -(long)r->err);
	else if (r->kind == TR_RES_BIND)
		wb_str(&w, "a value for $"), wb_str(&w, r->name);
	else if (r->kind == TR_RES_SIGNAL)
		wb_signal(&w, r->sig, r->si_code, r->has_code);
	else if (r->kind == TR_RES_STRING)
		wb_quote(&w, (const unsigned char *)r->str, r->len);
	return g_expbuf;
}

static int ret_matches(const struct stmt *s)
{
	const struct tr_result *w = &s->l.res;
	long ret = g_rep.ret;
	int is_err = ret < 0 && ret >= -4095;

	switch (w->kind) {
	case TR_RES_VALUE:
		return !is_err && (unsigned long)ret == w->value;
	case TR_RES_ERRNO:
		return is_err && -ret == w->err;
	case TR_RES_BIND:
		return !is_err;
	default:
		return 1;
	}
}

static int signal_matches(const struct tr_result *w)
{
	return g_rep.kind == REP_SIGNAL && g_rep.sig == w->sig &&
	       (!w->has_code || g_rep.code == w->si_code);
}

static int access_matches(const struct stmt *s)
{
	const struct tr_result *w = &s->l.res;

	if (w->kind == TR_RES_SIGNAL)
		return signal_matches(w);
	if (w->kind == TR_RES_VALUE)
		return g_rep.kind == REP_OK;
	if (w->kind == TR_RES_STRING)
		return g_rep.kind == REP_LOAD &&
		       (w->truncated ? g_rep.len >= w->len : g_rep.len == w->len) &&
		       !memcmp(g_rep_data, w->str, w->len);
	return 1;
}

/* Where two maps texts first differ: a 1-based line, or 0.  Lines naming
 * shared anonymous memory may differ in their inode (the live kernel's
 * shmem inode numbers are not reproducible). */
static int maps_line_same(const char *a, size_t an, const char *b, size_t bn)
{
	static const char tag[] = "/dev/zero (deleted)";
	const size_t tl = sizeof(tag) - 1;
	size_t i = 0;
	int spaces = 0;

	if (an == bn && !memcmp(a, b, an))
		return 1;
	if (an < tl || bn < tl || memcmp(a + an - tl, tag, tl) || memcmp(b + bn - tl, tag, tl))
		return 0;
	for (; i < an && i < bn && a[i] == b[i] && spaces < 4; i++)
		spaces += a[i] == ' ';
	return spaces == 4;
}

static int maps_differ(const char *got, const char *want)
{
	for (int line = 1;; line++) {
		size_t gl = strcspn(got, "\n"), wl = strcspn(want, "\n");

		if (!*got && !*want)
			return 0;
		if (!*got || !*want || !maps_line_same(got, gl, want, wl))
			return line;
		got += gl + (got[gl] == '\n');
		want += wl + (want[wl] == '\n');
	}
}

static int check_maps(const struct stmt *s)
{
	int line;

	if (!s->maps_want || g_rep.kind != REP_MAPS)
		return 0;
	line = maps_differ((const char *)g_rep_data, s->maps_want);
	if (!line)
		return 0;
	err_at(s->l.lineno);
	wb_str(&g_err, "maps differ at line ");
	wb_dec(&g_err, line);
	wb_str(&g_err, " of the expected block\n--- expected\n");
	wb_str(&g_err, s->maps_want);
	wb_str(&g_err, "--- got\n");
	wb_mem(&g_err, g_rep_data, g_rep.len);
	wb_flush(&g_err);
	g_mismatches++;
	return 1;
}

/* read's bytes against the string written in the line, as far as it
 * goes (strace shows 32 bytes and "..."); 1 on a difference (reported). */
static int check_read_bytes(const struct stmt *s)
{
	const struct tr_arg *a;
	size_t n;
	struct wb w = { -1, g_expbuf, sizeof(g_expbuf), 0 };

	if (s->op != OP_SYSCALL || !g_rep.read_data || s->call->buf_arg < 0)
		return 0;
	a = &s->l.args[s->call->buf_arg];
	if (a->kind != TR_ARG_STR)
		return 0;
	n = a->len < g_rep.len ? a->len : g_rep.len;
	if (!memcmp(a->str, g_rep_data, n))
		return 0;
	g_expbuf[0] = '\0';
	wb_quote(&w, (const unsigned char *)a->str, n < 40 ? n : 40);
	g_gotbuf[0] = '\0';
	{
		struct wb g = { -1, g_gotbuf, sizeof(g_gotbuf), 0 };

		wb_quote(&g, g_rep_data, n < 40 ? n : 40);
	}
	report_differs(s, g_expbuf, g_gotbuf);
	return 1;
}

/* smaps(ADDR, "Field") = N: the field's value in the entry. */
static int check_smaps_field(const struct stmt *s)
{
	const struct tr_result *w = &s->l.res;
	unsigned long v;
	struct wb g = { -1, g_gotbuf, sizeof(g_gotbuf), 0 };

	if (s->l.nargs < 2 || w->kind != TR_RES_VALUE)
		return 0;
	if (!proc_field((const char *)g_rep_data, g_rep.len, s->l.args[1].str, &v) &&
	    v == w->value)
		return 0;
	g_gotbuf[0] = '\0';
	if (!g_rep.len)
		wb_str(&g, "no VMA there");
	else if (proc_field((const char *)g_rep_data, g_rep.len, s->l.args[1].str, &v))
		wb_str(&g, "no such field");
	else
		wb_udec(&g, v);
	report_differs(s, exp_text(w), g_gotbuf);
	return 1;
}

/* 0 held, 1 differed (reported), 2 bad input (reported). */
static int check_stmt(const struct stmt *s)
{
	const struct tr_result *w = &s->l.res;
	int ok;

	if (s->op == OP_MAPS)
		return check_maps(s);
	if (s->op == OP_SMAPS)
		return check_smaps_field(s);
	if (s->op == OP_STATUS)
		return 0;
	ok = s->op == OP_SYSCALL || s->op == OP_FORK ? ret_matches(s) : access_matches(s);
	if (!ok) {
		report_differs(s, exp_text(w), got_text());
		return 1;
	}
	if (check_read_bytes(s))
		return 1;
	if (s->op == OP_SYSCALL && w->kind == TR_RES_BIND && var_set(w->name, (unsigned long)g_rep.ret)) {
		err_msg(s->l.lineno, "too many variables (at $", w->name, ")");
		return 2;
	}
	return 0;
}

/* ---- main: running the script ---------------------------------------------------- */

enum { ST_OK, ST_DIFF, ST_BAD, ST_END };

static int died(const struct stmt *s)
{
	err_msg(s->l.lineno, "process $", s->l.proc ? s->l.proc : "?",
		" died or stopped answering");
	return ST_BAD;
}

static int run_exit(int idx, const struct stmt *s, const unsigned long *a)
{
	struct cmd c = { CMD_RUN, idx, { 0 } };
	long st;

	if (s->slot == 0) {
		log_exit(s, (long)(a[0] & 0xff));
		return ST_END;
	}
	memcpy(c.args, a, sizeof(c.args));
	if (remote(s->slot, &c, 0) || (st = reap(s->slot)) < 0)
		return died(s);
	slot_end(s->slot);
	log_exit(s, WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
	return ST_OK;
}

static int run_stmt(int idx)
{
	const struct stmt *s = &g_stmts[idx];
	struct cmd c = { CMD_RUN, idx, { 0 } };
	int st;

	if (!g_rt[s->slot].alive) {
		err_msg(s->l.lineno, "process $", s->l.proc, " is not running (its fork failed)");
		return ST_BAD;
	}
	if ((st = resolve(s, c.args)))
		return st;
	if (s->op == OP_EXIT)
		return run_exit(idx, s, c.args);
	if (s->slot == 0 && exec_stmt(s, c.args))
		child_serve();
	if (s->slot != 0 && remote(s->slot, &c, 1))
		return died(s);
	if (g_rep.kind == REP_ERROR) {
		err_msg(s->l.lineno, s->l.name, ": ", (const char *)g_rep_data);
		return ST_BAD;
	}
	if (s->op == OP_FORK)
		slot_start(s);
	log_record(s);
	return check_stmt(s);
}

static int run_script(void)
{
	for (int i = 0; i < g_nstmts; i++) {
		int st;

		if (g_stmts[i].op == OP_NONE)
			continue;
		st = run_stmt(i);
		if (st == ST_END)
			return ST_OK;
		if (st == ST_BAD)
			return ST_BAD;
	}
	return ST_OK;
}

/* Flush, then kill and collect every process still running. */
static void finish(void)
{
	wb_flush(&g_out);
	wb_flush(&g_err);
	for (int k = 1; k < MAX_SLOTS; k++)
		if (g_rt[k].alive)
			kill(g_rt[k].pid, SIGKILL);
	while (waitpid(-1, NULL, 0) > 0 || errno == EINTR)
		;
}

static int setup(const char *path)
{
	size_t len;
	char *text = read_whole(path, &len);
	int st;

	if (!text) {
		fprintf(stderr, "usermm-native: cannot read %s\n", path);
		return 2;
	}
	st = parse_lines(text, len);
	if (!st)
		st = check_script();
	if (st)
		return st;
	if (setup_fds() || setup_pipes() || setup_lru_drain() || setup_signals()) {
		perror("usermm-native: setup");
		return 2;
	}
	g_rt[0].alive = 1;
	g_rt[0].pid = getpid();
	for (int k = 1; k < MAX_SLOTS; k++)
		g_rt[k].pidfd = -1;
	round_heap();
	touch_stack();
	if (own_ranges()) {
		perror("usermm-native: reading /proc/self/maps");
		return 2;
	}
	own_touch();
	return 0;
}

int main(int argc, char **argv)
{
	int st;

	if (argc != 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		fputs("usage: usermm-native SCRIPT\n"
		      "Runs SCRIPT (trace language) on the live kernel without ASLR and\n"
		      "writes its outcome log (tools/outcome.h) to standard output.\n"
		      "Exit: 0 every written result held, 1 one differed, 2 bad input.\n",
		      argc == 2 ? stdout : stderr);
		return argc == 2 ? 0 : 2;
	}
	no_aslr(argv);
	g_file = argv[1];
	if ((st = setup(argv[1])))
		return st;
	/* From here on: no malloc, no free, no stdio (design note 1). */
	if (snapshot()) {
		wb_str(&g_err, "usermm-native: cannot read /proc/self/maps\n");
		wb_flush(&g_err);
		return 2;
	}
	st = run_script();
	finish();
	_exit(st == ST_BAD ? 2 : g_mismatches ? 1 : 0);
}
